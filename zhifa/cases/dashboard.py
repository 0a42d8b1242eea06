"""Workbench cards and alerts of the cases app."""

from django.urls import reverse

from zhifa.core import clock
from zhifa.core.dashboard import register_alerts, register_card

from .models import Case


def _open(user):
    return Case.objects.restrict(user).filter(archived_on__isnull=True, closed_on__isnull=True)


register_card("办理中案件", "cases:case_list", lambda user: _open(user), "cases")


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


@register_alerts
def coercion_alerts(user):
    """行政强制措施 about to expire, overdue (期限届满未解除) or awaiting the head's approval for more
    than 24 hours: one indexed query each on stored dates (``coercion.rules``)."""
    if not user.has_capability("cases", "view"):
        return []
    from .coercion import rules as coercion_rules
    from .coercion.models import CoerciveMeasure

    today, now = clock.today(), clock.now()
    measures = CoerciveMeasure.objects.restrict(user)
    alerts = []
    overdue = measures.filter(coercion_rules.overdue_q(today, now)).count()
    if overdue:
        alerts.append({"text": f"{overdue}项行政强制措施逾期（期限届满未解除或超过二十四小时未补办批准）",
                       "url": reverse("cases:measure_list") + "?flag=overdue"})
    expiring = measures.filter(coercion_rules.expiring_q(today)).count()
    if expiring:
        alerts.append({"text": f"{expiring}项行政强制措施将在{coercion_rules.warning_days()}日内届满",
                       "url": reverse("cases:measure_list") + "?flag=expiring"})
    return alerts
