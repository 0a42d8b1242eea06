"""The authentication backend: Django's, refusing locked accounts before the password check."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied


class LockoutModelBackend(ModelBackend):
    """``ModelBackend`` that refuses a locked account (web sign-in, API token, test client
    alike). Refusing with PermissionDenied stops authentication and sends ``user_login_failed``,
    which logs the attempt (``accounts.signals``)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from .services import locked_until

        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username and locked_until(username) is not None:
            raise PermissionDenied("账户已锁定")
        return super().authenticate(request, username=username, password=password, **kwargs)
