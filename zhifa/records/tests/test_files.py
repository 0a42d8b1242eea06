"""Content-addressed storage and resumable uploads: streamed, deduplicated, owner-only."""

import hashlib
import io
import os
import tracemalloc

import pytest
from rest_framework.test import APIRequestFactory, force_authenticate

from zhifa.records.api.views import UploadDetailView
from zhifa.records.models import StoredFile, Upload
from zhifa.records.services import open_stored, rehash, start_upload, store_file
from zhifa.records.testing import MP4_HEAD

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


class GeneratedReader:
    """A binary file object producing ``size`` bytes on demand (never holding them all)."""

    def __init__(self, size: int, seed: bytes = b"zhifa"):
        self.size, self.position = size, 0
        self.block = (MP4_HEAD + hashlib.sha256(seed).digest() * 2048)[:65536]  # 64 KiB, starts like an MP4

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.size - self.position
        n = min(n, self.size - self.position, len(self.block))
        self.position += n
        return self.block[:n]

    def readline(self, limit: int = -1) -> bytes:
        return self.read(limit)


def expected_sm3(size: int, seed: bytes = b"zhifa") -> str:
    reader, hasher = GeneratedReader(size, seed), hashlib.new("sm3")
    while chunk := reader.read(MB):
        hasher.update(chunk)
    return hasher.hexdigest()


def test_store_file_is_content_addressed_and_deduplicated(media_root):
    """The bytes land under objects/ab/cd/<hash>; storing the same bytes again returns the same row."""
    pdf = b"%PDF-1.7\n" + b"x" * 5000
    first = store_file(io.BytesIO(pdf), "询问笔录.pdf", "application/octet-stream")
    assert first.hash == hashlib.new("sm3", pdf).hexdigest() and first.algorithm == "sm3"
    assert first.size == len(pdf) and first.content_type == "application/pdf"  # detected, not declared
    assert first.storage_name == f"objects/{first.hash[:2]}/{first.hash[2:4]}/{first.hash}"
    assert (media_root / first.storage_name).read_bytes() == pdf
    again = store_file(io.BytesIO(pdf), "复制件.pdf")
    assert again.pk == first.pk and StoredFile.objects.count() == 1
    with open_stored(first) as fh:
        assert fh.read() == pdf
    assert rehash(first) == first.hash
    plain = store_file(io.BytesIO(b"plain text"), "说明.txt", "text/plain")
    assert plain.content_type == "text/plain"
    assert not list((media_root / "tmp").iterdir())  # no temporary file left behind


def test_store_file_streams_without_reading_the_whole_file():
    """A 20 MB file is stored from a chunked reader with memory peak far below its size."""
    size = 20 * MB
    tracemalloc.start()
    try:
        stored = store_file(GeneratedReader(size), "执法记录仪.mp4", "video/mp4")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.size == size and stored.hash == expected_sm3(size)
    assert peak < 5 * MB, f"peak {peak / MB:.1f} MB"


def test_sha256_storage(settings):
    """With ZHIFA_HASH_ALGORITHM = "sha256" files are hashed with SHA-256 and verify with it."""
    settings.ZHIFA_HASH_ALGORITHM = "sha256"
    stored = store_file(io.BytesIO(b"abc"), "a.txt")
    assert stored.algorithm == "sha256"
    assert stored.hash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert rehash(stored) == stored.hash


