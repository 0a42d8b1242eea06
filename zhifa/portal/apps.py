from django.apps import AppConfig


class PortalConfig(AppConfig):
    """公示门户"""

    name = "zhifa.portal"
    verbose_name = "公示门户"
