"""The hash chain: appending, verification, and detection of tampering below the application."""

import datetime
import hashlib
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction

from zhifa.records.models import Event, Stream
from zhifa.records.services import (
    append_event,
    canonical_json,
    compute_event_hash,
    events_for,
    store_file,
    verify_stream,
)
from zhifa.records.testing import MP4_HEAD, tamper

pytestmark = pytest.mark.django_db


def build(key="test:1", n=12, actor=None):
    for i in range(1, n + 1):
        append_event(key, "note", f"第{i}步 现场检查", actor=actor, payload={"i": i, "金额": "3000.00", "x": 0.1},
                     place={"text": "云岭县云岭镇新华路12号", "latitude": 34.1 + i / 1000, "longitude": 108.9})


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_sm3_known_vector_and_default_algorithm():
    """SM3("abc") is the GB/T 32905 test vector; new events use SM3 unless configured."""
    assert hashlib.new("sm3", b"abc").hexdigest() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    event = append_event("test:1", "open", "立案")
    assert event.algorithm == "sm3" and len(event.hash) == 64


def test_chain_links_and_verifies(users):
    """Each event stores the previous hash; the stream head follows; verification passes."""
    build(actor=users.officer_a)
    events = list(events_for("test:1"))
    assert [e.seq for e in events] == list(range(1, 13))
    assert events[0].prev_hash == ""
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    stream = Stream.objects.get(key="test:1")
    assert (stream.head_seq, stream.head_hash) == (12, events[-1].hash)
    assert events[0].actor_name == "officer_a" and events[0].latitude == Decimal("34.101000")
    result = verify_stream("test:1")
    assert result.ok and result.checked_events == 12 and result.problem == "" and result.first_broken_seq is None
    assert "校验通过" in result.message


def test_hash_is_the_documented_formula():
    """hash = H(prev_hash || canonical JSON of the documented fields), reproducible by hand."""
    append_event("test:f", "open", "立案")
    event = append_event("test:f", "note", "询问", payload={"b": 1, "a": "甲"}, place={"text": "县局"},
                         time=datetime.datetime(2026, 9, 28, 9, 30, tzinfo=datetime.UTC))
    content = {
        "stream": "test:f", "seq": 2, "kind": "note", "summary": "询问", "actor": None, "actor_name": "",
        "time": "2026-09-28T09:30:00.000000+00:00", "place": {"text": "县局", "latitude": None, "longitude": None},
        "payload": {"a": "甲", "b": 1}, "files": [],
    }
    body = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert canonical_json(content) == body
    assert event.hash == hashlib.new("sm3", event.prev_hash.encode() + body).hexdigest()


def test_modified_payload_is_detected_and_named():
    """An UPDATE below the application (raw SQL) is found: 第5条记录的内容被修改（哈希不符）."""
    build()
    with pytest.raises(PermissionError):
        Event.objects.filter(seq=5).update(summary="改")
    target = Event.objects.get(stream__key="test:1", seq=5)
    with pytest.raises(PermissionError):
        target.save()
    tamper("UPDATE records_event SET payload = %s WHERE id = %s", ['{"i": 5, "金额": "300.00", "x": 0.1}', target.pk])
    result = verify_stream("test:1")
    assert not result.ok
    assert result.first_broken_seq == 5
    assert result.problem == "第5条记录的内容被修改（哈希不符）"


def test_deleted_middle_event_is_detected():
    """A DELETE of event 7 is found as 第7条记录缺失; deleting the last one too."""
    build()
    tamper("DELETE FROM records_event WHERE seq = 7")
    result = verify_stream("test:1")
    assert not result.ok and result.first_broken_seq == 7
    assert result.problem == "第7条记录缺失"
    tamper("DELETE FROM records_event WHERE seq = 12")
    assert "第12条记录缺失" in verify_stream("test:1").problems


