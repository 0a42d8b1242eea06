"""Set-based writing of many alerts at once (批量预警写入).

The first evaluation of the problem models over a province raises hundreds of thousands of
alerts, and a change of a threshold may close as many. Each alert gets its row and its own
hash-chained stream ``alert:<id>`` whose first event records the raise (the model, the object,
the facts) — every step of an alert is in that stream, verified like any record — written
set-based:

- ``raise_many`` writes each batch of 20,000 alerts with three ``COPY`` statements (alerts,
  streams, first events; ids drawn from each table's sequence in one query first), the rows
  built as plain values and each event hashed in a tight loop with the record's own canonical
  encoding (``records.event_canonical_bytes``), so ``verify`` proves these streams exactly like
  any other. The raise goes into the chained audit trail as one row per agency and evaluation
  (``audit_raised``: the model, the count and the alert ids) rather than a row per alert, which
  would only repeat the stream's first event.
- ``close_many`` closes alerts whose condition is gone: one ``UPDATE`` per batch, an
  "auto_closed" event in each stream, and in the audit trail one row per agency and run
  (``audit_closed``: the model, the reason, the count and the alert ids) — like the raise.
- ``insert_rows`` inserts model instances with ``COPY`` (``bulk_create`` on other databases,
  which also run ``raise_many`` through instances).
"""

from django.db import connections, router, transaction

from zhifa.core import audit, clock
from zhifa.core.models import ChangeLog
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


def _event(stream: Stream, kind: str, summary: str, payload: dict, when, actor_name: str = "") -> Event:
    event = Event(stream=stream, seq=stream.head_seq + 1, kind=kind, summary=summary[:300], actor=None,
                  actor_name=actor_name, time=when, payload=records._normalize(payload, "payload"), files=[],
                  prev_hash=stream.head_hash, algorithm=stream.algorithm)
    event.hash = records.compute_event_hash(event, stream.key)
    stream.head_seq, stream.head_hash = event.seq, event.hash
    return event


def _ids(connection, model, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [model._meta.db_table, model._meta.pk.column, count])
        return [row[0] for row in cursor.fetchall()]


def _template(model, **constants) -> tuple[list[str], list, dict[str, int]]:
    """The columns of ``model``'s table, a row of their values as ``COPY`` takes them (each
    field's default, JSON as text, overridden by ``constants``) and each attname's position:
    a writer copies the list and sets the few values that differ per row."""
    fields = list(model._meta.concrete_fields)
    row = []
    for f in fields:
        value = constants[f.attname] if f.attname in constants else None if f.primary_key else f.get_default()
        if f.get_internal_type() == "JSONField" and value is not None and not isinstance(value, str):
            value = records.canonical_json(value).decode()
        row.append(value)
    return [f.column for f in fields], row, {f.attname: i for i, f in enumerate(fields)}


