"""Incremental evaluation: after a write that concerns a case commits, the problem models
triggered by that kind of row are re-run for that case only (``problems.run_for_cases``).

Switched off with ``settings.ZHIFA_PROBLEM_MODELS_INCREMENTAL = False`` (bulk loads set it);
a failure is logged and never undoes the write — the scheduled ``run_all`` catches up.
"""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from zhifa.cases.models import Case, CaseOfficer, CoerciveMeasure, Evidence, Payment, Remedy
from zhifa.publicity.models import Publication, PublicationAction
from zhifa.review.models import CollectiveDiscussion, MajorFlag, Review

logger = logging.getLogger(__name__)

# model → (trigger label, how to get the case id from a row)
WATCHED = {
    Case: ("cases.Case", lambda row: row.pk),
    CaseOfficer: ("cases.Case", lambda row: row.case_id),
    Evidence: ("cases.Case", lambda row: row.case_id),
    CoerciveMeasure: ("cases.Case", lambda row: row.case_id),
    Payment: ("cases.Case", lambda row: row.case_id),
    Remedy: ("cases.Case", lambda row: row.case_id),
    Review: ("cases.Case", lambda row: row.case_id),
    MajorFlag: ("cases.Case", lambda row: row.case_id),
    CollectiveDiscussion: ("cases.Case", lambda row: row.case_id),
    Publication: ("publicity.Publication", lambda row: row.case_id),
    PublicationAction: ("publicity.Publication", lambda row: row.publication.case_id),
}


def enabled() -> bool:
    return getattr(settings, "ZHIFA_PROBLEM_MODELS_INCREMENTAL", True)


def _evaluate(label: str, case_id: int) -> None:
    from .problems import run_for_cases

    try:
        run_for_cases([case_id], label)
    except Exception:  # noqa: BLE001 — never undo the user's write; the schedule catches up
        logger.exception("incremental problem-model evaluation failed for %s %s", label, case_id)


def _saved(sender, instance, raw=False, **kwargs):
    if raw or not enabled():
        return
    label, case_of = WATCHED[sender]
    case_id = case_of(instance)
    if case_id:
        transaction.on_commit(functools.partial(_evaluate, label, case_id))


for _model in WATCHED:
    post_save.connect(_saved, sender=_model, dispatch_uid=f"supervision-problems-{_model._meta.label}")
