"""Background jobs (后台任务): the one registry of every job the task queue runs.

The engine is django-q2 (``Q_CLUSTER`` in settings; why: docs/operations.md). Its ORM broker
keeps the queue, the schedules (``django_q.Schedule``) and the record of every run
(``django_q.Task``: successes and failures with their error) in the project's database, so
``make demo`` needs no extra server and several ``zhifa run_worker`` processes on several
machines share one PostgreSQL database.

Every job is declared once here or by its app with one call::

    from zhifa.core import jobs
    jobs.register("supervision.cockpit_refresh", "监督驾驶舱增量汇总", "zhifa.supervision.jobs.refresh_cockpit_dirty", every_minutes=10)

``name`` is stable (schedules are keyed by it), ``func`` a dotted path to a function that is
safe to run twice (idempotent), ``every_minutes`` or ``daily_at="02:30"`` (China time) makes it
periodic; a job without a schedule is enqueued by code with ``enqueue`` / ``enqueue_on_commit``.
The worker writes the declared schedules into ``django_q.Schedule`` when it starts
(``sync_schedules``), so a new job needs no migration and no manual step.

Every run goes through ``run``: a run that raises is recorded as failed by django-q2 and, while
attempts remain, ``run`` schedules the next attempt after an exponential backoff
(``ZHIFA_JOB_BACKOFF_SECONDS`` × 2ⁿ, at most ``ZHIFA_JOB_RETRIES`` retries) as a one-off
django-q2 schedule. The system administrator sees queued, running, failed and scheduled jobs on
``/jobs/`` (and ``/api/core/jobs/``) and may run a failed one again (``retry_failed``).
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

RUNNER = "zhifa.core.jobs.run"
SCHEDULE_PREFIX = "zhifa:"  # names of the schedules this module owns
RETRY_PREFIX = "zhifa-retry:"


class UnknownJob(LookupError):
    """No job of that name is registered."""


@dataclass(frozen=True)
class Job:
    """A declared job (后台任务): stable name, Chinese label, callable and schedule."""

    name: str
    label: str
    func: str
    every_minutes: int | None = None
    daily_at: str | None = None  # "HH:MM", China time
    retries: int | None = None  # None: settings.ZHIFA_JOB_RETRIES

    @property
    def periodic(self) -> bool:
        return bool(self.every_minutes or self.daily_at)

    @property
    def schedule_label(self) -> str:
        """The schedule in words: "每15分钟", "每日 02:30", "按需"."""
        if self.every_minutes:
            if self.every_minutes % 60 == 0:
                return f"每{self.every_minutes // 60}小时"
            return f"每{self.every_minutes}分钟"
        if self.daily_at:
            return f"每日 {self.daily_at}"
        return "按需（由业务操作触发）"

    @property
    def max_retries(self) -> int:
        return settings.ZHIFA_JOB_RETRIES if self.retries is None else self.retries

    def callable(self) -> Callable:
        module, _, attr = self.func.rpartition(".")
        return getattr(importlib.import_module(module), attr)


_REGISTRY: dict[str, Job] = {}


def register(name: str, label: str, func: str, *, every_minutes: int | None = None,
             daily_at: str | None = None, retries: int | None = None) -> Job:
    """Declare a job (one call per job; calling again with the same name replaces it)."""
    if every_minutes and daily_at:
        raise ValueError("a job runs either every N minutes or daily, not both")
    if daily_at is not None:
        datetime.time.fromisoformat(daily_at)  # refuse a malformed time at import
    job = Job(name, label, func, every_minutes, daily_at, retries)
    _REGISTRY[name] = job
    return job


def registered() -> list[Job]:
    """Every declared job, by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def get(name: str) -> Job:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownJob(f"未登记的后台任务：{name}") from None


def label_of(name: str) -> str:
    job = _REGISTRY.get(name)
    return job.label if job else name


def backoff_seconds(attempt: int) -> int:
    """Delay before attempt ``attempt + 1`` after attempt ``attempt`` failed: base × 2^(attempt-1)."""
    return settings.ZHIFA_JOB_BACKOFF_SECONDS * 2 ** max(attempt - 1, 0)


# --- running -------------------------------------------------------------------------------------


def run(name: str, *args, _attempt: int = 1, **kwargs):
    """Run job ``name`` (what every queued task calls). On failure schedule the next attempt
    with backoff while attempts remain, then re-raise so the run is recorded as failed."""
    job = get(name)
    try:
        return job.callable()(*args, **kwargs)
    except Exception:
        if _attempt <= job.max_retries:
            _schedule_retry(job, args, kwargs, _attempt)
        raise