def _copy_rows(connection, model, columns: list[str], rows) -> None:
    """``COPY`` value lists (in ``columns`` order) into ``model``'s table."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


_PLAIN = (str, int, bool, type(None))


def _facts(facts: dict) -> dict:
    """``records._normalize`` of a finding's facts, without its walk when they are already
    plain strings and numbers (what the checks build)."""
    for key, value in facts.items():
        if type(key) is not str or type(value) not in _PLAIN or (type(value) is str and "\x00" in value):
            return records._normalize(facts, "payload.facts")
    return facts


def raise_many(problem_model, findings: list) -> int:
    """Raise an alert for each finding with the "raised" event of its own stream, and record
    the raise in the audit trail (one row per agency: ``audit_raised``). Call inside a
    transaction; a concurrent run's duplicate fails the one-open-alert constraint and rolls the
    whole call back. Returns how many were raised.

    On PostgreSQL each batch is three ``COPY`` statements (alerts, streams, events) built in a
    tight loop over plain values: no model instance, no snapshot per alert; each event's hash
    is ``records.compute_event_hash``'s (``event_canonical_bytes`` with the record's hasher)."""
    connection = connections[router.db_for_write(Alert)]
    if connection.vendor != "postgresql":
        alerts = [_alert(problem_model, f) for f in findings]
        _raise_instances(problem_model, alerts)
        return len(alerts)
    findings = sorted(findings, key=lambda f: f.agency_id)  # each agency's alerts get consecutive ids
    algorithm = records.configured_algorithm()
    code, severity = problem_model.code, problem_model.severity
    prototype = records.new_hasher(algorithm)  # copied per event: H("" || content) of a first event
    prototype.update(b"")
    event_bytes, json_value, json_string = records.event_canonical_bytes, records._json_value, records._json_string
    code_text = json_string(code)
    raised_by = "系统（问题模型）"
    raised = {}
    for start in range(0, len(findings), BATCH):
        batch = findings[start:start + BATCH]
        now = clock.now()
        time_text = records._iso_time(now)
        alert_columns, alert_row, ai = _template(Alert, problem_model_id=problem_model.pk, severity=severity,
                                                 raised_at=now)
        stream_columns, stream_row, si = _template(Stream, head_seq=1, algorithm=algorithm, created=now)
        event_columns, event_row, ei = _template(Event, seq=1, kind="raised", actor_id=None, actor_name=raised_by,
                                                 time=now, files="[]", prev_hash="", algorithm=algorithm)
        a_id, a_type, a_object, a_agency, a_case, a_summary, a_facts = (
            ai["id"], ai["object_type"], ai["object_id"], ai["agency_id"], ai["case_id"], ai["summary"], ai["facts"])
        s_id, s_key, s_hash = si["id"], si["key"], si["head_hash"]
        e_id, e_stream, e_summary, e_payload, e_hash = (
            ei["id"], ei["stream_id"], ei["summary"], ei["payload"], ei["hash"])
        alerts, streams, events = [], [], []
        for pk, stream_id, event_id, f in zip(_ids(connection, Alert, len(batch)), _ids(connection, Stream, len(batch)),
                                              _ids(connection, Event, len(batch)), batch, strict=True):
            summary = f.summary[:300]
            facts = _facts(f.facts)
            target = f"{f.object_type}:{f.object_id}"
            payload = {"facts": facts, "model": code, "object": target}
            facts_text = json_value(facts)
            key = f"alert:{pk}"  # Alert.stream_key
            event_summary = f"预警：{summary}"[:300]
            hasher = prototype.copy()
            hasher.update(event_bytes(key, 1, "raised", event_summary, None, raised_by, time_text, "", None, None,
                                      payload, []))
            digest = hasher.hexdigest()
            row = alert_row.copy()
            row[a_id], row[a_type], row[a_object], row[a_agency], row[a_case], row[a_summary], row[a_facts] = (
                pk, f.object_type, f.object_id, f.agency_id, f.case_id, summary, facts_text)
            alerts.append(row)
            row = stream_row.copy()
            row[s_id], row[s_key], row[s_hash] = stream_id, key, digest
            streams.append(row)
            row = event_row.copy()
            row[e_id], row[e_stream], row[e_summary], row[e_payload], row[e_hash] = (
                event_id, stream_id, event_summary,
                f'{{"facts":{facts_text},"model":{code_text},"object":{json_string(target)}}}', digest)  # canonical
            events.append(row)
            raised.setdefault(f.agency_id, []).append(pk)
        _copy_rows(connection, Alert, alert_columns, alerts)
        _copy_rows(connection, Stream, stream_columns, streams)
        _copy_rows(connection, Event, event_columns, events)
    audit_raised(problem_model, raised)
    return len(findings)


def id_ranges(ids) -> list[list[int]]:
    """``[[first, last], …]``: sorted ids as runs of consecutive numbers."""
    ranges = []
    for pk in sorted(ids):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    return ranges


def audit_raised(problem_model, raised: dict[int, list[int]]) -> None:
    """The audit trail of one evaluation's raise: one chained ``ChangeLog`` row per agency
    (``create`` of 预警, scoped to the agency's tree path so that the agency's auditor sees it),
    listing the model, how many alerts and their ids (``alert_ids`` as ``[first, last]`` runs).
    Each alert's own raise — what was found and why — is the first event of its hash-chained
    stream ``alert:<id>``; a row per alert here would repeat it (and cost a third of the write)."""
    _audit_per_agency(problem_model, raised, action="create", note=f"问题模型 {problem_model.code} 预警",
                      what="预警")


def audit_closed(problem_model, closed: dict[int, list[int]], reason: str) -> None:
    """The audit trail of one run's automatic closing (自动办结): one chained ``ChangeLog`` row per
    agency (``update`` of 预警, scoped to the agency's tree path), naming the model, the reason,
    how many alerts and their ids (``alert_ids`` runs) and the state they were left in. Each
    alert's own "auto_closed" event, with the reason, is in its stream ``alert:<id>``."""
    _audit_per_agency(problem_model, closed, action="update", note=f"问题模型 {problem_model.code} 自动办结",
                      what="自动办结预警", extra={"reason": reason, "status": a.CLOSED, "auto_closed": True})


def _audit_per_agency(problem_model, ids_by_agency: dict[int, list[int]], *, action: str, note: str, what: str,
                      extra: dict | None = None) -> None:
    """One chained audit row per agency for a set-based write of its alerts ``ids_by_agency``."""
    if not ids_by_agency:
        return
    from django.contrib.contenttypes.models import ContentType

    from zhifa.orgs.models import Agency

    agencies = {pk: (name, path) for pk, name, path in
                Agency._base_manager.filter(pk__in=list(ids_by_agency)).values_list("pk", "name", "tree_path")}
    user, request_id = audit.current_actor_and_request()
    actor_name = (user.get_full_name() or user.username) if user else "系统"
    content_type = ContentType.objects.get_for_model(Alert)
    rows = []
    for agency_id, ids in sorted(ids_by_agency.items()):
        name, path = agencies.get(agency_id, ("", ""))
        rows.append(ChangeLog(
            actor=user, actor_name=actor_name, request_id=request_id, action=action, content_type=content_type,
            object_id="", object_repr=f"{problem_model.name}：{name}{what}{len(ids)}条"[:200], scope_path=path,
            after={"problem_model": problem_model.code, "agency_id": agency_id, "count": len(ids),
                   "alert_ids": id_ranges(ids), **(extra or {})},
            note=note))
    with transaction.atomic():
        ChangeLog.objects.bulk_create(rows, batch_size=1000)  # sealed into the audit chain first


def _alert(problem_model, f) -> Alert:
    return Alert(problem_model=problem_model, object_type=f.object_type, object_id=f.object_id, agency_id=f.agency_id,
                 case_id=f.case_id, summary=f.summary[:300], facts=f.facts, severity=problem_model.severity,
                 raised_at=clock.now())


def _raise_instances(problem_model, alerts: list[Alert]) -> None:
    """The same as ``raise_many`` through model instances and ``bulk_create`` (other databases)."""
    algorithm = records.configured_algorithm()
    raised = {}
    for start in range(0, len(alerts), BATCH):
        batch = alerts[start:start + BATCH]
        insert_rows(Alert, batch)
        for alert in batch:
            raised.setdefault(alert.agency_id, []).append(alert.pk)
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
    audit_raised(problem_model, raised)


def close_many(alert_ids: list[int], reason: str) -> int:
    """Close the open alerts ``alert_ids`` whose condition the model no longer finds: status,
    the reason recorded and an "auto_closed" event in each alert's stream; in the audit trail
    one row per agency (and problem model) for the whole call (``audit_closed``), however many
    batches it takes. Call inside a transaction."""
    closed = 0
    reason = reason[:300]
    by_model: dict = {}  # problem model → {agency id: [alert ids]}
    for start in range(0, len(alert_ids), BATCH):
        ids = alert_ids[start:start + BATCH]
        alerts = list(Alert.objects.select_for_update().filter(pk__in=ids, is_open=True)
                      .select_related("problem_model").order_by("pk"))
        if not alerts:
            continue
        now = clock.now()
        Alert.objects.filter(pk__in=[x.pk for x in alerts]).update(
            status=a.CLOSED, is_open=False, auto_closed=True, closed_at=now, close_reason=reason)
        for alert in alerts:
            by_model.setdefault(alert.problem_model, {}).setdefault(alert.agency_id, []).append(alert.pk)
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
    for problem_model, closed_by_agency in sorted(by_model.items(), key=lambda item: item[0].code):
        audit_closed(problem_model, closed_by_agency, reason)
    return closed
