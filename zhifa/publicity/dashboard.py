"""Workbench card and alerts of the publicity app: publications and withdrawals overdue (SUP-1)."""

from django.urls import reverse

from zhifa.core.dashboard import register_alerts, register_card

from . import choices
from .models import Publication
from .services import overdue_actions, overdue_publications

register_card(
    "待公示决定", "publicity:queue",
    lambda user: Publication.objects.restrict(user).filter(status=choices.PENDING), "publicity",
)


@register_alerts
def publicity_alerts(user):
    if not user.has_capability("publicity", "view"):
        return []
    alerts = []
    late = overdue_publications(user).count()
    if late:
        alerts.append({"text": f"{late}件执法决定超过公示期限未公示", "url": reverse("publicity:queue") + "?overdue=true"})
    late_actions = overdue_actions(user).count()
    if late_actions:
        alerts.append({"text": f"{late_actions}件已撤销或变更的决定超过3个工作日未撤回或注明",
                       "url": reverse("publicity:queue") + "?actions=true"})
    return alerts
