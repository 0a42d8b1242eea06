"""Pruning the task queue's history (后台任务记录清理, issue #14).

django-q2 records every run in ``django_q.Task`` (``Success`` / ``Failure`` are proxies of it);
``save_limit`` caps the successes it keeps, but failures are never removed and a busy province
accumulates them. The daily job "core.prune_job_history" deletes successful runs that stopped
more than ``ZHIFA_JOB_HISTORY_DAYS`` (default 30) days ago and failed runs older than
``ZHIFA_JOB_FAILURE_HISTORY_DAYS`` (default 90; an administrator may still want to look at a
failure and retry it — ``/jobs/``). Queued runs and schedules are never touched. Idempotent.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

JOB_NAME = "core.prune_job_history"


@dataclass
class PruneResult:
    """Runs deleted (or, with ``dry_run``, that would be)."""

    successes: int
    failures: int
    dry_run: bool = False

    @property
    def summary(self) -> str:
        verb = "可删除" if self.dry_run else "已删除"
        return f"{verb}过期的后台任务记录：成功 {self.successes:,} 条，失败 {self.failures:,} 条"


def prune_job_history(*, dry_run: bool = False, now=None, success_days: int | None = None,
                      failure_days: int | None = None) -> PruneResult:
    """Delete finished runs older than the configured periods (``dry_run``: count only)."""
    from django_q.models import Task

    now = now or timezone.now()
    success_days = success_days if success_days is not None else int(getattr(settings, "ZHIFA_JOB_HISTORY_DAYS", 30))
    failure_days = failure_days if failure_days is not None else int(
        getattr(settings, "ZHIFA_JOB_FAILURE_HISTORY_DAYS", 90))
    old_successes = Task.objects.filter(success=True, stopped__lt=now - datetime.timedelta(days=success_days))
    old_failures = Task.objects.filter(success=False, stopped__lt=now - datetime.timedelta(days=failure_days))
    if dry_run:
        return PruneResult(old_successes.count(), old_failures.count(), dry_run=True)
    successes, _ = old_successes.delete()
    failures, _ = old_failures.delete()
    return PruneResult(successes, failures)


def prune_job_history_job() -> str:
    """Job "core.prune_job_history": prune with the configured periods; its summary."""
    return prune_job_history().summary
