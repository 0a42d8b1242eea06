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

import json
from types import SimpleNamespace

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


def _namespace(model, **values) -> SimpleNamespace:
    """A row of ``model`` as plain attributes (every concrete field: its default unless given)."""
    row = {f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key}
    row.update(values)
    return SimpleNamespace(**row)


def _copy(connection, model, rows) -> None:
    """``COPY`` plain rows (``_namespace``; ``id`` set) into ``model``'s table."""
    fields = list(model._meta.concrete_fields)
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    names = [f.attname for f in fields]
    with connection.cursor() as cursor, \
            cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = row.__dict__
            copy.write_row([json.dumps(values[n], ensure_ascii=False) if n in json_fields and values[n] is not None
                            else values[n] for n in names])


def _ids(connection, model, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [model._meta.db_table, model._meta.pk.column, count])
        return [row[0] for row in cursor.fetchall()]


def raise_many(problem_model, findings: list) -> int:
    """Raise an alert for each finding, with its audit row and the "raised" event of its own
    stream. Call inside a transaction; a concurrent run's duplicate fails the one-open-alert
    constraint and rolls the whole call back. Returns how many were raised."""
    connection = connections[router.db_for_write(Alert)]
    if connection.vendor != "postgresql":
        alerts = [_alert(problem_model, f) for f in findings]
        _raise_instances(problem_model, alerts)
        return len(alerts)
    from django.contrib.contenttypes.models import ContentType

    from zhifa.orgs.models import Agency

    paths = dict(Agency._base_manager.filter(pk__in={f.agency_id for f in findings}).values_list("pk", "tree_path"))
    algorithm = records.configured_algorithm()
    content_type_id = ContentType.objects.get_for_model(Alert).pk
    user, request_id = audit.current_actor_and_request()
    actor_name = (user.get_full_name() or user.username) if user else "系统"
    note = f"问题模型 {problem_model.code} 预警"
    alert_defaults = {f.attname: f.get_default() for f in Alert._meta.concrete_fields}
    for start in range(0, len(findings), BATCH):
        batch = findings[start:start + BATCH]
        now = clock.now()
        alerts, logs, streams, events = [], [], [], []
        for pk, stream_id, event_id, f in zip(_ids(connection, Alert, len(batch)), _ids(connection, Stream, len(batch)),
                                              _ids(connection, Event, len(batch)), batch, strict=True):
            values = {**alert_defaults, "id": pk, "problem_model_id": problem_model.pk, "object_type": f.object_type,
                      "object_id": f.object_id, "agency_id": f.agency_id, "case_id": f.case_id,
                      "summary": f.summary[:300], "facts": f.facts, "severity": problem_model.severity,
                      "raised_at": now}
            alerts.append(SimpleNamespace(**values))
            logs.append(_namespace(ChangeLog, actor_id=user.pk if user else None, actor_name=actor_name,
                                   request_id=request_id, action="create", content_type_id=content_type_id,
                                   object_id=str(pk), object_repr=f"预警{pk}：{values['summary'][:40]}",
                                   after=audit.snapshot_values(Alert, values), note=note,
                                   scope_path=paths.get(f.agency_id, ""), time=None, hash=""))
            key = f"alert:{pk}"  # Alert.stream_key
            event = _namespace(Event, id=event_id, stream_id=stream_id, seq=1, kind="raised",
                               summary=f"预警：{values['summary']}"[:300], actor_id=None, actor_name="系统（问题模型）",
                               time=now, files=[], prev_hash="", algorithm=algorithm,
                               payload=records._normalize({"model": problem_model.code,
                                                           "object": f"{f.object_type}:{f.object_id}",
                                                           "facts": f.facts}, "payload"))
            event.hash = records.compute_event_hash(event, key)
            events.append(event)
            streams.append(_namespace(Stream, id=stream_id, key=key, head_seq=1, head_hash=event.hash,
                                      algorithm=algorithm, created=now))
        _copy(connection, Alert, alerts)
        with transaction.atomic():
            _seal(logs)
            for row, pk in zip(logs, _ids(connection, ChangeLog, len(logs)), strict=True):
                row.id = pk
            _copy(connection, ChangeLog, logs)
        _copy(connection, Stream, streams)
        _copy(connection, Event, events)
    return len(findings)


def _alert(problem_model, f) -> Alert:
    return Alert(problem_model=problem_model, object_type=f.object_type, object_id=f.object_id, agency_id=f.agency_id,
                 case_id=f.case_id, summary=f.summary[:300], facts=f.facts, severity=problem_model.severity,
                 raised_at=clock.now())


def _raise_instances(problem_model, alerts: list[Alert]) -> None:
    """The same as ``raise_many`` through model instances and ``bulk_create`` (other databases)."""
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
