"""The only code that changes coercive measures and enforcements (行政强制). Each action checks
who may act and what must hold (the transition's requirements in ``procedure``), changes the
measure in one transaction, renders its documents through the documents app and appends an
event to the case's hash-chained record; audit rows follow from ``AuditedModel``. The web
views and the API call these and nothing else.

``measure_actions`` / ``enforcement_actions`` run the same checks without changing anything:
the buttons on the case page and ``next-actions`` in the API.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.accounts import roles
from zhifa.core import clock

from .. import rules as case_rules
from ..services.common import TransitionRefused, _check_can_change, _check_signer, _event, check_not_future
from . import rules
from .documents import generate_coercion_documents
from .models import (
    CONFISCATE,
    DEMOLITION,
    DESTROY,
    END_CHOICES,
    KIND_CHOICES,
    RELEASE,
    RELEASE_REASON_CHOICES,
    TESTING_KIND_CHOICES,
    TRANSFER,
    CoerciveMeasure,
    Enforcement,
    MeasureTesting,
)
from .procedure import ENFORCEMENT_PROCEDURE, MEASURE_PROCEDURE, CoercionTransition


def _name(user) -> str:
    return getattr(user, "display_name", "") or user.get_username()


def _check_role(transition: CoercionTransition, actor) -> None:
    if not (actor.is_superuser or actor.role in transition.roles):
        labels = dict(roles.ROLE_CHOICES)
        allowed = "、".join(labels[r] for r, _ in roles.ROLE_CHOICES if r in transition.roles)
        raise PermissionDenied(f"{transition.name}须由{allowed}办理（{transition.basis}）。")


def _situation(case, subject, data) -> rules.Situation:
    return rules.Situation(case=case, subject=subject, data=data or {}, today=clock.today(), now=clock.now())


def _check(procedure, transition, case, subject, actor, data) -> None:
    """Who may act, then the stage, then the requirements: the refusal the buttons show."""
    _check_can_change(case, actor)
    if transition.signed:
        _check_signer(case, actor)
    _check_role(transition, actor)
    if subject is not None and subject.stage not in transition.sources:
        stage = procedure.stage(subject.stage).name
        raise ValidationError(f"“{stage}”环节不能{transition.name}。")
    missing = rules.missing(transition, _situation(case, subject, data))
    if missing:
        raise TransitionRefused(transition, missing)


def _required(data: dict, field: str, label: str) -> str:
    value = (data.get(field) or "").strip() if isinstance(data.get(field, ""), str) else data.get(field)
    if not value:
        raise ValidationError({field: f"请填写{label}。"})
    return value


def _clean_inventory(rows) -> list[dict]:
    cleaned = []
    for row in rows or []:
        item = {k: str(row.get(k, "") or "").strip() for k in ("name", "spec", "quantity", "unit", "note")}
        if item["name"] or item["quantity"]:
            cleaned.append(item)
    return cleaned


def _items_text(inventory) -> str:
    return "\n".join(f"{r['name']}{(' ' + r['spec']) if r['spec'] else ''} {r['quantity']}{r['unit']}".strip()
                     for r in inventory)


def _store_expiry(measure: CoerciveMeasure) -> None:
    measure.expires_on, measure.expiry_provisional = rules.expiry(measure)


def _documents(case, measure, codes, actor, enforcement=None):
    return generate_coercion_documents(case, codes, actor=actor, measure=measure, enforcement=enforcement)


def _doc_payload(documents) -> list[dict]:
    return [{"code": d.code, "number": d.number} for d in documents]


def _files(documents) -> list:
    return [f for d in documents for f in (d.docx, d.pdf)]


# ---------------------------------------------------------------------------------------
# 查封、扣押、冻结
# ---------------------------------------------------------------------------------------


def check_start_measure(case, actor, *, emergency: bool = False, data=None) -> None:
    """May ``actor`` apply for (or, in an emergency, carry out) a measure in ``case``?"""
    transition = MEASURE_PROCEDURE.transition("emergency" if emergency else "request")
    _check(MEASURE_PROCEDURE, transition, case, None, actor, data or {})


@transaction.atomic
def start_measure(case, *, actor, kind, reasons, basis, emergency=False, place="", started_at=None, inventory=(),
                  officers=(), recording=None) -> CoerciveMeasure:
    """申请实施 (to the agency head, 第十八条第（一）项) or, when urgent, 当场实施 with its decision
    and list handed over on the spot and the head's approval to follow within 24 hours (第十九条)."""
    from ..models import Case

    case = Case.objects.select_for_update().get(pk=case.pk)
    if kind == DEMOLITION:
        raise ValidationError({"kind": "强制拆除属于行政强制执行，应当依照行政强制法第四十四条公告后办理，不作为行政强制措施登记。"})
    if kind not in dict(KIND_CHOICES):
        raise ValidationError({"kind": "强制措施种类无效。"})
    inventory = _clean_inventory(inventory)
    data = {"kind": kind, "inventory": inventory, "officers": list(officers), "recording": recording}
    # the recording is said first: a measure is never carried out without it
    if emergency and (recording is None or recording.case_id != case.pk or not recording.is_recording):
        _check_can_change(case, actor)
        raise ValidationError({"recording": "当场实施查封、扣押必须全程音像记录：请先上传录像并选择该记录。"})
    check_start_measure(case, actor, emergency=emergency, data=data)
    reasons = _required({"reasons": reasons}, "reasons", "实施的理由（行政强制法第二十四条第二款第（二）项）")
    basis = _required({"basis": basis}, "basis", "实施的依据（行政强制法第二十四条第二款第（二）项）")
    now = clock.now()
    measure = CoerciveMeasure(case=case, kind=kind, emergency=emergency, reasons=reasons, basis=basis, place=place,
                              inventory=inventory, items=_items_text(inventory), recorded_by=actor, requested_at=now)
    if emergency:
        if started_at is None:
            raise ValidationError({"started_at": "请填写当场实施的时间。"})
        check_not_future(started_at, "started_at", "实施时间")
        measure.stage, measure.started_at, measure.reported_at, measure.recording = "reported", started_at, now, recording
    else:
        measure.stage = "requested"
    measure.save()
    if emergency:
        measure.officers.set(officers)
        _store_expiry(measure)
        measure.save(update_fields=["expires_on", "expiry_provisional"])
        late = now - started_at > datetime.timedelta(hours=rules.EMERGENCY_HOURS)
        documents = _documents(case, measure, ["coercion_decision", "coercion_inventory"], actor)
        measure.decision_number = documents[0].number
        measure.save(update_fields=["decision_number"])
        summary = f"情况紧急当场{measure.short_name}，已交付决定书和清单，报机关负责人补办批准" + (
            "（报告已超过二十四小时）" if late else "")
        _event(case, "coercive_measure", summary, actor, payload={
            "measure": measure.pk, "kind": kind, "emergency": True, "started_at": started_at.isoformat(),
            "inventory": inventory, "recording": recording.number, "late_report": late,
            "officers": [o.name for o in officers], "documents": _doc_payload(documents),
        }, files=_files(documents))
    else:
        _event(case, "coercive_measure_requested", f"申请实施{measure.short_name}，报机关负责人批准", actor, payload={
            "measure": measure.pk, "kind": kind, "reasons": reasons, "basis": basis, "inventory": inventory})
    return measure


