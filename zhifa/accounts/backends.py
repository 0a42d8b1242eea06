"""The authentication backend: Django's, refusing locked accounts before the password check."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied


class LockoutModelBackend(ModelBackend):
    """``ModelBackend`` that refuses a locked account (web sign-in, API token, test client
    alike). Refusing with PermissionDenied stops authentication and sends ``user_login_failed``,
    which logs the attempt (``accounts.signals``).

    The signed-in user of a session is read with the organisation node their scope comes from
    (agency, region, unit and its agency) in the same statement: every scoped page and API call
    needs it, and it was a second round trip on each (issue #14)."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("agency", "region", "unit__agency")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        from .services import locked_until

        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username and locked_until(username) is not None:
            raise PermissionDenied("账户已锁定")
        return super().authenticate(request, username=username, password=password, **kwargs)
