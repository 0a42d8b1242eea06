"""Enforcement supervision (行政执法监督)."""
from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """执法监督"""

    name = "zhifa.supervision"
    verbose_name = "执法监督"

    def ready(self):
        from zhifa.records.services import register_stream_owner

        from . import dashboard, signals  # noqa: F401  (workbench alerts; incremental problem models)
        from .models import Alert, SupervisionAction

        def owner(model):
            def allowed(key, user, action):
                """An alert's or action's record is visible to whoever may see it."""
                try:
                    pk = int(key.split(":", 1)[1])
                except (IndexError, ValueError):
                    return False
                return model.objects.restrict(user, "view").filter(pk=pk).exists()

            def path(key):
                pk = int(key.split(":", 1)[1])
                return model._base_manager.filter(pk=pk).values_list("agency__tree_path", flat=True).first() or ""

            return allowed, path

        for prefix, model in (("alert", Alert), ("supaction", SupervisionAction)):
            allowed, path = owner(model)
            register_stream_owner(prefix, allowed, scope_path=path)

        # The complaint list's Excel export, built by a worker when it is long (zhifa/core/exports.py).
        from zhifa.core.exports import register_list

        register_list("complaints", "投诉举报", rows="zhifa.supervision.complaints.exports.complaint_rows",
                      write="zhifa.supervision.complaints.exports.write_complaints")

        # Scheduled jobs on the task queue (zhifa/core/jobs.py) and the cockpit's alert panels.
        from zhifa.core import jobs as core_jobs

        from . import jobs
        from .cockpit.services import register_panel

        core_jobs.register("supervision.problem_models", "执法监督问题模型全量运行与预警催办",
                           "zhifa.supervision.jobs.run_problem_models", daily_at="02:15")
        core_jobs.register("supervision.cockpit_refresh", "监督驾驶舱增量汇总",
                           "zhifa.supervision.jobs.refresh_cockpit_dirty", every_minutes=10)
        core_jobs.register("supervision.cockpit_full", "监督驾驶舱全量汇总",
                           "zhifa.supervision.jobs.refresh_cockpit_full", daily_at="03:45")
        core_jobs.register("supervision.ledger_reminders", "工作任务台账到期提醒与逾期标记",
                           "zhifa.supervision.ledgers.services.remind_overdue", daily_at="06:30")
        from . import kpis
        from .ledgers import dashboard as _ledger_dashboard  # noqa: F401  (workbench: tasks due or overdue)
        from .ledgers import todos as _ledger_todos  # noqa: F401  (desk to-dos: reminders and escalation)

        register_panel("kpis", kpis.cockpit_panel)
        register_panel("open_alerts_by_agency", jobs.cockpit_open_alerts)
        register_panel("alerts_by_model", jobs.cockpit_alerts_by_model)

        # Complaints and tips (投诉举报, SUP-3): their record stream, problem models, the daily
        # reminders, and the outcome of a case opened from a complaint flowing back to it.
        from .complaints import apps as complaint_apps

        complaint_apps.ready()
