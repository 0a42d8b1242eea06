"""Transitions between stages, driven by the procedure definitions (``cases/procedures.py``)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from zhifa.accounts import roles

from .. import choices, rules
from ..models import (
    Case,
)
from ..procedures import Transition
from .common import (
    TransitionRefused,
    _check_can_change,
    _check_signer,
    _event,
    _publish,
    _today,
    case_number,
    check_not_future,
    decision_number,
    refresh_deadline,
)


@dataclass
class TransitionOption:
    """A transition offered on the case page: allowed or not, and what is missing."""

    transition: Transition
    role_allowed: bool
    missing: list[str] = field(default_factory=list)
    refusal: str = ""  # set by ``next_actions``: why this user may not make it (read-only, not a signer …)

    @property
    def ready(self) -> bool:
        return self.role_allowed and not self.missing and not self.refusal


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
    from ..documents import generate_documents

    generated = generate_documents(case, _documents_for(case, transition), actor=actor, log=False)
    files = [document.docx for document in generated]  # each PDF is recorded when its job stores it
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
        elif rules.has_money_due(case):  # a fine or confiscated illegal income to pay
            codes += ["payment_notice"]
        if case.outcome != choices.OUTCOME_NO_PENALTY:
            codes.append("credit_repair_notice")  # 两书同达: served with the decision
    return codes


def _before_notify(case, data, actor):
    served = data.get("served_on") or _today()
    check_not_future(served, "served_on", "送达日期")
    case.notice_served_on = served
    rules.set_stored_date(case, "statement_deadline", served)
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
    check_not_future(served, "served_on", "送达日期")
    if served and case.decided_on and served < case.decided_on:
        raise ValidationError({"served_on": "送达日期不能早于决定日期。"})
    case.served_on = served
    case.service_method = data.get("service_method", "")
    case.service_recipient = data.get("service_recipient", "")
    if case.service_method and case.service_method not in dict(choices.SERVICE_METHOD_CHOICES):
        raise ValidationError({"service_method": "送达方式无效。"})


def _after_serve(case, data, actor):
    if rules.has_money_due(case):
        rules.set_stored_date(case, "payment_due_on", case.served_on)
    elif not rules.other_execution_pending(case):  # a warning is executed by serving the decision
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
    today = data.get("decided_on") or _today()  # a pre-numbered form filled in offline: the day on site
    case.filed_on = case.filed_on or today
    case.decided_on = today
    case.served_on = today
    case.service_method = "on_the_spot"
    case.service_recipient = data.get("service_recipient") or case.party.name
    case.decision_number = data.get("decision_number") or decision_number(case.agency, today.year, simple=True)
    case.number = case.number or case.decision_number
    if rules.has_money_due(case):
        rules.set_stored_date(case, "payment_due_on", today)
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
