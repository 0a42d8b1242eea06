"""The desk's to-dos of the task ledgers (工作任务台账待办): the open tasks a person's agency leads
or co-operates on, by deadline. Registered with the workspace's provider registry, so the hourly
``workspace.reminders`` job sends 到期提醒 before a task's deadline, 超期提醒 after it, and escalates
an overdue task to the lead agency's heads and then to the supervisors (``docs/workspace.md``) —
each once per task and deadline. One query (``restrict`` and the index on ``deadline``)."""

from zhifa.workspace.todos import LIMIT, TodoItem, register_provider

from ..models import LedgerTask
from ..models.ledgers import DONE


def ledger_tasks(user):
    """Open ledger tasks of the person's agency (lead or co-operating unit), most urgent first."""
    if not user.has_capability("ledgers", "report") or not user.scope_path:
        return
    rows = (LedgerTask.objects.restrict(user).filter(LedgerTask.agency_side_q(user.scope_path))
            .exclude(status=DONE).select_related("plan", "lead_agency").distinct()
            .order_by("deadline", "id")[:LIMIT])
    for task in rows:
        side = "牵头" if task.lead_agency.tree_path.startswith(user.scope_path) else "配合"
        yield TodoItem(kind="ledger_task", title=f"{task.plan.title}：{task.number}. {task.title}",
                       url=task.get_absolute_url(), deadline=task.deadline, key=f"ledger_task:{task.pk}",
                       subject=f"ledger_task:{task.pk}", detail=f"本单位{side}；{task.get_status_display()}，请报告进展",
                       agency_id=task.lead_agency_id)


register_provider("ledger_task", "工作任务台账", ledger_tasks, area="ledgers", list_url="supervision:ledger_list")
