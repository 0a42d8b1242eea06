"""The one write path of alerts (预警): raising and self-closing (from the problem models),
and the lifecycle steps taken by supervisors and by the agencies addressed.

Every step is an event of the alert's hash-chained stream ``alert:<id>``, appended through
``zhifa.records.services`` in the same transaction as the change it records.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from zhifa.core import clock
from zhifa.records import services as records
from zhifa.workdays.services import add_working_days

from ..models import Alert
from ..models import alerts as a
from . import bulk

REPLY_WORKING_DAYS = 5  # default time for the agency's explanation
DEFAULT_YELLOW_DAYS = 5  # 黄牌: overdue this many days
DEFAULT_RED_DAYS = 15  # 红牌
REMIND_DAYS_BEFORE = 2
STREAM_PREFIX = "alert"


# ------------------------------------------------------------------------------ the stream

def record(alert: Alert, kind: str, summary: str, *, actor=None, payload=None, files=()):
    """Append one step to the alert's hash-chained stream."""
    return records.append_event(alert.stream_key, kind, summary, actor=actor, payload=payload or {}, files=files)


# ------------------------------------------------------------------------------ from the models

def reconcile(problem_model, findings, ctx) -> tuple[int, int]:
    """Raise an alert for each finding without an open one; close (recording the reason) the
    open alerts of the evaluated part whose condition is no longer found. Returns (raised, closed)."""
    open_alerts = Alert.objects.filter(ctx.agency_q(), problem_model=problem_model, is_open=True)
    if ctx.case_ids is not None:
        open_alerts = open_alerts.filter(case__in=ctx.case_ids)
    current = {(t, i): pk for pk, t, i in open_alerts.values_list("pk", "object_type", "object_id")}
    found = {}
    for finding in findings:
        found.setdefault((finding.object_type, finding.object_id), finding)
    handled = _handled(problem_model, [key for key in found if key not in current])
    new = [f for key, f in found.items() if key not in current and key not in handled]
    if new:
        try:
            with transaction.atomic():
                bulk.raise_many(problem_model, new)
        except IntegrityError:  # a concurrent run raised some of them first: one by one
            for finding in new:
                alert = bulk._alert(problem_model, finding)
                try:
                    with transaction.atomic():
                        alert.save()
                        record(alert, "raised", f"预警：{alert.summary}",
                               payload={"model": problem_model.code, "object": f"{alert.object_type}:{alert.object_id}",
                                        "facts": alert.facts})
                except IntegrityError:
                    continue
    cured = sorted(pk for key, pk in current.items() if key not in found)
    if cured:
        bulk.close_many(cured, f"复查时问题条件已消除（{problem_model.name}），系统自动办结。")
    return len(new), len(cured)


def _handled(problem_model, keys) -> set:
    """Objects whose alert of this model a supervisor already decided (dismissed, or closed
    after the rectification was re-checked): the model does not raise them again."""
    handled = set()
    decided = Alert.objects.filter(problem_model=problem_model, is_open=False, auto_closed=False)
    if not keys or not decided.exists():  # e.g. the first run: nothing decided yet, no lookup per 5,000
        return handled
    ids = sorted({object_id for _, object_id in keys})
    for start in range(0, len(ids), 5000):
        handled |= set(decided.filter(object_id__in=ids[start:start + 5000]).values_list("object_type", "object_id"))
    return handled


def close_cured(alert: Alert, reason: str) -> Alert:
    """Close an alert whose condition the model no longer finds, with the reason recorded."""
    alert.status, alert.is_open, alert.auto_closed = a.CLOSED, False, True
    alert.closed_at, alert.close_reason = clock.now(), reason[:300]
    alert.save(update_fields=["status", "is_open", "auto_closed", "closed_at", "close_reason"])
    record(alert, "auto_closed", reason)
    return alert


# ------------------------------------------------------------------------------ lifecycle

