"""Figures of complaints the action-plan KPIs read (执法问题有效投诉件数下降30%、满意度≥95%, SUP-5).

Both count complaints by the region where the matter happened (``Complaint.region``) and the
calendar year in which they were received. System figures over a region's subtree: the caller
(the KPI computation) decides who may see them.
"""

from django.db.models import Count, Q

from ..models.complaints import ENFORCEMENT, NO_CASE, SATISFIED_VALUES, Complaint


def _of(region_path: str, year: int):
    return Complaint._base_manager.filter(region__path__startswith=region_path or "/", received_on__year=year)


def complaints_per_year(region_path: str, year: int) -> int:
    """Complaints and tips received in ``year`` about matters in the region ``region_path`` (and below)."""
    return _of(region_path, year).count()


def enforcement_complaints_per_year(region_path: str, year: int) -> int:
    """Valid complaints about enforcement (执法问题有效投诉, the action plan's −30 % target) received in
    ``year`` in the region and below: complaints of the kind 对行政执法行为的投诉, less those the
    handling agency found unfounded (处理决定 不予立案 with its reason). Complaints and tips about
    enterprises or persons are not complaints about enforcement and are not counted."""
    return _of(region_path, year).filter(kind=ENFORCEMENT).exclude(decision=NO_CASE).count()


def satisfaction_rate(region_path: str, year: int) -> float | None:
    """Share (0–1) of the evaluated complaints of ``year`` rated 满意 or 基本满意; None if none was evaluated."""
    figures = _of(region_path, year).exclude(satisfaction="").aggregate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED_VALUES)))
    if not figures["rated"]:
        return None
    return figures["satisfied"] / figures["rated"]
