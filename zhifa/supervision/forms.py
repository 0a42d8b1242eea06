"""Forms of the supervision pages; each is parsed here and handed to one service."""

from django import forms

from zhifa.core.widgets import FastSelect
from zhifa.orgs.models import Agency

from .models import actions as act

DATE = forms.DateInput(attrs={"type": "date"})


class AssignForm(forms.Form):
    reply_due_on = forms.DateField(label="说明期限", required=False, widget=DATE, help_text="留空默认5个工作日。")
    note = forms.CharField(label="交办意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExplainForm(forms.Form):
    explanation = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label="证明材料（可选）", required=False)


class ConfirmForm(forms.Form):
    reason = forms.CharField(label="认定意见", widget=forms.Textarea(attrs={"rows": 4}))
    rectify_due_on = forms.DateField(label="整改期限", widget=DATE)


class DismissForm(forms.Form):
    reason = forms.CharField(label="不予认定理由", widget=forms.Textarea(attrs={"rows": 4}))


class RectifyForm(forms.Form):
    rectification = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label="整改材料（可选）", required=False)


class RecheckForm(forms.Form):
    passed = forms.TypedChoiceField(label="复核结论", choices=[("1", "整改到位，办结"), ("0", "整改不到位，继续整改")],
                                    coerce=lambda v: v == "1")
    note = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}))
    rectify_due_on = forms.DateField(label="新的整改期限（不通过时填写）", required=False, widget=DATE)


class RegionSettingForm(forms.Form):
    region = forms.ModelChoiceField(label="行政区划", queryset=None)
    enabled = forms.BooleanField(label="启用", required=False, initial=True)
    params = forms.JSONField(label="阈值参数（JSON，覆盖默认值）", required=False, initial=dict)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from zhifa.orgs.models import Region

        self.fields["region"].queryset = Region.objects.restrict(user, "view")


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label="种类", choices=act.KIND_CHOICES)
    agency = forms.ModelChoiceField(label="被监督执法主体", queryset=None)
    title = forms.CharField(label="事由", max_length=200)
    findings = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(label="监督意见和要求", widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(label="依据", required=False, initial="《陕西省行政执法监督条例》")
    reply_due_on = forms.DateField(label="答复期限", widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.restrict(user, "view").exclude(kind="supervision")


class ReplyForm(forms.Form):
    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label="附件（可选）", required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label="办结意见", widget=forms.Textarea(attrs={"rows": 3}))


# ------------------------------------------------------------------ 突出问题清单、专项监督

class ProblemListForm(forms.Form):
    title = forms.CharField(label="清单名称", max_length=200)
    region = forms.ModelChoiceField(label="区域", queryset=None, widget=FastSelect)
    campaign = forms.ModelChoiceField(label="所属专项监督（可选）", queryset=None, required=False, widget=FastSelect)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from zhifa.orgs.models import Region

        from .models import Campaign

        self.fields["region"].queryset = Region.objects.restrict(user, "view").order_by("code")
        self.fields["campaign"].queryset = Campaign.objects.restrict(user, "change")


class ProblemItemForm(forms.Form):
    agency = forms.ModelChoiceField(label="责任执法主体", queryset=None, widget=FastSelect)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    measure = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label="整改期限", widget=DATE)

    def __init__(self, *args, user=None, problem_list=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (Agency.objects.restrict(user, "view").exclude(kind="supervision")
                                          .filter(tree_path__startswith=problem_list.region.path).order_by("name"))


class ProgressForm(forms.Form):
    progress = forms.CharField(label="整改进展", widget=forms.Textarea(attrs={"rows": 5}))


class VerifyForm(forms.Form):
    done = forms.TypedChoiceField(label="核验结论", choices=[("1", "整改完成，计入完成率"), ("0", "整改未完成，退回继续整改")],
                                  coerce=lambda v: v == "1", widget=forms.RadioSelect)


class CampaignForm(forms.Form):
    title = forms.CharField(label="专项监督名称", max_length=200)
    region = forms.ModelChoiceField(label="组织区域", queryset=None, widget=FastSelect)
    description = forms.CharField(label="工作内容", widget=forms.Textarea(attrs={"rows": 4}))
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from zhifa.orgs.models import Region

        self.fields["region"].queryset = Region.objects.restrict(user, "view").order_by("code")


LINK_KINDS = [("alert", "预警"), ("action", "督办与监督文书"), ("problem_list", "突出问题清单"),
              ("evaluation_plan", "案卷评查计划")]


class CampaignLinkForm(forms.Form):
    kind = forms.ChoiceField(label="事项类别", choices=LINK_KINDS)
    number = forms.IntegerField(label="编号", min_value=1, help_text="预警、监督文书、清单或评查计划页面地址中的编号。")
