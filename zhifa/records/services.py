"""The one write path of the full-process record (执法全过程记录): append, verify, store files,
resumable uploads, access log, and the stream-owner registry.

Hash chain (REC-1)::

    hash(n) = H(prev_hash(n) || canonical_json(content(n)))      prev_hash(1) = ""

``canonical_json`` = ``json.dumps(obj, sort_keys=True, ensure_ascii=False,
separators=(",", ":"))`` encoded UTF-8; ``content`` is ``event_content``. ``H`` is SM3
(GB/T 32905) unless ``settings.ZHIFA_HASH_ALGORITHM = "sha256"``; each event records its
algorithm, so a chain stays verifiable after the setting changes. The same algorithm hashes
stored files (REC-2).

Who may read a stream is decided by the app that owns its key prefix: ``case:42`` is owned
by the cases app, which calls ``register_stream_owner("case", resolver)``. Unknown prefixes
are refused.
"""

import datetime
import fcntl
import hashlib
import ipaddress
import json
import math
import mimetypes
import os
import queue
import re
import tempfile
import threading
import time as time_module
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Context as DecimalContext
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path

import filetype
import orjson
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from zhifa.core import clock, filetypes
from zhifa.core.filetypes import FileTypeRefused

from . import chain_segments
from . import storage as object_storage
from .models import AccessLog, Event, StoredFile, Stream, Upload, object_name

CHUNK_SIZE = 1024 * 1024
ALGORITHMS = ("sm3", "sha256")
DEFAULT_UPLOAD_MAX_SIZE = 4 * 1024**3
STREAM_KEY = re.compile(r"^(?P<prefix>[a-z][a-z0-9_-]{0,29}):[^\s/]{1,69}$")
_COORD_QUANTUM = Decimal("0.000001")


# ---------------------------------------------------------------------------------------------
# Hashing
# ---------------------------------------------------------------------------------------------


def configured_algorithm() -> str:
    """The hash algorithm for new events and files: ``settings.ZHIFA_HASH_ALGORITHM`` (default SM3)."""
    name = str(getattr(settings, "ZHIFA_HASH_ALGORITHM", "sm3")).lower().replace("-", "")
    if name not in ALGORITHMS:
        raise ImproperlyConfigured(f"ZHIFA_HASH_ALGORITHM 应为 sm3 或 sha256，当前为 {name!r}。")
    return name


def new_hasher(algorithm: str):
    """A hashlib object for ``algorithm`` ("sm3" or "sha256")."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"不支持的哈希算法：{algorithm}")
    return hashlib.new(algorithm)


# ``json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)``
# builds exactly this encoder on every call; one instance saves that per event.
_CANONICAL_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_json_text = _CANONICAL_ENCODER.encode
# How that encoder writes a string (the C function of ``json.encoder``, without ASCII escaping).
_json_string = json.encoder.encode_basestring
if json.encoder.c_make_encoder is not None:
    # The C encoder that ``_CANONICAL_ENCODER.encode`` makes on every call, made once (without
    # the check for circular references: values read back from JSON columns have none).
    _make_chunks = json.encoder.c_make_encoder(
        None, _CANONICAL_ENCODER.default, _json_string, None, ":", ",", True, False, False)

    def _json_value(value) -> str:
        return "".join(_make_chunks(value, 0))
else:  # pragma: no cover - CPython always has the C encoder
    _json_value = _json_text


def _json_scalar(value) -> str:
    """The canonical encoding of None, an int or a str, without the encoder's set-up per call."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is str:
        return _json_string(value)
    if kind is int:
        return int.__repr__(value)
    return _json_text(value)


def canonical_json(value) -> bytes:
    """The canonical JSON encoding the chain hashes (sorted keys, no spaces, UTF-8)."""
    return _json_text(value).encode("utf-8")


def _iso_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _coord_text(value) -> str | None:
    return None if value is None else f"{Decimal(value):.6f}"


def event_content(event, stream_key: str) -> dict:
    """The fields of an event (or of a row with the same attribute names) that its hash covers."""
    return {
        "stream": stream_key,
        "seq": event.seq,
        "kind": event.kind,
        "summary": event.summary,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "time": _iso_time(event.time),
        "place": {
            "text": event.place_text,
            "latitude": _coord_text(event.latitude),
            "longitude": _coord_text(event.longitude),
        },
        "payload": event.payload,
        "files": event.files,
    }


def event_canonical_bytes(stream_key: str, seq: int, kind: str, summary: str, actor_id, actor_name: str,
                          time_text: str, place_text: str, latitude_text, longitude_text, payload, files) -> bytes:
    """``canonical_json(event_content(event, stream_key))``, written out for the one shape of
    an event's content (its keys in sorted order) so that appending and verifying a million
    events do not build and sort a dictionary per event: the strings go through the same
    string encoder and ``payload``/``files`` through the same canonical encoder, so the bytes
    are those of ``canonical_json`` (``test_chain`` compares them on crafted values).

    ``time_text`` is ``_iso_time(time)``, ``latitude_text``/``longitude_text`` are
    ``_coord_text(…)``; ``actor_id`` and ``seq`` are integers (or ``None`` for no actor)."""
    return (
        f'{{"actor":{_json_scalar(actor_id)},"actor_name":{_json_string(actor_name)},'
        f'"files":{"[]" if files == [] else _json_value(files)},'
        f'"kind":{_json_string(kind)},"payload":{_json_value(payload)},'
        f'"place":{{"latitude":{_json_scalar(latitude_text)},"longitude":{_json_scalar(longitude_text)},'
        f'"text":{_json_string(place_text)}}},"seq":{_json_scalar(seq)},"stream":{_json_string(stream_key)},'
        f'"summary":{_json_string(summary)},"time":{_json_string(time_text)}}}'
    ).encode()