def test_rewritten_tail_without_head_is_detected():
    """Replacing the last event and its hash (without the stream head) is still found."""
    build(n=3)
    last = Event.objects.get(seq=3)
    last.summary = "伪造"
    forged = compute_event_hash(last, "test:1")
    tamper("UPDATE records_event SET summary = %s, hash = %s WHERE id = %s", ["伪造", forged, last.pk])
    result = verify_stream("test:1")
    assert result.problem == "记录流头部哈希与第3条记录不符"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgres_trigger_refuses_update_and_delete():
    """On PostgreSQL the database itself refuses UPDATE and DELETE of events."""
    from django.db import DatabaseError

    build(n=2)
    for sql in ("UPDATE records_event SET summary = 'x'", "DELETE FROM records_event"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(sql)
    assert verify_stream("test:1").ok


def test_sha256_selectable_and_mixed_chain_verifies(settings):
    """With ZHIFA_HASH_ALGORITHM = "sha256" new events use SHA-256; a chain mixing both verifies."""
    append_event("test:m", "open", "立案")
    settings.ZHIFA_HASH_ALGORITHM = "sha256"
    second = append_event("test:m", "note", "调查")
    settings.ZHIFA_HASH_ALGORITHM = "sm3"
    third = append_event("test:m", "close", "结案")
    assert [e.algorithm for e in events_for("test:m")] == ["sm3", "sha256", "sm3"]
    content = canonical_json({**_content(second)})
    assert second.hash == hashlib.sha256(second.prev_hash.encode() + content).hexdigest()
    assert third.prev_hash == second.hash
    assert verify_stream("test:m").ok
    settings.ZHIFA_HASH_ALGORITHM = "md5"
    with pytest.raises(Exception, match="sm3 或 sha256"):
        append_event("test:m", "note", "x")


def _content(event):
    from zhifa.records.services import event_content

    return event_content(event, event.stream.key)


def test_sequential_appends_keep_continuity_inside_caller_transactions():
    """Appends inside callers' transactions number consecutively; a rolled-back append leaves no gap."""
    for i in range(5):
        with transaction.atomic():
            append_event("test:c", "note", f"记录{i}")
    with pytest.raises(RuntimeError), transaction.atomic():
        append_event("test:c", "note", "将回滚")
        raise RuntimeError("caller failed")
    append_event("test:c", "note", "回滚之后")
    assert list(events_for("test:c").values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert verify_stream("test:c").ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_from_threads_keep_continuity():
    """Threads appending to one stream get distinct consecutive numbers (row lock / SQLite write lock)."""
    import threading

    from django.db import connections

    append_event("test:t", "open", "立案")
    errors = []

    def worker(n):
        try:
            for i in range(5):
                append_event("test:t", "note", f"线程{n}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("in-memory SQLite cannot be shared between threads")
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert list(events_for("test:t").values_list("seq", flat=True)) == list(range(1, 22))
    assert verify_stream("test:t").ok


def test_payload_values_are_normalised_for_stable_hashes():
    """Decimals and dates become strings; exponent floats and NUL characters are refused."""
    event = append_event("test:p", "note", "金额", payload={"amount": Decimal("3000.50"), "on": datetime.date(2026, 9, 1)})
    assert event.payload == {"amount": "3000.50", "on": "2026-09-01"}
    with pytest.raises(ValidationError, match="字符串"):
        append_event("test:p", "note", "x", payload={"big": 1e20})
    with pytest.raises(ValidationError, match="空字符"):
        append_event("test:p", "note", "x", payload={"s": "a\x00b"})
    with pytest.raises(ValidationError, match="纬度"):
        append_event("test:p", "note", "x", place={"latitude": 95})
    with pytest.raises(ValidationError):
        append_event("no-colon", "note", "x")
    event.refresh_from_db()
    assert verify_stream("test:p").ok


def test_modified_stored_file_is_detected_and_named(media_root):
    """Changing the bytes of a stored file on disk is found and the file's hash is named."""
    photo = store_file(io.BytesIO(b"\xff\xd8\xff\xe0" + b"photo" * 1000), "现场照片.jpg")
    video = store_file(io.BytesIO(MP4_HEAD + b"video-bytes" * 5000), "执法记录仪.mp4")
    append_event("test:f", "evidence", "提取证据", files=[photo, video])
    assert verify_stream("test:f").checked_files == 2
    (media_root / photo.storage_name).write_bytes(b"\xff\xd8\xff\xe0" + b"edited" * 1000)
    result = verify_stream("test:f")
    assert not result.ok and result.first_broken_seq == 1
    assert result.problem == f"文件 {photo.hash} 的内容与登记的哈希不符（现场照片.jpg，第1条记录登记）"
    (media_root / video.storage_name).unlink()
    assert f"文件 {video.hash} 缺失（执法记录仪.mp4，第1条记录登记）" in verify_stream("test:f").problems


def test_verify_command_prints_chinese_and_exits_non_zero():
    """`zhifa verify KEY` prints 校验通过; a broken stream makes it fail; --all checks every stream."""
    from django.core.management.base import CommandError

    build(n=3)
    append_event("test:2", "open", "立案")
    out = io.StringIO()
    call_command("verify", "test:1", stdout=out)
    assert "校验通过" in out.getvalue()
    out = io.StringIO()
    call_command("verify", "--all", stdout=out)
    assert "共校验 3 个记录流，3 个通过" in out.getvalue()  # test:1, test:2 and the audit trail
    tamper("UPDATE records_event SET summary = '改' WHERE seq = 2")
    with pytest.raises(CommandError, match="1 个记录流校验未通过"):
        call_command("verify", "test:1", stdout=(out := io.StringIO()))
    assert "第2条记录的内容被修改（哈希不符）" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("verify", "test:none", stdout=io.StringIO(), stderr=io.StringIO())
