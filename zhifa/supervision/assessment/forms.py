"""Forms of the assessment pages; the rules are in ``services``."""

from django import forms

from zhifa.core import clock
from zhifa.core.widgets import FastSelect
from zhifa.orgs.models import Agency, Region


class AssessmentForm(forms.Form):
    """A new yearly assessment (年度考评) of an agency or of a region below the supervisor's own."""

    year = forms.IntegerField(label="考评年度", min_value=2000)
    agency = forms.ModelChoiceField(label="被考评执法主体", queryset=Agency.objects.none(), required=False,
                                    widget=FastSelect)
    region = forms.ModelChoiceField(label="或：被考评行政区划", queryset=Region.objects.none(), required=False,
                                    widget=FastSelect, help_text="考评下级行政区划（汇总区域内全部执法主体的数据）。")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        path = user.scope_path or ""
        self.fields["year"].initial = clock.today().year - 1
        self.fields["year"].max_value = clock.today().year
        self.fields["agency"].queryset = (Agency.objects.restrict(user, "view").filter(tree_path__startswith=path)
                                          .exclude(kind="supervision").order_by("tree_path"))
        self.fields["region"].queryset = (Region.objects.restrict(user, "view").filter(path__startswith=path)
                                          .exclude(path=path).order_by("path"))


class SelfScoreForm(forms.Form):
    score = forms.DecimalField(label="自评得分", min_value=0, decimal_places=2)
    note = forms.CharField(label="自评说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ScoreForm(forms.Form):
    score = forms.DecimalField(label="评定得分", min_value=0, decimal_places=2)
    reason = forms.CharField(label="评分理由", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             help_text="与平台计算得分一致时可不填。")


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料")
    note = forms.CharField(label="说明", max_length=200, required=False)


class SubmitForm(forms.Form):
    note = forms.CharField(label="自评说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
