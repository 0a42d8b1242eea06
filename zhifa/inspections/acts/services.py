"""The only code that changes an inspection (行政检查). Every function checks who may act and what
must hold (the requirements of ``procedure.PROCEDURE``), changes the inspection in one transaction
and appends an event to its hash-chained record ``inspection:<id>`` (``zhifa.records``). Views,
the API, the demo and the integrator's draw wiring call these and nothing else.

Entry points: ``create_inspection`` (检查登记，审批表), ``perform`` (every step of the procedure),
``available_actions`` (the buttons), ``add_evidence``, ``set_cap``, ``code_for`` (扫码入企),
``enterprise_view`` / ``evaluate`` (the enterprise's own portal view).
"""

import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from zhifa.accounts import roles
from zhifa.catalog.models import Item
from zhifa.core import clock, jobs
from zhifa.core.scoping import ensure_in_scope
from zhifa.people.models import Officer
from zhifa.people.services import may_act
from zhifa.records.services import append_event, store_file
from zhifa.workdays.services import working_deadline

from ..models.inspection import (
    CAP_EXCEPTION_CHOICES,
    CASE_TRIGGERED,
    KIND_CHOICES,
    NOTICE_METHOD_CHOICES,
    ORIGIN_CHOICES,
    SPECIAL,
    Inspection,
    InspectionCap,
    InspectionChecklistLine,
    InspectionDocument,
    InspectionEvaluation,
    InspectionEvidence,
    InspectionSequence,
    SupervisionCode,
)
from .procedure import PROCEDURE, REQUIREMENTS, InspectionTransition

#: 检查结果公示 within twenty working days of the end of the inspection (企业信息公示暂行条例第六条、第七条).
PUBLICATION_WORKING_DAYS = 20
#: A moment entered on a phone may run a little ahead of the server's clock.
CLOCK_SKEW = datetime.timedelta(minutes=5)
EVIDENCE_LATE_AFTER = datetime.timedelta(hours=24)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Statuses that do not count as an inspection carried out.
NOT_COUNTED = ("refused",)


class TransitionRefused(ValidationError):
    """A step whose requirements do not hold; ``missing`` lists each reason in Chinese."""

    def __init__(self, transition: InspectionTransition, missing: list[str]):
        self.transition = transition
        self.missing = missing
        super().__init__(f"不能{transition.name}：" + "；".join(missing))


# ------------------------------------------------------------------------------------ helpers


def _event(inspection, kind, summary, actor, payload=None, place=None, files=()):
    return append_event(inspection.stream_key, kind, summary[:300], actor=actor, payload=payload or {},
                        place={k: v for k, v in (place or {}).items() if v not in (None, "")}, files=files)


def _officer_of(user):
    if user is None or not getattr(user, "pk", None):
        return None
    return Officer.objects.filter(user=user).first()


def _check_not_future(value, field, label):
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        if value > clock.now() + CLOCK_SKEW:
            raise ValidationError({field: f"{label}不能晚于当前时间。"})
    elif value > clock.today():
        raise ValidationError({field: f"{label}不能晚于今天。"})


def _serves(officer, agency) -> bool:
    if officer.home_agency_id == agency.pk:
        return True
    unit = officer.dispatched_to
    return unit is not None and unit.agency_id == agency.pk


def next_number(agency, year: int, mark: str = "检") -> str:
    """The next number of a series of the agency, e.g. 检查编号 云岭县市场监管局检〔2026〕3号."""
    sequence, _ = InspectionSequence.objects.select_for_update().get_or_create(agency=agency, year=year, kind=mark)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{(agency.short_name or agency.name)[:8]}{mark}〔{year}〕{sequence.last}号"


# ------------------------------------------------------------------------------ annual cap


def cap_for(agency, year: int) -> InspectionCap | None:
    """The agency's published cap of inspections per enterprise in ``year``, if it set one."""
    return InspectionCap.objects.filter(agency=agency, year=year).first()


def counted_inspections(agency, party, year: int, exclude_pk=None):
    """Inspections of ``party`` by ``agency`` (leading it or on its checklist) in ``year`` that count
    against the cap: carried out or pending, not refused, not a recorded lawful exception."""
    qs = Inspection.objects.filter(
        Q(agency=agency) | Q(lines__agency=agency), party=party, planned_on__year=year, cap_exception="",
    ).exclude(stage__in=NOT_COUNTED).distinct()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def _cap_refusals(agencies, party, year, cap_exception, exclude_pk=None) -> list[str]:
    if cap_exception:
        return []
    refusals = []
    for agency in agencies:
        cap = cap_for(agency, year)
        if cap is None:
            continue
        done = counted_inspections(agency, party, year, exclude_pk).count()
        if done >= cap.max_per_enterprise:
            refusals.append(f"{agency.name}公布的同一企业年度检查次数上限为{cap.max_per_enterprise}次，"
                            f"{year}年已对该企业检查{done}次")
    return refusals


