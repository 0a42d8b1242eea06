"""Chain verification benchmark (issue #14) — print numbers, assert nothing.

    python -m benchmarks.chain                           # streams of 100,000 and 1,000,000 events
    python -m benchmarks.chain --sizes 10000 100000
    ZHIFA_DATABASE_URL=postgres://…/db python -m benchmarks.chain    # on PostgreSQL

Uses (and keeps, for the next run) a SQLite database under var/bench-chain/ unless
ZHIFA_DATABASE_URL is set. For each size it fills one stream (``bench:<size>``) once with
bulk inserts — every event hashed exactly as ``append_event`` hashes it (SM3, canonical
bytes of ``event_canonical_bytes``), payloads varied, a place with coordinates on every
third event — and then times ``verify_stream`` (no files, no checkpoint) over the whole
stream: events per second at each size and the growth of the time per event from the
smallest to the largest. ``--compare`` also times, on the smallest stream, the way it was
verified before (ORM rows, a content dictionary per event, ``canonical_json``).
"""

import argparse
import datetime
import hashlib
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench-chain"
BATCH = 5000


def setup():
    if "ZHIFA_DATABASE_URL" not in os.environ:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        os.environ["ZHIFA_VAR_DIR"] = str(BENCH_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(size: int) -> str:
    """The stream ``bench:<size>`` with ``size`` valid events (made once, then reused)."""
    from django.db import connection, transaction

    from zhifa.records.models import Stream
    from zhifa.records.services import _coord_text, _iso_time, event_canonical_bytes

    key = f"bench:{size}"
    stream = Stream.objects.filter(key=key).first()
    if stream is not None and stream.head_seq == size:
        print(f"  复用记录流 {key}（{size:,} 条）")
        return key
    if stream is not None:
        raise SystemExit(f"记录流 {key} 不完整（{stream.head_seq:,} 条）：请换一个空数据库。")
    stream = Stream.objects.create(key=key, algorithm="sm3")
    pg = connection.vendor == "postgresql"
    json_param = "%s::jsonb" if pg else "%s"
    sql = ("INSERT INTO records_event (stream_id, seq, kind, summary, actor_id, actor_name, time, place_text, "
           f"latitude, longitude, payload, files, prev_hash, hash, algorithm) VALUES "
           f"(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, {json_param}, {json_param}, %s, %s, %s)")
    start = datetime.datetime(2026, 1, 5, 8, 30, tzinfo=datetime.UTC)
    kinds = ("note", "inspection", "interview", "evidence", "decision")
    prev = ""
    started = time.perf_counter()
    for first in range(1, size + 1, BATCH):
        rows = []
        for seq in range(first, min(first + BATCH, size + 1)):
            when = start + datetime.timedelta(seconds=seq * 37, microseconds=seq % 1_000_000)
            payload = {"i": seq, "note": f"第{seq}次 当事人在场，出示执法证件", "officers": ["张三", "李四"],
                       "amount": f"{seq % 5000}.00", "ok": seq % 2 == 0}
            latitude = Decimal("34.260000") + Decimal(seq % 1000) / 1_000_000 if seq % 3 == 0 else None
            longitude = Decimal("108.940000") if latitude is not None else None
            kind, summary, place = kinds[seq % 5], f"第{seq}条 现场检查记录", "云岭县新华路12号" if latitude else ""
            body = event_canonical_bytes(key, seq, kind, summary, None, "", _iso_time(when), place,
                                         _coord_text(latitude), _coord_text(longitude), payload, [])
            digest = hashlib.new("sm3", prev.encode() + body).hexdigest()
            stored_time = when if pg else when.replace(tzinfo=None).isoformat(sep=" ")
            rows.append((stream.pk, seq, kind, summary, None, "", stored_time, place,
                         None if latitude is None else str(latitude), None if longitude is None else str(longitude),
                         json.dumps(payload, ensure_ascii=False), "[]", prev, digest, "sm3"))
            prev = digest
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    Stream.objects.filter(pk=stream.pk).update(head_seq=size, head_hash=prev)
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE records_event")
    seconds = time.perf_counter() - started
    print(f"  生成记录流 {key}：{size:,} 条，{seconds:.0f} 秒（{size / seconds:,.0f} 条/秒，批量插入）")
    return key


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the forked verifiers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def verify_before(key: str) -> float:
    """Events per second of the previous way: ORM rows, a content dict each, canonical_json."""
    from zhifa.records.models import Event, Stream
    from zhifa.records.services import chain_hash, event_content

    stream = Stream.objects.get(key=key)
    fields = ("seq", "kind", "summary", "actor_id", "actor_name", "time", "place_text", "latitude", "longitude",
              "payload", "files", "prev_hash", "hash", "algorithm")
    started = time.perf_counter()
    bad = n = 0
    for row in (Event.objects.filter(stream_id=stream.pk).order_by("seq").values_list(*fields, named=True)
                .iterator(chunk_size=2000)):
        bad += chain_hash(row.prev_hash, event_content(row, key), row.algorithm) != row.hash
        n += 1
    seconds = time.perf_counter() - started
    print(f"    对照（此前的做法：ORM 行 + 每条一个内容字典 + canonical_json）：{n / seconds:10,.0f} 条/秒"
          f"{'' if not bad else f'（{bad} 条不符！）'}")
    return n / seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3, help="verifications per size (the best is reported)")
    parser.add_argument("--compare", action="store_true", help="also time the previous verification")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes per stream (default: as verify_stream decides; 1 = one process)")
    args = parser.parse_args(argv)
    setup()
    from django.db import connection

    from zhifa.records.services import VERIFY_PARALLEL_MIN, verify_stream, verify_workers

    load = os.getloadavg()
    print(f"Python {sys.version.split()[0]}；CPU {os.cpu_count()} 核；负载 {load[0]:.1f} / {load[1]:.1f} / "
          f"{load[2]:.1f}；数据库 {connection.vendor}")
    print(f"哈希链校验 verify_stream（SM3，不含文件，不比对检查点；{VERIFY_PARALLEL_MIN:,} 条及以上的记录流"
          f"由 {verify_workers()} 个进程分段校验，--workers 1 为单进程）")
    per_event = {}
    for size in sorted(args.sizes):
        key = fill(size)
        runs, cpu = [], []
        for _ in range(args.repeats):
            started = _cpu_seconds()
            result = verify_stream(key, check_files=False, anchor=None, workers=args.workers)
            cpu.append(_cpu_seconds() - started)
            if not result.ok or result.checked_events != size:
                print(f"  校验结果异常：{result.message}")
            runs.append(result.seconds)
        best = min(runs)
        per_event[size] = best / size
        print(f"  {size:>10,} 条：{best:7.2f} 秒，{size / best:10,.0f} 条/秒"
              f"（{args.repeats} 次：{'、'.join(f'{size / s:,.0f}' for s in runs)}）；"
              f"按 CPU 时间（本进程及其子进程，不含数据库服务器）{size / min(cpu):,.0f} 条/秒")
        if args.compare and size == min(args.sizes):
            verify_before(key)
    load = os.getloadavg()
    print(f"  结束时负载 {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    if len(per_event) > 1:
        small, large = min(per_event), max(per_event)
        print(f"  每条耗时 {small:,} → {large:,} 条：×{per_event[large] / per_event[small]:.2f}")


if __name__ == "__main__":
    main()
