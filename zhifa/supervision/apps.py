"""Enforcement supervision (行政执法监督)."""
from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """执法监督"""

    name = "zhifa.supervision"
    verbose_name = "执法监督"

    def ready(self):
        from zhifa.records.services import register_stream_owner

        from . import dashboard, signals  # noqa: F401  (workbench alerts; incremental problem models)
        from .models import Alert, SupervisionAction

        def owner(model):
            def allowed(key, user, action):
                """An alert's or action's record is visible to whoever may see it."""
                try:
                    pk = int(key.split(":", 1)[1])
                except (IndexError, ValueError):
                    return False
                return model.objects.restrict(user, "view").filter(pk=pk).exists()

            def path(key):
                pk = int(key.split(":", 1)[1])
                return model._base_manager.filter(pk=pk).values_list("agency__tree_path", flat=True).first() or ""

            return allowed, path

        for prefix, model in (("alert", Alert), ("supaction", SupervisionAction)):
            allowed, path = owner(model)
            register_stream_owner(prefix, allowed, scope_path=path)
