"""Read replicas (只读副本) for the public portal and reports.

With ``ZHIFA_REPLICA_DATABASE_URL`` set, ``settings.DATABASES["replica"]`` is a PostgreSQL
streaming replica of the primary. ``ReplicaMiddleware`` marks GET/HEAD requests under
``ZHIFA_REPLICA_PATHS`` (default ``/public/`` and ``/api/public/``: the anonymous portal, its
statistics and open data, which tolerate a second of replication lag) and, within them,
``ReplicaRouter`` sends reads to the replica; every write, and every read of any other request,
goes to the primary ("default"). Code that wants the replica elsewhere (a report job) wraps
itself in ``replica_reads()``. Without a replica configured everything reads the primary.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_use_replica = contextvars.ContextVar("zhifa_replica_reads", default=False)


@contextmanager
def replica_reads():
    """Within this block, reads go to the replica when one is configured."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads inside ``replica_reads()`` to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        if _use_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica receives the schema by replication


class ReplicaMiddleware:
    """Serve GET/HEAD requests under ``settings.ZHIFA_REPLICA_PATHS`` from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        paths = tuple(getattr(settings, "ZHIFA_REPLICA_PATHS", ()))
        if request.method in ("GET", "HEAD") and paths and request.path.startswith(paths):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