def _event_bytes(event, stream_key: str) -> bytes:
    """``event_canonical_bytes`` of an ``Event`` (or a row with the same attribute names)."""
    return event_canonical_bytes(
        stream_key, event.seq, event.kind, event.summary, event.actor_id, event.actor_name, _iso_time(event.time),
        event.place_text, _coord_text(event.latitude), _coord_text(event.longitude), event.payload, event.files,
    )


def chain_hash(prev_hash: str, content: dict, algorithm: str) -> str:
    """One link of a hash chain: ``H(prev_hash || canonical_json(content))``."""
    hasher = new_hasher(algorithm)
    hasher.update(prev_hash.encode("ascii"))
    hasher.update(canonical_json(content))
    return hasher.hexdigest()


def compute_event_hash(event, stream_key: str, algorithm: str | None = None) -> str:
    """``H(prev_hash || canonical_json(event_content))`` with the event's own algorithm."""
    hasher = new_hasher(algorithm or event.algorithm)
    hasher.update(event.prev_hash.encode("ascii"))
    hasher.update(_event_bytes(event, stream_key))
    return hasher.hexdigest()


def _normalize(value, where: str):
    """A JSON value that reads back identically from SQLite and PostgreSQL (jsonb)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationError(f"记录内容“{where}”不能包含空字符。")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(f"记录内容“{where}”的数值无效。")
        if value == 0:
            return 0.0
        if "e" in repr(value):
            raise ValidationError(f"记录内容“{where}”的数值 {value!r} 过大或过小，请以字符串保存。")
        return value
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _normalize(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalize(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise ValidationError(f"记录内容“{where}”的类型 {type(value).__name__} 无法保存。")


def _coordinate(value, low: int, high: int, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(_COORD_QUANTUM)
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}格式无效：{value}") from None
    if not low <= number <= high:
        raise ValidationError(f"{label}超出范围：{value}")
    return number


def _user_name(user) -> str:
    if user is None:
        return ""
    return (getattr(user, "display_name", "") or user.get_full_name() or user.get_username())[:150]


# ---------------------------------------------------------------------------------------------
# Streams and their owners
# ---------------------------------------------------------------------------------------------

StreamResolver = Callable[[str, object, str], bool]
_OWNERS: dict[str, StreamResolver] = {}
_SCOPES: dict[str, Callable[[str], str]] = {}


class UnknownStreamPrefix(ValidationError):
    """A stream key whose prefix no app has registered (or a malformed key)."""

    def __init__(self, key: str):
        super().__init__(f"不支持的记录流：“{key}”。", code="unknown_stream")


def register_stream_owner(prefix: str, resolver: StreamResolver,
                          scope_path: Callable[[str], str] | None = None) -> None:
    """Let the app owning ``prefix`` decide who may read its streams.

    ``resolver(key, user, action) -> bool`` is called with the full key (``case:42``), the
    requesting user and the action ("view" for reading events, files and verification).
    ``scope_path(key) -> str`` gives the organisation path the stream belongs to; the access
    log stores it so that the audit administrator reads the log of their part of the tree.
    Call it from the owning app's ``AppConfig.ready``.
    """
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,29}", prefix):
        raise ValueError(f"invalid stream prefix {prefix!r}")
    _OWNERS[prefix] = resolver
    if scope_path is not None:
        _SCOPES[prefix] = scope_path
    else:
        _SCOPES.pop(prefix, None)


def stream_scope_path(key: str) -> str:
    """The organisation path of stream ``key`` as its owner says ("" when unknown)."""
    match = STREAM_KEY.match(key or "")
    finder = _SCOPES.get(match["prefix"]) if match else None
    if finder is None:
        return ""
    try:
        return (finder(key) or "")[:255]
    except (ValueError, LookupError):
        return ""


def stream_prefix(key: str) -> str:
    """The prefix of a well-formed stream key, or raise ``UnknownStreamPrefix``."""
    match = STREAM_KEY.match(key or "")
    if not match:
        raise UnknownStreamPrefix(key)
    return match["prefix"]


def may_access_stream(user, key: str, action: str = "view") -> bool:
    """Whether ``user`` may ``action`` the stream ``key``, as its owner's resolver says.

    Raises ``UnknownStreamPrefix`` for a prefix no app registered.
    """
    resolver = _OWNERS.get(stream_prefix(key))
    if resolver is None:
        raise UnknownStreamPrefix(key)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(resolver(key, user, action))


def lock_stream(stream_key: str, algorithm: str) -> Stream:
    """The stream row, created on first use and locked (``select_for_update``) until the
    surrounding transaction ends: the one way appends to any chain are serialised."""
    stream = Stream.objects.select_for_update().filter(key=stream_key).first()
    if stream is None:
        Stream.objects.get_or_create(key=stream_key, defaults={"algorithm": algorithm})
        stream = Stream.objects.select_for_update().get(key=stream_key)
    return stream


def append_event(
    stream_key: str,
    kind: str,
    summary: str,
    *,
    actor=None,
    payload: dict | None = None,
    place: dict | None = None,
    files: Iterable[StoredFile] = (),
    time: datetime.datetime | None = None,
) -> Event:
    """Append one event to ``stream_key`` (created on first use) and move the stream head.

    ``place`` is ``{"text": ..., "latitude": ..., "longitude": ...}`` (all optional);
    ``files`` are ``StoredFile`` rows (from ``store_file`` or a finished upload). The stream
    row is locked (``select_for_update``) so concurrent appends get consecutive numbers; call
    it inside the caller's transaction so the event commits or rolls back with the change it
    records.
    """
    stream_prefix(stream_key)
    if not kind or len(kind) > 40:
        raise ValidationError("记录类型不能为空且不超过40个字符。")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError("记录摘要不能为空。")
    if len(summary) > 300:
        raise ValidationError("记录摘要不能超过300个字符。")
    algorithm = configured_algorithm()
    place = place or {}
    when = time or clock.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    file_refs = []
    for stored in files:
        if not isinstance(stored, StoredFile) or stored.pk is None:
            raise ValidationError("附件必须是已存储的文件。")
        file_refs.append(stored.as_reference())
    event = Event(
        kind=kind,
        summary=summary,
        actor=actor,
        actor_name=_user_name(actor),
        time=when,
        place_text=str(place.get("text") or "")[:200],
        latitude=_coordinate(place.get("latitude", place.get("lat")), -90, 90, "纬度"),
        longitude=_coordinate(place.get("longitude", place.get("lng")), -180, 180, "经度"),
        payload=_normalize(payload or {}, "payload"),
        files=file_refs,
        algorithm=algorithm,
    )
    with transaction.atomic():
        stream = lock_stream(stream_key, algorithm)
        event.stream = stream
        event.seq = stream.head_seq + 1
        event.prev_hash = stream.head_hash
        event.hash = compute_event_hash(event, stream_key)
        event.save(force_insert=True)
        Stream.objects.filter(pk=stream.pk).update(head_seq=event.seq, head_hash=event.hash)
    return event


def events_for(stream_key: str):
    """The events of a stream in order (an empty queryset for a stream without events).

    No access check: callers decide (``may_access_stream`` or the owning app's scoping).
    """
    return Event.objects.filter(stream__key=stream_key).order_by("seq")


def stream_has_file(stream_key: str, digest: str) -> bool:
    """Whether an event of the stream refers to the stored file with hash ``digest``."""
    for refs in Event.objects.filter(stream__key=stream_key).values_list("files", flat=True):
        if any(isinstance(ref, dict) and ref.get("hash") == digest for ref in refs or ()):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    """Outcome of ``verify_stream``: ``ok`` and, if not, the first problem in Chinese.

    ``checkpoint`` is the number of the latest signed checkpoint that covers the stream;
    ``changed_since_checkpoint`` says that history signed there was rewritten (even if the
    chain itself was recomputed and is consistent again)."""

    stream_key: str
    ok: bool = True
    checked_events: int = 0
    checked_files: int = 0
    first_broken_seq: int | None = None
    problem: str = ""
    problems: list[str] = field(default_factory=list)
    head_seq: int = 0
    head_hash: str = ""
    seconds: float = 0.0
    events_per_second: float = 0.0
    checkpoint: int | None = None
    checkpoint_seq: int | None = None
    changed_since_checkpoint: bool = False

    def add(self, problem: str, seq: int | None = None) -> None:
        """Record a problem; the first one becomes ``problem``."""
        self.ok = False
        if len(self.problems) < 50:
            self.problems.append(problem)
        if not self.problem:
            self.problem = problem
        if seq is not None and (self.first_broken_seq is None or seq < self.first_broken_seq):
            self.first_broken_seq = seq

    @property
    def message(self) -> str:
        """One line for people: 校验通过 … or the first problem."""
        if self.ok:
            anchored = (f"与第 {self.checkpoint} 号签名检查点（第{self.checkpoint_seq}条）一致。"
                        if self.checkpoint else "")
            return (f"记录流 {self.stream_key} 校验通过：{self.checked_events} 条记录、"
                    f"{self.checked_files} 个文件，哈希链完整。{anchored}")
        more = f"（共发现 {len(self.problems)} 处问题）" if len(self.problems) > 1 else ""
        return f"记录流 {self.stream_key} 校验未通过：{self.problem}{more}"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["message"] = self.message
        return data


@dataclass
class ChainSource:
    """A hash chain whose links are rows of another table (not ``Event``), registered with
    ``register_chain``: the audit trail (``audit:changelog``) is one. ``rows(stream, lower,
    upper)`` yields the rows numbered ``lower``…``upper`` (each bound ``None`` for none) in ``seq`` order with ``seq``, ``prev_hash``, ``hash``, ``algorithm``;
    ``content(row, key)`` is what a link's hash covers; ``check(result)`` may add problems
    (e.g. rows left outside the chain)."""

    rows: Callable[[Stream], Iterable]
    content: Callable[[object, str], dict]
    check: Callable[[VerifyResult], None] | None = None


_CHAINS: dict[str, ChainSource] = {}


def register_chain(prefix: str, source: ChainSource) -> None:
    """Verify streams with this prefix against ``source`` instead of ``Event`` rows."""
    _CHAINS[prefix] = source


_VERIFY_FIELDS = ("seq", "prev_hash", "hash", "algorithm", "kind", "summary", "actor_id", "actor_name", "time",
                  "place_text", "latitude", "longitude", "payload", "files")
# Rows read per round trip (a server-side cursor on PostgreSQL, so memory stays flat).
VERIFY_CHUNK = 10_000
# How Django reads a DecimalField stored by SQLite (as a REAL) — the same digits as the ORM.
_SQLITE_DECIMAL = DecimalContext(prec=15).create_decimal_from_float
_COORD_CONTEXT = DecimalContext(prec=9)  # max_digits of the coordinate fields


def _raw_time_text(value) -> str:
    """``_iso_time`` of a time as ``_event_rows`` reads it: SQLite's text of the naive UTC
    time Django stores there (``2026-01-05 08:30:37[.000001]``), PostgreSQL's text already in
    that form, or a datetime."""
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}+00:00"
        if len(value) == 19 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}.000000+00:00"
        if len(value) == 32 and value.endswith("+00:00") and value[10] == "T":
            return value
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return _iso_time(value)


def _raw_coord_text(value) -> str | None:
    """``_coord_text`` of a coordinate as the driver returns it (Decimal, or SQLite's float)."""
    if value is None:
        return None
    if isinstance(value, str):  # PostgreSQL's text of numeric(9, 6): already six decimals
        return value
    if not isinstance(value, Decimal):
        value = _SQLITE_DECIMAL(value) if isinstance(value, float | int) else Decimal(value)
        value = value.quantize(_COORD_QUANTUM, context=_COORD_CONTEXT)
    return _coord_text(value)


def _raw_json(value):
    """A JSONField value as the driver returns it (its text on SQLite and, through Django's
    loader, on PostgreSQL), decoded as the ORM would."""
    if not isinstance(value, str):
        return value
    if value == "[]":
        return []
    if value == "{}":
        return {}
    try:
        return json.loads(value)
    except json.JSONDecodeError:  # as JSONField.from_db_value: the text itself (then hashed as such)
        return value


def _event_link_sql(connection, lower: bool = False, upper: bool = False) -> str:
    """The SELECT of ``_event_rows``: the columns of ``_VERIFY_FIELDS``, the time (and on
    PostgreSQL the coordinates) as text, so no driver or ORM conversion runs per row; with
    ``lower``/``upper``, only the links from/up to a number."""
    table = Event._meta.db_table
    columns = {f: connection.ops.quote_name(Event._meta.get_field(f.removesuffix("_id")).column)
               for f in _VERIFY_FIELDS}
    if connection.vendor == "postgresql":
        columns["time"] = f"""to_char({columns['time']} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
        columns["latitude"] = f"{columns['latitude']}::text"
        columns["longitude"] = f"{columns['longitude']}::text"
    elif connection.vendor == "sqlite":  # no declared type: the text, not Django's datetime converter
        columns["time"] = f"CAST({columns['time']} AS TEXT)"
    stream = connection.ops.quote_name(Event._meta.get_field("stream").column)
    seq = connection.ops.quote_name(Event._meta.get_field("seq").column)
    bounds = (f" AND {seq} >= %s" if lower else "") + (f" AND {seq} <= %s" if upper else "")
    return (f"SELECT {', '.join(columns.values())} FROM {connection.ops.quote_name(table)} "
            f"WHERE {stream} = %s{bounds} ORDER BY {columns['seq']}")


# The canonical bytes of an event as orjson writes them: the same as ``event_canonical_bytes``
# for every value a JSON column gives back (sorted keys, no spaces, UTF-8, the same escapes and
# the same shortest float text), 5–10 times quicker. Verification hashes these first and falls
# back to ``event_canonical_bytes`` for a link whose hash they do not match (``chain_segments.walk``).
_ORJSON_SORTED = orjson.OPT_SORT_KEYS
_orjson_dumps, _orjson_loads = orjson.dumps, orjson.loads


def _reference_event_bytes(key: str, row: tuple) -> bytes:
    """``event_canonical_bytes`` of a row of ``_event_link_sql``: the bytes that were hashed."""
    (seq, _prev, _digest, _algorithm, kind, summary, actor_id, actor_name, time, place_text, latitude,
     longitude, payload, files) = row
    return event_canonical_bytes(
        key, seq, kind, summary, actor_id, actor_name, _raw_time_text(time), place_text,
        _raw_coord_text(latitude), _raw_coord_text(longitude), _raw_json(payload), _raw_json(files))


def _quick_event_bytes(key: str, row: tuple, pg: bool) -> bytes:
    """The canonical bytes of a row of ``_event_link_sql`` as orjson writes them (those of
    ``_reference_event_bytes`` where orjson refuses a value)."""
    (seq, _prev, _digest, _algorithm, kind, summary, actor_id, actor_name, time, place_text, latitude,
     longitude, payload, files) = row
    if not pg:
        time = _raw_time_text(time)
        latitude, longitude = _raw_coord_text(latitude), _raw_coord_text(longitude)
    try:
        return _orjson_dumps(
            {"actor": actor_id, "actor_name": actor_name, "files": [] if files == "[]" else _orjson_loads(files),
             "kind": kind, "payload": _orjson_loads(payload), "seq": seq, "stream": key, "summary": summary,
             "time": time, "place": {"latitude": latitude, "longitude": longitude, "text": place_text}},
            option=_ORJSON_SORTED)
    except (TypeError, ValueError):  # orjson.JSONEncodeError (an integer beyond 64 bits), JSONDecodeError
        return _reference_event_bytes(key, row)


def _event_rows(stream: Stream, connection=None, lower: int | None = None, upper: int | None = None):
    """The rows of ``_event_link_sql`` for the stream's events in order (those numbered
    ``lower``…``upper`` if given): plain rows, no model instances, no per-field ORM
    conversion, read in chunks of ``VERIFY_CHUNK``."""
    connection = connection or connections[Event.objects.db_manager().db]
    params = [stream.pk] + [bound for bound in (lower, upper) if bound is not None]
    with connection.chunked_cursor() as cursor:  # server-side cursor on PostgreSQL
        cursor.execute(_event_link_sql(connection, lower is not None, upper is not None), params)
        while rows := cursor.fetchmany(VERIFY_CHUNK):
            yield from rows


def _walk_events(stream: Stream, anchor, lower: int | None = None, upper: int | None = None) -> chain_segments.Segment:
    """``chain_segments.walk`` written out for the stream's event rows (numbered
    ``lower``…``upper`` if given), without a tuple per link: a million links in one loop."""
    connection = connections[Event.objects.db_manager().db]
    key, pg = stream.key, connection.vendor == "postgresql"
    segment = chain_segments.Segment()
    anchor_seq = anchor[1] if anchor is not None else None
    by_name = chain_segments.hashers(ALGORITHMS)
    expected, prev_hash, checked = None, "", 0
    for row in _event_rows(stream, connection, lower, upper):
        seq, link_prev, digest, algorithm = row[0], row[1], row[2], row[3]
        if seq != expected or link_prev != prev_hash:
            segment.follow(seq, expected, link_prev, prev_hash)
        hasher = by_name.get(algorithm)
        if hasher is not None:
            copy = hasher.copy()
            copy.update(link_prev.encode("utf-8") + _quick_event_bytes(key, row, pg))
        if hasher is None or copy.hexdigest() != digest:
            segment.mismatch(seq, algorithm, hasher, link_prev, digest, partial(_reference_event_bytes, key), row)
        if seq == anchor_seq:
            segment.at_anchor(seq, digest, anchor)
        files = row[13]
        if files and files != "[]":
            segment.note_files(seq, _raw_json(files))
        checked += 1
        expected, prev_hash = seq + 1, digest
    return segment.close(checked, expected, prev_hash)


def _source_links(stream: Stream, source: "ChainSource", lower: int | None = None, upper: int | None = None):
    """The links of a registered ``ChainSource`` in the shape ``chain_segments.walk`` takes
    (``raw`` being the content, whose ``canonical_json`` is the reference)."""
    for row in source.rows(stream, lower, upper):
        content = source.content(row, stream.key)
        try:
            body = _orjson_dumps(content, option=_ORJSON_SORTED)
        except TypeError:
            body = canonical_json(content)
        yield row.seq, row.prev_hash, row.hash, row.algorithm, body, getattr(row, "files", None), content


# Streams this long or longer are verified by several processes at once (``verify_stream``),
# each over a range of at least half this many events.
VERIFY_PARALLEL_MIN = 50_000


def verify_workers() -> int:
    """Processes that verify one long stream: ``settings.ZHIFA_VERIFY_WORKERS`` (default: one
    per CPU)."""
    return int(getattr(settings, "ZHIFA_VERIFY_WORKERS", 0) or os.cpu_count() or 1)


def _parallel_parts(stream: Stream, workers: int | None) -> int:
    """How many processes verify ``stream``: 1 unless it is at least ``VERIFY_PARALLEL_MIN``
    links long and this process may fork readers that see what it sees — not inside a
    transaction (they would not see its rows), not on an in-memory SQLite database, not from
    a process with other threads (a threaded web worker: a fork copies locks other threads
    hold) or a daemon process (a job worker may not have children). ``workers`` given says
    how many at most, regardless of the length and the threads."""
    import multiprocessing

    connection = connections[Event.objects.db_manager().db]
    if connection.in_atomic_block or multiprocessing.current_process().daemon:
        return 1
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return 1
    if workers is None:
        if stream.head_seq < VERIFY_PARALLEL_MIN or threading.active_count() > 1:
            return 1
        workers = min(verify_workers(), stream.head_seq * 2 // VERIFY_PARALLEL_MIN)
    return max(1, min(workers, stream.head_seq))


def _walk(stream: Stream, anchor, lower: int | None = None, upper: int | None = None) -> chain_segments.Segment:
    """One segment of the stream — its links numbered ``lower``…``upper`` — walked."""
    source = _CHAINS.get(stream.prefix)
    if source is None:
        return _walk_events(stream, anchor, lower, upper)
    return chain_segments.walk(_source_links(stream, source, lower, upper), canonical_json, anchor, ALGORITHMS)


def _walk_in_fork(parent_pid: int, stream: Stream, lower, upper, anchor) -> chain_segments.Segment:
    """``_walk`` in a forked process: on connections of its own (the ones inherited belong
    to the parent, whose sockets they share: left untouched, never closed). Called in the
    parent process itself (tests), it walks on the parent's connections."""
    forked = os.getpid() != parent_pid
    if forked:
        for alias in connections:
            connections[alias] = connections.create_connection(alias)
    try:
        return _walk(stream, anchor, lower, upper)
    finally:
        if forked:
            connections.close_all()


