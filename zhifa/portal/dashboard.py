"""Workbench alert of the portal: published content overdue for an update after a change of law
or of duties (PUB-5)."""

from django.urls import reverse

from zhifa.core.dashboard import register_alerts

from .services import overdue_count


@register_alerts
def freshness_alerts(user):
    if not user.has_capability("portal", "view"):
        return []
    late = overdue_count(user)
    if not late:
        return []
    return [{"text": f"{late}项公示内容超过更新期限（法律变更10个工作日、职责调整20个工作日）未更新",
             "url": reverse("portal:freshness") + "?overdue=true"}]
