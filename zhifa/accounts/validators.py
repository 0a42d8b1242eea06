"""Password rules beyond Django's own validators (等保 三级 身份鉴别: complexity and history).

Both are listed in ``AUTH_PASSWORD_VALIDATORS``, so every path that sets a password — the
account forms, the API, the password-change page and the console command — applies them.
"""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CHARACTER_CLASSES = (
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("数字", lambda c: c in string.digits),
    ("其他字符", lambda c: not c.isascii() or not c.isalnum()),
)


class CharacterClassValidator:
    """The password mixes at least ``min_classes`` of: lower case, upper case, digits, others."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(1 for _, member in CHARACTER_CLASSES if any(member(c) for c in password))
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        names = "、".join(name for name, _ in CHARACTER_CLASSES)
        return f"密码须至少包含{names}中的 {self.min_classes} 类。"


class PasswordHistoryValidator:
    """The password is none of the account's last ``count`` passwords (the current one included)."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None) or self.count <= 0:
            return
        recent = user.password_history.values_list("encoded", flat=True)[: self.count]
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(f"不能使用最近 {self.count} 次用过的密码。", code="password_reused")

    def get_help_text(self):
        return f"不能与最近 {self.count} 次用过的密码相同。"