@transaction.atomic
def set_cap(*, actor, agency, year: int, max_per_enterprise: int, basis: str = "") -> InspectionCap:
    """Set (publish) the agency's annual cap of inspections per enterprise; heads only."""
    if actor.role not in (roles.AGENCY_HEAD, roles.SYSTEM_ADMIN) and not actor.is_superuser:
        raise PermissionDenied("只有机关负责人或系统管理员可以公布年度检查频次上限。")
    if not max_per_enterprise or max_per_enterprise < 1:
        raise ValidationError({"max_per_enterprise": "年度检查次数上限至少为1次。"})
    from zhifa.orgs.models import Agency

    if not Agency.objects.restrict(actor, "view").filter(pk=agency.pk).exists():
        raise PermissionDenied("该执法主体不在您的管辖范围内。")
    cap, _ = InspectionCap.objects.update_or_create(
        agency=agency, year=year, defaults={"max_per_enterprise": max_per_enterprise, "basis": basis})
    return cap


# ------------------------------------------------------------------------- supervision code


def code_for(party) -> SupervisionCode:
    """The enterprise's supervision code, created on first use (扫码入企)."""
    code, _ = SupervisionCode.objects.get_or_create(party=party)
    return code


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


# ------------------------------------------------------------------------------ requirements


def _items_refusals(lines_spec, on) -> list[str]:
    refusals = []
    if not lines_spec:
        return ["至少选择一项检查事项"]
    public = set(Item.objects.public().filter(pk__in=[i.pk for _, i in lines_spec]).values_list("pk", flat=True))
    for agency, item in lines_spec:
        if item.kind != "inspection":
            refusals.append(f"“{item.name}”不是行政检查事项")
        elif item.pk not in public:
            refusals.append(f"“{item.name}”未在门户公布，不得实施检查")
        elif not item.is_competent(agency, on):
            refusals.append(f"“{item.name}”不属于{agency.name}的职权")
    return refusals


def _officer_refusals(officers, lines_spec, on) -> list[str]:
    refusals = []
    officers = list(officers)
    for officer in officers:
        if officer.kind != Officer.KIND_OFFICER:
            refusals.append(f"{officer.name}是执法辅助人员，不能实施行政检查")
        elif not officer.is_active:
            refusals.append(f"{officer.name}已不在岗")
    if len(officers) < 2:
        refusals.append("检查人员不得少于两人")
    for agency, item in lines_spec:
        able = [o for o in officers if o.kind == Officer.KIND_OFFICER and _serves(o, agency) and may_act(o, item, on).allowed]
        if len(able) < 2:
            refusals.append(f"“{item.name}”须有{agency.name}两名以上持有效执法证件、可以办理该事项的执法人员")
    return refusals


def _requirement_refusal(code: str, inspection: Inspection, data: dict, actor) -> str:
    """The Chinese reason why requirement ``code`` does not hold now, or ""."""
    if code == "two_officers":
        spec = [(line.agency, line.item) for line in inspection.lines.select_related("agency", "item")]
        problems = _officer_refusals(inspection.officers.all(), spec, clock.today())
        return "；".join(problems)
    if code == "code_matches":
        given = normalise_code(data.get("code", ""))
        expected = SupervisionCode.objects.filter(party=inspection.party).values_list("code", flat=True).first()
        if not given:
            return "请扫描或输入企业的监管码"
        if expected is None or given != expected:
            return "监管码与被检查企业不符"
        return ""
    if code == "missing_reason":
        return "" if (data.get("reason") or "").strip() else "请写明未扫码的原因"
    if code == "not_scanned":
        return "" if inspection.scanned_at is None else "已经扫码"
    if code == "findings_recorded":
        if not inspection.documents.filter(code="inspection_site_record").exists():
            return "尚未制作现场检查笔录"
        if inspection.lines.filter(result="pending").exists():
            return "检查表还有未填写结果的事项"
        return ""
    if code == "problem_found":
        return "" if inspection.lines.filter(result="problem").exists() else "检查表中没有发现问题的事项"
    if code == "no_problem":
        return "检查表中有发现问题的事项，应责令改正或转立案" if inspection.lines.filter(result="problem").exists() else ""
    if code == "correction_due":
        if not (data.get("requirements") or "").strip():
            return "请写明责令改正的内容"
        due = data.get("due_on")
        if not due:
            return "请填写改正期限"
        if due <= clock.today():
            return "改正期限应晚于今天"
        return ""
    if code == "approval_pending":
        return "" if (inspection.emergency and inspection.approved_at is None) else "该检查无需补办审批"
    if code == "approved":
        return "" if inspection.approved_at is not None else "紧急检查尚未补办审批，不能公示结果"
    if code == "penalty_item":
        item = data.get("penalty_item")
        line = data.get("line")
        if item is None or line is None:
            return "请选择发现问题的检查事项和对应的行政处罚事项"
        if line.inspection_id != inspection.pk or line.result != "problem":
            return "所选检查事项不是本次检查中发现问题的事项"
        if item.kind != "penalty" or not item.is_competent(line.agency, clock.today()):
            return f"“{item.name}”不是{line.agency.name}的行政处罚事项"
        return ""
    raise KeyError(code)


def _may_change(inspection: Inspection, actor) -> bool:
    return Inspection.objects.restrict(actor, "change").filter(pk=inspection.pk).exists()


