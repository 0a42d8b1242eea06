"""Rules of grid dispatch (网格化巡查与指挥调度), one function per step, called by the API and the pages.

Task procedure (``TRANSITIONS``)::

    dispatched ─accept→ accepted ─arrive→ arrived ─report→ reported ─close→ closed
        │  └──────────── send_back (退回, with reason) ─→ returned
        └─ reassign (改派, command centre, with reason) from dispatched/accepted/arrived/returned → dispatched

Who: the command centre (指挥中心, capability ``dispatch.command``: unit and agency heads of the managing
agency) dispatches, reassigns and closes; the task's named officers — or, when none are named, the staff of
the team's agency and the grid's workers (网格员) — accept, arrive, report and send back. Periods: a task
must be accepted within ``ACCEPT_HOURS[priority]`` of dispatch and reported by its due time (set by the
command centre); both are platform settings, no statute fixes them. Every step is one transaction that
also appends an event to the grid's hash-chained record (``grid:<id>``): arrival carries the device time
and position, a report its photos (stored content-addressed, SM3, like evidence).
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from zhifa.core import clock
from zhifa.core.scoping import ensure_in_scope
from zhifa.records.services import append_event, store_file

from . import models as m
from .models import DispatchTask, Grid, GridReport

#: hours within which a dispatched task must be accepted, by priority (platform setting)
ACCEPT_HOURS = {m.URGENT: 1, m.HIGH: 4, m.NORMAL: 24}
MAX_PHOTOS = 9
#: a device clock may run this far ahead of the server's
DEVICE_CLOCK_SKEW = datetime.timedelta(minutes=10)


# ------------------------------------------------------------------------------------------ helpers

def _text(value, field: str, limit: int = 4000, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "此项必填。"})
    if len(value) > limit:
        raise ValidationError({field: f"不能超过{limit}个字符。"})
    return value


def _need(actor, action: str, message: str) -> None:
    if not actor.has_capability("dispatch", action):
        raise PermissionDenied(message)


def _coordinate(value, field: str, low: int, high: int, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: "请提供定位（经纬度）。"})
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except Exception:  # noqa: BLE001  (any malformed number)
        raise ValidationError({field: "经纬度格式不正确。"}) from None
    if not low <= number <= high:
        raise ValidationError({field: f"应在{low}到{high}之间。"})
    return number


def _device_time(value, field: str = "device_time", not_before=None) -> datetime.datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        raise ValidationError({field: "设备时间格式不正确。"})
    now = clock.now()
    if value > now + DEVICE_CLOCK_SKEW:
        raise ValidationError({field: "设备时间晚于当前时间，请校准手机时间。"})
    if not_before is not None and value < not_before - DEVICE_CLOCK_SKEW:
        raise ValidationError({field: "设备时间早于任务签收时间。"})
    return value


def _event(grid: Grid, kind: str, summary: str, actor, payload: dict, place=None, files=()) -> None:
    append_event(grid.stream_key, kind, summary[:300], actor=actor, payload=payload, place=place, files=files)


# --------------------------------------------------------------------------------------------- grids

def _check_grid_fields(*, township, agency, team, code: str, polygon: str) -> None:
    if township.level != "township":
        raise ValidationError({"township": "网格须属于一个乡镇（街道）。"})
    m.validate_grid_code(code)
    if not code.startswith(township.code):
        raise ValidationError({"code": f"网格编码须以所属乡镇（街道）代码{township.code}开头。"})
    if not township.path.startswith(agency.region.path):
        raise ValidationError({"agency": "管理主体须为该乡镇（街道）或其所在县级的执法主体。"})
    if team.kind not in ("township_team", "squad") or not team.is_active:
        raise ValidationError({"team": "责任队伍须为在用的乡镇（街道）执法队或执法中队。"})
    if team.agency_id != agency.pk and not township.path.startswith(team.agency.region.path):
        raise ValidationError({"team": "责任队伍须属于管理主体或该乡镇（街道）的执法主体。"})
    if polygon:
        validate_polygon(polygon)


def validate_polygon(text: str) -> None:
    """A GeoJSON Polygon (or a Feature holding one) in WGS-84 longitude/latitude pairs."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError({"polygon": "边界不是有效的 GeoJSON 文本。"}) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry") or {}
    if not isinstance(data, dict) or data.get("type") != "Polygon" or not isinstance(data.get("coordinates"), list):
        raise ValidationError({"polygon": "边界须为 GeoJSON Polygon。"})
    for ring in data["coordinates"]:
        if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
            raise ValidationError({"polygon": "每个环至少四个点，且首尾相同。"})
        for point in ring:
            if (not isinstance(point, list) or len(point) < 2
                    or not all(isinstance(v, int | float) for v in point[:2])
                    or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)):
                raise ValidationError({"polygon": "坐标须为[经度, 纬度]，经度-180～180，纬度-90～90。"})