def check_measure(measure: CoerciveMeasure, code: str, actor, data=None) -> None:
    """Raise the refusal of transition ``code`` of ``measure`` (nothing changes)."""
    transition = MEASURE_PROCEDURE.transition(code)
    _check(MEASURE_PROCEDURE, transition, measure.case, measure, actor, data or {})


def _end(measure, kind, reason, note, today):
    measure.end_kind, measure.end_reason, measure.end_note, measure.ended_on = kind, reason, note, today


@transaction.atomic
def perform_measure(measure: CoerciveMeasure, code: str, *, actor, data: dict | None = None) -> CoerciveMeasure:
    """Move ``measure`` by transition ``code`` of ``MEASURE_PROCEDURE``."""
    data = dict(data or {})
    measure = CoerciveMeasure.objects.select_for_update().select_related("case__agency", "case__item").get(pk=measure.pk)
    case = measure.case
    transition = MEASURE_PROCEDURE.transition(code)
    if code == "execute":
        data["inventory"] = _clean_inventory(data.get("inventory"))
        data["officers"] = list(data.get("officers") or [])
        recording = data.get("recording")
        if recording is None or recording.case_id != case.pk or not recording.is_recording:
            _check_can_change(case, actor)
            _check_role(transition, actor)
            raise ValidationError({"recording": "查封、扣押必须全程音像记录：请先上传录像并选择该记录。"})
    check_measure(measure, code, actor, data)
    today, now = clock.today(), clock.now()
    opinion = (data.get("opinion") or "").strip()
    documents, payload, summary = [], {"measure": measure.pk, "transition": code}, ""
    if code == "approve":
        measure.approver, measure.approved_by, measure.approved_at = actor, _name(actor), now
        measure.approval_opinion = opinion or "同意。"
        summary = f"机关负责人批准实施{measure.short_name}"
    elif code == "refuse":
        measure.approval_opinion = _required(data, "opinion", "不予批准的理由")
        measure.approver, measure.approved_by, measure.approved_at = actor, _name(actor), now
        summary = f"机关负责人不批准实施{measure.short_name}"
    elif code == "execute":
        started_at = data.get("started_at")
        if started_at is None:
            raise ValidationError({"started_at": "请填写实施时间。"})
        check_not_future(started_at, "started_at", "实施时间")
        if measure.approved_at and started_at < measure.approved_at - datetime.timedelta(minutes=5):
            raise ValidationError({"started_at": "实施时间不能早于机关负责人批准的时间（行政强制法第十八条第（一）项）；"
                                                 "情况紧急的，应当按当场实施办理（第十九条）。"})
        measure.started_at, measure.recording = started_at, data["recording"]
        measure.inventory, measure.items = data["inventory"], _items_text(data["inventory"])
        measure.place = data.get("place") or measure.place
        measure.stage = transition.target
        measure.save()
        measure.officers.set(data["officers"])
        _store_expiry(measure)
        documents = _documents(case, measure, list(transition.documents), actor)
        measure.decision_number = documents[0].number
        payload.update(started_at=started_at.isoformat(), inventory=measure.inventory, recording=measure.recording.number,
                       officers=[o.name for o in data["officers"]], expires_on=str(measure.expires_on))
        summary = f"实施{measure.short_name}，当场交付决定书和清单（全程音像记录：证据{measure.recording.number}）"
    elif code == "confirm":
        due = rules.emergency_approval_due(measure)
        late = bool(due and now > due)
        measure.approver, measure.approved_by, measure.approved_at = actor, _name(actor), now
        measure.approval_opinion = opinion or "同意。"
        payload["late"] = late
        summary = f"机关负责人补办批准当场实施的{measure.short_name}" + ("（已超过二十四小时）" if late else "")
    elif code == "disapprove":
        measure.approval_opinion = _required(data, "opinion", "不予批准的理由")
        measure.approver, measure.approved_by, measure.approved_at = actor, _name(actor), now
        _end(measure, RELEASE, "not_approved", measure.approval_opinion, today)
        summary = f"机关负责人不同意当场实施的{measure.short_name}，立即解除"
    elif code == "extend":
        days = data.get("days")
        if not isinstance(days, int) or not 1 <= days <= rules.MAX_EXTENSION_DAYS:
            raise ValidationError({"days": "延长期限为一至三十日（行政强制法第二十五条第一款：延长期限不得超过三十日）。"})
        measure.extension_reasons = _required(data, "reasons", "延长的理由（行政强制法第二十五条第二款）")
        measure.extension_days, measure.extended_on = days, today
        before = measure.expires_on
        _store_expiry(measure)
        payload.update(days=days, reasons=measure.extension_reasons, before=str(before), expires_on=str(measure.expires_on))
        summary = f"机关负责人批准延长{measure.short_name}期限{days}日，至{measure.expires_on:%Y年%m月%d日}"
    elif code == "start_testing":
        kind = data.get("testing_kind")
        if kind not in dict(TESTING_KIND_CHOICES):
            raise ValidationError({"testing_kind": "请选择检测、检验、检疫或者技术鉴定。"})
        institution = _required(data, "institution", "检测、鉴定机构")
        started_on = data.get("started_on") or today
        check_not_future(started_on, "started_on", "送检日期")
        if started_on < rules.start_date(measure):
            raise ValidationError({"started_on": "送检日期不能早于查封、扣押之日。"})
        if measure.expires_on and started_on > measure.expires_on:
            raise ValidationError({"started_on": "送检日期不能晚于期限届满日。"})
        testing = MeasureTesting.objects.create(measure=measure, kind=kind, institution=institution, started_on=started_on)
        measure.expires_on, measure.expiry_provisional = None, False
        payload.update(testing=testing.pk, kind=kind, institution=institution, started_on=str(started_on))
        summary = f"送{testing.get_kind_display()}（{institution}），期间不计入{measure.short_name}期限"
    elif code == "end_testing":
        testing = measure.testings.filter(ended_on__isnull=True).first()
        ended_on = data.get("ended_on") or today
        check_not_future(ended_on, "ended_on", "结果送达日期")
        if ended_on < testing.started_on:
            raise ValidationError({"ended_on": "结果送达日期不能早于送检日期。"})
        testing.ended_on, testing.result = ended_on, _required(data, "result", "检测、鉴定结果")
        testing.save()
        measure.stage = transition.target
        _store_expiry(measure)
        payload.update(testing=testing.pk, ended_on=str(ended_on), days=(ended_on - testing.started_on).days,
                       expires_on=str(measure.expires_on))
        summary = f"{testing.get_kind_display()}结果送达，不计入期限{(ended_on - testing.started_on).days}日，期限至{measure.expires_on:%Y年%m月%d日}"
    elif code == "release":
        reason = data.get("reason")
        if reason not in dict(RELEASE_REASON_CHOICES) or reason == "not_approved":
            raise ValidationError({"reason": "请选择解除的情形（行政强制法第二十八条第一款）。"})
        _end(measure, RELEASE, reason, (data.get("note") or "").strip(), today)
        payload.update(reason=reason, after_expiry=bool(measure.expires_on and today > measure.expires_on))
        summary = f"解除{measure.short_name}：{dict(RELEASE_REASON_CHOICES)[reason]}"
    elif code == "dispose":
        kind = data.get("end_kind")
        if kind not in (CONFISCATE, DESTROY, TRANSFER):
            raise ValidationError({"end_kind": "请选择没收、销毁或者移送（行政强制法第二十七条）。"})
        note = _required(data, "note", "处理的事实和依据")
        if kind == CONFISCATE and not _confiscation_decided(case):
            raise ValidationError({"end_kind": "没收须依据已作出的没收非法财物的行政处罚决定（行政强制法第二十七条；"
                                               "行政处罚法第九条）：本案尚未作出该决定。"})
        if kind == TRANSFER:
            measure.transferred_to = _required(data, "transferred_to", "接收移送的机关")
        _end(measure, kind, "", note, today)
        payload.update(end_kind=kind, transferred_to=measure.transferred_to)
        summary = f"对{measure.short_name}的财物作出处理决定：{dict(END_CHOICES)[kind]}"
    measure.stage = transition.target
    measure.save()
    if code != "execute" and transition.documents:
        documents = _documents(case, measure, list(transition.documents), actor)
    if documents:
        payload["documents"] = _doc_payload(documents)
    _event(case, "coercive_measure_" + code, summary, actor, payload=payload, files=_files(documents))
    return measure