def refusal(inspection: Inspection, transition: InspectionTransition, actor, data=None) -> list[str]:
    """Every reason ``actor`` may not take ``transition`` on ``inspection`` now (empty: allowed)."""
    data = data or {}
    if not _may_change(inspection, actor):
        return ["该检查不在您的管辖范围内"]
    if inspection.stage not in transition.sources:
        return [f"当前环节（{inspection.stage_name}）不能办理"]
    if actor.role not in transition.roles and not actor.is_superuser:
        names = dict(roles.ROLE_CHOICES)
        return ["只有" + "、".join(names[r] for r, _ in roles.ROLE_CHOICES if r in transition.roles) + "可以办理"]
    if transition.signed and actor.role == roles.OFFICER:
        officer = _officer_of(actor)
        if officer is None or not inspection.officers.filter(pk=officer.pk).exists():
            return ["只有本次检查的检查人员可以办理"]
    missing = []
    for code in transition.requires:
        reason = _requirement_refusal(code, inspection, data, actor)
        if reason:
            missing.append(reason)
    return missing


@dataclass
class ActionOption:
    """A step offered on the inspection page: available now, or the reason it is not."""

    code: str
    name: str
    available: bool
    refusal: str


#: requirements that depend on what the user types (checked when the form is sent, not for the button)
_INPUT_REQUIREMENTS = {"code_matches", "missing_reason", "correction_due", "penalty_item"}


def available_actions(inspection: Inspection, actor) -> list[ActionOption]:
    """The steps leaving the current stage, each with whether ``actor`` may take it now (the
    requirements that depend on input are checked when the form is sent)."""
    options = []
    for transition in PROCEDURE.transitions_from(inspection.stage):
        probe = InspectionTransition(transition.code, transition.name, transition.sources, transition.target,
                                     transition.roles, tuple(r for r in transition.requires
                                                             if r not in _INPUT_REQUIREMENTS), (),
                                     transition.signed)
        reasons = refusal(inspection, probe, actor)
        options.append(ActionOption(transition.code, transition.name, not reasons, "；".join(reasons)))
    return options


# ---------------------------------------------------------------------------------- documents


def _d(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.year}年{value.month}月{value.day}日{value.hour}时{value.minute:02d}分"
    return f"{value.year}年{value.month}月{value.day}日"


def document_context(inspection: Inspection, code: str, number: str = "") -> dict:
    """The context of an inspection document (``check.*`` keys of ``zhifa.documents.context``)."""
    party = inspection.party
    agency = inspection.agency
    officers = list(inspection.officers.all())
    lines = list(inspection.lines.select_related("agency", "item"))
    certificates = {}
    for officer in officers:
        cert = officer.certificates.order_by("-issued_on").first()
        certificates[officer.pk] = getattr(cert, "number", "")
    return {
        "agency": {"name": agency.name, "seal_text": agency.name, "address": getattr(agency, "address", ""),
                   "phone": getattr(agency, "phone", "")},
        "document": {"number": number, "date": clock.today()},
        "party": {"name": party.name, "credit_code": party.credit_code, "address": party.address,
                  "representative": party.legal_representative, "kind": "单位"},
        "officers": [{"name": o.name, "certificate_number": certificates.get(o.pk, "")} for o in officers],
        "check": {
            "number": inspection.number,
            "kind": inspection.get_kind_display(),
            "origin": inspection.get_origin_kind_display() + (f"（{inspection.origin_reference}）"
                                                              if inspection.origin_reference else ""),
            "subject": inspection.subject,
            "place": inspection.place,
            "planned_on": _d(inspection.planned_on),
            "agencies": "、".join(sorted({line.agency.name for line in lines})) or agency.name,
            "emergency": "是（事后补办审批）" if inspection.emergency else "否",
            "cap_exception": inspection.get_cap_exception_display() if inspection.cap_exception else "",
            "approval_opinion": inspection.approval_opinion,
            "approved_by": inspection.approved_by.display_name if inspection.approved_by else "",
            "approved_at": _d(inspection.approved_at),
            "started_at": _d(inspection.started_at),
            "ended_at": _d(inspection.ended_at),
            "scan": (f"{inspection.get_scan_method_display()}，{_d(inspection.scanned_at)}"
                     if inspection.scanned_at else "未扫码（" + (inspection.scan_missing_reason or "") + "）"),
            "findings": inspection.findings,
            "result": inspection.get_result_display() if inspection.result else "",
            "correction_requirements": inspection.correction_requirements,
            "correction_due_on": _d(inspection.correction_due_on),
            "reviewed_on": _d(inspection.reviewed_on),
            "review_result": inspection.get_review_result_display() if inspection.review_result else "",
            "review_note": inspection.review_note,
            "case_number": inspection.case.number if inspection.case_id and inspection.case.number else "",
            "lines": [{"no": str(i), "agency": line.agency.name, "item": line.item.name, "code": line.item.code,
                       "result": line.get_result_display(), "note": line.note} for i, line in enumerate(lines, 1)],
        },
    }


NUMBERED = {"inspection_correction_notice": "责改", "inspection_result_notice": "检告"}


def _generate(inspection: Inspection, code: str, actor) -> InspectionDocument:
    """Render document ``code`` (DOCX), store it content-addressed and record it on the inspection;
    its hash goes into the event of the step that produced it."""
    from zhifa.documents.services import render_documents

    number = next_number(inspection.agency, clock.today().year, NUMBERED[code]) if code in NUMBERED else ""
    if code == "inspection_approval":
        number = inspection.number
    rendered = render_documents([(code, document_context(inspection, code, number))], agency=inspection.agency,
                                pdf=False)[0]
    docx = store_file(io.BytesIO(rendered.docx), f"{inspection.number or inspection.pk}-{rendered.title}.docx",
                      DOCX_TYPE)
    return InspectionDocument.objects.create(inspection=inspection, code=code, title=rendered.title, number=number,
                                             docx=docx, generated_by=actor, pdf_status=InspectionDocument.PDF_PENDING,
                                             pdf_requested_at=timezone.now())


