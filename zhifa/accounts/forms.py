from django import forms
from django.contrib.auth.password_validation import validate_password

from zhifa.core.forms import ScopedModelForm

from .models import User


class UserForm(ScopedModelForm):
    """Create or change an account; a new account needs an initial password."""

    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, required=False,
                               help_text="新建用户必填；修改时留空表示不变。至少8位，不能全为数字。")

    class Meta:
        model = User
        fields = ["username", "display_name", "role", "region", "agency", "unit", "is_active", "email"]

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if not self.instance.pk and not password:
            self.add_error("password", "新建用户必须设置初始密码。")
        if password:
            try:
                validate_password(password, self.instance)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user
