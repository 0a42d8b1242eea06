"""Working-day calendar (工作日历): holidays and make-up working days, deadline arithmetic."""
from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    """工作日历"""

    name = "zhifa.workdays"
    verbose_name = "工作日历"

    def ready(self):
        from . import (  # noqa: F401  (cache invalidation and recount signals, workbench alert)
            dashboard,
            recount,
            services,
        )
