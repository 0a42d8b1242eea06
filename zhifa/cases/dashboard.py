"""Workbench cards and alerts of the cases app."""

from django.urls import reverse

from zhifa.core import clock
from zhifa.core.dashboard import register_alerts, register_card

from .models import Case


def _open(user):
    return Case.objects.restrict(user).filter(archived_on__isnull=True, closed_on__isnull=True)


register_card("办理中案件", "cases:case_list", lambda user: _open(user).count(), "cases")


@register_alerts
def case_alerts(user):
    """Overdue cases and penalties outside the benchmark, within the user's reach."""
    if not user.has_capability("cases", "view"):
        return []
    alerts = []
    overdue = _open(user).filter(next_deadline__lt=clock.today()).count()
    if overdue:
        alerts.append({"text": f"{overdue}件案件已超过办理期限", "url": reverse("cases:case_list") + "?overdue=true"})
    deviating = _open(user).filter(within_benchmark=False).count()
    if deviating:
        alerts.append({"text": f"{deviating}件案件拟处罚偏离裁量基准", "url": reverse("cases:case_list") + "?deviation=true"})
    return alerts
