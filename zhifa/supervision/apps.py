"""Enforcement supervision (行政执法监督)."""
from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """执法监督"""

    name = "zhifa.supervision"
    verbose_name = "执法监督"
