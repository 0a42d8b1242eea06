"""Figures of alerts for the supervisor's cockpit (驾驶舱), as plain dicts.

Both take the tree path of the part of the organisation to count (a supervisor's
``user_scope_path``); the caller decides that the user may see it. Two grouped queries each.
"""

from django.db.models import Count, Q

from ..models import Alert
from ..models import alerts as a


def open_alerts_by_agency(scope_path: str) -> list[dict]:
    """Open alerts per agency under ``scope_path``: ``[{"agency_id", "agency", "open", "overdue_cards",
    "red", "yellow"}]``, most open first."""
    rows = (Alert.objects.filter(is_open=True, agency__tree_path__startswith=scope_path)
            .values("agency_id", "agency__name")
            .annotate(open=Count("id"), red=Count("id", filter=Q(card="red")),
                      yellow=Count("id", filter=Q(card="yellow")))
            .order_by("-open", "agency__name"))
    return [{"agency_id": r["agency_id"], "agency": r["agency__name"], "open": r["open"], "red": r["red"],
             "yellow": r["yellow"]} for r in rows]


def alerts_by_model(scope_path: str) -> list[dict]:
    """Alerts per problem model under ``scope_path``: ``[{"code", "name", "category", "open",
    "closed", "dismissed", "auto_closed"}]``, most open first."""
    rows = (Alert.objects.filter(agency__tree_path__startswith=scope_path)
            .values("problem_model__code", "problem_model__name", "problem_model__category")
            .annotate(open=Count("id", filter=Q(is_open=True)), closed=Count("id", filter=Q(status=a.CLOSED)),
                      dismissed=Count("id", filter=Q(status=a.DISMISSED)),
                      auto_closed=Count("id", filter=Q(auto_closed=True)))
            .order_by("-open", "problem_model__code"))
    return [{"code": r["problem_model__code"], "name": r["problem_model__name"],
             "category": r["problem_model__category"], "open": r["open"], "closed": r["closed"],
             "dismissed": r["dismissed"], "auto_closed": r["auto_closed"]} for r in rows]
