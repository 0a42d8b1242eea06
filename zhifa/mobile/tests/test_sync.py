"""掌上执法 sync (UX-2): exactly-once receipt by idempotency key, resumable file upload with the
device's SHA-256 checked, conflicts kept and resolved, scoping."""

import hashlib
import uuid

import pytest

from zhifa.cases.models import Evidence, Interview, Statement
from zhifa.mobile import services
from zhifa.mobile.models import Capture
from zhifa.records.models import Event

from .conftest import CAPTURED, photo_bytes

pytestmark = pytest.mark.django_db


def _put(api_client, key, body):
    return api_client.put(f"/api/mobile/captures/{key}/", body, format="json")


def _patch(api_client, url, offset, data):
    return api_client.generic("PATCH", url, data, content_type="application/offset+octet-stream",
                              HTTP_UPLOAD_OFFSET=str(offset))


def _photo_body(case, data, **extra):
    body = {"case": case.pk, "kind": "photo", "captured_at": CAPTURED.isoformat(), "based_on_stage": case.stage,
            "latitude": 34.2583331234567, "longitude": 108.9286671234567,
            "data": {"title": "店内货架照片", "place": "云岭县人民路1号店内"},
            "file": {"name": "shelf.png", "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                     "content_type": "image/png"}}
    body.update(extra)
    return body


def test_a_photo_is_received_once_however_often_it_is_sent(api_client, world, case):
    """The same key sent again and again — before, during and after the upload — gives one
    capture and one piece of evidence; the evidence names the device's time and position."""
    api_client.force_authenticate(world.officer_user)
    data, key = photo_bytes(5000), uuid.uuid4()
    first = _put(api_client, key, _photo_body(case, data))
    assert first.status_code == 201, first.content
    upload = first.json()["upload"]
    assert first.json()["state"] == "receiving" and upload["received"] == 0
    assert _put(api_client, key, _photo_body(case, data)).json()["upload"]["id"] == upload["id"]  # a retry

    # half the bytes, then the page "closes": the server keeps what arrived
    assert _patch(api_client, upload["url"], 0, data[:2000]).status_code == 200
    resumed = _put(api_client, key, {}).json()  # reopened: the same key, the server's offset
    assert resumed["upload"]["received"] == 2000
    assert _patch(api_client, upload["url"], 2000, data[2000:]).status_code == 200

    done = _put(api_client, key, {})
    assert done.status_code == 200 and done.json()["state"] == "accepted", done.content
    again = _put(api_client, key, _photo_body(case, data))
    assert again.json() == done.json()
    assert Capture.objects.filter(key=key).count() == 1
    evidence = Evidence.objects.get(case=case)
    assert done.json()["result"]["evidence"] == evidence.number
    assert str(evidence.latitude) == "34.258333" and evidence.captured_at == CAPTURED
    assert evidence.file.size == 5000 and evidence.device == "掌上执法（移动终端）"
    capture = Capture.objects.get(key=key)
    assert capture.stored_file == evidence.file and capture.client_sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.file.algorithm == "sm3" and evidence.file.hash == hashlib.new("sm3", data).hexdigest()


def test_a_file_whose_bytes_do_not_match_the_devices_hash_is_refused(api_client, world, case):
    """Bytes changed on the way (or a wrong hash) are refused with 422 ``hash_mismatch``; nothing
    reaches the case, the upload restarts, and the right bytes are then accepted."""
    api_client.force_authenticate(world.officer_user)
    data, key = photo_bytes(3000), uuid.uuid4()
    upload = _put(api_client, key, _photo_body(case, data)).json()["upload"]
    tampered = data[:-1] + bytes([data[-1] ^ 0xFF])
    _patch(api_client, upload["url"], 0, tampered)
    refused = _put(api_client, key, {})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "hash_mismatch" and "SHA-256" in error["message"]
    fresh = refused.json()["capture"]["upload"]
    assert fresh["id"] != upload["id"] and fresh["received"] == 0
    assert not Evidence.objects.filter(case=case).exists()
    _patch(api_client, fresh["url"], 0, data)
    assert _put(api_client, key, {}).json()["state"] == "accepted"
    assert Evidence.objects.filter(case=case).count() == 1


def test_text_captures_become_the_cases_records(api_client, world, case):
    """An interview note becomes a 询问笔录 with the device's time; bad input gets a Chinese error."""
    api_client.force_authenticate(world.officer_user)
    key = uuid.uuid4()
    missing = _put(api_client, key, {"case": case.pk, "kind": "interview_note", "captured_at": CAPTURED.isoformat(),
                                     "data": {"interviewee": "李四"}})
    assert missing.status_code == 400 and "请填写" in str(missing.json()["error"]["fields"])
    body = {"case": case.pk, "kind": "interview_note", "captured_at": CAPTURED.isoformat(), "based_on_stage": case.stage,
            "data": {"interviewee": "李四", "place": "店内", "question": "这些食品从哪里进货？", "answer": "批发市场。"}}
    response = _put(api_client, key, body)
    assert response.status_code == 201 and response.json()["state"] == "accepted", response.content
    interview = Interview.objects.get(case=case)
    assert interview.time == CAPTURED and interview.questions == [{"q": "这些食品从哪里进货？", "a": "批发市场。"}]
    assert _put(api_client, key, body).status_code == 200
    assert Interview.objects.filter(case=case).count() == 1


def test_a_capture_the_case_no_longer_accepts_is_kept_as_a_conflict_and_resolved(api_client, client, world, case):
    """A statement captured while the device believed the case was at 告知 arrives when the case
    is in another stage: the capture is kept as a conflict with the reason, shown on the desk,
    and resolved by attaching it to the case's record with a note — never dropped."""
    api_client.force_authenticate(world.officer_user)
    key = uuid.uuid4()
    body = {"case": case.pk, "kind": "statement", "captured_at": CAPTURED.isoformat(), "based_on_stage": "notice",
            "data": {"point": "我是初次违法，请求从轻处罚。"}}
    response = _put(api_client, key, body)
    assert response.status_code == 201
    payload = response.json()
    assert payload["state"] == "conflict"
    assert "采集时案件处于" in payload["conflict_reason"] and "陈述申辩" in payload["conflict_reason"]
    assert not Statement.objects.filter(case=case).exists()
    assert _put(api_client, key, body).json()["state"] == "conflict"  # still one capture

    client.force_login(world.officer_user)
    desk = client.get("/")
    assert "离线采集冲突" in desk.content.decode() and f"/m/conflicts/{key}/" in desk.content.decode()
    page = client.get(f"/m/conflicts/{key}/")
    assert page.status_code == 200
    refused = client.post(f"/m/conflicts/{key}/", {"action": "attach_with_note", "note": ""})
    assert "请写明处理说明" in refused.content.decode()
    done = client.post(f"/m/conflicts/{key}/", {"action": "attach_with_note", "note": "当事人当场口头陈述，先行记录。"})
    assert done.status_code == 302
    capture = Capture.objects.get(key=key)
    assert capture.state == "attached_with_note" and capture.resolved_by == world.officer_user
    event = Event.objects.filter(stream__key=case.stream_key, kind="mobile_capture").get()
    assert event.payload["data"]["point"] == "我是初次违法，请求从轻处罚。" and event.payload["capture"] == str(key)
    assert str(key) not in client.get("/").content.decode()


def test_discarding_a_conflict_needs_a_reason(api_client, world, case):
    api_client.force_authenticate(world.officer_user)
    key = uuid.uuid4()
    _put(api_client, key, {"case": case.pk, "kind": "statement", "captured_at": CAPTURED.isoformat(),
                           "based_on_stage": "notice", "data": {"point": "无异议。"}})
    assert api_client.post(f"/api/mobile/captures/{key}/resolve/", {"action": "discard"}, format="json").status_code == 400
    done = api_client.post(f"/api/mobile/captures/{key}/resolve/", {"action": "discard", "note": "重复采集"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "discarded"


def test_another_countys_officer_can_neither_submit_to_nor_read_a_case(api_client, world, case, users):
    """Scoping: 青石县's officer cannot capture into a 云岭县 case, cannot read its captures and
    does not get it in the offline bundle; the bundle holds the officer's own cases."""
    api_client.force_authenticate(world.officer_user)
    key = uuid.uuid4()
    _put(api_client, key, {"case": case.pk, "kind": "statement", "captured_at": CAPTURED.isoformat(),
                           "data": {"point": "无异议。"}})
    bundle = api_client.get("/api/mobile/bundle/").json()
    assert [c["id"] for c in bundle["cases"]] == [case.pk] and bundle["cases"][0]["stage"] == case.stage

    api_client.force_authenticate(users.officer_b)
    other = _put(api_client, uuid.uuid4(), {"case": case.pk, "kind": "statement", "captured_at": CAPTURED.isoformat(),
                                            "data": {"point": "x"}})
    assert other.status_code == 400 and "管辖范围" in str(other.json())
    assert api_client.get(f"/api/mobile/captures/{key}/").status_code == 404
    assert api_client.post(f"/api/mobile/captures/{key}/resolve/", {"action": "retry"}, format="json").status_code == 404
    assert api_client.get("/api/mobile/bundle/").json()["cases"] == []
    assert api_client.get("/api/mobile/captures/").json()["results"] == []


def test_the_same_key_from_two_users_is_two_captures(api_client, world, case):
    """The key is unique per user: another officer's identical UUID does not collide."""
    key = uuid.uuid4()
    body = {"case": case.pk, "kind": "statement", "captured_at": CAPTURED.isoformat(), "data": {"point": "x"}}
    for user in (world.officer_user, world.officer2_user):
        api_client.force_authenticate(user)
        assert _put(api_client, key, body).status_code == 201
    assert Capture.objects.filter(key=key).count() == 2


def test_shell_manifest_and_service_worker(client, world):
    """The app shell, its manifest (scope /m/) and the service worker (served from /m/)."""
    client.force_login(world.officer_user)
    shell = client.get("/m/")
    assert shell.status_code == 200 and "掌上执法" in shell.content.decode()
    manifest = client.get("/m/manifest.webmanifest").json()
    assert manifest["scope"] == "/m/" and manifest["display"] == "standalone"
    worker = client.get("/m/sw.js")
    assert worker["Content-Type"].startswith("text/javascript") and "mobile/app.js" in worker.content.decode()
    assert services.bundle_for(world.officer_user)["kinds"][0]["code"] == "photo"


def test_a_signature_needs_its_signer_and_becomes_electronic_evidence(api_client, world, case):
    """现场签名: the PNG drawn on the screen, with who signed, becomes 电子数据 in the case's record."""
    api_client.force_authenticate(world.officer_user)
    data, key = photo_bytes(1200), uuid.uuid4()
    body = _photo_body(case, data, kind="signature")
    body["data"] = {"signer_role": "party"}
    missing = _put(api_client, key, body)
    assert missing.status_code == 400 and "签名人" in str(missing.json()["error"]["fields"])
    body["data"]["signer"] = "李四"
    upload = _put(api_client, key, body).json()["upload"]
    _patch(api_client, upload["url"], 0, data)
    assert _put(api_client, key, {}).json()["state"] == "accepted"
    evidence = Evidence.objects.get(case=case)
    assert evidence.title == "当事人签名：李四" and evidence.kind == "electronic"
    event = Event.objects.filter(stream__key=case.stream_key, kind="evidence").get()
    assert event.payload["title"] == "当事人签名：李四"


def test_bundle_capture_list_and_conflicts_page_stay_flat(api_client, client, world, open_general,
                                                          django_assert_max_num_queries):
    """The offline bundle, the capture list and the conflicts page run a fixed number of
    queries whatever the number of cases and captures (no per-row query)."""
    cases = [open_general() for _ in range(4)]
    api_client.force_authenticate(world.officer_user)
    for n, case in enumerate(cases):
        for _ in range(2):
            _put(api_client, uuid.uuid4(), {"case": case.pk, "kind": "statement", "captured_at": CAPTURED.isoformat(),
                                            "based_on_stage": "notice", "data": {"point": f"意见{n}"}})
    # the on-the-spot part (officer, items and their versions, parties, certificate, reserved numbers) is a fixed few
    with django_assert_max_num_queries(16):
        bundle = api_client.get("/api/mobile/bundle/").json()
    assert len(bundle["cases"]) == 4
    with django_assert_max_num_queries(12):
        listed = api_client.get("/api/mobile/captures/").json()
    assert listed["count"] == 8
    client.force_login(world.officer_user)
    with django_assert_max_num_queries(25):
        page = client.get("/m/conflicts/")
    assert page.content.decode().count("/m/conflicts/") >= 8


def test_recent_on_the_spot_decisions_are_in_the_bundle_with_their_pdf(api_client, client, world, open_general,
                                                                      users):
    """当场处罚决定书 of the officer's simple-procedure cases (PDF ready) are listed in the bundle
    with a link that serves the PDF to them (shown or shared with the party); not to another county."""
    import io

    from zhifa.cases import choices
    from zhifa.cases.models import Case, CaseDocument
    from zhifa.core import clock
    from zhifa.records.services import store_file

    case = open_general()
    Case.objects.filter(pk=case.pk).update(procedure=choices.SIMPLE, decided_on=clock.today(), closed_on=clock.today(),
                                           decision_number="县市场监管局当罚〔2026〕7号")
    pdf = store_file(io.BytesIO(b"%PDF-1.4\n" + b"0" * 500), "当场处罚决定书.pdf", "application/pdf")
    document = CaseDocument.objects.create(case=case, code="on_the_spot_decision", title="当场行政处罚决定书",
                                           docx=pdf, pdf=pdf, generated_by=world.officer_user)
    api_client.force_authenticate(world.officer_user)
    decisions = api_client.get("/api/mobile/bundle/").json()["decisions"]
    assert decisions == [{"case": case.pk, "document": document.pk, "number": "县市场监管局当罚〔2026〕7号", "party": world.company.name,
                          "title": "当场行政处罚决定书", "pdf": f"/cases/{case.pk}/documents/{document.pk}/pdf/"}]
    client.force_login(world.officer_user)
    assert client.get(decisions[0]["pdf"] + "?inline=1").status_code == 200
    api_client.force_authenticate(users.officer_b)
    assert api_client.get("/api/mobile/bundle/").json()["decisions"] == []
