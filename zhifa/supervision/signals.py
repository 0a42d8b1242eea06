"""Incremental evaluation: after a write that concerns a case commits, the problem models
triggered by that kind of row are re-run for that case only (``problems.run_for_cases``).

Switched off with ``settings.ZHIFA_PROBLEM_MODELS_INCREMENTAL = False`` (bulk loads set it);
a failure is logged and never undoes the write — the scheduled ``run_all`` catches up.
"""

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


def _pending():
    """The (label, case id) pairs to evaluate when the current transaction commits."""
    connection = transaction.get_connection()
    pending = getattr(connection, "_zhifa_problem_pending", None)
    if pending is None:
        pending = connection._zhifa_problem_pending = set()

        def run():
            from .problems import run_for_cases

            work = set(pending)
            pending.clear()
            connection._zhifa_problem_pending = None
            by_label = {}
            for label, case_id in work:
                by_label.setdefault(label, set()).add(case_id)
            for label, ids in by_label.items():
                try:
                    run_for_cases(ids, label)
                except Exception:  # noqa: BLE001 — never undo the user's write; the schedule catches up
                    logger.exception("incremental problem-model evaluation failed for %s %s", label, sorted(ids))

        transaction.on_commit(run)
    return pending


def _saved(sender, instance, raw=False, **kwargs):
    if raw or not enabled():
        return
    label, case_of = WATCHED[sender]
    case_id = case_of(instance)
    if case_id:
        _pending().add((label, case_id))


for _model in WATCHED:
    post_save.connect(_saved, sender=_model, dispatch_uid=f"supervision-problems-{_model._meta.label}")
