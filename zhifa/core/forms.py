"""Form base classes: Chinese error messages, scoped choices, consistent widgets."""

from django import forms

from .scoping import ScopedModel


class ScopedModelForm(forms.ModelForm):
    """A ModelForm that takes the acting ``user`` and limits every choice of a scoped model
    to that user's reach."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and issubclass(queryset.model, ScopedModel) and user is not None:
                field.queryset = queryset.restrict(user, "view")
            widget = field.widget
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"


class ImportForm(forms.Form):
    """Upload of an xlsx file for import."""

    file = forms.FileField(label="Excel 文件（.xlsx）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        return upload


class WriteOnlySecretMixin:
    """A ``secret`` field that is never shown back: required on create, at least 16 characters,
    left empty on edit to keep the stored value (outbox receivers, exchange sources)."""

    SECRET_MIN_LENGTH = 16

    @staticmethod
    def secret_field(help_text: str):
        return forms.CharField(label="签名密钥", required=False, max_length=200,
                               widget=forms.PasswordInput(render_value=False), help_text=help_text)

    def clean_secret(self):
        secret = self.cleaned_data.get("secret", "")
        if not secret and not self.instance.pk:
            raise forms.ValidationError("请填写签名密钥。")
        if secret and len(secret) < self.SECRET_MIN_LENGTH:
            raise forms.ValidationError(f"签名密钥至少 {self.SECRET_MIN_LENGTH} 个字符。")
        return secret or self.instance.secret
