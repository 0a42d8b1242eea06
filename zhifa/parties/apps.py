from django.apps import AppConfig


class PartiesConfig(AppConfig):
    """当事人"""

    name = "zhifa.parties"
    verbose_name = "当事人"

    def ready(self):
        from . import dashboard, excel  # noqa: F401  (registers Excel specs and workbench cards)
