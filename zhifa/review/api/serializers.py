from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedSerializerMixin

from .. import choices
from ..models import (
    CollectiveDiscussion,
    MajorDecisionCatalog,
    MajorFlag,
    Review,
    ReviewAnswer,
    ReviewFinding,
)


class FindingSerializer(serializers.ModelSerializer):
    point_display = DisplayField(source="get_point_display")
    finding_display = DisplayField(source="get_finding_display")

    class Meta:
        model = ReviewFinding
        fields = ["point", "point_display", "finding", "finding_display", "reason"]


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewAnswer
        fields = ["point", "answer", "answered_by", "answered_at"]


class ReviewSerializer(serializers.ModelSerializer):
    status_display = DisplayField(source="get_status_display")
    case_number = serializers.CharField(source="case.number", read_only=True)
    case_cause = serializers.CharField(source="case.cause", read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["id", "case", "case_number", "case_cause", "agency", "round", "status", "status_display",
                  "submitted_by", "submitted_at", "deadline", "deadline_provisional", "reviewer", "reviewer_kind",
                  "assigned_at", "result", "completed_at", "opinion_number", "answered_at", "major_reasons",
                  "findings", "answers"]
        read_only_fields = fields


class ReviewDetailSerializer(ReviewSerializer):
    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "package"]
        read_only_fields = fields


class SubmitSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="案件 id")


class AssignSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(help_text="审核人员的用户 id")


class PointFindingSerializer(serializers.Serializer):
    finding = serializers.ChoiceField(choices=choices.FINDING_CHOICES)
    reason = serializers.CharField(allow_blank=True)


class OpinionSerializer(serializers.Serializer):
    findings = serializers.DictField(child=PointFindingSerializer(), help_text="十项审核事项：{事项代码: {finding, reason}}")
    result = serializers.ChoiceField(choices=choices.RESULT_CHOICES)


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), help_text="{事项代码: 书面答复}")


class CatalogSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    criterion_display = DisplayField(source="get_criterion_display")
    standard_text = serializers.CharField(read_only=True)

    class Meta:
        model = MajorDecisionCatalog
        fields = ["id", "agency", "order", "criterion", "criterion_display", "description", "fine_person",
                  "fine_organisation", "penalty_kind", "standard_text", "legal_basis",
                  "requires_collective_discussion", "is_active"]

    def validate(self, attrs):
        fields = ("agency", "criterion", "description", "fine_person", "fine_organisation", "penalty_kind")
        current = {f: getattr(self.instance, f) for f in fields} if self.instance else {}
        MajorDecisionCatalog(**{**current, **{k: v for k, v in attrs.items() if k in fields}}).clean()
        return attrs


class FlagSerializer(serializers.ModelSerializer):
    kind_display = DisplayField(source="get_kind_display")

    class Meta:
        model = MajorFlag
        fields = ["id", "case", "kind", "kind_display", "reason", "actor", "created_at"]
        read_only_fields = ["actor", "created_at"]


class DiscussionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CollectiveDiscussion
        fields = ["id", "case", "agency", "held_on", "chair", "chair_authorisation", "participants", "opinions",
                  "conclusion", "recorded_by", "recorded_at", "record"]
        read_only_fields = ["agency", "recorded_by", "recorded_at", "record"]