def _check_workers(workers, agency, team) -> list:
    workers = list({w.pk: w for w in workers}.values())
    allowed = {agency.pk, team.agency_id}
    wrong = [str(w) for w in workers
             if not (w.agency_id in allowed or w.unit_id == team.pk or (w.unit_id and w.unit.agency_id in allowed))]
    if wrong:
        raise ValidationError({"workers": f"{'、'.join(wrong)}不属于管理主体或责任队伍，不能担任该网格的网格员。"})
    return workers


@transaction.atomic
def save_grid(grid: Grid | None, *, actor, township, agency, team, code: str, name: str, bounds: str,
              polygon: str = "", workers=(), is_active: bool = True) -> Grid:
    """Create (``grid`` None) or change a grid; it must stay within the actor's reach."""
    if not actor.has_capability("grid", "change"):
        raise PermissionDenied("您的角色不能维护网格。")
    code = (code or "").strip()
    polygon = (polygon or "").strip()
    _check_grid_fields(township=township, agency=agency, team=team, code=code, polygon=polygon)
    creating = grid is None
    if creating:
        grid = Grid()
    else:
        grid = Grid.objects.select_for_update().get(pk=grid.pk)
        ensure_in_scope(grid, actor, "change")
    if Grid.objects.filter(code=code).exclude(pk=grid.pk).exists():
        raise ValidationError({"code": "该网格编码已被使用。"})
    grid.township, grid.agency, grid.team, grid.code = township, agency, team, code
    grid.name = _text(name, "name", 60)
    grid.bounds = _text(bounds, "bounds")
    grid.polygon, grid.is_active = polygon, is_active
    grid.save()
    grid.workers.set(_check_workers(workers, agency, team))
    ensure_in_scope(grid, actor, "change")
    _event(grid, "grid:created" if creating else "grid:changed", f"{'设立' if creating else '调整'}网格{grid}", actor,
           {"team": team.pk, "agency": agency.pk, "workers": sorted(w.pk for w in grid.workers.all())})
    return grid


# --------------------------------------------------------------------------------------------- tasks

def _is_commander(task_or_grid, actor) -> bool:
    """The command centre of the grid: ``dispatch.command`` within reach of the grid."""
    if not (actor.is_superuser or actor.has_capability("dispatch", "command")):
        return False
    grid_id = task_or_grid.pk if isinstance(task_or_grid, Grid) else task_or_grid.grid_id
    return Grid.objects.restrict(actor, "view").filter(pk=grid_id).exists()


def may_work(task: DispatchTask, actor) -> bool:
    """Whether ``actor`` is one of the people the task is for (named officers, else the team's agency
    staff and the grid's workers)."""
    if not actor.has_capability("dispatch", "change"):
        return False
    if task.assignees.exists():
        return task.assignees.filter(pk=actor.pk).exists()
    if actor.unit_id == task.team_id or actor.agency_id == task.team.agency_id:
        return True
    return task.grid.workers.filter(pk=actor.pk).exists()


