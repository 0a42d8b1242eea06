"""Rules of the transfer of suspected crimes (两法衔接), one function per step, called by the API and
the pages. Periods (国务院令第310号): the head decides within 3 days of the report; an approved case
is transferred within 24 hours; the police decide within 3 days of receiving it; on a refusal the
agency may ask for reconsideration within 3 days of the written notice (or ask the procuratorate to
supervise); after the police open a case the items and material are handed over within 3 days.
"Days" here are calendar days, the first not counted, a period ending on a holiday moving to the
next working day (``workdays.add_natural_days``). Every step is written to the case's hash-chained
record in the same transaction (and so reaches the upper levels through the exchange)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.accounts import roles
from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.people.services import may_act
from zhifa.records.services import append_event
from zhifa.workdays.services import add_natural_days

from . import models as m
from .models import CriminalTransfer

DECISION_DAYS = 3
TRANSFER_HOURS = 24
POLICE_DAYS = 3
RECONSIDERATION_DAYS = 3
HANDOVER_DAYS = 3


def _text(value, label: str, limit: int = 4000) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({label: "此项必填。"})
    if len(value) > limit:
        raise ValidationError({label: f"不能超过{limit}个字符。"})
    return value


def _case_in_reach(case: Case, actor) -> Case:
    if not Case.objects.restrict(actor, "change").filter(pk=case.pk).exists():
        raise PermissionDenied("您无权办理该案件。")
    return case


def _locked(transfer: CriminalTransfer, actor) -> CriminalTransfer:
    locked = CriminalTransfer.objects.select_for_update().select_related("case").get(pk=transfer.pk)
    _case_in_reach(locked.case, actor)
    return locked


def _expect(transfer: CriminalTransfer, *statuses: str) -> None:
    if transfer.status not in statuses:
        raise ValidationError(f"移送当前为“{transfer.get_status_display()}”，不能办理这一步。")


def _record(transfer: CriminalTransfer, kind: str, summary: str, actor, **payload) -> None:
    append_event(transfer.case.stream_key, f"criminal:{kind}", summary, actor=actor,
                 payload={"transfer": transfer.pk, "status": transfer.status, **payload})


@transaction.atomic
def report(case: Case, *, actor, officers, suspected_offence: str, report_text: str, amount=None,
           reported_on: datetime.date | None = None) -> CriminalTransfer:
    """Two or more officers, each able to act on the case's item, report a suspected crime to the head."""
    case = Case.objects.select_for_update().get(pk=_case_in_reach(case, actor).pk)
    officers = list({o.pk: o for o in officers}.values())
    if len(officers) < 2:
        raise ValidationError({"officers": "须由两名以上执法人员核实并提出移送报告。"})
    reported_on = reported_on or clock.today()
    unable = [o.name for o in officers if not may_act(o, case.item, reported_on)]
    if unable:
        raise ValidationError({"officers": f"{'、'.join(unable)}不具备办理该事项的执法资格。"})
    if case.criminal_transfers.filter(status__in=m.OPEN_STATUSES).exists():
        raise ValidationError("该案已有办理中的涉嫌犯罪移送。")
    transfer = CriminalTransfer.objects.create(
        case=case, suspected_offence=_text(suspected_offence, "suspected_offence", 100),
        report=_text(report_text, "report"), amount=amount, reported_on=reported_on,
        decision_due=add_natural_days(reported_on, DECISION_DAYS))
    transfer.reporting_officers.set(officers)
    _record(transfer, "reported", f"报告涉嫌{transfer.suspected_offence}，提请负责人决定是否移送", actor,
            officers=[o.name for o in officers], decision_due=transfer.decision_due.isoformat())
    return transfer


@transaction.atomic
def decide(transfer: CriminalTransfer, *, actor, approve: bool, reason: str = "") -> CriminalTransfer:
    """The agency head approves the transfer or refuses it with reasons (within 3 days of the report)."""
    transfer = _locked(transfer, actor)
    _expect(transfer, m.REPORTED)
    if actor.role != roles.AGENCY_HEAD and not actor.is_superuser:
        raise PermissionDenied("是否移送由行政执法机关正职负责人或者主持工作的负责人决定。")
    now = clock.now()
    transfer.decided_at, transfer.decided_by = now, actor
    if approve:
        transfer.status = m.APPROVED
        transfer.transfer_due_at = now + datetime.timedelta(hours=TRANSFER_HOURS)
        summary = "负责人批准移送，应于24小时内移送公安机关"
    else:
        transfer.status = m.REFUSED
        transfer.refusal_reason = _text(reason, "reason")
        summary = "负责人决定不批准移送（理由已记录）"
    transfer.save()
    _record(transfer, "decided", summary, actor, approve=approve, late=now.date() > transfer.decision_due,
            reason=transfer.refusal_reason)
    return transfer