def checkpoint_anchor(stream_key: str, checkpoint=None) -> tuple[int, int, str] | None:
    """``(checkpoint number, seq, hash)`` of the stream's head as signed in ``checkpoint``
    (default: the latest), or ``None`` if no checkpoint covers it yet."""
    from .models import Checkpoint, CheckpointHead

    if checkpoint is None:
        checkpoint = Checkpoint.objects.order_by("-number").first()
        if checkpoint is None:
            return None
    head = (CheckpointHead.objects.filter(stream_key=stream_key, checkpoint__number__lte=checkpoint.number)
            .order_by("-checkpoint__number").values_list("seq", "hash").first())
    return (checkpoint.number, head[0], head[1]) if head else None


def verify_stream(stream_key: str, *, check_files: bool = True, anchor="latest", workers: int | None = None) -> VerifyResult:
    """Recompute every hash of the stream in order, check that no number is missing and that
    the stored head matches the last event, then re-hash every stored file an event refers to.

    ``anchor`` is ``(checkpoint number, seq, hash)`` — by default the stream's head in the
    latest signed checkpoint — and the link at that ``seq`` must still carry that hash: an
    attacker who rewrites an event and recomputes every later hash passes the chain check
    but not this one. ``anchor=None`` skips it.
    """
    started = time_module.perf_counter()
    result = VerifyResult(stream_key)
    stream = Stream.objects.filter(key=stream_key).first()
    if anchor == "latest":
        anchor = checkpoint_anchor(stream_key)
    if anchor is not None:
        result.checkpoint, result.checkpoint_seq = anchor[0], anchor[1]
    if stream is None:
        if anchor is not None:
            result.changed_since_checkpoint = True
            result.add(f"自第 {anchor[0]} 号检查点以来被改动：记录流已不存在（签名时有 {anchor[1]} 条记录）", 1)
        result.seconds = time_module.perf_counter() - started
        return result
    result.head_seq, result.head_hash = stream.head_seq, stream.head_hash
    source = _CHAINS.get(stream.prefix)
    parts = _parallel_parts(stream, workers)
    if parts > 1:
        segments = chain_segments.in_processes(
            _walk_in_fork, [(os.getpid(), stream, lower, upper, anchor)
                            for lower, upper in chain_segments.seq_ranges(stream.head_seq, parts)])
    else:
        segments = [_walk(stream, anchor)]
    whole = chain_segments.stitch(segments, result.add)
    last, prev_hash, file_refs = whole.last_seq, whole.last_hash, whole.files
    result.checked_events = whole.checked
    if whole.anchor_changed:
        result.changed_since_checkpoint = True
    if anchor is not None and not whole.anchor_seen and anchor[1] > 0:
        result.changed_since_checkpoint = True
        result.add(f"自第 {anchor[0]} 号检查点以来被改动：签名时的第{anchor[1]}条记录已不存在", anchor[1])
    if stream.head_seq > last:
        missing = f"第{last + 1}条" if stream.head_seq == last + 1 else f"第{last + 1}至{stream.head_seq}条"
        result.add(f"{missing}记录缺失", last + 1)
    elif stream.head_seq < last:
        result.add(f"记录流头部登记为第{stream.head_seq}条，但存在第{last}条记录", stream.head_seq + 1)
    elif stream.head_hash != prev_hash:
        result.add(f"记录流头部哈希与第{last}条记录不符", last or None)
    if source is not None and source.check is not None:
        source.check(result)
    if check_files and file_refs:
        _verify_files(file_refs, result)
    result.seconds = time_module.perf_counter() - started
    result.events_per_second = result.checked_events / result.seconds if result.seconds else 0.0
    return result