def _team_and_assignees(grid: Grid, team, assignees) -> tuple:
    team = team or grid.team
    if team.pk != grid.team_id and team.agency_id != grid.agency_id:
        raise ValidationError({"team": "只能派发给网格的责任队伍或管理主体的执法队伍。"})
    if not team.is_active:
        raise ValidationError({"team": "该执法队伍已停用。"})
    assignees = list({a.pk: a for a in assignees}.values())
    worker_ids = set(grid.workers.values_list("pk", flat=True))
    wrong = [str(a) for a in assignees
             if not (a.unit_id == team.pk or a.agency_id == team.agency_id or a.pk in worker_ids)]
    if wrong:
        raise ValidationError({"assignees": f"{'、'.join(wrong)}不是承办队伍的人员或本网格的网格员。"})
    return team, assignees


def _locked(task: DispatchTask, actor) -> DispatchTask:
    locked = DispatchTask.objects.select_for_update().select_related("grid", "team").get(pk=task.pk)
    if not DispatchTask.objects.restrict(actor, "view").filter(pk=locked.pk).exists():
        raise PermissionDenied("该任务不在您的管辖范围内。")
    return locked


def _expect(task: DispatchTask, *statuses: str) -> None:
    if task.status not in statuses:
        raise ValidationError(f"任务当前为“{task.get_status_display()}”，不能办理这一步。")


def _worker(task: DispatchTask, actor) -> None:
    if not may_work(task, actor):
        raise PermissionDenied("只有任务指定的人员（未指定时为承办队伍人员或本网格网格员）可以办理。")


def _commander(task, actor) -> None:
    if not _is_commander(task, actor):
        raise PermissionDenied("只有指挥中心（承办机构负责人、机关负责人）可以派发、改派或办结任务。")


@transaction.atomic
def dispatch(*, actor, grid: Grid, kind: str, title: str, description: str, due_at: datetime.datetime,
             priority: str = m.NORMAL, team=None, assignees=(), complaint=None) -> DispatchTask:
    """The command centre dispatches a task for ``grid`` to a team (by default the grid's team)."""
    _commander(grid, actor)
    grid = Grid.objects.select_related("team", "agency").get(pk=grid.pk)
    if not grid.is_active:
        raise ValidationError({"grid": "该网格已停用。"})
    if kind not in dict(m.KIND_CHOICES):
        raise ValidationError({"kind": "请选择任务类型。"})
    if priority not in ACCEPT_HOURS:
        raise ValidationError({"priority": "请选择紧急程度。"})
    now = clock.now()
    if due_at is None or due_at <= now:
        raise ValidationError({"due_at": "反馈期限须晚于现在。"})
    if kind == m.COMPLAINT:
        from zhifa.supervision.models import Complaint

        if complaint is None:
            raise ValidationError({"complaint": "投诉核查任务须关联投诉举报。"})
        if not Complaint.objects.restrict(actor, "view").filter(pk=complaint.pk).exists():
            raise ValidationError({"complaint": "该投诉举报不在您的管辖范围内。"})
    elif complaint is not None:
        raise ValidationError({"complaint": "只有投诉核查任务关联投诉举报。"})
    team, assignees = _team_and_assignees(grid, team, assignees)
    task = DispatchTask.objects.create(
        number=f"tmp-{now.timestamp()}-{actor.pk}", grid=grid, agency=grid.agency, township_id=grid.township_id,
        team=team, kind=kind, priority=priority, title=_text(title, "title", 100),
        description=_text(description, "description"), complaint=complaint, dispatched_by=actor, dispatched_at=now,
        accept_due_at=now + datetime.timedelta(hours=ACCEPT_HOURS[priority]), due_at=due_at)
    task.number = f"调{now:%Y%m%d}-{task.pk:06d}"
    task.save(update_fields=["number"])
    task.assignees.set(assignees)
    ensure_in_scope(task, actor, "view")
    _event(grid, "dispatch:dispatched", f"派发{task.get_kind_display()}任务{task.number}至{team.name}：{task.title}",
           actor, {"task": task.pk, "team": team.pk, "assignees": [a.pk for a in assignees], "priority": priority,
                   "due_at": due_at.isoformat(), "accept_due_at": task.accept_due_at.isoformat()})
    return task


