import datetime

from rest_framework import serializers

from zhifa.core.api.viewsets import ScopedSerializerMixin
from zhifa.people.models import Officer

from .. import choices, rules
from ..models import Case, CaseDocument, Evidence, Payment, PaymentInstalment, PaymentPlan, Statement


class CaseSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A case; stage changes go through ``/transition/``, never a PATCH."""

    stage_name = serializers.CharField(read_only=True)
    officers = serializers.PrimaryKeyRelatedField(
        many=True, write_only=True, queryset=Officer.objects.all(), help_text="办案人员（第一位为主办）"
    )
    handling_officers = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    limitation_ends_on = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "number", "procedure", "stage", "stage_name", "agency", "unit", "item", "item_version", "party",
            "cause", "source", "occurred_on", "place", "facts", "registered_on", "filed_on", "notice_served_on",
            "statement_deadline", "hearing_right", "rights_waived", "decided_on", "outcome", "decision_number",
            "served_on", "service_method", "payment_due_on", "executed_on", "closed_on", "archived_on",
            "extension_days", "discretion_level", "fact_tags", "penalty_kinds", "fine_amount", "confiscation_amount",
            "within_benchmark", "benchmark_findings", "deviation_reason", "next_deadline", "next_deadline_label",
            "is_overdue", "officers", "handling_officers", "violation_ended_on", "violation_continuing",
            "grave_safety_harm", "limitation_ends_on",
        ]
        read_only_fields = [f for f in fields if f not in (
            "procedure", "agency", "unit", "item", "party", "cause", "source", "occurred_on", "place", "facts", "officers",
            "violation_ended_on", "violation_continuing", "grave_safety_harm",
        )]

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
