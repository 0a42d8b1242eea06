"""The case file (REC-3), the record's verification (REC-1) and access logging (REC-4) through the API."""

import datetime
import io
import zipfile

import pytest
from pypdf import PdfReader

from zhifa.cases import casefile, services
from zhifa.catalog import choices as cc
from zhifa.records.models import AccessLog, Event, StoredFile
from zhifa.records.services import store_file
from zhifa.records.testing import tamper

from .test_procedure import _investigate


@pytest.fixture
def proposed_case(world, open_general, django_capture_on_commit_callbacks):
    # execute=True: the document PDFs are converted by their job as after a real commit
    with django_capture_on_commit_callbacks(execute=True):
        case = open_general()
        _investigate(world, case)
        services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                fine_amount=8000)
        return services.perform_transition(case, "propose", actor=world.officer_user)


def test_case_file_is_assembled_in_standard_order_with_an_index(world, proposed_case):
    items = casefile.entries(proposed_case)
    titles = [e.title for e in items]
    assert titles[0] == "立案审批表" and titles[1] == "现场检查笔录"
    assert titles[2].startswith("证据1：货架照片")
    pdf = PdfReader(io.BytesIO(casefile.case_file_pdf(proposed_case)))
    text = pdf.pages[0].extract_text()
    assert "卷" in text and "目" in text and "立案审批表" in text
    assert len(pdf.pages) >= 3


def test_media_package_holds_the_evidence_and_a_hash_manifest(world, proposed_case):
    package = zipfile.ZipFile(casefile.media_package(proposed_case))
    names = package.namelist()
    assert "证据001.jpg" in names and "清单.csv" in names
    manifest = package.read("清单.csv").decode("utf-8-sig")
    stored = proposed_case.evidence.get(number=1).file
    assert stored.hash in manifest


def test_verify_names_a_changed_event_and_a_changed_file(api_client, world, proposed_case):
    """A row changed behind the application's back, then a stored file changed on disk: verify names each."""
    api_client.force_authenticate(world.officer_user)
    url = f"/api/cases/cases/{proposed_case.pk}/verify/"
    assert api_client.get(url).json()["ok"] is True
    event = Event.objects.filter(stream__key=proposed_case.stream_key).order_by("seq")[2]
    tamper(f"UPDATE {Event._meta.db_table} SET summary = %s WHERE id = %s", ["篡改后的摘要", event.pk])
    body = api_client.get(url).json()
    assert body["ok"] is False and body["first_broken_seq"] == event.seq and str(event.seq) in body["problem"]
    assert AccessLog.objects.filter(action="verify", user=world.officer_user).count() == 2


def test_verify_detects_a_file_changed_on_disk(api_client, world, open_general, settings):
    case = open_general()
    stored = store_file(io.BytesIO(b"\xff\xd8\xff\xe0JFIF" + bytes(100)), "p.jpg")
    services.add_evidence(case, stored, actor=world.officer_user, kind="audiovisual", title="照片",
                          captured_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
    from django.core.files.storage import default_storage

    from zhifa.records.models import object_name

    with default_storage.open(object_name(stored.hash), "wb") as handle:
        handle.write(b"tampered")
    api_client.force_authenticate(world.officer_user)
    body = api_client.get(f"/api/cases/cases/{case.pk}/verify/").json()
    assert body["ok"] is False and stored.hash[:12] in body["problem"]
    assert StoredFile.objects.filter(pk=stored.pk).exists()


def test_other_county_cannot_read_or_act_on_the_case(api_client, world, proposed_case):
    api_client.force_authenticate(world.users.officer_b)
    assert api_client.get(f"/api/cases/cases/{proposed_case.pk}/").status_code == 404
    assert api_client.get(f"/api/cases/cases/{proposed_case.pk}/events/").status_code == 404
    response = api_client.post(f"/api/cases/cases/{proposed_case.pk}/transition/", {"transition": "notify"}, format="json")
    assert response.status_code == 404
    assert api_client.get("/api/cases/cases/").json()["count"] == 0


def test_api_transition_refusal_is_structured(api_client, world, open_general):
    case = open_general(officers=[world.o1])
    api_client.force_authenticate(world.unit_head)
    response = api_client.post(f"/api/cases/cases/{case.pk}/transition/", {"transition": "file"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert any("不足两名" in m for m in error["fields"]["transition"])


def test_supervisor_calls_up_the_case_and_the_access_is_logged(api_client, world, proposed_case):
    api_client.force_authenticate(world.users.supervisor_a)
    assert api_client.get(f"/api/cases/cases/{proposed_case.pk}/").status_code == 200
    events = api_client.get(f"/api/cases/cases/{proposed_case.pk}/events/").json()
    assert events[0]["kind"] == "opened" and len(events[0]["hash"]) == 64
    assert AccessLog.objects.filter(user=world.users.supervisor_a, action="view").count() == 2
    response = api_client.get(f"/api/cases/cases/{proposed_case.pk}/case-file/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(user=world.users.supervisor_a, action="download").count() == 1


def test_case_list_query_count_is_flat(api_client, world, open_general, django_assert_max_num_queries):
    for _ in range(3):
        open_general()
    api_client.force_authenticate(world.officer_user)
    with django_assert_max_num_queries(10):
        assert api_client.get("/api/cases/cases/").json()["count"] == 3
    for _ in range(12):
        open_general()
    with django_assert_max_num_queries(10):
        assert api_client.get("/api/cases/cases/").json()["count"] == 15


def test_case_file_pages_list_the_contents_and_log_every_access(client, world, proposed_case):
    client.force_login(world.users.supervisor_a)
    page = client.get(f"/cases/{proposed_case.pk}/case-file/")
    assert page.status_code == 200 and "立案审批表" in page.content.decode() and "证据1" in page.content.decode()
    pdf = client.get(f"/cases/{proposed_case.pk}/case-file/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    media = client.get(f"/cases/{proposed_case.pk}/case-file/media/")
    assert media.status_code == 200 and b"".join(media.streaming_content).startswith(b"PK")
    assert AccessLog.objects.filter(user=world.users.supervisor_a, action="view").count() == 1
    assert AccessLog.objects.filter(user=world.users.supervisor_a, action="download").count() == 2
    client.force_login(world.users.officer_b)
    assert client.get(f"/cases/{proposed_case.pk}/case-file/").status_code == 404
