import datetime

from rest_framework import serializers

from zhifa.catalog import choices as catalog_choices
from zhifa.catalog.models import Item
from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedSerializerMixin
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.records.models import StoredFile

from .. import choices, rules
from ..models import (
    Case,
    CaseDocument,
    CaseOfficer,
    Evidence,
    Extension,
    Hearing,
    Inspection,
    Interview,
    Payment,
    PaymentInstalment,
    PaymentPlan,
    Remedy,
    Statement,
)
from ..procedures import procedure_for


class CaseSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A case; stage changes go through ``/transition/``, never a PATCH."""

    stage_name = serializers.CharField(read_only=True)
    officers = serializers.PrimaryKeyRelatedField(
        many=True, write_only=True, queryset=Officer.objects.all(), help_text="办案人员（第一位为主办）"
    )
    handling_officers = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    penalties = serializers.SerializerMethodField(help_text="决定的每一项处罚：种类、金额、没收财物清单、期限及其表述")
    limitation_ends_on = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "number", "procedure", "stage", "stage_name", "agency", "unit", "item", "item_version", "party",
            "cause", "source", "occurred_on", "place", "facts", "registered_on", "filed_on", "notice_served_on",
            "statement_deadline", "hearing_right", "rights_waived", "decided_on", "outcome", "decision_number",
            "served_on", "service_method", "payment_due_on", "executed_on", "closed_on", "archived_on",
            "extension_days", "discretion_level", "fact_tags", "no_fault_exception", "penalty_kinds", "fine_amount", "confiscation_amount",
            "confiscated_property", "penalty_period", "penalties", "other_execution", "other_executed_on",
            "within_benchmark", "benchmark_findings", "deviation_reason", "next_deadline", "next_deadline_label",
            "is_overdue", "officers", "handling_officers", "violation_ended_on", "violation_continuing",
            "grave_safety_harm", "limitation_ends_on",
        ]
        read_only_fields = [f for f in fields if f not in (
            "procedure", "agency", "unit", "item", "party", "cause", "source", "occurred_on", "place", "facts", "officers",
            "violation_ended_on", "violation_continuing", "grave_safety_harm",
        )]

    def get_penalties(self, obj) -> list[dict]:
        from ..documents import penalty_text
        from ..rules import penalty_items

        return [{"kind": i.kind, "amount": str(i.amount) if i.amount is not None else None, "goods": i.goods,
                 "period": i.period, "text": penalty_text(i)} for i in penalty_items(obj)]

    def get_limitation_ends_on(self, obj) -> datetime.date | None:
        """The last day on which discovering the violation still allows a penalty (处罚法第三十六条)."""
        return rules.limitation_ends_on(obj)

    def get_handling_officers(self, obj) -> list[dict]:
        return [{"id": a.officer_id, "name": a.officer.name, "role": a.role} for a in obj.assignments.all()]


class TransitionSerializer(serializers.Serializer):
    transition = serializers.CharField(help_text="步骤代码，见 /api/cases/procedures/")
    served_on = serializers.DateField(required=False)
    outcome = serializers.ChoiceField(choices=choices.OUTCOME_CHOICES, required=False)
    service_method = serializers.ChoiceField(choices=choices.SERVICE_METHOD_CHOICES, required=False)
    service_recipient = serializers.CharField(required=False)
    certificate_shown = serializers.BooleanField(required=False)
    party_heard = serializers.BooleanField(required=False)


class DiscretionSerializer(serializers.Serializer):
    level = serializers.CharField()
    penalty_kinds = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    confiscation_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                                   help_text="没收违法所得金额（元）")
    confiscated_property = serializers.CharField(required=False, allow_blank=True, default="",
                                                 help_text="没收非法财物清单，每行一项（选择“没收非法财物”时必填）")
    penalty_period = serializers.CharField(required=False, allow_blank=True, default="",
                                           help_text="暂扣许可证件、责令停产停业、限制开展生产经营活动或限制从业的期限")
    fact_tags = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    no_fault_exception = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="当事人没有主观过错但法律、行政法规另有规定的，写明该规定的名称和条款（行政处罚法第三十三条第二款）")
    deviation_reason = serializers.CharField(required=False, allow_blank=True, default="")
    reasoning = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=choices.OUTCOME_CHOICES, required=False, default=choices.OUTCOME_PENALTY)
    education_record = serializers.CharField(required=False, allow_blank=True, default="")


class OtherExecutionSerializer(serializers.Serializer):
    executed_on = serializers.DateField(help_text="执行日期")
    text = serializers.CharField(help_text="罚没款以外处罚种类的执行情况，如“已收缴并注销食品经营许可证”")


class EvidenceSerializer(serializers.ModelSerializer):
    file_hash = serializers.CharField(source="file.hash", read_only=True)
    size = serializers.IntegerField(source="file.size", read_only=True)
    content_type = serializers.CharField(source="file.content_type", read_only=True)
    registered_device = serializers.PrimaryKeyRelatedField(
        queryset=Evidence._meta.get_field("registered_device").related_model._base_manager.all(), required=False,
        allow_null=True, default=None,
        help_text="执法装备登记中的采集设备 id：须在用；执法记录仪、执法终端须在采集时领用给本案办案人员或采集人；"
                  "电子技术监控设备须通过法制和技术审核并公布设置地点",
    )

    class Meta:
        model = Evidence
        fields = ["id", "number", "kind", "title", "description", "file", "file_hash", "size", "content_type", "device",
                  "registered_device",
                  "officer", "captured_at", "place_text", "latitude", "longitude", "uploaded_at", "late_upload"]
        read_only_fields = ["number", "uploaded_at", "late_upload", "officer"]


class StatementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Statement
        fields = ["id", "received_on", "point", "answer", "accepted"]
        read_only_fields = ["answer", "accepted"]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "paid_on", "purpose", "amount", "fine_part", "surcharge", "income_part", "bank", "bank_reference",
                  "recorded_at"]
        read_only_fields = ["fine_part", "surcharge", "income_part", "recorded_at"]
        extra_kwargs = {"purpose": {"help_text": "缴纳款项：fine（罚款及加处罚款）、illegal_income（没收违法所得）；"
                                                 "留空按此顺序抵缴"}}


class CaseListSerializer(serializers.ModelSerializer):
    """A case in a list (案件列表): what a list row shows; ``GET /cases/{id}/`` has every field."""

    stage_name = serializers.CharField(read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    party_name = serializers.CharField(source="party.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "number", "procedure", "stage", "stage_name", "agency", "agency_name", "unit", "item", "party",
            "party_name", "cause", "registered_on", "filed_on", "decided_on", "closed_on", "next_deadline",
            "next_deadline_label", "is_overdue", "within_benchmark",
        ]
        read_only_fields = fields

    # The list's page is read as these values and written by ``row`` (``CaseViewSet.list``): the
    # same fields and formats as above — a test compares the two on every kind of row — without a
    # model instance and a DRF field per cell, which were most of a list request's time (issue #14).
    VALUES = (
        "id", "number", "procedure", "stage", "agency_id", "agency__name", "unit_id", "item_id", "party_id",
        "party__name", "cause", "registered_on", "filed_on", "decided_on", "closed_on", "next_deadline",
        "next_deadline_label", "within_benchmark",
    )

    @staticmethod
    def row(values: dict, today) -> dict:
        """One list row from ``VALUES`` (``today``: for ``is_overdue``)."""
        deadline = values["next_deadline"]
        return {
            "id": values["id"], "number": values["number"], "procedure": values["procedure"],
            "stage": values["stage"],
            "stage_name": procedure_for(values["procedure"]).stage(values["stage"]).name,
            "agency": values["agency_id"], "agency_name": values["agency__name"], "unit": values["unit_id"],
            "item": values["item_id"], "party": values["party_id"], "party_name": values["party__name"],
            "cause": values["cause"], "registered_on": _iso(values["registered_on"]),
            "filed_on": _iso(values["filed_on"]), "decided_on": _iso(values["decided_on"]),
            "closed_on": _iso(values["closed_on"]), "next_deadline": _iso(deadline),
            "next_deadline_label": values["next_deadline_label"],
            "is_overdue": bool(deadline and deadline < today), "within_benchmark": values["within_benchmark"],
        }


def _iso(day):
    """A date as DRF's ``DateField`` writes it (ISO 8601), None as None."""
    return None if day is None else day.isoformat()


