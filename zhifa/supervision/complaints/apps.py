"""Wiring of the complaints part of the supervision app, called from ``SupervisionConfig.ready``."""


def ready() -> None:
    from zhifa.cases.services.common import subscribe
    from zhifa.core import jobs
    from zhifa.records.services import register_stream_owner

    from ..models.complaints import Complaint
    from . import dashboard, problems, services  # noqa: F401  (workbench items; registers the problem models)

    def allowed(key, user, action):
        """A complaint's record is readable by whoever may see the complaint."""
        try:
            pk = int(key.split(":", 1)[1])
        except (IndexError, ValueError):
            return False
        return Complaint.objects.restrict(user, "view").filter(pk=pk).exists()

    def path(key):
        pk = int(key.split(":", 1)[1])
        row = Complaint._base_manager.filter(pk=pk).values_list("agency__tree_path", "region__path").first()
        return (row[0] or row[1]) if row else ""

    register_stream_owner("complaint", allowed, scope_path=path)
    for event in services.CASE_EVENTS:
        subscribe(event, services.on_case_event(event))
    jobs.register("supervision.complaint_reminders", "投诉举报催办与超期上报",
                  "zhifa.supervision.complaints.services.remind_and_escalate", daily_at="07:30")
