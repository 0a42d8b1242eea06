"""Legal review of major decisions (重大执法决定法制审核) and collective discussion (集体讨论), REV-1 … REV-3."""
from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """法制审核"""

    name = "zhifa.review"
    verbose_name = "法制审核"

    def ready(self):
        # An opinion's PDF is converted by a job after the commit: record it on the review then.
        from django.db.models.signals import post_save

        from zhifa.cases.models import CaseDocument
        from zhifa.cases.rules import register_gate
        from zhifa.workdays import recount

        from . import dashboard  # noqa: F401  (workbench cards and alerts)
        from .services import (
            check_collective_discussion,
            check_legal_review,
            record_converted_opinion_pdf,
            recount_provisional_deadlines,
        )

        post_save.connect(record_converted_opinion_pdf, sender=CaseDocument, dispatch_uid="review-opinion-pdf")
        # The hard gates: perform_transition (every path to a decision) calls them.
        register_gate("legal_review_passed", check_legal_review)
        register_gate("collective_discussion_held", check_collective_discussion)
        # Review deadlines counted before the year's holidays were entered are recounted then.
        recount.register("review", "法制审核期限", recount_provisional_deadlines)