def _documents(inspection, transition, actor) -> list[InspectionDocument]:
    documents = [_generate(inspection, code, actor) for code in transition.documents]
    if documents:
        jobs.enqueue_on_commit("inspections.convert_documents", [d.pk for d in documents])
    return documents


def convert_pending_documents(document_ids: list[int]) -> int:
    """Job "inspections.convert_documents": convert the DOCX of ``document_ids`` that have no PDF
    yet (one LibreOffice run, outside any transaction), store each PDF and record it in the
    inspection's record — the routine of case documents (``zhifa.documents.pdf_jobs``): idempotent,
    failures marked "生成失败" and raised for the job layer's retry. Returns the number of PDFs stored."""
    from zhifa.documents.pdf_jobs import convert_pending_pdfs

    return convert_pending_pdfs(InspectionDocument, document_ids, owner="inspection",
                                stem=lambda d: f"{d.inspection.number or d.inspection_id}-{d.title}")


PDF_STALE_AFTER = datetime.timedelta(minutes=15)


def convert_stale_documents() -> int:
    """Job "inspections.convert_sweep": convert documents still without PDF a while after they were
    requested (a lost enqueue, a dead worker; documents made before PDFs existed have no request
    time) — not those marked failed. Returns the number of PDFs stored."""
    cutoff = timezone.now() - PDF_STALE_AFTER
    ids = list(InspectionDocument.objects.filter(pdf__isnull=True, pdf_status=InspectionDocument.PDF_PENDING)
               .filter(Q(pdf_requested_at__lt=cutoff) | Q(pdf_requested_at__isnull=True))
               .order_by("pk").values_list("pk", flat=True)[:50])
    return convert_pending_documents(ids) if ids else 0


# ------------------------------------------------------------------------------- creation


def _lines_spec(items, agencies_by_item=None):
    spec = []
    seen = set()
    for item in items:
        if item.pk in seen:
            raise ValidationError({"items": f"检查事项“{item.name}”重复。"})
        seen.add(item.pk)
        agency = (agencies_by_item or {}).get(item.pk) or item.agency
        spec.append((agency, item))
    return spec


@transaction.atomic
def create_inspection(*, actor, agency, party, items, officers, planned_on, place, subject="", kind="routine",
                      origin_kind="plan", origin_reference="", emergency=False, emergency_reason="",
                      cap_exception="", cap_exception_reason="", notice_method="on_site",
                      started_at=None) -> Inspection:
    """Register an inspection (检查登记) with its one checklist (``items``: inspection items of
    ``agency`` and, for a joint inspection, of other agencies — each line goes to the item's own
    agency) and its team, and produce the 行政检查审批表.

    Refused (a ``ValidationError`` in Chinese): an item not of kind 行政检查 or not published on the
    portal, fewer than two certified officers able to act on each item, auxiliaries in the team, or
    an inspection over an agency's published annual cap unless a lawful exception applies (a
    complaint-triggered 个案检查, a 专项检查 ordered from above) and its basis is given.

    ``emergency``: carried out at once (``started_at``, default now) and approved afterwards —
    flagged until the head makes up the approval. The integrator's draw wiring calls this with
    ``origin_kind="draw"`` and the draw's reference.
    """
    if actor.role == roles.AUXILIARY:
        raise PermissionDenied("执法辅助人员不能实施行政检查。")
    if not actor.has_capability("inspections", "change"):
        raise PermissionDenied("您的角色不能登记行政检查。")
    if kind not in dict(KIND_CHOICES):
        raise ValidationError({"kind": "检查类别无效。"})
    if origin_kind not in dict(ORIGIN_CHOICES):
        raise ValidationError({"origin_kind": "检查来源无效。"})
    if cap_exception not in dict(CAP_EXCEPTION_CHOICES):
        raise ValidationError({"cap_exception": "例外情形无效。"})
    if notice_method and notice_method not in dict(NOTICE_METHOD_CHOICES):
        raise ValidationError({"notice_method": "告知方式无效。"})
    if cap_exception == "complaint" and kind != CASE_TRIGGERED:
        raise ValidationError({"cap_exception": "只有因投诉举报开展的个案检查可以不计入年度检查次数上限。"})
    if cap_exception == "campaign" and kind != SPECIAL:
        raise ValidationError({"cap_exception": "只有上级部署的专项检查可以不计入年度检查次数上限。"})
    if cap_exception and not cap_exception_reason.strip():
        raise ValidationError({"cap_exception_reason": "请写明例外情形的依据（投诉件编号或专项检查部署文件）。"})
    if emergency and not emergency_reason.strip():
        raise ValidationError({"emergency_reason": "紧急检查须写明紧急情况。"})
    if not (place or "").strip():
        raise ValidationError({"place": "请填写检查地点。"})
    if planned_on is None:
        raise ValidationError({"planned_on": "请填写检查日期。"})
    officers = list(officers)
    spec = _lines_spec(list(items))
    if agency.pk not in {a.pk for a, _ in spec}:
        raise ValidationError({"items": f"检查事项中至少应有一项属于牵头执法主体{agency.name}。"})
    start = InspectionTransition("x", "登记行政检查", (), "", frozenset())
    missing = _items_refusals(spec, planned_on) + _officer_refusals(officers, spec, planned_on)
    missing += _cap_refusals({a.pk: a for a, _ in spec}.values(), party, planned_on.year, cap_exception)
    if missing:
        raise TransitionRefused(start, missing)
    transition = PROCEDURE.transition("emergency" if emergency else "request")
    now = clock.now()
    if emergency:
        started_at = started_at or now
        _check_not_future(started_at, "started_at", "进场时间")
    inspection = Inspection.objects.create(
        number=next_number(agency, planned_on.year), kind=kind, origin_kind=origin_kind,
        origin_reference=origin_reference, stage=transition.target, agency=agency, party=party,
        joint=len({a.pk for a, _ in spec}) > 1, place=place, planned_on=planned_on, subject=subject or place,
        cap_exception=cap_exception, cap_exception_reason=cap_exception_reason if cap_exception else "",
        emergency=bool(emergency), emergency_reason=emergency_reason if emergency else "",
        started_at=started_at if emergency else None, notified_at=started_at if emergency else None,
        notice_method=notice_method if emergency else "", created_by=actor, created_at=now,
    )
    inspection.officers.set(officers)
    InspectionChecklistLine.objects.bulk_create(
        [InspectionChecklistLine(inspection=inspection, agency=a, item=i) for a, i in spec])
    ensure_in_scope(inspection, actor)
    code_for(party)
    documents = _documents(inspection, transition, actor)
    _event(inspection, transition.code, f"{transition.name}：{inspection.number}", actor, payload={
        "kind": kind, "origin_kind": origin_kind, "origin_reference": origin_reference, "party": party.pk,
        "agencies": sorted({a.name for a, _ in spec}), "items": [i.code for _, i in spec],
        "officers": [o.name for o in officers], "planned_on": planned_on.isoformat(), "emergency": bool(emergency),
        "cap_exception": cap_exception, "cap_exception_reason": cap_exception_reason,
        "documents": [{"code": d.code, "number": d.number} for d in documents],
    }, place={"text": place}, files=[d.docx for d in documents])
    return inspection


