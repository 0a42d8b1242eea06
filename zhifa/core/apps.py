from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared machinery (validators, scoping, audit trail, generic views, Excel)."""

    name = "zhifa.core"
    verbose_name = "公共"

    def ready(self):
        from . import audit  # noqa: F401  (connects the change-log signals)
