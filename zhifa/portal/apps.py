"""The public portal (行政执法公示平台, PUB-1, PUB-2, PUB-5): who enforces what under which law,
officer verification by certificate QR code, and the freshness report of published content."""
from django.apps import AppConfig


class PortalConfig(AppConfig):
    """公示门户"""

    name = "zhifa.portal"
    verbose_name = "公示门户"

    def ready(self):
        from . import dashboard  # noqa: F401  (workbench alert)
