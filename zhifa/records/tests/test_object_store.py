"""The object store (对象存储, issue #14): local disk fsynced before the commit, and a real
S3 server (SeaweedFS on loopback) with streamed multipart uploads, deduplication, streaming
verification that catches a changed or missing object, and streamed downloads."""

import hashlib
import io
import os
import tracemalloc

import boto3
import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import transaction

from zhifa.records import storage as object_storage
from zhifa.records.models import StoredFile, object_name
from zhifa.records.services import append_event, open_stored, rehash, store_file, verify_stream
from zhifa.records.storage import LocalObjectStorage, S3ObjectStorage
from zhifa.settings import object_store_setting

from .test_files import MB, GeneratedReader, expected_sm3

pytestmark = pytest.mark.django_db


def s3_client(storage: S3ObjectStorage):
    """A plain boto3 client on the same server: what an attacker with bucket access could do."""
    return boto3.client("s3", endpoint_url=storage.endpoint_url, aws_access_key_id="zhifa",
                        aws_secret_access_key="zhifa-test-secret", region_name="us-east-1")


def keys_under(storage: S3ObjectStorage) -> list[str]:
    listing = s3_client(storage).list_objects_v2(Bucket=storage.bucket_name, Prefix=storage.location + "/")
    return sorted(entry["Key"] for entry in listing.get("Contents", ()))


def test_settings_choose_local_disk_by_default_and_s3_when_a_bucket_is_named():
    """No ZHIFA_S3_BUCKET: local disk. With it: django-storages' S3 with the endpoint, keys,
    prefix and part size from the environment."""
    assert object_store_setting({}) == {"BACKEND": "zhifa.records.storage.LocalObjectStorage"}
    setting = object_store_setting({
        "ZHIFA_S3_BUCKET": "zhifa", "ZHIFA_S3_ENDPOINT": "http://10.0.0.7:8333", "ZHIFA_S3_ACCESS_KEY": "ak",
        "ZHIFA_S3_SECRET_KEY": "sk", "ZHIFA_S3_PREFIX": "/yunling/", "ZHIFA_S3_PART_MB": "16",
    })
    assert setting["BACKEND"] == "zhifa.records.storage.S3ObjectStorage"
    options = setting["OPTIONS"]
    assert options["bucket_name"] == "zhifa" and options["endpoint_url"] == "http://10.0.0.7:8333"
    assert (options["access_key"], options["secret_key"], options["location"]) == ("ak", "sk", "yunling")
    storage = S3ObjectStorage(**options)
    assert storage.multipart_chunk_size == 16 * MB
    assert storage.transfer_config.multipart_threshold == 16 * MB
    assert S3ObjectStorage(**{**options, "multipart_chunk_size": 1024}).multipart_chunk_size == 5 * MB


def test_local_disk_fsyncs_the_file_and_its_directories_before_the_transaction_commits(monkeypatch, media_root):
    """The bytes and the directory entries (file, cd/, ab/, objects/, the root) are fsynced
    while the transaction that records the file is still open."""
    synced = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    with transaction.atomic():
        stored = store_file(io.BytesIO(b"%PDF-1.7\n" + os.urandom(3000)), "现场笔录.pdf")
        append_event("test:fsync", "evidence", "登记证据", files=[stored])
        assert transaction.get_connection().in_atomic_block
        path = (media_root / stored.storage_name).resolve()
        expected = [str(path), str(path.parent), str(path.parent.parent), str(path.parent.parent.parent),
                    str(media_root.resolve())]
        assert synced[-5:] == expected, synced
    assert isinstance(storages["default"], LocalObjectStorage)


