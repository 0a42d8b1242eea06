from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    """统计年报"""

    name = "zhifa.statistics"
    label = "statistics"
    verbose_name = "统计年报"
