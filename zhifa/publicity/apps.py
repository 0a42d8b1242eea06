from django.apps import AppConfig


class PublicityConfig(AppConfig):
    """行政执法公示"""

    name = "zhifa.publicity"
    verbose_name = "行政执法公示"

    def ready(self):
        from zhifa.cases.services import subscribe

        from . import (
            dashboard,  # noqa: F401  (workbench cards and alerts)
            services,
        )

        # Every decision opens its publication record in the transaction that decides.
        subscribe("transition:decide", services.open_for_case)
        subscribe("transition:decide_on_spot", services.open_for_case)
        subscribe("remedy_result", services.on_remedy_result)

        # Deadlines counted provisionally (year not in the calendar yet) are recounted once an
        # administrator enters that year's holidays.
        from zhifa.workdays import recount

        recount.register("publicity", "公示和撤回期限", services.recompute_provisional_deadlines)
