"""API token authentication with expiry (``ZHIFA_API_TOKEN_HOURS``) and lock-out."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from zhifa.core.audit import log_security_event


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; an expired token is deleted (logged) and refused, and a
    locked account's token is refused while the lock lasts."""

    def authenticate_credentials(self, key):
        """DRF's check, reading the token with its user, the user's organisation node and sign-in
        state in one statement (DRF reads the token and user only; the agency and the lock-out
        check were two more round trips on every token request — issue #14)."""
        from . import services

        model = self.get_model()
        try:
            token = model.objects.select_related("user__agency", "user__region", "user__sign_in_state").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if services.token_expired(token):
            token.delete()
            log_security_event("token_revoke", user=user, result="已过期，已作废")
            raise exceptions.AuthenticationFailed("认证令牌已过期，请重新获取。")
        state = getattr(user, "sign_in_state", None)  # None: never failed a sign-in
        if services.lock_in_force(state.locked_until if state is not None else None) is not None:
            raise exceptions.AuthenticationFailed("账户已锁定，请稍后再试或联系安全管理员解锁。")
        return user, token
