"""Forms of the case pages. They only parse and check input shapes; every rule of the
procedure lives in ``zhifa.cases.services`` / ``rules`` and is applied when the view calls
the one service function behind each form."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from zhifa.catalog import choices as catalog_choices
from zhifa.catalog.models import Item
from zhifa.core import clock
from zhifa.core.forms import ScopedModelForm
from zhifa.orgs.models import Agency, Unit
from zhifa.parties import services as party_services
from zhifa.parties.filters import PartyFilterSet
from zhifa.parties.models import Party
from zhifa.people.models import Officer

from . import choices

PARTY_CHOICES_LIMIT = 30
SIMPLE_KIND_CHOICES = [(catalog_choices.WARNING, catalog_choices.WARNING), (catalog_choices.FINE, catalog_choices.FINE)]
YES_NO = [("", "请选择"), ("1", "采纳"), ("0", "不予采纳")]


class DateInput(forms.DateInput):
    """A native date picker (phones show their own)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker in local time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def local_now_minutes() -> datetime.datetime:
    """Now in the local time zone, to the minute (the initial value of time fields)."""
    return timezone.localtime(clock.now()).replace(second=0, microsecond=0)


def party_label(party: Party) -> str:
    """How a party appears in a picker: name, kind and masked identifier."""
    ident = party.display_identifier
    return f"{party.name}（{party.get_kind_display()}{'，' + ident if ident else ''}）"


def competent_items(user):
    """Penalty items the user's agencies may exercise (owned or delegated), in force."""
    return (
        Item.objects.restrict(user, "view")
        .filter(kind="penalty", status=catalog_choices.IN_FORCE)
        .select_related("field")
        .order_by("code", "id")
    )


def agency_officers(user, agency=None):
    """Active officers (not auxiliaries) the user can see, of ``agency`` when given."""
    qs = Officer.objects.restrict(user, "view").filter(is_active=True, kind=Officer.KIND_OFFICER)
    if agency is not None:
        qs = qs.filter(Q(home_agency=agency) | Q(dispatched_to__agency=agency))
    return qs.select_related("home_agency").order_by("name", "id")


class PartyPickerMixin:
    """A ``party`` select over the parties in the user's reach, with a search box
    (``party_q``) that narrows the options shown (the search button re-renders the form
    without saving; with JavaScript the same happens in place)."""

    def setup_party(self, user, query=None):
        if query is None:
            query = (self.data.get(self.add_prefix("party_q")) or "").strip() if self.is_bound else ""
        base = Party.objects.restrict(user, "view")
        self.fields["party"].queryset = base
        shown = base
        if query:
            shown = PartyFilterSet({"q": query}, queryset=base).qs
        else:
            shown = base.order_by("-created_at", "-id")
        options = list(shown[:PARTY_CHOICES_LIMIT])
        selected = self.data.get(self.add_prefix("party")) if self.is_bound else self.initial.get("party")
        if selected and str(selected).isdigit() and all(str(p.pk) != str(selected) for p in options):
            extra = base.filter(pk=selected).first()
            if extra is not None:
                options.insert(0, extra)
        if query and len(options) == 1 and not self.is_bound:
            self.initial["party"] = options[0].pk
        self.fields["party"].widget.choices = [("", "请选择当事人")] + [(p.pk, party_label(p)) for p in options]
        self.party_search = query
        self.party_matches = len(options)


