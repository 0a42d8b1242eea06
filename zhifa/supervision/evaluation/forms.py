"""Forms of the evaluation pages; the rules are in ``services``."""

import datetime
from decimal import Decimal

from django import forms

from zhifa.accounts.models import User
from zhifa.orgs.models import Region

from ..models import ScoreSheet
from ..models.evaluation import POINTS


class PlanForm(forms.Form):
    """A new evaluation plan (评查方案)."""

    title = forms.CharField(label="方案名称", max_length=200)
    region = forms.ModelChoiceField(label="组织评查的行政区划", queryset=Region.objects.none())
    sheet = forms.ModelChoiceField(label="评分标准", queryset=ScoreSheet.objects.filter(is_active=True))
    archived_from = forms.DateField(label="归档日期自", widget=forms.DateInput(attrs={"type": "date"}))
    archived_to = forms.DateField(label="归档日期至", widget=forms.DateInput(attrs={"type": "date"}))
    sample_rate = forms.DecimalField(label="抽取比例（%）", min_value=Decimal("0.01"), max_value=100, initial=5)
    sample_minimum = forms.IntegerField(label="每个执法主体最少抽取（件）", min_value=0, max_value=1000, initial=3)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        path = user.scope_path or ""
        self.fields["region"].queryset = Region.objects.restrict(user, "view").filter(path__startswith=path)
        today = datetime.date.today()
        self.fields["archived_from"].initial = datetime.date(today.year, 1, 1)
        self.fields["archived_to"].initial = today


class DrawForm(forms.Form):
    seed = forms.CharField(label="随机种子", max_length=64, required=False,
                           help_text="留空则由系统生成；种子和案卷总体摘要会记录在方案中，任何人可据此复核抽样。")


class AssignForm(forms.Form):
    evaluators = forms.ModelMultipleChoiceField(label="评查人", queryset=User.objects.none(),
                                                widget=forms.CheckboxSelectMultiple,
                                                help_text="未分配的案卷依次分配给所选评查人，自动跳过评查人本单位的案卷（交叉评查）。")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = evaluator_choices(user)


def evaluator_choices(user):
    """Evaluators within the organiser's region: its supervisors and legal reviewers (the user
    list itself is the security administrator's; the organiser sees only these names)."""
    from zhifa.core.scoping import paths_q

    return (User._base_manager.filter(paths_q(("region__path", "agency__tree_path", "unit__tree_path"), user.scope_path or ""))
            .filter(is_active=True, role__in=("supervisor", "legal_reviewer")).order_by("role", "username"))


class ScoreForm(forms.Form):
    """One row per item of the sheet: deduction (扣分项) or met (直接不合格 / 一票否决), and the problem."""

    comment = forms.CharField(label="总体评价", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, sheet=None, findings=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {f.item_id: f for f in (findings or [])}
        self.items = list(sheet.items.all())
        for item in self.items:
            found = existing.get(item.pk)
            if item.kind == POINTS:
                self.fields[f"d_{item.pk}"] = forms.DecimalField(
                    label=f"{item.title}（{item.points}分）扣分", min_value=0, max_value=item.points, required=False,
                    decimal_places=1, initial=found.deduction if found else None)
            else:
                self.fields[f"t_{item.pk}"] = forms.BooleanField(
                    label=f"{item.get_kind_display()}：{item.title}", required=False,
                    initial=found.triggered if found else False)
            self.fields[f"n_{item.pk}"] = forms.CharField(label="问题描述", required=False, max_length=2000,
                                                          initial=found.note if found else "")

    def rows(self):
        """(item, score field, note field) for the template."""
        for item in self.items:
            key = f"d_{item.pk}" if item.kind == POINTS else f"t_{item.pk}"
            yield item, self[key], self[f"n_{item.pk}"]

    def findings(self) -> list[dict]:
        data = self.cleaned_data
        return [{"item": item, "deduction": data.get(f"d_{item.pk}") or 0, "triggered": data.get(f"t_{item.pk}", False),
                 "note": data.get(f"n_{item.pk}", "")} for item in self.items]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="申请复查理由", widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="复查结论", choices=[("upheld", "维持原评查结果"), ("changed", "变更评查结果（按下列评分）")])
    decision = forms.CharField(label="复查意见", widget=forms.Textarea(attrs={"rows": 4}))


class RectificationForm(forms.Form):
    report = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 4}))
