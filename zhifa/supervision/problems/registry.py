"""The problem-model registry (问题模型登记): each model's check is a named query.

A check is registered once, with the defaults of its ``ProblemModel`` row::

    @register("CASE_SERVICE_OVERDUE", name="决定书送达超期", category="办案期限", target="case",
              legal_basis="《中华人民共和国行政处罚法》第六十一条", params={"working_days": 7},
              triggers=("cases.Case",))
    def service_overdue(ctx):
        ...  # one set-based query; yields Finding rows

``ctx`` (``CheckContext``) gives the day of the evaluation, the model's effective thresholds,
and the part of the organisation tree and the cases to look at. A check yields one
``Finding`` per flagged object with the facts that explain it. Later apps (inspections,
complaints) register their own models the same way, from their ``AppConfig.ready``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q


@dataclass
class Finding:
    """One object a check flags, the agency answerable for it and why (the facts, in Chinese)."""

    object_type: str
    object_id: int
    agency_id: int
    summary: str
    facts: dict = field(default_factory=dict)
    case_id: int | None = None


@dataclass
class CheckContext:
    """What a check looks at: ``today``, the thresholds (``params``), the agencies (tree paths
    ``paths`` minus ``excluded``; ``[""]`` is everything) and, for an incremental run after a
    write, the cases concerned (``case_ids``; None = all)."""

    today: date
    params: dict
    paths: list[str] = field(default_factory=lambda: [""])
    excluded: list[str] = field(default_factory=list)
    case_ids: frozenset | None = None

    def agency_q(self, lookup: str = "agency") -> Q:
        """The filter keeping rows whose agency (through ``lookup``; "" for agencies themselves)
        lies in this evaluation's part of the tree."""
        field = f"{lookup}__tree_path__startswith" if lookup else "tree_path__startswith"
        q = Q()
        if self.paths != [""]:
            for path in self.paths:
                q |= Q(**{field: path})
        for path in self.excluded:
            q &= ~Q(**{field: path})
        return q

    def cases_q(self, lookup: str = "case") -> Q:
        """The filter keeping rows of the cases concerned (everything on a full run)."""
        if self.case_ids is None:
            return Q()
        return Q(**{f"{lookup}__in" if lookup != "pk" else "pk__in": self.case_ids})


@dataclass
class Check:
    """A registered problem model: its defaults and its query."""

    code: str
    name: str
    category: str
    legal_basis: str
    target: str
    func: Callable[[CheckContext], Iterable[Finding]]
    params: dict = field(default_factory=dict)
    severity: str = "medium"
    recipient: str = "agency"
    description: str = ""
    triggers: tuple[str, ...] = ()

    @property
    def incremental(self) -> bool:
        """Whether the model is re-run for one case after a write that concerns it."""
        return bool(self.triggers)


REGISTRY: dict[str, Check] = {}


def register(code: str, *, name: str, category: str, legal_basis: str, target: str, params: dict | None = None,
             severity: str = "medium", recipient: str = "agency", description: str = "",
             triggers: tuple[str, ...] = ()):
    """Register the decorated function as the check of problem model ``code``."""

    def decorate(func):
        if code in REGISTRY and REGISTRY[code].func is not func:
            raise ValueError(f"问题模型编码重复：{code}")
        REGISTRY[code] = Check(code=code, name=name, category=category, legal_basis=legal_basis, target=target,
                               func=func, params=dict(params or {}), severity=severity, recipient=recipient,
                               description=description or (func.__doc__ or "").strip(), triggers=tuple(triggers))
        return func

    return decorate


def get_check(code: str) -> Check:
    """The registered check of ``code``; ``KeyError`` in Chinese when unknown."""
    try:
        return REGISTRY[code]
    except KeyError:
        raise KeyError(f"未登记的问题模型：{code}") from None


def checks_triggered_by(label: str) -> list[Check]:
    """Checks to re-run after a write to model ``label`` (``"cases.Case"``)."""
    return [check for check in REGISTRY.values() if label in check.triggers]
