"""Forms of the ledger pages; the rules are in ``services``."""

from django import forms

from zhifa.core import clock
from zhifa.core.widgets import FastSelect
from zhifa.orgs.models import Agency, Region


class PlanForm(forms.Form):
    title = forms.CharField(label="方案名称", max_length=200)
    document = forms.CharField(label="方案文号", max_length=100, required=False)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    region = forms.ModelChoiceField(label="制定方案的行政区划", queryset=Region.objects.none(), widget=FastSelect)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = clock.today().year
        self.fields["region"].queryset = (Region.objects.restrict(user, "view")
                                          .filter(path__startswith=user.scope_path or "").order_by("path"))


class TaskForm(forms.Form):
    title = forms.CharField(label="工作任务", max_length=300)
    content = forms.CharField(label="具体内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lead_agency = forms.ModelChoiceField(label="牵头单位", queryset=Agency.objects.none(), widget=FastSelect)
    co_agencies = forms.ModelMultipleChoiceField(label="配合单位", queryset=Agency.objects.none(), required=False)
    deadline = forms.DateField(label="完成时限", widget=forms.DateInput(attrs={"type": "date"}))
    target = forms.CharField(label="目标", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.restrict(user, "view").filter(tree_path__startswith=plan.region.path,
                                                                is_active=True).order_by("tree_path")
        self.fields["lead_agency"].queryset = agencies
        self.fields["co_agencies"].queryset = agencies


class ImportForm(forms.Form):
    file = forms.FileField(label="工作任务台账（.xlsx）",
                           help_text="列：序号、工作任务、具体内容、牵头单位、配合单位、完成时限、目标、进展情况、完成状态；"
                                     "序号相同的任务被更新。")


class ReportForm(forms.Form):
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    completed = forms.BooleanField(label="任务已完成（牵头单位填报）", required=False)
    attachment = forms.FileField(label="附件", required=False)