# ---------------------------------------------------------------------------- the procedure


def perform(inspection: Inspection, step: str, *, actor, **data) -> Inspection:
    """Take step ``step`` of the procedure with the form's ``data``; refused with every reason.

    ``data`` per step: approve/refuse/confirm ``opinion``; notify ``method``; arrive/scan ``code``,
    ``method`` ("scan"/"typed"), ``scanned_at``, ``place``, ``latitude``, ``longitude``;
    enter_unscanned ``reason``; record ``findings`` and ``lines`` ({line id: (result, note)});
    order_correction ``requirements``, ``due_on``; review ``corrected`` (bool), ``note``;
    open_case ``line``, ``penalty_item``, ``cause``, ``facts``; publish ``summary``.
    """
    try:
        transition = PROCEDURE.transition(step)
    except KeyError:
        raise ValidationError({"transition": "未知的检查步骤。"}) from None
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().select_related("agency", "party").get(pk=inspection.pk)
        missing = refusal(inspection, transition, actor, data)
        if missing:
            if missing == ["该检查不在您的管辖范围内"]:
                raise PermissionDenied("该检查不在您的管辖范围内。")
            raise TransitionRefused(transition, missing)
        handler = _HANDLERS[step]
        summary, payload, place = handler(inspection, actor, data)
        if transition.target:
            inspection.stage = transition.target
        inspection.save()
        documents = _documents(inspection, transition, actor)
        payload["documents"] = [{"code": d.code, "number": d.number} for d in documents]
        _event(inspection, step, summary, actor, payload=payload, place=place, files=[d.docx for d in documents])
    return inspection


def _approve(inspection, actor, data):
    inspection.approved_by = actor
    inspection.approved_at = clock.now()
    inspection.approval_opinion = (data.get("opinion") or "同意检查。").strip()
    return f"批准检查：{inspection.approval_opinion}", {"opinion": inspection.approval_opinion}, None


def _refuse(inspection, actor, data):
    opinion = (data.get("opinion") or "").strip()
    if not opinion:
        raise ValidationError({"opinion": "不予批准须写明理由。"})
    inspection.approval_opinion = opinion
    return f"不予批准：{opinion}", {"opinion": opinion}, None


def _confirm(inspection, actor, data):
    summary, payload, place = _approve(inspection, actor, data)
    return "补办审批：" + summary[5:], payload, place


def _notify(inspection, actor, data):
    method = data.get("method") or "on_site"
    if method not in dict(NOTICE_METHOD_CHOICES):
        raise ValidationError({"method": "告知方式无效。"})
    inspection.notified_at = clock.now()
    inspection.notice_method = method
    return f"告知企业（{inspection.get_notice_method_display()}）", {"method": method}, None


