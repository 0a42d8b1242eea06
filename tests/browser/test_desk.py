"""The desk (工作台) in Chromium on a phone: it is the home page after sign-in with the officer's
to-dos, the grouped menu opens from the phone's menu button, the header's search finds a case
of the officer's own county and not another county's, and the dashboard's charts render from
the site's own ECharts without a CSP violation."""

import datetime

from django.utils import timezone

from tests.browser.conftest import login
from tests.browser.test_csp import Violations
from zhifa.cases.models import Case, CaseOfficer
from zhifa.core.testing import PASSWORD, food_label_item
from zhifa.parties.models import Party
from zhifa.people.models import Officer


def _world(tree, users):
    item = food_label_item(tree.market)
    today = timezone.localdate()
    made = {}
    for key, agency, user, party_name, number, days in [
        ("a", tree.market, users.officer_a, "云岭鑫达商贸有限公司", "云市监立〔2026〕31号", -2),
        ("b", tree.other_market, users.officer_b, "青石县远航贸易有限公司", "青市监立〔2026〕32号", 3),
    ]:
        region = tree.county if key == "a" else tree.other_county
        party = Party.objects.create(kind=Party.LEGAL, name=party_name, region=region, agency=agency)
        officer = Officer.objects.create(name=f"执法{key}", id_number="610113199003071237" if key == "a"
                                         else "440524198001010013", home_agency=agency, user=user)
        case = Case.objects.create(stage="investigation", agency=agency, item=item, party=party,
                                   cause=f"{party_name[:2]}标签案", occurred_on=today - datetime.timedelta(days=30),
                                   place="人民路", number=number, next_deadline=today + datetime.timedelta(days=days),
                                   next_deadline_label="作出处罚决定")
        case.save()
        CaseOfficer.objects.create(case=case, officer=officer, role="lead")
        made[key] = case
    return made


def test_desk_search_and_menu_on_a_phone(page, tree, users):
    from zhifa.workspace.models import Message

    cases = _world(tree, users)
    Message.objects.create(user=users.officer_a, kind=Message.REMINDER, title="案件即将到期")
    login(page, "officer_a", PASSWORD)
    page.goto("/")
    todo = page.locator("#todo-list li.todo").first
    assert "云市监立〔2026〕31号" in todo.inner_text() and "已超期2天" in todo.inner_text()
    assert "urgency-overdue" in (todo.get_attribute("class") or "")
    # the menu: hidden behind the phone's menu button, grouped, a group opens inline
    assert not page.locator("nav.mainnav").is_visible()
    page.click("label.nav-toggle-label")
    badge = page.locator("nav.mainnav a.msgs .badge")
    badge.wait_for(state="visible")  # the unread count, fetched by the static script
    assert badge.inner_text() == "1"
    group = page.locator("details.navgroup", has=page.locator("summary", has_text="办案"))
    group.locator("summary").click()
    link = group.locator("a", has_text="办案工作台")
    assert link.is_visible()
    assert page.locator("details.navgroup a", has_text="监督驾驶舱").count() == 0  # trimmed for an officer
    # the header's search box
    page.fill("form.globalsearch input[name=q]", "标签案")
    page.click("form.globalsearch button[type=submit]")
    page.wait_for_url("**/workspace/search/**")
    results = page.locator("section.search-group[data-kind='case']").inner_text()
    assert "云市监立〔2026〕31号" in results and "青市监立〔2026〕32号" not in results
    page.click(f"section.search-group a[href='{cases['a'].get_absolute_url()}']")
    page.wait_for_url(f"**{cases['a'].get_absolute_url()}")
    # the todo links to the exact page
    page.goto("/")
    page.click("#todo-list li.todo a")
    page.wait_for_url(f"**{cases['a'].get_absolute_url()}")


def test_dashboard_charts_render_without_csp_violation(page, tree, users):
    _world(tree, users)
    login(page, "head_a", PASSWORD)
    watch = Violations(page)
    found = watch.visit("/workspace/dashboard/", ready="#chart-year[data-rendered='1']")
    assert found == []
    assert page.locator("#chart-workload canvas").count() >= 1
    assert page.locator("#chart-year canvas").count() >= 1


def test_case_page_tabs_on_a_phone(page, tree, users):
    """The case page's tabs show one group of sections at a time; the stepper marks the stage."""
    cases = _world(tree, users)
    login(page, "officer_a", PASSWORD)
    page.goto(cases["a"].get_absolute_url())
    assert page.locator(".stepper .step.current").inner_text() == "调查取证"
    assert page.locator("#officers").is_visible() and not page.locator("#evidence").is_visible()
    page.click("#case-tabs a[data-tab='evidence']")
    # a function, not an expression: polling an expression needs eval, which the CSP forbids
    page.wait_for_function("() => !document.getElementById('evidence').hidden")
    assert page.locator("#evidence").is_visible() and not page.locator("#officers").is_visible()
    page.click("#case-tabs a[data-tab='timeline']")
    page.wait_for_function("() => !document.getElementById('timeline').hidden")
    assert not page.locator("#evidence").is_visible()
