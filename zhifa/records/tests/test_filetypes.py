"""The upload allow-list (恶意代码防范, issue #10 item 11): files are judged by their bytes;
programs and scripts are refused with a clear Chinese message, in the service and the API."""

import io
import os

import pytest

from zhifa.core import filetypes
from zhifa.core.filetypes import FileTypeRefused
from zhifa.records.models import StoredFile, Upload
from zhifa.records.services import store_file
from zhifa.records.testing import ELF_HEAD, MP4_HEAD, PE_HEAD, zip_bytes

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(2000)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)
PDF = b"%PDF-1.7\n" + b"x" * 500
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + bytes(500)
AMR = b"#!AMR\n" + bytes(100)


@pytest.mark.parametrize(("data", "name", "mime"), [
    (JPEG, "现场照片.jpg", "image/jpeg"),
    (PNG, "截图.png", "image/png"),
    (PDF, "询问笔录.pdf", "application/pdf"),
    (MP3, "录音.mp3", "audio/mpeg"),
    (AMR, "录音.amr", "audio/amr"),
    (MP4_HEAD + bytes(1000), "执法记录仪.mp4", "video/mp4"),
    (zip_bytes({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}), "笔录.docx", None),
    (zip_bytes({"1.jpg": JPEG, "2.pdf": PDF}), "现场照片.zip", "application/zip"),
    ("当事人陈述，共两页。\n".encode(), "陈述.txt", ""),
    ("名称,金额\n某公司,100\n".encode("gb18030"), "清单.csv", ""),
])
def test_media_and_documents_are_accepted(data, name, mime):
    """Photos, audio, video, PDF, office documents, plain text and ZIPs of them are stored."""
    stored = store_file(io.BytesIO(data), name)
    assert stored.size == len(data)
    if mime is not None:
        assert filetypes.check_head(data[: filetypes.HEAD_SIZE], name) == mime


@pytest.mark.parametrize(("data", "name"), [
    (ELF_HEAD + bytes(500), "程序"),
    (ELF_HEAD + bytes(500), "照片.jpg"),  # renamed: the bytes decide
    (PE_HEAD + bytes(500), "setup.exe"),
    (PE_HEAD + bytes(500), "现场照片.jpg"),
    (b"#!/bin/sh\nrm -rf /\n", "说明.txt"),  # an interpreter line makes it a script
    (JPEG, "photo.jpg.exe"),  # a program's name, whatever the content
    (b"echo hi\r\n", "run.bat"),
    (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(100), "tool"),  # Mach-O
    (zip_bytes({"照片.jpg": JPEG, "payload.exe": PE_HEAD}), "证据.zip"),
    (zip_bytes({"inner.zip": zip_bytes({"a.exe": PE_HEAD})}), "证据.zip"),
    (zip_bytes({"word/document.xml": b"<w/>", "word/vbaProject.bin": b"x"}), "宏.docx"),
])
def test_programs_and_scripts_are_refused(data, name):
    """A program is refused with a Chinese message naming the file, and nothing is stored."""
    with pytest.raises(FileTypeRefused) as refused:
        store_file(io.BytesIO(data), name)
    message = refused.value.messages[0]
    assert "不能上传" in message and os.path.basename(name) in message
    assert not StoredFile.objects.exists()


@pytest.mark.parametrize(("data", "name", "reason"), [
    (b"Rar!\x1a\x07\x01\x00" + bytes(100), "证据.rar", "无法检查内容的压缩包"),
    (bytes(range(256)) * 4, "数据.dat", "无法识别的文件格式"),
    (b"<html><script>alert(1)</script></html>", "page.txt.html", "可执行程序或脚本"),
    (b"PK\x03\x04 broken", "a.zip", "损坏的压缩文件"),
])
def test_unknown_and_uncheckable_formats_are_refused(data, name, reason):
    """Archives that cannot be opened and bytes of no known kind are refused, saying why."""
    with pytest.raises(FileTypeRefused) as refused:
        store_file(io.BytesIO(data), name)
    assert reason in refused.value.messages[0]


def _patch(api_client, upload_id, offset, body):
    return api_client.generic("PATCH", f"/api/records/uploads/{upload_id}/", body,
                              content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET=str(offset))


def test_api_refuses_a_program_name_at_declaration(api_client, users):
    """Declaring ``setup.exe`` answers 415 with the structured error, before any byte is sent."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.post("/api/records/uploads/", {"name": "setup.exe", "size": 1000}, format="json")
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["status"] == 415 and error["code"] == "file_type_refused"
    assert "可执行程序" in error["message"] and error["fields"]["name"] == [error["message"]]
    assert not Upload.objects.exists()


def test_api_stops_a_disguised_program_after_its_first_chunk(api_client, users):
    """A 2 MB ELF program named ``video.mp4``: the first chunk answers 415, the upload and its
    partial file are gone, and nothing is stored."""
    api_client.force_authenticate(users.officer_a)
    size = 2 * 1024 * 1024
    created = api_client.post("/api/records/uploads/", {"name": "video.mp4", "size": size}, format="json").json()
    temp_path = Upload.objects.get().temp_path
    response = _patch(api_client, created["id"], 0, ELF_HEAD + bytes(64 * 1024 - len(ELF_HEAD)))
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "file_type_refused" and "video.mp4" in error["message"]
    assert error["fields"]["file"] == [error["message"]]
    assert not Upload.objects.exists() and not os.path.exists(temp_path)
    assert not StoredFile.objects.exists()
    assert _patch(api_client, created["id"], 64 * 1024, bytes(10)).status_code == 404


def test_api_checks_a_zip_when_complete(api_client, users):
    """A ZIP's members are only known at the end: the last chunk answers 415 if one is a program."""
    api_client.force_authenticate(users.officer_a)
    data = zip_bytes({"照片.jpg": JPEG * 10, "run.sh": b"#!/bin/sh\n"})
    created = api_client.post("/api/records/uploads/", {"name": "证据.zip", "size": len(data)}, format="json").json()
    half = len(data) // 2
    first = _patch(api_client, created["id"], 0, data[:half])
    assert first.status_code == 200 and first.json()["complete"] is False
    last = _patch(api_client, created["id"], half, data[half:])
    assert last.status_code == 415 and "run.sh" in last.json()["error"]["message"]
    assert not Upload.objects.exists() and not StoredFile.objects.exists()


def test_api_accepts_a_video_in_chunks(api_client, users):
    """A video sent in two chunks passes the check on its first bytes and is stored."""
    api_client.force_authenticate(users.officer_a)
    data = MP4_HEAD + os.urandom(20000)
    created = api_client.post("/api/records/uploads/", {"name": "执法记录仪.mp4", "size": len(data)},
                              format="json").json()
    assert _patch(api_client, created["id"], 0, data[:100]).status_code == 200  # head not complete yet
    done = _patch(api_client, created["id"], 100, data[100:])
    assert done.status_code == 200 and done.json()["stored_file"]["content_type"] == "video/mp4"