class CaseCreateForm(PartyPickerMixin, forms.Form):
    """线索登记 under the general procedure."""

    agency = forms.ModelChoiceField(label="办案机关", queryset=Agency.objects.none())
    unit = forms.ModelChoiceField(label="承办机构", queryset=Unit.objects.none(), required=False)
    item = forms.ModelChoiceField(label="执法事项", queryset=Item.objects.none(),
                                  help_text="本机关有权实施（含赋权）的行政处罚事项。")
    party_q = forms.CharField(label="查找当事人", required=False,
                              help_text="输入名称、完整身份证件号码或统一社会信用代码后点“查找”。")
    party = forms.ModelChoiceField(label="当事人", queryset=Party.objects.none())
    cause = forms.CharField(label="案由", max_length=200)
    source = forms.ChoiceField(label="案件来源", choices=choices.SOURCE_CHOICES, initial="inspection")
    occurred_on = forms.DateField(label="违法行为发生日期", widget=DateInput())
    violation_ended_on = forms.DateField(
        label="违法行为终了日期", required=False, widget=DateInput(),
        help_text="违法行为有连续或者继续状态、已经终了的填写；追责时效自终了之日起计算（处罚法第三十六条）。",
    )
    violation_continuing = forms.BooleanField(label="违法行为仍在持续", required=False)
    grave_safety_harm = forms.BooleanField(
        label="涉及公民生命健康安全、金融安全且有危害后果", required=False,
        help_text="追责时效为五年（其他为二年）。",
    )
    place = forms.CharField(label="发生地点", max_length=200)
    facts = forms.CharField(label="违法事实", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    lead = forms.ModelChoiceField(label="主办人员", queryset=Officer.objects.none())
    assistants = forms.ModelMultipleChoiceField(
        label="协办人员", queryset=Officer.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="立案和调查须有两名以上持有效执法证、可办理该事项的执法人员。",
    )

    def __init__(self, *args, user, officer=None, party_query=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["agency"].queryset = Agency.objects.restrict(user, "view").filter(is_active=True).order_by("name")
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view").select_related("agency").order_by("name")
        self.fields["unit"].label_from_instance = lambda u: f"{u.agency.name} · {u.name}"
        self.fields["item"].queryset = competent_items(user)
        officers = agency_officers(user)
        self.fields["lead"].queryset = officers
        self.fields["assistants"].queryset = officers
        self.fields["lead"].label_from_instance = self.fields["assistants"].label_from_instance = (
            lambda o: f"{o.name}（{o.home_agency.name}）"
        )
        if not self.is_bound:
            self.initial.setdefault("agency", getattr(user, "agency_id", None))
            self.initial.setdefault("unit", getattr(user, "unit_id", None))
            self.initial.setdefault("occurred_on", clock.today())
            if officer is not None:
                self.initial.setdefault("lead", officer.pk)
        self.setup_party(user, party_query)

    def officers(self) -> list:
        """Lead first, then the assistants (without repeating the lead)."""
        lead = self.cleaned_data["lead"]
        return [lead] + [o for o in self.cleaned_data.get("assistants", []) if o.pk != lead.pk]


class QuickPartyForm(ScopedModelForm):
    """Register a party at the scene (当场登记): the identifying fields only; identifiers are
    checked by the parties app's model rules and a party registered anywhere is not
    registered twice."""

    class Meta:
        model = Party
        fields = ["kind", "name", "id_number", "credit_code", "legal_representative", "phone", "address", "region"]
        help_texts = {
            "id_number": "自然人填写居民身份证号码。",
            "credit_code": "法人、非法人组织填写统一社会信用代码（个体工商户选填）。",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["kind"].initial = Party.NATURAL
        if user is not None:
            self.fields["region"].queryset = party_services.regions_for_change(user)
            agency = getattr(user, "agency", None)
            if agency is not None:
                self.fields["region"].initial = agency.region_id
        self.fields["address"].required = False

    def validate_unique(self):
        try:
            party_services.check_not_registered(self.instance, self.user)
        except forms.ValidationError as exc:
            self._update_errors(exc)

    def save(self, commit=True):
        party = super().save(commit=False)
        agency = getattr(self.user, "agency", None)
        if agency is not None and party.agency_id is None:
            party.agency = agency
        if commit:
            party.save()
        return party


class SimpleCaseForm(PartyPickerMixin, forms.Form):
    """当场处罚 on one phone screen."""

    PARTY_EXISTING, PARTY_NEW = "existing", "new"

    item = forms.ModelChoiceField(label="执法事项", queryset=Item.objects.none())
    party_mode = forms.ChoiceField(
        label="当事人", choices=[(PARTY_EXISTING, "选择已登记的当事人"), (PARTY_NEW, "现场登记新当事人")],
        initial=PARTY_EXISTING, widget=forms.RadioSelect,
    )
    party_q = forms.CharField(label="查找当事人", required=False)
    party = forms.ModelChoiceField(label="已登记的当事人", queryset=Party.objects.none(), required=False)
    cause = forms.CharField(label="案由", max_length=200, required=False, help_text="留空则按执法事项名称填写。")
    place = forms.CharField(label="地点", max_length=200)
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 3}))
    stored_file = forms.IntegerField(required=False, widget=forms.HiddenInput)
    photo = forms.FileField(label="现场照片（可选）", required=False)
    level = forms.ChoiceField(label="违法情节", choices=[("", "请选择")] + catalog_choices.LEVEL_CHOICES)
    penalty_kinds = forms.MultipleChoiceField(label="处罚种类", choices=SIMPLE_KIND_CHOICES,
                                              widget=forms.CheckboxSelectMultiple)
    fine_amount = forms.DecimalField(label="罚款金额（元）", required=False, min_value=0, max_digits=14,
                                     decimal_places=2)
    deviation_reason = forms.CharField(label="偏离裁量基准的理由", required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}),
                                       help_text="仅在处罚不符合裁量基准时填写。")
    certificate_shown = forms.BooleanField(label="已出示执法证件", required=False)
    party_heard = forms.BooleanField(label="已告知当事人违法事实、处罚理由和依据，并听取陈述申辩", required=False)

    def __init__(self, *args, user, party_query=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["item"].queryset = competent_items(user)
        self.setup_party(user, party_query)

    def clean(self):
        data = super().clean()
        if data.get("party_mode") == self.PARTY_EXISTING and not data.get("party"):
            self.add_error("party", "请选择当事人，或选择“现场登记新当事人”。")
        kinds = data.get("penalty_kinds") or []
        if catalog_choices.FINE not in kinds:
            data["fine_amount"] = None
        return data


class AssignOfficerForm(forms.Form):
    """An officer of the case's agency not yet on the case (指定办案人员)."""

    officer = forms.ModelChoiceField(label="执法人员", queryset=Officer.objects.none())
    role = forms.ChoiceField(label="角色", choices=choices.OFFICER_ROLE_CHOICES, initial="assistant")

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        assigned = case.assignments.values("officer_id")
        self.fields["officer"].queryset = agency_officers(user, case.agency).exclude(pk__in=assigned)
        self.fields["officer"].label_from_instance = lambda o: f"{o.name}（{o.home_agency.name}）"


class DiscretionForm(forms.Form):
    """The proposed penalty (拟定处罚意见) compared with the benchmark by ``services``."""

    level = forms.ChoiceField(label="违法情节（裁量档次）", choices=[("", "请选择")] + catalog_choices.LEVEL_CHOICES)
    outcome = forms.ChoiceField(label="处理结果", choices=choices.OUTCOME_CHOICES, initial=choices.OUTCOME_PENALTY)
    penalty_kinds = forms.MultipleChoiceField(label="处罚种类", choices=catalog_choices.PENALTY_KIND_CHOICES,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    fine_amount = forms.DecimalField(label="罚款金额（元）", required=False, min_value=0, max_digits=14,
                                     decimal_places=2)
    confiscation_amount = forms.DecimalField(label="没收违法所得金额（元）", required=False, min_value=0, max_digits=14,
                                             decimal_places=2)
    confiscated_property = forms.CharField(
        label="没收非法财物清单", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="选择“没收非法财物”时必填，每行一项：名称、规格、数量。")
    penalty_period = forms.CharField(
        label="暂扣、停产停业或限制的期限", required=False, max_length=60,
        help_text="选择暂扣许可证件、责令停产停业、限制开展生产经营活动或限制从业时填写，如“三个月”。")
    fact_tags = forms.MultipleChoiceField(label="裁量情节（用于匹配四张清单）", choices=catalog_choices.CONDITION_CHOICES,
                                          required=False, widget=forms.CheckboxSelectMultiple)
    no_fault_exception = forms.CharField(
        label="无主观过错仍予处罚的法律、行政法规规定", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅在勾选“没有主观过错”且法律、行政法规另有规定时填写（行政处罚法第三十三条第二款），"
                  "写明名称和条款，如“《中华人民共和国××法》第×条”。")
    deviation_reason = forms.CharField(label="偏离裁量基准的书面理由", required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    reasoning = forms.CharField(label="裁量说理", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    education_record = forms.CharField(label="教育记录（不予处罚时必填）", required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_for(cls, case) -> dict:
        return {
            "level": case.discretion_level, "outcome": case.outcome or choices.OUTCOME_PENALTY,
            "penalty_kinds": case.penalty_kinds, "fine_amount": case.fine_amount,
            "confiscation_amount": case.confiscation_amount, "fact_tags": case.fact_tags,
            "no_fault_exception": case.no_fault_exception,
            "confiscated_property": case.confiscated_property, "penalty_period": case.penalty_period,
            "deviation_reason": case.deviation_reason, "reasoning": case.discretion_reasoning,
            "education_record": case.education_record,
        }


def _recordings(case):
    from .models import Evidence

    return (
        Evidence.objects.filter(case=case)
        .filter(Q(file__content_type__startswith="video/") | Q(file__content_type__startswith="audio/"))
        .select_related("file")
    )


class RecordingChoiceMixin:
    """A ``recording`` select over the case's audio and video evidence."""

    def setup_recording(self, case, required=False):
        field = self.fields["recording"]
        field.queryset = _recordings(case)
        field.required = required
        field.label_from_instance = lambda e: f"证据{e.number} {e.title}（{e.file.content_type}）"


class InspectionForm(RecordingChoiceMixin, forms.Form):
    """现场检查笔录."""

    time = forms.DateTimeField(label="检查时间", widget=DateTimeInput())
    place = forms.CharField(label="检查地点", max_length=200)
    content = forms.CharField(label="检查内容", widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 4}))
    recording = forms.ModelChoiceField(label="音像记录", queryset=None, required=False, empty_label="（无）")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_recording(case)
        self.initial.setdefault("time", local_now_minutes())
        self.initial.setdefault("place", case.place)


class InterviewForm(RecordingChoiceMixin, forms.Form):
    """询问笔录 (the question/answer pairs are posted as repeated ``q``/``a`` fields)."""

    interviewee = forms.CharField(label="被询问人", max_length=100)
    time = forms.DateTimeField(label="询问时间", widget=DateTimeInput())
    place = forms.CharField(label="询问地点", max_length=200)
    in_interview_room = forms.BooleanField(label="在办案场所（询问室）进行（须全程录音录像）", required=False)
    recording = forms.ModelChoiceField(label="录音录像", queryset=None, required=False, empty_label="（无）")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_recording(case)
        self.initial.setdefault("time", local_now_minutes())
        party = case.party
        self.initial.setdefault("interviewee", party.legal_representative or party.name)


class StatementForm(forms.Form):
    """One point of the party's statement and defence (陈述申辩)."""

    point = forms.CharField(label="陈述申辩意见", widget=forms.Textarea(attrs={"rows": 4}))
    received_on = forms.DateField(label="提出日期", widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", clock.today())


class AnswerStatementForm(forms.Form):
    """The answer after re-examination (复核意见)."""

    answer = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 4}))
    accepted = forms.ChoiceField(label="是否采纳", choices=YES_NO)


class WaiveRightsForm(forms.Form):
    """The party's written waiver (明确放弃)."""

    note = forms.CharField(label="放弃情况说明", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="当事人书面明确放弃陈述、申辩和听证权利的情况（如签字确认书）。")


class HearingRequestForm(forms.Form):
    """The party's hearing request (听证申请)."""

    requested_on = forms.DateField(label="申请日期", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("requested_on", clock.today())


class HearingScheduleForm(forms.Form):
    """The hearing notice (听证通知)."""

    notified_on = forms.DateField(label="通知日期", widget=DateInput())
    scheduled_for = forms.DateTimeField(label="听证时间", widget=DateTimeInput())
    place = forms.CharField(label="听证地点", max_length=200)
    presiding = forms.ModelChoiceField(label="主持人", queryset=Officer.objects.none(),
                                       help_text="主持人应为非本案调查人员。")

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        assigned = case.assignments.values("officer_id")
        self.fields["presiding"].queryset = agency_officers(user, case.agency).exclude(pk__in=assigned)
        self.initial.setdefault("notified_on", clock.today())


class HearingRecordForm(forms.Form):
    """The hearing record (听证笔录), or the party's absence."""

    party_absent = forms.BooleanField(label="当事人无正当理由未出席（视为放弃听证）", required=False)
    held_on = forms.DateField(label="举行日期", widget=DateInput(), required=False)
    record = forms.CharField(label="听证笔录", widget=forms.Textarea(attrs={"rows": 6}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_on", clock.today())


class ExtensionForm(forms.Form):
    """An extension of the time limit for deciding (延长办案期限)."""

    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365)
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class ViolationPeriodForm(forms.Form):
    """When the violation ended, or that it continues; whether the five-year limitation applies."""

    violation_ended_on = forms.DateField(label="违法行为终了日期", required=False, widget=DateInput(),
                                         help_text="违法行为有连续或者继续状态、已经终了的填写。")
    violation_continuing = forms.BooleanField(label="违法行为仍在持续", required=False)
    grave_safety_harm = forms.BooleanField(label="涉及公民生命健康安全、金融安全且有危害后果", required=False,
                                           help_text="追责时效为五年（其他为二年，处罚法第三十六条）。")

    @classmethod
    def initial_for(cls, case) -> dict:
        return {"violation_ended_on": case.violation_ended_on, "violation_continuing": case.violation_continuing,
                "grave_safety_harm": case.grave_safety_harm}


class PaymentPlanForm(forms.Form):
    """An approved deferral or instalment plan (处罚法第六十六条第二款)."""

    kind = forms.ChoiceField(label="方式", choices=[("deferral", "延期缴纳"), ("instalments", "分期缴纳")],
                             widget=forms.RadioSelect, initial="instalments")
    applied_on = forms.DateField(label="当事人申请日期", widget=DateInput())
    reason = forms.CharField(label="经济困难情况", widget=forms.Textarea(attrs={"rows": 3}))
    schedule = forms.CharField(
        label="缴款期限和金额", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一期：缴款期限 金额，例如“2026-12-25 4000”。延期缴纳只填一行（全部罚款）。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("applied_on", clock.today())

    def clean_schedule(self):
        from decimal import Decimal, InvalidOperation

        parts, errors = [], []
        for number, line in enumerate(self.cleaned_data["schedule"].splitlines(), start=1):
            line = line.strip().replace("，", " ").replace(",", " ").replace("元", "")
            if not line:
                continue
            pieces = line.split()
            try:
                due = datetime.date.fromisoformat(pieces[0])
                amount = Decimal(pieces[1])
                if len(pieces) != 2:
                    raise ValueError
            except (ValueError, IndexError, InvalidOperation):
                errors.append(f"第{number}行应为“缴款期限 金额”，例如“2026-12-25 4000”。")
                continue
            parts.append((due, amount))
        if errors:
            raise forms.ValidationError(errors)
        if not parts:
            raise forms.ValidationError("请至少填写一期。")
        return parts


class PaymentForm(forms.Form):
    """A bank's payment confirmation (缴款凭证)."""

    paid_on = forms.DateField(label="缴款日期", widget=DateInput())
    purpose = forms.ChoiceField(
        label="缴纳款项", required=False, choices=[("", "按顺序抵缴（先罚款及加处罚款，后没收违法所得）")]
        + choices.PAYMENT_PURPOSE_CHOICES)
    amount = forms.DecimalField(label="缴款金额（元）", min_value=0, max_digits=14, decimal_places=2)
    bank = forms.CharField(label="代收银行", max_length=100)
    bank_reference = forms.CharField(label="银行缴款凭证号", max_length=60)

    def __init__(self, *args, amount_outstanding=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("paid_on", clock.today())
        if amount_outstanding is not None:
            self.initial.setdefault("amount", amount_outstanding)


class OtherExecutionForm(forms.Form):
    """How the penalties other than money were executed."""

    executed_on = forms.DateField(label="执行日期", widget=DateInput())
    text = forms.CharField(label="执行情况", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="如：已收缴并注销食品经营许可证；没收的食品已于某日无害化处理。")


class EvidenceForm(forms.Form):
    """Evidence from a phone: the stored file id from the resumable upload, or (without
    JavaScript) the file itself."""

    stored_file = forms.IntegerField(required=False, widget=forms.HiddenInput(attrs={"id": "id_stored_file"}))
    file = forms.FileField(label="文件", required=False)
    kind = forms.ChoiceField(label="证据种类", choices=choices.EVIDENCE_KIND_CHOICES, initial="audiovisual")
    title = forms.CharField(label="证据名称", max_length=200)
    description = forms.CharField(label="证明内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    device = forms.CharField(label="采集设备", max_length=100, required=False)
    captured_at = forms.DateTimeField(label="采集时间", widget=DateTimeInput(),
                                      help_text="执法记录仪导出的文件请改为实际拍摄时间；超过24小时上传的将被标记。")
    place_text = forms.CharField(label="采集地点", max_length=200, required=False)
    latitude = forms.DecimalField(label="纬度", required=False, max_digits=9, decimal_places=6,
                                  min_value=-90, max_value=90, widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.DecimalField(label="经度", required=False, max_digits=9, decimal_places=6,
                                   min_value=-180, max_value=180, widget=forms.NumberInput(attrs={"step": "any"}))

    registered_device = forms.ModelChoiceField(
        label="登记的采集设备", required=False, queryset=None,
        help_text="执法装备登记中的执法记录仪、执法终端或电子技术监控设备；执法记录仪须在采集时领用给本案办案人员或采集人。",
    )

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("captured_at", local_now_minutes())
        if case is not None:
            self.initial.setdefault("place_text", case.place)
        # the equipment register (zhifa.inspections) is above cases: reached by its label, not imported
        from django.apps import apps

        device_model = apps.get_model("inspections", "Device")
        devices = device_model.objects.none()
        if case is not None and user is not None:
            devices = (device_model.objects.restrict(user, "view")
                       .filter(agency_id=case.agency_id, status="in_service").order_by("kind", "serial"))
        self.fields["registered_device"].queryset = devices

    def clean(self):
        data = super().clean()
        if not data.get("stored_file") and not data.get("file"):
            raise forms.ValidationError("请选择要上传的照片、录音或录像文件。")
        return data


# Transitions that take data, and the form asking for it.


class NotifyForm(forms.Form):
    """送达事先告知书: the day it was served."""

    served_on = forms.DateField(label="告知书送达日期", widget=DateInput())

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("served_on", clock.today())


class DecideForm(forms.Form):
    """作出处罚决定: penalty or no penalty."""

    outcome = forms.ChoiceField(label="处理结果", choices=choices.OUTCOME_CHOICES)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("outcome", case.outcome or choices.OUTCOME_PENALTY)


class ServeForm(forms.Form):
    """送达决定书: when, how and to whom."""

    served_on = forms.DateField(label="送达日期", widget=DateInput())
    service_method = forms.ChoiceField(label="送达方式", choices=[("", "请选择")] + choices.SERVICE_METHOD_CHOICES)
    service_recipient = forms.CharField(label="受送达人", max_length=100)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("served_on", clock.today())
        self.initial.setdefault("service_recipient", case.party.legal_representative or case.party.name)


class DecideOnSpotForm(forms.Form):
    """当场作出处罚决定: the two mandatory confirmations."""

    certificate_shown = forms.BooleanField(label="已出示执法证件", required=False)
    party_heard = forms.BooleanField(label="已告知当事人违法事实、处罚理由和依据，并听取陈述申辩", required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("certificate_shown", case.certificate_shown)
        self.initial.setdefault("party_heard", case.party_heard)


TRANSITION_FORMS = {
    "notify": NotifyForm,
    "decide": DecideForm,
    "serve": ServeForm,
    "decide_on_spot": DecideOnSpotForm,
}


class RemedyForm(forms.Form):
    """A reconsideration application or a lawsuit against the decision (行政复议、行政诉讼)."""

    kind = forms.ChoiceField(label="救济途径", choices=choices.REMEDY_KIND_CHOICES)
    body = forms.CharField(label="复议机关或人民法院", max_length=100)
    filed_on = forms.DateField(label="申请（起诉）日期", widget=DateInput())
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None and getattr(agency, "review_body", ""):
            self.initial.setdefault("body", agency.review_body)


class RemedyResultForm(forms.Form):
    result = forms.ChoiceField(label="结果", choices=[c for c in choices.REMEDY_RESULT_CHOICES
                                                      if c[0] != choices.REMEDY_PENDING])
    decided_on = forms.DateField(label="作出结果日期", widget=DateInput())
    result_number = forms.CharField(label="复议决定书或裁判文书文号", max_length=80, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
