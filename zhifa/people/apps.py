"""Officers, certificates, training and staffing checks (ORG-4, ORG-5, ORG-6)."""
from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """执法人员"""

    name = "zhifa.people"
    verbose_name = "执法人员"

    def ready(self):
        from . import dashboard, excel  # noqa: F401  (registers Excel specs and workbench cards)
