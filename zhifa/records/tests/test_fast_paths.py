"""The fast paths of issue #14 compute exactly what the slow ones did: the canonical bytes of
an event, verification reading plain rows (every kind of tampering still found, on SQLite and
PostgreSQL), and ``store_file`` hashing in a second thread."""

import datetime
import hashlib
import io
import json
from decimal import Decimal

import pytest

from zhifa.records.models import Event, Stream
from zhifa.records.services import (
    CHUNK_SIZE,
    _event_bytes,
    _event_rows,
    _quick_event_bytes,
    _reference_event_bytes,
    append_event,
    canonical_json,
    event_canonical_bytes,
    event_content,
    hash_and_write,
    store_file,
    verify_stream,
)
from zhifa.records.testing import MP4_HEAD, tamper

pytestmark = pytest.mark.django_db

# Strings that a hand-written encoder would get wrong: quotes, backslashes, control
# characters, non-BMP characters, separators U+2028/2029, characters that look like JSON.
AWKWARD = ['', 'a"b', "a\\b", "行1\n行2\t\r\x08\x0c", "\x01\x1f\x7f", "😀𠀀", "\u2028\u2029", '{"seq":1}', "null"]


class Row:
    """A row with the attribute names of an event."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


def crafted_rows():
    when = datetime.datetime(2026, 3, 1, 8, 0, 0, 7, tzinfo=datetime.UTC)
    payloads = [{}, {"b": 1, "a": [1, 2.5, None, True, False]}, {"金额": "3000.00", "x": 0.1, "z": {"y": {"x": []}}},
                {"k" + s: s for s in AWKWARD}, {"big": 2**70, "neg": -0.0, "float": 1.5e-7 * 0}]
    files = [[], [{"hash": "ab" * 32, "algorithm": "sm3", "size": 3, "name": "照片 \"1\".jpg"}]]
    for i, text in enumerate(AWKWARD):
        yield Row(seq=i + 1, kind=text or "k", summary=text, actor_id=None if i % 2 else 10**12 + i,
                  actor_name=text, time=when + datetime.timedelta(days=i, microseconds=-7 * (i % 2)),
                  place_text=text, latitude=None if i % 3 == 0 else Decimal("-89.999999") + i,
                  longitude=None if i % 3 == 0 else Decimal("0.000001") * i, payload=payloads[i % len(payloads)],
                  files=files[i % 2])


@pytest.mark.parametrize("stream_key", ["case:1", 'x:"\\'])
def test_event_bytes_equal_canonical_json_of_event_content(stream_key):
    """The written-out encoding gives the bytes of canonical_json(event_content) on awkward values."""
    for row in crafted_rows():
        assert _event_bytes(row, stream_key) == canonical_json(event_content(row, stream_key))
    assert event_canonical_bytes(stream_key, 1, "k", "s", None, "", "t", "", None, None, {}, []) == canonical_json(
        {"stream": stream_key, "seq": 1, "kind": "k", "summary": "s", "actor": None, "actor_name": "", "time": "t",
         "place": {"text": "", "latitude": None, "longitude": None}, "payload": {}, "files": []})


def test_canonical_json_is_the_documented_dumps():
    """canonical_json is json.dumps(sort_keys, ensure_ascii=False, no spaces) in UTF-8."""
    for row in crafted_rows():
        content = event_content(row, "case:1")
        documented = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        assert canonical_json(content) == documented.encode("utf-8")


def _build(key="test:1", n=9):
    events = []
    for i in range(1, n + 1):
        events.append(append_event(
            key, "note", f"第{i}步 \"检查\"\n", payload={"i": i, "金额": f"{i}000.00", "x": 0.1, "list": [i, None]},
            place={"text": "云岭县", "latitude": 34.1 + i / 1000, "longitude": -108.9} if i % 2 else None,
            time=datetime.datetime(2026, 9, 28, 9, 30, 0, 0 if i == 3 else i, tzinfo=datetime.UTC)))
    return events


def test_rows_read_for_verification_give_the_bytes_that_were_hashed():
    """Every link read as plain rows carries the bytes of the event as appended (times with
    and without microseconds, coordinates and none, unicode and quotes)."""
    events = _build()
    rows = list(_event_rows(Stream.objects.get(key="test:1")))
    assert [row[0] for row in rows] == [e.seq for e in events]
    pg = _pg()
    for event, row in zip(events, rows, strict=True):
        seq, prev_hash, digest, algorithm = row[:4]
        body = _reference_event_bytes("test:1", row)
        assert body == canonical_json(event_content(event, "test:1"))
        assert _quick_event_bytes("test:1", row, pg) == body  # orjson's bytes, no fallback needed
        assert (prev_hash, digest, algorithm) == (event.prev_hash, event.hash, event.algorithm)
        assert hashlib.new(algorithm, prev_hash.encode() + body).hexdigest() == digest
    assert verify_stream("test:1").ok


@pytest.mark.parametrize(("column", "value"), [
    ("kind", "forged"),
    ("summary", "第4步 \"检查\"\n "),
    ("actor_name", "某人"),
    ("time", "2026-09-28 09:30:00.000005"),
    ("place_text", "别处"),
    ("latitude", "34.105000"),
    ("longitude", "-108.900001"),
    ("payload", '{"i": 4, "金额": "4000.00", "x": 0.1, "list": [4, 0]}'),
    ("payload", '{"i": 4, "金额": "4000.00", "x": 0.1}'),
    ("files", '[{"hash": "00", "name": "x"}]'),
    ("algorithm", "sha256"),
    ("prev_hash", "0" * 64),
    ("hash", "0" * 64),
])
def test_every_column_changed_below_the_application_is_detected(column, value):
    """A change of any hashed column of event 4 (or its links) breaks verification at 4."""
    _build()
    row = Event.objects.get(stream__key="test:1", seq=4)
    if column == "time":
        from django.db import connection

        if connection.vendor == "postgresql":
            value = "2026-09-28 09:30:00.000005+00"
    cast = "::jsonb" if column in ("payload", "files") and _pg() else ""
    tamper(f"UPDATE records_event SET {column} = %s{cast} WHERE id = %s", [value, row.pk])
    result = verify_stream("test:1")
    assert not result.ok and result.first_broken_seq == 4, result.problems


def test_same_json_written_differently_still_verifies():
    """Verification compares content, not text: the same payload re-serialised (other key
    order, other spacing) is not a change."""
    _build()
    row = Event.objects.get(stream__key="test:1", seq=5)
    text = json.dumps(dict(reversed(list(row.payload.items()))), ensure_ascii=True, indent=1)
    cast = "::jsonb" if _pg() else ""
    tamper(f"UPDATE records_event SET payload = %s{cast} WHERE id = %s", [text, row.pk])
    assert verify_stream("test:1").ok


def test_verification_reads_in_chunks(monkeypatch):
    """A stream longer than one fetch is read whole, in order."""
    monkeypatch.setattr("zhifa.records.services.VERIFY_CHUNK", 4)
    _build(n=11)
    result = verify_stream("test:1")
    assert result.ok and result.checked_events == 11
    tamper("DELETE FROM records_event WHERE seq = 9")
    assert verify_stream("test:1").problem == "第9条记录缺失"


def _pg():
    from django.db import connection

    return connection.vendor == "postgresql"


class ChunkedReader:
    """A reader returning bytearrays it then overwrites (as a reused buffer would)."""

    def __init__(self, data: bytes, step: int):
        self.data, self.step, self.pos, self.buffer = data, step, 0, bytearray()

    def read(self, n):
        chunk = self.data[self.pos:self.pos + min(n, self.step)]
        self.pos += len(chunk)
        self.buffer[:] = chunk
        result = self.buffer
        self.buffer = bytearray()  # the caller's copy must not change when we reuse ours
        return result


@pytest.mark.parametrize("algorithm", ["sm3", "sha256"])
def test_hash_and_write_copies_and_hashes_every_byte(algorithm):
    """Hashing in a second thread gives hashlib's digest of all the bytes, written unchanged,
    with the first 8 KiB as the head — for several chunks and reused buffers."""
    data = bytes(range(256)) * (CHUNK_SIZE // 256 * 3) + b"tail"
    for reader in (io.BytesIO(data), ChunkedReader(data, 3000)):
        out = io.BytesIO()
        digest, size, head = hash_and_write(reader, out, algorithm)
        assert digest == hashlib.new(algorithm, data).hexdigest()
        assert (size, head, out.getvalue()) == (len(data), data[:8192], data)
    assert hash_and_write(io.BytesIO(b""), io.BytesIO(), algorithm) == (hashlib.new(algorithm).hexdigest(), 0, b"")


def test_hash_and_write_refuses_text():
    with pytest.raises(TypeError):
        hash_and_write(io.StringIO("text"), io.BytesIO(), "sm3")


def test_store_file_of_several_chunks_is_stored_intact(settings, tmp_path):
    """A file of several chunks is stored under its SM3 hash, byte for byte."""
    settings.MEDIA_ROOT = str(tmp_path)
    data = MP4_HEAD + bytes(range(256)) * (CHUNK_SIZE // 128 + 7)
    stored = store_file(io.BytesIO(data), "现场.mp4")
    assert stored.hash == hashlib.new("sm3", data).hexdigest() and stored.size == len(data)
    assert (tmp_path / stored.storage_name).read_bytes() == data
    assert stored.content_type == "video/mp4"
