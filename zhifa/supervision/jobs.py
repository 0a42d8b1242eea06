"""Supervision's background jobs (后台任务) and the cockpit's alert panels, wired in ``apps.py``.

- "supervision.problem_models" (nightly): every enabled problem model over the whole tree, then
  reminders and 黄牌/红牌 escalation (``problems.run_all``); writes between runs are evaluated
  incrementally after they commit (``signals.py``).
- "supervision.cockpit_refresh" (every 10 minutes): the cockpit's dirty (agency, month) buckets;
  "supervision.cockpit_full" (nightly): every bucket again.
"""

from django.urls import reverse

from .alerts import metrics


def run_problem_models() -> dict:
    """Job "supervision.problem_models": idempotent; returns counts per model."""
    from .problems import run_all

    return {r.code: {"found": r.found, "raised": r.raised, "closed": r.closed} for r in run_all()}


def refresh_cockpit_dirty() -> int:
    """Job "supervision.cockpit_refresh": the buckets marked dirty since the last run."""
    from .cockpit.services import refresh_cockpit

    return refresh_cockpit()


def refresh_cockpit_full() -> int:
    """Job "supervision.cockpit_full": every bucket (nightly safety net)."""
    from .cockpit.services import refresh_cockpit

    return refresh_cockpit(full=True)


def cockpit_open_alerts(scope_path: str) -> dict[int, int]:
    """The cockpit's "open alerts" column: agency id → open alerts under ``scope_path``."""
    return {row["agency_id"]: row["open"] for row in metrics.open_alerts_by_agency(scope_path)}


def cockpit_alerts_by_model(scope_path: str) -> list[dict]:
    """The cockpit's "alerts by model" panel: open alerts per problem model, each linking to
    the alert list filtered by that model."""
    from .models import ProblemModel

    ids = dict(ProblemModel.objects.values_list("code", "pk"))
    url = reverse("supervision:alert_list")
    return [{"code": row["code"], "name": row["name"], "count": row["open"],
             "url": f"{url}?problem_model={ids[row['code']]}" if row["code"] in ids else url}
            for row in metrics.alerts_by_model(scope_path) if row["open"]]
