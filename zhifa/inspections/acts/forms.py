"""Forms of the inspection pages: kept short for a phone; every rule is in ``services``."""

from django import forms

from zhifa.cases.choices import EVIDENCE_KIND_CHOICES
from zhifa.cases.forms import DateInput, DateTimeInput, local_now_minutes
from zhifa.catalog.models import Item
from zhifa.core import clock
from zhifa.orgs.models import Agency
from zhifa.parties.models import Party
from zhifa.people.models import Officer

from ..models.inspection import CAP_EXCEPTION_CHOICES, KIND_CHOICES, NOTICE_METHOD_CHOICES, ORIGIN_CHOICES


def county_agencies(agency):
    """The agencies of the agency's county (and its townships): the partners of a joint inspection."""
    from zhifa.core.scoping import region_part

    return Agency.objects.public().filter(tree_path__startswith=region_part(agency.tree_path))


class InspectionCreateForm(forms.Form):
    """检查登记: the enterprise by its credit code, the items of the one checklist, the team."""

    agency = forms.ModelChoiceField(label="牵头执法主体", queryset=Agency.objects.none())
    credit_code = forms.CharField(label="被检查企业统一社会信用代码", max_length=18, min_length=18)
    kind = forms.ChoiceField(label="检查类别", choices=KIND_CHOICES)
    origin_kind = forms.ChoiceField(label="检查来源", choices=ORIGIN_CHOICES, initial="plan")
    origin_reference = forms.CharField(label="来源说明（抽查批次、计划、投诉件或部署文件编号）", max_length=200,
                                       required=False)
    subject = forms.CharField(label="检查事由", max_length=200)
    place = forms.CharField(label="检查地点", max_length=200)
    planned_on = forms.DateField(label="检查日期", widget=DateInput())
    items = forms.ModelMultipleChoiceField(label="检查事项（可选多个部门的事项，一表通查）", queryset=Item.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    officers = forms.ModelMultipleChoiceField(label="检查人员（两名以上持证执法人员）", queryset=Officer.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    cap_exception = forms.ChoiceField(label="不计入年度检查次数上限的情形", choices=CAP_EXCEPTION_CHOICES, required=False)
    cap_exception_reason = forms.CharField(label="例外依据", max_length=300, required=False)
    emergency = forms.BooleanField(label="情况紧急，立即实施（事后补办审批）", required=False)
    emergency_reason = forms.CharField(label="紧急情况说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        agencies = Agency.objects.restrict(user, "view").filter(is_active=True).order_by("name")
        self.fields["agency"].queryset = agencies
        if user.agency_id:
            self.initial.setdefault("agency", user.agency_id)
        self.initial.setdefault("planned_on", clock.today())
        lead = user.agency or agencies.first()
        partners = county_agencies(lead) if lead else Agency.objects.none()
        self.fields["items"].queryset = (Item.objects.public().filter(kind="inspection", agency__in=partners)
                                         .select_related("agency").order_by("agency__name", "code"))
        self.fields["items"].label_from_instance = lambda i: f"{i.agency.short_name or i.agency.name}：{i.name}（{i.code}）"
        self.fields["officers"].queryset = (Officer.objects.public().filter(home_agency__in=partners)
                                            .select_related("home_agency").order_by("home_agency__name", "name"))
        self.fields["officers"].label_from_instance = lambda o: f"{o.name}（{o.home_agency.short_name or o.home_agency.name}）"

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        party = Party.objects.restrict(self.user, "view").filter(credit_code=code).first()
        if party is None:
            raise forms.ValidationError("未找到该统一社会信用代码的企业（或不在您的管辖范围内），请先登记当事人。")
        self.cleaned_data["party"] = party
        return code


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NotifyForm(forms.Form):
    method = forms.ChoiceField(label="告知方式", choices=NOTICE_METHOD_CHOICES)


class ScanForm(forms.Form):
    """扫码入企: the code scanned (the camera page fills it in) or typed, with time and place."""

    code = forms.CharField(label="企业监管码", max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "inputmode": "text"}))
    method = forms.ChoiceField(label="方式", choices=[("typed", "手工输入"), ("scan", "手机扫码")], initial="typed")
    scanned_at = forms.DateTimeField(label="到达时间", widget=DateTimeInput())
    place = forms.CharField(label="地点", max_length=200, required=False)
    latitude = forms.DecimalField(label="纬度", required=False, max_digits=9, decimal_places=6, min_value=-90,
                                  max_value=90, widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.DecimalField(label="经度", required=False, max_digits=9, decimal_places=6, min_value=-180,
                                   max_value=180, widget=forms.NumberInput(attrs={"step": "any"}))

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("scanned_at", local_now_minutes())
        if inspection is not None:
            self.initial.setdefault("place", inspection.place)


class UnscannedForm(forms.Form):
    reason = forms.CharField(label="未扫码原因", widget=forms.Textarea(attrs={"rows": 2}))


class RecordForm(forms.Form):
    """现场检查笔录: the findings and one result per line of the checklist."""

    findings = forms.CharField(label="现场检查情况", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_names = []
        for line in inspection.lines.select_related("item", "agency"):
            name = f"line_{line.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{line.agency.short_name or line.agency.name}：{line.item.name}",
                choices=[("compliant", "符合"), ("problem", "发现问题")], initial=line.result
                if line.result != "pending" else "compliant", widget=forms.RadioSelect)
            self.fields[f"note_{line.pk}"] = forms.CharField(label="该项情况", required=False, initial=line.note)
            self.line_names.append(line.pk)
        if inspection.findings:
            self.initial.setdefault("findings", inspection.findings)

    def lines(self):
        return {pk: (self.cleaned_data[f"line_{pk}"], self.cleaned_data.get(f"note_{pk}", "")) for pk in self.line_names}


class CorrectionForm(forms.Form):
    requirements = forms.CharField(label="责令改正的内容", widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label="改正期限", widget=DateInput())


class ReviewForm(forms.Form):
    corrected = forms.BooleanField(label="已按期改正", required=False, initial=True)
    note = forms.CharField(label="复查情况", widget=forms.Textarea(attrs={"rows": 3}))


class OpenCaseForm(forms.Form):
    line = forms.ModelChoiceField(label="发现问题的检查事项", queryset=None)
    penalty_item = forms.ModelChoiceField(label="对应的行政处罚事项", queryset=Item.objects.none())
    cause = forms.CharField(label="案由（可留空，按事项生成）", max_length=200, required=False)
    facts = forms.CharField(label="违法事实", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, inspection=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = inspection.lines.filter(result="problem").select_related("item")
        self.fields["line"].label_from_instance = lambda line: line.item.name
        agencies = inspection.lines.values("agency")
        self.fields["penalty_item"].queryset = (Item.objects.public().filter(kind="penalty", agency__in=agencies)
                                                .order_by("code"))
        self.fields["penalty_item"].label_from_instance = lambda i: f"{i.name}（{i.code}）"


class PublishForm(forms.Form):
    summary = forms.CharField(label="公示的检查结果（不含个人信息）", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


STEP_FORMS = {
    "approve": OpinionForm, "refuse": OpinionForm, "confirm": OpinionForm, "notify": NotifyForm, "arrive": ScanForm,
    "scan": ScanForm, "enter_unscanned": UnscannedForm, "record": RecordForm, "order_correction": CorrectionForm,
    "review": ReviewForm, "open_case": OpenCaseForm, "publish": PublishForm, "conclude": forms.Form,
}


class EvidenceForm(forms.Form):
    file = forms.FileField(label="照片、录音或录像",
                           widget=forms.ClearableFileInput(attrs={"accept": "image/*,video/*,audio/*",
                                                                  "capture": "environment"}))
    kind = forms.ChoiceField(label="证据种类", choices=EVIDENCE_KIND_CHOICES, initial="audiovisual")
    title = forms.CharField(label="证据名称", max_length=200)
    description = forms.CharField(label="证明内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    captured_at = forms.DateTimeField(label="采集时间", widget=DateTimeInput())
    place_text = forms.CharField(label="采集地点", max_length=200, required=False)
    device = forms.ModelChoiceField(
        label="登记的采集设备", required=False, queryset=None,
        help_text="执法装备登记中的执法记录仪、执法终端或电子技术监控设备；执法记录仪、执法终端须在采集时领用给本次检查的执法人员或采集人。")

    def __init__(self, *args, inspection=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("captured_at", local_now_minutes())
        from zhifa.inspections.models import Device

        devices = Device.objects.none()
        if inspection is not None and user is not None:
            agencies = set(inspection.lines.values_list("agency_id", flat=True)) | {inspection.agency_id}
            devices = (Device.objects.restrict(user, "view").filter(agency_id__in=agencies, status="in_service")
                       .order_by("kind", "serial"))
        self.fields["device"].queryset = devices


class CapForm(forms.Form):
    agency = forms.ModelChoiceField(label="执法主体", queryset=Agency.objects.none())
    year = forms.IntegerField(label="年度", min_value=2024, max_value=2100)
    max_per_enterprise = forms.IntegerField(label="同一企业年度检查次数上限", min_value=1, max_value=99)
    basis = forms.CharField(label="制定依据", max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.restrict(user, "view").filter(is_active=True).order_by("name")
        self.initial.setdefault("year", clock.today().year)
        if user.agency_id:
            self.initial.setdefault("agency", user.agency_id)


class EnterpriseLookupForm(forms.Form):
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)
    code = forms.CharField(label="涉企行政执法监督码", max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(label="满意度", coerce=int, choices=[(5, "5 非常满意"), (4, "4 满意"), (3, "3 一般"),
                                                                          (2, "2 不满意"), (1, "1 非常不满意")])
    comment = forms.CharField(label="评价意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    is_complaint = forms.BooleanField(label="我要投诉（请写明事实和理由）", required=False)
    contact_name = forms.CharField(label="联系人（投诉时必填）", required=False, max_length=50)
    contact_phone = forms.CharField(label="联系电话（投诉时必填）", required=False, max_length=40)