def _lock(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().select_related("problem_model", "agency").get(pk=alert.pk)


def _require(actor, alert: Alert, capability: str) -> None:
    if not actor.has_capability("alerts", capability):
        raise PermissionDenied("您的角色不能办理该预警。")
    action = "change" if capability == "change" else "view"
    if not Alert.objects.restrict(actor, action).filter(pk=alert.pk).exists():
        raise PermissionDenied("该预警不在您的管辖范围内。")


def _state(alert: Alert, allowed, what: str) -> None:
    if alert.status not in allowed:
        raise ValidationError(f"预警当前状态为“{alert.get_status_display()}”，不能{what}。")


def _text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({label: "请填写内容。"})
    return value


def _future(day, label: str) -> datetime.date:
    if day is None or day < clock.today():
        raise ValidationError({label: "期限不能早于今天。"})
    return day


@transaction.atomic
def assign(alert: Alert, actor, *, reply_due_on=None, note: str = "") -> Alert:
    """交办: the supervisor sends the alert to the agency for a written explanation by a date."""
    _require(actor, alert, "change")
    alert = _lock(alert)
    _state(alert, (a.RAISED,), "交办")
    due = _future(reply_due_on or add_working_days(clock.today(), REPLY_WORKING_DAYS), "reply_due_on")
    alert.status, alert.assigned_at, alert.reply_due_on, alert.handled_by = a.ASSIGNED, clock.now(), due, actor
    alert.save(update_fields=["status", "assigned_at", "reply_due_on", "handled_by"])
    record(alert, "assigned", f"交办{alert.agency.name}，{due}前说明情况", actor=actor,
           payload={"reply_due_on": due.isoformat(), "note": note})
    return alert


@transaction.atomic
def explain(alert: Alert, actor, *, explanation: str, files=()) -> Alert:
    """说明: the agency answers with its explanation and evidence files."""
    _require(actor, alert, "answer")
    alert = _lock(alert)
    _state(alert, (a.ASSIGNED,), "说明情况")
    alert.explanation, alert.explained_at = _text(explanation, "explanation"), clock.now()
    alert.status, alert.handled_by = a.EXPLAINED, actor
    alert.save(update_fields=["explanation", "explained_at", "status", "handled_by"])
    record(alert, "explained", "执法主体说明情况", actor=actor, payload={"explanation": alert.explanation},
           files=files)
    return alert


@transaction.atomic
def confirm(alert: Alert, actor, *, reason: str, rectify_due_on) -> Alert:
    """认定问题: the supervisor confirms the problem and sets the rectification deadline."""
    _require(actor, alert, "change")
    alert = _lock(alert)
    _state(alert, (a.EXPLAINED, a.ASSIGNED), "认定问题")
    if alert.status == a.ASSIGNED and not alert.overdue:
        raise ValidationError("执法主体的说明期限未到，尚不能直接认定。")
    alert.decision_reason = _text(reason, "reason")
    alert.rectify_due_on = _future(rectify_due_on, "rectify_due_on")
    alert.status, alert.handled_by = a.RECTIFYING, actor
    alert.save(update_fields=["decision_reason", "rectify_due_on", "status", "handled_by"])
    record(alert, "confirmed", f"认定问题，责令{alert.rectify_due_on}前整改", actor=actor,
           payload={"reason": alert.decision_reason, "rectify_due_on": alert.rectify_due_on.isoformat()})
    return alert


@transaction.atomic
def dismiss(alert: Alert, actor, *, reason: str) -> Alert:
    """不予认定: the supervisor accepts the explanation (or finds no problem) and closes the alert."""
    _require(actor, alert, "change")
    alert = _lock(alert)
    _state(alert, (a.RAISED, a.ASSIGNED, a.EXPLAINED), "不予认定")
    alert.decision_reason = _text(reason, "reason")
    alert.status, alert.is_open, alert.closed_at, alert.handled_by = a.DISMISSED, False, clock.now(), actor
    alert.close_reason = f"不予认定：{alert.decision_reason}"[:300]
    alert.save(update_fields=["decision_reason", "status", "is_open", "closed_at", "close_reason", "handled_by"])
    record(alert, "dismissed", "不予认定", actor=actor, payload={"reason": alert.decision_reason})
    return alert


@transaction.atomic
def report_rectification(alert: Alert, actor, *, rectification: str, files=()) -> Alert:
    """报整改: the agency reports what it rectified, with evidence files."""
    _require(actor, alert, "answer")
    alert = _lock(alert)
    _state(alert, (a.RECTIFYING,), "报告整改")
    alert.rectification, alert.status, alert.handled_by = _text(rectification, "rectification"), a.RECTIFIED, actor
    alert.save(update_fields=["rectification", "status", "handled_by"])
    record(alert, "rectified", "执法主体报告整改情况", actor=actor, payload={"rectification": alert.rectification},
           files=files)
    return alert


@transaction.atomic
def recheck(alert: Alert, actor, *, passed: bool, note: str, rectify_due_on=None) -> Alert:
    """复核: the supervisor checks the rectification: passed → closed; not passed → back to
    rectification with a new deadline. The model is re-run for the case first, and whether
    it still finds the condition is recorded."""
    _require(actor, alert, "change")
    alert = _lock(alert)
    _state(alert, (a.RECTIFIED,), "复核")
    note = _text(note, "note")
    still_found = Alert.objects.filter(pk=alert.pk, is_open=True).exists()
    if alert.case_id is not None:
        from ..problems import evaluate
        from ..problems.registry import get_check

        if get_check(alert.problem_model.code).incremental:
            evaluate(alert.problem_model.code, case_ids=[alert.case_id])
            alert.refresh_from_db()
            still_found = alert.is_open
            if not still_found:
                return alert  # closed by the model itself (condition cured), reason recorded
    if passed:
        alert.status, alert.is_open, alert.closed_at, alert.handled_by = a.CLOSED, False, clock.now(), actor
        alert.close_reason = f"整改复核通过：{note}"[:300]
        alert.save(update_fields=["status", "is_open", "closed_at", "close_reason", "handled_by"])
        record(alert, "rechecked", "整改复核通过，办结", actor=actor, payload={"passed": True, "note": note,
                                                                    "condition_still_found": still_found})
    else:
        alert.rectify_due_on = _future(rectify_due_on, "rectify_due_on")
        alert.status, alert.handled_by = a.RECTIFYING, actor
        alert.save(update_fields=["rectify_due_on", "status", "handled_by"])
        record(alert, "rechecked", f"整改复核未通过，责令{alert.rectify_due_on}前继续整改", actor=actor,
               payload={"passed": False, "note": note, "rectify_due_on": alert.rectify_due_on.isoformat()})
    return alert


def _periods(problem_model) -> tuple[int, int]:
    params = problem_model.params or {}
    return int(params.get("yellow_after_days", DEFAULT_YELLOW_DAYS)), int(params.get("red_after_days", DEFAULT_RED_DAYS))


def remind_and_escalate(*, today=None) -> dict:
    """Reminders before the reply or rectification deadline, and 黄牌/红牌 after it (days
    overdue per model: params ``yellow_after_days`` / ``red_after_days``, default 5 / 15).
    Each reminder and card is an event of the alert's stream. Idempotent for a day."""
    today = today or clock.today()
    counts = {"reminded": 0, "yellow": 0, "red": 0}
    running = Alert.objects.filter(status__in=(a.ASSIGNED, a.RECTIFYING)).select_related("problem_model")
    soon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    due_q = Q(status=a.ASSIGNED, reply_due_on__lte=soon) | Q(status=a.RECTIFYING, rectify_due_on__lte=soon)
    for alert in running.filter(due_q).exclude(reminded_on=today).iterator(chunk_size=1000):
        due = alert.reply_due_on if alert.status == a.ASSIGNED else alert.rectify_due_on
        with transaction.atomic():
            overdue_days = (today - due).days
            yellow, red = _periods(alert.problem_model)
            card = "red" if overdue_days >= red else "yellow" if overdue_days >= yellow else ""
            fields = ["reminded_on"]
            alert.reminded_on = today
            if card and card != alert.card and not (alert.card == "red"):
                alert.card, alert.card_at = card, clock.now()
                fields += ["card", "card_at"]
                counts[card] += 1
                record(alert, f"card_{card}", f"逾期{overdue_days}日，亮{alert.get_card_display()}")
            elif overdue_days < 0:
                counts["reminded"] += 1
                record(alert, "reminded", f"提醒：{due}到期")
            alert.save(update_fields=fields)
    return counts


def own_uploads(actor, file_ids) -> list:
    """The stored files ``file_ids`` that ``actor`` uploaded (records' resumable upload); an
    id of anyone else's file is refused, so nobody attaches a file they could not read."""
    from zhifa.records.models import StoredFile, Upload

    ids = sorted(set(file_ids or ()))
    if not ids:
        return []
    mine = set(Upload.objects.filter(owner=actor, completed_id__in=ids).values_list("completed_id", flat=True))
    if mine != set(ids):
        raise ValidationError({"files": "只能附上本人上传的文件。"})
    return list(StoredFile.objects.filter(pk__in=ids))
