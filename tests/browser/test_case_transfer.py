"""A case transfer round trip on a phone (375 px): 云岭县市场监管局's officer sends a case to
青石县市场监管局 (a 移送函 is generated); the receiving officer signs for it from the transfer list;
the receiving head accepts it and the case opens for the receiver. The live server runs on the
real clock."""


from tests.browser.conftest import assert_fits_phone, login
from tests.browser.scenario import open_food_label_case
from zhifa.accounts import roles
from zhifa.cases.models import Case
from zhifa.core.testing import PASSWORD, make_user


def test_a_case_is_sent_signed_for_and_accepted_on_a_phone(page, tree, users, jobs_at_once):
    """Send from the case page, sign for it from the receiver's list, accept: the case is the receiver's."""
    case = open_food_label_case(tree, users, place="青石县解放路1号")
    make_user("head_b", roles.AGENCY_HEAD, agency=tree.other_market, display_name="青石局长")
    page.set_default_timeout(60_000)  # a shared, busy machine: the first request of the live server is slow
    login(page, "officer_a", PASSWORD)
    page.goto(case.get_absolute_url())
    page.click("text=移送其他机关")
    page.wait_for_url(f"**/coordination/cases/{case.pk}/transfer/")
    assert_fits_phone(page, "移送案件表单")
    page.select_option("#id_to_agency", str(tree.other_market.pk))
    page.fill("#id_reason", "违法行为发生地在青石县，本局无管辖权。")
    page.click("button:has-text('移送并生成移送函')")
    page.wait_for_selector("text=已移送，已生成案件移送函")
    assert "已移送，待签收" in page.inner_text("body") and "案件移送函" in page.inner_text("body")
    assert_fits_phone(page, "移送详情")

    page.context.clear_cookies()
    login(page, "officer_b", PASSWORD)
    page.goto("/coordination/case-transfers/")
    page.locator("table a").first.click()
    page.wait_for_url("**/coordination/case-transfers/*/")
    assert "经营标签不符合规定的食品案" in page.inner_text("body")
    page.click("button:has-text('签收')")
    page.wait_for_selector("text=已签收，待接收或退回")

    page.context.clear_cookies()
    login(page, "head_b", PASSWORD)
    page.goto("/coordination/case-transfers/")
    page.locator("table a").first.click()
    page.click("button:has-text('接收案件')")
    page.wait_for_selector("text=已接收")
    assert_fits_phone(page, "接收后的移送详情")
    assert Case.objects.get(pk=case.pk).agency_id == tree.other_market.pk
    page.click("text=打开案件")
    page.wait_for_url(f"**{case.get_absolute_url()}")