@transaction.atomic
def accept(task: DispatchTask, *, actor) -> DispatchTask:
    """签收: one of the people the task is for takes it on."""
    task = _locked(task, actor)
    _expect(task, m.DISPATCHED)
    _worker(task, actor)
    now = clock.now()
    task.status, task.accepted_at, task.accepted_by = m.ACCEPTED, now, actor
    task.save()
    _event(task.grid, "dispatch:accepted", f"{actor}签收任务{task.number}", actor,
           {"task": task.pk, "late": now > task.accept_due_at})
    return task


@transaction.atomic
def arrive(task: DispatchTask, *, actor, latitude, longitude, device_time=None, place: str = "") -> DispatchTask:
    """到场: the position and the device's time where the officer arrived."""
    task = _locked(task, actor)
    _expect(task, m.ACCEPTED)
    _worker(task, actor)
    task.arrived_latitude = _coordinate(latitude, "latitude", -90, 90, True)
    task.arrived_longitude = _coordinate(longitude, "longitude", -180, 180, True)
    task.arrived_at = _device_time(device_time, not_before=task.accepted_at) or clock.now()
    task.status = m.ARRIVED
    task.save()
    _event(task.grid, "dispatch:arrived", f"{actor}到达任务{task.number}现场", actor,
           {"task": task.pk, "device_time": task.arrived_at.isoformat()},
           place={"text": _text(place, "place", 200, required=False), "latitude": task.arrived_latitude,
                  "longitude": task.arrived_longitude})
    return task


@transaction.atomic
def send_back(task: DispatchTask, *, actor, reason: str) -> DispatchTask:
    """退回: the team cannot take the task (not theirs, no one free …), with reasons."""
    task = _locked(task, actor)
    _expect(task, m.DISPATCHED, m.ACCEPTED)
    _worker(task, actor)
    task.return_reason = _text(reason, "reason")
    task.status = m.RETURNED
    task.save()
    _event(task.grid, "dispatch:returned", f"{actor}退回任务{task.number}：{task.return_reason}", actor,
           {"task": task.pk, "reason": task.return_reason})
    return task


@transaction.atomic
def reassign(task: DispatchTask, *, actor, reason: str, team=None, assignees=(), due_at=None) -> DispatchTask:
    """改派: the command centre sends an unfinished task to another team or other officers."""
    task = _locked(task, actor)
    _expect(task, m.DISPATCHED, m.ACCEPTED, m.ARRIVED, m.RETURNED)
    _commander(task, actor)
    reason = _text(reason, "reason")
    now = clock.now()
    if due_at is not None and due_at <= now:
        raise ValidationError({"due_at": "反馈期限须晚于现在。"})
    team, assignees = _team_and_assignees(task.grid, team or task.team, assignees)
    task.team, task.return_reason, task.status = team, reason, m.DISPATCHED
    task.dispatched_at, task.accept_due_at = now, now + datetime.timedelta(hours=ACCEPT_HOURS[task.priority])
    task.due_at = due_at or task.due_at
    task.accepted_at = task.accepted_by = task.arrived_at = task.arrived_latitude = task.arrived_longitude = None
    task.save()
    task.assignees.set(assignees)
    _event(task.grid, "dispatch:reassigned", f"改派任务{task.number}至{team.name}：{reason}", actor,
           {"task": task.pk, "team": team.pk, "assignees": [a.pk for a in assignees], "reason": reason})
    return task


@transaction.atomic
def close(task: DispatchTask, *, actor, note: str = "") -> DispatchTask:
    """办结: the command centre accepts the report back."""
    task = _locked(task, actor)
    _expect(task, m.REPORTED)
    _commander(task, actor)
    task.close_note = _text(note, "note", required=False)
    task.status, task.closed_at = m.CLOSED, clock.now()
    task.save()
    _event(task.grid, "dispatch:closed", f"办结任务{task.number}" + (f"：{task.close_note}" if task.close_note else ""),
           actor, {"task": task.pk})
    return task


