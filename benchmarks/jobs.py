"""Task layer benchmarks — print numbers, assert nothing.

    python -m benchmarks.jobs                 # 20 files of 16 MiB in one stream, 500 runs queued
    python -m benchmarks.jobs --files 5 --file-mib 64 --runs 200

Uses a fresh SQLite database under var/bench-jobs/ unless ZHIFA_DATABASE_URL is set (then that
database must be empty). Measures:

1. the case page's record badge: ``cached_stream_verification`` (chain now, files from their
   cached re-hash) beside ``verify_stream`` re-hashing every file, as every page view did before;
2. ``jobs.enqueue`` rate (a queued run is one INSERT into the ORM broker's table);
3. the queue as the administrator's page reads it (``queued_runs``) with that many runs waiting.
"""

import argparse
import io
import os
import shutil
import statistics
import time
from pathlib import Path

MIB = 1024 * 1024


def setup(root: Path):
    if "ZHIFA_DATABASE_URL" not in os.environ:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        os.environ["ZHIFA_VAR_DIR"] = str(root)
    os.environ.setdefault("ZHIFA_MEDIA_ROOT", str(root / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--file-mib", type=int, default=16)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args(argv)
    setup(Path.cwd() / "var" / "bench-jobs")

    from django.db import transaction

    from zhifa.core import jobs
    from zhifa.records.services import append_event, store_file, verify_stream
    from zhifa.records.testing import MP4_HEAD
    from zhifa.records.verification import cached_stream_verification, verify_files_due

    key = "bench:jobs"
    for i in range(args.files):
        head = MP4_HEAD + i.to_bytes(8, "little")  # a video by its first bytes (upload allow-list)
        data = head + os.urandom(args.file_mib * MIB - len(head))
        stored = store_file(io.BytesIO(data), f"video{i}.mp4", "video/mp4")
        with transaction.atomic():
            append_event(key, "evidence", f"证据{i}", files=[stored])
    total = args.files * args.file_mib
    print(f"1. record badge of one stream with {args.files} files ({total} MiB):")
    full = median_seconds(lambda: verify_stream(key), 3)
    print(f"   verify_stream re-hashing every file (each view before): {full * 1000:,.0f} ms")
    started = time.perf_counter()
    checked = verify_files_due()
    print(f"   records.verify_files job, once: {checked} files in {time.perf_counter() - started:,.1f} s")
    cached = median_seconds(lambda: cached_stream_verification(key), 20)
    print(f"   cached_stream_verification (each view now): {cached * 1000:,.1f} ms")

    from django.conf import settings

    settings.ZHIFA_JOBS_SYNC = False
    started = time.perf_counter()
    for _ in range(args.runs):
        jobs.enqueue("records.verify_files")
    seconds = time.perf_counter() - started
    print(f"2. jobs.enqueue: {args.runs / seconds:,.0f} runs/s ({args.runs} runs)")
    listing = median_seconds(lambda: jobs.queued_runs(), 10)
    print(f"3. queued_runs with {args.runs} waiting (page shows 200): {listing * 1000:,.1f} ms")


if __name__ == "__main__":
    main()
