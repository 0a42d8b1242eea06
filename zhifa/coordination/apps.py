"""Coordination (协调衔接)."""
from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    """协调衔接"""

    name = "zhifa.coordination"
    verbose_name = "协调衔接"

    def ready(self):
        from . import problems  # noqa: F401  (registers the supervision problem models of this app)
        from .grid import setup as grid_setup

        grid_setup.ready()