# ------------------------------------------------------------------------------------------- reports

def store_photos(files) -> list:
    """Store uploaded photos content-addressed (SM3) through the records app; images only."""
    files = list(files or [])
    if len(files) > MAX_PHOTOS:
        raise ValidationError({"photos": f"最多上传{MAX_PHOTOS}张照片。"})
    stored = []
    for upload in files:
        row = store_file(upload, getattr(upload, "name", "photo.jpg"), getattr(upload, "content_type", None))
        if not row.content_type.startswith("image/"):
            raise ValidationError({"photos": f"“{upload.name}”不是图片。"})
        stored.append(row)
    return stored


def may_report(grid: Grid, actor) -> bool:
    """Officers and auxiliaries of the grid's agencies and the grid's workers report in a grid."""
    if not actor.has_capability("dispatch", "change"):
        return False
    if not Grid.objects.restrict(actor, "view").filter(pk=grid.pk).exists():
        return False
    if actor.agency_id in (grid.agency_id, grid.team.agency_id) or actor.unit_id == grid.team_id:
        return True
    return grid.workers.filter(pk=actor.pk).exists()


@transaction.atomic
def file_report(*, actor, grid: Grid, text: str, place: str, category: str = "other", problem_found: bool = False,
                latitude=None, longitude=None, device_time=None, photos=(), task: DispatchTask | None = None
                ) -> GridReport:
    """巡查上报 from a phone: for a task the officer has arrived at (the task becomes reported) or on its
    own (a patrol finds something). ``photos`` are ``StoredFile`` rows (``store_photos``)."""
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"最多上传{MAX_PHOTOS}张照片。"})
    if task is not None:
        task = _locked(task, actor)
        _expect(task, m.ARRIVED)
        _worker(task, actor)
        grid = task.grid
    else:
        grid = Grid.objects.select_related("team").get(pk=grid.pk)
        if not may_report(grid, actor):
            raise PermissionDenied("只有本网格的网格员或管理主体、责任队伍的人员可以上报。")
    if category not in dict(m.REPORT_CATEGORY_CHOICES):
        raise ValidationError({"category": "请选择类别。"})
    now = clock.now()
    report = GridReport.objects.create(
        grid=grid, task=task, agency_id=grid.agency_id, township_id=grid.township_id, team_id=grid.team_id,
        reporter=actor, category=category, text=_text(text, "text"), problem_found=bool(problem_found),
        place=_text(place, "place", 200), latitude=_coordinate(latitude, "latitude", -90, 90, False),
        longitude=_coordinate(longitude, "longitude", -180, 180, False),
        device_time=_device_time(device_time, not_before=task.accepted_at if task else None), reported_at=now)
    report.photos.set(photos)
    if task is not None:
        task.status, task.reported_at = m.REPORTED, now
        task.save()
    summary = (f"任务{task.number}反馈" if task else "巡查上报") + f"（{report.get_category_display()}"
    summary += "，发现问题）" if report.problem_found else "，未发现问题）"
    _event(grid, "dispatch:reported" if task else "grid:report", f"{summary}{report.text}", actor,
           {"report": report.pk, "task": task.pk if task else None, "problem_found": report.problem_found,
            "device_time": report.device_time.isoformat() if report.device_time else None},
           place={"text": report.place, "latitude": report.latitude, "longitude": report.longitude}, files=photos)
    return report


def _report_locked(report: GridReport, actor) -> GridReport:
    locked = GridReport.objects.select_for_update().select_related("grid", "team").get(pk=report.pk)
    if not GridReport.objects.restrict(actor, "change").filter(pk=locked.pk).exists():
        raise PermissionDenied("该上报不在您的管辖范围内。")
    if not locked.problem_found:
        raise ValidationError("未发现问题的上报不需要后续处置。")
    if locked.follow_up:
        raise ValidationError(f"该上报已{locked.get_follow_up_display()}。")
    return locked


