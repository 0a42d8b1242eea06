"""Workbench cards and alerts of the legal review app."""

from django.urls import reverse

from zhifa.core import clock
from zhifa.core.dashboard import register_alerts, register_card

from . import choices
from .models import Review


def _open(user):
    return Review.objects.restrict(user).filter(status__in=choices.OPEN_STATUSES)


register_card("待法制审核", "review:queue", lambda user: _open(user), "review")


@register_alerts
def review_alerts(user):
    """Reviews past their deadline, and opinions with problems waiting for the handling unit's answer."""
    if not user.has_capability("review", "view"):
        return []
    alerts = []
    overdue = _open(user).filter(deadline__lt=clock.today()).count()
    if overdue:
        alerts.append({"text": f"{overdue}件法制审核已超过审核期限", "url": reverse("review:queue") + "?overdue=true"})
    waiting = Review.objects.restrict(user).filter(status=choices.PROBLEMS, answered_at__isnull=True).count()
    if waiting:
        alerts.append({"text": f"{waiting}件法制审核意见存在问题，待承办机构书面答复",
                       "url": reverse("review:queue") + f"?status={choices.PROBLEMS}"})
    return alerts
