"""The desk's to-dos of grid dispatch (调度任务): for the people a task is for, what they still owe
(签收、到场、反馈); for the command centre, reports to close, returned tasks to reassign and overdue ones."""

from django.db.models import Q
from django.utils import timezone

from zhifa.core import clock
from zhifa.workspace.todos import LIMIT, TodoItem, register_provider

from . import models as m
from .models import DispatchTask

NEXT = {m.DISPATCHED: "待签收", m.ACCEPTED: "待到场", m.ARRIVED: "待反馈"}


def _item(task, detail, deadline):
    return TodoItem(kind="dispatch", title=f"{task.number} {task.title}", url=task.get_absolute_url(),
                    deadline=timezone.localdate(deadline), key=f"dispatch:{task.pk}:{task.status}",
                    subject=f"dispatch:{task.pk}", detail=detail, agency_id=task.team.agency_id, unit_id=task.team_id)


def dispatch_tasks(user):
    """Tasks waiting for this person: their own steps, and (command centre) what waits for the centre."""
    mine = Q(assignees=user)
    if user.has_capability("dispatch", "change"):
        mine |= Q(assignees__isnull=True) & (Q(team__agency_id=user.agency_id) | Q(team_id=user.unit_id)
                                             | Q(grid__workers=user))
        rows = (DispatchTask.objects.restrict(user, "view").filter(mine, status__in=m.WORKING_STATUSES)
                .select_related("team").distinct().order_by("due_at", "id")[:LIMIT])
        for task in rows:
            deadline = task.accept_due_at if task.status == m.DISPATCHED else task.due_at
            yield _item(task, f"{task.get_priority_display()}·{NEXT[task.status]}（{task.team.name}）",
                        deadline)
    if user.is_superuser or user.has_capability("dispatch", "command"):
        now = clock.now()
        waiting = (Q(status__in=(m.REPORTED, m.RETURNED)) | Q(status=m.DISPATCHED, accept_due_at__lt=now)
                   | Q(status__in=m.WORKING_STATUSES, due_at__lt=now))
        rows = (DispatchTask.objects.restrict(user, "view").filter(waiting, agency_id=user.agency_id or 0)
                .select_related("team").order_by("due_at", "id")[:LIMIT])
        for task in rows:
            if task.status == m.REPORTED:
                detail = "已反馈，待指挥中心办结"
            elif task.status == m.RETURNED:
                detail = f"队伍退回，待改派：{task.return_reason}"
            else:
                detail = f"超期：{task.get_status_display()}（{task.team.name}）"
            yield TodoItem(kind="dispatch", title=f"{task.number} {task.title}", url=task.get_absolute_url(),
                           deadline=timezone.localdate(task.due_at), key=f"dispatch-command:{task.pk}:{task.status}",
                           subject=f"dispatch:{task.pk}", detail=detail, agency_id=task.agency_id)


register_provider("dispatch", "网格调度任务", dispatch_tasks, area="dispatch", list_url="coordination:task_list")
