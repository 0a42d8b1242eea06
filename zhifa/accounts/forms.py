from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password

from zhifa.core.forms import ScopedModelForm

from . import roles, services
from .models import User


def password_rules_text() -> str:
    """The password rules in one sentence, from the validators themselves."""
    return " ".join(password_validators_help_texts())


class SignInForm(AuthenticationForm):
    """Django's sign-in form; a locked account is told so (and until when)."""

    def get_invalid_login_error(self):
        until = services.locked_until(self.cleaned_data.get("username") or "")
        if until is not None:
            return forms.ValidationError(services.lock_message(until), code="locked")
        return super().get_invalid_login_error()


class OtpTokenForm(forms.Form):
    """The second step of a sign-in: a code from the authenticator, or a recovery code."""

    token = forms.CharField(label="动态口令或恢复码", max_length=16,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}),
                            help_text="输入手机身份验证器上当前显示的 6 位数字；手机丢失时可输入一个恢复码（每个只能用一次）。")


class OtpSetupForm(forms.Form):
    token = forms.CharField(label="验证码", max_length=8,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
                            help_text="用身份验证器扫描二维码（或手工输入密钥）后，输入它显示的 6 位数字。")


class ConfirmForm(forms.Form):
    """A confirmation with no fields (unlock, reset of the second factor)."""


class UserForm(ScopedModelForm):
    """Create or change an account; a new account needs an initial password. The three
    administrator roles are not offered: they are given on the server console only."""

    password = forms.CharField(label="初始密码 / 重置密码", widget=forms.PasswordInput, required=False)

    class Meta:
        model = User
        fields = ["username", "display_name", "role", "region", "agency", "unit", "is_active", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(v, label) for v, label in roles.ROLE_CHOICES if v not in roles.THREE_ADMINS]
        self.fields["password"].help_text = (
            "新建用户必填；修改时留空表示不变，填写即重置密码（用户下次登录须自行修改，其 API 令牌作废）。"
            + password_rules_text()
        )

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if not self.instance.pk and not password:
            self.add_error("password", "新建用户必须设置初始密码。")
        if password:
            try:
                validate_password(password, self.instance if self.instance.pk else None)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data

    def save(self, commit=True):
        """The account with the form's changes, unsaved: ``services.save_account`` saves it."""
        return super().save(commit=False)
