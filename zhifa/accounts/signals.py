"""Sign-in, failed sign-in and sign-out go to the audit trail, whatever path caused them."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from zhifa.core.audit import log_security_event

LAST_SEEN_KEY = "zhifa_last_seen"
CHECKED_KEY = "zhifa_sign_in_checked"  # (user id, time) the sign-in steps were last found complete


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    from .services import register_failure

    register_failure(username=credentials.get("username", ""), request=request)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    import time

    from .services import needs_second_factor, register_success

    pending = needs_second_factor(user) and getattr(user, "otp_device", None) is None
    if not pending:  # with a second factor pending, failures count on until the code is right
        register_success(user)
    log_security_event("login", user=user, request=request,
                       result="密码正确，待验证动态口令" if pending else "成功")
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = time.time()
        request.session.pop(CHECKED_KEY, None)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "zhifa_logout_reason", "")
    log_security_event("logout", user=user, request=request, result=reason or "本人退出")
