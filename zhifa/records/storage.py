"""Where the bytes of stored files live (存储后端): local disk by default, an S3-compatible
object store (对象存储: SeaweedFS, MinIO, a government cloud's OSS) when configured.

Both are Django storages (``settings.STORAGES["default"]``, chosen by the environment in
``settings.py``), and the records app reaches them only through ``default_storage`` and the
helpers below, so the rest of the code base does not know which one is in use.

- ``LocalObjectStorage`` (the embedded default) is Django's ``FileSystemStorage`` that fsyncs
  every saved file and the directories from it up to the storage root before ``save`` returns.
  ``records.services.store_file`` saves inside the caller's transaction, so the row that refers
  to a file commits only after its bytes and its directory entry are on disk: a power cut never
  leaves a committed record pointing at a file the file system forgot.
- ``S3ObjectStorage`` is django-storages' ``S3Storage`` (boto3). ``save`` streams the finished,
  hashed temporary file in multipart parts of ``multipart_chunk_size`` bytes (default 8 MiB;
  S3 refuses parts under 5 MiB) with at most ``max_concurrency`` parts in flight, so memory
  stays bounded whatever the file size; a completed multipart upload is durable on the server.

Objects are named by content (内容寻址): ``objects/ab/cd/<digest>`` (``models.object_name``),
so identical content is stored once and an object can be checked against its name.

Reading (``open_stream``, ``hash_object``) streams: from S3 straight from the GET response body
in chunks — never the whole object in memory or on disk (django-storages' own ``open`` would
spool the whole object first).
"""

import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage, storages

READ_CHUNK = 1024 * 1024
MIN_PART_SIZE = 5 * 1024 * 1024  # S3's smallest part (all but the last)


def fsync_path(path: str | os.PathLike) -> None:
    """Flush a file's or a directory's data and metadata to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalObjectStorage(FileSystemStorage):
    """Local disk (本地磁盘, the embedded default): ``FileSystemStorage`` whose ``save``
    returns only once the file and every directory from it up to the storage root are
    fsynced (a new file's directory entry, and the entries of ``ab/`` and ``cd/`` created for
    it, are themselves data that a crash may lose)."""

    def _save(self, name, content):
        name = super()._save(name, content)
        path = Path(self.path(name))
        root = Path(self.location).resolve()
        fsync_path(path)
        directory = path.parent
        while True:
            fsync_path(directory)
            if directory.resolve() == root or directory.parent == directory:
                break
            directory = directory.parent
        return name

    def open_stream(self, name):
        """The stored bytes as a binary file object (read it in chunks)."""
        return self.open(name, "rb")


def _s3_base():
    from storages.backends.s3 import S3Storage

    return S3Storage


class S3ObjectStorage(_s3_base()):
    """An S3-compatible object store (对象存储) through django-storages and boto3.

    Extra options beside django-storages' own (``bucket_name``, ``endpoint_url``,
    ``access_key``, ``secret_key``, ``region_name``, ``location``, …):

    - ``multipart_chunk_size``: bytes per part of a multipart upload, and the size from which
      uploads go multipart (default 8 MiB, at least 5 MiB);
    - ``max_concurrency``: parts uploaded at once (default 4) — memory used by one upload is
      about ``multipart_chunk_size × max_concurrency``.
    """

    def __init__(self, **options):
        from boto3.s3.transfer import TransferConfig

        chunk = max(int(options.pop("multipart_chunk_size", 8 * 1024 * 1024)), MIN_PART_SIZE)
        concurrency = max(int(options.pop("max_concurrency", 4)), 1)
        options.setdefault(
            "transfer_config",
            TransferConfig(multipart_threshold=chunk, multipart_chunksize=chunk, max_concurrency=concurrency,
                           io_chunksize=256 * 1024),
        )
        options.setdefault("file_overwrite", True)  # names are content hashes: same name, same bytes
        options.setdefault("default_acl", None)
        options.setdefault("querystring_expire", 300)
        super().__init__(**options)
        self.multipart_chunk_size = chunk

    def open_stream(self, name):
        """The object's bytes as a streaming, read-only file object: the body of one GET,
        read in chunks as the caller reads (``FileNotFoundError`` when absent)."""
        from botocore.exceptions import ClientError

        key = self._normalize_name(self._clean(name))
        try:
            # the low-level client of this thread's connection (boto3 resources are not shared
            # safely between the threads of a gthread worker)
            return self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=key)["Body"]
        except ClientError as err:
            if err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                raise FileNotFoundError(f"对象不存在：{name}") from None
            raise

    def object_key(self, name) -> str:
        """The key of ``name`` in the bucket (with the configured ``location`` prefix)."""
        return self._normalize_name(self._clean(name))

    def head(self, name) -> dict:
        """The object's metadata (``ContentLength``, ``ETag`` …) from a HEAD request."""
        return self.connection.meta.client.head_object(Bucket=self.bucket_name, Key=self.object_key(name))

    def ensure_bucket(self) -> bool:
        """Create the bucket if it does not exist; return whether it was created."""
        from botocore.exceptions import ClientError

        client = self.connection.meta.client
        try:
            client.head_bucket(Bucket=self.bucket_name)
            return False
        except ClientError as err:
            if err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") not in (404, 400):
                raise
        params = {"Bucket": self.bucket_name}
        if self.region_name and self.region_name != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": self.region_name}
        try:
            client.create_bucket(**params)
        except ClientError as err:  # created meanwhile by another process
            if err.response.get("Error", {}).get("Code") in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                return False
            raise
        return True

    @staticmethod
    def _clean(name):
        from storages.utils import clean_name

        return clean_name(name)


def open_stream(name: str, storage=None):
    """Open stored object ``name`` for reading in chunks (``FileNotFoundError`` if absent)."""
    storage = storage or default_storage
    opener = getattr(storage, "open_stream", None)
    return opener(name) if opener is not None else storage.open(name, "rb")


def hash_object(name: str, hasher, storage=None) -> int:
    """Feed the stored bytes of ``name`` into ``hasher`` one chunk at a time (streaming
    verification) and return the number of bytes read."""
    size = 0
    with open_stream(name, storage) as handle:
        while chunk := handle.read(READ_CHUNK):
            hasher.update(chunk)
            size += len(chunk)
    return size


def describe(storage=None) -> str:
    """One line for operators: which store holds the files (no secret in it)."""
    storage = storage or storages["default"]
    if isinstance(storage, S3ObjectStorage):
        where = f"{storage.endpoint_url or 'AWS'} 存储桶 {storage.bucket_name}"
        if storage.location:
            where += f" 前缀 {storage.location}/"
        return f"S3 对象存储：{where}（分段 {storage.multipart_chunk_size // 1024**2} MiB）"
    if isinstance(storage, FileSystemStorage):
        return f"本地磁盘：{storage.location}"
    return type(storage).__name__
