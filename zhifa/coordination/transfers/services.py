"""Rules of the transfer of a case between enforcement agencies (案件移送) and of jurisdiction
disputes (管辖争议), one function per step, called by the pages and the API.

Law (行政处罚法2021): a penalty is handled by the agency where the act took place (第二十二条)
at county level or above (第二十三条); where two agencies are competent, the one that filed first
handles it; a dispute is settled by negotiation, failing which the common superior organ
designates the competent agency (第二十五条). 市场监督管理行政处罚程序规定 (2022) 第十五条: an agency
that finds a case outside its jurisdiction transfers it to the competent one; the receiving
agency, if it disputes jurisdiction, asks the common superior to designate and **may not
transfer the case on by itself** — enforced in ``send``.

Periods (working days, ``zhifa.workdays``): the receiver answers a transfer within
``ZHIFA_CASE_TRANSFER_ANSWER_DAYS`` (default 7 — no general statute sets one; the default
follows the seven working days of 市场监管处罚程序规定 for settling jurisdiction) and the
coordination office records the designation within ``ZHIFA_JURISDICTION_DECISION_DAYS``
(default 7, the same source). Both are settings so a province can set its own rule.

Every step is appended to the case's hash-chained record (``zhifa.records``) in the same
transaction, so the record moves with the case and its chain stays one chain; the move itself
(``move_case``) is shared by an accepted transfer and a designation. Sending, accepting and
returning a transfer and raising a dispute tell the other side after the commit (``notices``)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.accounts import roles
from zhifa.cases.models import Case, CaseOfficer
from zhifa.cases.rules import count_working_days
from zhifa.core import clock
from zhifa.core.scoping import user_scope_path
from zhifa.orgs.models import Agency, Region
from zhifa.records.models import Stream
from zhifa.records.services import append_event

from .. import models as m
from ..models import CaseTransfer, JurisdictionDispute
from . import notices

SENDERS = frozenset({roles.OFFICER, roles.UNIT_HEAD, roles.AGENCY_HEAD})
HEADS = frozenset({roles.UNIT_HEAD, roles.AGENCY_HEAD})  # 负责人: accept or return a transfer
LEGAL_BASIS_DEFAULT = "《中华人民共和国行政处罚法》第二十二条、第二十三条"


def answer_days() -> int:
    """Working days the receiving agency has to answer a transfer."""
    return int(getattr(settings, "ZHIFA_CASE_TRANSFER_ANSWER_DAYS", 7))


def decision_days() -> int:
    """Working days the coordination office has to record the designation."""
    return int(getattr(settings, "ZHIFA_JURISDICTION_DECISION_DAYS", 7))


def _text(value, label: str, limit: int = 4000) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({label: "此项必填。"})
    if len(value) > limit:
        raise ValidationError({label: f"不能超过{limit}个字符。"})
    return value


def acts_for(actor, agency: Agency, allowed_roles=None) -> bool:
    """Whether ``actor`` works for ``agency`` (its scope lies within the agency) and may handle
    cases there, in one of ``allowed_roles`` when given."""
    path = user_scope_path(actor)
    if path is None or not actor.has_capability("cases", "change"):
        return False
    if actor.is_superuser:
        return True
    if allowed_roles is not None and actor.role not in allowed_roles:
        return False
    return path.startswith(agency.tree_path)


def _require(actor, agency: Agency, allowed_roles, what: str) -> None:
    if not acts_for(actor, agency, allowed_roles):
        raise PermissionDenied(f"只有{agency.name}的{what}才能办理这一步。")


def open_matters(case: Case) -> str:
    """Why the case cannot be decided or moved now ("" when nothing is pending): an open
    transfer or an open jurisdiction dispute (the gate ``jurisdiction_settled``)."""
    if CaseTransfer._base_manager.filter(case_id=case.pk, status__in=m.CASE_TRANSFER_OPEN).exists():
        return "案件正在移送中，受移送机关答复前不能作出决定。"
    if JurisdictionDispute._base_manager.filter(case_id=case.pk, status=m.DISPUTE_OPEN).exists():
        return "案件存在未决的管辖争议，指定管辖前不能作出决定（行政处罚法第二十五条）。"
    return ""


def _check_undecided(case: Case) -> None:
    if case.decided_on is not None or case.outcome or case.closed_on or case.archived_on:
        raise ValidationError("已作出决定的案件不能移送或提请指定管辖。")


def _lock_case(case: Case, actor) -> Case:
    if not Case.objects.restrict(actor, "change").filter(pk=case.pk).exists():
        raise PermissionDenied("您无权办理该案件。")
    return Case._base_manager.select_for_update().select_related("agency", "party").get(pk=case.pk)


def _other_agency(agency, case: Case, label: str) -> Agency:
    if agency is None:
        raise ValidationError({label: "请选择机关。"})
    if not agency.is_active or agency.kind == "supervision":
        raise ValidationError({label: "只能选择有效的行政执法主体（不能是执法监督机关）。"})
    if agency.pk == case.agency_id:
        raise ValidationError({label: "不能选择本案的办案机关。"})
    return agency


def _record(case: Case, kind: str, summary: str, actor, **payload) -> int:
    return append_event(case.stream_key, kind, summary, actor=actor, payload=payload).seq


@transaction.atomic
def move_case(case: Case, agency: Agency, *, actor, **payload) -> int:
    """Move ``case`` to ``agency`` (accepted transfer or designation): the agency changes, the
    handling unit and officers are cleared so the receiver assigns its own, and a
    ``jurisdiction:moved`` event closes the sender's part of the record. Returns its number."""
    case = Case._base_manager.select_for_update().select_related("agency").get(pk=case.pk)
    old = case.agency
    officers = list(CaseOfficer.objects.filter(case=case).values_list("officer__name", flat=True))
    CaseOfficer.objects.filter(case=case).delete()
    case.agency, case.unit = agency, None
    case.save(update_fields=["agency", "unit", "updated_at"])
    return _record(case, "jurisdiction:moved", f"案件由{old.name}移交{agency.name}办理", actor,
                   from_agency=old.pk, to_agency=agency.pk, cleared_officers=officers, **payload)


