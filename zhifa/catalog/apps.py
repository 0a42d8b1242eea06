from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """事项清单: enforcement items, delegations, discretion benchmarks, the four lists."""

    name = "zhifa.catalog"
    verbose_name = "事项清单"

    def ready(self):
        from . import dashboard, excel  # noqa: F401  (registers Excel specs and workbench cards)
