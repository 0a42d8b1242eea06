"""Handling assistance for one case (read-only, scoped like the case)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..views import assistance_for, case_in_scope

SIMILAR_FIELDS = {
    "id": serializers.IntegerField(), "number": serializers.CharField(), "agency": serializers.CharField(),
    "decided_on": serializers.DateField(), "level": serializers.CharField(), "penalty_kinds": serializers.ListField(),
    "fine_amount": serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True),
    "score": serializers.FloatField(), "reasons": serializers.ListField(child=serializers.CharField()),
}
AssistanceSerializer = inline_serializer("CaseAssistance", fields={
    "similar": inline_serializer("SimilarCase", fields=SIMILAR_FIELDS, many=True),
    "compared": serializers.IntegerField(),
    "tier": inline_serializer("TierSuggestion", fields={
        "level": serializers.CharField(), "level_label": serializers.CharField(), "rule": serializers.CharField(),
        "article": serializers.CharField(), "reason": serializers.CharField(),
        "matched": serializers.ListField(child=serializers.CharField()),
        "fine_min": serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True),
        "fine_max": serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True),
    }),
    "articles": serializers.ListField(child=serializers.DictField()),
    "draft_reasoning": serializers.CharField(),
})


def _money(value) -> str | None:
    """Amounts as decimal strings with two places, as every other endpoint gives them."""
    return f"{value:.2f}" if value is not None else None


class CaseAssistanceView(APIView):
    """一个案件的办案辅助：相似已决案件（含相似理由）、建议的裁量档次（注明依据）、行为发生时有效的适用条款、说理段落草稿。仅供参考，不改变案件。"""

    @extend_schema(responses=AssistanceSerializer)
    def get(self, request, pk):
        case = case_in_scope(request, pk)
        data = assistance_for(case, request.user)
        tier = data["tier"]
        return Response({
            "similar": [{
                "id": r.case.pk, "number": r.case.number, "agency": r.case.agency.name, "decided_on": r.case.decided_on,
                "level": r.case.discretion_level, "penalty_kinds": r.case.penalty_kinds,
                "fine_amount": _money(r.case.fine_amount), "score": r.score, "reasons": r.reasons,
            } for r in data["like"].results],
            "compared": data["like"].compared,
            "tier": {"level": tier.level, "level_label": tier.level_label, "rule": tier.rule_code,
                     "article": tier.article, "reason": tier.reason, "matched": tier.matched,
                     "fine_min": _money(tier.tier.fine_min) if tier.tier else None,
                     "fine_max": _money(tier.tier.fine_max) if tier.tier else None},
            "articles": [{"label": label, "text": text} for label, text in data["articles"].lines],
            "draft_reasoning": data["draft"],
        })
