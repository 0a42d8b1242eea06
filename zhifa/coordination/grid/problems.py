"""Supervision problem model of grid dispatch (registered with the supervision app's registry)."""

import datetime

from zhifa.core import clock
from zhifa.supervision.problems.registry import Finding, register

from . import models as m
from .models import DispatchTask


def _now_for(today: datetime.date) -> datetime.datetime:
    if today >= clock.today():
        return clock.now()
    return datetime.datetime.combine(today, datetime.time.max, tzinfo=datetime.UTC)


@register("GRID_TASK_OVERDUE", name="网格调度任务超时未签收或超期未反馈", category="网格化巡查", target="township",
          legal_basis="平台规则：指挥中心设定的签收与反馈时限（“一个网格管巡查、一个平台管指挥”；无法定期限）",
          severity="medium")
def grid_task_overdue(ctx):
    """派发后未在签收时限内签收（紧急1小时、较急4小时、一般24小时），或到反馈期限仍未反馈的调度任务。"""
    from .services import overdue_q

    now = _now_for(ctx.today)
    rows = (DispatchTask.objects.filter(ctx.agency_q("team__agency"), overdue_q(now))
            .values("pk", "number", "title", "status", "team__agency_id", "team__name", "grid__name",
                    "accept_due_at", "due_at"))
    for row in rows:
        if row["status"] == m.DISPATCHED and row["accept_due_at"] < now:
            summary, due = "调度任务超时未签收", row["accept_due_at"]
        else:
            summary, due = "调度任务超期未反馈", row["due_at"]
        yield Finding("dispatch_task", row["pk"], row["team__agency_id"], f"{summary}：{row['number']} {row['title']}",
                      {"网格": row["grid__name"], "承办队伍": row["team__name"], "期限": due.isoformat(timespec="minutes")})
