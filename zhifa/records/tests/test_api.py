"""Stream endpoints, the owner registry and the access log (REC-4)."""

import io

import pytest
from django.core.exceptions import ValidationError

from zhifa.core.testing import PASSWORD
from zhifa.records.models import AccessLog
from zhifa.records.services import append_event, log_access, may_access_stream, store_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream(owners, users):
    photo = store_file(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"p" * 300), "现场.png")
    for i in range(1, 6):
        append_event("test:1", "note", f"第{i}条", actor=users.officer_a, files=[photo] if i == 3 else ())
    append_event("test:secret", "note", "不可见")
    return photo


def test_registry_refuses_unknown_prefixes_and_asks_the_resolver(owners, users):
    """Unknown or malformed keys raise; registered prefixes ask their resolver."""
    with pytest.raises(ValidationError, match="不支持的记录流"):
        may_access_stream(users.officer_a, "nobody:1")
    with pytest.raises(ValidationError):
        may_access_stream(users.officer_a, "test")
    assert may_access_stream(users.officer_a, "test:1")
    assert not may_access_stream(users.officer_b, "test:1")
    assert not may_access_stream(users.officer_a, "deny:1")


def test_events_and_verify_endpoints(api_client, users, stream, django_assert_max_num_queries):
    """A permitted user lists events (flat) and verifies the stream; both are logged."""
    api_client.force_authenticate(users.officer_a)
    with django_assert_max_num_queries(8):
        events = api_client.get("/api/records/streams/test:1/events/")
    assert events.status_code == 200
    data = events.json()
    assert data["count"] == 5 and data["results"][2]["files"][0]["hash"] == stream.hash
    verify = api_client.get("/api/records/streams/test:1/verify/")
    body = verify.json()
    assert verify.status_code == 200 and body["ok"] is True
    assert body["checked_events"] == 5 and body["checked_files"] == 1 and "校验通过" in body["message"]
    assert list(AccessLog.objects.order_by("id").values_list("action", "stream_key")) == [
        ("view", "test:1"), ("verify", "test:1"),
    ]


def test_stream_endpoints_refuse_unknown_and_denied_streams(api_client, users, stream):
    """Unknown prefix → 400; the resolver saying no → 404 (for every stream endpoint)."""
    api_client.force_authenticate(users.officer_a)
    unknown = api_client.get("/api/records/streams/nobody:1/verify/")
    assert unknown.status_code == 400 and "不支持的记录流" in unknown.json()["error"]["message"]
    for url in ("/api/records/streams/deny:1/verify/", "/api/records/streams/test:secret/events/",
                f"/api/records/streams/deny:1/files/{stream.hash}/"):
        assert api_client.get(url).status_code == 404, url
    api_client.force_authenticate(users.officer_b)
    assert api_client.get("/api/records/streams/test:1/verify/").status_code == 404
    api_client.force_authenticate(users.security_a)  # no records capability at all
    assert api_client.get("/api/records/streams/test:1/verify/").status_code == 403
    api_client.force_authenticate(None)
    assert api_client.get("/api/records/streams/test:1/verify/").status_code in (401, 403)
    assert not AccessLog.objects.exists()


def test_download_of_a_registered_file_is_logged(api_client, users, stream):
    """A file referenced by the stream downloads with its bytes; a file of another stream does not."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.get(f"/api/records/streams/test:1/files/{stream.hash}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    other = store_file(io.BytesIO(b"other"), "other.txt")
    assert api_client.get(f"/api/records/streams/test:1/files/{other.hash}/").status_code == 404
    log = AccessLog.objects.get(action="download")
    assert (log.object_type, log.object_id, log.stream_key, log.user) == (
        "records.storedfile", str(stream.pk), "test:1", users.officer_a)
    assert log.ip == "127.0.0.1"


def test_access_log_api(api_client, users, stream, django_assert_max_num_queries):
    """log_access writes rows; /api/records/access/?stream= lists them newest first, flat —
    for the audit administrator only (the access log is an audit record)."""
    for _ in range(3):
        log_access(users.officer_a, "view", "test:1")
    log_access(users.head_a, "download", stream, stream_key="test:1")
    log_access(users.head_a, "view", "test:2")
    for reader in (users.officer_a, users.supervisor_a, users.admin_a, users.head_a):
        api_client.force_authenticate(reader)
        assert api_client.get("/api/records/access/?stream=test:1").status_code == 403
    api_client.force_authenticate(users.auditor_city)
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/records/access/?stream=test:1")
    data = response.json()
    assert response.status_code == 200 and data["count"] == 4
    assert data["results"][0]["action"] == "download" and data["results"][0]["action_display"] == "下载"
    assert api_client.get("/api/records/access/").json()["count"] == 5
    assert api_client.get("/api/records/access/?action=download").json()["count"] == 1
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()


def test_stream_page(client, users, stream, django_assert_max_num_queries):
    """The timeline page lists events and verifies on request; others get 404."""
    assert client.login(username="officer_a", password=PASSWORD)
    with django_assert_max_num_queries(12):
        page = client.get("/records/streams/test:1/")
    body = page.content.decode()
    assert page.status_code == 200 and "第3条" in body and "现场.png" in body
    checked = client.get("/records/streams/test:1/?verify=1").content.decode()
    assert "校验通过" in checked
    assert client.get("/records/streams/test:secret/").status_code == 404
    assert client.get("/records/streams/nobody:1/").status_code == 404
    upload_page = client.get("/records/upload/")
    assert upload_page.status_code == 200 and "records/upload.js" in upload_page.content.decode()