def _confiscation_decided(case) -> bool:
    from zhifa.catalog import choices as catalog_choices

    return bool(case.decided_on) and any(i.kind == catalog_choices.CONFISCATE_PROPERTY for i in case_rules.penalty_items(case))


# ---------------------------------------------------------------------------------------
# 行政强制执行
# ---------------------------------------------------------------------------------------


def check_start_enforcement(case, actor) -> None:
    """May ``actor`` serve a 催告书 in ``case`` now?"""
    transition = ENFORCEMENT_PROCEDURE.transition("remind")
    _check(ENFORCEMENT_PROCEDURE, transition, case, None, actor, {})


def obligation_of(case, on) -> tuple[str, Decimal, Decimal]:
    """What the party still owes: the text, the outstanding principal and the surcharge
    (加处罚款, capped at the principal by ``cases.rules``)."""
    money = [m for m in case_rules.money_items(case, on) if m.outstanding > 0]
    principal = sum((max(Decimal("0.00"), m.principal - m.paid) for m in money), Decimal("0.00"))
    surcharge = sum((m.surcharge for m in money), Decimal("0.00"))
    parts = [f"{m.label}人民币{m.principal:,.2f}元" for m in money]
    others = [i.kind for i in case_rules.penalty_items(case) if i.needs_own_act] if not case.other_execution else []
    parts += others
    text = f"履行{case.decision_number or '行政处罚决定'}确定的义务：" + "、".join(parts) if parts else ""
    return text, principal, surcharge