def _schedule_retry(job: Job, args, kwargs, attempt: int) -> None:
    from django_q.models import Schedule

    delay = backoff_seconds(attempt)
    Schedule.objects.create(
        name=f"{RETRY_PREFIX}{job.name}:{timezone.now():%Y%m%d%H%M%S%f}"[:100],
        func=RUNNER, args=repr((job.name, *args)), kwargs=repr({**kwargs, "_attempt": attempt + 1}),
        schedule_type=Schedule.ONCE, repeats=1,
        next_run=timezone.now() + datetime.timedelta(seconds=delay),
    )
    logger.warning("job %s failed (attempt %s); retry in %s s", job.name, attempt, delay)


def enqueue(name: str, *args, **kwargs) -> str:
    """Put a run of job ``name`` on the queue now; returns the task id."""
    from django_q.tasks import async_task

    job = get(name)
    return async_task(RUNNER, job.name, *args, task_name=_task_name(job), group=job.name,
                      q_options={"sync": bool(getattr(settings, "ZHIFA_JOBS_SYNC", False))}, **kwargs)


def enqueue_on_commit(name: str, *args, **kwargs) -> None:
    """Enqueue job ``name`` once the current transaction commits (nothing if it rolls back)."""
    get(name)  # refuse an unknown name now, inside the caller's transaction
    transaction.on_commit(lambda: enqueue(name, *args, **kwargs))


def _task_name(job: Job) -> str:
    return f"{job.name}@{timezone.now():%Y%m%d%H%M%S%f}"[:100]


# --- schedules -----------------------------------------------------------------------------------


