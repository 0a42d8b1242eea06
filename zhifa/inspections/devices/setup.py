"""Wiring of the equipment register at start-up (called from ``InspectionsConfig.ready``)."""


def ready() -> None:
    """Register the record stream, the problem models and the township device check."""
    from zhifa.people.services import register_township_check
    from zhifa.records.services import register_stream_owner

    from ..models.devices import DeviceRecord
    from . import problems  # noqa: F401  (registers the problem models)
    from .staffing import RULE_TEXT, extend_township_rows

    def record_stream_allowed(key, user, action):
        """A non-site record's stream is visible to whoever may see the record."""
        try:
            pk = int(key.split(":", 1)[1])
        except (IndexError, ValueError):
            return False
        return DeviceRecord.objects.restrict(user, "view").filter(pk=pk).exists()

    def record_stream_path(key):
        pk = int(key.split(":", 1)[1])
        return DeviceRecord._base_manager.filter(pk=pk).values_list("agency__tree_path", flat=True).first() or ""

    register_stream_owner("devrec", record_stream_allowed, scope_path=record_stream_path)
    register_township_check(RULE_TEXT, extend_township_rows)
