"""Test helpers for signing in: second-factor devices, computed TOTP codes, and test clients
whose ``login``/``force_login`` complete the whole sign-in.

Tests that are not about signing in use ``client``/``api_client`` (conftest.py): for an account
that needs a second factor these clients also mark the session verified with the account's
authenticator, as if the code had been typed. The sign-in itself is tested through the real
pages and the token endpoint with codes computed by ``totp_code`` (accounts/tests).
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient


def ensure_totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator (one is created if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="测试身份验证器", confirmed=True)


def totp_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code the authenticator shows now (or ``offset_steps`` periods later), as typed."""
    device.refresh_from_db()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                drift=device.drift + offset_steps)
    return f"{code:0{device.digits}d}"


def code_from_secret(secret: str) -> str:
    """The current code for a base32 secret as shown on the enrolment page."""
    import base64

    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key):06d}"


class _VerifiedLoginMixin:
    def _login(self, user, backend=None):
        from .services import needs_second_factor

        super()._login(user, backend)
        if needs_second_factor(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = ensure_totp_device(user).persistent_id
            session.save()


class VerifiedClient(_VerifiedLoginMixin, Client):
    """Django's test client; ``login``/``force_login`` include the second factor."""


class VerifiedAPIClient(_VerifiedLoginMixin, APIClient):
    """DRF's test client; ``login``/``force_login`` include the second factor."""
