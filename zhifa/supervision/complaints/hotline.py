"""Authentication of the 12345 / 12348 hotline systems (热线系统接入).

Each hotline system (``HotlineSystem``) signs every request with its own secret::

    X-Hotline-System: 12345-619900
    X-Hotline-Timestamp: 1796000000            (Unix seconds; at most 5 minutes off)
    X-Hotline-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>

— the same scheme the platform uses when it pushes statuses back (``zhifa.core.outbox``), so a
hotline integrator writes one signing routine for both directions. A request signed otherwise,
too old or from an inactive system is refused with 401. Replays within the window are harmless:
work orders are idempotent on their number.
"""

import hashlib
import hmac
import time

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from ..models.complaints import HotlineSystem

WINDOW_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value of ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signed_headers(system_code: str, secret: str, body: bytes, now: float | None = None) -> dict:
    """The three headers of a signed request (for hotline integrators' tests and the demo)."""
    timestamp = str(int(now if now is not None else time.time()))
    return {"X-Hotline-System": system_code, "X-Hotline-Timestamp": timestamp,
            "X-Hotline-Signature": sign(secret, timestamp, body)}


class HotlinePrincipal:
    """The ``request.user`` of a signed hotline request: authenticated, no role, no scope."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_anonymous = False
    role = ""
    pk = None

    def __init__(self, system: HotlineSystem):
        self.system = system

    def __str__(self):
        return str(self.system)

    def has_capability(self, area, action):
        return False


class HotlineSignatureAuthentication(authentication.BaseAuthentication):
    """A request signed by a registered, active hotline system."""

    def authenticate(self, request):
        code = request.META.get("HTTP_X_HOTLINE_SYSTEM")
        if not code:
            return None
        timestamp = request.META.get("HTTP_X_HOTLINE_TIMESTAMP", "")
        signature = request.META.get("HTTP_X_HOTLINE_SIGNATURE", "")
        system = HotlineSystem._base_manager.filter(code=code, active=True).first()
        if system is None:
            raise exceptions.AuthenticationFailed("热线系统未登记或已停用。")
        try:
            skew = abs(time.time() - int(timestamp))
        except ValueError:
            raise exceptions.AuthenticationFailed("请求时间戳无效。") from None
        if skew > WINDOW_SECONDS:
            raise exceptions.AuthenticationFailed("请求时间戳超出允许范围（5分钟）。")
        body = request._request.body
        if not hmac.compare_digest(sign(system.secret, timestamp, body), signature):
            raise exceptions.AuthenticationFailed("请求签名无效。")
        return HotlinePrincipal(system), system

    def authenticate_header(self, request):
        return 'HMAC-SHA256 realm="hotline"'


class IsHotlineSystem(permissions.BasePermission):
    """Only a signed hotline system (never a staff account) calls the work-order API."""

    def has_permission(self, request, view):
        return isinstance(request.auth, HotlineSystem)


class HotlineSignatureScheme(OpenApiAuthenticationExtension):
    """The signature scheme in the OpenAPI document."""

    target_class = "zhifa.supervision.complaints.hotline.HotlineSignatureAuthentication"
    name = "hotlineSignature"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Hotline-Signature",
                "description": "热线系统签名：X-Hotline-System、X-Hotline-Timestamp 和 "
                               "X-Hotline-Signature: sha256=HMAC-SHA256(密钥, 时间戳 + \".\" + 请求体)"}
