"""Shared by every part of the case services: the refusal, subscriptions, numbering and the checks
of who may change a case or sign for it."""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa.accounts import roles
from zhifa.core import clock
from zhifa.people.models import Officer
from zhifa.people.services import may_act
from zhifa.records.services import append_event

from .. import rules
from ..models import (
    Case,
    CaseSequence,
)
from ..procedures import Transition


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


#: A moment entered on a phone may run a little ahead of the server's clock.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def check_not_future(value, field: str, label: str) -> None:
    """A fact recorded for a past act (a statement received, an inspection, an interview, a
    payment, a hearing held, a remedy filed…) may not be dated in the future: refuse with a
    Chinese message on ``field``. ``value`` is a date or a datetime (allowed ``CLOCK_SKEW`` ahead)."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        now = clock.now() + CLOCK_SKEW
        later = value > now if timezone.is_aware(value) == timezone.is_aware(now) else value.date() > _today()
        if later:
            raise ValidationError({field: f"{label}不能晚于当前时间（记录的是已经发生的事实）。"})
    elif value > _today():
        raise ValidationError({field: f"{label}不能晚于今天（记录的是已经发生的事实）。"})


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
    if not _remembered(("change", case.pk, actor.pk),
                       lambda: Case.objects.restrict(actor, "change").filter(pk=case.pk).exists()):
        raise PermissionDenied("您无权办理该案件。")


def _check_signer(case: Case, actor) -> None:
    """A signed act: never an auxiliary; an officer must be on the case and may act on its item."""
    if actor.role == roles.AUXILIARY:
        raise PermissionDenied("执法辅助人员不能签署文书或作出决定，只能协助记录。")
    if actor.role == roles.OFFICER:
        refusal = _remembered(("signer", case.pk, actor.pk), lambda: _officer_signing_refusal(case, actor))
        if refusal:
            raise PermissionDenied(refusal)


def _officer_signing_refusal(case: Case, actor) -> str:
    officer = officer_of(actor)
    if officer is None or not case.assignments.filter(officer=officer).exists():
        return "只有本案的办案人员可以执行该操作。"
    authority = may_act(officer, case.item)
    if not authority.allowed:
        return "您当前不能办理该事项：" + "；".join(authority.reasons)
    return ""


# While ``next_actions`` runs every check on one case, who may change it and sign for it is
# looked up once; outside that read-only block every check queries afresh.
_CHECK_MEMO: ContextVar[dict | None] = ContextVar("zhifa_cases_check_memo", default=None)


@contextmanager
def remembered_checks():
    token = _CHECK_MEMO.set({})
    try:
        yield
    finally:
        _CHECK_MEMO.reset(token)


def _remembered(key, compute):
    memo = _CHECK_MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


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


#: Each document kind that carries a number has its own series (文号), e.g. 告知书
#: "县市场监管局罚告〔2026〕3号"; the decision's series is ``decision_number``; records
#: (笔录), forms and the 送达回证 carry no number of their own.
DOCUMENT_NUMBER_MARKS = {
    "advance_notice": "罚告",
    "hearing_notice": "听告",
    "payment_notice": "缴",
    "credit_repair_notice": "信修",
    "case_transfer_letter": "移",  # 案件移送函 (zhifa.coordination)
}


def document_number(agency, code: str, year: int) -> str:
    """The next number of a document kind's own series (``DOCUMENT_NUMBER_MARKS``)."""
    mark = DOCUMENT_NUMBER_MARKS[code]
    return f"{_prefix(agency)}{mark}〔{year}〕{_next_number(agency, 'doc:' + mark, year)}号"


def refresh_deadline(case: Case) -> None:
    """Store the deadline of the current stage on the case (for the workbench and overdue lists)."""
    deadline = rules.next_deadline(case)
    case.next_deadline_label, case.next_deadline = deadline if deadline else ("", None)


PROVISIONAL_MARK = "日期待确认"


def recount_provisional_deadlines() -> int:
    """Recount every stored case deadline that was counted before its year's holidays were
    entered (labelled "日期待确认"); returns how many changed. Registered with
    ``zhifa.workdays.recount``."""
    from django.db.models import Q

    changed = 0
    waiting = Q(next_deadline_label__contains=PROVISIONAL_MARK) | ~Q(provisional_dates=[])
    for case in Case.objects.filter(waiting).select_related("agency"):
        before = (case.next_deadline, case.next_deadline_label, list(case.provisional_dates))
        for name in list(case.provisional_dates or []):
            start = getattr(case, rules.STORED_DATES[name][0])
            if start is not None:
                rules.set_stored_date(case, name, start)
        refresh_deadline(case)
        if (case.next_deadline, case.next_deadline_label, list(case.provisional_dates)) != before:
            case.save(update_fields=["next_deadline", "next_deadline_label", "provisional_dates",
                                     *rules.STORED_DATES])
            changed += 1
    return changed


def _place_payload(place):
    return {k: v for k, v in (place or {}).items() if v not in (None, "")}


# ---------------------------------------------------------------------------------------
# Who serves an agency (rules that used to live only in the web forms)
# ---------------------------------------------------------------------------------------


def officer_serves(officer: Officer, agency) -> bool:
    """Whether ``officer`` belongs to ``agency``: on its roster, or dispatched to one of its units."""
    if officer.home_agency_id == agency.pk:
        return True
    unit = officer.dispatched_to
    return unit is not None and unit.agency_id == agency.pk


def _check_officers_serve(officers, agency, field: str = "officers") -> None:
    """Every officer named for a case serves its agency (home agency, or dispatched to one of its units)."""
    outside = [o.name for o in officers if not officer_serves(o, agency)]
    if outside:
        raise ValidationError({field: "、".join(outside) + f"不是{agency.name}的执法人员。"})


def _check_unit_of_agency(unit, agency) -> None:
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError({"unit": f"所选承办机构不属于{agency.name}。"})
