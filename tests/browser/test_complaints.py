"""A citizen complains on the portal from a phone (SUP-3): the browser's own proof-of-work
(static script, no online CAPTCHA) enables the submit button, the query code is shown once and
opens the status page; staff then handle it, and the identity stays off the pages of anyone
outside the handling chain."""

from django.test import override_settings

from tests.browser.conftest import assert_fits_phone, login
from zhifa.core.testing import PASSWORD
from zhifa.supervision.models.complaints import Complaint


@override_settings(ZHIFA_COMPLAINT_POW_BITS=12, ZHIFA_COMPLAINT_MIN_SECONDS=0)
def test_citizen_complains_on_a_phone_and_follows_it_with_the_query_code(page, browser, live_server, tree, users):
    page.goto("/public/complaints/new/", timeout=120_000)  # the first request starts the live server
    assert_fits_phone(page, "投诉举报表单")
    submit = page.locator("#complaint-submit")
    assert not page.locator("input[name=website]").is_visible()  # the honeypot is hidden
    page.select_option("select[name=kind]", "tip")
    page.select_option("select[name=region]", str(tree.county.pk))
    page.select_option("select[name=agency]", str(tree.market.pk))
    page.fill("input[name=subject]", "餐馆使用过期食材")
    page.fill("textarea[name=content]", "人民路8号餐馆后厨有大量过期食材。")
    page.fill("input[name=name]", "赵公众")
    page.fill("input[name=phone]", "13600000000")
    page.wait_for_function("() => !document.getElementById('complaint-submit').disabled", timeout=60_000)
    assert page.locator("input[name=proof]").input_value().isdigit()
    submit.click()
    page.wait_for_selector(".query-code .code")
    code = page.locator(".query-code .code").inner_text().strip()
    assert len(code.replace("-", "")) == 16
    complaint = Complaint.objects.get()
    assert complaint.source == "portal" and complaint.agency == tree.market

    page.goto("/public/complaints/status/")
    page.fill("input[name=code]", code)
    page.click("form.search-form button[type=submit]")
    page.wait_for_selector("dl.fields")
    text = page.locator("main").inner_text()
    assert complaint.number in text and "待受理" in text
    assert "赵公众" not in page.content() and "13600000000" not in page.content()
    assert_fits_phone(page, "投诉举报查询页")

    # The head of the bureau (not a handler) sees the complaint but not who sent it.
    staff = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", base_url=live_server.url)
    staff_page = staff.new_page()
    try:
        login(staff_page, "head_a", PASSWORD)
        staff_page.goto(f"/supervision/complaints/{complaint.pk}/")
        body = staff_page.locator("main").inner_text()
        assert "餐馆使用过期食材" in body and "匿名/已隐藏" in body
        assert "赵公众" not in staff_page.content() and "13600000000" not in staff_page.content()
        staff_page.click("a.button:has-text('受理')")
        staff_page.click("form.edit button[type=submit]")
        staff_page.wait_for_url(f"**/supervision/complaints/{complaint.pk}/")
        assert "已受理" in staff_page.locator("main").inner_text()
    finally:
        staff.close()
