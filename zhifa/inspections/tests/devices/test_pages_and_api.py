"""Pages, API and portal of the register: scoped to the user's part of the tree, JSON writes,
flat lists, and the public side (published devices, the party's view)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.inspections.devices import services
from zhifa.inspections.models.devices import CAMERA, Device, DeviceRecord
from zhifa.records.models import Upload

from .conftest import UTC, D, photo

pytestmark = pytest.mark.django_db


def _uploaded(user, seed=b"u"):
    stored = photo(seed)
    Upload.objects.create(owner=user, name=stored.original_name, size=stored.size, received=stored.size,
                          temp_path="/nonexistent", completed=stored)
    return stored


def test_another_countys_devices_and_records_are_out_of_reach(world, devices, capture, client, api_client):
    """officer_b (青石县) neither lists, reads nor changes 云岭县's register or records."""
    record = capture()
    outsider = world.users.officer_b
    api_client.force_login(outsider)
    listed = api_client.get("/api/inspections/devices/").json()["results"]
    assert [d["serial"] for d in listed] == ["QS-JK-001"]
    assert api_client.get(f"/api/inspections/devices/{devices.reviewed.pk}/").status_code == 404
    assert api_client.get(f"/api/inspections/device-records/{record.pk}/").status_code == 404
    assert api_client.get("/api/inspections/device-records/").json()["results"] == []
    assert api_client.post(f"/api/inspections/device-records/{record.pk}/review/",
                           {"is_true": True, "is_clear": True, "is_complete": True, "is_accurate": True},
                           format="json").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/inspections/devices/{devices.reviewed.pk}/").status_code == 404
    assert client.get(f"/inspections/device-records/{record.pk}/").status_code == 404
    assert client.get(f"/inspections/device-records/{record.pk}/review/").status_code == 404
    page = client.get("/inspections/devices/").content.decode()
    assert "QS-JK-001" in page and "YL-JK-001" not in page
    # a head of the other county cannot issue 云岭县's camera to their own officer either
    admin_b = world.users.admin_b
    api_client.force_login(admin_b)
    assert api_client.post(f"/api/inspections/devices/{devices.camera1.pk}/issue/", {"officer": world.o1.pk},
                           format="json").status_code == 404


