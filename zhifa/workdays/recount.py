"""Deadlines counted provisionally, recounted once the calendar covers their year.

A deadline that reaches a year whose holidays are not entered yet is counted without holidays
(Monday to Friday, natural days not moved) and stored marked as provisional ("日期待确认").
Each app that stores such deadlines registers one function here that recounts its own and
returns how many it changed; when an administrator enters a year's schedule (web page or API,
both through ``services.enter_schedule``) or changes a day, the job "workdays.recount" is enqueued
after the transaction commits and runs every registered function on the task queue (it also runs
daily, so a lost run is made up); the label goes everywhere at once.
"""

import logging
from collections.abc import Callable

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import CalendarYear

logger = logging.getLogger(__name__)

_RECOUNTERS: dict[str, tuple[str, Callable[[], int]]] = {}


def register(code: str, label: str, recount: Callable[[], int]) -> None:
    """Register ``recount()`` (returns the number of deadlines it changed) under ``code``;
    ``label`` names what it recounts in Chinese (e.g. "案件期限")."""
    _RECOUNTERS[code] = (label, recount)


def registered() -> dict[str, str]:
    """Code → Chinese label of every registered recount."""
    return {code: label for code, (label, _) in _RECOUNTERS.items()}


def recount_provisional_deadlines() -> dict[str, int]:
    """Run every registered recount; returns code → number of deadlines changed."""
    counts = {}
    for code, (_label, recount) in _RECOUNTERS.items():
        counts[code] = recount()
    if any(counts.values()):
        logger.info("recounted provisional deadlines: %s", counts)
    return counts


@receiver(post_save, sender=CalendarYear, dispatch_uid="workdays_recount_provisional_deadlines")
def _calendar_year_saved(sender, instance, **kwargs):
    if instance.complete:
        from zhifa.core import jobs

        jobs.enqueue_on_commit("workdays.recount")  # the job "workdays.recount" (zhifa/core/jobs.py)
