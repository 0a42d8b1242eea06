"""Signatures drawn on a screen printed on the case's documents (文书签名, issue #15 item 9): the
image and its SM3 in the record and on the document, a new version generated when a signature
arrives, refusals, targets checked, agency templates, the API and its scoping."""

import base64
import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from zhifa.cases import services
from zhifa.cases.documents import build_context
from zhifa.cases.models import CaseDocument
from zhifa.cases.signing.models import DocumentSignature
from zhifa.cases.signing.services import record_signature, sign_with_png, store_png
from zhifa.documents import services as documents
from zhifa.documents.signatures import sample_png
from zhifa.records.models import Event
from zhifa.records.services import open_stored, verify_stream

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)


def _png(seed: int = 0) -> bytes:
    """A real PNG (Word must be able to show it), different for each ``seed``."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 90), "white")
    ImageDraw.Draw(image).line([(10, 60), (60 + seed * 7, 20), (120, 70), (220, 30 + seed)], fill="black", width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _docx(document: CaseDocument) -> bytes:
    with open_stored(document.docx) as handle:
        return handle.read()


def _pictures(data: bytes) -> list[bytes]:
    """The bytes of every picture in a DOCX package."""
    package = Document(io.BytesIO(data)).part.package
    return [part.blob for part in package.parts if part.partname.startswith("/word/media/")]


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def _interview(world, case):
    return services.record_interview(case, actor=world.officer_user, interviewee="李四（当事人法定代表人）", time=AT,
                                     place="本局询问室", questions=[{"q": "饼干从哪里进的货？", "a": "从批发市场进的。"}])


def _inspection(world, case):
    return services.record_inspection(case, actor=world.officer_user, time=AT, place="云岭县人民路1号店内",
                                      content="预包装食品标签", findings="货架上有标签不符合规定的饼干。")


def test_an_interviewees_signature_is_printed_on_a_new_version_of_the_interview_note(world, open_general):
    """A signature for the 询问笔录 arrives after the note was generated: a new version prints the
    image (the DOCX holds a picture whose SM3 is the signature's), the signer, time and first 16
    hex of the SM3; the old version stays; the record names the signature and the version, and
    the chain verifies."""
    case = open_general()
    interview = _interview(world, case)
    first = case.documents.get(code="interview_record")
    assert _pictures(_docx(first)) == []
    image = store_png(_png(1))

    signature = record_signature(case, actor=world.officer_user, code="interview_record", role="interviewee",
                                 signer_name="李四", image=image, signed_at=AT)

    assert signature.interview == interview and signature.evidence.kind == "electronic"
    new = signature.regenerated
    assert new is not None and new.pk != first.pk and new.code == "interview_record"
    data = _docx(new)
    assert [hashlib.new("sm3", blob).hexdigest() for blob in _pictures(data)] == [image.hash]
    text = _text(data)
    assert f"李四\u30002026年11月2日18时00分\u3000SM3：{image.hash[:16]}" in text
    assert "记录人签名：＿＿＿＿＿＿＿＿" in text  # nobody signed for the recorder: the blank line stays
    assert CaseDocument.objects.filter(pk=first.pk, docx=first.docx).exists()  # the old version is kept
    assert _pictures(_docx(first)) == []

    context = build_context(case, "interview_record", interview=interview)["signatures"]
    assert context["interviewee"]["sm3"] == image.hash and context["interviewee"]["name"] == "李四"
    assert context["officer1"]["image"] == ""

    events = {e.kind: e for e in Event.objects.filter(stream__key=case.stream_key, seq__gt=0).order_by("seq")}
    assert events["signature"].payload["sm3"] == image.hash and events["signature"].payload["role"] == "interviewee"
    regenerated = Event.objects.filter(stream__key=case.stream_key, kind="document").order_by("-seq").first()
    assert regenerated.payload["replaces"] == first.pk and regenerated.payload["document"] == new.pk
    assert regenerated.payload["signatures"] == [{"role": "interviewee", "sm3": image.hash}]
    assert regenerated.payload["signature"] == image.hash
    assert verify_stream(case.stream_key).ok


def test_a_later_interview_note_carries_only_its_own_signatures(world, open_general):
    """A signature given for one interview is not printed on the note of another interview."""
    case = open_general()
    _interview(world, case)
    record_signature(case, actor=world.officer_user, code="interview_record", role="interviewee", signer_name="李四",
                     image=store_png(_png(2)), signed_at=AT)
    services.record_interview(case, actor=world.officer_user, interviewee="王五（证人）",
                              time=AT + datetime.timedelta(hours=1), place="本局询问室",
                              questions=[{"q": "你看到了什么？", "a": "看到货架上的饼干。"}])
    latest = case.documents.filter(code="interview_record").order_by("-pk").first()
    assert _pictures(_docx(latest)) == []


def test_the_document_event_of_a_new_record_lists_the_signatures_it_prints(world, open_general):
    """A document generated after a signature (here the 现场检查笔录 regenerated by hand) lists the
    SM3 of the signatures it embeds in its record event."""
    case = open_general()
    inspection = _inspection(world, case)
    image = store_png(_png(3))
    record_signature(case, actor=world.officer_user, code="site_inspection_record", role="officer1",
                     signer_name="李明", image=image, signed_at=AT, inspection=inspection)
    from zhifa.cases.documents import generate_documents

    document = generate_documents(case, ["site_inspection_record"], actor=world.officer_user,
                                  subject={"inspection": inspection})[0]
    event = Event.objects.filter(stream__key=case.stream_key, kind="document").order_by("-seq").first()
    assert event.payload["signatures"] == [{"role": "officer1", "sm3": image.hash}]
    assert hashlib.new("sm3", _pictures(_docx(document))[0]).hexdigest() == image.hash


def test_a_party_who_refused_to_sign_is_printed_as_refusing(world, open_general):
    """当事人拒绝签名: the 被检查人 block of the 现场检查笔录 prints the refusal, not the blank line."""
    case = open_general()
    _inspection(world, case)
    signature = record_signature(case, actor=world.officer_user, code="site_inspection_record", role="party",
                                 signer_name="李四", refused=True, signed_at=AT)
    text = _text(_docx(signature.regenerated))
    assert "被检查人签名：当事人拒绝签名" in text
    assert signature.image is None and signature.evidence is None
    event = Event.objects.filter(stream__key=case.stream_key, kind="document").order_by("-seq").first()
    assert event.payload["signatures"] == [{"role": "party", "refused": True}]


def test_a_signature_for_another_cases_document_or_a_missing_role_is_refused(world, open_general):
    """The document signed must be this case's; the role must be in the kind's block; an officer
    cannot refuse; a picture Word cannot show is refused; nothing is recorded then."""
    case, other = open_general(), open_general()
    _interview(world, other)
    foreign = other.documents.get(code="interview_record")
    image = store_png(_png(4))
    with pytest.raises(ValidationError, match="该文书不属于本案件"):
        record_signature(case, actor=world.officer_user, document=foreign, role="interviewee", signer_name="李四",
                         image=image)
    _interview(world, case)
    with pytest.raises(ValidationError, match="签名栏没有“见证人”"):
        record_signature(case, actor=world.officer_user, code="interview_record", role="witness", signer_name="王",
                         image=image)
    with pytest.raises(ValidationError, match="执法人员不能拒绝签名"):
        record_signature(case, actor=world.officer_user, code="interview_record", role="officer1", signer_name="李明",
                         refused=True)
    with pytest.raises(ValidationError, match="没有签名栏"):
        record_signature(case, actor=world.officer_user, code="penalty_decision", role="party", signer_name="李四",
                         image=image)
    broken = store_png(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    with pytest.raises(ValidationError, match="签名图片无法识别"):
        record_signature(case, actor=world.officer_user, code="interview_record", role="interviewee",
                         signer_name="李四", image=broken)
    with pytest.raises(ValidationError, match="PNG"):
        store_png(b"GIF89a" + b"\x00" * 50)
    assert not DocumentSignature.objects.exists()


def test_another_countys_officer_cannot_sign_on_the_case(world, open_general, users):
    """Scoping: an officer of another county cannot record a signature on the case."""
    case = open_general()
    _interview(world, case)
    with pytest.raises(PermissionDenied):
        sign_with_png(case, actor=users.officer_b, png=_png(5), code="interview_record", role="interviewee",
                      signer_name="李四")
    assert not DocumentSignature.objects.exists()


def test_an_agencys_own_template_places_the_signature_variables(world, open_general, users):
    """An agency's uploaded template printing ``signatures.party.mark`` and ``.caption`` (documented
    in the template variable list) renders the picture and the line under it."""
    from zhifa.documents.context import KEY_DESCRIPTIONS
    from zhifa.documents.tests.conftest import make_docx

    assert "signatures.party.mark" in KEY_DESCRIPTIONS and "signatures.officer1.sm3" in KEY_DESCRIPTIONS
    documents.upload_template(
        code="site_inspection_record", agency=world.tree.market, user=users.admin_a,
        data=make_docx("本局格式现场笔录：{{ inspection.place }}", "当事人：{{ signatures.party.mark }}",
                       "{{ signatures.party.caption }}"))
    case = open_general()
    _inspection(world, case)
    image = store_png(_png(6))
    signature = record_signature(case, actor=world.officer_user, code="site_inspection_record", role="party",
                                 signer_name="李四", image=image, signed_at=AT)
    data = _docx(signature.regenerated)
    assert "本局格式现场笔录" in _text(data) and f"SM3：{image.hash[:16]}" in _text(data)
    assert [hashlib.new("sm3", blob).hexdigest() for blob in _pictures(data)] == [image.hash]


def test_the_sample_context_prints_every_state_of_a_signature_block():
    """The sample (template preview and upload check) shows a signed party, a refusing witness and
    blank lines, with the built-in template of the 现场检查笔录."""
    from zhifa.documents.builtin import builtin_template_bytes
    from zhifa.documents.context import complete_context, sample_context
    from zhifa.documents.rendering import render_docx

    data = render_docx(builtin_template_bytes("site_inspection_record"),
                       complete_context(sample_context("site_inspection_record"), "site_inspection_record"))
    assert hashlib.new("sm3", _pictures(data)[0]).hexdigest() == hashlib.new("sm3", sample_png()).hexdigest()
    text = _text(data)
    assert "见证人签名：见证人拒绝签名" in text and "记录人签名：＿＿＿＿＿＿＿＿" in text


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_records_a_signature_drawn_on_the_case_page(api_client, world, open_general, users,
                                                          django_assert_max_num_queries):
    """POST /api/cases/cases/<id>/signatures/ (JSON, the canvas's data URL) prints the officer's signature
    and lists it; another county's officer can neither list nor sign (404); a document of another
    case is refused with a structured error; the list runs a fixed number of queries."""
    case, other = open_general(), open_general()
    _interview(world, case)
    _interview(world, other)
    api_client.force_authenticate(world.officer_user)
    png = _png(7)
    url = f"/api/cases/cases/{case.pk}/signatures/"
    body = {"document_kind": "interview_record", "role": "officer1", "signer_name": "李明",
            "image": "data:image/png;base64," + base64.b64encode(png).decode()}
    created = api_client.post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["sm3"] == hashlib.new("sm3", png).hexdigest()
    assert created.json()["role_display"] == "执法人员（一）"
    newest = case.documents.filter(code="interview_record").order_by("-pk").first()
    assert _pictures(_docx(newest)) == [png]

    foreign = other.documents.get(code="interview_record")
    refused = api_client.post(url, {**body, "document_kind": None, "document": foreign.pk}, format="json")
    assert refused.status_code == 400 and "document" in refused.json()["error"]["fields"]
    assert api_client.post(url, {**body, "image": "bm90IGEgcG5n"}, format="json").status_code == 400

    for n in range(3):
        api_client.post(url, {**body, "role": "officer2", "signer_name": f"周强{n}"}, format="json")
    with django_assert_max_num_queries(8):
        listed = api_client.get(url)
    assert len(listed.json()) == 4

    api_client.force_authenticate(users.officer_b)
    assert api_client.get(url).status_code == 404
    assert api_client.post(url, body, format="json").status_code == 404
    assert DocumentSignature.objects.filter(case=case).count() == 4


def test_an_officer_signs_on_the_case_page(client, world, open_general, users):
    """The case page's signature pad (static JS, no inline script): the officer's PNG, posted as
    the canvas's data URL, is printed on a new version of the 询问笔录; the page lists it;
    an empty pad is refused in Chinese; another county's officer gets 404."""
    case = open_general()
    _interview(world, case)
    client.force_login(world.officer_user)
    url = f"/cases/{case.pk}/signatures/new/"
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and 'id="signature-pad"' in body and "cases/signature_form" in body
    assert "<script>" not in body and 'style="' not in body
    assert "在屏幕上签名" in client.get(case.get_absolute_url()).content.decode()
    empty = client.post(url, {"document_kind": "interview_record", "role": "officer1", "signer_name": "李明"})
    assert empty.status_code == 200 and "请在签名框内签名" in empty.content.decode()
    png = _png(8)
    done = client.post(url, {"document_kind": "interview_record", "role": "officer1", "signer_name": "李明",
                             "image": "data:image/png;base64," + base64.b64encode(png).decode()})
    assert done.status_code == 302
    newest = case.documents.filter(code="interview_record").order_by("-pk").first()
    assert _pictures(_docx(newest)) == [png]
    assert hashlib.new("sm3", png).hexdigest()[:16] in client.get(url).content.decode()
    client.force_login(users.officer_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"document_kind": "interview_record", "role": "officer1", "signer_name": "X",
                             "image": "data:image/png;base64," + base64.b64encode(png).decode()}).status_code == 404
    assert DocumentSignature.objects.filter(case=case).count() == 1
