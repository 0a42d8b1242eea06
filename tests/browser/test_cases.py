"""The on-the-spot procedure (当场处罚) end to end on a phone screen (375 px), in headless Chromium.

The live server runs on the real clock, so every date here is relative to today.
"""

import datetime
import re

from django.utils import timezone

from tests.browser.conftest import assert_fits_phone, login
from zhifa.cases.models import Case
from zhifa.catalog import choices as cc
from zhifa.catalog import services as catalog
from zhifa.core.testing import PASSWORD, fields
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate


def _world(tree, users):
    """A certified officer of 云岭县市场监管局 and a penalty item whose benchmark allows small fines."""
    today = timezone.localdate()
    f = fields()
    item = catalog.create_item(
        agency=tree.market, code="SCJG-CF-0901", kind="penalty", field=f["SCJG"], valid_from=datetime.date(2020, 1, 1),
        version={
            "name": "对食品摊贩未公示信息的行政处罚", "law_name": "《陕西省食品小作坊小餐饮及摊贩管理条例》",
            "article": 58, "paragraph": 1, "basis_text": "食品摊贩未在经营场所显著位置公示信息卡的。",
            "penalty_basis": "《陕西省食品小作坊小餐饮及摊贩管理条例》第五十八条第一款",
            "violated_provision": "《陕西省食品小作坊小餐饮及摊贩管理条例》第三十二条",
        },
    )
    catalog.issue_benchmark(
        item,
        {"valid_from": datetime.date(2022, 1, 1), "review_due": today + datetime.timedelta(days=700),
         "document": "秦市监规〔2022〕5号", "statutory_min": 0, "statutory_max": 200},
        catalog.banded_tiers(0, 200, kinds=(cc.WARNING, cc.FINE)),
    )
    officer = Officer.objects.create(name="李明", id_number="610113199003071237", home_agency=tree.market,
                                     user=users.officer_a)
    issue_certificate(officer, number="61992120240001", fields=[f["SCJG"]], issuing_authority="秦川市人民政府",
                      issued_on=today - datetime.timedelta(days=100), expires_on=today + datetime.timedelta(days=1800))
    return item


def test_on_the_spot_fine_paid_and_closed_on_a_phone(page, users, tree, tmp_path, settings):
    """An officer fines a street vendor 100 yuan at the scene on a phone, hands over the decision,
    records the bank's payment and closes the case — never wider than the phone's screen."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ZHIFA_UPLOAD_TEMP_DIR = str(tmp_path / "media" / "tmp")
    item = _world(tree, users)
    login(page, "officer_a", PASSWORD)

    page.goto("/cases/workbench/")
    assert_fits_phone(page, "办案工作台")
    page.click("text=当场处罚")
    page.wait_for_url("**/cases/on-the-spot/")
    assert_fits_phone(page, "当场处罚页面")

    page.select_option("#id_item", str(item.pk))
    page.check("input[name=party_mode][value=new]")
    assert page.is_hidden("#party-existing") and page.is_visible("#party-new")
    page.fill("#id_new_party-name", "王小明")
    page.fill("#id_new_party-id_number", "11010519491231002X")
    page.fill("#id_new_party-address", "云岭县人民路2号")
    page.fill("#id_place", "云岭县人民路与东风街交叉口")
    page.fill("#id_facts", "当事人在人民路设摊经营凉皮，未在显著位置公示食品摊贩信息卡。")
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"JFIF" + bytes(5000))
    page.set_input_files("#id_photo", str(photo))
    page.wait_for_function("() => document.getElementById('id_stored_file').value !== ''")  # a function: an expression would need eval, which the CSP forbids
    page.select_option("#id_level", cc.ORDINARY)
    page.check(f"input[name=penalty_kinds][value={cc.FINE}]")
    page.fill("#id_fine_amount", "100")
    page.check("#id_certificate_shown")
    page.check("#id_party_heard")
    assert_fits_phone(page, "填好的当场处罚页面")
    with page.expect_navigation(timeout=120_000):
        page.click("#decide", no_wait_after=True)  # the decision renders documents: may exceed the click timeout under load
    page.wait_for_url(re.compile(r".*/cases/\d+/on-the-spot/$"))
    number = page.inner_text("#decision-number")
    assert re.fullmatch(r"云岭县市场监管局当罚〔\d{4}〕\d+号", number), number
    assert page.is_visible("text=当场行政处罚决定书（PDF）")
    assert_fits_phone(page, "处罚决定页面")

    case = Case.objects.get()
    assert case.decision_number == number and case.fine_amount == 100 and case.stage == "execution"
    assert case.evidence.count() == 1 and case.party.name == "王小明" and case.cause == "食品摊贩未公示信息案"

    page.click("text=打开案件")
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "全过程记录完整" in page.inner_text("#verify")
    assert "罚款尚未缴清" in page.inner_text("[data-step=close]")
    assert_fits_phone(page, "案件页面")

    page.click("#payments >> text=登记缴款")
    page.wait_for_url(f"**/cases/{case.pk}/payments/new/")
    assert page.input_value("#id_amount") == "100.00"
    page.fill("#id_bank", "秦川市农商银行云岭支行")
    page.fill("#id_bank_reference", f"NS{timezone.localdate():%Y%m%d}0001")
    assert_fits_phone(page, "登记缴款页面")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/#payments")
    assert "已登记缴款100.00 元" in page.inner_text(".messages")

    page.click("[data-step=close] >> text=结案备案")
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "已结案备案" in page.inner_text(".messages")
    assert "已结案（已备案）" in page.inner_text("#case-title")
    assert_fits_phone(page, "结案后的案件页面")
    case.refresh_from_db()
    assert case.stage == "closed" and case.closed_on == timezone.localdate() and case.executed_on is not None
