"""Inspections (行政检查)."""
from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """行政检查"""

    name = "zhifa.inspections"
    verbose_name = "行政检查"

    def ready(self):
        from .devices.setup import ready as devices_ready

        devices_ready()
