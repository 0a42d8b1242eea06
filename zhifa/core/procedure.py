"""The shape of a procedure defined as data (程序), shared by every procedure of the platform:
the case procedures (``zhifa.cases.procedures``), the coercive measure and enforcement
procedures (``zhifa.cases.coercion.procedure``) and the inspection procedure
(``zhifa.inspections.acts.procedure``).

A procedure lists its stages (环节, with the statutory deadline that runs in each), the ways in
(``starts``) and its transitions: from which stages to which, which roles may make it, whether
it is a signed act, the requirements that must hold first and the documents it produces. One
definition drives the service's checks, the page's buttons and the flow chart the portal
publishes (``Procedure.flow``, drawn by ``cases/_flow_chart.html``).

Each app subclasses ``Procedure`` only to say where its requirement and deadline texts live
(``requirement_text`` / ``deadline_text``) — its rules module imports its procedure, so the texts
are looked up when the chart is drawn.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass

from zhifa.accounts import roles


@dataclass(frozen=True)
class Stage:
    """A stage (环节) of a procedure; ``deadline`` is a code of the app's deadline texts."""

    code: str
    name: str
    description: str
    deadline: str = ""
    final: bool = False


@dataclass(frozen=True)
class Transition:
    """A move between stages. ``sources`` is one stage code or several (解除 from 实施中 or from
    检测鉴定中); ``target`` may equal a source (延长期限) or be ``None`` (the stage stays: 补办审批)."""

    code: str
    name: str
    sources: tuple[str, ...] | str
    target: str | None
    roles: frozenset
    requires: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    signed: bool = True
    basis: str = ""

    def __post_init__(self):
        if isinstance(self.sources, str):
            object.__setattr__(self, "sources", (self.sources,))

    @property
    def source(self) -> str:
        """The first (for a case transition: the only) stage the transition leaves."""
        return self.sources[0]


@dataclass(frozen=True)
class Procedure(ABC):
    """A procedure: its stages, the ways in (``starts``) and its transitions."""

    code: str
    name: str
    basis: str
    stages: tuple[Stage, ...]
    transitions: tuple[Transition, ...]
    starts: tuple[Transition, ...] = ()
    initial: str = ""
    # whether the flow chart lists the ways in on the stage they lead to
    chart_starts: bool = False

    def stage(self, code: str) -> Stage:
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise KeyError(code)

    def transition(self, code: str) -> Transition:
        for transition in self.transitions + self.starts:
            if transition.code == code:
                return transition
        raise KeyError(code)

    def transitions_from(self, stage_code: str) -> list[Transition]:
        return [t for t in self.transitions if stage_code in t.sources]

    @abstractmethod
    def requirement_text(self, code: str) -> str:
        """The Chinese text of a requirement code (the app's ``REQUIREMENTS``); each app's procedure
        class says where its texts live."""

    @abstractmethod
    def deadline_text(self, code: str) -> str:
        """The Chinese text of a stage's deadline code ("" for none), from the app's own table."""

    def flow(self) -> list[dict]:
        """The flow chart: each stage with the transitions leaving it (and, with ``chart_starts``,
        the ways in leading to it), who may make each and what each requires."""
        role_names = dict(roles.ROLE_CHOICES)

        def row(t):
            return {
                "code": t.code, "name": t.name,
                "target": self.stage(t.target).name if t.target else "（环节不变）",
                "roles": [role_names[r] for r, _ in roles.ROLE_CHOICES if r in t.roles],
                "requires": [self.requirement_text(r) for r in t.requires],
                "basis": t.basis,
            }

        chart = []
        for stage in self.stages:
            ways_in = [row(t) for t in self.starts if t.target == stage.code] if self.chart_starts else []
            chart.append({
                "code": stage.code, "name": stage.name, "description": stage.description,
                "deadline": self.deadline_text(stage.deadline) if stage.deadline else "", "final": stage.final,
                "transitions": ways_in + [row(t) for t in self.transitions_from(stage.code)],
            })
        return chart
