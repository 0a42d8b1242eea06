"""The integrity check (完整性校验): the record chains, the audit trail and the signed
checkpoints verified by a worker, daily and on an audit administrator's request.

Each run (an ``IntegrityCheck`` row) checks, in this order:

1. the latest signed checkpoint: its SM2 signature with the trusted key, its Merkle root over the
   stored heads, and that every stream's link at the signed position still carries the signed
   hash (``checkpoints.verify_checkpoint``: a rewritten history shows here even when every later
   hash was recomputed);
2. the whole audit-trail chain (``audit:changelog``), recomputed;
3. the record streams that are due, each recomputed link by link against the checkpoint: a stream
   that grew since its last full check, one never checked, and one last checked more than
   ``ZHIFA_INTEGRITY_CYCLE_DAYS`` (30) days ago — so an event changed in place, its stored hash
   kept, is found within a cycle even in a stream nobody touches. At most
   ``ZHIFA_INTEGRITY_STREAMS_PER_RUN`` (20,000) streams a run, least recently checked first; the
   rest wait for the next run (``streams_due_left``).

The daily run ("records.integrity_check", 01:15) then signs the next checkpoint and pushes it to
the supervising level — only when everything passed, so a checkpoint never vouches for a changed
record. A run that finds a problem tells every active audit and security administrator (站内消息,
kind 完整性告警). An administrator's run (立即校验 on ``/audit/checkpoints/``, or
``POST /api/records/integrity-checks/``) only checks.

Files are not re-hashed here: "records.verify_files" does that hourly. ``zhifa verify --all``
remains the full check of everything at once, for an operator at the console.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from zhifa.core import jobs

from . import checkpoints, services
from .audit_chain import AUDIT_STREAM
from .models import IntegrityCheck, Stream

logger = logging.getLogger(__name__)

RUN_JOB = "records.integrity_check_run"
DAILY_JOB = "records.integrity_check"
MAX_PROBLEMS = 50


def due_streams(now: datetime.datetime):
    """The record streams due for a full check, least recently checked first."""
    cycle = now - datetime.timedelta(days=settings.ZHIFA_INTEGRITY_CYCLE_DAYS)
    due = Stream.objects.exclude(key=AUDIT_STREAM).filter(
        Q(verified_at__isnull=True) | Q(verified_at__lt=cycle) | ~Q(verified_seq=F("head_seq")))
    return due.order_by(F("verified_at").asc(nulls_first=True), "id")


def request_check(user) -> IntegrityCheck:
    """An audit administrator's check (立即校验): queued for a worker once the transaction commits.
    A check already waiting or running is answered instead of queuing another."""
    pending = IntegrityCheck.objects.filter(status__in=[IntegrityCheck.QUEUED, IntegrityCheck.RUNNING]).first()
    if pending is not None:
        return pending
    with transaction.atomic():
        check = IntegrityCheck.objects.create(trigger=IntegrityCheck.REQUEST, requested_by=user)
        jobs.enqueue_on_commit(RUN_JOB, check.pk)
    return check


def run_requested(check_id: int) -> str:
    """The job "records.integrity_check_run": run a requested check (idempotent: a finished one
    is left alone)."""
    check = IntegrityCheck.objects.filter(pk=check_id).first()
    if check is None or check.status in (IntegrityCheck.DONE, IntegrityCheck.FAILED):
        return "已完成或已删除"
    return summary(run(check, sign=False))


def run_daily() -> str:
    """The daily job "records.integrity_check": check, then sign the next checkpoint if all passed."""
    check = IntegrityCheck.objects.create(trigger=IntegrityCheck.SCHEDULE)
    return summary(run(check, sign=True))


def summary(check: IntegrityCheck) -> str:
    verdict = "通过" if check.ok else "未通过"
    signed = f"，已签发第 {check.signed_checkpoint.number} 号检查点" if check.signed_checkpoint_id else ""
    return f"完整性校验{verdict}：完整校验记录流 {check.streams_checked:,} 个{signed}"


def run(check: IntegrityCheck, *, sign: bool) -> IntegrityCheck:
    """Run ``check`` (see the module); ``sign``: sign and push the next checkpoint if it passed."""
    now = timezone.now()
    IntegrityCheck.objects.filter(pk=check.pk).update(status=IntegrityCheck.RUNNING, started_at=now)
    check.status, check.started_at = IntegrityCheck.RUNNING, now
    problems: list[str] = []
    try:
        checkpoint_check = checkpoints.verify_checkpoint()
        check.checkpoint_message = checkpoint_check.message
        check.changed_streams = list(checkpoint_check.changed_streams)
        problems += checkpoint_check.problems if checkpoint_check.number is not None else []

        audit = services.verify_stream(AUDIT_STREAM, check_files=False)
        check.audit_message = audit.message
        check.events_checked += audit.checked_events
        problems += audit.problems

        _check_streams(check, now, problems)
        check.problems = problems[:MAX_PROBLEMS]
        check.ok = not problems
        if sign and check.ok:
            check.signed_checkpoint = _sign()
        check.status = IntegrityCheck.DONE
    except Exception as exc:
        logger.exception("integrity check %s failed", check.pk)
        check.status, check.error = IntegrityCheck.FAILED, str(exc)[:2000] or type(exc).__name__
        check.problems = problems[:MAX_PROBLEMS]
        check.ok = False if problems else None
    check.finished_at = timezone.now()
    check.save()
    if problems:
        _alert(check)
    return check


def _check_streams(check: IntegrityCheck, now, problems: list[str]) -> None:
    limit = settings.ZHIFA_INTEGRITY_STREAMS_PER_RUN
    due = due_streams(now)
    batch = list(due.values_list("pk", "key")[:limit])
    passed: list[tuple[int, int]] = []
    for pk, key in batch:
        result = services.verify_stream(key, check_files=False)
        check.events_checked += result.checked_events
        if result.ok:
            passed.append((pk, result.head_seq))
        else:
            problems += result.problems
            if result.changed_since_checkpoint and key not in check.changed_streams:
                check.changed_streams.append(key)
    check.streams_checked = len(batch)
    check.streams_due_left = max(due.count() - len(batch), 0) if len(batch) == limit else 0
    for pk, seq in passed:  # a stream with a problem stays due: the next run checks it again
        Stream.objects.filter(pk=pk).update(verified_at=now, verified_seq=seq)


def _sign():
    for record in checkpoints.retry_pushes():
        if record.status != "sent":
            logger.warning("checkpoint %s push to %s failed again", record.checkpoint.number, record.url)
    checkpoint = checkpoints.create_checkpoint()
    checkpoints.push(checkpoint)
    return checkpoint


def _alert(check: IntegrityCheck) -> None:
    """Tell every active audit and security administrator that the check found a problem."""
    from zhifa.accounts import roles
    from zhifa.accounts.models import User
    from zhifa.workspace.models import Message
    from zhifa.workspace.reminders import notify

    changed = "、".join(check.changed_streams[:10])
    body = "；".join(check.problems[:3]) + (f"。被改动的记录流：{changed}" if changed else "")
    for user in User.objects.filter(is_active=True, role__in=[roles.AUDIT_ADMIN, roles.SECURITY_ADMIN]):
        notify(user, kind=Message.INTEGRITY, event=f"integrity:{check.pk}", title="完整性校验未通过",
               body=body, url=reverse("audittrail:checkpoint_list"))