def _verify_files(file_refs: dict[str, tuple[int, dict]], result: VerifyResult) -> None:
    stored = {f.hash: f for f in StoredFile.objects.filter(hash__in=list(file_refs))}
    for digest, (seq, ref) in file_refs.items():
        name = ref.get("name", "")
        where = f"（{name}，第{seq}条记录登记）"
        row = stored.get(digest)
        if row is None or not default_storage.exists(row.storage_name):
            result.add(f"文件 {digest} 缺失{where}", seq)
            continue
        result.checked_files += 1
        if rehash(row) != digest or default_storage.size(row.storage_name) != row.size:
            result.add(f"文件 {digest} 的内容与登记的哈希不符{where}", seq)


# ---------------------------------------------------------------------------------------------
# Content-addressed files (REC-2)
# ---------------------------------------------------------------------------------------------


def upload_temp_dir() -> Path:
    """Directory of temporary and partial files: ``settings.ZHIFA_UPLOAD_TEMP_DIR`` or
    ``MEDIA_ROOT/tmp`` (on the same file system as the media, so finished files are moved,
    not copied). With several application servers it must be shared."""
    path = Path(getattr(settings, "ZHIFA_UPLOAD_TEMP_DIR", None) or Path(settings.MEDIA_ROOT) / "tmp")
    path.mkdir(parents=True, exist_ok=True)
    return path


