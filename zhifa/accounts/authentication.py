"""API token authentication with expiry (``ZHIFA_API_TOKEN_HOURS``) and lock-out."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from zhifa.core.audit import log_security_event


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; an expired token is deleted (logged) and refused, and a
    locked account's token is refused while the lock lasts."""

    def authenticate_credentials(self, key):
        from . import services

        user, token = super().authenticate_credentials(key)
        if services.token_expired(token):
            token.delete()
            log_security_event("token_revoke", user=user, result="已过期，已作废")
            raise exceptions.AuthenticationFailed("认证令牌已过期，请重新获取。")
        if services.locked_until(user) is not None:
            raise exceptions.AuthenticationFailed("账户已锁定，请稍后再试或联系安全管理员解锁。")
        return user, token