@transaction.atomic
def start_enforcement(case, *, actor, served_on=None) -> Enforcement:
    """催告: the written reminder (第三十五条) served on ``served_on`` (default today), giving ten
    working days to perform, with the principal and the surcharge to date."""
    from ..models import Case

    case = Case.objects.select_for_update().get(pk=case.pk)
    check_start_enforcement(case, actor)
    today = clock.today()
    served_on = served_on or today
    check_not_future(served_on, "served_on", "催告书送达日期")
    if case.payment_due_on and served_on <= case.payment_due_on:
        raise ValidationError({"served_on": "催告应当在当事人逾期不履行之后（行政强制法第三十五条）。"})
    obligation, principal, surcharge = obligation_of(case, served_on)
    due, provisional = rules.reminder_deadline(served_on)
    enforcement = Enforcement.objects.create(
        case=case, obligation=obligation, principal=principal, surcharge=surcharge, reminder_served_on=served_on,
        compliance_due_on=due, compliance_provisional=provisional, created_by=actor,
    )
    documents = _documents(case, None, ["enforcement_reminder"], actor, enforcement=enforcement)
    enforcement.reminder_number = documents[0].number
    enforcement.save(update_fields=["reminder_number"])
    _event(case, "enforcement_reminder", f"送达催告书，限{due:%Y年%m月%d日}前履行", actor, payload={
        "enforcement": enforcement.pk, "served_on": str(served_on), "due_on": str(due), "principal": str(principal),
        "surcharge": str(surcharge), "documents": _doc_payload(documents)}, files=_files(documents))
    return enforcement


