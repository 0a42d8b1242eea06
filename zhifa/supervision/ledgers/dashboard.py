"""Workbench reminders of the task ledgers: tasks of the user's unit due soon or overdue
(marked by the daily ``supervision.ledger_reminders`` job)."""

from django.urls import reverse

from zhifa.core.dashboard import register_alerts

from ..models import LedgerTask
from ..models.ledgers import DONE


@register_alerts
def ledger_alerts(user):
    """For a lead or co-operating unit: its open tasks the reminder job marked, overdue ones apart."""
    if not user.has_capability("ledgers", "report") or not user.scope_path:
        return []
    marked = (LedgerTask.objects.restrict(user).filter(LedgerTask.agency_side_q(user.scope_path),
                                                         reminded_on__isnull=False).exclude(status=DONE))
    overdue = marked.filter(overdue_since__isnull=False).count()
    due = marked.filter(overdue_since__isnull=True).count()
    items = []
    if overdue:
        items.append({"text": f"{overdue}项工作任务已逾期未完成", "url": reverse("supervision:ledger_list")})
    if due:
        items.append({"text": f"{due}项工作任务即将到期", "url": reverse("supervision:ledger_list")})
    return items
