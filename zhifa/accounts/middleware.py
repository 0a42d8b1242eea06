"""Session rules for signed-in users (after django-otp's ``OTPMiddleware``):

1. idle timeout — a session unused for ``ZHIFA_SESSION_IDLE_MINUTES`` is signed out (logged);
2. second factor — an account that needs one reaches nothing but the verification or
   enrolment page until its session is verified;
3. password — an expired password, or one reset by the security administrator, must be
   changed before anything else.

What a session still has to pass is worked out at sign-in (``signals.sign_in_steps``) and kept
in the session; a verified second factor is django-otp's ``user.is_verified()``, which fails
as soon as the device is removed.

Pages answer with a redirect; the session-authenticated API with a structured 403 error.
API requests with a token are not session requests: tokens are only issued after both
factors (``POST /api/auth/token/``).
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .signals import LAST_SEEN_KEY, STEPS_KEY, sign_in_steps

# The session's last-use time is written at most this often (a session is saved only when it
# changes, and the cookie lives one idle period from its last save).
TOUCH_SECONDS = 60

OPEN_PREFIXES = ("/static/", "/media/", "/public/", "/api/public/", "/healthz", "/api/auth/token/")


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"status": 403, "code": code, "message": message}}, status=403)


class SignInPolicyMiddleware:
    """Idle timeout, second-factor and password-change steps for session users."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.check(request)
        return response if response is not None else self.get_response(request)

    def check(self, request):
        if request.path.startswith(OPEN_PREFIXES) or not hasattr(request, "session"):
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - last_seen > settings.ZHIFA_SESSION_IDLE_MINUTES * 60:
            request.zhifa_logout_reason = f"空闲超过 {settings.ZHIFA_SESSION_IDLE_MINUTES} 分钟，自动退出"
            logout(request)
            if _is_api(request):
                return _api_error("session_expired", "会话已超时，请重新登录。")
            messages.info(request, "您长时间未操作，已自动退出，请重新登录。")
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if last_seen is None or now - last_seen > TOUCH_SECONDS:
            request.session[LAST_SEEN_KEY] = now
        return self.check_steps(request, user)

    @staticmethod
    def step_urls():
        return {reverse("login"), reverse("logout"), reverse("accounts:otp_verify"),
                reverse("accounts:otp_setup"), reverse("accounts:password_change")}

    def check_steps(self, request, user):
        from . import services

        if request.path in self.step_urls():
            return None
        steps = request.session.get(STEPS_KEY)
        if steps is None:  # a session from before these rules
            steps = request.session[STEPS_KEY] = sign_in_steps(user)
        query = "" if _is_api(request) else "?" + urlencode({"next": request.get_full_path()})
        if steps["otp"] and not user.is_verified():
            if services.has_second_factor(user):
                if _is_api(request):
                    return _api_error("otp_required", "请先在网页上输入动态口令完成登录。")
                return redirect(reverse("accounts:otp_verify") + query)
            if _is_api(request):
                return _api_error("otp_enrolment_required", "您的角色必须使用双因素认证，请先在网页上绑定身份验证器。")
            return redirect(reverse("accounts:otp_setup") + query)
        reason = steps["password"]
        if reason:
            if _is_api(request):
                return _api_error("password_change_required", reason)
            return redirect(reverse("accounts:password_change") + query)
        return None
