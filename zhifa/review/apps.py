"""Legal review of major decisions (重大执法决定法制审核) and collective discussion (集体讨论), REV-1 … REV-3."""
from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """法制审核"""

    name = "zhifa.review"
    verbose_name = "法制审核"

    def ready(self):
        from zhifa.cases.rules import register_gate
        from zhifa.workdays import recount

        from . import dashboard  # noqa: F401  (workbench cards and alerts)
        from .services import check_collective_discussion, check_legal_review, recount_provisional_deadlines

        # The hard gates: perform_transition (every path to a decision) calls them.
        register_gate("legal_review_passed", check_legal_review)
        register_gate("collective_discussion_held", check_collective_discussion)
        # Review deadlines counted before the year's holidays were entered are recounted then.
        recount.register("review", "法制审核期限", recount_provisional_deadlines)
