"""A long stream is verified in ranges by several processes (``chain_segments``): the result is
the one a single walk gives — the same problems, in the same order — wherever a gap, a broken
link, an extra link or a rewritten signed link falls, at a range boundary or inside a range.
And the quick encoder (orjson) never decides alone that a link was changed."""

import datetime

import pytest
from django.db import connection

from zhifa.core.models import ChangeLog
from zhifa.records import chain_segments, services
from zhifa.records.models import Event, Stream
from zhifa.records.services import (
    _event_rows,
    _quick_event_bytes,
    _reference_event_bytes,
    append_event,
    verify_stream,
)
from zhifa.records.testing import tamper

KEY = "test:seg"
COLUMNS = ("stream_id, seq, kind, summary, actor_id, actor_name, time, place_text, latitude, longitude, payload, files, "
           "prev_hash, hash, algorithm")


def _build(n=30):
    for i in range(1, n + 1):
        append_event(KEY, "note", f"第{i}步", payload={"i": i, "金额": f"{i}.00", "x": 0.5},
                     place={"text": "云岭县", "latitude": 34.1, "longitude": 108.9} if i % 3 == 0 else None,
                     time=datetime.datetime(2026, 9, 28, 9, 30, i, i * 7, tzinfo=datetime.UTC))


def _seq_id(seq):
    return Event.objects.get(stream__key=KEY, seq=seq).pk


def _delete(*seqs):
    for seq in seqs:
        tamper("DELETE FROM records_event WHERE id = %s", [_seq_id(seq)])


def _set(seq, column, value):
    tamper(f"UPDATE records_event SET {column} = %s WHERE id = %s", [value, _seq_id(seq)])


def _append_extra(seq):
    tamper(f"INSERT INTO records_event ({COLUMNS}) SELECT {COLUMNS.replace('seq,', '%s,', 1)} FROM records_event "
           "WHERE id = %s", [seq, _seq_id(seq - 1)])


TAMPERINGS = {
    "intact": lambda: None,
    "first link of a range deleted": lambda: _delete(11),
    "last link of a range deleted": lambda: _delete(10),
    "gap across a boundary": lambda: _delete(10, 11),
    "a whole range deleted": lambda: _delete(*range(11, 21)),
    "the first link deleted": lambda: _delete(1),
    "prev_hash of a range's first link": lambda: _set(21, "prev_hash", "0" * 64),
    "hash of a range's last link": lambda: _set(10, "hash", "0" * 64),
    "content inside a range": lambda: _set(15, "summary", "改写"),
    "a link after the head": lambda: _append_extra(31),
    "a link before the first": lambda: _set(1, "seq", 0),
}


def _comparable(result):
    data = result.as_dict()
    for volatile in ("seconds", "events_per_second"):
        data.pop(volatile)
    return data


def _in_this_process(function, arguments):
    return [function(*a) for a in arguments]


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(TAMPERINGS))
@pytest.mark.parametrize("anchor_seq", [None, 15, 30])
def test_ranges_walked_apart_give_the_single_walks_result(name, anchor_seq, monkeypatch):
    _build()
    stream = Stream.objects.get(key=KEY)
    anchor = None if anchor_seq is None else (7, anchor_seq, Event.objects.get(stream=stream, seq=anchor_seq).hash)
    TAMPERINGS[name]()
    if anchor is not None and name == "intact":
        anchor = (anchor[0], anchor[1], "f" * 64)  # the signed link was rewritten (and the chain recomputed)
    single = verify_stream(KEY, anchor=anchor, check_files=False)
    assert single.ok == (name == "intact" and anchor is None)
    assert single.checked_events == Event.objects.filter(stream=stream).count()
    monkeypatch.setattr(services, "_parallel_parts", lambda *args: 3)
    monkeypatch.setattr(chain_segments, "in_processes", _in_this_process)
    assert _comparable(verify_stream(KEY, anchor=anchor, check_files=False)) == _comparable(single)


@pytest.mark.django_db
def test_a_gap_across_a_boundary_is_reported_once_as_one_gap(monkeypatch):
    _build()
    _delete(10, 11)
    monkeypatch.setattr(services, "_parallel_parts", lambda *args: 3)
    monkeypatch.setattr(chain_segments, "in_processes", _in_this_process)
    result = verify_stream(KEY, anchor=None)
    assert result.problems == ["第10至11条记录缺失"] and result.first_broken_seq == 10


