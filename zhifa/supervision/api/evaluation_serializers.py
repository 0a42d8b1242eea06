"""Serializers of the evaluation and cockpit API."""

from rest_framework import serializers

from ..models import (
    CaseEvaluation,
    EvaluationNotice,
    EvaluationPlan,
    Finding,
    ReEvaluationRequest,
    ScoreItem,
    ScoreSheet,
)


class ScoreItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoreItem
        fields = ["id", "order", "section", "title", "guidance", "kind", "points"]


class ScoreSheetSerializer(serializers.ModelSerializer):
    items = ScoreItemSerializer(many=True, read_only=True)

    class Meta:
        model = ScoreSheet
        fields = ["id", "code", "name", "basis", "total_points", "pass_from", "good_from", "excellent_from", "is_active",
                  "items"]


class EvaluationPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationPlan
        fields = ["id", "region", "title", "sheet", "archived_from", "archived_to", "sample_rate", "sample_minimum", "seed",
                  "population_digest", "population_size", "drawn_at", "status", "results_issued_on", "created_at"]
        read_only_fields = ["seed", "population_digest", "population_size", "drawn_at", "status", "results_issued_on",
                            "created_at"]


class EvaluationPlanCreateSerializer(serializers.Serializer):
    region = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    sheet = serializers.IntegerField()
    archived_from = serializers.DateField()
    archived_to = serializers.DateField()
    sample_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, default=5)
    sample_minimum = serializers.IntegerField(min_value=0, max_value=1000, default=3)


class EvaluationDrawSerializer(serializers.Serializer):
    seed = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class EvaluationSampleCheckSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    digest_matches = serializers.BooleanField()
    sample_matches = serializers.BooleanField()
    digest_now = serializers.CharField()


class EvaluationFindingSerializer(serializers.ModelSerializer):
    item_title = serializers.CharField(source="item.title", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "evaluation", "item", "item_title", "deduction", "triggered", "note", "rectification",
                  "rectification_report", "reported_at", "accepted_at"]


class EvaluationSerializer(serializers.ModelSerializer):
    findings = EvaluationFindingSerializer(many=True, read_only=True)

    class Meta:
        model = CaseEvaluation
        fields = ["id", "plan", "case", "agency", "draw_rank", "draw_key", "evaluator", "status", "total", "grade",
                  "failed_by", "comment", "submitted_at", "openings", "findings"]


class EvaluatorAssignSerializer(serializers.Serializer):
    evaluator = serializers.IntegerField()


class EvaluationFindingInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    deduction = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100, default=0)
    triggered = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class EvaluationScoreSerializer(serializers.Serializer):
    findings = EvaluationFindingInputSerializer(many=True)
    comment = serializers.CharField(max_length=4000, allow_blank=True, default="")


class ReEvaluationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ReEvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReEvaluationRequest
        fields = ["id", "evaluation", "requested_by", "requested_on", "deadline", "reason", "status", "decided_by",
                  "decided_at", "decision", "previous_total"]


class ReEvaluationDecideSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=4000)
    findings = EvaluationFindingInputSerializer(many=True, required=False, help_text="变更评查结果时的新评分；省略则维持原结果。")


class RectificationReportSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=4000)


class EvaluationNoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationNotice
        fields = ["id", "plan", "agency", "number", "issued_on", "average", "summary"]


class CockpitMetricSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class CockpitAgencySerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    name = serializers.CharField()
    metrics = CockpitMetricSerializer(many=True)
    evaluation_average = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    open_alerts = serializers.IntegerField(allow_null=True)
