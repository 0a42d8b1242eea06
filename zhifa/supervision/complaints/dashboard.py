"""Workbench items (待办) of complaints: what waits for the user's agency or region."""

from django.urls import reverse

from zhifa.core.dashboard import register_alerts

from ..models.complaints import Complaint
from . import procedure as proc


@register_alerts
def complaint_items(user):
    """Complaints to accept, decide or reply to (the agency), or to route (the supervisor)."""
    if not user.has_capability("complaints", "view"):
        return []
    rows = Complaint.objects.restrict(user, "view")
    items = []
    if user.has_capability("complaints", "route"):
        unrouted = rows.filter(status=proc.RECEIVED, agency__isnull=True).count()
        if unrouted:
            items.append({"text": f"{unrouted}件投诉举报待分派承办执法主体",
                          "url": reverse("supervision:complaint_list") + "?unrouted=1"})
    else:
        waiting = rows.filter(status__in=proc.OPEN_STATUSES).count()
        if waiting:
            items.append({"text": f"{waiting}件投诉举报待本单位办理", "url": reverse("supervision:complaint_list")})
    from zhifa.core import clock

    overdue = rows.filter(status__in=proc.OPEN_STATUSES, next_due__lt=clock.today()).count()
    if overdue:
        items.append({"text": f"{overdue}件投诉举报已超期", "url": reverse("supervision:complaint_list") + "?overdue=1"})
    return items
