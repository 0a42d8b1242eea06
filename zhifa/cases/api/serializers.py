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

    class Meta:
        model = Case
        fields = [
            "id", "number", "procedure", "stage", "stage_name", "agency", "unit", "item", "item_version", "party",
            "cause", "source", "occurred_on", "place", "facts", "registered_on", "filed_on", "notice_served_on",
            "statement_deadline", "hearing_right", "rights_waived", "decided_on", "outcome", "decision_number",
            "served_on", "service_method", "payment_due_on", "executed_on", "closed_on", "archived_on",
            "extension_days", "discretion_level", "fact_tags", "penalty_kinds", "fine_amount", "confiscation_amount",
            "within_benchmark", "benchmark_findings", "deviation_reason", "next_deadline", "next_deadline_label",
            "is_overdue", "officers", "handling_officers",
        ]
        read_only_fields = [f for f in fields if f not in (
            "procedure", "agency", "unit", "item", "party", "cause", "source", "occurred_on", "place", "facts", "officers",
        )]

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


class NextActionSerializer(serializers.Serializer):
    """One step the case may take next from its stage (``services.available_transitions``)."""

    transition = serializers.CharField(source="transition.code", help_text="步骤代码，POST /transition/ 时使用")
    name = serializers.CharField(source="transition.name", help_text="步骤名称")
    role_allowed = serializers.BooleanField(help_text="当前用户的角色可否执行此步骤")
    ready = serializers.BooleanField(help_text="条件是否已全部满足")
    missing = serializers.ListField(child=serializers.CharField(), help_text="尚缺的条件（中文说明）")


class DiscretionSerializer(serializers.Serializer):
    level = serializers.CharField()
    penalty_kinds = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    confiscation_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    fact_tags = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    deviation_reason = serializers.CharField(required=False, allow_blank=True, default="")
    reasoning = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=choices.OUTCOME_CHOICES, required=False, default=choices.OUTCOME_PENALTY)
    education_record = serializers.CharField(required=False, allow_blank=True, default="")


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
        fields = ["id", "paid_on", "amount", "surcharge", "bank", "bank_reference", "recorded_at"]
        read_only_fields = ["surcharge", "recorded_at"]


class CaseDocumentSerializer(serializers.ModelSerializer):
    docx_hash = serializers.CharField(source="docx.hash", read_only=True)
    pdf_hash = serializers.CharField(source="pdf.hash", read_only=True)

    class Meta:
        model = CaseDocument
        fields = ["id", "code", "title", "number", "docx_hash", "pdf_hash", "template_version", "generated_at"]
