"""A coercive measure on the case page, on a phone (375 px): the agency head approves the
officer's application to seize goods with the button the measure procedure offers, and the page
shows the new stage and the next steps (the live server runs on the real clock)."""

import datetime

from django.utils import timezone

from tests.browser.conftest import assert_fits_phone, login
from tests.browser.test_cases import _world
from zhifa.accounts import roles
from zhifa.cases import services
from zhifa.cases.coercion import services as coercion
from zhifa.core.testing import PASSWORD, fields, make_user
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate


def test_head_approves_a_seizure_on_the_case_page(page, users, tree):
    item = _world(tree, users)
    today = timezone.localdate()
    second_user = make_user("officer_a2", roles.OFFICER, agency=tree.market, display_name="周强")
    second = Officer.objects.create(name="周强", id_number="440524198001010013", home_agency=tree.market, user=second_user)
    issue_certificate(second, number="61992120240002", fields=[fields()["SCJG"]], issuing_authority="秦川市人民政府",
                      issued_on=today - datetime.timedelta(days=100), expires_on=today + datetime.timedelta(days=1800))
    head_unit = make_user("unit_head_a", roles.UNIT_HEAD, agency=tree.market, display_name="王队长")
    party = Party.objects.create(kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L",
                                 legal_representative="李四", address="云岭县人民路1号", region=tree.county, agency=tree.market)
    first = Officer.objects.get(user=users.officer_a)
    case = services.open_case(actor=users.officer_a, agency=tree.market, item=item, party=party, cause="食品摊贩未公示信息案",
                              occurred_on=today - datetime.timedelta(days=3), place="云岭县人民路1号",
                              facts="未公示信息卡。", officers=[first, second])
    services.perform_transition(case, "file", actor=head_unit)
    services.perform_transition(case, "investigate", actor=users.officer_a)
    coercion.start_measure(case, actor=users.officer_a, kind="seize", reasons="涉案食品无标签，为防止继续销售，",
                           basis="《中华人民共和国食品安全法》第一百一十条第（四）项",
                           inventory=[{"name": "散装糕点", "quantity": "5", "unit": "千克"}])

    page.set_default_timeout(60_000)  # a loaded 2-core machine: the live server answers slowly
    page.set_default_navigation_timeout(60_000)
    login(page, "head_a", PASSWORD)
    page.goto(case.get_absolute_url() + "#coercion")
    section = page.locator("#coercion")
    assert "扣押财物" in section.inner_text() and "待批准" in section.inner_text()
    assert_fits_phone(page, "案件页（行政强制）")
    section.locator("a.button", has_text="批准实施").click()
    page.fill("textarea[name=opinion]", "同意扣押。")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/**")
    text = page.locator("#coercion").inner_text()
    assert "已批准待实施" in text and "批准" in text
    # approved: the approval button is gone, the next step is the officers'
    assert page.locator("#coercion a.button", has_text="批准实施").count() == 0
    assert_fits_phone(page, "案件页（已批准）")
