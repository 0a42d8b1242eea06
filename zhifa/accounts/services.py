"""Sign-in, sessions, second factor and account management: the rules of the accounts app.

Called by the web views, the API and the console command alike (等保 2.0 第三级):

- lock-out: ``ZHIFA_LOGIN_MAX_FAILURES`` consecutive failed sign-ins (wrong password or wrong
  second-factor code) lock the account for ``ZHIFA_LOCKOUT_MINUTES``; the security
  administrator (or the console) lifts it earlier;
- passwords: complexity and history are validators (``validators.py``); a password expires after
  ``ZHIFA_PASSWORD_MAX_AGE_DAYS``; setting one revokes the account's API tokens, and a reset by
  someone else makes the owner choose a new one at the next sign-in;
- second factor (双因素认证): TOTP devices and recovery codes from django-otp; mandatory for
  ``roles.SECOND_FACTOR_ROLES`` and the roles in ``ZHIFA_OTP_ROLES``, used by anyone who enrols;
- API tokens expire after ``ZHIFA_API_TOKEN_HOURS`` and are revoked on password change, role
  change and deactivation;
- 三员分立: no one gives an administrator role, or changes or resets an administrator account,
  through the application (``check_account_change``); that is the console command
  ``zhifa admin_account`` on the server.

Every event is written to the audit trail with ``log_security_event``.
"""

import datetime
import secrets
import string

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from zhifa.core.audit import log_security_event
from zhifa.core.scoping import ensure_in_scope

from . import roles
from .models import PasswordHistory, SignInState, User

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"
CONSOLE = "服务器控制台"


# --------------------------------------------------------------------------------------
# Sign-in state and lock-out
# --------------------------------------------------------------------------------------


def sign_in_state(user) -> SignInState:
    """The account's sign-in state row (created on first use; password age counts from then)."""
    state, _ = SignInState.objects.get_or_create(user=user, defaults={"password_changed_at": timezone.now()})
    return state


def _user_by_name(username):
    if not username:
        return None
    return User.objects.filter(username=username).first()


def locked_until(user_or_name) -> datetime.datetime | None:
    """When the account's lock-out ends, or None if it is not locked."""
    user = _user_by_name(user_or_name) if isinstance(user_or_name, str) else user_or_name
    if user is None:
        return None
    return lock_in_force(SignInState.objects.filter(user=user).values_list("locked_until", flat=True).first())


def lock_in_force(until) -> datetime.datetime | None:
    """``until`` (an account's ``SignInState.locked_until``) if that lock-out has not ended."""
    return until if until is not None and until > timezone.now() else None


def lock_message(until) -> str:
    """The Chinese message shown to a locked account."""
    local = timezone.localtime(until)
    return f"该账户因连续登录失败已被锁定，请于 {local:%H:%M} 后再试，或联系安全管理员解锁。"


def register_failure(*, username: str, request=None, reason: str = "用户名或密码错误", action="login_failed"):
    """Log a failed sign-in (or second-factor) attempt and count it towards the lock-out."""
    user = _user_by_name(username)
    if user is None:
        log_security_event(action, username=username, request=request, result=f"失败：{reason}（账户不存在）")
        return
    with transaction.atomic():
        state = SignInState.objects.select_for_update().filter(user=user).first() or sign_in_state(user)
        now = timezone.now()
        if state.locked_until and state.locked_until > now:
            log_security_event(action, user=user, request=request, result="拒绝：账户已锁定")
            return
        state.failed_attempts += 1
        log_security_event(action, user=user, request=request,
                           result=f"失败：{reason}（连续第 {state.failed_attempts} 次）")
        if state.failed_attempts >= settings.ZHIFA_LOGIN_MAX_FAILURES:
            state.locked_until = now + datetime.timedelta(minutes=settings.ZHIFA_LOCKOUT_MINUTES)
            state.failed_attempts = 0
            log_security_event("lockout", user=user, request=request,
                               result=f"已锁定 {settings.ZHIFA_LOCKOUT_MINUTES} 分钟",
                               note=f"连续 {settings.ZHIFA_LOGIN_MAX_FAILURES} 次登录失败")
        state.save()


def register_success(user) -> None:
    """A completed password check: the failure count starts again."""
    SignInState.objects.filter(user=user).update(failed_attempts=0)


