"""The authentication backend: Django's, refusing locked accounts before the password check."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied


class LockoutModelBackend(ModelBackend):
    """``ModelBackend`` that refuses a locked account (web sign-in, API token, test client
    alike). Refusing with PermissionDenied stops authentication and sends ``user_login_failed``,
    which logs the attempt (``accounts.signals``).

    The signed-in user of a session is read with the organisation node their scope comes from
    (their agency, or a supervisor's region) in the same statement: every scoped page and API
    call needs it, and it was a second round trip on each (issue #14). A member of a unit who
    has no agency of their own (rare: a unit member normally carries the unit's agency too)
    reads the unit and its agency when the scope is asked; joining them for everyone cost each
    request more (two more joins to plan, two more models to build) than it saved them."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("agency", "region")
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