def _next_daily(at: str, now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    moment = datetime.time.fromisoformat(at)
    candidate = local.replace(hour=moment.hour, minute=moment.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + datetime.timedelta(days=1)


def sync_schedules() -> dict[str, int]:
    """Write the declared periodic jobs into django-q2's schedules (create, update, and remove
    those no longer declared). Idempotent; the worker calls it when it starts."""
    from django_q.models import Schedule

    now = timezone.now()
    counts = {"created": 0, "updated": 0, "removed": 0}
    wanted = {SCHEDULE_PREFIX + job.name: job for job in registered() if job.periodic}
    with transaction.atomic():
        existing = {s.name: s for s in Schedule.objects.select_for_update().filter(name__startswith=SCHEDULE_PREFIX)}
        for schedule_name, job in wanted.items():
            fields = {"func": RUNNER, "args": repr((job.name,)), "repeats": -1}
            if job.every_minutes:
                fields.update(schedule_type=Schedule.MINUTES, minutes=job.every_minutes)
            else:
                fields.update(schedule_type=Schedule.DAILY, minutes=None)
            row = existing.get(schedule_name)
            if row is None:
                next_run = (_next_daily(job.daily_at, now) if job.daily_at
                            else now + datetime.timedelta(minutes=job.every_minutes))
                Schedule.objects.create(name=schedule_name, next_run=next_run, **fields)
                counts["created"] += 1
            elif any(getattr(row, k) != v for k, v in fields.items()):
                for key, value in fields.items():
                    setattr(row, key, value)
                if job.daily_at:
                    row.next_run = _next_daily(job.daily_at, now)
                row.save()
                counts["updated"] += 1
        stale = [name for name in existing if name not in wanted]
        if stale:
            counts["removed"] = Schedule.objects.filter(name__in=stale).delete()[0]
    return counts


# --- what the administrator sees -----------------------------------------------------------------


@dataclass
class QueuedRun:
    """A run waiting in the queue or being worked on."""

    id: int
    job: str
    label: str
    args: tuple
    enqueued_at: datetime.datetime | None
    running: bool

    @property
    def state_label(self) -> str:
        return "执行中" if self.running else "排队中"


def _job_args(func: str, args) -> tuple[str, tuple]:
    args = tuple(args or ())
    if func == RUNNER and args:
        return str(args[0]), args[1:]
    return func, args


def queued_runs(limit: int = 200) -> list[QueuedRun]:
    """Runs in the queue: waiting, or taken by a worker (its lock lies in the future)."""
    from django_q.models import OrmQ

    now = timezone.now()
    runs = []
    for row in OrmQ.objects.order_by("id")[:limit]:
        try:
            task = row.task
        except Exception:  # a package signed with another key cannot be read
            continue
        name, args = _job_args(task.get("func") if isinstance(task.get("func"), str) else RUNNER, task.get("args"))
        runs.append(QueuedRun(row.pk, name, label_of(name), args, task.get("started"), row.lock > now))
    return runs


def failed_runs(limit: int = 100):
    """Failed runs (django-q2 ``Failure`` rows), newest first, each with ``job_name``, ``label``,
    ``job_args`` and ``error``."""
    from django_q.models import Failure

    rows = list(Failure.objects.order_by("-stopped")[:limit])
    for row in rows:
        _annotate(row)
    return rows


def recent_successes(limit: int = 50):
    from django_q.models import Success

    rows = list(Success.objects.order_by("-stopped")[:limit])
    for row in rows:
        _annotate(row)
    return rows


def _annotate(row) -> None:
    row.job_name, row.job_args = _job_args(row.func, row.args)
    row.label = label_of(row.job_name)
    row.error = str(row.result or "")


def scheduled_runs():
    """Schedules still to run: the declared periodic jobs and pending automatic retries."""
    from django_q.models import Schedule

    rows = list(Schedule.objects.exclude(repeats=0).filter(func=RUNNER).order_by("next_run"))
    for row in rows:
        import ast

        try:
            args = ast.literal_eval(row.args or "()")
        except (ValueError, SyntaxError):
            args = ()
        row.job_name, row.job_args = _job_args(RUNNER, args if isinstance(args, tuple) else (args,))
        row.label = label_of(row.job_name)
        row.is_retry = row.name.startswith(RETRY_PREFIX)
        job = _REGISTRY.get(row.job_name)
        row.schedule_label = "自动重试" if row.is_retry else (job.schedule_label if job else "")
    return rows


def retry_failed(task_id: str, *, actor=None) -> str:
    """Run a failed job again now (the administrator's 重试); returns the new task id.
    The failure stays in the record; the new run is recorded on its own."""
    from django.core.exceptions import ValidationError
    from django_q.models import Failure

    from zhifa.core.audit import acting_as, write_log

    failure = Failure.objects.filter(pk=task_id).first()
    if failure is None:
        raise ValidationError("没有这条失败记录（可能已被清理）。")
    name, args = _job_args(failure.func, failure.args)
    if name not in _REGISTRY:
        raise ValidationError(f"该任务（{name}）已不再登记，无法重试。")
    kwargs = {k: v for k, v in (failure.kwargs or {}).items() if k != "_attempt"}
    new_id = enqueue(name, *args, **kwargs)
    with acting_as(actor) if actor is not None else contextlib.nullcontext():
        write_log(failure, "update", before={"job": name, "task": str(task_id)}, after={"retry_task": new_id},
                  note=f"重试后台任务：{label_of(name)}")
    return new_id



# --- the platform's own jobs ---------------------------------------------------------------------
# Apps added later register theirs in their AppConfig.ready() with the same one call.

register("documents.convert", "文书转换为PDF", "zhifa.cases.documents.convert_pending_documents")
register("documents.convert_sweep", "补转未生成的PDF文书", "zhifa.cases.documents.convert_stale_documents",
         every_minutes=10)
register("statistics.publish", "发布统计年报", "zhifa.statistics.services.publish_due_job", daily_at="01:30")
register("records.purge_uploads", "清理放弃的未完成上传", "zhifa.records.services.purge_stale_uploads",
         daily_at="03:00")
register("records.verify_files", "校验存储文件哈希", "zhifa.records.verification.verify_files_due",
         every_minutes=60)
register("records.sweep_orphans", "清理无引用的存储对象", "zhifa.records.housekeeping.sweep_orphans_job", daily_at="04:10")
register("core.prune_job_history", "清理过期的后台任务记录", "zhifa.core.housekeeping.prune_job_history_job", daily_at="04:40")
register("core.analyze_db", "更新数据库统计信息（ANALYZE）", "zhifa.core.management.commands.analyze_db.analyze",
         daily_at="03:30")
register("workdays.recount", "重算待确认的期限", "zhifa.workdays.recount.recount_provisional_deadlines",
         daily_at="02:00")
register("records.integrity_check", "完整性校验并签发检查点", "zhifa.records.integrity.run_daily", daily_at="01:15",
         retries=0)
register("records.integrity_check_run", "完整性校验（人工发起）", "zhifa.records.integrity.run_requested", retries=0)
register("core.data_export", "生成大数据量的Excel导出", "zhifa.core.exports.build", retries=0)
register("core.purge_exports", "删除过期的Excel导出", "zhifa.core.exports.purge_expired_job", daily_at="04:50")
register("core.outbox_deliver", "发件箱事件投递（按事件流顺序，失败退避重试）", "zhifa.core.outbox.run_delivery",
         every_minutes=1)
