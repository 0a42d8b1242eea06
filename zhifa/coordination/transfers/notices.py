"""Notices of coordination events (协作通知): who is told when a case transfer is sent, accepted
or returned, a jurisdiction dispute raised or a 纪检监察 clue referred.

The write path (``services.send`` …, ``clues.refer``) calls ``after_commit(event, pk)`` inside its
transaction; once it commits, the job ``coordination.notices`` runs ``send_notices`` on the task
layer, which tells each recipient through the desk's notification machinery
(``zhifa.workspace.reminders.notify``: the in-app message, and e-mail or the messaging gateway
per the person's preferences, docs/workspace.md). ``notify`` records each message in ``Reminder``,
unique on (event, person, kind), so a second run of the job — or two workers — tells nobody twice:
**at most one message per event per person**.

| event | who is told |
|---|---|
| ``transfer_sent`` 案件移送 | the receiving agency's heads (负责人), who accept or return it; its officers see it on the desk (待办 案件移送) |
| ``transfer_accepted`` / ``transfer_returned`` | the person who sent the transfer |
| ``dispute_raised`` 管辖争议 | the other agency's heads, and the supervisors (执法监督人员) of the coordination office's region — the nearest region at or above it that has any |
| ``clue_referred`` 问题线索移送 | the named readers (not the creator); the message names no official and no fact, only that a referral awaits them |
"""

from __future__ import annotations

from django.db.models import Q

from zhifa.accounts import roles
from zhifa.core import jobs

JOB = "coordination.notices"
EVENTS = ("transfer_sent", "transfer_accepted", "transfer_returned", "dispute_raised", "clue_referred")


def after_commit(event: str, pk: int) -> None:
    """Queue the notices of ``event`` about row ``pk`` once the caller's transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"unknown coordination event: {event}")
    jobs.enqueue_on_commit(JOB, event, pk)


def _agency_heads(agency):
    """Active heads (负责人) working for ``agency`` (its own or its units')."""
    from zhifa.accounts.models import User

    from .services import HEADS, acts_for

    people = (User._base_manager.filter(is_active=True, role__in=HEADS)
              .filter(Q(agency_id=agency.pk) | Q(unit__agency_id=agency.pk)).order_by("pk"))
    return [u for u in people if acts_for(u, agency, HEADS)]


def _nearest_supervisors(region):
    """Active supervisors of ``region``, or of the nearest region above it that has any."""
    from zhifa.accounts.models import User
    from zhifa.core.scoping import ancestor_paths

    paths = ancestor_paths(region.path)
    people = list(User._base_manager.filter(is_active=True, role=roles.SUPERVISOR, region__path__in=paths)
                  .select_related("region").order_by("pk"))
    for path in reversed(paths):
        found = [u for u in people if u.region.path == path]
        if found:
            return found
    return []


def _transfer_notices(event: str, pk: int):
    from ..models import CaseTransfer

    t = (CaseTransfer._base_manager.select_related("case", "from_agency", "to_agency", "sent_by", "answered_by")
         .filter(pk=pk).first())
    if t is None:
        return []
    case = f"{t.case.number or '（未立案）'} {t.case.cause}"
    url = t.get_absolute_url()
    if event == "transfer_sent":
        title = f"案件移送：{t.from_agency.name}移送案件“{case}”，请签收并于{t.answer_due:%Y-%m-%d}前答复"
        body = f"移送理由：{t.reason}\n移送依据：{t.legal_basis}"
        return [(person, title, body, url) for person in _agency_heads(t.to_agency)]
    if t.sent_by is None or not t.sent_by.is_active:
        return []
    if event == "transfer_accepted":
        title = f"案件移送：{t.to_agency.name}已接收移送的案件“{case}”"
        body = "案件已转由受移送机关办理，本机关可查阅移送前的案件记录。"
    else:
        title = f"案件移送：{t.to_agency.name}退回了移送的案件“{case}”"
        body = f"退回理由：{t.return_reason}\n案件仍由本机关办理。"
    return [(t.sent_by, title, body, url)]


def _dispute_notices(pk: int):
    from ..models import JurisdictionDispute

    d = (JurisdictionDispute._base_manager
         .select_related("case", "raised_by_agency", "other_agency", "office", "office__region").filter(pk=pk).first())
    if d is None:
        return []
    case = f"{d.case.number or '（未立案）'} {d.case.cause}"
    url = d.get_absolute_url()
    other = f"管辖争议：{d.raised_by_agency.name}就案件“{case}”与本机关发生管辖争议，已提请{d.office.name}协调指定管辖"
    office = (f"管辖争议：{d.raised_by_agency.name}与{d.other_agency.name}就案件“{case}”提请指定管辖，"
              f"请于{d.decision_due:%Y-%m-%d}前指定")
    body = f"争议事由及提请机关意见：{d.statement}"
    return ([(person, other, body, url) for person in _agency_heads(d.other_agency)]
            + [(person, office, body, url) for person in _nearest_supervisors(d.office.region)])


def _clue_notices(pk: int):
    from ..models import ClueReferral

    r = ClueReferral._base_manager.select_related("case").filter(pk=pk).first()
    if r is None:
        return []
    title = f"问题线索移送：案件“{r.case.number or '（未立案）'}”的一条问题线索指定您阅读"
    body = "内容仅限指定阅读人查阅，查阅将记入访问日志。"
    readers = r.readers.filter(is_active=True).exclude(pk=r.created_by_id).order_by("pk")
    return [(person, title, body, r.get_absolute_url()) for person in readers]


def recipients(event: str, pk: int) -> list[tuple]:
    """``(person, title, body, url)`` for each person to tell about ``event`` on row ``pk``."""
    if event.startswith("transfer_"):
        return _transfer_notices(event, pk)
    if event == "dispute_raised":
        return _dispute_notices(pk)
    if event == "clue_referred":
        return _clue_notices(pk)
    raise ValueError(f"unknown coordination event: {event}")


def send_notices(event: str, pk: int) -> int:
    """Job ``coordination.notices``: tell every recipient of ``event`` once (idempotent); returns
    how many messages this run sent."""
    from zhifa.workspace.models import Message
    from zhifa.workspace.reminders import notify

    sent = 0
    seen = set()
    for person, title, body, url in recipients(event, pk):
        if person.pk in seen:
            continue
        seen.add(person.pk)
        if notify(person, kind=Message.NOTICE, event=f"coordination:{event}:{pk}", title=title, body=body, url=url):
            sent += 1
    return sent