def _scan_values(data):
    scanned_at = data.get("scanned_at") or clock.now()
    _check_not_future(scanned_at, "scanned_at", "扫码时间")
    method = data.get("method") or "typed"
    if method not in ("scan", "typed"):
        raise ValidationError({"method": "扫码方式无效。"})
    lat, lng = data.get("latitude"), data.get("longitude")
    for value, low, high, label in ((lat, -90, 90, "纬度"), (lng, -180, 180, "经度")):
        if value is not None and not (low <= float(value) <= high):
            raise ValidationError({"latitude" if label == "纬度" else "longitude": f"{label}超出范围。"})
    return scanned_at, method, (data.get("place") or "").strip()[:200], lat, lng


def _apply_scan(inspection, data):
    scanned_at, method, place, lat, lng = _scan_values(data)
    inspection.scanned_at = scanned_at
    inspection.scan_method = method
    inspection.scan_place = place
    inspection.scan_latitude = lat
    inspection.scan_longitude = lng
    officers = [o.name for o in inspection.officers.all()]
    payload = {"method": method, "scanned_at": scanned_at.isoformat(), "officers": officers}
    return payload, {"text": place, "latitude": lat, "longitude": lng}


def _arrive(inspection, actor, data):
    payload, place = _apply_scan(inspection, data)
    inspection.started_at = inspection.scanned_at
    return f"扫码进场（{inspection.get_scan_method_display()}）", payload, place


def _enter_unscanned(inspection, actor, data):
    inspection.started_at = clock.now()
    inspection.scan_missing_reason = data["reason"].strip()
    return f"未扫码进场：{inspection.scan_missing_reason}", {"reason": inspection.scan_missing_reason}, None


def _scan(inspection, actor, data):
    payload, place = _apply_scan(inspection, data)
    return f"补扫监管码（{inspection.get_scan_method_display()}）", payload, place


def _record(inspection, actor, data):
    findings = (data.get("findings") or "").strip()
    if not findings:
        raise ValidationError({"findings": "请填写现场检查情况。"})
    results = data.get("lines") or {}
    lines = {line.pk: line for line in inspection.lines.all()}
    unknown = [key for key in results if int(key) not in lines]
    if unknown:
        raise ValidationError({"lines": "检查表中没有该事项。"})
    for key, (result, note) in results.items():
        if result not in ("pending", "compliant", "problem"):
            raise ValidationError({"lines": "检查结果无效。"})
        line = lines[int(key)]
        line.result, line.note = result, (note or "").strip()
        line.save(update_fields=["result", "note"])
    inspection.findings = findings
    return "制作现场检查笔录", {"findings": findings, "lines": {
        str(line.pk): [line.item.code, line.result, line.note] for line in lines.values()}}, None


def _end(inspection, result):
    """The conclusion is final (no problem found, corrected on review, or a case opened): the twenty
    working days for publishing the result run from today."""
    inspection.result = result
    inspection.ended_at = inspection.ended_at or clock.now()
    due, _ = working_deadline(clock.today(), PUBLICATION_WORKING_DAYS)
    inspection.publication_due_on = due


def _conclude(inspection, actor, data):
    _end(inspection, "compliant")
    return "检查完毕，未发现问题", {"result": "compliant"}, None


def _order_correction(inspection, actor, data):
    inspection.correction_requirements = data["requirements"].strip()
    inspection.correction_due_on = data["due_on"]
    inspection.result = "correction"
    inspection.ended_at = clock.now()
    return (f"责令改正，改正期限{_d(inspection.correction_due_on)}",
            {"requirements": inspection.correction_requirements,
             "due_on": inspection.correction_due_on.isoformat()}, None)


def _review(inspection, actor, data):
    corrected = bool(data.get("corrected"))
    inspection.reviewed_on = clock.today()
    inspection.review_result = "corrected" if corrected else "not_corrected"
    inspection.review_note = (data.get("note") or "").strip()
    if not corrected:
        raise ValidationError({"corrected": "逾期未改正的，应转立案查处（“发现违法行为，转立案查处”）。"})
    _end(inspection, "correction")
    return "复查：已改正", {"corrected": True, "note": inspection.review_note}, None


def _open_case(inspection, actor, data):
    """Open a penalty case (source: 监督检查发现) carrying the inspection's record: the 现场检查笔录
    is recorded on the case and every piece of the inspection's evidence is attached to it (the
    same stored files, by their hash)."""
    from zhifa.cases import services as case_services

    line = data["line"]
    item = data["penalty_item"]
    officers = [o for o in inspection.officers.all() if _serves(o, line.agency)]
    if inspection.stage == "correcting":
        inspection.reviewed_on = clock.today()
        inspection.review_result = "not_corrected"
        inspection.review_note = (data.get("note") or "").strip()
    occurred_on = timezone.localdate(inspection.started_at)
    case = case_services.open_case(
        actor=actor, agency=line.agency, item=item, party=inspection.party,
        cause=(data.get("cause") or "").strip() or case_services.cause_from_item(item),
        occurred_on=occurred_on, place=inspection.place,
        facts=(data.get("facts") or "").strip() or (line.note or inspection.findings),
        source="inspection", officers=officers,
    )
    case_services.record_inspection(
        case, actor=actor, time=inspection.started_at, place=inspection.place,
        content=f"行政检查{inspection.number}：" + "；".join(f"{ln.item.name}" for ln in inspection.lines.all()),
        findings=inspection.findings,
    )
    for evidence in inspection.evidence.select_related("file", "device"):
        # the registered device goes with the evidence when the case's own rule accepts it (it does for the
        # case's agency's devices and its officers' cameras); otherwise the device is named in words.
        device = evidence.device
        registered = device if device is not None and not device.evidence_refusals(
            case, None, evidence.captured_at) else None
        case_services.add_evidence(
            case, evidence.file, actor=actor, kind=evidence.kind, title=evidence.title,
            captured_at=evidence.captured_at, description=evidence.description
            + f"（来自行政检查{inspection.number}证据{evidence.number}）", place_text=evidence.place_text,
            device=str(device) if device else "", registered_device=registered,
        )
    inspection.case = case
    if inspection.result != "correction":
        inspection.result = "case"
    inspection.ended_at = inspection.ended_at or clock.now()
    _end(inspection, "case")
    return (f"发现违法行为，转立案查处（案件编号{case.pk}）",
            {"case": case.pk, "item": item.code, "line": line.pk}, None)


