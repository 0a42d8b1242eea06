"""Excel exports with more rows than a request builds go to a worker (数据导出任务): the owner is
told in a message and downloads the file from "我的导出"; nobody else can."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from zhifa.core import exports
from zhifa.core.models import DataExport
from zhifa.workspace.models import Message

UNIT_HEADERS = ["执法主体", "名称", "类型", "办公地址", "联系电话", "职责", "有效"]


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True)["数据"]
    return [row for row in sheet.iter_rows(values_only=True)]


def _streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_export_within_the_limit_is_downloaded_at_once(client, users, settings):
    settings.ZHIFA_EXPORT_INLINE_ROWS = 2  # county A has two units
    client.force_login(users.admin_a)
    response = client.get("/data/units/export.xlsx")
    assert response.status_code == 200
    assert [r[1] for r in _rows(response.content)[1:]] == ["稽查大队", "云岭镇执法队"]
    assert not DataExport.objects.exists()


def test_a_larger_export_is_built_by_a_worker_and_only_its_owner_downloads_it(
        client, users, settings, django_capture_on_commit_callbacks):
    settings.ZHIFA_EXPORT_INLINE_ROWS = 1
    client.force_login(users.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/data/units/export.xlsx")
    assert response.status_code == 302 and response["Location"] == "/data/exports/"
    export = DataExport.objects.get()
    assert (export.user, export.key, export.status, export.rows) == (users.admin_a, "units", DataExport.DONE, 2)
    assert export.stored_name.startswith("exports/") and export.size > 0

    page = client.get("/data/exports/")
    text = page.content.decode()
    assert "超过 1 行，已转入后台生成" in text  # the message of the redirect
    assert "执法机构" in text and "已完成" in text and f"/data/exports/{export.pk}/download/" in text
    message = Message.objects.get(user=users.admin_a, kind=Message.EXPORT)
    assert message.title == "执法机构导出已完成" and "共 2 行" in message.body and message.url == "/data/exports/"

    download = client.get(f"/data/exports/{export.pk}/download/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    rows = _rows(_streamed(download))
    assert list(rows[0]) == UNIT_HEADERS  # the template's layout: the file re-imports
    assert sorted(r[1] for r in rows[1:]) == ["云岭镇执法队", "稽查大队"]

    client.force_login(users.admin_b)  # another county's administrator
    assert client.get(f"/data/exports/{export.pk}/download/").status_code == 404
    assert f"/data/exports/{export.pk}/" not in client.get("/data/exports/").content.decode()


def test_the_api_answers_202_and_the_export_is_fetched_when_built(
        api_client, users, settings, django_capture_on_commit_callbacks):
    settings.ZHIFA_EXPORT_INLINE_ROWS = 1
    api_client.force_authenticate(users.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.get("/api/core/data/units/export/")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["download_url"] is None  # as the request left it
    assert response["Location"].endswith(f"/api/core/data-exports/{body['id']}/")

    detail = api_client.get(f"/api/core/data-exports/{body['id']}/").json()
    assert (detail["status"], detail["status_display"], detail["rows"]) == ("done", "已完成", 2)
    assert detail["download_url"].endswith(f"/api/core/data-exports/{body['id']}/download/")
    download = api_client.get(detail["download_url"])
    assert download.status_code == 200
    assert len(_rows(_streamed(download))) == 3

    assert [e["id"] for e in api_client.get("/api/core/data-exports/").json()["results"]] == [body["id"]]
    api_client.force_authenticate(users.admin_b)
    assert api_client.get("/api/core/data-exports/").json()["results"] == []
    for path in (f"/api/core/data-exports/{body['id']}/", f"/api/core/data-exports/{body['id']}/download/"):
        answer = api_client.get(path)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


def test_a_failed_export_is_recorded_and_told_to_its_owner(
        client, users, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.ZHIFA_EXPORT_INLINE_ROWS = 1

    def broken(*args, **kwargs):
        raise OSError("存储空间不足")

    monkeypatch.setattr(exports, "write_workbook", broken)
    client.force_login(users.admin_a)
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        client.get("/data/units/export.xlsx")  # the test runs jobs at once, where a failure raises
    export = DataExport.objects.get()
    assert export.status == DataExport.FAILED and export.error == "存储空间不足" and not export.stored_name
    assert Message.objects.get(user=users.admin_a, kind=Message.EXPORT).title == "执法机构导出失败"
    text = client.get("/data/exports/").content.decode()
    assert "生成失败" in text and "存储空间不足" in text
    assert client.get(f"/data/exports/{export.pk}/download/").status_code == 404


def test_exports_past_their_keeping_period_are_deleted_with_their_files(users, settings):
    settings.ZHIFA_EXPORT_KEEP_DAYS = 7
    now = timezone.now()
    names = [default_storage.save(f"exports/t-{n}.xlsx", ContentFile(b"xlsx")) for n in range(2)]
    old = DataExport.objects.create(user=users.admin_a, key="units", title="执法机构", status=DataExport.DONE,
                                    stored_name=names[0], created_at=now - datetime.timedelta(days=8))
    fresh = DataExport.objects.create(user=users.admin_a, key="units", title="执法机构", status=DataExport.DONE,
                                      stored_name=names[1], created_at=now - datetime.timedelta(days=6))
    assert old.expired and not fresh.expired
    assert exports.purge_expired(now) == 1
    assert list(DataExport.objects.all()) == [fresh]
    assert not default_storage.exists(names[0]) and default_storage.exists(names[1])
    assert exports.purge_expired(now) == 0  # idempotent


def test_an_expired_export_is_not_downloaded(client, users):
    name = default_storage.save("exports/t-old.xlsx", ContentFile(b"xlsx"))
    export = DataExport.objects.create(user=users.admin_a, key="units", title="执法机构", status=DataExport.DONE,
                                       stored_name=name, created_at=timezone.now() - datetime.timedelta(days=30))
    client.force_login(users.admin_a)
    assert client.get(f"/data/exports/{export.pk}/download/").status_code == 404
    assert "已过期" in client.get("/data/exports/").content.decode()


def test_the_worker_writes_the_export_into_the_object_store(
        client, users, settings, s3_storage, django_capture_on_commit_callbacks):
    """With an S3 store configured the file is an object of the bucket, streamed back on download."""
    settings.ZHIFA_EXPORT_INLINE_ROWS = 1
    client.force_login(users.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/data/units/export.xlsx")
    export = DataExport.objects.get()
    assert s3_storage.exists(export.stored_name) and s3_storage.size(export.stored_name) == export.size
    assert len(_rows(_streamed(client.get(f"/data/exports/{export.pk}/download/")))) == 3
