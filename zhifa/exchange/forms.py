"""Forms of the exchange set-up pages (system administrator)."""

from django import forms

from zhifa.core.forms import WriteOnlySecretMixin
from zhifa.orgs.models import Region

from .models import Source, Uplink


class SourceForm(WriteOnlySecretMixin, forms.ModelForm):
    """A lower-level instance allowed to push here; the secret is write-only."""

    secret = WriteOnlySecretMixin.secret_field("与下级平台发件箱中本平台接收方的密钥一致；修改时留空表示不变。")

    class Meta:
        model = Source
        fields = ["name", "label", "region", "secret", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")


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
