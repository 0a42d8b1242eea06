"""Set-based writing of many alerts at once (批量预警写入).

The first evaluation of the problem models over a province raises hundreds of thousands of
alerts, and a change of a threshold may close as many. Each alert still gets everything a
single one gets — its row, its own hash-chained stream ``alert:<id>`` with the first (or
closing) event, and its audit row in the chained audit trail — but written set-based:

- ``insert_rows`` inserts model instances with PostgreSQL's ``COPY`` (the ids drawn from the
  table's sequence in one query first, so the rows can refer to each other); other databases
  use ``bulk_create``.
- ``raise_many`` / ``close_many`` write alerts, their streams, events and audit rows in a
  handful of statements per 20,000 alerts, never a statement per alert.

Events are hashed here with the record's own functions (``records.services``), so
``verify`` proves these streams exactly like any other; the audit rows are sealed into the
audit chain (one lock of its head per batch) before they are copied.
"""

from django.db import connections, router, transaction

from zhifa.core import audit, clock
from zhifa.core.models import ChangeLog, _seal
from zhifa.records import services as records
from zhifa.records.models import Event, Stream

from ..models import Alert
from ..models import alerts as a

BATCH = 20_000
COPY_THRESHOLD = 200  # fewer rows: bulk_create is as fast and simpler


def insert_rows(model, objs: list) -> None:
    """Insert ``objs`` (unsaved instances of ``model``), setting their primary keys."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or len(objs) < COPY_THRESHOLD:
        manager = ChangeLog.objects if model is ChangeLog else model._base_manager
        manager.bulk_create(objs, batch_size=2000)
        return
    opts = model._meta
    fields = list(opts.concrete_fields)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [opts.db_table, opts.pk.column, len(objs)])
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def _audit(instances, action: str, note: str, before=None) -> None:
    rows = audit.bulk_rows(instances, action, before=before, note=note)
    with transaction.atomic():
        _seal(rows)
        insert_rows(ChangeLog, rows)


def _event(stream: Stream, kind: str, summary: str, payload: dict, when, actor_name: str = "") -> Event:
    event = Event(stream=stream, seq=stream.head_seq + 1, kind=kind, summary=summary[:300], actor=None,
                  actor_name=actor_name, time=when, payload=records._normalize(payload, "payload"), files=[],
                  prev_hash=stream.head_hash, algorithm=stream.algorithm)
    event.hash = records.compute_event_hash(event, stream.key)
    stream.head_seq, stream.head_hash = event.seq, event.hash
    return event


def raise_many(problem_model, alerts: list[Alert]) -> list[Alert]:
    """Insert new alerts with their audit rows and the "raised" event of each one's stream.
    Call inside a transaction; a concurrent run's duplicate fails the constraint and rolls back."""
    from zhifa.orgs.models import Agency

    agencies = Agency._base_manager.in_bulk({alert.agency_id for alert in alerts})
    algorithm = records.configured_algorithm()
    for start in range(0, len(alerts), BATCH):
        batch = alerts[start:start + BATCH]
        insert_rows(Alert, batch)
        for alert in batch:  # the audit rows read each alert's agency path: no query per alert
            alert.problem_model = problem_model
            alert.agency = agencies[alert.agency_id]
        _audit(batch, "create", f"问题模型 {problem_model.code} 预警")
        now = clock.now()
        streams = [Stream(key=alert.stream_key, algorithm=algorithm, head_seq=0, head_hash="") for alert in batch]
        events = [
            _event(stream, "raised", f"预警：{alert.summary}",
                   {"model": problem_model.code, "object": f"{alert.object_type}:{alert.object_id}",
                    "facts": alert.facts}, now, "系统（问题模型）")
            for alert, stream in zip(batch, streams, strict=True)
        ]
        insert_rows(Stream, streams)
        for event, stream in zip(events, streams, strict=True):
            event.stream_id = stream.pk
        insert_rows(Event, events)
    return alerts


def close_many(alert_ids: list[int], reason: str) -> int:
    """Close the open alerts ``alert_ids`` whose condition the model no longer finds: status,
    the reason recorded, an audit row and an "auto_closed" event each. Call inside a transaction."""
    closed = 0
    reason = reason[:300]
    for start in range(0, len(alert_ids), BATCH):
        ids = alert_ids[start:start + BATCH]
        alerts = list(Alert.objects.select_for_update().filter(pk__in=ids, is_open=True)
                      .select_related("agency", "problem_model").order_by("pk"))
        if not alerts:
            continue
        before = [audit.snapshot(alert) for alert in alerts]
        now = clock.now()
        Alert.objects.filter(pk__in=[x.pk for x in alerts]).update(
            status=a.CLOSED, is_open=False, auto_closed=True, closed_at=now, close_reason=reason)
        for alert in alerts:
            alert.status, alert.is_open, alert.auto_closed = a.CLOSED, False, True
            alert.closed_at, alert.close_reason = now, reason
        _audit(alerts, "update", "", before=before)
        algorithm = records.configured_algorithm()
        streams = {s.key: s for s in Stream.objects.select_for_update().filter(key__in=[x.stream_key for x in alerts])}
        missing = [Stream(key=x.stream_key, algorithm=algorithm, head_seq=0, head_hash="")
                   for x in alerts if x.stream_key not in streams]
        insert_rows(Stream, missing)
        streams.update({s.key: s for s in missing})
        events = [_event(streams[x.stream_key], "auto_closed", reason, {}, now) for x in alerts]
        insert_rows(Event, events)
        Stream.objects.bulk_update([streams[x.stream_key] for x in alerts], ["head_seq", "head_hash"], batch_size=2000)
        closed += len(alerts)
    return closed
