"""Problem models (问题模型): the registry of checks, their rows, and the evaluation that turns
findings into alerts.

- ``registry.register`` names a check; ``checks`` holds the built-in ones (29 models).
- ``sync_models()`` creates the ``ProblemModel`` row of every registered check (defaults from
  the registry; rows already there keep what the supervising bureau changed).
- ``evaluate(code, scope=…, case_ids=…)`` runs one model: its effective thresholds per region
  (``RegionSetting``: the nearest region's row wins; a region may switch the model off),
  raises an alert for each new finding and closes, with the reason recorded, the open alerts
  whose condition is gone.
- ``run_all(scope=None)`` — the scheduled job (idempotent): every enabled model.
- ``run_for_cases(case_ids, label)`` — the incremental run after a write (``signals``).
"""

import logging
import time
from dataclasses import dataclass

from django.db import transaction

from zhifa.core import clock

from . import checks  # noqa: F401  (registers the built-in models)
from .registry import REGISTRY, CheckContext, Finding, checks_triggered_by, get_check, register

__all__ = ["REGISTRY", "CheckContext", "Finding", "evaluate", "register", "run_all", "run_for_cases", "sync_models"]

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    """Counts of one evaluation."""

    code: str
    found: int = 0
    raised: int = 0
    closed: int = 0
    seconds: float = 0.0


def sync_models() -> int:
    """Create the missing ``ProblemModel`` rows from the registry; returns how many were created."""
    from ..models import ProblemModel

    existing = set(ProblemModel.objects.values_list("code", flat=True))
    created = [
        ProblemModel(code=c.code, name=c.name, category=c.category, legal_basis=c.legal_basis, severity=c.severity,
                     recipient=c.recipient, target=c.target, params=c.params, description=c.description)
        for c in REGISTRY.values() if c.code not in existing
    ]
    ProblemModel.objects.bulk_create(created)
    return len(created)


def effective_runs(problem_model, scope: str = "") -> list[tuple[list[str], list[str], dict]]:
    """The evaluations a model needs within ``scope``: ``(paths, excluded, params)`` each —
    the default thresholds everywhere no region changed them, and each region's own below it.
    Regions that switched the model off are excluded and not evaluated."""
    from ..models import RegionSetting

    check = get_check(problem_model.code)
    defaults = {**check.params, **(problem_model.params or {})}
    settings = list(RegionSetting.objects.filter(problem_model=problem_model).values_list(
        "region__path", "enabled", "params"))
    settings.sort(key=lambda s: len(s[0]))
    runs = []
    nodes = [("", problem_model.enabled, {})] + settings
    for index, (path, enabled, params) in enumerate(nodes):
        # the params of this node: its own over those of its nearest ancestors
        merged = dict(defaults)
        for other_path, _, other_params in nodes[:index]:
            if path.startswith(other_path):
                merged.update(other_params or {})
        merged.update(params or {})
        if not enabled:
            continue
        deeper = [p for p, _, _ in settings if p != path and p.startswith(path)]
        if scope and not (scope.startswith(path) or path.startswith(scope)):
            continue
        if scope and any(scope.startswith(d) for d in deeper):
            continue  # the whole scope lies under a deeper region's own setting
        run_path = scope if scope.startswith(path) else path
        runs.append(([run_path], [d for d in deeper if not scope.startswith(d)], merged))
    return runs


def evaluate(code: str, *, scope: str = "", case_ids=None, today=None) -> RunResult:
    """Run problem model ``code`` over ``scope`` (a tree path; "" = everything), or over the
    cases ``case_ids`` only, and reconcile its alerts. Idempotent."""
    from ..alerts import services as alert_services
    from ..models import ProblemModel

    started = time.perf_counter()
    check = get_check(code)
    problem_model = ProblemModel.objects.filter(code=code).first()
    if problem_model is None:
        sync_models()
        problem_model = ProblemModel.objects.get(code=code)
    result = RunResult(code)
    today = today or clock.today()
    ids = frozenset(case_ids) if case_ids is not None else None
    for paths, excluded, params in effective_runs(problem_model, scope):
        ctx = CheckContext(today=today, params=params, paths=paths, excluded=excluded, case_ids=ids)
        findings = list(check.func(ctx))
        result.found += len(findings)
        with transaction.atomic():
            raised, closed = alert_services.reconcile(problem_model, findings, ctx)
        result.raised += raised
        result.closed += closed
    result.seconds = time.perf_counter() - started
    return result


def run_all(scope=None, *, today=None) -> list[RunResult]:
    """The scheduled evaluation of every enabled model (all of the tree, or ``scope``), then
    reminders and escalation of open alerts. Safe to run again at any time."""
    from ..alerts import services as alert_services

    sync_models()
    path = scope or ""
    results = [evaluate(code, scope=path, today=today) for code in REGISTRY]
    alert_services.remind_and_escalate(today=today)
    return results


def run_for_cases(case_ids, label: str) -> list[RunResult]:
    """Re-run the models concerned by a write to ``label`` (``"cases.Case"``) for those cases."""
    return [evaluate(check.code, case_ids=case_ids) for check in checks_triggered_by(label)]
