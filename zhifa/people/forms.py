"""Forms for officers, certificates and training records (thin: rules live in models and services)."""

from django import forms
from django.core.exceptions import ValidationError

from zhifa.accounts.models import User
from zhifa.core.forms import ScopedModelForm
from zhifa.core.scoping import paths_q, user_scope_path
from zhifa.core.validators import validate_id_number
from zhifa.orgs.models import EnforcementField

from . import services
from .models import Certificate, Officer, TrainingRecord


def users_in_reach(user):
    """Accounts a user may link to an officer: those attached to a node within their scope."""
    path = user_scope_path(user)
    qs = User.objects.filter(is_active=True).order_by("username")
    if path is None:
        return qs.none()
    if path == "":
        return qs
    return qs.filter(paths_q(("region__path", "agency__tree_path", "unit__tree_path"), path))


class OfficerForm(ScopedModelForm):
    """Create or change an officer. For an existing officer the identity number is never shown:
    leave it empty to keep it, or type a new one to replace it."""

    class Meta:
        model = Officer
        fields = [
            "name", "id_number", "kind", "home_agency", "unit", "dispatched_to", "dispatched_from",
            "dispatched_until", "post", "phone", "legal_qualification", "has_law_degree", "is_legal_reviewer",
            "reviewer_kind", "is_supervisor", "is_active", "user",
        ]
        widgets = {"dispatched_from": forms.DateInput(), "dispatched_until": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].help_text = "18位公民身份号码；出生日期和性别由号码自动确定。"
        if self.instance.pk:
            self.initial["id_number"] = ""
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = (
                f"当前：{self.instance.masked_id_number}。留空表示不修改；如需更正，请填写完整的新号码。"
            )
        if self.user is not None:
            self.fields["user"].queryset = users_in_reach(self.user)

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number") or ""
        if not value.strip() and self.instance.pk:
            return self.instance.id_number
        return validate_id_number(value)

    def clean(self):
        # Gender is derived from the identity number, never typed in.
        self.instance.gender = ""
        return super().clean()


class CertificateIssueForm(forms.Form):
    """Issue a certificate (发证) through ``services.issue_certificate``."""

    officer = forms.ModelChoiceField(label="持证人", queryset=Officer.objects.none())
    number = forms.CharField(label="证号", max_length=40)
    fields_ = forms.ModelMultipleChoiceField(
        label="执法领域", queryset=EnforcementField.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    issuing_authority = forms.CharField(label="发证机关", max_length=100)
    issued_on = forms.DateField(label="发证日期", widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label="有效期至", widget=forms.DateInput(attrs={"type": "date"}))
    last_review_on = forms.DateField(
        label="最近年度审验合格日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="登记已持有的证件时填写；新发证件留空。",
    )

    def __init__(self, data=None, files=None, *, instance=None, user=None, initial=None):
        super().__init__(data, files, initial=initial)
        self.user = user
        self.instance = instance
        self.fields["officer"].queryset = (
            Officer.objects.restrict(user, "change")
            .filter(kind=Officer.KIND_OFFICER, is_active=True)
            .select_related("home_agency")
        )

    def save(self):
        data = self.cleaned_data
        try:
            return services.issue_certificate(
                data["officer"], number=data["number"], fields=data["fields_"],
                issuing_authority=data["issuing_authority"], issued_on=data["issued_on"],
                expires_on=data["expires_on"], last_review_on=data.get("last_review_on"), actor=self.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.message_dict.items():
                    target = "fields_" if key == "fields" else key
                    self.add_error(target if target in self.fields else None, errors)
            else:
                self.add_error(None, exc)
            return None


class CertificateForm(ScopedModelForm):
    """Correct a certificate's fields, issuing authority and term. Status is changed only by the
    status actions, the number and holder not at all (issue a new certificate instead)."""

    class Meta:
        model = Certificate
        fields = ["fields", "issuing_authority", "issued_on", "expires_on"]
        widgets = {"fields": forms.CheckboxSelectMultiple, "issued_on": forms.DateInput(),
                   "expires_on": forms.DateInput()}


class CertificateActionForm(forms.Form):
    """Reason and date of a certificate status change; for an annual review, its result."""

    passed = forms.TypedChoiceField(
        label="审验结果", choices=[("1", "合格"), ("0", "不合格")], coerce=lambda v: v == "1", required=False
    )
    on = forms.DateField(
        label="生效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="留空为今天。"
    )
    reason = forms.CharField(
        label="理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, required=False,
        error_messages={"required": "请填写理由。"},
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action == "review":
            self.fields["passed"].required = True
            self.fields["reason"].help_text = "审验不合格时必填。"
        else:
            del self.fields["passed"]
            self.fields["reason"].required = True


class TrainingForm(ScopedModelForm):
    """Record a training an officer attended."""

    class Meta:
        model = TrainingRecord
        fields = ["officer", "date", "title", "kind", "hours", "days", "provider"]
        widgets = {"date": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            self.fields["officer"].queryset = Officer.objects.restrict(self.user, "change").select_related(
                "home_agency"
            )
