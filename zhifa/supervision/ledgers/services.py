"""The only code that changes work plans and task ledgers (工作任务台账, SUP-6).

- a supervisor of a region creates a plan (工作方案) and adds tasks by hand or imports its ledger
  from Excel (all rows or none); re-importing updates the tasks with the same 序号;
- the lead unit (牵头单位) and the co-operating units (配合单位) report progress (进展报告) with an
  optional attachment (stored through ``zhifa.records``); only the lead unit reports a task done;
- ``remind_overdue`` (a daily job on the task layer) marks tasks due within
  ``REMIND_DAYS_BEFORE`` days or overdue, once a day; the lead unit's workbench shows them;
- ``unit_statistics`` counts completion per lead unit.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.core import clock
from zhifa.core.excel import ImportError_, RowError
from zhifa.core.scoping import ensure_in_scope

from ..models import LedgerTask, ProgressReport, WorkPlan
from ..models.ledgers import DONE, IN_PROGRESS
from . import excel

REMIND_DAYS_BEFORE = 7


def _scope(actor) -> str | None:
    return "" if actor.is_superuser else actor.scope_path


def _check_keeper(plan_region, actor) -> None:
    scope = _scope(actor)
    if not actor.has_capability("ledgers", "change") or scope is None or not plan_region.path.startswith(scope):
        raise PermissionDenied("只有本级或上级执法监督人员可以管理工作方案和任务台账。")


def may_keep(plan: WorkPlan, actor) -> bool:
    try:
        _check_keeper(plan.region, actor)
    except PermissionDenied:
        return False
    return True


def plan_agencies(plan_or_region):
    """Agencies of the plan's region: the units a task may be given to."""
    from zhifa.orgs.models import Agency

    region = getattr(plan_or_region, "region", plan_or_region)
    return Agency.objects.filter(tree_path__startswith=region.path, is_active=True)


@transaction.atomic
def create_plan(actor, *, region, title: str, year: int, document: str = "") -> WorkPlan:
    _check_keeper(region, actor)
    if not (title or "").strip():
        raise ValidationError({"title": "请填写方案名称。"})
    plan = WorkPlan.objects.create(region=region, title=title.strip(), year=year, document=(document or "").strip(),
                                   created_by=actor)
    ensure_in_scope(plan, actor, "view")
    return plan


def _check_task_values(plan, values: dict) -> None:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = "请填写工作任务。"
    allowed = plan_agencies(plan)
    lead = values.get("lead_agency")
    if lead is None or not allowed.filter(pk=lead.pk).exists():
        errors["lead_agency"] = "牵头单位应为本方案行政区划内的执法主体或单位。"
    for co in values.get("co_agencies") or ():
        if not allowed.filter(pk=co.pk).exists():
            errors["co_agencies"] = f"配合单位“{co.name}”不在本方案行政区划内。"
    if values.get("deadline") is None:
        errors["deadline"] = "请填写完成时限。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_task(plan: WorkPlan, actor, *, title, lead_agency, deadline, content="", target="", co_agencies=(),
             number=None) -> LedgerTask:
    _check_keeper(plan.region, actor)
    values = {"title": title, "lead_agency": lead_agency, "deadline": deadline, "co_agencies": list(co_agencies)}
    _check_task_values(plan, values)
    number = number or (max(plan.tasks.values_list("number", flat=True), default=0) + 1)
    if plan.tasks.filter(number=number).exists():
        raise ValidationError({"number": f"序号{number}已存在。"})
    task = LedgerTask.objects.create(plan=plan, number=number, title=title.strip(), content=(content or "").strip(),
                                     lead_agency=lead_agency, deadline=deadline, target=(target or "").strip())
    task.co_agencies.set(values["co_agencies"])
    return task


def agencies_by_name(plan: WorkPlan) -> dict:
    names = {}
    for agency in plan_agencies(plan):
        names[agency.name] = agency
        if agency.short_name:
            names.setdefault(agency.short_name, agency)
    return names


def import_ledger(plan: WorkPlan, actor, fileobj) -> tuple[int, int, list[RowError]]:
    """Import the ledger file into ``plan``: (created, updated, errors); with any error nothing is saved."""
    from zhifa.core.excel import check_import_file

    _check_keeper(plan.region, actor)
    try:
        check_import_file(fileobj)
        rows, errors = excel.read_ledger(fileobj, agencies_by_name(plan))
    except ImportError_ as exc:
        return 0, 0, [RowError(0, "", str(exc))]
    except ValidationError as exc:
        return 0, 0, [RowError(0, "", "；".join(exc.messages))]
    if errors:
        return 0, 0, errors
    created = updated = 0
    today = clock.today()
    with transaction.atomic():
        existing = {t.number: t for t in plan.tasks.select_for_update()}
        for values in rows:
            co = values.pop("co_agencies")
            task = existing.get(values["number"])
            if task is None:
                task = LedgerTask(plan=plan)
                created += 1
            else:
                updated += 1
            for name, value in values.items():
                setattr(task, name, value)
            if task.status == DONE and task.completed_on is None:
                task.completed_on = today
            task.save()
            task.co_agencies.set(co)
    return created, updated, []


