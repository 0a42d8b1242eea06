"""The statutory numbers of publicity, in one place.

- Publication deadline: **7 working days** for 行政处罚 and 行政许可 decisions (国办发〔2018〕118号
  §六), **20 working days** for other decisions (政府信息公开条例第二十六条). Deployments may
  override per kind with the setting ``ZHIFA_PUBLICATION_DEADLINES`` (e.g. a sector rule).
- Withdrawal or annotation: **3 working days** after the decision was revoked, changed or
  declared unlawful or void (行政处罚法第四十八条第二款).
- Publication period (市场监管行政处罚信息公示规定第十四条): penalty decisions that consist
  only of a warning or public criticism are shown for **3 months**, other penalty decisions
  for **3 years**; other kinds stay public.
"""

import datetime

from django.conf import settings

from zhifa.catalog import choices as catalog_choices
from zhifa.workdays.services import working_deadline

from . import choices

DEFAULT_DEADLINE_WORKING_DAYS = 20
DEADLINE_WORKING_DAYS = {choices.PENALTY: 7, choices.LICENSE: 7}
WITHDRAWAL_WORKING_DAYS = 3
SHORT_PERIOD_MONTHS = 3
LONG_PERIOD_YEARS = 3
SHORT_PERIOD_PENALTIES = frozenset({catalog_choices.WARNING, catalog_choices.CRITICISM})


def deadline_days(kind: str) -> int:
    configured = getattr(settings, "ZHIFA_PUBLICATION_DEADLINES", {}) or {}
    if kind in configured:
        return int(configured[kind])
    return DEADLINE_WORKING_DAYS.get(kind, DEFAULT_DEADLINE_WORKING_DAYS)


def publication_due(kind: str, decided_on: datetime.date) -> tuple[datetime.date, bool]:
    """(deadline, provisional): the last day to publish a decision of ``kind``."""
    return working_deadline(decided_on, deadline_days(kind))


def withdrawal_due(occurred_on: datetime.date) -> tuple[datetime.date, bool]:
    """(deadline, provisional) for withdrawing or annotating a published decision."""
    return working_deadline(occurred_on, WITHDRAWAL_WORKING_DAYS)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in range(day.day, 27, -1):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    return datetime.date(year, month, min(day.day, 28))


def public_until(kind: str, penalty_kinds, published_on: datetime.date) -> datetime.date | None:
    """The last day a decision stays on the portal (None: no end)."""
    if kind != choices.PENALTY:
        return None
    kinds = set(penalty_kinds or ())
    if kinds and kinds <= SHORT_PERIOD_PENALTIES:
        return _add_months(published_on, SHORT_PERIOD_MONTHS)
    return _add_months(published_on, 12 * LONG_PERIOD_YEARS)
