"""Hashing benchmarks of the full-process record — print numbers, assert nothing.

    python -m benchmarks.hashing                 # 256 MiB file, 20,000-event stream
    python -m benchmarks.hashing --file-mib 64 --events 5000
    python -m benchmarks.hashing --events 0 --runs 5   # file hashing only, median of 5 ratios

Uses a fresh SQLite database and media directory under var/bench-hashing/ unless
ZHIFA_DATABASE_URL is set (then that database must be empty; files still go to
var/bench-hashing/media unless ZHIFA_MEDIA_ROOT is set). Measures:

1. ``store_file`` throughput (MB/s) with SM3 and SHA-256 on a generated file, beside plain
   hashlib and ``openssl dgst -sm3`` / ``openssl dgst -sha256`` on the same file;
2. chain appends per second (each ``append_event`` in its own transaction, as in requests);
3. ``verify_stream`` events per second over the whole stream (``benchmarks.chain`` does it at
   100,000 and 1,000,000 events with bulk-inserted streams).

The file is hashed by the slower of the two (openssl, then store_file) while warm in the page
cache for both: run it twice and take the second figures on a busy machine.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

MIB = 1024 * 1024


def setup(root: Path):
    if "ZHIFA_DATABASE_URL" not in os.environ:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        os.environ["ZHIFA_VAR_DIR"] = str(root)
    else:
        root.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(root / "media", ignore_errors=True)
    os.environ.setdefault("ZHIFA_MEDIA_ROOT", str(root / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_file(path: Path, mib: int) -> None:
    """``mib`` MiB of incompressible bytes (1 MiB random block, varied per MiB) behind an MP4
    header, so the file-type allow-list (``core.filetypes``) takes it as a video."""
    from zhifa.records.testing import MP4_HEAD

    block = os.urandom(MIB)
    with open(path, "wb") as out:
        for i in range(mib):
            start = MP4_HEAD if i == 0 else i.to_bytes(8, "little")
            out.write(start + block[len(start):])


def openssl_seconds(algorithm: str, path: Path) -> tuple[float, str] | None:
    if shutil.which("openssl") is None:
        return None
    started = time.perf_counter()
    done = subprocess.run(["openssl", "dgst", f"-{algorithm}", str(path)], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return None
    return seconds, done.stdout.strip().rsplit("= ", 1)[-1]


def hashlib_seconds(algorithm: str, path: Path) -> float:
    hasher = hashlib.new(algorithm)
    started = time.perf_counter()
    with open(path, "rb") as fh:
        while chunk := fh.read(MIB):
            hasher.update(chunk)
    return time.perf_counter() - started


def bench_files(path: Path, mib: int, runs: int = 1):
    """Each algorithm ``runs`` times (store_file, hashlib, openssl), then the median ratio."""
    import statistics

    print(f"1. 文件存储（{mib} MiB，store_file 边读边算哈希并写入对象存储；{runs} 轮）")
    version = subprocess.run(["openssl", "version"], capture_output=True, text=True, check=False).stdout.strip()
    ratios = {"SM3": [], "SHA-256": []}
    for run in range(runs):
        if runs > 1:
            load = os.getloadavg()
            print(f" 第 {run + 1} 轮（负载 {load[0]:.1f}）")
        if run:  # other bytes each run, so store_file stores again instead of finding the file stored
            with open(path, "r+b") as fh:
                fh.seek(MIB)
                fh.write((10**9 + run).to_bytes(8, "little"))
        _bench_files_once(path, mib, ratios)
    if runs > 1:
        print("  吞吐之比 store_file / openssl 的中位数："
              + "；".join(f"{label} {statistics.median(values):.2f}（{', '.join(f'{v:.2f}' for v in values)}）"
                         for label, values in ratios.items()))
    print(f"  （{version}；MB = MiB）")


def _bench_files_once(path: Path, mib: int, ratios: dict):
    from django.test import override_settings

    from zhifa.records.services import store_file

    for algorithm, label in (("sm3", "SM3"), ("sha256", "SHA-256")):
        with override_settings(ZHIFA_HASH_ALGORITHM=algorithm):
            started = time.perf_counter()
            with open(path, "rb") as fh:
                stored = store_file(fh, "bench.mp4")
            seconds = time.perf_counter() - started
        plain = hashlib_seconds(algorithm, path)
        print(f"  {label:<8} store_file {seconds:6.2f} 秒  {mib / seconds:7.1f} MB/s"
              f"   (仅 hashlib 计算 {plain:5.2f} 秒，{mib / plain:7.1f} MB/s)")
        measured = openssl_seconds(algorithm, path)
        if measured:
            seconds_ssl, digest = measured
            same = "一致" if digest == stored.hash else f"不一致：{digest}"
            print(f"  {label:<8} openssl dgst -{algorithm:<6} {seconds_ssl:6.2f} 秒  {mib / seconds_ssl:7.1f} MB/s"
                  f"   (哈希与 store_file {same})")
            print(f"  {label:<8} store_file / openssl 吞吐之比 {seconds_ssl / seconds:5.2f}")
            ratios[label].append(seconds_ssl / seconds)


def bench_chain(events: int):
    from django.db import connection

    from zhifa.records.services import append_event, verify_stream

    print(f"2. 哈希链追加（{events:,} 条，每条一个事务；{connection.vendor}）")
    key = "bench:1"
    started = time.perf_counter()
    for i in range(events):
        append_event(key, "note", f"第{i + 1}条 现场检查记录", payload={"i": i, "officers": ["张三", "李四"],
                     "note": "当事人在场，出示执法证件"}, place={"text": "云岭县新华路12号", "latitude": 34.26, "longitude": 108.94})
    seconds = time.perf_counter() - started
    print(f"  追加 {events:,} 条：{seconds:6.1f} 秒，{events / seconds:8,.0f} 条/秒")
    print("3. 校验")
    result = verify_stream(key)
    print(f"  verify_stream：{result.seconds:6.2f} 秒，{result.events_per_second:8,.0f} 条/秒（{result.message}）")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file-mib", type=int, default=256)
    parser.add_argument("--runs", type=int, default=1, help="store_file / openssl this many times; prints the median ratio")
    parser.add_argument("--events", type=int, default=20_000,
                        help="events appended one by one, then verified (0: skip; python -m benchmarks.chain "
                             "times verification at 100k/1M events)")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent / "var" / "bench-hashing"
    setup(root)
    print(f"Python {sys.version.split()[0]}；CPU {os.cpu_count()} 核")
    sample = root / "sample.mp4"
    make_file(sample, args.file_mib)
    try:
        bench_files(sample, args.file_mib, args.runs)
    finally:
        sample.unlink(missing_ok=True)
    if args.events:
        bench_chain(args.events)


if __name__ == "__main__":
    main()
