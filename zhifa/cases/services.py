"""The only code that changes a case. Every function checks who may act and what must exist,
changes the case in one transaction, and appends an event to the case's hash-chained record
(``zhifa.records``). Views, the API and commands call these and nothing else.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from zhifa.accounts import roles
from zhifa.catalog.services import suggest_special_lists
from zhifa.core import clock
from zhifa.people.models import Officer
from zhifa.people.services import may_act
from zhifa.records.services import append_event
from zhifa.workdays.services import add_natural_days, add_working_days

from . import choices, rules
from .models import (
    Case,
    CaseOfficer,
    CaseSequence,
    CoerciveMeasure,
    Evidence,
    Extension,
    Hearing,
    Inspection,
    Interview,
    Payment,
    Remedy,
    Statement,
)
from .procedures import Transition, procedure_for


class TransitionRefused(ValidationError):
    """A transition whose requirements do not hold; ``missing`` lists each reason in Chinese."""

    def __init__(self, transition: Transition, missing: list[str]):
        self.transition = transition
        self.missing = missing
        super().__init__(f"不能{transition.name}：" + "；".join(missing))


# ---------------------------------------------------------------------------------------
# Subscriptions: other apps act on what happens to a case, inside the same transaction
# ---------------------------------------------------------------------------------------

_SUBSCRIBERS: dict[str, list] = {}


def subscribe(event: str, handler) -> None:
    """Call ``handler(case, actor=..., **details)`` whenever ``event`` happens to a case.

    Events: ``"transition:<code>"`` after a transition is saved (e.g. ``transition:decide``,
    where the publicity app opens the publication record) and ``"remedy_result"`` when a
    reconsideration or lawsuit ends (``remedy=`` given). Handlers run inside the
    transaction, so a failing handler undoes the change it reacts to.
    """
    handlers = _SUBSCRIBERS.setdefault(event, [])
    if handler not in handlers:
        handlers.append(handler)


def _publish(event: str, case: Case, actor, **details) -> None:
    for handler in _SUBSCRIBERS.get(event, ()):
        handler(case, actor=actor, **details)


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def _today():
    return clock.today()


def cause_from_item(item) -> str:
    """A cause (案由) from an item's name: 对经营…食品的行政处罚 → 经营…食品案."""
    name = item.name.strip()
    for prefix, suffix in (("对", "的行政处罚"), ("对", "的处罚")):
        if name.startswith(prefix) and name.endswith(suffix) and len(name) > len(prefix) + len(suffix):
            return name[len(prefix):-len(suffix)] + "案"
    return name[:200]


def officer_of(user) -> Officer | None:
    """The roster entry of a user, if any."""
    if user is None or not getattr(user, "pk", None):
        return None
    return Officer.objects.filter(user=user).select_related("home_agency").first()


def _check_can_change(case: Case, actor) -> None:
    if case.is_read_only:
        raise PermissionDenied("案件已归档，案卷只读。")
    if not Case.objects.restrict(actor, "change").filter(pk=case.pk).exists():
        raise PermissionDenied("您无权办理该案件。")


def _check_signer(case: Case, actor) -> None:
    """A signed act: never an auxiliary; an officer must be on the case and may act on its item."""
    if actor.role == roles.AUXILIARY:
        raise PermissionDenied("执法辅助人员不能签署文书或作出决定，只能协助记录。")
    if actor.role == roles.OFFICER:
        officer = officer_of(actor)
        if officer is None or not case.assignments.filter(officer=officer).exists():
            raise PermissionDenied("只有本案的办案人员可以执行该操作。")
        authority = may_act(officer, case.item)
        if not authority.allowed:
            raise PermissionDenied("您当前不能办理该事项：" + "；".join(authority.reasons))


def _event(case: Case, kind: str, summary: str, actor, payload=None, place=None, files=()):
    return append_event(case.stream_key, kind, summary, actor=actor, payload=payload or {}, place=place, files=files)


def _next_number(agency, kind: str, year: int) -> int:
    sequence, _ = CaseSequence.objects.select_for_update().get_or_create(agency=agency, year=year, kind=kind)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _prefix(agency) -> str:
    return (agency.short_name or agency.name)[:8]


def case_number(agency, year: int) -> str:
    """案号, e.g. 县市场监管局立〔2026〕12号."""
    return f"{_prefix(agency)}立〔{year}〕{_next_number(agency, 'filing', year)}号"


