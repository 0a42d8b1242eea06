"""Handling assistance (办案辅助)."""
from django.apps import AppConfig


class InsightConfig(AppConfig):
    """办案辅助"""

    name = "zhifa.insight"
    verbose_name = "办案辅助"