class CaseDocumentSerializer(serializers.ModelSerializer):
    docx_hash = serializers.CharField(source="docx.hash", read_only=True)
    pdf_hash = serializers.CharField(source="pdf.hash", read_only=True, allow_null=True, default=None,
                                     help_text="PDF 生成前为空。")
    pdf_status_display = DisplayField(source="get_pdf_status_display")

    class Meta:
        model = CaseDocument
        fields = ["id", "code", "title", "number", "docx_hash", "pdf_hash", "pdf_status", "pdf_status_display",
                  "pdf_error", "template_version", "generated_at"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------
# Case actions: one typed request body each, the same service as the web form behind it
# ---------------------------------------------------------------------------------------


class CaseEvidenceField(serializers.PrimaryKeyRelatedField):
    """An evidence item of the case in ``context["case"]`` (a recording chosen for a record)."""

    def get_queryset(self):
        case = self.context.get("case")
        return case.evidence.select_related("file") if case is not None else Evidence.objects.none()


class AssignmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="officer.name", read_only=True)

    class Meta:
        model = CaseOfficer
        fields = ["id", "officer", "name", "role", "assigned_at"]
        read_only_fields = fields


class AssignOfficerSerializer(ScopedSerializerMixin, serializers.Serializer):
    officer = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all(), help_text="本机关在岗执法人员 id")
    role = serializers.ChoiceField(choices=choices.OFFICER_ROLE_CHOICES, default="assistant")


