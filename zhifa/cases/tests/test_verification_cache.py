"""File verification cached per stored file: the case page's badge reads each file's last
re-hash instead of re-hashing every file on every view; the periodic job re-verifies; the API's
verify and ``zhifa verify`` still re-hash (and record what they found)."""

import datetime
import io

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from zhifa.cases import services
from zhifa.core import jobs
from zhifa.records.models import FileVerification
from zhifa.records.services import store_file
from zhifa.records.verification import cached_stream_verification, verify_files_due


def _case_with_photo(world, open_general):
    case = open_general()
    photo = store_file(io.BytesIO(b"\xff\xd8\xff\xe0" + b"JFIF" + b"7" * 4000), "现场照片.jpg")
    services.add_evidence(case, photo, actor=world.officer_user, kind="audiovisual", title="照片",
                          captured_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
    return case, photo


def _overwrite(stored, data: bytes):
    with default_storage.open(stored.storage_name, "wb") as handle:
        handle.write(data)


def test_the_badge_reads_the_cached_result_and_the_job_re_verifies(client, world, open_general, settings):
    case, photo = _case_with_photo(world, open_general)
    client.force_login(world.officer_user)
    badge = cached_stream_verification(case.stream_key)
    assert badge.ok and badge.pending_files == 1 and badge.checked_files == 0
    assert "1个文件待后台校验" in client.get(case.get_absolute_url()).content.decode()

    assert jobs.run("records.verify_files") == 1
    assert jobs.run("records.verify_files") == 0  # idempotent: nothing is due again yet
    row = FileVerification.objects.get(stored_file=photo)
    assert row.ok and row.verified_by == "records.verify_files"
    html = client.get(case.get_absolute_url()).content.decode()
    assert "全过程记录完整" in html and "文件最近一次重算哈希于" in html

    _overwrite(photo, b"\xff\xd8\xff\xe0" + b"JFIF" + b"8" * 4000)  # same size, other bytes
    # the page does not read the file: the cached result stands until the next check
    assert "全过程记录完整" in client.get(case.get_absolute_url()).content.decode()
    FileVerification.objects.filter(stored_file=photo).update(verified_at=timezone.now() - datetime.timedelta(days=30))
    assert verify_files_due() == 1
    html = client.get(case.get_absolute_url()).content.decode()
    assert "校验未通过" in html and "内容与登记的哈希不符" in html


def test_the_api_verify_re_hashes_at_once_and_updates_the_cache(api_client, world, open_general):
    case, photo = _case_with_photo(world, open_general)
    verify_files_due()
    _overwrite(photo, b"tampered")
    assert cached_stream_verification(case.stream_key).ok  # not re-read yet
    api_client.force_authenticate(world.officer_user)
    result = api_client.get(f"/api/cases/cases/{case.pk}/verify/").json()
    assert result["ok"] is False and photo.hash in result["problem"]
    row = FileVerification.objects.get(stored_file=photo)
    assert not row.ok and row.verified_by == "api:verify"
    assert not cached_stream_verification(case.stream_key).ok


def test_zhifa_verify_re_hashes_and_records(world, open_general, capsys):
    case, photo = _case_with_photo(world, open_general)
    call_command("verify", case.stream_key)
    assert FileVerification.objects.get(stored_file=photo).verified_by == "zhifa verify"
    assert "校验通过" in capsys.readouterr().out
