from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """Regions, agencies, units."""

    name = "zhifa.orgs"
    verbose_name = "组织机构"

    def ready(self):
        from . import dashboard, excel  # noqa: F401  (registers Excel specs and workbench cards)