class InspectionSerializer(serializers.ModelSerializer):
    recording = CaseEvidenceField(required=False, allow_null=True, help_text="本案的录音录像证据 id（可选）")

    class Meta:
        model = Inspection
        fields = ["id", "time", "place", "content", "findings", "recording"]
        read_only_fields = ["id"]


class QuestionAnswerSerializer(serializers.Serializer):
    q = serializers.CharField(help_text="问")
    a = serializers.CharField(allow_blank=True, help_text="答")


class InterviewSerializer(serializers.ModelSerializer):
    questions = QuestionAnswerSerializer(many=True, help_text="问答，按顺序")
    recording = CaseEvidenceField(required=False, allow_null=True,
                                  help_text="本案的录音录像证据 id；在办案场所（询问室）询问时必填")

    class Meta:
        model = Interview
        fields = ["id", "interviewee", "time", "place", "in_interview_room", "questions", "recording"]
        read_only_fields = ["id"]


class WaiveRightsSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="当事人书面明确放弃陈述、申辩和听证权利的情况")


class AnswerStatementSerializer(serializers.Serializer):
    answer = serializers.CharField(help_text="复核意见")
    accepted = serializers.BooleanField(help_text="是否采纳")


class HearingSerializer(serializers.ModelSerializer):
    presiding_name = serializers.CharField(source="presiding.name", read_only=True, default="")
    concluded = serializers.BooleanField(read_only=True)

    class Meta:
        model = Hearing
        fields = ["id", "requested_on", "notified_on", "scheduled_for", "place", "presiding", "presiding_name",
                  "held_on", "record", "party_absent", "concluded"]
        read_only_fields = fields


class HearingRequestSerializer(serializers.Serializer):
    requested_on = serializers.DateField(required=False, help_text="申请日期（默认今天）")


