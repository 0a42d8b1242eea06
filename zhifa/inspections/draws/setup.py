"""Start-up of the draws part (called from ``InspectionsConfig.ready``): the owner of the record
streams ``draw:<id>``."""


def _draw_id(key: str) -> int:
    return int(key.split(":", 1)[1])


def draw_stream_allowed(key, user, action) -> bool:
    """A draw's record is readable by whoever may see the draw."""
    from zhifa.inspections.models import Draw

    try:
        return Draw.objects.restrict(user, "view").filter(pk=_draw_id(key)).exists()
    except ValueError:
        return False


def draw_stream_path(key) -> str:
    from zhifa.inspections.models import Draw

    return Draw._base_manager.filter(pk=_draw_id(key)).values_list("agency__tree_path", flat=True).first() or ""


def ready() -> None:
    from zhifa.records.services import register_stream_owner

    register_stream_owner("draw", draw_stream_allowed, scope_path=draw_stream_path)