def unlock(target: User, *, actor, request=None) -> None:
    """Lift a lock-out early (security administrator within scope, or the console with actor None)."""
    if actor is not None:
        if target.pk == actor.pk:
            raise PermissionDenied("不能为自己的账户解锁。")
        if not actor.has_capability("users", "change"):
            raise PermissionDenied("只有安全管理员可以解除锁定。")
        if not User.objects.restrict(actor, "change").filter(pk=target.pk).exists():
            raise PermissionDenied("该账户不在您的管辖范围内。")
    state = sign_in_state(target)
    if not (state.locked_until and state.locked_until > timezone.now()) and not state.failed_attempts:
        raise ValidationError("该账户没有被锁定。")
    state.locked_until = None
    state.failed_attempts = 0
    state.save()
    log_security_event("unlock", user=target, request=request, result="已解锁",
                       note=CONSOLE if actor is None else f"由 {actor.username} 解锁")


# --------------------------------------------------------------------------------------
# Passwords
# --------------------------------------------------------------------------------------


def password_was_set(user: User, *, created: bool) -> None:
    """Called by ``User.save`` whenever a password was set: history, age, token revocation."""
    now = timezone.now()
    PasswordHistory.objects.create(user=user, encoded=user.password, created=now)
    keep = max(settings.ZHIFA_PASSWORD_HISTORY, 1)
    old = user.password_history.values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(old)).delete()
    SignInState.objects.update_or_create(
        user=user, defaults={"password_changed_at": now, "must_change_password": False}
    )
    if not created:
        revoke_tokens(user, reason="密码已修改")
        log_security_event("password", user=user, result="密码已设置")


def password_expires_at(user) -> datetime.datetime | None:
    """When the current password expires (None: expiry is off)."""
    if settings.ZHIFA_PASSWORD_MAX_AGE_DAYS <= 0:
        return None
    changed = sign_in_state(user).password_changed_at or timezone.now()
    return changed + datetime.timedelta(days=settings.ZHIFA_PASSWORD_MAX_AGE_DAYS)


def password_change_required(user) -> str:
    """Why the user must choose a new password before going on ("" if not)."""
    state = sign_in_state(user)
    if state.must_change_password:
        return "您的密码由管理员重置，请先设置新密码。"
    expires = password_expires_at(user)
    if expires is not None and expires <= timezone.now():
        return f"您的密码已超过 {settings.ZHIFA_PASSWORD_MAX_AGE_DAYS} 天未修改，请先设置新密码。"
    return ""


def change_own_password(user: User, *, old_password: str, new_password: str, request=None) -> None:
    """The user changes their own password (old one required; the rules apply)."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": ["原密码不正确。"]})
    if old_password == new_password:
        raise ValidationError({"new_password": ["新密码不能与原密码相同。"]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.save()


def random_password() -> str:
    """A one-time password that meets every rule (for console creation and resets)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(14))
        candidate = f"{body[:7]}-{body[7:]}"
        if any(c.islower() for c in body) and any(c.isupper() for c in body) and any(c.isdigit() for c in body):
            return candidate


# --------------------------------------------------------------------------------------
# API tokens
# --------------------------------------------------------------------------------------


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(hours=settings.ZHIFA_API_TOKEN_HOURS)


def token_expired(token: Token) -> bool:
    return token_expires_at(token) <= timezone.now()


def issue_token(user: User, *, request=None) -> Token:
    """The account's API token: the current one while valid, otherwise a new one."""
    token = Token.objects.filter(user=user).first()
    if token is not None and token_expired(token):
        token.delete()
        log_security_event("token_revoke", user=user, request=request, result="已过期，已作废")
        token = None
    if token is None:
        token = Token.objects.create(user=user)
        log_security_event("token_issue", user=user, request=request, result="已签发新令牌")
    else:
        log_security_event("token_issue", user=user, request=request, result="返回有效令牌")
    return token


def revoke_tokens(user: User, *, reason: str, request=None) -> int:
    """Delete the account's API tokens; each revocation is logged."""
    count, _ = Token.objects.filter(user=user).delete()
    if count:
        log_security_event("token_revoke", user=user, request=request, result="已作废", note=reason)
    return count


# --------------------------------------------------------------------------------------
# Second factor (双因素认证)
# --------------------------------------------------------------------------------------