class HearingScheduleSerializer(ScopedSerializerMixin, serializers.Serializer):
    notified_on = serializers.DateField(help_text="通知日期")
    scheduled_for = serializers.DateTimeField(help_text="听证时间（至少在通知七个工作日后）")
    place = serializers.CharField(max_length=200)
    presiding = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all(),
                                                   help_text="主持人：本机关非本案调查人员的执法人员 id")


class HearingRecordSerializer(serializers.Serializer):
    party_absent = serializers.BooleanField(default=False, help_text="当事人无正当理由未出席（视为放弃听证）")
    held_on = serializers.DateField(required=False, allow_null=True)
    record = serializers.CharField(required=False, allow_blank=True, default="", help_text="听证笔录")


class ExtensionSerializer(serializers.ModelSerializer):
    approved_by_name = serializers.CharField(source="approved_by.__str__", read_only=True)

    class Meta:
        model = Extension
        fields = ["id", "days", "reason", "approved_by_name", "approved_on"]
        read_only_fields = ["id", "approved_by_name", "approved_on"]


class RemedySerializer(serializers.ModelSerializer):
    class Meta:
        model = Remedy
        fields = ["id", "kind", "body", "filed_on", "note", "result", "decided_on", "result_number"]
        read_only_fields = ["id", "result", "decided_on", "result_number"]


class RemedyResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=choices.REMEDY_RESULT_CHOICES, help_text="结果（不能为“审理中”）")
    decided_on = serializers.DateField(help_text="作出结果日期")
    result_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SpecialListSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    list = serializers.CharField()
    circumstances = serializers.CharField()
    legal_basis = serializers.CharField()


class DiscretionResultSerializer(serializers.Serializer):
    within_benchmark = serializers.BooleanField(allow_null=True, help_text="是否符合裁量基准（无基准时为 null）")
    findings = serializers.ListField(child=serializers.CharField())
    suggestions = SpecialListSuggestionSerializer(many=True, help_text="四张清单的匹配建议")


class OnTheSpotSerializer(ScopedSerializerMixin, serializers.Serializer):
    """当场处罚 in one call (简易程序): register, propose, record the photo and decide."""

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all(), help_text="执法事项 id")
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all(),
                                               help_text="已登记的当事人 id（新当事人先 POST /api/parties/parties/）")
    cause = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                  help_text="案由；留空则按执法事项名称")
    place = serializers.CharField(max_length=200)
    facts = serializers.CharField(help_text="违法事实")
    level = serializers.ChoiceField(choices=catalog_choices.LEVEL_CHOICES, help_text="违法情节")
    penalty_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=[catalog_choices.WARNING, catalog_choices.FINE]),
        help_text="警告和/或罚款")
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    deviation_reason = serializers.CharField(required=False, allow_blank=True, default="")
    certificate_shown = serializers.BooleanField(default=False, help_text="已出示执法证件")
    party_heard = serializers.BooleanField(default=False, help_text="已告知事实、理由和依据并听取陈述申辩")
    photo = serializers.PrimaryKeyRelatedField(queryset=StoredFile.objects.all(), required=False, allow_null=True,
                                               help_text="现场照片：records 上传接口返回的 file id（本人上传）")
    service_recipient = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class TransitionOptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    target = serializers.CharField(help_text="下一环节名称")
    roles = serializers.ListField(child=serializers.CharField(), help_text="可办理的角色")
    role_allowed = serializers.BooleanField()
    ready = serializers.BooleanField(help_text="现在可以办理")
    missing = serializers.ListField(child=serializers.CharField(), help_text="尚缺的条件")
    refusal = serializers.CharField(help_text="不能由您办理的原因（如非本案办案人员）")
    api_path = serializers.CharField(help_text="路径（相对于 /api/cases/cases/{id}/），请求体为 {\"transition\": code}")


class ActionOptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    api_path = serializers.CharField(help_text="路径（相对于 /api/cases/cases/{id}/）")
    available = serializers.BooleanField(help_text="现在可以办理")
    refusal = serializers.CharField(help_text="不能办理的原因")


