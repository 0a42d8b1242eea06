"""Forms for parties and their credit ratings (Chinese validation messages from the model)."""

from django import forms
from django.utils import timezone

from zhifa.core.forms import ScopedModelForm

from . import services
from .models import CreditRating, Party


class PartyForm(ScopedModelForm):
    """Register or correct a party.

    When editing, the masked fields (ID number, personal phone) are not sent to the browser:
    they start empty, show the masked value as a hint, and stay unchanged when left empty.
    Regions are limited to the user's subtree (the only places they may register parties).
    """

    class Meta:
        model = Party
        fields = [
            "kind", "name", "id_type", "id_number", "gender", "birth_date", "credit_code", "legal_representative",
            "business_scope", "phone", "address", "region", "agency",
        ]
        widgets = {"business_scope": forms.Textarea(attrs={"rows": 3}), "birth_date": forms.DateInput()}
        help_texts = {
            "id_type": "仅自然人填写。",
            "id_number": "仅自然人填写；居民身份证号码按 GB 11643 校验。",
            "gender": "居民身份证号码自动取得；其他证件请手工选择。",
            "birth_date": "居民身份证号码自动取得；其他证件请手工填写。",
            "credit_code": "法人、非法人组织必填，个体工商户选填（GB 32100，18位）。",
            "legal_representative": "法人、非法人组织填写法定代表人或负责人，个体工商户填写经营者。",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.masked_fields = {}
        if user is not None:
            self.fields["region"].queryset = services.regions_for_change(user)
            agency = getattr(user, "agency", None)
            if self.instance.pk is None and agency is not None:
                self.fields["agency"].initial = agency.pk
        self.fields["birth_date"].widget.input_type = "date"
        self.fields["id_type"].required = False
        instance = self.instance
        if instance.pk:
            for name, masked in (("id_number", instance.masked_id_number), ("phone", instance.display_phone)):
                current = getattr(instance, name)
                if current and masked != current:
                    self.masked_fields[name] = current
                    self.initial[name] = ""
                    field = self.fields[name]
                    field.help_text = f"当前为 {masked}；如需更正请输入完整号码，留空则不修改。"

    def _keep_masked(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        return value or self.masked_fields.get(name, "")

    def clean_id_number(self):
        return self._keep_masked("id_number")

    def clean_phone(self):
        return self._keep_masked("phone")

    def validate_unique(self):
        """One party per credit code / ID number, naming the existing one when in reach."""
        try:
            services.check_not_registered(self.instance, self.user)
        except forms.ValidationError as exc:
            self._update_errors(exc)


class CreditRatingForm(forms.ModelForm):
    """Add a credit/risk classification to a party."""

    class Meta:
        model = CreditRating
        fields = ["credit_class", "rated_on", "source", "note"]
        widgets = {"rated_on": forms.DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rated_on"].widget.input_type = "date"
        self.fields["rated_on"].initial = timezone.localdate()
