"""Complaint services (投诉举报办理): the only code that changes a complaint.

Intake from every channel (``receive``, ``receive_work_order``), the moves of the procedure
(``perform``: route, accept, transfer, return, decide, reply, close — checked against
``procedure.MOVES``), satisfaction (``record_satisfaction``), the case's outcome flowing back
(``on_case_event``), reminders and escalation (``remind_and_escalate``, a scheduled job).
Each is one transaction that writes the complaint's hash-chained event and, for a hotline work
order, the status push-back through the outbox (``zhifa.core.outbox``) in the same transaction.
"""

import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.core import clock, numbers
from zhifa.core.scoping import ancestor_paths, ensure_in_scope
from zhifa.records.services import append_event, events_for

from ..models.complaints import (
    DECISION_CHOICES,
    HOTLINE_SOURCES,
    NO_CASE,
    OPEN_CASE,
    SATISFACTION_CHOICES,
    Complainant,
    Complaint,
)
from . import procedure as proc
from .deadlines import due, limits_for

logger = logging.getLogger(__name__)

QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
QUERY_CODE_LENGTH = 16  # 16 × 5 bits = 80 bits


# ---------------------------------------------------------------------------------- helpers

def new_query_code() -> str:
    """An unguessable query code (查询码), e.g. ``7KQM-2XHP-9RTA-WC4N`` (80 random bits)."""
    raw = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, QUERY_CODE_LENGTH, 4))


def query_code_hash(code: str) -> str:
    """The keyed hash stored instead of the code (HMAC-SHA256 with the site's secret key)."""
    normalized = "".join(ch for ch in (code or "").upper() if ch in QUERY_CODE_ALPHABET)
    return hmac.new(settings.SECRET_KEY.encode(), f"complaint-query:{normalized}".encode(),
                    hashlib.sha256).hexdigest()


def find_by_query_code(code: str) -> Complaint | None:
    """The complaint a query code opens (the portal's status page), or None."""
    normalized = "".join(ch for ch in (code or "").upper() if ch in QUERY_CODE_ALPHABET)
    if len(normalized) != QUERY_CODE_LENGTH:
        return None
    return Complaint._base_manager.filter(query_code_hash=query_code_hash(code)).first()


def _event(complaint: Complaint, kind: str, summary: str, actor=None, payload=None):
    return append_event(complaint.stream_key, kind, summary[:300], actor=actor, payload=payload or {})


def _push(complaint: Complaint, status: str, **extra) -> None:
    """Tell the hotline that sent the work order (nothing for other channels). Inside the
    caller's transaction: the message commits with the change or not at all."""
    system = complaint.hotline_system
    if system is None or not complaint.work_order_number:
        return
    from zhifa.core import outbox

    payload = {"work_order_number": complaint.work_order_number, "complaint_number": complaint.number,
               "status": status, "status_label": proc.status(complaint.status).name,
               "agency": complaint.agency.name if complaint.agency_id else "", "time": clock.now().isoformat()}
    payload.update(extra)
    outbox.emit(receiver=system.receiver, stream=complaint.stream_key, event_type="complaint.status", payload=payload)


#: the steps of a complaint's record the complainant may see on the portal (办理进度), by event kind;
#: only these labels and the day are shown — never the event's summary, actor, reasons or notes
PUBLIC_PROGRESS = {
    "received": "收到投诉举报", "route": "分派至承办部门", "accept": "承办部门受理", "transfer": "转交有管辖权的部门办理",
    "return": "退回监督机构重新分派", "decide": "作出处理决定", "case_outcome": "立案查处的案件有了办理结果",
    "reply": "答复投诉举报人", "close": "办结", "satisfaction": "收到评价",
}


def public_progress(complaint: Complaint) -> list[tuple]:
    """The complaint's progress for the portal: (day, step) from its hash-chained record, in order,
    with the steps of ``PUBLIC_PROGRESS`` only (reminders, escalations and identity reads are internal)."""
    rows = events_for(complaint.stream_key).filter(kind__in=PUBLIC_PROGRESS).values_list("time", "kind")
    return [(timezone.localdate(time), PUBLIC_PROGRESS[kind]) for time, kind in rows]