# --- 案件移送 -----------------------------------------------------------------------------------


@transaction.atomic
def send(case: Case, *, actor, to_agency: Agency, reason: str, legal_basis: str = "",
         materials: str = "") -> CaseTransfer:
    """The handling agency transfers an undecided case to another agency (any level or region)
    with reasons and legal basis; a 移送函 is generated (its PDF after commit)."""
    case = _lock_case(case, actor)
    if not (actor.is_superuser or actor.role in SENDERS):
        raise PermissionDenied("移送案件须由执法人员或负责人办理。")
    _check_undecided(case)
    to_agency = _other_agency(to_agency, case, "to_agency")
    pending = open_matters(case)
    if pending:
        raise ValidationError(pending)
    if CaseTransfer._base_manager.filter(case_id=case.pk, status=m.ACCEPTED, to_agency_id=case.agency_id).exists():
        raise ValidationError("本案系受移送的案件，不得再自行移送；对管辖有异议的，请提请指定管辖"
                              "（市场监督管理行政处罚程序规定第十五条）。")
    from zhifa.review import choices as review_choices

    if case.reviews.filter(status__in=review_choices.OPEN_STATUSES).exists():
        raise ValidationError("法制审核进行中的案件不能移送。")
    today = clock.today()
    due, _provisional = count_working_days(today, answer_days())
    transfer = CaseTransfer.objects.create(
        case=case, from_agency=case.agency, to_agency=to_agency, reason=_text(reason, "reason"),
        legal_basis=_text(legal_basis or LEGAL_BASIS_DEFAULT, "legal_basis", 300), sent_at=clock.now(),
        sent_by=actor, answer_due=due)
    from zhifa.cases.documents import generate_documents

    materials = (materials or "").strip() or "案卷及证据材料"
    letter = generate_documents(case, ["case_transfer_letter"], actor=actor, extra={"case_transfer_letter": {
        "transfer": {"to_agency": to_agency.name, "reason": transfer.reason, "legal_basis": transfer.legal_basis,
                     "answer_due": due, "materials": materials}}})[0]
    transfer.letter = letter
    transfer.save(update_fields=["letter"])
    _record(case, "transfer:sent", f"移送{to_agency.name}，请于{due:%Y-%m-%d}前答复", actor,
            transfer=transfer.pk, to_agency=to_agency.pk, answer_due=due.isoformat(), letter=letter.number)
    notices.after_commit("transfer_sent", transfer.pk)
    return transfer


def _lock_transfer(transfer: CaseTransfer) -> CaseTransfer:
    return (CaseTransfer._base_manager.select_for_update()
            .select_related("case", "from_agency", "to_agency").get(pk=transfer.pk))