def _check_reporter(task: LedgerTask, actor) -> bool:
    """The actor belongs to the lead unit (True) or a co-operating unit (False); else refused."""
    scope = _scope(actor)
    if not actor.has_capability("ledgers", "report") or not scope:
        raise PermissionDenied("只有牵头单位或配合单位可以报告任务进展。")
    if scope.startswith(task.lead_agency.tree_path):
        return True
    if any(scope.startswith(a.tree_path) for a in task.co_agencies.all()):
        return False
    raise PermissionDenied("只有牵头单位或配合单位可以报告任务进展。")


def reporting_agency(task: LedgerTask, actor):
    scope = actor.scope_path or ""
    for agency in [task.lead_agency, *task.co_agencies.all()]:
        if scope.startswith(agency.tree_path):
            return agency
    return None


@transaction.atomic
def report_progress(task: LedgerTask, actor, *, text: str, completed: bool = False, fileobj=None,
                    file_name: str = "", stored=None, on: datetime.date | None = None) -> ProgressReport:
    """A progress report (进展情况) with an optional attachment (an uploaded ``fileobj``, or a file
    ``stored`` already); the lead unit may report the task done."""
    from zhifa.records.services import store_file

    task = LedgerTask.objects.select_for_update(of=("self",)).select_related("lead_agency").get(pk=task.pk)
    is_lead = _check_reporter(task, actor)
    if task.status == DONE:
        raise ValidationError("该任务已完成。")
    if not (text or "").strip():
        raise ValidationError({"text": "请填写进展情况。"})
    if completed and not is_lead:
        raise ValidationError({"completed": "只有牵头单位可以报告任务完成。"})
    if fileobj is not None:
        stored = store_file(fileobj, file_name or getattr(fileobj, "name", "附件"))
    on = on or clock.today()
    report = ProgressReport.objects.create(task=task, agency=reporting_agency(task, actor), reported_on=on,
                                           text=text.strip(), completed=completed, attachment=stored,
                                           reported_by=actor)
    task.progress = text.strip()
    task.status = DONE if completed else IN_PROGRESS
    task.completed_on = on if completed else None
    task.save()
    return report


def remind_overdue(*, today: datetime.date | None = None) -> dict:
    """Mark tasks due within ``REMIND_DAYS_BEFORE`` days (reminded) or past their deadline (overdue,
    from the day after the deadline). Idempotent for a day: a task reminded today is skipped."""
    today = today or clock.today()
    soon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    counts = {"reminded": 0, "overdue": 0}
    open_tasks = LedgerTask.objects.exclude(status=DONE).filter(deadline__lte=soon).exclude(reminded_on=today)
    for task in open_tasks.iterator(chunk_size=1000):
        with transaction.atomic():
            fields = ["reminded_on"]
            task.reminded_on = today
            if task.deadline < today:
                if task.overdue_since is None:
                    task.overdue_since = task.deadline + datetime.timedelta(days=1)
                    fields.append("overdue_since")
                counts["overdue"] += 1
            else:
                counts["reminded"] += 1
            task.save(update_fields=fields)
    return counts


def unit_statistics(tasks, today: datetime.date | None = None) -> list[dict]:
    """Completion per lead unit: totals, done, done on time, in progress, not started, overdue, rate."""
    today = today or clock.today()
    rows: dict[int, dict] = {}
    for task in tasks.select_related("lead_agency").order_by("lead_agency__name", "number"):
        row = rows.setdefault(task.lead_agency_id, {"agency": task.lead_agency.name, "agency_id": task.lead_agency_id,
                                                    "total": 0, "done": 0, "on_time": 0, "in_progress": 0,
                                                    "not_started": 0, "overdue": 0})
        row["total"] += 1
        if task.status == DONE:
            row["done"] += 1
            row["on_time"] += bool(task.completed_on and task.completed_on <= task.deadline)
        else:
            row["in_progress" if task.status == IN_PROGRESS else "not_started"] += 1
            row["overdue"] += task.deadline < today
    for row in rows.values():
        row["rate"] = (Decimal(row["done"] * 100) / row["total"]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return sorted(rows.values(), key=lambda r: (-r["rate"], r["agency"]))