def _publish(inspection, actor, data):
    summary = (data.get("summary") or "").strip()
    if not summary:
        summary = f"{inspection.get_kind_display()}，检查结论：{inspection.get_result_display()}。"
    inspection.published_on = clock.today()
    inspection.public_summary = summary
    late = inspection.publication_due_on and inspection.published_on > inspection.publication_due_on
    return "公示检查结果" + ("（超过二十个工作日）" if late else ""), {"summary": summary, "late": bool(late)}, None


_HANDLERS = {
    "approve": _approve, "refuse": _refuse, "confirm": _confirm, "notify": _notify, "arrive": _arrive,
    "enter_unscanned": _enter_unscanned, "scan": _scan, "record": _record, "conclude": _conclude,
    "order_correction": _order_correction, "review": _review, "open_case": _open_case, "publish": _publish,
}
assert set(_HANDLERS) == {t.code for t in PROCEDURE.transitions}, "every transition has its handler"
assert all(r in REQUIREMENTS for t in PROCEDURE.transitions + PROCEDURE.starts for r in t.requires)


# ---------------------------------------------------------------------------------- evidence


EVIDENCE_STAGES = ("approved", "notified", "on_site", "correcting")


@transaction.atomic
def add_evidence(inspection: Inspection, stored_file, *, actor, kind: str, title: str, captured_at,
                 description: str = "", place_text: str = "", device=None) -> InspectionEvidence:
    """Attach a stored file (photo, recording) as evidence of the inspection; flagged when
    uploaded more than 24 hours after capture. Auxiliaries may record evidence.

    ``device`` names the registered device (执法装备登记: 执法记录仪, 执法终端, 电子技术监控设备) that
    recorded it: in service; a body camera or terminal issued at capture time to one of the
    inspection's officers or the collector; a monitoring device reviewed and published (第四十一条)."""
    from zhifa.cases.choices import EVIDENCE_KIND_CHOICES

    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not _may_change(inspection, actor):
        raise PermissionDenied("该检查不在您的管辖范围内。")
    if inspection.stage not in EVIDENCE_STAGES:
        raise ValidationError(f"“{inspection.stage_name}”环节不能再补充证据。")
    if kind not in dict(EVIDENCE_KIND_CHOICES):
        raise ValidationError({"kind": "证据种类无效。"})
    if not (title or "").strip():
        raise ValidationError({"title": "请填写证据名称。"})
    _check_not_future(captured_at, "captured_at", "采集时间")
    if device is not None:
        refusals = device.inspection_evidence_refusals(inspection, _officer_of(actor), captured_at)
        if refusals:
            raise ValidationError({"device": "；".join(refusals) + "。"})
    now = clock.now()
    number = (inspection.evidence.aggregate(n=Max("number"))["n"] or 0) + 1
    evidence = InspectionEvidence.objects.create(
        inspection=inspection, number=number, kind=kind, title=title.strip(), description=description,
        file=stored_file, captured_at=captured_at, place_text=place_text, uploaded_at=now, uploaded_by=actor,
        late_upload=now - captured_at > EVIDENCE_LATE_AFTER, device=device,
    )
    _event(inspection, "evidence", f"上传证据{number}：{title}" + (f"（{device}采集）" if device else "")
           + ("（超过24小时上传）" if evidence.late_upload else ""),
           actor, payload={"number": number, "kind": kind, "title": title, "captured_at": captured_at.isoformat(),
                           "late_upload": evidence.late_upload, "device": device.pk if device else None,
                           "device_serial": device.serial if device else ""},
           place={"text": place_text}, files=[stored_file])
    return evidence


# ------------------------------------------------------------------- the enterprise's own view


def find_enterprise(credit_code: str, code: str):
    """The enterprise whose credit code and supervision code both match, or None (no hint which
    of the two was wrong)."""
    credit_code = (credit_code or "").strip().upper()
    code = normalise_code(code)
    if len(credit_code) != 18 or not code:
        return None
    row = SupervisionCode.objects.filter(party__credit_code=credit_code, code=code).select_related("party").first()
    return row.party if row else None


def enterprise_of_session(party_id):
    """The enterprise a portal session was opened for (by ``find_enterprise``), or None."""
    if not party_id:
        return None
    row = SupervisionCode.objects.filter(party_id=party_id).select_related("party").first()
    return row.party if row else None