class _LocalFile(File):
    """A finished temporary file; ``temporary_file_path`` lets FileSystemStorage move it."""

    def __init__(self, fh, path: str):
        super().__init__(fh, name=os.path.basename(path))
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


def _detect_type(head: bytes, name: str, declared_type: str | None) -> str:
    kind = filetype.guess(head) if head else None
    if kind is not None:
        return kind.mime
    if declared_type:
        return declared_type[:100]
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _hash_path(path: str | os.PathLike, algorithm: str) -> tuple[str, int, bytes]:
    hasher = new_hasher(algorithm)
    size, head = 0, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_SIZE):
            if not head:
                head = chunk[:8192]
            hasher.update(chunk)
            size += len(chunk)
    return hasher.hexdigest(), size, head


def _clean_name(name: str) -> str:
    name = os.path.basename(str(name or "").replace("\\", "/")).strip()
    return (name or "未命名文件")[:255]


def _finalize(tmp_path: str, digest: str, algorithm: str, size: int, head: bytes, name: str,
              declared_type: str | None) -> StoredFile:
    """Move a hashed temporary file into the object store (unless already there) and return
    its ``StoredFile``. The temporary file is consumed or left for the caller to delete."""
    existing = StoredFile.objects.filter(hash=digest).first()
    storage_name = object_name(digest)
    if existing is not None and default_storage.exists(storage_name):
        return existing
    if default_storage.exists(storage_name):
        # Left over from a rolled-back transaction (no row names it): replaced by the bytes just
        # hashed, whatever it holds. The fresh save also renews its modification time, so the
        # orphan sweep's grace period covers this transaction until its row commits
        # (``records.housekeeping``); reusing the old object could lose it to a sweep meanwhile.
        default_storage.delete(storage_name)
    with open(tmp_path, "rb") as fh:
        saved = default_storage.save(storage_name, _LocalFile(fh, tmp_path))
    if saved != storage_name:
        raise RuntimeError(f"storage renamed {storage_name} to {saved}")
    return existing or _create_row(digest, algorithm, size, head, name, declared_type)


