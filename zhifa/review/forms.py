"""Forms of the legal review app; every rule is in ``services`` — forms only collect input."""

from django import forms

from zhifa.accounts import roles
from zhifa.accounts.models import User
from zhifa.core import clock
from zhifa.core.forms import ScopedModelForm

from . import choices
from .models import MajorDecisionCatalog, ReviewSettings


class CatalogForm(ScopedModelForm):
    """A row of the major-decision catalog."""

    class Meta:
        model = MajorDecisionCatalog
        fields = ["agency", "order", "criterion", "description", "fine_person", "fine_organisation", "penalty_kind",
                  "legal_basis", "requires_collective_discussion", "is_active"]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 2})}


class SettingsForm(ScopedModelForm):
    """An agency's review deadline."""

    class Meta:
        model = ReviewSettings
        fields = ["agency", "deadline_working_days"]

    def clean_deadline_working_days(self):
        days = self.cleaned_data["deadline_working_days"]
        if not 1 <= days <= 30:
            raise forms.ValidationError("审核期限应为1至30个工作日。")
        return days


class OpinionForm(forms.Form):
    """The ten points, each with a finding and a written reason, and the overall result."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in choices.POINT_CHOICES:
            self.fields[f"{code}_finding"] = forms.ChoiceField(
                label=f"{choices.POINT_ORDER[code] + 1}. {label}", choices=[("", "请选择"), *choices.FINDING_CHOICES])
            self.fields[f"{code}_reason"] = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))
        self.fields["result"] = forms.ChoiceField(label="审核结论", choices=[("", "请选择"), *choices.RESULT_CHOICES])

    def point_rows(self):
        """(finding field, reason field) per point, in order, for the template."""
        return [(self[f"{code}_finding"], self[f"{code}_reason"]) for code in choices.POINTS]

    def findings(self) -> dict:
        data = self.cleaned_data
        return {code: {"finding": data[f"{code}_finding"], "reason": data[f"{code}_reason"]} for code in choices.POINTS}


class AnswerForm(forms.Form):
    """A written answer to each point found to have a problem."""

    def __init__(self, *args, problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        for finding in self.problems:
            self.fields[finding.point] = forms.CharField(
                label=f"{finding.get_point_display()}（审核意见：{finding.reason}）",
                widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    """Choose the reviewer among those who may review the case."""

    reviewer = forms.ModelChoiceField(label="审核人员", queryset=User.objects.none())

    def __init__(self, *args, eligible=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(pk__in=[u.pk for u in eligible]).order_by("display_name")


class FlagForm(forms.Form):
    """Flag a case as major by hand, with the reason."""

    kind = forms.ChoiceField(label="认定情形", choices=choices.FLAG_KIND_CHOICES)
    reason = forms.CharField(label="认定理由", widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回理由", widget=forms.Textarea(attrs={"rows": 2}))


class DiscussionForm(forms.Form):
    """The record of a collective discussion."""

    held_on = forms.DateField(label="讨论日期", widget=forms.DateInput(attrs={"type": "date"}))
    chair = forms.ModelChoiceField(label="主持人", queryset=User.objects.none())
    chair_authorisation = forms.CharField(label="主持人授权", required=False,
                                          help_text="主持人不是机关负责人的，写明授权文件或授权情况。")
    participants = forms.CharField(label="参加人员", widget=forms.Textarea(attrs={"rows": 2}))
    opinions = forms.CharField(label="讨论意见", widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.CharField(label="讨论决定", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_on", clock.today())
        self.fields["chair"].queryset = User.objects.filter(
            agency=case.agency, is_active=True, role__in=(roles.AGENCY_HEAD, roles.UNIT_HEAD)).order_by("role", "display_name")