def check_enforcement(enforcement: Enforcement, code: str, actor, data=None) -> None:
    transition = ENFORCEMENT_PROCEDURE.transition(code)
    _check(ENFORCEMENT_PROCEDURE, transition, enforcement.case, enforcement, actor, data or {})


@transaction.atomic
def perform_enforcement(enforcement: Enforcement, code: str, *, actor, data: dict | None = None) -> Enforcement:
    """Move ``enforcement`` by transition ``code`` of ``ENFORCEMENT_PROCEDURE``."""
    data = dict(data or {})
    enforcement = Enforcement.objects.select_for_update().select_related("case__agency").get(pk=enforcement.pk)
    case = enforcement.case
    transition = ENFORCEMENT_PROCEDURE.transition(code)
    check_enforcement(enforcement, code, actor, data)
    today = clock.today()
    payload, documents = {"enforcement": enforcement.pk, "transition": code}, []
    if code == "statement":
        enforcement.statement = _required(data, "statement", "当事人陈述、申辩的内容")
        enforcement.statement_on = data.get("statement_on") or today
        check_not_future(enforcement.statement_on, "statement_on", "陈述、申辩日期")
        enforcement.statement_review, enforcement.statement_accepted = "", None
        summary = "记录当事人对催告的陈述、申辩"
    elif code == "review":
        enforcement.statement_review = _required(data, "review", "复核意见")
        accepted = data.get("accepted")
        if accepted is None:
            raise ValidationError({"accepted": "请选择是否采纳（行政强制法第三十六条：事实、理由或者证据成立的，应当采纳）。"})
        enforcement.statement_accepted = bool(accepted)
        summary = "复核当事人的陈述、申辩：" + ("采纳" if accepted else "不予采纳")
    elif code == "decide":
        enforcement.means = _required(data, "means", "强制执行的方式")
        enforcement.decided_on = today
        _, enforcement.principal, enforcement.surcharge = obligation_of(case, today)
        summary = f"作出强制执行决定（{enforcement.means}）"
    elif code == "apply_court":
        enforcement.court = (data.get("court") or case.agency.court or "").strip()
        if not enforcement.court:
            raise ValidationError({"court": "请填写申请执行的人民法院（行政强制法第五十四条：所在地有管辖权的人民法院）。"})
        enforcement.applied_on = today
        _, enforcement.principal, enforcement.surcharge = obligation_of(case, today)
        summary = f"申请{enforcement.court}强制执行"
    enforcement.stage = transition.target
    enforcement.save()
    if transition.documents:
        documents = _documents(case, None, list(transition.documents), actor, enforcement=enforcement)
        if code == "decide":
            enforcement.decision_number = documents[0].number
            enforcement.save(update_fields=["decision_number"])
        payload["documents"] = _doc_payload(documents)
    _event(case, "enforcement_" + code, summary, actor, payload=payload, files=_files(documents))
    return enforcement