def test_ranges_cover_every_number_once():
    assert chain_segments.seq_ranges(30, 3) == [(None, 10), (11, 20), (21, None)]
    assert chain_segments.seq_ranges(5, 2) == [(None, 2), (3, None)]
    ranges = chain_segments.seq_ranges(100_003, 4)
    assert all(ranges[i][1] + 1 == ranges[i + 1][0] for i in range(3))


@pytest.mark.django_db
def test_short_streams_and_transactions_are_walked_in_this_process():
    _build(n=3)
    stream = Stream.objects.get(key=KEY)
    assert services._parallel_parts(stream, None) == 1
    assert services._parallel_parts(stream, 4) == 1  # inside the test's transaction


@pytest.mark.skipif(connection.vendor != "postgresql", reason="forked readers need a database other processes "
                    "can open: the SQLite test database is in memory (the ranges are tested above on both)")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["intact", "gap across a boundary", "hash of a range's last link"])
def test_forked_processes_verify_a_stream_as_one_walk_does(name, monkeypatch):
    _build()
    TAMPERINGS[name]()
    forked = []
    real = chain_segments.in_processes

    def spy(function, arguments):
        forked.append(len(arguments))
        return real(function, arguments)

    monkeypatch.setattr(chain_segments, "in_processes", spy)
    single = verify_stream(KEY, anchor=None, workers=1)
    parallel = verify_stream(KEY, anchor=None, workers=3)
    assert forked == [3]
    assert _comparable(parallel) == _comparable(single)
    assert parallel.ok == (name == "intact")


@pytest.mark.django_db
def test_the_quick_encoder_falls_back_to_the_canonical_one():
    """orjson reads an integer beyond 64 bits as a float: its bytes differ from what was
    hashed, so the link is hashed again from the canonical encoder — valid, not changed —
    while a real change of that event is still found."""
    append_event(KEY, "note", "大整数", payload={"n": 2**70, "文": "中"})
    append_event(KEY, "note", "之后", payload={"n": 1})
    row = next(_event_rows(Stream.objects.get(key=KEY)))
    quick = _quick_event_bytes(KEY, row, connection.vendor == "postgresql")
    assert quick != _reference_event_bytes(KEY, row)  # the quick bytes are not the hashed ones
    result = verify_stream(KEY, anchor=None)
    assert result.ok, result.problems
    _set(1, "summary", "改写")
    result = verify_stream(KEY, anchor=None)
    assert result.problems == ["第1条记录的内容被修改（哈希不符）"]


def _audit_rows(n=30):
    from zhifa.core.audit import log_security_event

    for i in range(n):
        log_security_event("login_failed", username=f"user{i}", result="密码错误")
    return ChangeLog.objects.order_by("seq").values_list("seq", flat=True)


AUDIT_TAMPERINGS = {
    "intact": lambda seqs: None,
    "a row at a boundary changed": lambda seqs: tamper(
        "UPDATE core_changelog SET result = '成功' WHERE seq = %s", [seqs[len(seqs) // 3]], table="core_changelog"),
    "rows across a boundary deleted": lambda seqs: tamper(
        "DELETE FROM core_changelog WHERE seq IN (%s, %s)", [seqs[len(seqs) // 3 - 1], seqs[len(seqs) // 3]],
        table="core_changelog"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(AUDIT_TAMPERINGS))
def test_the_audit_trail_walked_in_ranges_gives_the_single_walks_result(name, monkeypatch):
    """The audit trail's chain (rows of another table, ``ChainSource``) splits the same way."""
    from zhifa.records.audit_chain import AUDIT_STREAM

    AUDIT_TAMPERINGS[name](list(_audit_rows()))
    single = verify_stream(AUDIT_STREAM, anchor=None, check_files=False)
    assert single.ok == (name == "intact"), single.problems
    monkeypatch.setattr(services, "_parallel_parts", lambda *args: 3)
    monkeypatch.setattr(chain_segments, "in_processes", _in_this_process)
    assert _comparable(verify_stream(AUDIT_STREAM, anchor=None, check_files=False)) == _comparable(single)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="forked readers need a database other processes "
                    "can open: the SQLite test database is in memory (the ranges are tested above on both)")
@pytest.mark.django_db(transaction=True)
def test_forked_processes_verify_the_audit_trail_as_one_walk_does(monkeypatch):
    from zhifa.records.audit_chain import AUDIT_STREAM

    AUDIT_TAMPERINGS["a row at a boundary changed"](list(_audit_rows()))
    single = verify_stream(AUDIT_STREAM, anchor=None, workers=1)
    parallel = verify_stream(AUDIT_STREAM, anchor=None, workers=2)
    assert _comparable(parallel) == _comparable(single) and not parallel.ok
