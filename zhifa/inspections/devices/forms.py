"""Forms of the equipment register and non-site records; each one's save calls ``services``."""

from django import forms

from zhifa.catalog.models import Item
from zhifa.core.forms import ScopedModelForm
from zhifa.parties.models import Party
from zhifa.parties.widgets import party_select
from zhifa.people.models import Officer

from ..models.devices import NOTICE_CHANNEL_CHOICES, Device


class DeviceForm(ScopedModelForm):
    """登记或修改执法装备; the rules are ``services.check_device`` (run by ``services.save_device``)."""

    class Meta:
        model = Device
        fields = ["kind", "serial", "model_name", "agency", "unit", "status", "in_service_on", "retired_on",
                  "location", "region", "latitude", "longitude", "captures",
                  "legal_review_on", "legal_reviewer", "legal_review_conclusion",
                  "technical_review_on", "technical_reviewer", "technical_review_conclusion", "published"]
        widgets = {"in_service_on": forms.DateInput(), "retired_on": forms.DateInput(),
                   "legal_review_on": forms.DateInput(), "technical_review_on": forms.DateInput()}

    legal_review_upload = forms.FileField(label="法制审核意见（文件）", required=False)
    technical_review_upload = forms.FileField(label="技术审核（检定）报告（文件）", required=False)

    def save(self, commit=True):
        from zhifa.records.services import store_file

        from . import services

        for upload_field, target in (("legal_review_upload", "legal_review_file"),
                                     ("technical_review_upload", "technical_review_file")):
            upload = self.cleaned_data.get(upload_field)
            if upload:
                setattr(self.instance, target, store_file(upload, upload.name, getattr(upload, "content_type", None)))
        return services.save_device(self.instance, actor=self.user)


class IssueForm(forms.Form):
    officer = forms.ModelChoiceField(label="领用人", queryset=Officer.objects.none())
    issued_at = forms.DateTimeField(label="领用时间", required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    help_text="留空为现在。")
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.restrict(user, "view").filter(is_active=True)


class ReturnForm(forms.Form):
    returned_at = forms.DateTimeField(label="归还时间", required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      help_text="留空为现在。")
    note = forms.CharField(label="备注", required=False, max_length=200)


class CaptureForm(forms.Form):
    """登记非现场执法记录 (files uploaded with the form, stored through ``zhifa.records``)."""

    device = forms.ModelChoiceField(label="电子技术监控设备", queryset=Device.objects.none())
    captured_at = forms.DateTimeField(label="采集时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label="地点", max_length=200, required=False, help_text="留空为设备设置地点。")
    party_identifier = forms.CharField(label="号牌号码或统一社会信用代码", max_length=40)
    party_name = forms.CharField(label="当事人名称", max_length=200, required=False)
    party = forms.ModelChoiceField(label="当事人（已登记的）", queryset=Party.objects.none(), required=False,
                                   widget=party_select())
    item = forms.ModelChoiceField(label="涉嫌违法事项", queryset=Item.objects.none(), required=False)
    content = forms.CharField(label="记录内容", widget=forms.Textarea(attrs={"rows": 3}))
    files = forms.FileField(label="照片或视频", widget=forms.ClearableFileInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = Device.objects.restrict(user, "view").filter(kind="monitor",
                                                                                     status="in_service")
        self.fields["party"].queryset = Party.objects.restrict(user, "view")
        self.fields["item"].queryset = Item.objects.restrict(user, "view")


class ReviewForm(forms.Form):
    is_true = forms.BooleanField(label="真实", required=False)
    is_clear = forms.BooleanField(label="清晰", required=False)
    is_complete = forms.BooleanField(label="完整", required=False)
    is_accurate = forms.BooleanField(label="准确", required=False)
    reason = forms.CharField(label="审核意见（不通过时必填）", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NotifyForm(forms.Form):
    channel = forms.ChoiceField(label="告知方式", choices=NOTICE_CHANNEL_CHOICES)
    to = forms.CharField(label="手机号码或送达地址", max_length=200)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}))
    accepted = forms.BooleanField(label="陈述、申辩成立（记录不予采用）", required=False)


class OpenCaseForm(forms.Form):
    item = forms.ModelChoiceField(label="执法事项", queryset=Item.objects.none())
    party = forms.ModelChoiceField(label="当事人", queryset=Party.objects.none(), widget=party_select())
    officers = forms.ModelMultipleChoiceField(label="办案人员（第一位为主办）", queryset=Officer.objects.none())
    cause = forms.CharField(label="案由", max_length=200, required=False, help_text="留空按事项名称生成。")

    def __init__(self, *args, user=None, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.restrict(user, "view")
        self.fields["party"].queryset = Party.objects.restrict(user, "view")
        self.fields["officers"].queryset = Officer.objects.restrict(user, "view").filter(
            is_active=True, kind=Officer.KIND_OFFICER)
        if record is not None:
            self.initial.setdefault("item", record.item_id)
            self.initial.setdefault("party", record.party_id)


class StatementForm(forms.Form):
    """The party's statement on the portal (陈述、申辩)."""

    text = forms.CharField(label="陈述、申辩内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    contact = forms.CharField(label="联系方式", max_length=100, required=False)


class LookupForm(forms.Form):
    number = forms.CharField(label="记录编号", max_length=40)
    code = forms.CharField(label="查询码", max_length=12)
