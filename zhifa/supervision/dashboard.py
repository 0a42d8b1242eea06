"""Workbench alerts of the supervision app: what waits for the user's answer or decision."""

from django.urls import reverse

from zhifa.core.dashboard import register_alerts

from .models import Alert, SupervisionAction
from .models import actions as act
from .models import alerts as a


@register_alerts
def supervision_alerts(user):
    """For an agency: alerts and supervision actions addressed to it awaiting its answer.
    For a supervisor: explanations and rectifications awaiting a decision."""
    items = []
    if user.has_capability("alerts", "answer"):
        waiting = Alert.objects.restrict(user).filter(status__in=(a.ASSIGNED, a.RECTIFYING)).count()
        if waiting:
            items.append({"text": f"{waiting}条执法监督预警待本单位说明或整改", "url": reverse("supervision:inbox")})
        actions = SupervisionAction.objects.restrict(user).filter(status=act.ISSUED).count()
        if actions:
            items.append({"text": f"{actions}件督办、监督文书待本单位答复", "url": reverse("supervision:inbox")})
    if user.has_capability("alerts", "change"):
        deciding = Alert.objects.restrict(user).filter(status__in=(a.EXPLAINED, a.RECTIFIED)).count()
        if deciding:
            items.append({"text": f"{deciding}条预警已说明或已报整改，待认定或复核",
                          "url": reverse("supervision:alert_list") + "?status=explained"})
    return items
