"""On a phone (375 px, Chromium): the officer types the enterprise's supervision code on arrival
(扫码入企), and the enterprise opens its own inspections on the portal and evaluates the visit."""

import pytest

from tests.browser.conftest import assert_fits_phone, login
from zhifa.core.testing import PASSWORD
from zhifa.inspections.acts import services
from zhifa.inspections.tests.conftest import fixed_today, inspect, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_officer_scans_in_and_enterprise_evaluates_on_a_phone(page, world, inspect):  # noqa: F811
    inspection = inspect()
    services.perform(inspection, "approve", actor=world.head)
    services.perform(inspection, "notify", actor=world.officer_user)
    code = services.code_for(world.company).code

    login(page, world.officer_user.username, PASSWORD)
    page.goto(f"/inspections/acts/{inspection.pk}/")
    assert_fits_phone(page, "检查页面")
    page.click("text=扫码进场")
    page.fill("input[name=code]", code.lower())
    page.fill("input[name=place]", "企业大门")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"**/inspections/acts/{inspection.pk}/")
    assert "现场检查中" in page.content() and "手工输入监管码" in page.content()
    inspection.refresh_from_db()
    assert inspection.scan_place == "企业大门"

    page.context.clear_cookies()
    page.goto("/public/enterprise-inspections/")
    assert_fits_phone(page, "企业查询")
    page.fill("input[name=credit_code]", world.company.credit_code)
    page.fill("input[name=code]", code)
    page.click("form.edit button[type=submit]")
    page.wait_for_url("**/public/enterprise-inspections/mine/")
    assert inspection.number in page.content()
    assert_fits_phone(page, "企业的检查")
    page.select_option(f"#id_rating_{inspection.pk}", "4")
    page.fill(f"#id_comment_{inspection.pk}", "检查人员出示了证件，流程规范。")
    page.click(f"#inspection-{inspection.pk} button[type=submit]")
    page.wait_for_url("**/public/enterprise-inspections/mine/")
    assert "感谢您的评价" in page.content()
    assert inspection.evaluations.get().rating == 4
