"""Reminders that reach people (到期提醒、超期升级、每日汇总), run by the task layer.

``run_reminders`` (job ``workspace.reminders``, hourly) reads every active person's to-dos
(``todos.todos_for``, the same list as their desk) and for each item with a deadline:

- **before** — when the deadline is at most ``lead_days`` working days away (the person's
  preference, default 2; ``zhifa.workdays``), a 到期提醒 to the person;
- **overdue** — once the deadline has passed, a 超期提醒 to the person;
- **escalation** — per object (a case's deadline is one event, whether it is on the desk as the
  officer's next step or as a head's approval), from the first working day after the deadline, to the head of the unit that
  handles it (承办机构负责人; the agency's heads when the unit has none), and after
  ``ZHIFA_ESCALATE_SUPERVISION_DAYS`` working days (default 3) to the supervisors (执法监督人员) of
  the nearest region above the agency that has any.

``send_daily_digest`` (job ``workspace.digest``, daily 07:30) sends each person who wants it one
汇总 of their open to-dos.

At most one message per event per person: each is recorded in ``Reminder``, unique on (event,
person, kind), and the event of an item is its key plus its deadline — a new deadline is a new
event, a second run of the job finds the reminder and sends nothing. Both jobs are idempotent.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction

from zhifa.accounts import roles
from zhifa.core import clock

from . import channels
from .models import Message, Preference, Reminder
from .todos import TodoItem, todos_for

logger = logging.getLogger(__name__)

DEFAULT_PREFERENCE = {"channels": [], "lead_days": 2, "digest": True, "gateway_id": ""}


def preference_of(user) -> Preference:
    """The person's preferences (an unsaved default when they never set any)."""
    pref = Preference.objects.filter(user=user).first()
    return pref if pref is not None else Preference(user=user, **DEFAULT_PREFERENCE)


def notify(user, *, kind: str, event: str, title: str, body: str = "", url: str = "",
           preference: Preference | None = None) -> Message | None:
    """Send ``user`` one message about ``event`` unless they already had one of this kind:
    the in-app message, and the person's other channels. Returns the message, or None."""
    if Reminder.objects.filter(event=event, user=user, kind=kind).exists():
        return None
    preference = preference or preference_of(user)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(event=event, user=user, kind=kind)
            message = Message.objects.create(user=user, kind=kind, title=title[:200], body=body, url=url)
            message.channels = channels.dispatch(message, preference)
            message.save(update_fields=["channels"])
            reminder.message = message
            reminder.save(update_fields=["message"])
    except IntegrityError:  # another worker sent it a moment ago
        return None
    return message


def working_days_until(today: datetime.date, deadline: datetime.date) -> int:
    """Working days from ``today`` to ``deadline`` (negative when passed); Monday–Friday where the
    holiday calendar of a year is not entered yet."""
    from zhifa.workdays.services import CalendarNotCovered, working_days_between

    try:
        return working_days_between(today, deadline)
    except CalendarNotCovered:
        sign, (a, b) = (1, (today, deadline)) if deadline >= today else (-1, (deadline, today))
        days = sum(1 for n in range(1, (b - a).days + 1) if (a + datetime.timedelta(days=n)).weekday() < 5)
        return sign * days


def _event(item: TodoItem) -> str:
    return f"{item.key}@{item.deadline:%Y-%m-%d}"


def _recipients_for_escalation(item: TodoItem, level: int):
    """Level 1: the unit's heads (or the agency's); level 2: the nearest supervisors above the agency."""
    from zhifa.accounts.models import User
    from zhifa.core.scoping import ancestor_paths, region_part
    from zhifa.orgs.models import Agency

    active = User.objects.filter(is_active=True)
    if level == 1:
        heads = list(active.filter(role=roles.UNIT_HEAD, unit_id=item.unit_id)) if item.unit_id else []
        if not heads and item.agency_id:
            heads = list(active.filter(role__in=(roles.AGENCY_HEAD, roles.UNIT_HEAD), agency_id=item.agency_id,
                                       unit__isnull=True))
        return heads
    path = Agency.objects.filter(pk=item.agency_id).values_list("tree_path", flat=True).first()
    if not path:
        return []
    for region_path in reversed(ancestor_paths(region_part(path))):
        supervisors = list(active.filter(role=roles.SUPERVISOR, region__path=region_path))
        if supervisors:
            return supervisors
    return []


