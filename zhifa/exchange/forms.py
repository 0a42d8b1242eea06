"""Forms of the exchange set-up pages (system administrator)."""

from django import forms
from django.core.exceptions import ValidationError

from zhifa.orgs.models import Region

from .models import Source, Uplink


class SourceForm(forms.ModelForm):
    """A lower-level instance allowed to push here; the secret is write-only."""

    secret = forms.CharField(label="签名密钥", required=False, max_length=200,
                             widget=forms.PasswordInput(render_value=False),
                             help_text="与下级平台发件箱中本平台接收方的密钥一致；修改时留空表示不变。")

    class Meta:
        model = Source
        fields = ["name", "label", "region", "secret", "active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")

    def clean_secret(self):
        secret = self.cleaned_data.get("secret", "")
        if not secret and not self.instance.pk:
            raise ValidationError("请填写签名密钥。")
        if secret and len(secret) < 16:
            raise ValidationError("签名密钥至少 16 个字符。")
        return secret or self.instance.secret


class UplinkForm(forms.ModelForm):
    """An upper-level platform this instance pushes to (its URL and secret are the outbox receiver's)."""

    class Meta:
        model = Uplink
        fields = ["receiver", "label", "region", "active"]
        help_texts = {"receiver": "发件箱中接收方的标识（在“发件箱”页面配置地址与密钥）。",
                      "region": "只上报该区划内执法主体的案件；留空为全部。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")
