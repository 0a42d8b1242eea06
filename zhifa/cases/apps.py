from django.apps import AppConfig


class CasesConfig(AppConfig):
    """案件办理"""

    name = "zhifa.cases"
    verbose_name = "案件办理"

    def ready(self):
        from zhifa.records.services import register_stream_owner

        from . import (
            dashboard,  # noqa: F401  (workbench cards and alerts)
            search,  # noqa: F401  (the SQLite search index is repaired after every migrate)
            signals,
        )
        from .models import Case

        def case_stream_allowed(key, user, action):
            """A case's record is visible to whoever may see the case."""
            try:
                pk = int(key.split(":", 1)[1])
            except (IndexError, ValueError):
                return False
            return Case.objects.restrict(user, "change" if action == "change" else "view").filter(pk=pk).exists()

        def case_stream_path(key):
            """The organisation path of a case's record (its agency), for the access log's scope."""
            pk = int(key.split(":", 1)[1])
            return Case._base_manager.filter(pk=pk).values_list("agency__tree_path", flat=True).first() or ""

        register_stream_owner("case", case_stream_allowed, scope_path=case_stream_path)

        # Case deadlines stored as provisional ("日期待确认") are recounted when a year is entered.
        from zhifa.workdays import recount

        from .services import recount_provisional_deadlines

        recount.register("cases", "案件期限", recount_provisional_deadlines)

        signals.connect()  # a party's rename reaches its cases' search text
        from .coercion.services import recount_provisional_expiries

        recount.register("coercion", "行政强制措施期限和催告期限", recount_provisional_expiries)
