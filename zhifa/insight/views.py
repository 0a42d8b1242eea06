"""The handling-assistance page of a case: similar decided cases, the suggested tier, the
articles in force on the day of the act and a draft reasoning paragraph."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from zhifa.cases.models import Case
from zhifa.core.scoping import get_in_scope

from .similar import similar_cases
from .suggest import applicable_articles, draft_reasoning, suggest_tier


def assistance_for(case, user) -> dict:
    """Everything the page and the API show for ``case`` (read-only)."""
    return {"like": similar_cases(case, user), "tier": suggest_tier(case), "articles": applicable_articles(case),
            "draft": draft_reasoning(case)}


def case_in_scope(request, pk) -> Case:
    if not request.user.has_capability("cases", "view"):
        raise PermissionDenied("您的角色没有查看案件的权限。")
    return get_in_scope(Case.objects.select_related("item", "agency", "party"), request.user, "view", pk=pk)


@login_required
def case_assistance(request, pk):
    case = case_in_scope(request, pk)
    return render(request, "insight/case_assistance.html",
                  {"title": f"办案辅助：{case}", "case": case, **assistance_for(case, request.user)})
