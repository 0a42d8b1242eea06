"""Handling limits of complaints (投诉举报办理时限), in working days, per source and region.

Defaults (a supervising bureau changes them for its region with ``DeadlineRule`` rows; the
nearest region's row wins):

- decide whether to open a case within **15 working days** of acceptance — the lead-checking
  limit of 《市场监督管理行政处罚程序规定》第十八条 (15 working days; +15 with approval);
- acknowledge (受理) within 7 working days (portal, calls, letters, visits) or 1 working day (a hotline
  work order, whose system expects a quick 签收) — configurable defaults, not statutory numbers;
- reply within 30 working days (15 for hotline work orders) of receipt — configurable defaults.

Working days come from ``zhifa.workdays`` (the first day is not counted; a year whose holidays
are not entered yet counts Monday–Friday provisionally).
"""

from dataclasses import dataclass

from zhifa.core.scoping import ancestor_paths
from zhifa.workdays.services import working_deadline

from ..models.complaints import HOTLINE_SOURCES, DeadlineRule


@dataclass(frozen=True)
class Limits:
    acknowledge_days: int
    decide_days: int
    reply_days: int
    region_path: str = ""  # "" = the platform default


def default_limits(source: str) -> Limits:
    if source in HOTLINE_SOURCES:
        return Limits(1, 15, 15)
    return Limits(7, 15, 30)


def limits_for(source: str, region) -> Limits:
    """The limits applying to a complaint of ``source`` in ``region`` (nearest rule wins)."""
    paths = ancestor_paths(region.path)
    rule = (DeadlineRule._base_manager.filter(source=source, region__path__in=paths)
            .select_related("region").order_by("-region__path").first())
    if rule is None:
        return default_limits(source)
    return Limits(rule.acknowledge_days, rule.decide_days, rule.reply_days, rule.region.path)


def due(start, days: int):
    """The date ``days`` working days after ``start``."""
    return working_deadline(start, days)[0]