class NextActionsSerializer(serializers.Serializer):
    refusal = serializers.CharField(help_text="您不能办理本案的原因（可以时为空）")
    transitions = TransitionOptionSerializer(many=True, help_text="下一步（环节变更）")
    actions = ActionOptionSerializer(many=True, help_text="其他办案操作")


class CaseEventSerializer(serializers.Serializer):
    """One event of the case's hash-chained record."""

    seq = serializers.IntegerField()
    kind = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    actor = serializers.CharField(allow_blank=True, allow_null=True)
    time = serializers.DateTimeField()
    place = serializers.CharField(allow_blank=True, allow_null=True)
    payload = serializers.JSONField()
    hash = serializers.CharField()
    prev_hash = serializers.CharField(allow_blank=True)
    algorithm = serializers.CharField()


class CaseFileEntrySerializer(serializers.Serializer):
    """One line of the case file's index (卷内目录)."""

    volume = serializers.ChoiceField(choices=[("main", "正卷"), ("secondary", "副卷")], help_text="所在卷")
    volume_title = serializers.CharField(help_text="正卷 / 副卷")
    section = serializers.CharField(help_text="卷内类别代码（见 zhifa.cases.casefile.CASE_FILE_ORDER）")
    section_title = serializers.CharField(help_text="卷内类别，如“调查取证”“法制审核”")
    number = serializers.IntegerField(help_text="卷内序号（每卷从1起）")
    title = serializers.CharField()
    doc_number = serializers.CharField(allow_blank=True, allow_null=True)
    date = serializers.CharField(allow_blank=True, help_text="行为发生的日期（文书的书写格式）")
    acted_on = serializers.DateField(allow_null=True, help_text="行为发生的日期")
    pages = serializers.IntegerField(help_text="页数（证据、缴款记录等不在案卷 PDF 中的为0）")
    first_page = serializers.IntegerField(help_text="起始页号（每卷从1起，卷内目录不编页号；无页时为0）")
    page_range = serializers.CharField(allow_blank=True, help_text="页号，如“3-5”")
    document = serializers.IntegerField(allow_null=True, help_text="文书 id")
    evidence = serializers.IntegerField(allow_null=True, help_text="证据 id")
    payment = serializers.IntegerField(allow_null=True, help_text="缴款记录 id")


class VerifySerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    checked_events = serializers.IntegerField()
    checked_files = serializers.IntegerField()
    first_broken_seq = serializers.IntegerField(allow_null=True)
    problem = serializers.CharField(allow_blank=True)
    checkpoint = serializers.IntegerField(allow_null=True, help_text="比对的签名检查点编号（尚未覆盖时为空）")
    changed_since_checkpoint = serializers.BooleanField(help_text="签名时已有的记录此后被改写")


class ViolationPeriodSerializer(serializers.Serializer):
    violation_ended_on = serializers.DateField(required=False, allow_null=True, default=None,
                                               help_text="违法行为终了日期（有连续或者继续状态且已终了的）")
    violation_continuing = serializers.BooleanField(required=False, default=False, help_text="违法行为仍在持续")
    grave_safety_harm = serializers.BooleanField(required=False, default=False,
                                                 help_text="涉及公民生命健康安全、金融安全且有危害后果（时效五年）")


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentInstalment
        fields = ["number", "due_on", "amount"]
        read_only_fields = ["number"]


class PaymentPlanSerializer(serializers.ModelSerializer):
    """An approved deferral or instalment plan (处罚法第六十六条第二款)."""

    instalments = InstalmentSerializer(many=True)
    approved_by = serializers.CharField(source="approved_by.display_name", read_only=True)

    class Meta:
        model = PaymentPlan
        fields = ["id", "kind", "applied_on", "reason", "approved_by", "approved_on", "instalments"]
        read_only_fields = ["approved_by", "approved_on"]
