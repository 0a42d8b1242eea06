"""Parties' rights (CASE-5): statements and defence (陈述申辩), waivers and hearings (听证)."""


from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.people.models import Officer
from zhifa.workdays.services import add_working_days

from .. import rules
from ..models import (
    Case,
    Hearing,
    Statement,
)
from .actions import (
    check_answer,
    check_hearing_record,
    check_hearing_request,
    check_hearing_schedule,
    check_statement,
    check_waive,
)
from .common import _check_officers_serve, _event, _today, check_not_future
from .evidence import _document_and_event


@transaction.atomic
def record_statement(case: Case, *, actor, point: str, received_on=None) -> Statement:
    """Record one point of the party's statement and defence."""
    check_statement(case, actor)
    if not point.strip():
        raise ValidationError({"point": "陈述申辩意见不能为空。"})
    check_not_future(received_on, "received_on", "提出日期")
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
    check_answer(case, actor)
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
    check_waive(case, actor)
    if not (note or "").strip():
        raise ValidationError({"note": "请填写当事人书面放弃的情况。"})
    case.rights_waived = True
    case.save(update_fields=["rights_waived", "updated_at"])
    _event(case, "rights_waived", "当事人书面放弃陈述、申辩和听证权利", actor, payload={"note": note})
    return case


@transaction.atomic
def request_hearing(case: Case, *, actor, requested_on=None) -> Hearing:
    """The party requests a hearing; only where the law gives one and within 5 working days."""
    check_hearing_request(case, actor)
    requested_on = requested_on or _today()
    check_not_future(requested_on, "requested_on", "申请日期")
    if case.statement_deadline and requested_on > case.statement_deadline:
        raise ValidationError(f"听证申请已超过期限（{case.statement_deadline:%Y年%m月%d日}前提出）。")
    hearing = Hearing.objects.create(case=case, requested_on=requested_on)
    _event(case, "hearing_requested", "当事人申请听证", actor, payload={"requested_on": requested_on.isoformat()})
    return hearing


@transaction.atomic
def schedule_hearing(case: Case, *, actor, notified_on, scheduled_for, place, presiding: Officer) -> Hearing:
    """Notify the hearing at least 7 working days ahead; the presiding officer did not investigate."""
    check_hearing_schedule(case, actor)
    hearing = case.hearing
    if presiding.kind != Officer.KIND_OFFICER or not presiding.is_active:
        raise ValidationError({"presiding": f"{presiding.name}不是在岗的执法人员，不能主持听证。"})
    _check_officers_serve([presiding], case.agency, field="presiding")
    if not (place or "").strip():
        raise ValidationError({"place": "请填写听证地点。"})
    check_not_future(notified_on, "notified_on", "听证通知日期")
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
    check_hearing_record(case, actor)
    hearing = case.hearing
    if not party_absent and not record.strip():
        raise ValidationError({"record": "请填写听证笔录。"})
    check_not_future(held_on, "held_on", "听证举行日期")
    hearing.held_on = None if party_absent else (held_on or _today())
    hearing.record, hearing.party_absent = record.strip(), party_absent
    hearing.save()
    if party_absent:
        _event(case, "hearing_absent", "当事人无正当理由未出席听证，视为放弃", actor, payload={})
    else:
        _document_and_event(case, "hearing_record", actor, "hearing_held", "举行听证并制作听证笔录",
                            {"held_on": hearing.held_on.isoformat()})
    return hearing
