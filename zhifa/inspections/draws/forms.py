"""Forms of the draws pages; every rule is in ``services`` (the forms only collect input)."""

from django import forms

from zhifa.core.forms import ScopedModelForm
from zhifa.inspections.models import (
    ConflictDeclaration,
    InspectionListEntry,
    InspectionPlan,
    InspectorEntry,
    PlanItem,
)
from zhifa.orgs.models import Agency, Region
from zhifa.parties.widgets import party_select
from zhifa.people.widgets import officer_select


class EntryForm(ScopedModelForm):
    class Meta:
        model = InspectionListEntry
        fields = ["agency", "item", "legal_basis", "target_kind", "population_rule", "ratio", "frequency", "method",
                  "inspection_kind"]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = self.fields["item"].queryset.filter(kind="inspection")
        self.fields["legal_basis"].required = False
        self.fields["legal_basis"].help_text = "留空则取检查事项现行版本的法律依据。"


class InspectorForm(ScopedModelForm):
    class Meta:
        model = InspectorEntry
        fields = ["agency", "officer", "home_region", "is_active", "note"]
        widgets = {"officer": officer_select()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_region"].queryset = Region.objects.filter(level="township")


class ConflictForm(ScopedModelForm):
    class Meta:
        model = ConflictDeclaration
        fields = ["officer", "party", "relation", "declared_on", "valid_until", "note"]
        widgets = {"officer": officer_select(), "party": party_select()}


class PlanForm(ScopedModelForm):
    participants = forms.ModelMultipleChoiceField(label="联合检查主体", queryset=Agency.objects.none(), required=False,
                                                  help_text="跨部门联合抽查的参加单位（不含牵头单位）。")

    class Meta:
        model = InspectionPlan
        fields = ["year", "title", "agency", "kind", "ratio_a", "ratio_b", "ratio_c", "ratio_d", "ratio_n", "min_ratio",
                  "repeat_days", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # participants of a joint plan may be any active agency (another department's bureau)
        self.fields["participants"].queryset = Agency.objects.filter(is_active=True).order_by("tree_path")
        if self.instance.pk:
            self.fields["participants"].initial = list(self.instance.participants.values_list("pk", flat=True))


class PlanItemForm(forms.Form):
    entry = forms.ModelChoiceField(label="抽查事项", queryset=InspectionListEntry.objects.none())
    quarter = forms.TypedChoiceField(label="计划实施时间", choices=PlanItem.QUARTER_CHOICES, coerce=int, initial=0)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = [plan.agency_id, *plan.participants.values_list("pk", flat=True)]
        self.fields["entry"].queryset = InspectionListEntry._base_manager.filter(agency_id__in=agencies).select_related(
            "item").exclude(plan_items__plan=plan)


class DrawForm(forms.Form):
    number = forms.CharField(label="抽取编号", max_length=60, help_text="例如 云市监抽〔2026〕1号")
    title = forms.CharField(label="名称", max_length=200)
    entries = forms.ModelMultipleChoiceField(label="抽查事项", queryset=InspectionListEntry.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    draw_date = forms.DateField(label="抽取日期", widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ModelChoiceField(label="检查对象所在区域", queryset=Region.objects.none(), required=False,
                                    help_text="留空为牵头单位所在行政区划。")
    inspectors_per_target = forms.IntegerField(label="每个对象检查人员数", min_value=1, max_value=5, initial=2)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = InspectionListEntry._base_manager.filter(
            plan_items__plan=plan).select_related("item", "agency")
        self.fields["region"].queryset = Region._base_manager.filter(path__startswith=plan.agency.region.path)


class WitnessForm(forms.Form):
    name = forms.CharField(label="见证人", max_length=50, help_text="例如：企业代表、监督人员、公证员。")
    value = forms.CharField(label="随机值", max_length=64, help_text="由见证人当场自行给出（如掷骰子的结果、随手写下的数字）。")


class LotteryForm(forms.Form):
    name = forms.CharField(label="公开开奖名称", max_length=100, help_text="例如：中国福利彩票3D")
    issue = forms.CharField(label="期号", max_length=40)
    value = forms.CharField(label="开奖号码", max_length=100)
    date = forms.DateField(label="开奖日期", widget=forms.DateInput(attrs={"type": "date"}))


class ConfirmForm(forms.Form):
    """An action without input (publish, freeze, complete)."""


class TasksForm(forms.Form):
    """生成检查任务: when the drawn inspections are planned."""

    planned_on = forms.DateField(label="计划检查日期", widget=forms.DateInput(attrs={"type": "date"}))
