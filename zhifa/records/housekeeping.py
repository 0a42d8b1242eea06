"""Orphan objects in the object store (无引用存储对象清理, issue #14).

``store_file`` saves a file's bytes inside the caller's transaction; when that transaction rolls
back, the bytes stay in the store (local disk or S3) with no ``StoredFile`` row naming them. The
job "records.sweep_orphans" (daily) and ``zhifa sweep_objects`` delete such objects:

- only names of the content-addressed form ``objects/ab/cd/<digest>`` (``models.object_name``) —
  nothing else in the store is ever touched;
- only objects older than the grace period (``ZHIFA_ORPHAN_GRACE_HOURS``, default 48 hours) by
  the store's own modification time, so the bytes of a transaction still open are safe;
- only when no ``StoredFile`` row has that digest (rows are shared by every record that refers to
  the same content: the row *is* the reference; rows are append-only and never deleted);
- checked again, object by object, right before deleting (age from a fresh ``stat``/``HEAD``, the
  row looked up again), so an upload that re-saved the bytes meanwhile keeps them.

``store_file`` re-saves a leftover object it finds without a row (``services._finalize``), which
gives it a fresh modification time: the grace period then covers the transaction creating its row.

``dry_run=True`` lists what would be deleted and deletes nothing. The job is idempotent.
"""

import datetime
import logging
import os
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone

from .models import StoredFile, object_name

logger = logging.getLogger(__name__)

JOB_NAME = "records.sweep_orphans"
PREFIX = "objects/"
OBJECT_NAME = re.compile(r"^objects/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{2,128})$")
BATCH = 1000


def grace_period() -> datetime.timedelta:
    return datetime.timedelta(hours=int(getattr(settings, "ZHIFA_ORPHAN_GRACE_HOURS", 48)))


@dataclass
class SweepResult:
    """What a sweep saw and did."""

    checked: int = 0  # content-addressed objects listed
    young: int = 0  # unreferenced but within the grace period
    orphans: list[str] = field(default_factory=list)  # unreferenced and old enough
    deleted: int = 0
    bytes_deleted: int = 0
    dry_run: bool = False

    @property
    def summary(self) -> str:
        verb = "可删除" if self.dry_run else "已删除"
        return (f"检查存储对象 {self.checked:,} 个；无引用且超过保留期 {len(self.orphans):,} 个，{verb} "
                f"{len(self.orphans) if self.dry_run else self.deleted:,} 个（{self.bytes_deleted:,} 字节）；"
                f"无引用但仍在保留期内 {self.young:,} 个")


def digest_of(name: str) -> str | None:
    """The digest in a content-addressed object name, None for any other name."""
    match = OBJECT_NAME.match(name)
    if match is None:
        return None
    digest = match.group(3)
    return digest if object_name(digest) == name else None


def list_objects(storage=None):
    """``(name, modified, size)`` of every object under ``objects/`` (streamed: pages of 1,000 from
    S3, a directory walk on local disk)."""
    storage = storage or default_storage
    if isinstance(storage, FileSystemStorage):
        root = os.path.join(storage.location, PREFIX)
        for directory, _dirs, files in os.walk(root):
            for filename in files:
                path = os.path.join(directory, filename)
                stat = os.stat(path)
                name = os.path.relpath(path, storage.location).replace(os.sep, "/")
                yield name, datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC), stat.st_size
        return
    client = storage.connection.meta.client
    prefix = storage.object_key(PREFIX)
    location = prefix[: -len(PREFIX)]
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=storage.bucket_name, Prefix=prefix):
        for entry in page.get("Contents", ()):
            yield entry["Key"][len(location):], entry["LastModified"], entry["Size"]


def modified_now(name: str, storage=None) -> datetime.datetime | None:
    """The object's modification time read again (None when it is gone)."""
    storage = storage or default_storage
    try:
        if isinstance(storage, FileSystemStorage):
            return datetime.datetime.fromtimestamp(os.stat(storage.path(name)).st_mtime, tz=datetime.UTC)
        return storage.head(name)["LastModified"]
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001  (botocore's 404 on HEAD)
        if getattr(exc, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
            return None
        raise


def sweep_orphans(*, dry_run: bool = False, grace: datetime.timedelta | None = None, now=None,
                  storage=None) -> SweepResult:
    """Delete (or with ``dry_run`` only list) objects no ``StoredFile`` row refers to and older
    than ``grace``. See the module docstring for every safeguard."""
    storage = storage or default_storage
    grace = grace_period() if grace is None else grace
    cutoff = (now or timezone.now()) - grace
    result = SweepResult(dry_run=dry_run)
    batch: list[tuple[str, str, datetime.datetime, int]] = []

    def flush():
        known = set(StoredFile.objects.filter(hash__in=[digest for _, digest, _, _ in batch])
                    .values_list("hash", flat=True))
        for name, digest, modified, size in batch:
            if digest in known:
                continue
            if modified > cutoff:
                result.young += 1
                continue
            result.orphans.append(name)
            if dry_run:
                result.bytes_deleted += size
                continue
            # again, right before deleting: still old (not re-saved meanwhile) and still unreferenced
            fresh = modified_now(name, storage)
            if fresh is None or fresh > cutoff or StoredFile.objects.filter(hash=digest).exists():
                result.orphans.pop()
                continue
            storage.delete(name)
            result.deleted += 1
            result.bytes_deleted += size
            logger.info("deleted orphan object %s (%s bytes, modified %s)", name, size, modified.isoformat())
        batch.clear()

    for name, modified, size in list_objects(storage):
        digest = digest_of(name)
        if digest is None:
            continue
        result.checked += 1
        batch.append((name, digest, modified, size))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return result


def sweep_orphans_job() -> str:
    """Job "records.sweep_orphans": the sweep with the configured grace period; its summary."""
    return sweep_orphans().summary
