"""Forms of the complaint pages (staff and portal); each is parsed here and handed to one service."""

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy

from zhifa.cases.models import Case
from zhifa.core.forms import WriteOnlySecretMixin
from zhifa.core.scoping import ancestor_paths
from zhifa.core.widgets import FastSelect, SearchSelect
from zhifa.orgs.models import Agency, Region

from ..models.complaints import (
    DECISION_CHOICES,
    KIND_CHOICES,
    SATISFACTION_CHOICES,
    SOURCE_CHOICES,
    STAFF_SOURCES,
    HotlineSystem,
)

TEXT = forms.Textarea(attrs={"rows": 4})


def county_path(region) -> str:
    """The path of the county (区县) of ``region`` (itself when it is a county or above)."""
    parts = [p for p in region.path.split("/") if p]
    return "/" + "".join(p + "/" for p in parts[:3])


def competent_agencies(region):
    """Agencies that may handle a matter in ``region``: those of its county and of the regions
    above (public organisation data)."""
    county = county_path(region)
    return (Agency.objects.public().filter(Q(region__path__startswith=county) | Q(region__path__in=ancestor_paths(county)))
            .exclude(kind="supervision").order_by("region__path", "name"))


class ComplainantFields(forms.Form):
    anonymous = forms.BooleanField(label="匿名投诉举报", required=False)
    name = forms.CharField(label="投诉举报人姓名", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    address = forms.CharField(label="联系地址", max_length=200, required=False)

    def complainant(self) -> dict:
        data = self.cleaned_data
        return {"name": data.get("name", ""), "phone": data.get("phone", ""), "address": data.get("address", "")}


class IntakeForm(ComplainantFields):
    """Staff entry of a call, letter or visit (来电、来信、来访登记)."""

    source = forms.ChoiceField(label="来源渠道", choices=[c for c in SOURCE_CHOICES if c[0] in STAFF_SOURCES])
    kind = forms.ChoiceField(label="类别", choices=KIND_CHOICES)
    region = forms.ModelChoiceField(label="事发地行政区划", queryset=Region.objects.none(), widget=FastSelect)
    agency = forms.ModelChoiceField(label="承办执法主体（可空，空则待分派）", queryset=Agency.objects.none(),
                                    required=False, widget=FastSelect)
    reported_name = forms.CharField(label="被投诉举报对象", max_length=200, required=False)
    subject = forms.CharField(label="事由", max_length=200)
    content = forms.CharField(label="内容", widget=TEXT)
    place = forms.CharField(label="事发地点", max_length=200, required=False)

    field_order = ["source", "kind", "region", "agency", "reported_name", "subject", "content", "place", "anonymous",
                   "name", "phone", "address"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.restrict(user, "view").order_by("path")
        self.fields["agency"].queryset = Agency.objects.restrict(user, "view").filter(is_active=True) \
            .exclude(kind="supervision").order_by("name")


class AgencyForm(forms.Form):
    agency = forms.ModelChoiceField(label="承办执法主体", queryset=Agency.objects.none(), widget=FastSelect)

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = competent_agencies(complaint.region)


class TransferForm(AgencyForm):
    reason = forms.CharField(label="转办理由", widget=TEXT)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=TEXT)

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)


class AcceptForm(forms.Form):
    handlers = forms.ModelMultipleChoiceField(label="承办人", queryset=None, required=False,
                                              help_text="不选则为本人。")

    def __init__(self, *args, complaint=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import agency_staff

        self.fields["handlers"].queryset = agency_staff(complaint)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label="处理决定", choices=DECISION_CHOICES)
    # the agency's complaint-sourced cases of every year: the 30 latest are written, any other is
    # found by number or cause through the case API, filtered the same way (``search_params``)
    case = forms.ModelChoiceField(label="立案查处的案件（来源为“投诉举报”）", queryset=Case.objects.none(), required=False,
                                  widget=SearchSelect(search_url=reverse_lazy("case-list"),
                                                      label_fields=("number", "cause")))
    reason = forms.CharField(label="处理意见或不予立案理由", widget=TEXT, required=False)

    def __init__(self, *args, complaint=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = Case.objects.restrict(user, "view").filter(
            agency_id=complaint.agency_id, source="complaint").only("id", "number", "cause")
        self.fields["case"].widget.search_params = f"source=complaint&agency={complaint.agency_id}"


class ReplyForm(forms.Form):
    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    note = forms.CharField(label="办结说明", widget=TEXT, required=False)

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)


class SatisfactionForm(forms.Form):
    satisfaction = forms.ChoiceField(label="满意度", choices=SATISFACTION_CHOICES, widget=forms.RadioSelect)


class DeadlineRuleForm(forms.Form):
    region = forms.ModelChoiceField(label="行政区划", queryset=Region.objects.none(), widget=FastSelect)
    source = forms.ChoiceField(label="来源渠道", choices=SOURCE_CHOICES)
    acknowledge_days = forms.IntegerField(label="受理时限（工作日）", min_value=1, max_value=60)
    decide_days = forms.IntegerField(label="处理决定时限（工作日）", min_value=1, max_value=90)
    reply_days = forms.IntegerField(label="答复时限（工作日）", min_value=1, max_value=120)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        path = user.scope_path or ""
        self.fields["region"].queryset = Region.objects.restrict(user, "view").filter(path__startswith=path) \
            .order_by("path")


class HotlineSystemForm(WriteOnlySecretMixin, forms.ModelForm):
    """A hotline system (热线系统) as the system administrator registers it; the region is one of
    the administrator's own, the secret is never shown back (empty on a change keeps it)."""

    secret = WriteOnlySecretMixin.secret_field(
        "热线系统对请求签名（HMAC-SHA256）的共享密钥，至少16个字符；修改时留空则保持原密钥。也可保存后在列表中“更换密钥”自动生成。")

    class Meta:
        model = HotlineSystem
        fields = ["code", "name", "source", "region", "receiver", "active"]
        widgets = {"region": FastSelect}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        path = user.scope_path or ""
        self.fields["region"].queryset = Region.objects.restrict(user, "view").filter(path__startswith=path) \
            .order_by("path")
        self.fields["receiver"].help_text = "状态回传的发件箱接收方标识（在“发件箱”中配置），例如 hotline-12345。"