@transaction.atomic
def transfer_to_police(transfer: CriminalTransfer, *, actor, police_organ: str, procuratorate: str,
                       materials: list[str]) -> CriminalTransfer:
    """Transfer to the public-security organ with the material, a copy to the procuratorate."""
    transfer = _locked(transfer, actor)
    _expect(transfer, m.APPROVED)
    materials = [str(x).strip() for x in (materials or []) if str(x).strip()]
    if not any("移送书" in x for x in materials):
        raise ValidationError({"materials": "移送材料须包括涉嫌犯罪案件移送书。"})
    now = clock.now()
    transfer.police_organ = _text(police_organ, "police_organ", 100)
    transfer.procuratorate = _text(procuratorate, "procuratorate", 100)
    transfer.materials = materials
    transfer.transferred_at = now
    transfer.police_decision_due = add_natural_days(timezone.localdate(now), POLICE_DAYS)
    transfer.status = m.TRANSFERRED
    transfer.save()
    _record(transfer, "transferred", f"移送{transfer.police_organ}，抄送{transfer.procuratorate}", actor,
            materials=materials, late=now > transfer.transfer_due_at)
    return transfer


@transaction.atomic
def record_police_decision(transfer: CriminalTransfer, *, actor, opened: bool, notice_on: datetime.date,
                           case_number: str = "", reason: str = "") -> CriminalTransfer:
    """The police's written decision to open a criminal case or not."""
    transfer = _locked(transfer, actor)
    _expect(transfer, m.TRANSFERRED)
    if notice_on < timezone.localdate(transfer.transferred_at) or notice_on > clock.today():
        raise ValidationError({"notice_on": "通知日期须在移送之后且不晚于今天。"})
    transfer.police_notice_on = notice_on
    transfer.police_case_opened = opened
    if opened:
        transfer.police_case_number = _text(case_number, "case_number", 80)
        transfer.handover_due = add_natural_days(notice_on, HANDOVER_DAYS)
        transfer.status = m.POLICE_OPENED
        summary = f"公安机关决定立案（{transfer.police_case_number}），应于三日内移交涉案物品和材料"
    else:
        transfer.police_reason = _text(reason, "reason")
        transfer.reconsideration_due = add_natural_days(notice_on, RECONSIDERATION_DAYS)
        transfer.status = m.POLICE_DECLINED
        summary = "公安机关决定不予立案，可于三日内提请复议或建议检察机关立案监督"
    transfer.save()
    _record(transfer, "police_decision", summary, actor, opened=opened, notice_on=notice_on.isoformat())
    return transfer


@transaction.atomic
def object_to_refusal(transfer: CriminalTransfer, *, actor, to: str, reason: str) -> CriminalTransfer:
    """Against a refusal to open a case: reconsideration by the police (within 3 days of the notice)
    or a request that the procuratorate supervise (立案监督)."""
    transfer = _locked(transfer, actor)
    _expect(transfer, m.POLICE_DECLINED, m.RECONSIDERATION)
    today = clock.today()
    transfer.objection = _text(reason, "reason")
    if to == "reconsideration":
        _expect(transfer, m.POLICE_DECLINED)
        if today > transfer.reconsideration_due:
            raise ValidationError(f"提请复议的期限已于{transfer.reconsideration_due:%Y年%m月%d日}届满，可以建议检察机关立案监督。")
        transfer.reconsideration_requested_on, transfer.status = today, m.RECONSIDERATION
        summary = "提请公安机关复议不予立案决定"
    elif to == "supervision":
        transfer.supervision_requested_on, transfer.status = today, m.SUPERVISION
        summary = f"建议{transfer.procuratorate or '人民检察院'}进行立案监督"
    else:
        raise ValidationError({"to": "请选择提请复议（reconsideration）或建议立案监督（supervision）。"})
    transfer.save()
    _record(transfer, "objection", summary, actor, to=to)
    return transfer


@transaction.atomic
def hand_over(transfer: CriminalTransfer, *, actor, items: list[str], handed_over_on=None) -> CriminalTransfer:
    """Hand the items and material over to the police after they opened a case (within 3 days)."""
    transfer = _locked(transfer, actor)
    _expect(transfer, m.POLICE_OPENED)
    items = [str(x).strip() for x in (items or []) if str(x).strip()]
    if not items:
        raise ValidationError({"items": "请列明移交的涉案物品和材料。"})
    transfer.handed_over_on = handed_over_on or clock.today()
    transfer.handover_list = items
    transfer.status = m.HANDED_OVER
    transfer.save()
    _record(transfer, "handed_over", f"向{transfer.police_organ}移交涉案物品和材料{len(items)}项", actor,
            items=items, late=transfer.handed_over_on > transfer.handover_due)
    return transfer
