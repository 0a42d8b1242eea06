"""Sign-in with a second factor in Chromium at phone width (等保 三级 身份鉴别)."""

from tests.browser.conftest import assert_fits_phone
from zhifa.accounts.testing import code_from_secret
from zhifa.core.testing import PASSWORD

SUBMIT_CODE = "form:has(input[name=token]) button[type=submit]"

def test_supervisor_enrols_an_authenticator_and_signs_in_with_its_code(page, users):
    """First sign-in of a supervisor: the enrolment page (QR code drawn on the server), a code
    computed from the shown secret, the recovery codes; then a second sign-in with a code."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "supervisor_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/security/otp/**")
    assert page.locator(".qr svg").count() == 1
    assert_fits_phone(page, "绑定身份验证器页")
    secret = page.locator(".otp-secret").inner_text()
    page.fill("input[name=token]", code_from_secret(secret))
    page.click(SUBMIT_CODE)
    page.locator(".recovery-codes").wait_for()
    assert page.locator(".recovery-codes li").count() == 10
    assert_fits_phone(page, "恢复码页")
    page.click("text=我已保存，继续")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert page.locator("h1").inner_text() == "工作台"
    # Sign out, sign in again: now the code page, with a recovery code (the TOTP code of this
    # period has been used once already).
    page.goto("/accounts/security/")
    assert "已绑定身份验证器" in page.locator("dl.fields").inner_text()
    page.click("label.nav-toggle-label")
    page.click("nav.mainnav button:has-text('退出')")
    page.wait_for_url("**/accounts/login/**")
    from zhifa.accounts import services
    from zhifa.accounts.models import User

    recovery = services.new_recovery_codes(User.objects.get(username="supervisor_a"))[0]
    page.fill("input[name=username]", "supervisor_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/login/otp/**")
    assert_fits_phone(page, "动态口令页")
    page.fill("input[name=token]", "000000")
    page.click(SUBMIT_CODE)
    assert "不正确" in page.locator(".has-error").inner_text()
    page.fill("input[name=token]", recovery)
    page.click(SUBMIT_CODE)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.locator("h1").inner_text() == "工作台"
