from rest_framework import serializers

from zhifa.core.api.viewsets import ScopedSerializerMixin
from zhifa.people.models import Officer

from .. import choices
from ..models import Case, CaseDocument, Evidence, Payment, Statement


class CaseSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A case; stage changes go through ``/transition/``, never a PATCH."""

    stage_name = serializers.CharField(read_only=True)
    officers = serializers.PrimaryKeyRelatedField(
        many=True, write_only=True, queryset=Officer.objects.all(), help_text="办案人员（第一位为主办）"
    )
    handling_officers = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    penalties = serializers.SerializerMethodField(help_text="决定的每一项处罚：种类、金额、没收财物清单、期限及其表述")

    class Meta:
        model = Case
        fields = [
            "id", "number", "procedure", "stage", "stage_name", "agency", "unit", "item", "item_version", "party",
            "cause", "source", "occurred_on", "place", "facts", "registered_on", "filed_on", "notice_served_on",
            "statement_deadline", "hearing_right", "rights_waived", "decided_on", "outcome", "decision_number",
            "served_on", "service_method", "payment_due_on", "executed_on", "closed_on", "archived_on",
            "extension_days", "discretion_level", "fact_tags", "penalty_kinds", "fine_amount", "confiscation_amount",
            "confiscated_property", "penalty_period", "penalties", "other_execution", "other_executed_on",
            "within_benchmark", "benchmark_findings", "deviation_reason", "next_deadline", "next_deadline_label",
            "is_overdue", "officers", "handling_officers",
        ]
        read_only_fields = [f for f in fields if f not in (
            "procedure", "agency", "unit", "item", "party", "cause", "source", "occurred_on", "place", "facts", "officers",
        )]

    def get_penalties(self, obj) -> list[dict]:
        from ..documents import penalty_text
        from ..rules import penalty_items

        return [{"kind": i.kind, "amount": str(i.amount) if i.amount is not None else None, "goods": i.goods,
                 "period": i.period, "text": penalty_text(i)} for i in penalty_items(obj)]

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

    class Meta:
        model = Evidence
        fields = ["id", "number", "kind", "title", "description", "file", "file_hash", "size", "content_type", "device",
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


class CaseDocumentSerializer(serializers.ModelSerializer):
    docx_hash = serializers.CharField(source="docx.hash", read_only=True)
    pdf_hash = serializers.CharField(source="pdf.hash", read_only=True)

    class Meta:
        model = CaseDocument
        fields = ["id", "code", "title", "number", "docx_hash", "pdf_hash", "template_version", "generated_at"]
