"""Inspection documents get their PDF like case documents (CASE-4): converted by LibreOffice in
the job "inspections.convert_documents" after the transaction commits, recorded in the
inspection's hash-chained record, downloadable (logged) within scope only; the sweep converts
documents that never got their PDF."""

import pytest
from django.db import transaction
from django.urls import reverse

from zhifa.core import jobs
from zhifa.core.testing import PASSWORD
from zhifa.inspections.acts import services
from zhifa.inspections.models import InspectionDocument
from zhifa.records.models import Event
from zhifa.records.services import verify_stream

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_the_pdf_is_converted_after_commit_and_recorded(world, inspect, django_capture_on_commit_callbacks):
    """Registering the inspection stores the 行政检查审批表 as DOCX, marked 正在生成; after the
    commit the job converts it (a real LibreOffice run) and writes the PDF into the record."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            inspection = inspect()
    document = inspection.documents.get()
    assert document.pdf_id is None and document.get_pdf_status_display() == "正在生成"
    assert callbacks
    for callback in callbacks:  # what the commit does: the job runs (sync mode in unit tests)
        callback()
    document.refresh_from_db()
    assert document.pdf_status == InspectionDocument.PDF_READY and document.pdf.content_type == "application/pdf"
    assert document.pdf.size > 1000
    event = Event.objects.filter(stream__key=inspection.stream_key, kind="document").get()
    assert event.summary == "生成行政检查审批表（PDF）" and event.files[0]["hash"] == document.pdf.hash
    assert verify_stream(inspection.stream_key).ok
    # idempotent: a second delivery or the sweep stores nothing more
    assert services.convert_pending_documents([document.pk]) == 0
    assert Event.objects.filter(stream__key=inspection.stream_key, kind="document").count() == 1


def test_the_jobs_are_registered():
    assert jobs.get("inspections.convert_documents").func == "zhifa.inspections.acts.services.convert_pending_documents"
    assert jobs.get("inspections.convert_sweep").every_minutes == 10


def test_the_sweep_converts_documents_without_a_request_time(world, inspect):
    """Documents made before PDFs existed (pending, no request time) are picked up by the sweep."""
    inspection = inspect()  # inside the test's transaction: the after-commit job never runs
    document = inspection.documents.get()
    InspectionDocument.objects.filter(pk=document.pk).update(pdf_requested_at=None)
    assert services.convert_stale_documents() == 1
    document.refresh_from_db()
    assert document.pdf_status == InspectionDocument.PDF_READY
    assert services.convert_stale_documents() == 0


def test_page_links_the_pdf_and_another_countys_officer_cannot_download_it(client, world, users, inspect):
    inspection = inspect()
    document = inspection.documents.get()
    pdf_url = reverse("inspections:act_document_pdf", args=[inspection.pk, document.pk])
    _login(client, world.officer_user)
    assert "PDF正在生成" in client.get(inspection.get_absolute_url()).content.decode()
    assert client.get(pdf_url).status_code == 404  # not converted yet
    services.convert_pending_documents([document.pk])
    assert pdf_url in client.get(inspection.get_absolute_url()).content.decode()
    response = client.get(pdf_url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.logout()
    _login(client, users.officer_b)
    assert client.get(pdf_url).status_code == 404
