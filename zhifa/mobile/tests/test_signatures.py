"""掌上执法 signatures naming the document they sign (文书签名): printed on a new version of the
document, a refusal sent without a file, a document of another case refused at once."""

import datetime
import hashlib
import io
import uuid

import pytest
from docx import Document

from zhifa.cases import services as cases
from zhifa.cases.signing.models import DocumentSignature
from zhifa.documents.signatures import sample_png
from zhifa.mobile.models import Capture
from zhifa.records.models import Event
from zhifa.records.services import open_stored

from .conftest import CAPTURED
from .test_sync import _patch, _photo_body, _put

pytestmark = pytest.mark.django_db


def _interview(world, case):
    return cases.record_interview(case, actor=world.officer_user, interviewee="李四", place="店内",
                                  time=CAPTURED - datetime.timedelta(hours=1),
                                  questions=[{"q": "饼干从哪里进的货？", "a": "从批发市场进的。"}])


def _signature_body(case, data, **content):
    body = _photo_body(case, data, kind="signature")
    body["file"]["name"] = "签名-李四.png"
    body["data"] = {"signer_role": "interviewee", "signer": "李四", **content}
    return body


def test_a_signature_captured_for_the_interview_note_is_printed_on_a_new_version(api_client, world, case):
    """The party signs the 询问笔录 on the phone: once the PNG has arrived (SHA-256 checked) the
    note is generated again with the picture, whose SM3 is the capture's stored hash; the answer
    names the signature and the new document."""
    interview = _interview(world, case)
    first = case.documents.get(code="interview_record")
    api_client.force_authenticate(world.officer_user)
    data, key = sample_png(), uuid.uuid4()
    started = _put(api_client, key, _signature_body(case, data, document="interview_record", interview=interview.pk))
    assert started.status_code == 201, started.content
    _patch(api_client, started.json()["upload"]["url"], 0, data)
    done = _put(api_client, key, {}).json()
    assert done["state"] == "accepted", done
    signature = DocumentSignature.objects.get(case=case)
    assert done["result"]["signature"] == signature.pk and signature.role == "interviewee"
    assert signature.image.hash == hashlib.new("sm3", data).hexdigest() == done["result"]["stored_hash"]
    new = case.documents.get(pk=done["result"]["document"])
    assert new.pk != first.pk
    with open_stored(new.docx) as handle:
        package = Document(io.BytesIO(handle.read())).part.package
    pictures = [p.blob for p in package.parts if p.partname.startswith("/word/media/")]
    assert [hashlib.new("sm3", blob).hexdigest() for blob in pictures] == [signature.image.hash]
    event = Event.objects.filter(stream__key=case.stream_key, kind="signature").get()
    assert event.payload["sm3"] == signature.image.hash and event.payload["interview"] == interview.pk


def test_a_refusal_is_sent_without_a_file_and_a_foreign_document_is_refused(api_client, world, case, open_general):
    """拒绝签名 needs no drawing (no upload) and is printed as the refusal; a signature naming a
    document of another case is refused at once (400), nothing is stored."""
    _interview(world, case)
    api_client.force_authenticate(world.officer_user)
    body = {"case": case.pk, "kind": "signature", "captured_at": CAPTURED.isoformat(), "based_on_stage": case.stage,
            "data": {"signer_role": "interviewee", "signer": "李四", "document": "interview_record", "refused": True}}
    refused = _put(api_client, uuid.uuid4(), body)
    assert refused.status_code == 201 and refused.json()["state"] == "accepted", refused.content
    assert DocumentSignature.objects.get(case=case).refused is True

    other = open_general()
    _interview(world, other)
    foreign = other.documents.get(code="interview_record")
    wrong = _put(api_client, uuid.uuid4(), _signature_body(case, sample_png(), document=foreign.pk))
    assert wrong.status_code == 400 and "document" in wrong.json()["error"]["fields"]
    assert Capture.objects.filter(case=case).count() == 1 and DocumentSignature.objects.count() == 1
