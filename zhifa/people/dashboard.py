"""Workbench cards and alerts of the people app."""

import datetime

from django.urls import reverse
from django.utils import timezone

from zhifa.core.dashboard import register_alerts, register_card

from .filters import EXPIRING_DAYS
from .models import Certificate, Officer

register_card("执法人员", "people:officer_list", lambda user: Officer.objects.restrict(user).filter(is_active=True),
              "people")
register_card(
    "可用执法证", "people:certificate_list",
    lambda user: Certificate.objects.restrict(user).usable_on(timezone.localdate()), "people",
)


@register_alerts
def certificate_alerts(user):
    """Certificates expiring soon, expired while marked valid, or overdue for annual review."""
    if not user.has_capability("people", "change"):
        return []
    today = timezone.localdate()
    qs = Certificate.objects.restrict(user, "change")
    base = reverse("people:certificate_list")
    alerts = []
    expiring = qs.usable_on(today).filter(expires_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS)).count()
    if expiring:
        alerts.append({"text": f"{expiring}本执法证将在{EXPIRING_DAYS}天内到期", "url": f"{base}?state=expiring"})
    expired = qs.expired_on(today).count()
    if expired:
        alerts.append({"text": f"{expired}本执法证已过期，请办理注销或换证", "url": f"{base}?state=expired"})
    overdue = qs.review_overdue_on(today).count()
    if overdue:
        alerts.append({"text": f"{overdue}本执法证未按期通过年度审验", "url": f"{base}?state=review_overdue"})
    return alerts
