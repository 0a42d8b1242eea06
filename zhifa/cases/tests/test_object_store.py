"""A case's evidence and generated documents in the S3 object store (issue #14), through the
case API only: upload, on-the-spot decision with its document, download, verification — on a
real SeaweedFS server on loopback, scoped as on local disk."""

import boto3
import pytest

from zhifa.cases.models import Case
from zhifa.catalog import choices as cc
from zhifa.records.models import StoredFile

from .test_api_actions import JPEG, token_client, upload

# the documents' PDFs are converted at once, as after a commit (conftest.py jobs_at_once)
pytestmark = pytest.mark.usefixtures("jobs_at_once")


@pytest.fixture
def decided(world, s3_storage):
    """An on-the-spot decision made through the API with its photo uploaded in one chunk."""
    officer = token_client(world.officer_user)
    photo = upload(officer, "现场.jpg", JPEG + b"s3-round-trip", "image/jpeg")
    body = {"item": world.item.pk, "party": world.person.pk, "place": "人民路2号门前", "facts": "销售无标签食品。",
            "level": cc.LIGHT, "penalty_kinds": [cc.FINE], "fine_amount": "100", "certificate_shown": True,
            "party_heard": True, "photo": photo, "deviation_reason": "当场处罚限额以内（处罚法第五十一条）。"}
    response = officer.post("/api/cases/cases/on-the-spot/", body, format="json")
    assert response.status_code == 201, response.content.decode()
    return officer, response.json()["id"], photo


def _object_bytes(storage, stored: StoredFile) -> bytes:
    client = boto3.client("s3", endpoint_url=storage.endpoint_url, aws_access_key_id="zhifa",
                          aws_secret_access_key="zhifa-test-secret", region_name="us-east-1")
    return client.get_object(Bucket=storage.bucket_name, Key=storage.object_key(stored.storage_name))["Body"].read()


def test_evidence_and_documents_round_trip_through_the_case_api_in_s3(world, decided, s3_storage):
    """The photo and the decision's DOCX and PDF are objects in the bucket under their SM3
    names; the API streams them back byte for byte and verification re-hashes them there."""
    officer, case_id, photo_id = decided
    base = f"/api/cases/cases/{case_id}/"
    photo = StoredFile.objects.get(pk=photo_id)
    assert _object_bytes(s3_storage, photo) == JPEG + b"s3-round-trip"
    documents = officer.get(base + "documents/").json()
    assert documents, "the on-the-spot decision generates its document"
    document_id = documents[0]["id"]
    for fmt in ("pdf", "docx"):
        response = officer.get(f"{base}documents/{document_id}/{fmt}/")
        assert response.status_code == 200 and response.streaming
        body = b"".join(response.streaming_content)
        stored = getattr(Case.objects.get(pk=case_id).documents.get(pk=document_id), fmt)
        assert body == _object_bytes(s3_storage, stored) and len(body) == stored.size
        assert s3_storage.exists(stored.storage_name)
    verified = officer.get(base + "verify/").json()
    assert verified["ok"] is True and verified["checked_files"] >= 3, verified


def test_verification_through_the_api_names_a_document_changed_in_the_bucket(world, decided, s3_storage):
    """Overwriting the decision's PDF in the bucket breaks verification, naming the file."""
    officer, case_id, _ = decided
    case = Case.objects.get(pk=case_id)
    pdf = case.documents.first().pdf
    client = boto3.client("s3", endpoint_url=s3_storage.endpoint_url, aws_access_key_id="zhifa",
                          aws_secret_access_key="zhifa-test-secret", region_name="us-east-1")
    client.put_object(Bucket=s3_storage.bucket_name, Key=s3_storage.object_key(pdf.storage_name), Body=b"%PDF-1.7 forged")
    verified = officer.get(f"/api/cases/cases/{case_id}/verify/").json()
    assert verified["ok"] is False and pdf.hash in verified["problem"], verified


def test_another_county_cannot_download_the_case_files_from_s3(world, decided, s3_storage):
    """Scoping is unchanged by the store: another county's officer gets 404 for the case and
    its documents."""
    _, case_id, _ = decided
    other = token_client(world.users.officer_b)
    case = Case.objects.get(pk=case_id)
    document = case.documents.first()
    assert other.get(f"/api/cases/cases/{case_id}/documents/{document.pk}/pdf/").status_code == 404
    assert other.get(f"/api/cases/cases/{case_id}/verify/").status_code == 404
