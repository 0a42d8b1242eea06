"""Inspections (行政检查)."""
from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """行政检查"""

    name = "zhifa.inspections"
    verbose_name = "行政检查"

    def ready(self):
        from .draws import setup as draws_setup

        draws_setup.ready()  # 双随机: record streams draw:<id>
        from .acts.setup import ready as acts_ready

        acts_ready()  # the inspection act: record stream, problem models, jobs
        from .devices.setup import ready as devices_ready

        devices_ready()
