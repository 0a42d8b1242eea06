"""Housekeeping jobs (issue #14): orphan objects swept from local disk and from a real S3 server
(SeaweedFS) — only unreferenced content-addressed objects past the grace period, never a shared
or young one, a dry run deleting nothing — and the task queue's old runs pruned."""

import datetime
import io
import os
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from zhifa.core import jobs
from zhifa.core.housekeeping import prune_job_history
from zhifa.records.housekeeping import digest_of, sweep_orphans
from zhifa.records.models import StoredFile, object_name
from zhifa.records.services import append_event, rehash, store_file, verify_stream

from .test_object_store import keys_under

pytestmark = pytest.mark.django_db

DAYS = datetime.timedelta(days=1)


def pdf(tag: str) -> bytes:
    return b"%PDF-1.7\n" + tag.encode() + os.urandom(1500)


def rolled_back_store(data: bytes) -> str:
    """Store ``data`` in a transaction that rolls back: its bytes stay, no row names them."""
    with pytest.raises(RuntimeError), transaction.atomic():
        stored = store_file(io.BytesIO(data), "决定书.pdf")
        name = stored.storage_name
        raise RuntimeError("rolled back")
    assert not StoredFile.objects.filter(hash=digest_of(name)).exists()
    return name


def age(media_root, name: str, days: int) -> None:
    then = (timezone.now() - days * DAYS).timestamp()
    os.utime(media_root / name, (then, then))


def test_local_sweep_deletes_only_old_unreferenced_objects(media_root):
    """On local disk: an old object no row names is deleted; an old object a row names (shared by
    two records), a young orphan and files that are not content-addressed objects stay; a dry run
    lists the orphan and deletes nothing; a second sweep finds nothing."""
    content = pdf("shared")
    shared = store_file(io.BytesIO(content), "决定书.pdf")
    append_event("test:a", "evidence", "登记证据", files=[shared])
    again = store_file(io.BytesIO(content), "副本.pdf")
    assert again.pk == shared.pk  # one row, one object, two records
    append_event("test:b", "evidence", "同一文件再次登记", files=[again])
    old_orphan = rolled_back_store(pdf("old"))
    young_orphan = rolled_back_store(pdf("young"))
    stray = media_root / "objects" / "readme.txt"
    stray.write_text("not an object")
    other = media_root / "exports" / "report.xlsx"
    other.parent.mkdir(parents=True)
    other.write_bytes(b"x")
    for name in (shared.storage_name, old_orphan):
        age(media_root, name, 5)

    dry = sweep_orphans(dry_run=True)
    assert dry.orphans == [old_orphan] and dry.deleted == 0 and dry.young == 1 and dry.checked == 3
    assert (media_root / old_orphan).exists()
    assert "可删除 1 个" in dry.summary

    done = sweep_orphans()
    assert done.deleted == 1 and done.orphans == [old_orphan] and done.bytes_deleted > 1500
    assert not (media_root / old_orphan).exists()
    assert (media_root / shared.storage_name).exists() and (media_root / young_orphan).exists()
    assert stray.exists() and other.exists()
    assert verify_stream("test:a").ok and verify_stream("test:b").ok
    assert sweep_orphans().deleted == 0


def test_the_grace_period_protects_a_leftover_being_stored_again(media_root):
    """A leftover re-stored by ``store_file`` is saved afresh: its age starts again, so a sweep
    running before the new row commits cannot delete it; once stored its row protects it."""
    data = pdf("again")
    name = rolled_back_store(data)
    age(media_root, name, 5)
    with transaction.atomic():
        stored = store_file(io.BytesIO(data), "决定书.pdf")
        modified = datetime.datetime.fromtimestamp(os.stat(media_root / name).st_mtime, tz=datetime.UTC)
        assert modified > timezone.now() - DAYS
    assert sweep_orphans(now=timezone.now() + 10 * DAYS).deleted == 0
    assert rehash(stored) == stored.hash


def test_s3_sweep_deletes_only_old_unreferenced_objects(s3_storage):
    """On the S3 server: within the grace period nothing is deleted; past it the orphan object
    goes, the referenced one stays; a dry run deletes nothing."""
    kept = store_file(io.BytesIO(pdf("kept")), "决定书.pdf")
    orphan = rolled_back_store(pdf("orphan"))
    prefix = s3_storage.location + "/"
    assert {prefix + kept.storage_name, prefix + orphan} <= set(keys_under(s3_storage))

    now = sweep_orphans()
    assert now.deleted == 0 and now.young == 1 and now.checked == 2
    later = timezone.now() + 3 * DAYS
    dry = sweep_orphans(dry_run=True, now=later)
    assert dry.orphans == [orphan] and prefix + orphan in keys_under(s3_storage)
    done = sweep_orphans(now=later)
    assert done.deleted == 1
    assert keys_under(s3_storage) == [prefix + kept.storage_name]
    assert rehash(kept) == kept.hash


def test_sweep_command_and_job(media_root, capsys):
    """``zhifa sweep_objects --dry-run --list`` names the orphan and keeps it; the daily job
    "records.sweep_orphans" deletes it."""
    name = rolled_back_store(pdf("cmd"))
    age(media_root, name, 5)
    call_command("sweep_objects", "--dry-run", "--list")
    out = capsys.readouterr().out
    assert name in out and "可删除 1 个" in out and "本地磁盘" in out
    assert (media_root / name).exists()
    job = jobs.get("records.sweep_orphans")
    assert job.daily_at and job.label == "清理无引用的存储对象"
    assert "已删除 1 个" in jobs.run("records.sweep_orphans")
    assert not (media_root / name).exists()
    assert digest_of("objects/ab/cd/ef12") is None and digest_of(object_name("abcd" * 16)) == "abcd" * 16


def _task(days_ago: float, success: bool):
    from django_q.models import Task

    stopped = timezone.now() - datetime.timedelta(days=days_ago)
    return Task.objects.create(id=uuid.uuid4().hex, name=uuid.uuid4().hex[:20], func="zhifa.core.jobs.run",
                               started=stopped - datetime.timedelta(seconds=3), stopped=stopped, success=success)


def test_prune_job_history_keeps_recent_runs_and_failures_longer(capsys):
    """Successes older than 30 days and failures older than 90 go; recent runs, and failures
    younger than 90 days, stay; a dry run only counts."""
    from django_q.models import Task

    recent, old = _task(2, True), _task(40, True)
    failure_kept, failure_old = _task(40, False), _task(100, False)
    call_command("prune_job_history", "--dry-run")
    assert "可删除过期的后台任务记录：成功 1 条，失败 1 条" in capsys.readouterr().out
    assert Task.objects.count() == 4
    result = prune_job_history()
    assert (result.successes, result.failures) == (1, 1)
    assert set(Task.objects.values_list("id", flat=True)) == {recent.id, failure_kept.id}
    assert not Task.objects.filter(id__in=[old.id, failure_old.id]).exists()
    assert jobs.get("core.prune_job_history").daily_at
    assert prune_job_history().successes == 0