def test_api_registers_a_device_in_json_only_with_structured_errors(world, api_client):
    api_client.force_login(world.head)
    body = {"kind": "monitor", "serial": "YL-JK-010", "agency": world.tree.market.pk, "location": "云岭县南街",
            "published": True}
    refused = api_client.post("/api/inspections/devices/", body, format="json")
    assert refused.status_code == 400
    assert "未通过法制审核和技术审核" in refused.json()["error"]["fields"]["published"][0]
    body["published"] = False
    assert api_client.post("/api/inspections/devices/", dict(body, legal_review_file=photo(b"x").pk),
                           format="json").status_code == 400  # not the user's own upload
    body["legal_review_file"] = _uploaded(world.head, b"review").pk
    created = api_client.post("/api/inspections/devices/", body, format="json")
    assert created.status_code == 201 and created.json()["serial"] == "YL-JK-010"
    assert created.json()["legal_review_file"] == body.pop("legal_review_file")
    form = api_client.post("/api/inspections/devices/", "kind=camera&serial=Z-1",
                           content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415  # JSON only
    other_agency = dict(body, serial="X-1", agency=world.tree.other_market.pk)
    assert api_client.post("/api/inspections/devices/", other_agency, format="json").status_code == 400
    api_client.force_login(world.officer_user)
    assert api_client.post("/api/inspections/devices/", dict(body, serial="Y-2"), format="json").status_code == 403


def test_api_capture_review_notify_open_case(world, devices, api_client):
    api_client.force_login(world.officer_user)
    stored = _uploaded(world.officer_user)
    body = {"device": devices.reviewed.pk, "captured_at": "2026-10-30T09:30:00+08:00",
            "party_identifier": world.company.credit_code, "party": world.company.pk, "item": world.item.pk,
            "content": "占道经营", "files": [stored.pk]}
    created = api_client.post("/api/inspections/device-records/", body, format="json")
    assert created.status_code == 201, created.json()
    record_id = created.json()["id"]
    assert created.json()["actions"]["review"] is False  # the one who entered it does not review it
    foreign = photo(b"not mine")
    refused = api_client.post("/api/inspections/device-records/", dict(body, files=[foreign.pk]), format="json")
    assert refused.status_code == 400
    unpublished = api_client.post("/api/inspections/device-records/", dict(body, device=devices.unreviewed.pk),
                                  format="json")
    assert unpublished.status_code == 400 and "未向社会公布" in unpublished.json()["error"]["fields"]["device"][0]

    api_client.force_login(world.head)
    reviewed = api_client.post(f"/api/inspections/device-records/{record_id}/review/",
                               {"is_true": True, "is_clear": True, "is_complete": True, "is_accurate": True},
                               format="json")
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "accepted"
    api_client.force_login(world.officer_user)
    notified = api_client.post(f"/api/inspections/device-records/{record_id}/notify/",
                               {"channel": "sms", "to": "13800000000"}, format="json")
    assert notified.status_code == 200 and "查询码" in notified.json()["notice_text"]
    opened = api_client.post(f"/api/inspections/device-records/{record_id}/open-case/",
                             {"officers": [world.o1.pk, world.o2.pk]}, format="json")
    assert opened.status_code == 201, opened.json()
    case_id = opened.json()["case"]
    evidence = api_client.get(f"/api/cases/cases/{case_id}/evidence/").json()
    assert evidence[0]["registered_device"] == devices.reviewed.pk


def test_web_pages_render_and_capture_with_a_file(world, devices, client):
    client.force_login(world.officer_user)
    assert "/inspections/device-records/new/" in client.get("/inspections/device-records/").content.decode()
    assert "/inspections/devices/new/" not in client.get("/inspections/devices/").content.decode()
    for url in ("/inspections/devices/", f"/inspections/devices/{devices.reviewed.pk}/",
                f"/inspections/devices/{devices.camera1.pk}/", "/inspections/device-records/",
                "/inspections/device-records/new/"):
        assert client.get(url).status_code == 200, url
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("抓拍.jpg", b"\xff\xd8\xff\xe0JFIF" + b"w" * 3000, content_type="image/jpeg")
    response = client.post("/inspections/device-records/new/", {
        "device": devices.reviewed.pk, "captured_at": "2026-10-30T09:30", "party_identifier": "陕A12345",
        "content": "违法停车", "files": upload,
    })
    assert response.status_code == 302
    record = DeviceRecord.objects.get(party_identifier="陕A12345")
    assert record.files.count() == 1
    detail = client.get(record.get_absolute_url()).content.decode()
    assert "待审核" in detail and "device_record_review" not in detail
    client.force_login(world.head)
    page = client.post(f"/inspections/device-records/{record.pk}/review/", {"is_true": "on", "is_clear": "on"})
    assert page.status_code == 200 and "审核不通过时应写明理由" in page.content.decode()
    assert client.get("/inspections/devices/new/").status_code == 200
    response = client.post(f"/inspections/devices/{devices.camera1.pk}/issue/", {"officer": world.o1.pk})
    assert response.status_code == 302
    devices.camera1.refresh_from_db()
    assert devices.camera1.holder == world.o1


def test_register_and_record_lists_stay_flat(world, devices, capture, client, api_client):
    """One query count for a page whatever the number of rows (no per-row queries)."""
    client.force_login(world.head)
    api_client.force_login(world.head)

    def counts():
        out = []
        for url, c in (("/inspections/devices/", client), ("/inspections/device-records/", client),
                       ("/api/inspections/devices/", api_client), ("/api/inspections/device-records/", api_client),
                       ("/public/monitoring-devices/", client), ("/api/public/monitoring-devices/", api_client)):
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url).status_code == 200
            out.append(len(ctx))
        return out

    capture()
    before = counts()
    for n in range(8):
        Device.objects.create(kind=CAMERA, serial=f"YL-JLY-9{n}", agency=world.tree.market, holder=world.o1 if n else None)
        capture(files=[photo(bytes([n + 1]))], captured_at=datetime.datetime(2026, 10, 30, 10, n, tzinfo=UTC))
    assert counts() == before