def decision_number(agency, year: int, simple: bool = False) -> str:
    """Decision number; on-the-spot decisions have their own pre-printed series (第五十二条)."""
    kind = "spot" if simple else "decision"
    middle = "当罚" if simple else "罚决"
    return f"{_prefix(agency)}{middle}〔{year}〕{_next_number(agency, kind, year)}号"


def refresh_deadline(case: Case) -> None:
    """Store the deadline of the current stage on the case (for the workbench and overdue lists)."""
    deadline = rules.next_deadline(case)
    case.next_deadline_label, case.next_deadline = deadline if deadline else ("", None)


def _place_payload(place):
    return {k: v for k, v in (place or {}).items() if v not in (None, "")}


# ---------------------------------------------------------------------------------------
# Opening a case
# ---------------------------------------------------------------------------------------


@transaction.atomic
def open_case(*, actor, agency, item, party, cause, occurred_on, place, facts="", procedure=choices.GENERAL,
              unit=None, source="inspection", officers=(), place_detail=None) -> Case:
    """Register a case (线索登记, or 现场处置 under the simple procedure) with its officers.

    ``officers`` is a list of Officer; the first one leads. The item version in force on the
    day of the act is recorded (处罚法第三十七条).
    """
    if actor.role == roles.AUXILIARY:
        raise PermissionDenied("执法辅助人员不能独立立案或当场处罚。")
    if not actor.has_capability("cases", "change"):
        raise PermissionDenied("您的角色不能办理案件。")
    definition = procedure_for(procedure)
    if occurred_on > _today():
        raise ValidationError({"occurred_on": "违法行为发生日期不能晚于今天。"})
    case = Case(
        procedure=procedure, stage=definition.initial, agency=agency, unit=unit, item=item,
        item_version=item.version_on(occurred_on), party=party, cause=cause, source=source,
        occurred_on=occurred_on, place=place, facts=facts, created_by=actor, registered_on=_today(),
    )
    case.save()
    for index, officer in enumerate(officers):
        CaseOfficer.objects.create(case=case, officer=officer, role="lead" if index == 0 else "assistant")
    from zhifa.core.scoping import ensure_in_scope

    ensure_in_scope(case, actor)
    refresh_deadline(case)
    case.save(update_fields=["next_deadline", "next_deadline_label"])
    _event(case, "opened", f"登记案件：{cause}", actor, payload={
        "procedure": procedure, "agency": agency.name, "item": item.code, "item_version": getattr(case.item_version, "pk", None),
        "party": party.pk, "occurred_on": occurred_on.isoformat(), "place": place, "facts": facts,
        "officers": [o.name for o in officers],
    }, place=_place_payload(place_detail))
    return case


@transaction.atomic
def assign_officer(case: Case, officer: Officer, *, actor, role="assistant") -> CaseOfficer:
    """Add a handling officer (指定办案人员)."""
    _check_can_change(case, actor)
    if actor.role not in (roles.UNIT_HEAD, roles.AGENCY_HEAD, roles.OFFICER):
        raise PermissionDenied("只有执法人员或负责人可以指定办案人员。")
    assignment, created = CaseOfficer.objects.get_or_create(case=case, officer=officer, defaults={"role": role})
    if created:
        _event(case, "officer_assigned", f"指定办案人员：{officer.name}", actor, payload={"officer": officer.pk, "role": role})
    return assignment


# ---------------------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------------------


@dataclass
class TransitionOption:
    """A transition offered on the case page: allowed or not, and what is missing."""

    transition: Transition
    role_allowed: bool
    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.role_allowed and not self.missing


def missing_requirements(case: Case, transition: Transition) -> list[str]:
    """The Chinese reasons why ``transition`` cannot be made now (empty when it can)."""
    missing = []
    for code in transition.requires:
        reason = rules.REQUIREMENTS[code].check(case)
        if reason:
            missing.append(reason)
    return missing


def available_transitions(case: Case, user) -> list[TransitionOption]:
    """The next actions from the case's stage, with what each still needs."""
    if case.is_read_only:
        return []
    options = []
    for transition in case.procedure_definition.transitions_from(case.stage):
        role_ok = user.is_superuser or user.role in transition.roles
        options.append(TransitionOption(transition, role_ok, missing_requirements(case, transition)))
    return options


