"""Figures of complaints the action-plan KPIs read (投诉举报数量下降30%、满意度≥95%, SUP-5).

Both count complaints by the region where the matter happened (``Complaint.region``) and the
calendar year in which they were received. System figures over a region's subtree: the caller
(the KPI computation) decides who may see them.
"""

from django.db.models import Count, Q

from ..models.complaints import SATISFIED_VALUES, Complaint


def _of(region_path: str, year: int):
    return Complaint._base_manager.filter(region__path__startswith=region_path or "/", received_on__year=year)


def complaints_per_year(region_path: str, year: int) -> int:
    """Complaints and tips received in ``year`` about matters in the region ``region_path`` (and below)."""
    return _of(region_path, year).count()


def satisfaction_rate(region_path: str, year: int) -> float | None:
    """Share (0–1) of the evaluated complaints of ``year`` rated 满意 or 基本满意; None if none was evaluated."""
    figures = _of(region_path, year).exclude(satisfaction="").aggregate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED_VALUES)))
    if not figures["rated"]:
        return None
    return figures["satisfied"] / figures["rated"]
