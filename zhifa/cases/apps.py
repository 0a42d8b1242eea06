from django.apps import AppConfig


class CasesConfig(AppConfig):
    """案件办理"""

    name = "zhifa.cases"
    verbose_name = "案件办理"

    def ready(self):
        from zhifa.records.services import register_stream_owner

        from . import dashboard  # noqa: F401  (workbench cards and alerts)
        from .models import Case

        def case_stream_allowed(key, user, action):
            """A case's record is visible to whoever may see the case."""
            try:
                pk = int(key.split(":", 1)[1])
            except (IndexError, ValueError):
                return False
            return Case.objects.restrict(user, "change" if action == "change" else "view").filter(pk=pk).exists()

        register_stream_owner("case", case_stream_allowed)

        # Case deadlines stored as provisional ("日期待确认") are recounted when a year is entered.
        from zhifa.workdays import recount

        from .services import recount_provisional_deadlines

        recount.register("cases", "案件期限", recount_provisional_deadlines)