def enterprise_inspections(party):
    """Every inspection of the enterprise (not refused ones), newest first, with what the page shows."""
    return (Inspection.objects.filter(party=party).exclude(stage="refused")
            .select_related("agency").prefetch_related("lines__agency", "lines__item", "evaluations__complaint")
            .order_by("-planned_on", "-id"))


@transaction.atomic
def evaluate(party, inspection_id, *, rating, comment="", is_complaint=False, contact_name="",
             contact_phone="") -> InspectionEvaluation:
    """The enterprise evaluates one visit (满意度 1–5, a comment) or complains about it; recorded in
    the inspection's record. Only an inspection of this enterprise that has started may be evaluated.

    A complaint (投诉) also enters the complaints app (``zhifa.supervision.complaints``) as a
    complaint about enforcement (对执法行为的投诉) from the portal, against the inspection's leading
    agency, left for the region's supervisor (执法监督机构) to route — never to the agency complained
    about — with the enterprise's contact person as complainant; the evaluation keeps the link and
    ``evaluation.query_code`` holds the complaint's query code (查询码), shown to the enterprise once."""
    from zhifa.supervision.complaints import services as complaint_services
    from zhifa.supervision.models.complaints import ENFORCEMENT, PORTAL

    try:
        inspection_id = int(inspection_id)
    except (TypeError, ValueError):
        inspection_id = 0
    inspection = (Inspection.objects.select_for_update().select_related("agency__region", "party__region")
                  .filter(pk=inspection_id, party=party).first())
    if inspection is None:
        raise ValidationError({"inspection": "未找到该检查记录。"})
    if inspection.started_at is None:
        raise ValidationError({"inspection": "检查尚未实施，不能评价。"})
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": "满意度请选择1至5分。"})
    comment = (comment or "").strip()
    contact_name, contact_phone = (contact_name or "").strip(), (contact_phone or "").strip()
    errors = {}
    if is_complaint and not comment:
        errors["comment"] = "投诉请写明投诉的事实和理由。"
    if len(comment) > 2000:
        errors["comment"] = "评价意见不超过2000字。"
    if len(contact_name) > 50:
        errors["contact_name"] = "联系人姓名不超过50字。"
    if is_complaint and not contact_name:
        errors["contact_name"] = "投诉请填写企业联系人姓名。"
    if is_complaint and not contact_phone:
        errors["contact_phone"] = "投诉请填写联系电话，以便执法监督机构联系和答复。"
    if errors:
        raise ValidationError(errors)
    complaint, code = None, None
    if is_complaint:
        complaint, code = complaint_services.receive(
            source=PORTAL, kind=ENFORCEMENT, region=inspection.party.region or inspection.agency.region,
            subject=f"对行政检查{inspection.number}的投诉"[:200], place=inspection.place,
            content=f"投诉企业：{party.name}（统一社会信用代码{party.credit_code}）\n"
                    f"被投诉的检查：{inspection.number}，{inspection.planned_on:%Y年%m月%d日}，满意度{rating}分\n{comment}",
            reported_agency=inspection.agency, reported_name=inspection.agency.name,
            complainant={"name": contact_name[:50], "phone": contact_phone[:40]},
            with_query_code=True)
    evaluation = InspectionEvaluation.objects.create(inspection=inspection, rating=rating, comment=comment,
                                                     is_complaint=bool(is_complaint), complaint=complaint)
    _event(inspection, "complaint" if is_complaint else "evaluation",
           ("企业投诉" if is_complaint else "企业评价") + f"（满意度{rating}分）"
           + (f"，已转投诉举报{complaint.number}" if complaint else ""), None,
           payload={"rating": rating, "comment": comment, "complaint": bool(is_complaint),
                    "complaint_number": complaint.number if complaint else ""})
    evaluation.query_code = code
    return evaluation


def public_results(credit_code: str = ""):
    """检查结果公示: the published results (``publish`` step), newest first (index
    ``insp_inspection_published``), optionally of one enterprise by its credit code. The portal
    shows the agencies, items, result and the public summary — no officer or person data."""
    qs = (Inspection.objects.filter(published_on__isnull=False).select_related("party")
          .prefetch_related("lines__agency", "lines__item").order_by("-published_on", "-id"))
    credit_code = (credit_code or "").strip().upper()
    return qs.filter(party__credit_code=credit_code) if credit_code else qs


# --------------------------------------------------------------------------------- statistics


def annual_counts(user, year: int) -> list[dict]:
    """Inspections carried out in ``year`` per agency within the user's scope, by kind, with the
    joint, emergency, unscanned and exception counts and cases opened (counted into the annual
    statistics, 国办发〔2024〕54号)."""
    from django.db.models import Count

    rows = (InspectionChecklistLine.objects
            .filter(inspection__in=Inspection.objects.restrict(user, "view").filter(planned_on__year=year)
                    .exclude(stage__in=NOT_COUNTED))
            .values("agency_id", "agency__name", "inspection__kind")
            .annotate(n=Count("inspection", distinct=True)))
    table: dict[int, dict] = {}
    for row in rows:
        entry = table.setdefault(row["agency_id"], {"agency": row["agency__name"], "total": 0,
                                                    **{k: 0 for k, _ in KIND_CHOICES}})
        entry[row["inspection__kind"]] += row["n"]
        entry["total"] += row["n"]
    return sorted(table.values(), key=lambda e: e["agency"])
