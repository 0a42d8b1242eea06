"""The case page's signature form (在屏幕上签名): the canvas's PNG travels as a data URL."""

from django import forms

from zhifa.documents.signatures import ROLES

from .models import SIGNABLE_CHOICES


class SignatureForm(forms.Form):
    """签署的文书、签名人身份和姓名、签名图片（签名板生成）或拒绝签名。"""

    document_kind = forms.ChoiceField(label="签署的文书", choices=SIGNABLE_CHOICES,
                                      help_text="签名打印在本案该文书的签名栏；文书已生成的，生成新版本（旧版本保留在全过程记录中）。")
    role = forms.ChoiceField(label="签名人身份", choices=list(ROLES.items()), initial="officer1")
    signer_name = forms.CharField(label="签名人姓名", max_length=100)
    refused = forms.BooleanField(label="拒绝签名（由执法人员注明，不需手写签名）", required=False)
    image = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not self.is_bound:
            self.initial.setdefault("signer_name", getattr(user, "display_name", "") or "")

    def clean(self):
        data = super().clean()
        if not data.get("refused") and not data.get("image"):
            self.add_error(None, "请在签名框内签名。")
        return data