@transaction.atomic
def start_case(report: GridReport, *, actor, case) -> GridReport:
    """转为案件线索: link the case registered from the report (案件来源“监督检查发现”, by the grid's managing
    agency or the team's agency, registered on or after the report)."""
    from zhifa.cases.models import Case

    report = _report_locked(report, actor)
    if not Case.objects.restrict(actor, "change").filter(pk=case.pk).exists():
        raise PermissionDenied("您无权办理该案件。")
    if case.agency_id not in (report.agency_id, report.team.agency_id):
        raise ValidationError({"case": "案件须由网格的管理主体或责任队伍所属的执法主体办理。"})
    if case.source not in ("inspection", "other"):
        raise ValidationError({"case": "由巡查发现的案件，案件来源应为“监督检查发现”。"})
    report.follow_up, report.case = m.FOLLOW_CASE, case
    report.save()
    _event(report.grid, "grid:case", f"巡查上报转为案件线索：{case.number or case.cause}", actor,
           {"report": report.pk, "case": case.pk})
    return report


@transaction.atomic
def start_inspection(report: GridReport, *, actor, inspection) -> GridReport:
    """转为行政检查: link the inspection started from the report (by the same agencies)."""
    from zhifa.inspections.models import Inspection

    report = _report_locked(report, actor)
    if not Inspection.objects.restrict(actor, "change").filter(pk=inspection.pk).exists():
        raise PermissionDenied("您无权办理该行政检查。")
    if inspection.agency_id not in (report.agency_id, report.team.agency_id):
        raise ValidationError({"inspection": "行政检查须由网格的管理主体或责任队伍所属的执法主体实施。"})
    report.follow_up, report.inspection = m.FOLLOW_INSPECTION, inspection
    report.save()
    _event(report.grid, "grid:inspection", f"巡查上报转为行政检查：{inspection}", actor,
           {"report": report.pk, "inspection": inspection.pk})
    return report


# ------------------------------------------------------------------------------------------ overdue

def overdue_q(now: datetime.datetime) -> Q:
    """Tasks not accepted within their period, or not reported by their due time."""
    return (Q(status=m.DISPATCHED, accept_due_at__lt=now)
            | Q(status__in=m.WORKING_STATUSES, due_at__lt=now))


def available_steps(task: DispatchTask, actor) -> list[str]:
    """The steps ``actor`` may take on ``task`` now (the buttons derive from this, not a second table)."""
    steps = []
    works = may_work(task, actor)
    commands = _is_commander(task, actor)
    if works and task.status == m.DISPATCHED:
        steps.append("accept")
    if works and task.status == m.ACCEPTED:
        steps.append("arrive")
    if works and task.status == m.ARRIVED:
        steps.append("report")
    if works and task.status in (m.DISPATCHED, m.ACCEPTED):
        steps.append("send_back")
    if commands and task.status in (m.DISPATCHED, m.ACCEPTED, m.ARRIVED, m.RETURNED):
        steps.append("reassign")
    if commands and task.status == m.REPORTED:
        steps.append("close")
    return steps


def photos_from_uploads(actor, upload_ids) -> list:
    """The photos of an API report: finished uploads of the actor's own (``/api/records/uploads/``), images only."""
    from zhifa.records.models import Upload

    upload_ids = list(dict.fromkeys(upload_ids or []))
    if len(upload_ids) > MAX_PHOTOS:
        raise ValidationError({"photos": f"最多上传{MAX_PHOTOS}张照片。"})
    uploads = list(Upload.objects.filter(pk__in=upload_ids, owner=actor, completed__isnull=False)
                   .select_related("completed"))
    if len(uploads) != len(upload_ids):
        raise ValidationError({"photos": "照片须为本人已完成的上传。"})
    if any(not u.completed.content_type.startswith("image/") for u in uploads):
        raise ValidationError({"photos": "照片须为图片文件。"})
    return [u.completed for u in uploads]