def competent_agency(region, item=None):
    """The agency competent for ``item`` in ``region`` (属地管辖): the nearest agency at or above
    the region that exercises the same catalog item (the provincial code is shared by every
    county's bureau); None when the item is unknown — the supervisor routes it by hand."""
    from zhifa.catalog.models import Item

    if item is None:
        return None
    paths = ancestor_paths(region.path)
    candidates = (Item._base_manager.filter(code=item.code, agency__region__path__in=paths, agency__is_active=True)
                  .select_related("agency", "agency__region").order_by("-agency__region__path"))
    first = candidates.first()
    return first.agency if first is not None else None


def _set_due(complaint: Complaint) -> None:
    status = proc.status(complaint.status)
    complaint.next_due = {"acknowledge": complaint.acknowledge_due, "decide": complaint.decide_due,
                          "reply": complaint.reply_due}.get(status.deadline)


# ---------------------------------------------------------------------------------- intake

@transaction.atomic
def receive(*, source: str, region, subject: str, content: str, kind: str = "complaint", place: str = "",
            reported_name: str = "", reported_party=None, reported_agency=None, item=None, agency=None,
            anonymous: bool = False, complainant: dict | None = None, actor=None, hotline_system=None,
            work_order_number: str = "", received_at=None, with_query_code: bool = False):
    """Register a complaint from any channel; returns ``(complaint, query_code or None)``.

    It is routed to ``agency`` when given, otherwise to the agency competent for ``item`` in
    ``region``; left unrouted it waits for the region's supervisor. The limits of its source
    and region start running on the day it was received."""
    subject, content = (subject or "").strip(), (content or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = ["请填写事由。"]
    if not content:
        errors["content"] = ["请填写投诉举报内容。"]
    person = {k: (v or "").strip() for k, v in (complainant or {}).items() if k in ("name", "phone", "id_number", "address")}
    if not anonymous and not (person.get("name") and person.get("phone")):
        errors["complainant"] = ["实名投诉举报须填写姓名和联系电话；不愿留名的请选择匿名。"]
    if errors:
        raise ValidationError(errors)
    if anonymous:
        person = {}
    when = received_at or clock.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    day = timezone.localdate(when)
    limits = limits_for(source, region)
    routed = agency or competent_agency(region, item)
    code = new_query_code() if with_query_code else None
    complaint = Complaint(
        number=f"TMP-{secrets.token_hex(8)}", kind=kind, source=source, hotline_system=hotline_system,
        work_order_number=work_order_number or "", region=region, item=item, agency=routed,
        reported_agency=reported_agency, reported_party=reported_party, reported_name=(reported_name or "")[:200],
        subject=subject[:200], content=content, place=(place or "")[:200], anonymous=bool(anonymous),
        status=proc.RECEIVED, received_at=when, received_on=day,
        acknowledge_due=due(day, limits.acknowledge_days), reply_due=due(day, limits.reply_days),
        query_code_hash=query_code_hash(code) if code else "", created_by=actor,
    )
    _set_due(complaint)
    complaint.save()
    complaint.number = f"TS{day.year}{complaint.pk:07d}"
    complaint.save(update_fields=["number"])
    if person:
        Complainant.objects.create(complaint=complaint, **person)
    if actor is not None:
        ensure_in_scope(complaint, actor)
    _event(complaint, "received", f"收到{complaint.get_source_display()}{complaint.get_kind_display()}：{complaint.subject}",
           actor, {"source": source, "work_order_number": work_order_number, "region": region.code,
                   "agency": routed.name if routed else "", "anonymous": bool(anonymous),
                   "acknowledge_due": complaint.acknowledge_due.isoformat(),
                   "reply_due": complaint.reply_due.isoformat(), "content": content})
    return complaint, code


def receive_work_order(system, data: dict) -> tuple[Complaint, bool]:
    """A hotline work order (热线工单), idempotent on (source, work-order number): the same
    order pushed again returns the complaint already made (``created`` False)."""
    number = str(data["work_order_number"]).strip()
    existing = Complaint._base_manager.filter(source=system.source, work_order_number=number).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            complaint, _ = receive(
                source=system.source, hotline_system=system, work_order_number=number, region=data["region"],
                subject=data["subject"], content=data["content"], kind=data.get("kind") or "complaint",
                place=data.get("place", ""), reported_name=data.get("reported_name", ""), item=data.get("item"),
                anonymous=data.get("anonymous", False), complainant=data.get("complainant") or {},
                received_at=data.get("received_at"),
            )
    except IntegrityError:  # the same order arriving twice at the same moment: the other one won
        return Complaint._base_manager.get(source=system.source, work_order_number=number), False
    return complaint, True


# ---------------------------------------------------------------------------------- moves

def available_actions(complaint: Complaint, user) -> list[proc.Move]:
    """The moves ``user`` may make on ``complaint`` now (the page's buttons, the API's answer)."""
    result = []
    for item in proc.MOVES:
        try:
            _check(complaint, item, user)
        except (PermissionDenied, ValidationError):
            continue
        result.append(item)
    return result


def _check(complaint: Complaint, item: proc.Move, actor) -> None:
    if not actor.is_superuser and actor.role not in item.roles:
        raise PermissionDenied(f"您的角色不能{item.name}。")
    if complaint.status not in item.sources:
        raise ValidationError(f"当前状态为“{proc.status(complaint.status).name}”，不能{item.name}。")
    if not Complaint.objects.restrict(actor, "change").filter(pk=complaint.pk).exists():
        raise PermissionDenied("该投诉举报不在您的管辖范围内。")
    if item.code == "route":
        if complaint.agency_id is not None:
            raise ValidationError("已有承办执法主体；如需改变请转办。")
        if not actor.has_capability("complaints", "route"):
            raise PermissionDenied("只有执法监督人员可以分派。")
    elif complaint.agency_id is None:
        raise ValidationError("尚未分派承办执法主体。")
    elif item.code in ("accept", "decide", "reply", "return") and not actor.is_superuser \
            and actor.agency_id != complaint.agency_id:
        raise PermissionDenied(f"只有承办执法主体的人员可以{item.name}。")


def _locked(complaint: Complaint) -> Complaint:
    return Complaint._base_manager.select_for_update().get(pk=complaint.pk)


@transaction.atomic
def perform(complaint: Complaint, code: str, *, actor, **values) -> Complaint:
    """Make move ``code`` (procedure.MOVES) on ``complaint`` as ``actor`` with its values."""
    item = proc.move(code)
    complaint = _locked(complaint)
    _check(complaint, item, actor)
    handler = _HANDLERS[code]
    summary, payload = handler(complaint, actor, **values)
    complaint.status = item.target
    _set_due(complaint)
    complaint.save()
    _event(complaint, code, summary, actor, payload)
    if item.push:
        _push(complaint, item.push, **{k: v for k, v in payload.items() if k in ("reason", "reply", "to_agency")})
    return complaint


def _agency_in_reach(agency, actor, complaint):
    from zhifa.orgs.models import Agency

    if agency is None:
        raise ValidationError({"agency": ["请选择承办执法主体。"]})
    if not Agency.objects.restrict(actor, "view").filter(pk=agency.pk).exists() and \
            not complaint.region.path.startswith(agency.region.path) and \
            not agency.region.path.startswith(complaint.region.path):
        raise ValidationError({"agency": ["所选执法主体不在该投诉举报事发地的管辖范围内。"]})
    if not agency.is_active:
        raise ValidationError({"agency": ["所选执法主体已撤销。"]})


def _route(complaint, actor, *, agency=None):
    _agency_in_reach(agency, actor, complaint)
    complaint.agency = agency
    return f"分派至{agency.name}", {"to_agency": agency.name}


def _accept(complaint, actor, *, handlers=()):
    handlers = list(handlers) or [actor]
    for user in handlers:
        if user.agency_id != complaint.agency_id:
            raise ValidationError({"handlers": [f"承办人{user}不属于承办执法主体。"]})
    complaint.accepted_at = clock.now()
    limits = limits_for(complaint.source, complaint.region)
    complaint.decide_due = due(clock.today(), limits.decide_days)
    complaint.handlers.set(handlers)
    return (f"受理，承办人：{'、'.join(str(u) for u in handlers)}",
            {"handlers": [u.pk for u in handlers], "decide_due": complaint.decide_due.isoformat()})


def _transfer(complaint, actor, *, agency=None, reason=""):
    if not (reason or "").strip():
        raise ValidationError({"reason": ["请写明转办理由（为何不属本单位管辖）。"]})
    if agency is not None and agency.pk == complaint.agency_id:
        raise ValidationError({"agency": ["不能转办给本单位。"]})
    _agency_in_reach(agency, actor, complaint)
    previous = complaint.agency.name
    complaint.agency = agency
    complaint.transfer_count += 1
    complaint.accepted_at = None
    complaint.decide_due = None
    complaint.handlers.clear()
    complaint.acknowledge_due = due(clock.today(), limits_for(complaint.source, complaint.region).acknowledge_days)
    return f"由{previous}转办至{agency.name}：{reason.strip()}", {"from_agency": previous, "to_agency": agency.name,
                                                             "reason": reason.strip()}


def _return(complaint, actor, *, reason=""):
    if not (reason or "").strip():
        raise ValidationError({"reason": ["请写明退回理由。"]})
    previous = complaint.agency.name
    complaint.agency = None
    complaint.accepted_at = None
    complaint.decide_due = None
    complaint.handlers.clear()
    return f"{previous}退回，待重新分派：{reason.strip()}", {"from_agency": previous, "reason": reason.strip()}


def _decide(complaint, actor, *, decision="", reason="", case=None):
    if decision not in dict(DECISION_CHOICES):
        raise ValidationError({"decision": ["请选择处理决定。"]})
    if decision == OPEN_CASE:
        if case is None:
            raise ValidationError({"case": ["立案查处须关联已登记的案件（案件来源为“投诉举报”）。"]})
        if case.agency_id != complaint.agency_id:
            raise ValidationError({"case": ["关联的案件须由承办执法主体办理。"]})
        if case.source != "complaint":
            raise ValidationError({"case": ["关联的案件来源须为“投诉举报”。"]})
        complaint.case = case
    elif not (reason or "").strip():
        raise ValidationError({"reason": ["不予立案或核查处理的，须写明理由。"]})
    complaint.decision = decision
    complaint.decision_reason = (reason or "").strip()
    complaint.decided_at = clock.now()
    label = dict(DECISION_CHOICES)[decision]
    summary = f"处理决定：{label}" + (f"（案件{case.number or case.pk}）" if case is not None else "")
    return summary, {"decision": decision, "reason": complaint.decision_reason, "case": case.pk if case else None}


def _reply(complaint, actor, *, reply=""):
    if not (reply or "").strip():
        raise ValidationError({"reply": ["请填写答复内容。"]})
    complaint.reply = reply.strip()
    complaint.replied_at = clock.now()
    return "答复投诉举报人", {"reply": complaint.reply}


def _close(complaint, actor, *, note=""):
    complaint.closed_at = clock.now()
    return "办结" + (f"：{note.strip()}" if (note or "").strip() else ""), {"note": (note or "").strip()}


_HANDLERS = {"route": _route, "accept": _accept, "transfer": _transfer, "return": _return, "decide": _decide,
             "reply": _reply, "close": _close}


# ---------------------------------------------------------------------------------- satisfaction

@transaction.atomic
def record_satisfaction(complaint: Complaint, value: str, *, channel: str, actor=None) -> Complaint:
    """The complainant's evaluation (满意度) from the portal (with the query code), the hotline
    or a staff call-back; once per complaint, after the reply."""
    if value not in dict(SATISFACTION_CHOICES):
        raise ValidationError({"satisfaction": ["请选择满意、基本满意或不满意。"]})
    complaint = _locked(complaint)
    if complaint.status not in (proc.REPLIED, proc.CLOSED):
        raise ValidationError("答复之后才能评价。")
    if complaint.satisfaction:
        raise ValidationError("该投诉举报已评价。")
    complaint.satisfaction = value
    complaint.satisfaction_channel = channel
    complaint.satisfaction_at = clock.now()
    complaint.save(update_fields=["satisfaction", "satisfaction_channel", "satisfaction_at"])
    _event(complaint, "satisfaction", f"投诉举报人评价：{complaint.get_satisfaction_display()}", actor,
           {"satisfaction": value, "channel": channel})
    if channel not in HOTLINE_SOURCES:
        _push(complaint, "evaluated", satisfaction=value)
    return complaint


# ---------------------------------------------------------------------------------- case outcome

CASE_EVENTS = {"transition:decide": "案件已作出处理决定", "transition:decide_on_spot": "案件已当场作出处理决定",
               "transition:close": "案件已结案"}


def on_case_event(event: str):
    """A subscriber of the case services (``cases.services.subscribe``): when a case opened from
    complaints is decided or closed, the outcome is written to each complaint and pushed back."""

    def handler(case, *, actor=None, **details):
        complaints = list(Complaint._base_manager.filter(case=case).select_related("hotline_system", "agency"))
        if not complaints:
            return
        outcome = CASE_EVENTS[event]
        if case.outcome:
            outcome += f"：{case.get_outcome_display()}"
        if case.decision_number:
            outcome += f"（{case.decision_number}）"
        if case.fine_amount:
            outcome += f"，罚款{numbers.format_yuan(case.fine_amount)}"
        for complaint in complaints:
            complaint.case_outcome = outcome[:300]
            complaint.save(update_fields=["case_outcome"])
            _event(complaint, "case_outcome", outcome, actor, {"case": case.pk, "event": event})
            _push(complaint, "case_" + event.split(":")[1], case_outcome=outcome)

    return handler


# ---------------------------------------------------------------------------------- reminders

REMIND_BEFORE_WORKING_DAYS = 2


def remind_and_escalate(today=None) -> dict:
    """Daily: remind the handling agency of limits ending within two working days (催办), and
    escalate to the region's supervisor what is past its limit (超期上报) — once each per
    complaint and day; the overdue problem models raise the alerts. Idempotent."""
    today = today or clock.today()
    horizon = due(today, REMIND_BEFORE_WORKING_DAYS)
    counts = {"reminded": 0, "escalated": 0}
    rows = Complaint._base_manager.filter(status__in=proc.OPEN_STATUSES, next_due__isnull=False)
    for complaint in rows.filter(next_due__lte=horizon, next_due__gte=today).exclude(reminded_on=today):
        with transaction.atomic():
            Complaint._base_manager.filter(pk=complaint.pk).update(reminded_on=today)
            _event(complaint, "reminded", f"催办：{proc.status(complaint.status).name}期限{complaint.next_due}届满",
                   None, {"due": complaint.next_due.isoformat()})
            counts["reminded"] += 1
    for complaint in rows.filter(next_due__lt=today, escalated_on__isnull=True):
        with transaction.atomic():
            Complaint._base_manager.filter(pk=complaint.pk).update(escalated_on=today)
            _event(complaint, "escalated", f"超期上报：{proc.status(complaint.status).name}期限已于{complaint.next_due}届满",
                   None, {"due": complaint.next_due.isoformat()})
            counts["escalated"] += 1
    return counts


__all__ = ["NO_CASE", "OPEN_CASE", "available_actions", "competent_agency", "find_by_query_code", "new_query_code",
           "perform", "receive", "receive_work_order", "record_satisfaction", "remind_and_escalate"]


# ---------------------------------------------------------------------------------- settings

@transaction.atomic
def set_deadline_rule(actor, *, region, source: str, acknowledge_days: int, decide_days: int, reply_days: int):
    """Set the limits of ``source`` for ``region`` and below (a supervisor of that region)."""
    from ..models.complaints import DeadlineRule

    if not actor.has_capability("complaints", "route"):
        raise PermissionDenied("只有执法监督人员可以设定投诉举报办理时限。")
    path = actor.scope_path if not actor.is_superuser else ""
    if path is None or not region.path.startswith(path):
        raise PermissionDenied("只能设定本人监督区域内的办理时限。")
    if not (0 < acknowledge_days <= decide_days + acknowledge_days and 0 < decide_days and 0 < reply_days):
        raise ValidationError("时限须为正整数（工作日）。")
    rule, _ = DeadlineRule._base_manager.update_or_create(
        region=region, source=source,
        defaults={"acknowledge_days": acknowledge_days, "decide_days": decide_days, "reply_days": reply_days,
                  "updated_by": actor})
    ensure_in_scope(rule, actor)
    return rule


def item_for_code(code: str, region):
    """The catalog item ``code`` exercised in ``region`` (the nearest agency at or above it), or None."""
    from zhifa.catalog.models import Item

    return (Item._base_manager.filter(code=code, agency__region__path__in=ancestor_paths(region.path))
            .order_by("-agency__region__path").first())


def agency_staff(complaint: Complaint):
    """Who may be assigned as a handler (承办人): active officers and heads of the handling agency."""
    from zhifa.accounts import roles
    from zhifa.accounts.models import User

    return User._base_manager.filter(agency_id=complaint.agency_id, is_active=True,
                                     role__in=(roles.OFFICER, roles.UNIT_HEAD, roles.AGENCY_HEAD)).order_by("username")


# ------------------------------------------------------------------------- hotline systems
# 热线系统: the 12345 / 12348 systems that push work orders, managed by the system administrator
# on the page 热线系统 (and by ``zhifa hotline_system`` on the server).

def _check_hotline_admin(actor, region):
    """``actor`` may manage hotline systems of ``region``; ``None`` is the server's operator
    (``zhifa hotline_system``), who may manage every region's."""
    if actor is None:
        return
    if not actor.has_capability("hotlines", "change"):
        raise PermissionDenied("只有系统管理员可以管理热线系统。")
    path = "" if actor.is_superuser else actor.scope_path
    if path is None or region is None or not region.path.startswith(path):
        raise PermissionDenied("只能管理本人所辖行政区划内的热线系统。")


def _locked_hotline(system, actor):
    """``system`` locked for a change: reached through ``restrict`` for a user, any system for the
    server's operator (``actor`` None)."""
    from ..models.complaints import HotlineSystem

    rows = HotlineSystem._base_manager if actor is None else HotlineSystem.objects.restrict(actor, "change")
    current = rows.select_for_update().filter(pk=system.pk).first()
    if current is None:
        raise PermissionDenied("您无权修改该热线系统。")
    _check_hotline_admin(actor, current.region)
    return current


def new_hotline_secret() -> str:
    """A fresh signing secret (HMAC-SHA256 key, 43 characters)."""
    return secrets.token_urlsafe(32)


@transaction.atomic
def save_hotline_system(actor, *, instance=None, code: str, name: str, source: str, region, receiver: str,
                        secret: str, active: bool = True):
    """Register a hotline system or change one in ``actor``'s region (the change is audited, its
    secret never written to the trail). ``secret`` empty on a change keeps the stored one.
    ``active=False`` disables it (its requests are refused). ``actor`` None: the server's operator
    (``zhifa hotline_system``)."""
    from ..models.complaints import HotlineSystem

    if instance is not None:
        instance = _locked_hotline(instance, actor)
    _check_hotline_admin(actor, region)
    if region is None:
        raise ValidationError({"region": "请选择热线服务的行政区划。"})
    if source not in HOTLINE_SOURCES:
        raise ValidationError({"source": "热线只能是12345或12348。"})
    if not secret and instance is None:
        raise ValidationError({"secret": "请填写签名密钥。"})
    if HotlineSystem._base_manager.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        raise ValidationError({"code": f"热线系统编码已登记：{code}"})
    system = instance or HotlineSystem(code=code)
    system.code, system.name, system.source, system.region = code, name, source, region
    system.receiver, system.active = receiver, active
    if secret:
        system.secret = secret
    system.save()
    return system


def set_hotline_active(system, *, actor, active: bool):
    """Disable (or enable again) ``system``: ``save_hotline_system`` with its other fields as they
    are — the page's form does the same with its 启用 box."""
    return save_hotline_system(actor, instance=system, code=system.code, name=system.name, source=system.source,
                               region=system.region, receiver=system.receiver, secret="", active=active)


@transaction.atomic
def rotate_hotline_secret(system, *, actor) -> str:
    """Give ``system`` a new signing secret and return it (shown once; the old one stops working).
    ``actor`` None: the server's operator (``zhifa hotline_system``)."""
    current = _locked_hotline(system, actor)
    secret = new_hotline_secret()
    current.secret = secret
    current.save(update_fields=["secret"])
    return secret
