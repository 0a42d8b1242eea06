"""Object-store benchmarks — print numbers, assert nothing.

    python -m benchmarks.objectstore                    # 64 MiB file, 200 photos of 200 KiB
    python -m benchmarks.objectstore --file-mib 256 --photos 1000

Uses a fresh SQLite database under var/bench-objectstore/. Measures, on local disk (fsynced, the
embedded default) and on SeaweedFS's S3 gateway on loopback (``ZHIFA_TEST_S3_URL`` if set,
otherwise started with scripts/s3-server.sh for the run):

1. ``store_file`` of one large video (MB/s: hash while spooling, then move / multipart upload);
2. ``store_file`` of many photos (files per second: the typical evidence upload);
3. streaming verification (``rehash``: read back in 1 MiB chunks and SM3 again, MB/s).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MIB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent


class Generated:
    """``size`` bytes of an MP4-looking file, produced on demand."""

    def __init__(self, size: int, seed: int):
        self.size, self.position = size, 0
        self.block = b"\x00\x00\x00\x18ftypmp42" + seed.to_bytes(8, "little") + os.urandom(MIB - 20)

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.position if n is None or n < 0 else min(n, self.size - self.position)
        n = min(n, len(self.block))
        self.position += n
        return self.block[:n]


def setup(root: Path):
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    os.environ["ZHIFA_VAR_DIR"] = str(root)
    os.environ.pop("ZHIFA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def use_store(setting: dict):
    from django.conf import settings
    from django.core.files.storage import default_storage, storages
    from django.utils.functional import empty

    settings.STORAGES = {**settings.STORAGES, "default": setting}
    storages.__dict__.pop("backends", None)  # a cached_property of the handler
    storages._backends = None
    storages._storages = {}
    default_storage._wrapped = empty
    return storages["default"]


def measure(label: str, file_mib: int, photos: int) -> None:
    from zhifa.records.services import rehash, store_file

    started = time.perf_counter()
    video = store_file(Generated(file_mib * MIB, seed=hash(label) & 0xFFFF), "执法记录仪.mp4")
    seconds = time.perf_counter() - started
    print(f"{label:10} store_file {file_mib} MiB 视频       {file_mib / seconds:8.1f} MB/s  ({seconds:.2f} s)")
    started = time.perf_counter()
    for i in range(photos):
        store_file(Generated(200 * 1024, seed=(hash(label) + i) & 0xFFFFFF), f"照片{i}.mp4")
    seconds = time.perf_counter() - started
    print(f"{label:10} store_file {photos} × 200 KiB 照片  {photos / seconds:8.1f} 个/s  ({seconds:.2f} s)")
    started = time.perf_counter()
    assert rehash(video) == video.hash
    seconds = time.perf_counter() - started
    print(f"{label:10} 流式校验 rehash {file_mib} MiB     {file_mib / seconds:8.1f} MB/s  ({seconds:.2f} s)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file-mib", type=int, default=64)
    parser.add_argument("--photos", type=int, default=200)
    args = parser.parse_args(argv)
    root = ROOT / "var" / "bench-objectstore"
    setup(root)
    from zhifa.settings import object_store_setting

    print(f"objectstore benchmark: {os.cpu_count()} CPU, load {os.getloadavg()[0]:.1f}")
    use_store({"BACKEND": "zhifa.records.storage.LocalObjectStorage"})
    measure("本地磁盘", args.file_mib, args.photos)

    url, server_dir = os.environ.get("ZHIFA_TEST_S3_URL"), None
    if not url:
        server_dir = tempfile.mkdtemp(prefix="zhifa-bench-s3.")
        started = subprocess.run([str(ROOT / "scripts" / "s3-server.sh"), "start", server_dir], capture_output=True,
                                 text=True, env={**os.environ, "PYTHON": sys.executable}, check=True)
        url = started.stdout.strip().splitlines()[-1]
    try:
        store = use_store(object_store_setting({
            "ZHIFA_S3_ENDPOINT": url, "ZHIFA_S3_BUCKET": "zhifa-bench", "ZHIFA_S3_ACCESS_KEY": "zhifa",
            "ZHIFA_S3_SECRET_KEY": "zhifa", "ZHIFA_S3_PREFIX": f"bench-{int(time.time())}",
        }))
        store.ensure_bucket()
        measure("SeaweedFS", args.file_mib, args.photos)
    finally:
        if server_dir:
            subprocess.run([str(ROOT / "scripts" / "s3-server.sh"), "stop", server_dir], check=False)
            shutil.rmtree(server_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