@transaction.atomic
def perform_transition(case: Case, code: str, *, actor, data: dict | None = None) -> Case:
    """Move the case along its procedure, or refuse with every missing requirement named."""
    data = data or {}
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_can_change(case, actor)
    definition = case.procedure_definition
    try:
        transition = definition.transition(code)
    except KeyError:
        raise ValidationError(f"{definition.name}中没有“{code}”这一步。") from None
    if transition.source != case.stage:
        raise ValidationError(
            f"案件当前处于“{case.stage_name}”环节，不能{transition.name}（须在“{definition.stage(transition.source).name}”环节）。"
        )
    if not (actor.is_superuser or actor.role in transition.roles):
        labels = dict(roles.ROLE_CHOICES)
        allowed = "、".join(labels[r] for r, _ in roles.ROLE_CHOICES if r in transition.roles)
        raise PermissionDenied(f"{transition.name}须由{allowed}办理。")
    if transition.signed:
        _check_signer(case, actor)
    _APPLY_BEFORE.get(code, _noop)(case, data, actor)
    missing = missing_requirements(case, transition)
    if missing:
        raise TransitionRefused(transition, missing)
    source = case.stage
    case.stage = transition.target
    _APPLY_AFTER.get(code, _noop)(case, data, actor)
    refresh_deadline(case)
    case.save()
    from .documents import generate_documents

    generated = generate_documents(case, _documents_for(case, transition), actor=actor, log=False)
    files = [f for document in generated for f in (document.docx, document.pdf)]
    _event(case, f"transition:{code}", f"{transition.name}（{definition.stage(source).name} → {case.stage_name}）", actor,
           payload={"transition": code, "from": source, "to": case.stage, "data": _jsonable(data),
                    "documents": [{"code": d.code, "number": d.number} for d in generated]},
           files=files)
    _publish(f"transition:{code}", case, actor)
    return case


def _noop(case, data, actor):
    return None