def test_resumable_upload_in_three_chunks_with_a_wrong_offset_retry(api_client, users):
    """Declare, send three chunks (one retried at a wrong offset → 409 with the current offset),
    and get the stored file when the last byte arrives."""
    data = MP4_HEAD + os.urandom(3 * MB + 123)
    api_client.force_authenticate(users.officer_a)
    created = api_client.post("/api/records/uploads/", {"name": "视频.mp4", "size": len(data),
                                                         "content_type": "video/mp4"}, format="json")
    assert created.status_code == 201
    url = f"/api/records/uploads/{created.json()['id']}/"
    assert created["Location"].endswith(url) and created.json()["offset"] == 0

    def patch(offset, body):
        return api_client.generic("PATCH", url, body, content_type="application/offset+octet-stream",
                                  HTTP_UPLOAD_OFFSET=str(offset))

    cuts = [0, 1 * MB + 5, 2 * MB + 77, len(data)]
    first = patch(0, data[cuts[0]:cuts[1]])
    assert first.status_code == 200 and first.json()["offset"] == cuts[1] and first["Upload-Offset"] == str(cuts[1])
    # the client lost the answer and resends chunk one: refused with the real offset
    stale = patch(0, data[cuts[0]:cuts[1]])
    assert stale.status_code == 409 and stale["Upload-Offset"] == str(cuts[1])
    assert stale.json()["error"]["offset"] == cuts[1]
    second = patch(cuts[1], data[cuts[1]:cuts[2]])
    assert second.json()["offset"] == cuts[2] and second.json()["complete"] is False
    status = api_client.head(url)
    assert status.status_code == 200 and status["Upload-Offset"] == str(cuts[2])
    last = patch(cuts[2], data[cuts[2]:])
    body = last.json()
    assert last.status_code == 200 and body["complete"] is True
    assert body["stored_file"]["hash"] == hashlib.new("sm3", data).hexdigest()
    stored = StoredFile.objects.get(pk=body["stored_file"]["id"])
    assert stored.size == len(data) and rehash(stored) == stored.hash
    assert not os.path.exists(Upload.objects.get().temp_path)
    assert patch(len(data), b"x").status_code == 409  # finished
    too_much = api_client.post("/api/records/uploads/", {"name": "x", "size": 10}, format="json").json()
    over = api_client.generic("PATCH", f"/api/records/uploads/{too_much['id']}/", b"y" * 11,
                              content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0")
    assert over.status_code == 400 and "超出" in over.json()["error"]["message"]
    wrong_type = api_client.generic("PATCH", f"/api/records/uploads/{too_much['id']}/", b"y",
                                    content_type="application/json", HTTP_UPLOAD_OFFSET="0")
    assert wrong_type.status_code == 415


def test_upload_of_identical_bytes_is_deduplicated(api_client, users):
    """Two uploads of the same bytes end in one stored file."""
    api_client.force_authenticate(users.officer_a)
    ids = []
    for name in ("a.txt", "b.txt"):
        upload = api_client.post("/api/records/uploads/", {"name": name, "size": 6}, format="json").json()
        done = api_client.generic("PATCH", f"/api/records/uploads/{upload['id']}/", b"same!!",
                                  content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0").json()
        ids.append(done["stored_file"]["id"])
    assert ids[0] == ids[1] and StoredFile.objects.count() == 1


def test_patch_body_is_streamed_not_read_whole(users):
    """A 20 MB chunk is read from the request stream piece by piece: memory peak stays small and
    request.body is never loaded (DATA_UPLOAD_MAX_MEMORY_SIZE does not apply)."""
    size = 20 * MB
    upload = start_upload(users.officer_a, "记录仪.mp4", size)
    request = APIRequestFactory().generic("PATCH", f"/api/records/uploads/{upload.pk}/", b"",
                                          content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0")
    request.META["CONTENT_LENGTH"] = str(size)
    from django.core.handlers.wsgi import LimitedStream

    request._stream = LimitedStream(GeneratedReader(size), size)
    force_authenticate(request, users.officer_a)
    tracemalloc.start()
    try:
        response = UploadDetailView.as_view()(request, pk=upload.pk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200, response.data
    assert response.data["complete"] is True
    assert response.data["stored_file"]["hash"] == expected_sm3(size)
    assert peak < 6 * MB, f"peak {peak / MB:.1f} MB"
    assert not hasattr(request, "_body")  # request.body was never loaded


def test_an_upload_is_visible_to_its_uploader_only(api_client, users, django_assert_max_num_queries):
    """Another user can neither read nor PATCH nor cancel my upload (404); my list is flat."""
    api_client.force_authenticate(users.officer_a)
    mine = api_client.post("/api/records/uploads/", {"name": "a.jpg", "size": 4}, format="json").json()
    url = f"/api/records/uploads/{mine['id']}/"
    api_client.force_authenticate(users.auxiliary_a)
    assert api_client.get(url).status_code == 404
    assert api_client.generic("PATCH", url, b"abcd", content_type="application/offset+octet-stream",
                              HTTP_UPLOAD_OFFSET="0").status_code == 404
    assert api_client.delete(url).status_code == 404
    assert api_client.get("/api/records/uploads/").json()["count"] == 0
    api_client.force_authenticate(users.admin_a)  # records view only: cannot upload
    assert api_client.post("/api/records/uploads/", {"name": "a", "size": 1}, format="json").status_code == 403
    api_client.force_authenticate(users.officer_a)
    with django_assert_max_num_queries(6):
        listing = api_client.get("/api/records/uploads/")
    assert listing.json()["count"] == 1
    assert api_client.delete(url).status_code == 204
    assert not Upload.objects.exists()


def test_abandoned_uploads_are_purged(users):
    """Unfinished uploads untouched for a week are removed with their partial files; finished ones stay."""
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    old = start_upload(users.officer_a, "半截.mp4", 100)
    fresh = start_upload(users.officer_a, "新.mp4", 100)
    done = start_upload(users.officer_a, "空.txt", 0)
    Upload.objects.filter(pk__in=[old.pk, done.pk]).update(updated=timezone.now() - datetime.timedelta(days=8))
    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    assert "已删除 1 个" in out.getvalue()
    assert set(Upload.objects.values_list("pk", flat=True)) == {fresh.pk, done.pk}
    assert not os.path.exists(old.temp_path) and os.path.exists(fresh.temp_path)
    assert Upload.objects.get(pk=done.pk).completed.size == 0
