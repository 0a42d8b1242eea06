"""Wiring of grid dispatch, called from ``CoordinationConfig.ready``: the owner of the record streams
``grid:<id>``, the problem model of overdue tasks and the desk's to-do provider."""


def grid_stream_allowed(key, user, action):
    """A grid's record is visible to whoever may see the grid."""
    from .models import Grid

    try:
        pk = int(key.split(":", 1)[1])
    except (IndexError, ValueError):
        return False
    return Grid.objects.restrict(user, "change" if action == "change" else "view").filter(pk=pk).exists()


def grid_stream_path(key):
    """The organisation path of a grid's record (its township), for the access log."""
    from .models import Grid

    pk = int(key.split(":", 1)[1])
    return Grid._base_manager.filter(pk=pk).values_list("township__path", flat=True).first() or ""


def ready():
    from zhifa.records.services import register_stream_owner

    from . import problems, todos  # noqa: F401  (register the problem model and the to-do provider)

    register_stream_owner("grid", grid_stream_allowed, scope_path=grid_stream_path)