def _create_row(digest, algorithm, size, head, name, declared_type) -> StoredFile:
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                hash=digest, algorithm=algorithm, size=size, content_type=_detect_type(head, name, declared_type),
                original_name=_clean_name(name),
            )
    except IntegrityError:  # stored concurrently by another request
        return StoredFile.objects.get(hash=digest)


def store_file(fileobj, name: str, declared_type: str | None = None) -> StoredFile:
    """Store the bytes of ``fileobj`` (anything with ``read(n)`` returning bytes) by content hash.

    Reads 1 MiB at a time, hashing (in a second thread, ``hash_and_write``) while writing a
    temporary file, so memory stays flat whatever the size; a file already stored (same hash)
    is not stored twice. The content type is detected from the first bytes (``filetype``), else the declared one, else guessed
    from the name. A file off the allow-list (``core.filetypes``: programs, scripts,
    unknown formats) raises ``FileTypeRefused`` and is not stored.
    """
    filetypes.check_name(name)
    algorithm = configured_algorithm()
    fd, tmp_path = tempfile.mkstemp(dir=upload_temp_dir(), suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            digest, size, head = hash_and_write(fileobj, out, algorithm)
        filetypes.check_file(tmp_path, head, name)
        return _finalize(tmp_path, digest, algorithm, size, head, name, declared_type)
    finally:
        if os.path.exists(tmp_path):
            os.unlink(tmp_path)


HEAD_BYTES = 8192
# Chunks read ahead of the hashing thread at most (memory: this many × CHUNK_SIZE).
HASH_QUEUE_CHUNKS = 8


def hash_and_write(fileobj, out, algorithm: str) -> tuple[str, int, bytes]:
    """Copy ``fileobj`` (``read(n)`` returning bytes) to ``out`` (anything with ``write``: a
    local file, a storage backend's upload) and hash it on the way: ``(hex digest, size,
    first bytes)``.

    The hashing runs in a second thread, fed the chunks through a short queue, while this one
    reads and writes: hashlib and file I/O release the GIL, so SM3 (the slowest of the three)
    no longer waits for the disk and the whole copy runs at about the hash's own speed
    (``python -m benchmarks.hashing``). Memory stays flat: at most ``HASH_QUEUE_CHUNKS``
    chunks of ``CHUNK_SIZE`` are in flight."""
    hasher = new_hasher(algorithm)
    pending: queue.Queue = queue.Queue(maxsize=HASH_QUEUE_CHUNKS)
    failure: list[BaseException] = []

    def digest_chunks():
        try:
            while (chunk := pending.get()) is not None:
                hasher.update(chunk)
        except BaseException as exc:  # pragma: no cover - hashlib does not fail on bytes
            failure.append(exc)
            while pending.get() is not None:  # keep the reader from blocking on a full queue
                pass

    worker = threading.Thread(target=digest_chunks, name="zhifa-hash", daemon=True)
    worker.start()
    head, size = b"", 0
    try:
        while chunk := fileobj.read(CHUNK_SIZE):
            if not isinstance(chunk, bytes):
                if not isinstance(chunk, bytearray | memoryview):
                    raise TypeError("store_file needs a binary file object")
                chunk = bytes(chunk)  # the reader may reuse its buffer; the hasher needs these bytes
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            pending.put(chunk)
            out.write(chunk)
            size += len(chunk)
    finally:
        pending.put(None)
        worker.join()
    if failure:  # pragma: no cover
        raise failure[0]
    return hasher.hexdigest(), size, head


def open_stored(stored_file: StoredFile):
    """Open the stored bytes for reading (binary, streamed from the object store in chunks;
    ``FileNotFoundError`` when absent)."""
    return object_storage.open_stream(stored_file.storage_name)


def _rehash_name(storage_name: str, algorithm: str) -> str:
    hasher = new_hasher(algorithm)
    object_storage.hash_object(storage_name, hasher)
    return hasher.hexdigest()


def rehash(stored_file: StoredFile) -> str:
    """Hash the stored bytes again with the file's own algorithm (for verification)."""
    return _rehash_name(stored_file.storage_name, stored_file.algorithm)


# ---------------------------------------------------------------------------------------------
# Resumable uploads (断点续传)
# ---------------------------------------------------------------------------------------------


class UploadConflict(Exception):
    """A chunk that does not continue the upload where it stands (HTTP 409)."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


def upload_max_size() -> int:
    """Largest declared upload: ``settings.ZHIFA_UPLOAD_MAX_SIZE`` (default 4 GiB)."""
    return int(getattr(settings, "ZHIFA_UPLOAD_MAX_SIZE", DEFAULT_UPLOAD_MAX_SIZE))


def start_upload(owner, name: str, size: int, declared_type: str = "") -> Upload:
    """Declare an upload of ``size`` bytes; returns the ``Upload`` to send chunks to.
    A program's or script's name is refused at once (``FileTypeRefused``)."""
    filetypes.check_name(name)
    try:
        size = int(size)
    except (TypeError, ValueError):
        raise ValidationError({"size": ["文件大小必须是整数（字节）。"]}) from None
    if size < 0:
        raise ValidationError({"size": ["文件大小不能为负数。"]})
    if size > upload_max_size():
        raise ValidationError({"size": [f"文件超过允许的最大大小（{upload_max_size() // 1024**2} MB）。"]})
    upload_id = uuid.uuid4()
    path = upload_temp_dir() / f"upload-{upload_id}.part"
    path.touch(mode=0o600)
    upload = Upload.objects.create(
        id=upload_id, owner=owner, name=_clean_name(name), size=size, declared_type=(declared_type or "")[:100],
        temp_path=str(path),
    )
    if size == 0:
        upload = _complete_upload(upload)
    return upload


def append_chunk(upload: Upload, offset: int, stream, length: int) -> Upload:
    """Append ``length`` bytes read from ``stream`` at ``offset``; finish the upload when all
    declared bytes are in. Bytes are read and written 1 MiB at a time; if the client goes away
    mid-chunk, what arrived is kept and the upload continues from there.

    Raises ``UploadConflict`` for a wrong offset, a finished upload or a concurrent chunk, and
    ``FileTypeRefused`` (the upload is then discarded) as soon as the first bytes show a file
    off the allow-list.
    """
    upload.refresh_from_db()
    if upload.is_complete:
        raise UploadConflict("该上传已完成。", upload.received)
    if offset != upload.received:
        raise UploadConflict(f"上传位置不符：应从第 {upload.received} 字节继续。", upload.received)
    if length < 0 or offset + length > upload.size:
        raise ValidationError(f"数据超出声明的文件大小（{upload.size} 字节）。")
    written = 0
    with open(upload.temp_path, "r+b") as out:
        try:
            fcntl.flock(out.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadConflict("该文件正在另一请求中上传，请稍后重试。", upload.received) from None
        try:
            upload.refresh_from_db(fields=["received", "completed"])
            if upload.is_complete or offset != upload.received:
                raise UploadConflict(f"上传位置不符：应从第 {upload.received} 字节继续。", upload.received)
            out.seek(offset)
            out.truncate()
            try:
                while written < length:
                    data = stream.read(min(CHUNK_SIZE, length - written))
                    if not data:
                        break
                    out.write(data)
                    written += len(data)
            except OSError:
                pass  # connection lost: keep what arrived, the client resumes from the offset
            out.flush()
            os.fsync(out.fileno())
            moved = Upload.objects.filter(pk=upload.pk, received=offset, completed__isnull=True).update(
                received=offset + written, updated=timezone.now()
            )
            if not moved:
                upload.refresh_from_db()
                raise UploadConflict(f"上传位置不符：应从第 {upload.received} 字节继续。", upload.received)
            upload.received = offset + written
        finally:
            fcntl.flock(out.fileno(), fcntl.LOCK_UN)
    if offset < filetypes.HEAD_SIZE and upload.received >= min(filetypes.HEAD_SIZE, upload.size):
        # the chunk that completes the first bytes: stop a program now, not gigabytes later
        with open(upload.temp_path, "rb") as fh:
            head = fh.read(filetypes.HEAD_SIZE)
        _check_or_discard(upload, lambda: filetypes.check_head(head, upload.name))
    if upload.received == upload.size:
        upload = _complete_upload(upload)
    return upload


def _complete_upload(upload: Upload) -> Upload:
    algorithm = configured_algorithm()
    digest, size, head = _hash_path(upload.temp_path, algorithm)
    if size != upload.size:
        raise UploadConflict(f"已接收 {size} 字节，与声明的大小不符。", size)
    _check_or_discard(upload, lambda: filetypes.check_file(upload.temp_path, head, upload.name))
    with transaction.atomic():
        stored = _finalize(upload.temp_path, digest, algorithm, size, head, upload.name, upload.declared_type)
        Upload.objects.filter(pk=upload.pk).update(completed=stored, received=size)
    if os.path.exists(upload.temp_path):
        os.unlink(upload.temp_path)
    upload.refresh_from_db()
    return upload


def _check_or_discard(upload: Upload, check) -> None:
    """Run a file-type check; on refusal delete the partial file and the upload, then re-raise."""
    try:
        check()
    except FileTypeRefused:
        if os.path.exists(upload.temp_path):
            os.unlink(upload.temp_path)
        Upload.objects.filter(pk=upload.pk, completed__isnull=True).delete()
        raise


def discard_upload(upload: Upload) -> None:
    """Cancel an unfinished upload and delete its partial file (a finished one is kept)."""
    if upload.is_complete:
        raise UploadConflict("该上传已完成，不能取消。", upload.received)
    if os.path.exists(upload.temp_path):
        os.unlink(upload.temp_path)
    upload.delete()


def purge_stale_uploads(days: int = 7) -> int:
    """Cancel unfinished uploads untouched for ``days`` days and delete their partial files
    (run daily: ``zhifa purge_uploads``). Returns the number removed."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    removed = 0
    for upload in Upload.objects.filter(completed__isnull=True, updated__lt=cutoff):
        discard_upload(upload)
        removed += 1
    return removed


# ---------------------------------------------------------------------------------------------
# Access log (REC-4)
# ---------------------------------------------------------------------------------------------


def _client_ip(request) -> str | None:
    if request is None:
        return None
    value = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def log_access(user, action: str, obj_or_key, request=None, *, stream_key: str | None = None) -> AccessLog:
    """Write one access-log row: ``user`` did ``action`` ("view", "download", "verify") on a
    stream (pass its key) or an object (a model instance; its stream is ``stream_key`` or the
    object's ``stream_key`` attribute)."""
    if action not in dict(AccessLog.ACTION_CHOICES):
        raise ValueError(f"unknown access action {action!r}")
    if isinstance(obj_or_key, str):
        object_type, object_id, key = "stream", obj_or_key, stream_key or obj_or_key
    elif isinstance(obj_or_key, Stream):
        object_type, object_id, key = "stream", obj_or_key.key, obj_or_key.key
    else:
        object_type, object_id = obj_or_key._meta.label_lower, str(obj_or_key.pk)
        key = stream_key or getattr(obj_or_key, "stream_key", "") or ""
        if callable(key):
            key = key()
    if user is not None and not user.is_authenticated:
        user = None
    return AccessLog.objects.create(
        user=user, user_name=_user_name(user), action=action, object_type=object_type[:60],
        object_id=str(object_id)[:128], stream_key=str(key)[:100], ip=_client_ip(request),
        scope_path=stream_scope_path(str(key)) if key else "",
    )


def access_log_for(user, params=None):
    """The access-log rows ``user`` may read (the audit administrator, within their part of
    the tree), newest first, filtered by ``stream``, ``user`` and ``action`` when given."""
    params = params or {}
    rows = AccessLog.objects.restrict(user, "view")
    if params.get("stream"):
        rows = rows.filter(stream_key=params["stream"])
    if str(params.get("user") or "").isdigit():
        rows = rows.filter(user_id=int(params["user"]))
    if params.get("action") in dict(AccessLog.ACTION_CHOICES):
        rows = rows.filter(action=params["action"])
    return rows.order_by("-time", "-id")
