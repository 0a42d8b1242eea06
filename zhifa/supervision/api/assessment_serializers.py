"""Serializers of the assessment, ledger and KPI API."""

from rest_framework import serializers

from ..assessment.indicators import REGISTRY
from ..assessment.reasons import EVIDENCE_REASONS
from ..models import (
    Assessment,
    AssessmentEvidence,
    AssessmentItem,
    Indicator,
    LedgerTask,
    ProgressReport,
    WorkPlan,
)


class IndicatorSerializer(serializers.ModelSerializer):
    method = serializers.SerializerMethodField(help_text="computed（平台数据计算）或 evidenced（佐证材料评分）")
    rule = serializers.SerializerMethodField(help_text="计算规则，或不由数据计算的原因")

    class Meta:
        model = Indicator
        fields = ["id", "number", "level1", "level1_points", "level2", "level2_points", "requirement",
                  "requirement_points", "text", "points", "method", "rule"]

    def get_method(self, obj) -> str:
        return "computed" if obj.number in REGISTRY else "evidenced"

    def get_rule(self, obj) -> str:
        return REGISTRY[obj.number].rule if obj.number in REGISTRY else EVIDENCE_REASONS.get(obj.number, "")


class AssessmentSerializer(serializers.ModelSerializer):
    subject_name = serializers.CharField(read_only=True)
    final_total = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ["id", "year", "agency", "region", "subject_name", "status", "computed_at", "self_total", "self_note",
                  "self_assessed_at", "final_total", "scored_at", "published_on", "created_at"]

    def get_final_total(self, obj) -> str | None:
        """The supervisor's total: shown to the assessed side once published."""
        if obj.final_total is None or not self.context.get("show_final", {}).get(obj.pk, False):
            return None
        return str(obj.final_total)


class AssessmentCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    agency = serializers.IntegerField(required=False, allow_null=True, help_text="被考评执法主体（与 region 二选一）")
    region = serializers.IntegerField(required=False, allow_null=True, help_text="被考评行政区划（与 agency 二选一）")


class BasisRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    ok = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)


class AssessmentEvidenceSerializer(serializers.ModelSerializer):
    file_name = serializers.CharField(source="file.original_name", read_only=True)
    file_hash = serializers.CharField(source="file.hash", read_only=True)

    class Meta:
        model = AssessmentEvidence
        fields = ["id", "item", "file", "file_name", "file_hash", "note", "uploaded_by", "uploaded_at"]


class AssessmentItemSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="indicator.number", read_only=True)
    text = serializers.CharField(source="indicator.text", read_only=True)
    points = serializers.DecimalField(source="indicator.points", max_digits=5, decimal_places=2, read_only=True)
    basis = BasisRowSerializer(many=True, read_only=True)
    final_score = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentItem
        fields = ["id", "assessment", "indicator", "number", "text", "points", "method", "figure", "rule", "basis",
                  "basis_count", "computed_score", "self_score", "self_note", "final_score", "reason"]

    def _shown(self, obj) -> bool:
        return self.context.get("show_final", {}).get(obj.assessment_id, False)

    def get_final_score(self, obj) -> str | None:
        return str(obj.final_score) if obj.final_score is not None and self._shown(obj) else None

    def get_reason(self, obj) -> str:
        return obj.reason if self._shown(obj) else ""


class SelfScoreSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ScoreSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="评分理由；与平台计算得分一致时可不填")


class EvidenceAttachSerializer(serializers.Serializer):
    file = serializers.IntegerField(help_text="本人通过 /api/records/uploads/ 上传完成的文件编号")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WorkPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkPlan
        fields = ["id", "region", "title", "document", "year", "created_at"]
        read_only_fields = ["created_at"]


class WorkPlanCreateSerializer(serializers.Serializer):
    region = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    document = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class LedgerTaskSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = LedgerTask
        fields = ["id", "plan", "number", "title", "content", "lead_agency", "co_agencies", "deadline", "target",
                  "progress", "status", "completed_on", "reminded_on", "overdue_since", "overdue"]

    def get_overdue(self, obj) -> bool:
        from zhifa.core import clock

        return obj.is_overdue(clock.today())


class LedgerTaskCreateSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    title = serializers.CharField(max_length=300)
    content = serializers.CharField(required=False, allow_blank=True, default="")
    lead_agency = serializers.IntegerField()
    co_agencies = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    deadline = serializers.DateField()
    target = serializers.CharField(required=False, allow_blank=True, default="")


class ProgressReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "task", "agency", "reported_on", "text", "completed", "attachment", "reported_by", "created_at"]


class ProgressReportCreateSerializer(serializers.Serializer):
    text = serializers.CharField()
    completed = serializers.BooleanField(required=False, default=False)
    attachment = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          help_text="本人通过 /api/records/uploads/ 上传完成的文件编号")


class UnitStatSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_id = serializers.IntegerField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    on_time = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_started = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=1)


class KPITrendSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)


class KPISerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    target = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    target_text = serializers.CharField()
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    meets = serializers.BooleanField(allow_null=True)
    connected = serializers.BooleanField(help_text="数据来源是否已接入（投诉举报模块）")
    trend = KPITrendSerializer(many=True)
    definition = serializers.CharField()