def run_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Job ``workspace.reminders``: reminders before, at and after every deadline on every desk."""
    from zhifa.accounts.models import User

    today = today or clock.today()
    supervision_after = getattr(settings, "ZHIFA_ESCALATE_SUPERVISION_DAYS", 3)
    sent = {Message.REMINDER: 0, Message.OVERDUE: 0, Message.ESCALATION: 0}
    escalated: dict[str, TodoItem] = {}
    people = User.objects.filter(is_active=True).exclude(role__in=roles.THREE_ADMINS).order_by("pk")
    for user in people.iterator(chunk_size=200):
        preference = preference_of(user)
        for item in todos_for(user, today=today).items:
            if item.deadline is None:
                continue
            days = working_days_until(today, item.deadline)
            if item.deadline < today:
                text = f"{item.kind_label}：{item.title}已超过期限（{item.deadline:%Y-%m-%d}）"
                if notify(user, kind=Message.OVERDUE, event=_event(item), title=text, body=item.detail, url=item.url,
                          preference=preference):
                    sent[Message.OVERDUE] += 1
                escalated.setdefault(f"{item.subject or item.key}@{item.deadline:%Y-%m-%d}", item)
            elif days <= preference.lead_days:
                when = "今天到期" if item.deadline == today else f"将于{item.deadline:%Y-%m-%d}到期（还有{days}个工作日）"
                if notify(user, kind=Message.REMINDER, event=_event(item), title=f"{item.kind_label}：{item.title}{when}",
                          body=item.detail, url=item.url, preference=preference):
                    sent[Message.REMINDER] += 1
    for event, item in escalated.items():
        late = -working_days_until(today, item.deadline)
        levels = [1] + ([2] if late >= supervision_after else [])
        for level in levels if late >= 1 else []:
            who = "承办机构负责人" if level == 1 else "执法监督机构"
            for person in _recipients_for_escalation(item, level):
                title = f"超期升级（{who}）：{item.kind_label} {item.title}已超期{late}个工作日"
                if notify(person, kind=Message.ESCALATION, event=f"{event}#L{level}", title=title,
                          body=f"期限 {item.deadline:%Y-%m-%d}；{item.detail}", url=item.url):
                    sent[Message.ESCALATION] += 1
    return sent


def send_daily_digest(today: datetime.date | None = None) -> int:
    """Job ``workspace.digest``: one summary of open to-dos per person who wants it, once a day."""
    from zhifa.accounts.models import User

    today = today or clock.today()
    count = 0
    people = User.objects.filter(is_active=True).exclude(role__in=roles.THREE_ADMINS).order_by("pk")
    for user in people.iterator(chunk_size=200):
        preference = preference_of(user)
        if not preference.digest:
            continue
        desk = todos_for(user, today=today)
        if not desk.items:
            continue
        lines = [f"{c['label']} {c['count']}{'+' if c['more'] else ''}件" + (f"（超期{c['overdue']}件）" if c["overdue"] else "")
                 for c in desk.counts]
        urgent = [f"· {i.kind_label}：{i.title}（{i.deadline_text(today)}）" for i in desk.items[:10]]
        body = "；".join(lines) + "\n最紧急：\n" + "\n".join(urgent)
        title = f"{today:%Y年%m月%d日}待办汇总：共{desk.total}件" + (f"，超期{desk.overdue}件" if desk.overdue else "")
        if notify(user, kind=Message.DIGEST, event=f"digest:{today:%Y-%m-%d}", title=title, body=body, url="/",
                  preference=preference):
            count += 1
    return count