def second_factor_required(user) -> bool:
    """Whether the role must sign in with a second factor."""
    return user.role in roles.SECOND_FACTOR_ROLES or user.role in settings.ZHIFA_OTP_ROLES or user.is_superuser


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user) -> bool:
    """A sign-in of this account is complete only after a second factor."""
    return second_factor_required(user) or has_second_factor(user)


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def confirm_totp_device(user, token: str, *, request=None) -> tuple[list[str], TOTPDevice]:
    """Confirm the pending authenticator with a code from it; it replaces any older one.
    Returns fresh recovery codes (shown once) and the device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_digits(token)):
        log_security_event("otp", user=user, request=request, result="失败：绑定验证码错误")
        raise ValidationError({"token": ["验证码不正确，请核对手机时间后输入身份验证器上当前显示的 6 位数字。"]})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save()
        log_security_event("otp", user=user, request=request, result="已绑定身份验证器")
        codes = new_recovery_codes(user, request=request)
    return codes, device


def new_recovery_codes(user, *, request=None) -> list[str]:
    """Replace the account's recovery codes (each works once) and return them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    log_security_event("otp", user=user, request=request, result=f"已生成 {len(codes)} 个恢复码")
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _digits(token: str) -> str:
    return "".join((token or "").split())


def verify_second_factor(user, token: str, *, request=None):
    """The device that accepts ``token`` (a TOTP code or a recovery code), or None. A wrong
    code counts towards the lock-out like a wrong password."""
    token = _digits(token)
    device = None
    if token and locked_until(user) is None:
        with transaction.atomic():
            for candidate in [*TOTPDevice.objects.filter(user=user, confirmed=True),
                              *StaticDevice.objects.filter(user=user, confirmed=True)]:
                if candidate.verify_token(token):
                    device = candidate
                    break
    if device is None:
        register_failure(username=user.username, request=request, reason="动态口令错误", action="otp")
        return None
    kind = "恢复码" if isinstance(device, StaticDevice) else "动态口令"
    log_security_event("otp", user=user, request=request, result=f"成功：{kind}")
    register_success(user)
    return device


def reset_second_factor(target: User, *, actor, request=None) -> None:
    """Remove an account's authenticator and recovery codes (lost phone); the owner enrols again."""
    check_account_change(actor, target, new_role=target.role)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=target).delete()
        StaticDevice.objects.filter(user=target).delete()
        revoke_tokens(target, reason="动态口令已重置", request=request)
        log_security_event("otp", user=target, request=request, result="已重置双因素认证",
                           note=CONSOLE if actor is None else f"由 {actor.username} 重置")


# --------------------------------------------------------------------------------------
# Account management and 三员分立
# --------------------------------------------------------------------------------------


def check_account_change(actor, target: User | None, *, new_role: str) -> None:
    """Refuse what would break the separation of the three administrators (三员分立).

    ``actor`` None is the console command on the server, which may do all of it."""
    if actor is None:
        return
    if target is not None and target.pk == actor.pk:
        raise PermissionDenied("不能在账户管理中修改自己的账户；修改本人密码请使用“账户安全”页面。")
    if target is not None and (target.role in roles.THREE_ADMINS or target.is_superuser):
        raise PermissionDenied(
            "三员（系统管理员、安全管理员、审计管理员）账户只能在服务器上用控制台命令 zhifa admin_account "
            "创建、修改或重置，不能在本系统中操作。"
        )
    if new_role in roles.THREE_ADMINS:
        raise ValidationError({"role": ["三员角色只能在服务器上用控制台命令 zhifa admin_account 授予。"]})


def save_account(user: User, *, actor, original: User | None, password: str = "", request=None) -> User:
    """Create or change an account (web form and API). A password set here by the security
    administrator is a reset: the owner must change it at the next sign-in."""
    check_account_change(actor, original, new_role=user.role)
    with transaction.atomic():
        if password:
            user.set_password(password)
        user.save()
        if actor is not None:
            ensure_in_scope(user, actor)
        if original is not None:
            if original.role != user.role:
                revoke_tokens(user, reason="角色已变更", request=request)
            if original.is_active and not user.is_active:
                revoke_tokens(user, reason="账户已停用", request=request)
        if password and original is not None:
            SignInState.objects.filter(user=user).update(must_change_password=True)
            log_security_event("password", user=user, request=request, result="密码已重置",
                               note=f"由 {actor.username} 重置" if actor else CONSOLE)
    return user
