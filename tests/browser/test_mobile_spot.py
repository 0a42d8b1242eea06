"""掌上执法 in Chromium with the network switched off (issue #15 items 7 and 9): an on-the-spot
decision filled in offline on a reserved number and shown to the party from local data, then
synced into exactly one case with that number; and a decision PDF viewed from the phone's copy
with no network."""

import io

import pytest

from tests.browser.conftest import login, wait_for_service_worker
from zhifa.cases import choices
from zhifa.cases.models import Case, CaseDocument
from zhifa.cases.tests.conftest import open_general, world  # noqa: F401  (fixtures)
from zhifa.core import clock
from zhifa.core.testing import PASSWORD
from zhifa.mobile import numbers
from zhifa.mobile.models import Capture, ReservedNumber

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(autouse=True)
def _documents_wait_for_the_worker(settings):
    """The decision's PDF is converted by the task layer; here it waits in the queue."""
    settings.ZHIFA_JOBS_SYNC = False


def _offline_with_the_app_cached(page):
    page.goto("/m/")
    page.wait_for_selector("body[data-ready='1']")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.text_content("#net") == "离线"


def test_a_spot_decision_captured_offline_becomes_one_case_with_its_reserved_number(page, world):  # noqa: F811
    block = numbers.reserve(actor=world.officer_user, count=2, device_label="测试手机")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 34.258333, "longitude": 108.928667})
    page.goto("/accounts/login/", timeout=120_000)  # the live server's first page may be slow on a busy machine
    login(page, world.officer_user.username, PASSWORD)
    _offline_with_the_app_cached(page)
    page.wait_for_selector("#spot-numbers[data-free='2']")
    assert block[0].number in page.text_content("#spot-numbers")

    page.select_option("#spot-party", "")
    page.select_option("#spot-party-kind", "natural")
    page.fill("#spot-party-name", "王小明")
    page.fill("#spot-party-id", "610113199003071237")
    page.select_option("#spot-item", str(world.item.pk))
    assert "第一百二十五条" in page.text_content("#spot-basis")
    page.fill("#spot-place", "人民路与东风街交叉口")
    page.fill("#spot-facts", "设摊经营标签不符合规定的食品。")
    page.select_option("#spot-level", "light")
    page.check("input[name=spot-penalty][value=fine]")
    page.fill("#spot-fine", "300")
    page.fill("#spot-deviation", "当场处罚限额以内（处罚法第五十一条）。")
    page.check("#spot-certificate")
    page.check("#spot-heard")
    page.select_option("#spot-signed", "refused")
    page.click("#spot-save")
    # refused on the phone: over the Art. 51 limit (the check runs after the phone's own database
    # is read for a free number: wait for it)
    page.wait_for_function("() => document.getElementById('spot-error').textContent.includes('不得超过200元')")
    assert page.locator("#queue li").count() == 0

    page.fill("#spot-fine", "100")
    page.click("#spot-save")
    page.wait_for_selector("#spot-view:not([hidden])")
    sheet = page.text_content("#spot-sheet")
    for text in (block[0].number, "王小明", "罚款人民币100元", "行政复议", "人民路与东风街交叉口", "李明", "拒绝签名",
                 "云岭县市场监督管理局"):
        assert text in sheet, text
    page.wait_for_selector("#spot-numbers[data-free='1']")
    assert not Capture.objects.exists() and not Case.objects.exists()

    page.reload()  # still offline: the decision is shown again from the phone's own data
    page.wait_for_selector("body[data-ready='1']")
    page.click(f"#spot-list li[data-number='{block[0].number}'] button")
    assert block[0].number in page.text_content("#spot-sheet")

    page.context.set_offline(False)
    page.wait_for_function("() => document.querySelectorAll('#queue li[data-state=accepted]').length === 1",
                           timeout=60_000)
    case = Case.objects.get()
    assert case.decision_number == block[0].number and case.party.name == "王小明"
    assert float(Capture.objects.get().latitude) == pytest.approx(34.258333)
    assert ReservedNumber.objects.get(pk=block[0].pk).state == "used"
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    page.click("#sync")
    page.wait_for_function("() => document.querySelectorAll('#queue li[data-state=accepted]').length === 1")
    assert Case.objects.count() == 1 and Capture.objects.count() == 1


def test_a_decision_pdf_is_viewed_with_no_network(page, world, open_general):  # noqa: F811
    from zhifa.records.services import store_file

    case = open_general()
    Case.objects.filter(pk=case.pk).update(procedure=choices.SIMPLE, stage="execution", decided_on=clock.today(),
                                           decision_number="云岭县市场监管局当罚〔2026〕9号")
    content = b"%PDF-1.4\n" + b"7" * 900
    pdf = store_file(io.BytesIO(content), "当场处罚决定书.pdf", "application/pdf")
    document = CaseDocument.objects.create(case=case, code="on_the_spot_decision", title="当场行政处罚决定书",
                                           docx=pdf, pdf=pdf, generated_by=world.officer_user)
    login(page, world.officer_user.username, PASSWORD)
    page.goto("/m/")
    page.wait_for_selector("body[data-pdf-cached='1']", timeout=30_000)
    _offline_with_the_app_cached(page)
    url = f"/cases/{case.pk}/documents/{document.pk}/pdf/"
    size = page.evaluate("async (url) => (await window.ZhifaPdfCache.blob(url)).size", url)
    assert size == len(content)
    with page.expect_popup() as popup:
        page.click(f"#decisions li[data-case='{case.pk}'] a.view")
    assert popup.value.url.startswith("blob:")
