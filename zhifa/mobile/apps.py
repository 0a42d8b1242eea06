"""掌上执法"""

from django.apps import AppConfig


class MobileConfig(AppConfig):
    """掌上执法（离线采集与同步）"""

    name = "zhifa.mobile"
    verbose_name = "掌上执法"

    def ready(self):
        from . import todos  # noqa: F401  (the to-do provider of captures in conflict)
