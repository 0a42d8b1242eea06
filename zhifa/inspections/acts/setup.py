"""Wiring of the inspection act, called from ``InspectionsConfig.ready``: the owner of the record
streams ``inspection:<id>`` and the problem models of inspections (registered with supervision)."""


def inspection_stream_allowed(key, user, action):
    """An inspection's record is visible to whoever may see the inspection."""
    from ..models.inspection import Inspection

    try:
        pk = int(key.split(":", 1)[1])
    except (IndexError, ValueError):
        return False
    return Inspection.objects.restrict(user, "change" if action == "change" else "view").filter(pk=pk).exists()


def inspection_stream_path(key):
    """The organisation path of an inspection's record (its leading agency), for the access log."""
    from ..models.inspection import Inspection

    pk = int(key.split(":", 1)[1])
    return Inspection._base_manager.filter(pk=pk).values_list("agency__tree_path", flat=True).first() or ""


def ready():
    from zhifa.core import jobs
    from zhifa.records.services import register_stream_owner

    jobs.register("inspections.convert_documents", "行政检查文书转换为PDF",
                  "zhifa.inspections.acts.services.convert_pending_documents")
    jobs.register("inspections.convert_sweep", "补转未生成PDF的行政检查文书",
                  "zhifa.inspections.acts.services.convert_stale_documents", every_minutes=10)

    from . import problems  # noqa: F401  (registers the inspection problem models)

    register_stream_owner("inspection", inspection_stream_allowed, scope_path=inspection_stream_path)
