"""A party among thousands, found on a phone: the register form's party <select> writes only the
latest parties; typing in the search box above it asks the party API and offers the match."""

from tests.browser.conftest import assert_fits_phone, login
from zhifa.core.testing import PASSWORD
from zhifa.core.widgets import SearchSelect
from zhifa.parties.models import Party


def test_an_older_party_is_found_by_typing_and_chosen(page, live_server, tree, users):
    wanted = Party.objects.create(kind=Party.LEGAL, name="云岭检索目标商贸有限公司", credit_code="91530000MA00000019",
                                  region=tree.county, agency=tree.market)
    for n in range(SearchSelect.limit + 1):
        Party.objects.create(kind=Party.NATURAL, name=f"个体户{n}", region=tree.county, agency=tree.market)
    login(page, users.officer_a.username, PASSWORD)
    page.goto("/publicity/register/")
    select = page.locator("select[name=party]")
    assert select.locator(f'option[value="{wanted.pk}"]').count() == 0  # not among the latest 30

    assert "至少两个字" in page.inner_text(".search-select-status")  # the hint, before anything is typed
    page.fill("input.search-select-box", "检索目标")
    page.wait_for_selector(f'select[name=party] option[value="{wanted.pk}"]', state="attached")
    assert "找到1项" in page.inner_text(".search-select-status")
    select.select_option(str(wanted.pk))
    assert select.input_value() == str(wanted.pk)
    assert "云岭检索目标商贸有限公司" in select.locator("option:checked").inner_text()

    page.fill("input.search-select-box", "没有这个名字")
    page.wait_for_function("() => document.querySelector('.search-select-status').textContent.includes('没有找到')")
    assert select.input_value() == str(wanted.pk), "the chosen party stays chosen"
    assert_fits_phone(page, "登记决定页")