def test_portal_lists_only_published_reviewed_devices(world, devices, client):
    page = client.get("/public/monitoring-devices/").content.decode()
    assert "YL-JK-001" in page and "QS-JK-001" in page and "YL-JK-002" not in page and "YL-JLY-01" not in page
    filtered = client.get(f"/public/monitoring-devices/?region={world.tree.other_county.pk}").content.decode()
    assert "QS-JK-001" in filtered and "YL-JK-001" not in filtered
    data = client.get("/api/public/monitoring-devices/").json()
    assert {row["serial"] for row in data["results"]} == {"YL-JK-001", "QS-JK-001"}
    csv = client.get("/api/public/monitoring-devices/?format=csv")
    assert csv.status_code == 200 and "人民路与解放路交叉口" in b"".join(csv.streaming_content).decode("utf-8-sig")


def test_party_view_needs_the_right_code(world, capture, client):
    record = services.review_record(capture(), actor=world.head, is_true=True, is_clear=True, is_complete=True,
                                    is_accurate=True)
    page = client.get(f"/public/device-records/?number={record.number}&code=ABCDEFGH").content.decode()
    assert "记录编号或查询码不正确" in page and "占道堆放" not in page  # not notified yet: nothing to show
    record = services.notify_party(record, actor=world.officer_user, channel="sms", to="13800000000")
    page = client.get(f"/public/device-records/?number={record.number}&code=ABCDEFGH").content.decode()
    assert "记录编号或查询码不正确" in page
    response = client.get(f"/public/device-records/?number={record.number}&code={record.access_code}")
    page = response.content.decode()
    assert "占道堆放" in page and "提交陈述、申辩" in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_record_stream_is_readable_only_in_scope(world, capture):
    from zhifa.records.services import may_access_stream

    record = capture()
    assert may_access_stream(world.head, record.stream_key)
    assert not may_access_stream(world.users.officer_b, record.stream_key)
    assert D(2026, 11, 2)  # the fixed day of the world


def test_case_evidence_page_offers_the_register_and_refuses_a_camera_held_by_no_one(world, devices, client,
                                                                                    open_general):
    case = open_general()
    client.force_login(world.officer_user)
    page = client.get(f"/cases/{case.pk}/evidence/new/")
    text = page.content.decode()
    assert page.status_code == 200 and "登记的采集设备" in text and "YL-JLY-01" in text and "QS-JK-001" not in text
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("视频截图.jpg", b"\xff\xd8\xff\xe0JFIF" + b"v" * 3000, content_type="image/jpeg")
    response = client.post(f"/cases/{case.pk}/evidence/new/", {
        "file": upload, "kind": "audiovisual", "title": "执法记录仪截图", "captured_at": "2026-11-01T10:00",
        "registered_device": devices.camera1.pk,
    })
    assert response.status_code == 200 and "未领用给任何人员" in response.content.decode()
    assert not case.evidence.exists()


def test_web_steps_review_notify_and_open_a_case_led_by_the_first_officer_chosen(world, capture, client):
    record = capture()
    client.force_login(world.head)
    response = client.post(f"/inspections/device-records/{record.pk}/review/",
                           {"is_true": "on", "is_clear": "on", "is_complete": "on", "is_accurate": "on"})
    assert response.status_code == 302
    client.force_login(world.officer_user)
    assert client.post(f"/inspections/device-records/{record.pk}/notify/",
                       {"channel": "sms", "to": "13800000000"}).status_code == 302
    page = client.get(record.get_absolute_url()).content.decode()
    assert "device_record_open_case" not in page and f"/inspections/device-records/{record.pk}/open-case/" in page
    response = client.post(f"/inspections/device-records/{record.pk}/open-case/", {
        "item": world.item.pk, "party": world.company.pk, "officers": [world.o2.pk, world.o1.pk]})
    assert response.status_code == 302
    record.refresh_from_db()
    lead = record.case.assignments.get(role="lead")
    assert lead.officer == world.o2


def test_review_files_are_stored_with_the_device(world, devices, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.head)
    pdf = SimpleUploadedFile("法制审核意见.pdf", b"%PDF-1.4 legal review", content_type="application/pdf")
    device = devices.unreviewed
    response = client.post(f"/inspections/devices/{device.pk}/edit/", {
        "kind": "monitor", "serial": device.serial, "agency": device.agency_id, "status": "in_service",
        "in_service_on": "2026-01-01", "location": device.location, "legal_review_on": "2026-02-01",
        "legal_reviewer": "张法制", "legal_review_conclusion": "passed", "legal_review_upload": pdf,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    device.refresh_from_db()
    assert device.legal_review_file.original_name == "法制审核意见.pdf"
    assert "法制审核意见.pdf" in client.get(device.get_absolute_url()).content.decode()