def _expect(transfer: CaseTransfer, *statuses: str) -> None:
    if transfer.status not in statuses:
        raise ValidationError(f"移送当前为“{transfer.get_status_display()}”，不能办理这一步。")


@transaction.atomic
def receive(transfer: CaseTransfer, *, actor) -> CaseTransfer:
    """The receiving agency signs for the transfer (签收), with the time."""
    transfer = _lock_transfer(transfer)
    _require(actor, transfer.to_agency, SENDERS, "执法人员或负责人")
    _expect(transfer, m.SENT)
    transfer.status, transfer.received_at, transfer.received_by = m.RECEIVED, clock.now(), actor
    transfer.save(update_fields=["status", "received_at", "received_by"])
    _record(transfer.case, "transfer:received", f"{transfer.to_agency.name}签收移送的案件", actor,
            transfer=transfer.pk)
    return transfer


@transaction.atomic
def accept(transfer: CaseTransfer, *, actor) -> CaseTransfer:
    """The receiving agency's head accepts: the case moves to the receiver in this transaction."""
    transfer = _lock_transfer(transfer)
    _require(actor, transfer.to_agency, HEADS, "负责人")
    _expect(transfer, m.RECEIVED)
    now = clock.now()
    transfer.status, transfer.answered_at, transfer.answered_by = m.ACCEPTED, now, actor
    _record(transfer.case, "transfer:accepted", f"{transfer.to_agency.name}接收移送的案件", actor,
            transfer=transfer.pk, late=now.date() > transfer.answer_due)
    transfer.record_seq = move_case(transfer.case, transfer.to_agency, actor=actor, transfer=transfer.pk)
    transfer.save(update_fields=["status", "answered_at", "answered_by", "record_seq"])
    notices.after_commit("transfer_accepted", transfer.pk)
    return transfer


@transaction.atomic
def return_transfer(transfer: CaseTransfer, *, actor, reason: str) -> CaseTransfer:
    """The receiving agency's head returns the transfer with reasons (退回); the case stays with
    the sender unchanged."""
    transfer = _lock_transfer(transfer)
    _require(actor, transfer.to_agency, HEADS, "负责人")
    _expect(transfer, m.SENT, m.RECEIVED)
    now = clock.now()
    transfer.return_reason = _text(reason, "reason")
    transfer.status, transfer.answered_at, transfer.answered_by = m.RETURNED, now, actor
    if transfer.received_at is None:
        transfer.received_at, transfer.received_by = now, actor
    transfer.save()
    _record(transfer.case, "transfer:returned", f"{transfer.to_agency.name}退回移送的案件", actor,
            transfer=transfer.pk, reason=transfer.return_reason, late=now.date() > transfer.answer_due)
    notices.after_commit("transfer_returned", transfer.pk)
    return transfer


def steps_for(transfer: CaseTransfer, user) -> list[str]:
    """The steps ``user`` may take on ``transfer`` now (derived from the same rules)."""
    if transfer.status == m.SENT and acts_for(user, transfer.to_agency, SENDERS):
        steps = ["receive"]
        if acts_for(user, transfer.to_agency, HEADS):
            steps.append("return")
        return steps
    if transfer.status == m.RECEIVED and acts_for(user, transfer.to_agency, HEADS):
        return ["accept", "return"]
    return []


def visible_record_seq(transfer: CaseTransfer, user) -> int | None:
    """How far ``user`` may read the case's record through the transfer: the sender up to the
    move (its part), the receiver everything before it accepts, None for no limit."""
    if transfer.status == m.ACCEPTED and not acts_for_view(user, transfer.to_agency):
        return transfer.record_seq
    return None


def acts_for_view(user, agency: Agency) -> bool:
    """Whether ``user``'s scope covers ``agency`` (its staff or supervisors above it)."""
    path = user_scope_path(user)
    return path is not None and (path == "" or agency.tree_path.startswith(path))


def record_head(case: Case) -> int:
    return Stream.objects.filter(key=case.stream_key).values_list("head_seq", flat=True).first() or 0


# --- 管辖争议 -----------------------------------------------------------------------------------


def common_region(a: Region, b: Region) -> Region:
    """The lowest region containing both."""
    common = ""
    for x, y in zip(a.path.split("/"), b.path.split("/"), strict=False):
        if x != y:
            break
        common += x + "/"
    return Region._base_manager.filter(path=common).first() or a


