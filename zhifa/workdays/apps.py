from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    """工作日历"""

    name = "zhifa.workdays"
    verbose_name = "工作日历"
