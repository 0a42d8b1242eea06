"""Coordination (协调衔接)."""
from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    """协调衔接"""

    name = "zhifa.coordination"
    verbose_name = "协调衔接"

    def ready(self):
        from zhifa.cases.rules import register_gate

        from . import problems  # noqa: F401  (registers the supervision problem models of this app)
        from .grid import setup as grid_setup

        grid_setup.ready()
        from .transfers import problems as transfer_problems  # noqa: F401  (案件移送、管辖争议的问题模型)
        from .transfers import todos  # noqa: F401  (desk to-dos: incoming transfers, disputes to decide)
        from .transfers.services import open_matters

        register_gate("jurisdiction_settled", lambda case: open_matters(case) or None)
        from zhifa.core import jobs

        jobs.register("coordination.notices", "案件移送、管辖争议、问题线索移送的协作通知",
                      "zhifa.coordination.transfers.notices.send_notices")