def _jsonable(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if isinstance(value, datetime.date | Decimal):
            value = str(value)
        elif hasattr(value, "pk"):
            value = value.pk
        out[key] = value
    return out


def _documents_for(case: Case, transition: Transition) -> list[str]:
    codes = list(transition.documents)
    if transition.code == "notify" and case.hearing_right:
        codes.append("hearing_notice")
    if transition.code in ("decide", "decide_on_spot"):
        if case.outcome == choices.OUTCOME_NO_PENALTY:
            codes = ["no_penalty_decision"]
        elif case.fine_amount:
            codes += ["payment_notice"]
        if case.outcome != choices.OUTCOME_NO_PENALTY:
            codes.append("credit_repair_notice")  # 两书同达: served with the decision
    return codes


def _before_notify(case, data, actor):
    served = data.get("served_on") or _today()
    if served > _today():
        raise ValidationError({"served_on": "送达日期不能晚于今天。"})
    case.notice_served_on = served
    case.statement_deadline = add_working_days(served, rules.STATEMENT_WORKING_DAYS)
    case.hearing_right = rules.has_hearing_right(case)


def _before_decide(case, data, actor):
    outcome = data.get("outcome") or case.outcome or choices.OUTCOME_PENALTY
    if outcome not in dict(choices.OUTCOME_CHOICES):
        raise ValidationError({"outcome": "处理结果无效。"})
    case.outcome = outcome


def _after_decide(case, data, actor):
    case.decided_on = _today()
    case.decision_number = decision_number(case.agency, case.decided_on.year)


def _before_serve(case, data, actor):
    served = data.get("served_on") or None
    if served and served > _today():
        raise ValidationError({"served_on": "送达日期不能晚于今天。"})
    if served and case.decided_on and served < case.decided_on:
        raise ValidationError({"served_on": "送达日期不能早于决定日期。"})
    case.served_on = served
    case.service_method = data.get("service_method", "")
    case.service_recipient = data.get("service_recipient", "")
    if case.service_method and case.service_method not in dict(choices.SERVICE_METHOD_CHOICES):
        raise ValidationError({"service_method": "送达方式无效。"})


def _after_serve(case, data, actor):
    if case.fine_amount and case.outcome == choices.OUTCOME_PENALTY:
        case.payment_due_on = add_natural_days(case.served_on, rules.PAYMENT_DAYS)
    else:
        case.executed_on = case.served_on


def _after_file(case, data, actor):
    case.filed_on = _today()
    case.number = case_number(case.agency, case.filed_on.year)


def _before_close(case, data, actor):
    return None


def _after_close(case, data, actor):
    case.closed_on = _today()
    if case.executed_on is None:
        case.executed_on = _last_payment_date(case) or _today()


def _after_archive(case, data, actor):
    case.archived_on = _today()


def _before_decide_on_spot(case, data, actor):
    case.outcome = choices.OUTCOME_PENALTY
    case.certificate_shown = bool(data.get("certificate_shown", case.certificate_shown))
    case.party_heard = bool(data.get("party_heard", case.party_heard))


def _after_decide_on_spot(case, data, actor):
    today = _today()
    case.filed_on = case.filed_on or today
    case.decided_on = today
    case.served_on = today
    case.service_method = "on_the_spot"
    case.service_recipient = data.get("service_recipient") or case.party.name
    case.decision_number = decision_number(case.agency, today.year, simple=True)
    case.number = case.number or case.decision_number
    if case.fine_amount:
        case.payment_due_on = add_natural_days(today, rules.PAYMENT_DAYS)
    else:
        case.executed_on = today


def _last_payment_date(case):
    return case.payments.aggregate(last=Max("paid_on"))["last"]


_APPLY_BEFORE = {
    "notify": _before_notify,
    "decide": _before_decide,
    "serve": _before_serve,
    "close": _before_close,
    "decide_on_spot": _before_decide_on_spot,
}
_APPLY_AFTER = {
    "file": _after_file,
    "decide": _after_decide,
    "serve": _after_serve,
    "close": _after_close,
    "archive": _after_archive,
    "decide_on_spot": _after_decide_on_spot,
}


# ---------------------------------------------------------------------------------------
# Discretion (裁量, CASE-3)
# ---------------------------------------------------------------------------------------


@dataclass
class DiscretionResult:
    within_benchmark: bool | None
    findings: list[str]
    suggestions: list  # SpecialListEntry rows matching the facts
    benchmark: object = None


def assess_discretion(case: Case, level: str, penalty_kinds, fine_amount, fact_tags=()) -> DiscretionResult:
    """Compare a proposed penalty with the item's benchmark and suggest special-list entries."""
    on = case.occurred_on
    benchmark = case.item.benchmark_on(on) or case.item.benchmark_on(_today())
    if benchmark is None:
        findings = ["该事项没有有效的裁量基准。"]
        within = None
    else:
        within, findings = benchmark.check_penalty(level, list(penalty_kinds), fine_amount)
    suggestions = suggest_special_lists(case.item, set(fact_tags), on) if fact_tags else []
    return DiscretionResult(within, list(findings), list(suggestions), benchmark)


@transaction.atomic
def set_discretion(case: Case, *, actor, level: str, penalty_kinds, fine_amount=None, confiscation_amount=None,
                   fact_tags=(), deviation_reason="", reasoning="", outcome=choices.OUTCOME_PENALTY,
                   education_record="") -> DiscretionResult:
    """Record the proposed penalty; outside the benchmark it needs a written reason and is flagged."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_can_change(case, actor)
    _check_signer(case, actor)
    if case.stage not in ("investigation", "discretion", "on_site"):
        raise ValidationError(f"“{case.stage_name}”环节不能修改处罚意见。")
    if outcome == choices.OUTCOME_NO_PENALTY:
        penalty_kinds, fine_amount = [], None
    if fine_amount is not None and Decimal(fine_amount) < 0:
        raise ValidationError({"fine_amount": "罚款金额不能为负数。"})
    result = assess_discretion(case, level, penalty_kinds, fine_amount, fact_tags)
    if outcome == choices.OUTCOME_NO_PENALTY:
        result.within_benchmark, result.findings = True, []
    case.discretion_level = level
    case.penalty_kinds = list(penalty_kinds)
    case.fine_amount = Decimal(fine_amount) if fine_amount is not None else None
    case.confiscation_amount = Decimal(confiscation_amount) if confiscation_amount is not None else None
    case.fact_tags = list(fact_tags)
    case.benchmark = result.benchmark
    case.within_benchmark = result.within_benchmark
    case.benchmark_findings = result.findings
    case.deviation_reason = deviation_reason.strip()
    case.discretion_reasoning = reasoning.strip()
    case.outcome = outcome
    case.education_record = education_record.strip()
    case.save()
    flagged = result.within_benchmark is False
    _event(case, "discretion", "拟定处罚意见" + ("（偏离裁量基准，已提示监督）" if flagged else ""), actor, payload={
        "level": level, "penalty_kinds": list(penalty_kinds), "fine_amount": str(fine_amount) if fine_amount is not None else None,
        "fact_tags": list(fact_tags), "within_benchmark": result.within_benchmark, "findings": result.findings,
        "deviation_reason": deviation_reason, "benchmark": getattr(result.benchmark, "pk", None), "outcome": outcome,
        "suggested_lists": [s.pk for s in result.suggestions],
    })
    return result


# ---------------------------------------------------------------------------------------
# Evidence and records made during the investigation (REC-2)
# ---------------------------------------------------------------------------------------

RECORDING_STAGES = ("clue", "filed", "investigation", "discretion", "notice", "on_site")


def _check_recording_stage(case):
    if case.stage not in RECORDING_STAGES:
        raise ValidationError(f"“{case.stage_name}”环节不能再补充调查记录。")


@transaction.atomic
def add_evidence(case: Case, stored_file, *, actor, kind: str, title: str, captured_at, description="", device="",
                 officer=None, place_text="", latitude=None, longitude=None) -> Evidence:
    """Attach a stored file as evidence; flagged when uploaded more than 24 h after capture.

    Auxiliaries may record evidence (they assist; they do not sign).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_can_change(case, actor)
    _check_recording_stage(case)
    if kind not in dict(choices.EVIDENCE_KIND_CHOICES):
        raise ValidationError({"kind": "证据种类无效。"})
    now = clock.now()
    if captured_at > now + datetime.timedelta(minutes=5):
        raise ValidationError({"captured_at": "采集时间不能晚于当前时间。"})
    number = (case.evidence.aggregate(n=Max("number"))["n"] or 0) + 1
    evidence = Evidence.objects.create(
        case=case, number=number, kind=kind, title=title, description=description, file=stored_file, device=device,
        officer=officer or officer_of(actor), captured_at=captured_at, place_text=place_text, latitude=latitude,
        longitude=longitude, uploaded_at=now, uploaded_by=actor, late_upload=now - captured_at > Evidence.LATE_AFTER,
    )
    summary = f"上传证据{number}：{title}" + ("（超过24小时上传）" if evidence.late_upload else "")
    _event(case, "evidence", summary, actor, payload={
        "number": number, "kind": kind, "title": title, "device": device, "captured_at": captured_at.isoformat(),
        "late_upload": evidence.late_upload, "size": stored_file.size, "content_type": stored_file.content_type,
    }, place=_place_payload({"text": place_text, "latitude": latitude, "longitude": longitude}), files=[stored_file])
    return evidence


def _recording_of(case, evidence, what: str) -> Evidence:
    if evidence is None:
        raise ValidationError(f"{what}必须全程音像记录：请先上传录音录像并选择该记录。")
    if evidence.case_id != case.pk or not evidence.is_recording:
        raise ValidationError(f"{what}的全程记录必须是本案的录音或录像文件。")
    return evidence


@transaction.atomic
def record_inspection(case: Case, *, actor, time, place, content, findings, recording=None) -> Inspection:
    """Record an on-site inspection and produce its 现场检查笔录."""
    _check_can_change(case, actor)
    _check_recording_stage(case)
    inspection = Inspection.objects.create(case=case, time=time, place=place, content=content, findings=findings,
                                           recording=recording, recorded_by=actor)
    _document_and_event(case, "site_inspection_record", actor, "inspection", f"制作现场检查笔录（{place}）",
                        {"inspection": inspection.pk, "time": time.isoformat(), "place": place, "findings": findings})
    return inspection


@transaction.atomic
def record_interview(case: Case, *, actor, interviewee, time, place, questions, in_interview_room=False,
                     recording=None) -> Interview:
    """Record an interview (询问笔录); in the interview room a full recording is compulsory."""
    _check_can_change(case, actor)
    _check_recording_stage(case)
    if in_interview_room:
        recording = _recording_of(case, recording, "在办案场所进行的询问")
    if not questions:
        raise ValidationError({"questions": "询问笔录至少应有一问一答。"})
    interview = Interview.objects.create(
        case=case, interviewee=interviewee, time=time, place=place, in_interview_room=in_interview_room,
        questions=questions, recording=recording, recorded_by=actor,
    )
    _document_and_event(case, "interview_record", actor, "interview", f"制作询问笔录（被询问人：{interviewee}）",
                        {"interview": interview.pk, "interviewee": interviewee, "in_interview_room": in_interview_room,
                         "recording": getattr(recording, "number", None)})
    return interview


@transaction.atomic
def record_coercive_measure(case: Case, *, actor, kind, started_at, items, approved_by, recording) -> CoerciveMeasure:
    """查封、扣押 or 强制拆除: refused without its full audio/video recording."""
    _check_can_change(case, actor)
    _check_signer(case, actor)
    _check_recording_stage(case)
    label = dict(choices.COERCION_KIND_CHOICES).get(kind)
    if label is None:
        raise ValidationError({"kind": "强制措施种类无效。"})
    recording = _recording_of(case, recording, label)
    measure = CoerciveMeasure.objects.create(case=case, kind=kind, started_at=started_at, items=items,
                                             approved_by=approved_by, recording=recording, recorded_by=actor)
    _event(case, "coercive_measure", f"实施{label}（全程音像记录：证据{recording.number}）", actor,
           payload={"measure": measure.pk, "kind": kind, "items": items, "approved_by": approved_by})
    return measure


def _document_and_event(case, code, actor, kind, summary, payload):
    from .documents import generate_document

    document = generate_document(case, code, actor=actor, log=False)
    payload = {**payload, "document": {"code": document.code, "number": document.number}}
    _event(case, kind, summary, actor, payload=payload, files=[document.docx, document.pdf])
    return document


# ---------------------------------------------------------------------------------------
# Parties' rights (CASE-5)
# ---------------------------------------------------------------------------------------


def _check_notice_stage(case):
    if case.stage != "notice":
        raise ValidationError("只有在告知与陈述申辩环节才能登记陈述申辩或听证。")


@transaction.atomic
def record_statement(case: Case, *, actor, point: str, received_on=None) -> Statement:
    """Record one point of the party's statement and defence."""
    _check_can_change(case, actor)
    _check_notice_stage(case)
    if not point.strip():
        raise ValidationError({"point": "陈述申辩意见不能为空。"})
    statement = Statement.objects.create(case=case, point=point.strip(), received_on=received_on or _today(),
                                         recorded_by=actor)
    _document_and_event(case, "statement_record", actor, "statement", "记录当事人陈述申辩意见",
                        {"statement": statement.pk, "point": statement.point})
    return statement


@transaction.atomic
def answer_statement(statement: Statement, *, actor, answer: str, accepted: bool) -> Statement:
    """Answer a point after re-examination (复核); the decision repeats each answer.

    Defence never increases the penalty (处罚法第四十五条) — an accepted point may only lower it.
    """
    case = statement.case
    _check_can_change(case, actor)
    _check_signer(case, actor)
    if not answer.strip():
        raise ValidationError({"answer": "复核意见不能为空。"})
    statement.answer, statement.accepted, statement.answered_by = answer.strip(), accepted, actor
    statement.save()
    _event(case, "statement_answered", f"复核陈述申辩意见（{'采纳' if accepted else '不予采纳'}）", actor,
           payload={"statement": statement.pk, "answer": statement.answer, "accepted": accepted})
    return statement


@transaction.atomic
def waive_rights(case: Case, *, actor, note: str) -> Case:
    """The party waives statement, defence and hearing in writing (明确放弃)."""
    _check_can_change(case, actor)
    _check_notice_stage(case)
    case.rights_waived = True
    case.save(update_fields=["rights_waived", "updated_at"])
    _event(case, "rights_waived", "当事人书面放弃陈述、申辩和听证权利", actor, payload={"note": note})
    return case


@transaction.atomic
def request_hearing(case: Case, *, actor, requested_on=None) -> Hearing:
    """The party requests a hearing; only where the law gives one and within 5 working days."""
    _check_can_change(case, actor)
    _check_notice_stage(case)
    requested_on = requested_on or _today()
    if not case.hearing_right:
        raise ValidationError("拟作出的处罚不属于听证范围（处罚法第六十三条）。")
    if case.statement_deadline and requested_on > case.statement_deadline:
        raise ValidationError(f"听证申请已超过期限（{case.statement_deadline:%Y年%m月%d日}前提出）。")
    if Hearing.objects.filter(case=case).exists():
        raise ValidationError("当事人已申请听证。")
    hearing = Hearing.objects.create(case=case, requested_on=requested_on)
    _event(case, "hearing_requested", "当事人申请听证", actor, payload={"requested_on": requested_on.isoformat()})
    return hearing


@transaction.atomic
def schedule_hearing(case: Case, *, actor, notified_on, scheduled_for, place, presiding: Officer) -> Hearing:
    """Notify the hearing at least 7 working days ahead; the presiding officer did not investigate."""
    _check_can_change(case, actor)
    _check_signer(case, actor)
    hearing = case.hearing
    if case.assignments.filter(officer=presiding).exists():
        raise ValidationError({"presiding": "听证主持人不能是本案的调查人员（处罚法第六十四条）。"})
    earliest = add_working_days(notified_on, rules.HEARING_NOTICE_WORKING_DAYS)
    if scheduled_for.date() < earliest:
        raise ValidationError({"scheduled_for": f"应在举行听证的七个工作日前通知，最早可定于{earliest:%Y年%m月%d日}。"})
    hearing.notified_on, hearing.scheduled_for, hearing.place, hearing.presiding = notified_on, scheduled_for, place, presiding
    hearing.save()
    _event(case, "hearing_scheduled", f"通知听证：{scheduled_for:%Y年%m月%d日 %H:%M}，{place}", actor,
           payload={"notified_on": notified_on.isoformat(), "scheduled_for": scheduled_for.isoformat(),
                    "presiding": presiding.name})
    return hearing


@transaction.atomic
def record_hearing(case: Case, *, actor, held_on=None, record="", party_absent=False) -> Hearing:
    """Record the hearing (听证笔录), or that the party did not attend (视为放弃)."""
    _check_can_change(case, actor)
    hearing = case.hearing
    if hearing.scheduled_for is None:
        raise ValidationError("尚未通知听证时间和地点。")
    if not party_absent and not record.strip():
        raise ValidationError({"record": "请填写听证笔录。"})
    hearing.held_on = None if party_absent else (held_on or _today())
    hearing.record, hearing.party_absent = record.strip(), party_absent
    hearing.save()
    if party_absent:
        _event(case, "hearing_absent", "当事人无正当理由未出席听证，视为放弃", actor, payload={})
    else:
        _document_and_event(case, "hearing_record", actor, "hearing_held", "举行听证并制作听证笔录",
                            {"held_on": hearing.held_on.isoformat()})
    return hearing


# ---------------------------------------------------------------------------------------
# Time limits and fines (CASE-2, CASE-6)
# ---------------------------------------------------------------------------------------


@transaction.atomic
def approve_extension(case: Case, *, actor, days: int, reason: str) -> Extension:
    """The agency head extends the time limit for deciding (经负责人批准延长)."""
    _check_can_change(case, actor)
    if actor.role != roles.AGENCY_HEAD and not actor.is_superuser:
        raise PermissionDenied("延长办案期限须经机关负责人批准。")
    if days <= 0 or not reason.strip():
        raise ValidationError("请填写延长天数和理由。")
    extension = Extension.objects.create(case=case, days=days, reason=reason.strip(), approved_by=actor)
    case.extension_days += days
    refresh_deadline(case)
    case.save(update_fields=["extension_days", "next_deadline", "next_deadline_label", "updated_at"])
    _event(case, "extension", f"批准延长办案期限{days}日", actor, payload={"days": days, "reason": reason})
    return extension


@transaction.atomic
def record_payment(case: Case, *, actor, paid_on, amount, bank: str, bank_reference: str) -> Payment:
    """Record the bank's confirmation of a payment (罚缴分离: the system never holds money)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_can_change(case, actor)
    if case.stage != "execution" or not case.fine_amount:
        raise ValidationError("只有处于执行环节且有罚款的案件才能登记缴款。")
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": "缴款金额必须大于零。"})
    if paid_on > _today() or (case.served_on and paid_on < case.served_on):
        raise ValidationError({"paid_on": "缴款日期应在送达之后、今天之前。"})
    if Payment.objects.filter(bank_reference=bank_reference).exists():
        raise ValidationError({"bank_reference": "该银行缴款凭证号已登记。"})
    already = rules.amount_paid(case)
    fine = case.fine_amount
    surcharge_part = max(Decimal("0"), already + amount - fine) - max(Decimal("0"), already - fine)
    payment = Payment.objects.create(case=case, paid_on=paid_on, amount=amount, surcharge=surcharge_part, bank=bank,
                                     bank_reference=bank_reference, recorded_by=actor)
    due = rules.amount_due(case, paid_on)
    if rules.amount_paid(case) >= due:
        case.executed_on = paid_on
    refresh_deadline(case)
    case.save()
    _event(case, "payment", f"登记缴款{amount}元（凭证号{bank_reference}）", actor, payload={
        "paid_on": paid_on.isoformat(), "amount": str(amount), "bank": bank, "bank_reference": bank_reference,
        "due": str(due), "executed": case.executed_on is not None,
    })
    return payment


# ---------------------------------------------------------------------------------------
# Remedies (行政复议、行政诉讼)
# ---------------------------------------------------------------------------------------


def _check_remedy_actor(case: Case, actor) -> None:
    """Remedies come after the decision, often after archiving: the archived file stays
    read-only, the remedy is a new fact appended to the record."""
    if not case.decided_on:
        raise ValidationError("案件尚未作出决定，不能登记复议或诉讼。")
    if not Case.objects.restrict(actor, "change").filter(pk=case.pk).exists():
        raise PermissionDenied("您无权办理该案件。")


@transaction.atomic
def record_remedy(case: Case, *, actor, kind: str, body: str, filed_on, note: str = "") -> Remedy:
    """Register a reconsideration application or a lawsuit against the decision."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_remedy_actor(case, actor)
    if kind not in dict(choices.REMEDY_KIND_CHOICES):
        raise ValidationError({"kind": "请选择行政复议或行政诉讼。"})
    if not (body or "").strip():
        raise ValidationError({"body": "请填写复议机关或人民法院。"})
    if filed_on > _today() or filed_on < case.decided_on:
        raise ValidationError({"filed_on": "申请（起诉）日期应在决定之后、今天之前。"})
    remedy = Remedy.objects.create(case=case, kind=kind, body=body.strip(), filed_on=filed_on, note=note,
                                   recorded_by=actor)
    _event(case, "remedy", f"登记{remedy.get_kind_display()}（{remedy.body}）", actor,
           payload={"remedy": remedy.pk, "kind": kind, "body": remedy.body, "filed_on": filed_on.isoformat()})
    return remedy


@transaction.atomic
def record_remedy_result(remedy: Remedy, *, actor, result: str, decided_on, result_number: str = "",
                         note: str = "") -> Remedy:
    """Record how a reconsideration or lawsuit ended; a result that revokes, changes or
    declares the decision unlawful is announced to subscribers (the publicity app then
    opens a withdrawal or annotation due within 3 working days)."""
    remedy = Remedy.objects.select_for_update().select_related("case").get(pk=remedy.pk)
    case = remedy.case
    _check_remedy_actor(case, actor)
    if remedy.result != choices.REMEDY_PENDING:
        raise ValidationError("该复议或诉讼已登记结果。")
    if result not in dict(choices.REMEDY_RESULT_CHOICES) or result == choices.REMEDY_PENDING:
        raise ValidationError({"result": "请选择结果。"})
    if decided_on > _today() or decided_on < remedy.filed_on:
        raise ValidationError({"decided_on": "作出结果日期应在申请之后、今天之前。"})
    remedy.result, remedy.decided_on = result, decided_on
    remedy.result_number, remedy.note = result_number.strip(), note or remedy.note
    remedy.save()
    _event(case, "remedy_result", f"{remedy.get_kind_display()}结果：{remedy.get_result_display()}", actor,
           payload={"remedy": remedy.pk, "result": result, "decided_on": decided_on.isoformat(),
                    "number": remedy.result_number})
    _publish("remedy_result", case, actor, remedy=remedy)
    return remedy


def next_evidence_number(case: Case) -> int:
    return (case.evidence.aggregate(n=Max("number"))["n"] or 0) + 1