def coordination_office(a: Agency, b: Agency) -> tuple[Agency, Region]:
    """The 司法行政 supervision agency (``kind == "supervision"``) of the lowest region containing
    both agencies, going up where that region has none; and that region."""
    region = common_region(a.region, b.region)
    while region is not None:
        office = (Agency._base_manager.filter(region=region, kind="supervision", is_active=True)
                  .order_by("pk").first())
        if office is not None:
            return office, common_region(a.region, b.region)
        region = region.parent
    raise ValidationError("未找到两机关共同所在行政区划的执法监督机关（司法行政部门），无法提请指定管辖。")


@transaction.atomic
def raise_dispute(case: Case, *, actor, other_agency: Agency, kind: str, statement: str) -> JurisdictionDispute:
    """The handling agency brings a jurisdiction dispute with another agency to the coordination
    office (both claim the case, or both decline it)."""
    case = _lock_case(case, actor)
    if not (actor.is_superuser or actor.role in SENDERS):
        raise PermissionDenied("提请指定管辖须由执法人员或负责人办理。")
    _check_undecided(case)
    if kind not in dict(m.DISPUTE_KIND_CHOICES):
        raise ValidationError({"kind": "请选择争议类型。"})
    other_agency = _other_agency(other_agency, case, "other_agency")
    pending = open_matters(case)
    if pending:
        raise ValidationError(pending)
    office, region = coordination_office(case.agency, other_agency)
    due, _provisional = count_working_days(clock.today(), decision_days())
    dispute = JurisdictionDispute.objects.create(
        case=case, kind=kind, raised_by_agency=case.agency, other_agency=other_agency, office=office,
        deciding_authority=f"{region.name}人民政府", statement=_text(statement, "statement"),
        raised_at=clock.now(), raised_by=actor, decision_due=due)
    _record(case, "dispute:raised", f"与{other_agency.name}发生管辖争议，提请{office.name}协调指定管辖", actor,
            dispute=dispute.pk, dispute_kind=kind, other_agency=other_agency.pk, office=office.pk,
            decision_due=due.isoformat())
    notices.after_commit("dispute_raised", dispute.pk)
    return dispute


def may_decide(dispute: JurisdictionDispute, user) -> bool:
    """Supervisors (执法监督人员) whose scope covers the coordination office decide."""
    path = user_scope_path(user)
    if path is None:
        return False
    if user.is_superuser:
        return True
    return user.role == roles.SUPERVISOR and dispute.office.tree_path.startswith(path)


@transaction.atomic
def decide_dispute(dispute: JurisdictionDispute, *, actor, designated_agency: Agency,
                   reasons: str) -> JurisdictionDispute:
    """The office records the designation of the competent agency (指定管辖) with reasons; the
    case moves there (``move_case``) unless it already is there."""
    dispute = (JurisdictionDispute._base_manager.select_for_update()
               .select_related("case", "office", "office__region", "raised_by_agency", "other_agency")
               .get(pk=dispute.pk))
    if not may_decide(dispute, actor):
        raise PermissionDenied(f"只有{dispute.office.name}（或其上级）的执法监督人员才能指定管辖。")
    if dispute.status != m.DISPUTE_OPEN:
        raise ValidationError("该管辖争议已经指定管辖。")
    if designated_agency is None or not designated_agency.is_active or designated_agency.kind == "supervision":
        raise ValidationError({"designated_agency": "请指定有效的行政执法主体。"})
    if not designated_agency.tree_path.startswith(dispute.office.region.path):
        raise ValidationError({"designated_agency": "指定的机关须在协调机关所在行政区划内。"})
    now = clock.now()
    dispute.status, dispute.decided_at, dispute.decided_by = m.DISPUTE_DECIDED, now, actor
    dispute.designated_agency = designated_agency
    dispute.decision_reasons = _text(reasons, "reasons")
    dispute.save()
    case = dispute.case
    _record(case, "dispute:decided", f"{dispute.office.name}协调，指定{designated_agency.name}管辖", actor,
            dispute=dispute.pk, designated_agency=designated_agency.pk, reasons=dispute.decision_reasons,
            late=now.date() > dispute.decision_due)
    if designated_agency.pk != case.agency_id:
        move_case(case, designated_agency, actor=actor, dispute=dispute.pk)
    return dispute
