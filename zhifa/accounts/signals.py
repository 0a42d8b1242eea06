"""Sign-in, failed sign-in and sign-out go to the audit trail, whatever path caused them.

At sign-in the steps the session still has to pass (second factor, new password) are worked
out once and kept in the session, so that ``SignInPolicyMiddleware`` checks them without a
query on every request."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from zhifa.core.audit import log_security_event

LAST_SEEN_KEY = "zhifa_last_seen"
STEPS_KEY = "zhifa_sign_in_steps"  # {"otp": bool, "password": reason or ""}


def sign_in_steps(user) -> dict:
    """What a session of ``user`` must still pass: a second factor, a password change."""
    from .services import needs_second_factor, password_change_required

    return {"otp": needs_second_factor(user), "password": password_change_required(user)}


def step_done(request, step: str) -> None:
    """Mark a sign-in step as passed in this session ("password"), or newly needed ("otp")."""
    steps = dict(request.session.get(STEPS_KEY) or {"otp": False, "password": ""})
    steps[step] = True if step == "otp" else ""
    request.session[STEPS_KEY] = steps


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    from .services import register_failure

    register_failure(username=credentials.get("username", ""), request=request)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    from .services import register_success

    steps = sign_in_steps(user)
    pending = steps["otp"] and getattr(user, "otp_device", None) is None
    if not pending:  # with a second factor pending, failures count on until the code is right
        register_success(user)
    log_security_event("login", user=user, request=request,
                       result="密码正确，待验证动态口令" if pending else "成功")
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = time.time()
        request.session[STEPS_KEY] = steps


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "zhifa_logout_reason", "")
    log_security_event("logout", user=user, request=request, result=reason or "本人退出")
