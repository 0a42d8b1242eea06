"""The figures of the dispatch board (指挥调度台), each one aggregate query over the user's reach.

Queries do not grow with the number of tasks: open tasks by grid and state (one GROUP BY), by team
with the overdue count (one GROUP BY), today's reports by grid (one GROUP BY), the grids' names (one
query), the overdue list and the latest reports (capped). ``tests`` count them at two sizes.

The charts (``charts``, drawn by ``static/coordination/grid/board.js`` with the vendored ECharts)
add two queries: reports per day over the last ``CHART_DAYS`` days (one GROUP BY on the day) and
every task in reach by state (one GROUP BY); overdue tasks per grid and per team come from the
GROUP BYs above."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from zhifa.core import clock

from . import models as m
from .models import DispatchTask, Grid, GridReport
from .services import overdue_q

LIST_LIMIT = 20
CHART_DAYS = 30  # reports per day: today and the 29 days before


@dataclass
class GridRow:
    grid_id: int
    name: str = ""
    code: str = ""
    by_status: dict = field(default_factory=dict)
    overdue: int = 0
    reports_today: int = 0
    problems_today: int = 0
    cells: list = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(self.by_status.values())


def _narrow(tasks, reports, *, township=None, team=None, kind=None):
    """The board's filters, applied alike to the tasks and the reports it counts."""
    if township is not None:
        tasks, reports = tasks.filter(township=township), reports.filter(township=township)
    if team is not None:
        tasks, reports = tasks.filter(team=team), reports.filter(team=team)
    if kind:
        tasks = tasks.filter(kind=kind)
    return tasks, reports


def build(user, *, township=None, team=None, kind=None) -> dict:
    """Board data for ``user`` (optionally narrowed to a township, a team, a task kind)."""
    now = clock.now()
    day_start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(now), datetime.time.min))
    tasks = DispatchTask.objects.restrict(user, "view").filter(status__in=m.OPEN_STATUSES)
    reports = GridReport.objects.restrict(user, "view").filter(reported_at__gte=day_start)
    tasks, reports = _narrow(tasks, reports, township=township, team=team, kind=kind)
    overdue = overdue_q(now)
    rows: dict[int, GridRow] = {}
    for row in tasks.values("grid_id", "status").annotate(n=Count("id"), late=Count("id", filter=overdue)).order_by():
        grid = rows.setdefault(row["grid_id"], GridRow(row["grid_id"]))
        grid.by_status[row["status"]] = row["n"]
        grid.overdue += row["late"]
    for row in (reports.values("grid_id").annotate(n=Count("id"), found=Count("id", filter=Q(problem_found=True)))
                .order_by()):
        grid = rows.setdefault(row["grid_id"], GridRow(row["grid_id"]))
        grid.reports_today, grid.problems_today = row["n"], row["found"]
    for pk, name, code in Grid.objects.restrict(user, "view").filter(pk__in=list(rows)).values_list("pk", "name",
                                                                                                     "code"):
        rows[pk].name, rows[pk].code = name, code
    teams = list(tasks.values("team_id", "team__name", "team__agency__short_name")
                 .annotate(open=Count("id"), working=Count("id", filter=Q(status__in=m.WORKING_STATUSES)),
                           late=Count("id", filter=overdue))
                 .order_by("-open", "team__name"))
    overdue_tasks = list(tasks.filter(overdue).select_related("grid", "team").order_by("due_at", "id")[:LIST_LIMIT])
    latest = list(reports.select_related("grid", "reporter").order_by("-reported_at", "-id")[:LIST_LIMIT])
    statuses = [(code, label) for code, label in m.STATUS_CHOICES if code in m.OPEN_STATUSES]
    grid_rows = sorted(rows.values(), key=lambda r: r.code)
    for row in grid_rows:
        row.cells = [row.by_status.get(code, 0) for code, _ in statuses]
    totals = [sum(r.by_status.get(code, 0) for r in grid_rows) for code, _ in statuses]
    return {"now": now, "statuses": statuses, "grids": grid_rows, "teams": teams, "overdue": overdue_tasks,
            "reports": latest, "totals": totals, "overdue_total": sum(r.overdue for r in grid_rows),
            "reports_total": sum(r.reports_today for r in grid_rows),
            "charts": _charts(user, now, grid_rows, teams, township=township, team=team, kind=kind)}


def _charts(user, now, grid_rows: list[GridRow], teams: list[dict], *, township=None, team=None, kind=None) -> dict:
    """The board's chart data (plain lists for ``json_script``): reports per day over the last
    ``CHART_DAYS`` days, tasks in reach by state (every state, finished ones included), and
    overdue tasks per grid and per team (those with any)."""
    today = timezone.localdate(now)
    first = today - datetime.timedelta(days=CHART_DAYS - 1)
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    reports = GridReport.objects.restrict(user, "view").filter(reported_at__gte=since)
    tasks = DispatchTask.objects.restrict(user, "view")
    tasks, reports = _narrow(tasks, reports, township=township, team=team, kind=kind)
    per_day = {row["day"]: (row["n"], row["found"]) for row in
               reports.annotate(day=TruncDate("reported_at")).values("day")
               .annotate(n=Count("id"), found=Count("id", filter=Q(problem_found=True))).order_by()}
    days = [first + datetime.timedelta(days=n) for n in range(CHART_DAYS)]
    by_status = dict(tasks.values_list("status").annotate(n=Count("id")).order_by())
    late_grids = [r for r in grid_rows if r.overdue]
    late_teams = [t for t in teams if t["late"]]
    return {
        "reports_by_day": {"days": [f"{d:%m-%d}" for d in days],
                           "reports": [per_day.get(d, (0, 0))[0] for d in days],
                           "problems": [per_day.get(d, (0, 0))[1] for d in days]},
        "tasks_by_status": [{"name": label, "value": by_status.get(code, 0)} for code, label in m.STATUS_CHOICES],
        "overdue_by_grid": {"names": [r.name for r in late_grids], "values": [r.overdue for r in late_grids]},
        "overdue_by_team": {"names": [_team_name(t) for t in late_teams],
                            "values": [t["late"] for t in late_teams]},
    }


def _team_name(row: dict) -> str:
    short = row["team__agency__short_name"]
    return f"{short} · {row['team__name']}" if short else row["team__name"]