def test_s3_upload_over_five_mib_goes_multipart_streams_and_deduplicates(s3_storage):
    """An 11 MiB file is stored in S3 in two parts (8 MiB + 3 MiB: its ETag counts the parts)
    with memory far below its size; storing it again adds neither a row nor an object."""
    size = 11 * MB
    tracemalloc.start()
    try:
        stored = store_file(GeneratedReader(size, b"s3"), "执法记录仪.mp4", "video/mp4")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.size == size and stored.hash == expected_sm3(size, b"s3")
    head = s3_storage.head(stored.storage_name)
    assert head["ContentLength"] == size
    assert head["ETag"].strip('"').endswith("-2"), head["ETag"]  # a completed two-part multipart upload
    assert peak < 3 * 8 * MB, f"peak {peak / MB:.1f} MB"  # parts in flight, never the whole file
    assert keys_under(s3_storage) == [f"{s3_storage.location}/{stored.storage_name}"]
    again = store_file(GeneratedReader(size, b"s3"), "复制件.mp4")
    assert again.pk == stored.pk and StoredFile.objects.count() == 1
    assert len(keys_under(s3_storage)) == 1
    small = store_file(io.BytesIO(b"%PDF-1.7\n" + b"x" * 5000), "笔录.pdf")
    assert "-" not in s3_storage.head(small.storage_name)["ETag"]  # under one part: a single PUT


def test_s3_reads_stream_and_verification_rehashes_in_chunks(s3_storage):
    """Reading a stored object streams the GET body; ``rehash`` recomputes the SM3 digest from it."""
    data = b"\xff\xd8\xff\xe0JFIF" + os.urandom(6 * MB)
    stored = store_file(io.BytesIO(data), "现场照片.jpg")
    with open_stored(stored) as handle:
        first = handle.read(MB)
        assert len(first) == MB and first == data[:MB]
        assert first + handle.read() == data
    assert rehash(stored) == hashlib.new("sm3", data).hexdigest() == stored.hash
    with pytest.raises(FileNotFoundError):
        object_storage.open_stream("objects/00/00/absent")


def test_s3_verification_detects_a_tampered_and_a_missing_object(s3_storage):
    """Someone with access to the bucket overwrites one object and deletes another: ``verify``
    names both, the record chain itself being intact."""
    photo = store_file(io.BytesIO(b"\xff\xd8\xff\xe0JFIF" + os.urandom(4000)), "现场照片.jpg")
    video = store_file(GeneratedReader(6 * MB, b"video"), "录像.mp4")
    append_event("test:s3", "evidence", "登记证据", files=[photo, video])
    assert verify_stream("test:s3").ok
    client = s3_client(s3_storage)
    client.put_object(Bucket=s3_storage.bucket_name, Key=s3_storage.object_key(photo.storage_name),
                      Body=b"\xff\xd8\xff\xe0JFIF" + os.urandom(4000))
    client.delete_object(Bucket=s3_storage.bucket_name, Key=s3_storage.object_key(video.storage_name))
    result = verify_stream("test:s3")
    assert not result.ok and result.checked_events == 1
    assert any(f"文件 {photo.hash} 的内容与登记的哈希不符" in p for p in result.problems), result.problems
    assert any(f"文件 {video.hash} 缺失" in p for p in result.problems), result.problems


def test_a_leftover_object_is_replaced_by_the_fresh_bytes(s3_storage):
    """An object left by a rolled-back transaction (here overwritten with garbage) is replaced
    by the bytes being stored (which also renews its age for the orphan sweep)."""
    data = b"%PDF-1.7\n" + os.urandom(2000)
    digest = hashlib.new("sm3", data).hexdigest()
    with pytest.raises(RuntimeError), transaction.atomic():
        store_file(io.BytesIO(data), "决定书.pdf")
        raise RuntimeError("rolled back")
    assert not StoredFile.objects.filter(hash=digest).exists()
    assert s3_storage.exists(object_name(digest))
    client = s3_client(s3_storage)
    client.put_object(Bucket=s3_storage.bucket_name, Key=s3_storage.object_key(object_name(digest)),
                      Body=b"garbage")
    stored = store_file(io.BytesIO(data), "决定书.pdf")
    assert stored.hash == digest and rehash(stored) == digest


def test_objectstore_command_creates_the_bucket_and_checks_a_round_trip(s3_storage, capsys):
    """``zhifa objectstore --create-bucket --check`` names the store, creates the bucket and
    writes, reads and deletes a probe object."""
    s3_client(s3_storage)  # the bucket exists (fixture); the command is idempotent
    call_command("objectstore", "--create-bucket", "--check")
    out = capsys.readouterr().out
    assert "S3 对象存储" in out and s3_storage.bucket_name in out and "读写校验通过" in out
    assert keys_under(s3_storage) == []
