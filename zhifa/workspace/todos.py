"""The to-do registry (待办事项登记): one 待办 list per person, fed by every app.

An app (or a later capability) contributes its kind of work with one call, usually in its
``AppConfig.ready`` or a module imported from there::

    from zhifa.workspace.todos import TodoItem, register_provider

    def my_inspections(user):
        for ins in Inspection.objects.restrict(user).filter(inspector__user=user, done_on__isnull=True)[:LIMIT]:
            yield TodoItem(kind="inspection", title=f"检查 {ins.number}", url=ins.get_absolute_url(),
                           deadline=ins.due_on, key=f"inspection:{ins.pk}", agency_id=ins.agency_id)

    register_provider("inspection", "行政检查", my_inspections, area="inspections")

Rules for a provider (``docs/workspace.md``):

- it reads only through ``restrict(user, …)`` (the scoping helpers), so another agency's or
  county's work never appears;
- it runs a bounded number of queries (one or two, ``select_related`` for what a title needs)
  and returns at most ``LIMIT`` items, the most urgent first;
- each item links to the exact page where the work is done, and carries a stable ``key``
  (the event reminders are deduplicated on) and, where it has one, its ``deadline``.

``todos_for(user)`` merges every provider's items sorted by deadline (none last), with counts
per kind; ``done_for(user)`` is the person's 已办: their own recent actions from the audit log.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

LIMIT = 100  # items per provider; a kind with more shows "100+" and links to its full list

# Urgency levels (紧急程度), computed from the deadline unless the provider sets one.
OVERDUE, DUE_SOON, NORMAL = "overdue", "due_soon", "normal"
URGENCY_LABELS = {OVERDUE: "已超期", DUE_SOON: "即将到期", NORMAL: "正常"}
DUE_SOON_DAYS = 3


@dataclass
class TodoItem:
    """One thing a person must do (待办事项)."""

    kind: str  # the provider's kind, e.g. "case"
    title: str
    url: str  # the exact page where it is done
    deadline: datetime.date | None = None
    key: str = ""  # stable event key, e.g. "case:12:decide" (reminders are deduplicated on it)
    subject: str = ""  # the object the work is on, e.g. "case:12" (escalations are per object); default: key
    urgency: str = ""  # computed from the deadline when left empty
    detail: str = ""  # second line: what to do next, the party, …
    agency_id: int | None = None  # whose work it is: escalation goes to this agency's heads
    unit_id: int | None = None  # … and first to this unit's head
    kind_label: str = field(default="", compare=False)

    def days_left(self, today: datetime.date) -> int | None:
        return None if self.deadline is None else (self.deadline - today).days

    def deadline_text(self, today: datetime.date) -> str:
        days = self.days_left(today)
        if days is None:
            return "无期限"
        if days < 0:
            return f"已超期{-days}天"
        if days == 0:
            return "今天到期"
        return f"剩余{days}天"


@dataclass(frozen=True)
class Provider:
    """A registered source of to-dos."""

    kind: str
    label: str
    func: Callable[[object], Iterable[TodoItem]]
    area: str | None = None  # capability area the role must be able to view
    list_url: str = ""  # url name of the kind's full list (for "more")
    limit: int = LIMIT  # the provider returns at most this many; reaching it shows "N+"


_PROVIDERS: dict[str, Provider] = {}


def register_provider(kind: str, label: str, func: Callable, *, area: str | None = None,
                      list_url: str = "", limit: int = LIMIT) -> Provider:
    """Add (or replace) the provider of one kind of to-do."""
    provider = Provider(kind, label, func, area, list_url, limit)
    _PROVIDERS[kind] = provider
    return provider


def providers() -> list[Provider]:
    """Every registered provider, in registration order."""
    return list(_PROVIDERS.values())


def label_of(kind: str) -> str:
    provider = _PROVIDERS.get(kind)
    return provider.label if provider else kind


@dataclass
class Desk:
    """A person's to-dos: items sorted by deadline and counts per kind."""

    items: list[TodoItem]
    counts: list[dict]  # [{"kind", "label", "count", "more", "overdue"}]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.urgency == OVERDUE)


def _sort_key(item: TodoItem):
    return (item.deadline is None, item.deadline or datetime.date.max, item.kind, item.title)


def todos_for(user, *, today: datetime.date | None = None, kinds: Iterable[str] | None = None) -> Desk:
    """Every to-do of ``user`` from every provider whose area the role may view."""
    from zhifa.core import clock

    today = today or clock.today()
    wanted = set(kinds) if kinds is not None else None
    items: list[TodoItem] = []
    counts = []
    for provider in providers():
        if wanted is not None and provider.kind not in wanted:
            continue
        if provider.area and not user.has_capability(provider.area, "view"):
            continue
        batch = list(provider.func(user))[: provider.limit]
        for item in batch:
            item.kind_label = provider.label
            if not item.urgency:
                days = item.days_left(today)
                item.urgency = (NORMAL if days is None else OVERDUE if days < 0
                                else DUE_SOON if days <= DUE_SOON_DAYS else NORMAL)
        if batch:
            counts.append({"kind": provider.kind, "label": provider.label, "count": len(batch),
                           "more": len(batch) >= provider.limit,
                           "overdue": sum(1 for i in batch if i.urgency == OVERDUE)})
        items.extend(batch)
    items.sort(key=_sort_key)
    return Desk(items=items, counts=counts)


@dataclass
class DoneItem:
    """One thing the person did (已办): from the audit log."""

    time: datetime.datetime
    action: str
    what: str  # the kind of object, in Chinese
    title: str
    url: str


DONE_LIMIT = 30


def done_for(user, limit: int = DONE_LIMIT) -> list[DoneItem]:
    """The person's own latest changes (已办), newest first, from the audit trail: one query on
    the index ``core_changelog_actor_time`` (content types come from Django's cache)."""
    from django.contrib.contenttypes.models import ContentType

    from zhifa.core.models import ChangeLog

    rows = (ChangeLog.objects.filter(actor=user).exclude(action__in=ChangeLog.SECURITY_ACTIONS)
            .order_by("-time", "-id")
            .only("time", "action", "content_type_id", "object_id", "object_repr")[:limit])
    done = []
    for row in rows:
        content_type = ContentType.objects.get_for_id(row.content_type_id)
        model = content_type.model_class()
        done.append(DoneItem(time=row.time, action=row.get_action_display(),
                             what=str(model._meta.verbose_name) if model else content_type.model,
                             title=row.object_repr, url=_url_of(model, row.object_id)))
    return done


def _url_of(model, object_id: str) -> str:
    """The object's page when its address needs only its primary key (no query)."""
    if model is None or not hasattr(model, "get_absolute_url") or not str(object_id).isdigit():
        return ""
    try:
        return model(pk=int(object_id)).get_absolute_url()
    except Exception:  # noqa: BLE001  (an address that needs related rows: shown without link)
        return ""