# ---------------------------------------------------------------------------------------
# What may be done now (the buttons and next-actions)
# ---------------------------------------------------------------------------------------


@dataclass
class Option:
    """One transition offered on a measure or an enforcement, with the reason it is refused now."""

    code: str
    name: str
    refusal: str = ""

    @property
    def available(self) -> bool:
        return not self.refusal


def _reason(exc) -> str:
    if isinstance(exc, TransitionRefused):
        return exc.messages[0]
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _options(procedure, stage, check) -> list[Option]:
    options = []
    for transition in procedure.transitions_from(stage):
        try:
            check(transition.code)
        except (PermissionDenied, ValidationError) as exc:
            options.append(Option(transition.code, transition.name, _reason(exc)))
        else:
            options.append(Option(transition.code, transition.name))
    return options


# Requirements that depend on what the user posts (officers, recording, list): a button is
# offered when everything else holds; the form then asks for them.
_POSTED = {"two_officers", "recording", "inventory"}


def measure_actions(measure: CoerciveMeasure, user) -> list[Option]:
    """The transitions from the measure's stage, each with its refusal for ``user`` now."""

    def check(code):
        transition = MEASURE_PROCEDURE.transition(code)
        _check_can_change(measure.case, user)
        if transition.signed:
            _check_signer(measure.case, user)
        _check_role(transition, user)
        situation = _situation(measure.case, measure, {})
        missing = [rules.REQUIREMENTS[r].text for r in transition.requires
                   if r not in _POSTED and not rules.REQUIREMENTS[r].holds(situation)]
        if missing:
            raise TransitionRefused(transition, missing)

    return _options(MEASURE_PROCEDURE, measure.stage, check)


def enforcement_actions(enforcement: Enforcement, user) -> list[Option]:
    return _options(ENFORCEMENT_PROCEDURE, enforcement.stage, lambda code: check_enforcement(enforcement, code, user))


def check_new_measure(case, actor) -> None:
    """The case-page button 实施行政强制措施: the checks of ``start_measure`` that do not depend on
    the form (who may act, the case's stage, and — for 冻结 — the power is asked by the form)."""
    _check_can_change(case, actor)
    transition = MEASURE_PROCEDURE.transition("request")
    _check_signer(case, actor)
    _check_role(transition, actor)
    missing = [rules.REQUIREMENTS[r].text for r in ("case_open",)
               if not rules.REQUIREMENTS[r].holds(_situation(case, None, {}))]
    if missing:
        raise TransitionRefused(transition, missing)


def recount_provisional_expiries() -> int:
    """Recount the expiry of every measure, and the 催告 deadline of every enforcement, counted
    before their year's holidays were entered; returns how many changed. Registered with
    ``zhifa.workdays.recount``."""
    changed = 0
    for measure in CoerciveMeasure.objects.filter(expiry_provisional=True).prefetch_related("testings"):
        before = (measure.expires_on, measure.expiry_provisional)
        _store_expiry(measure)
        if (measure.expires_on, measure.expiry_provisional) != before:
            measure.save(update_fields=["expires_on", "expiry_provisional"])
            changed += 1
    for enforcement in Enforcement.objects.filter(compliance_provisional=True):
        due, provisional = rules.reminder_deadline(enforcement.reminder_served_on)
        if (due, provisional) != (enforcement.compliance_due_on, True):
            enforcement.compliance_due_on, enforcement.compliance_provisional = due, provisional
            enforcement.save(update_fields=["compliance_due_on", "compliance_provisional"])
            changed += 1
    return changed
