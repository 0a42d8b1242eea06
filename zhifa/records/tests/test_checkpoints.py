"""Signed checkpoints anchor the chains outside the database (issue #10 item 6)."""

import io
import json
import os
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.core.models import ChangeLog
from zhifa.core.testing import PASSWORD
from zhifa.records import checkpoints
from zhifa.records.audit_chain import AUDIT_STREAM
from zhifa.records.models import Checkpoint, CheckpointHead, CheckpointPush, Event
from zhifa.records.services import append_event, verify_stream
from zhifa.records.testing import recompute_chain_from, tamper

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("key_file")]


class Receiver:
    """A real HTTP server on 127.0.0.1 standing in for the supervising level."""

    def __init__(self, status=200):
        self.status = status
        self.bodies = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.bodies.append((self.headers["Content-Type"], body))
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/checkpoints/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def test_key_is_created_0600_outside_the_database_and_signature_verifies(chains, key_file):
    checkpoint = checkpoints.create_checkpoint()
    assert key_file.exists() and stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert checkpoint.number == 1 and checkpoint.signature_algorithm == "SM2"
    assert checkpoint.stream_count == 3  # test:1, test:2, audit:changelog
    assert checkpoint.public_key == checkpoints.trusted_public_key()
    assert checkpoints.signature_valid(checkpoints.signed_text(checkpoint), checkpoint.signature, checkpoint.public_key)
    assert not checkpoints.signature_valid(checkpoints.signed_text(checkpoint) + b" ", checkpoint.signature,
                                           checkpoint.public_key)
    heads = dict(CheckpointHead.objects.values_list("stream_key", "seq"))
    assert heads == {"test:1": 5, "test:2": 1, AUDIT_STREAM: ChangeLog.objects.order_by("-seq").first().seq}
    assert checkpoints.verify_checkpoint().ok


def test_second_checkpoint_stores_only_moved_heads_and_chains_roots(chains, users):
    first = checkpoints.create_checkpoint()
    append_event("test:2", "note", "调查")
    second = checkpoints.create_checkpoint()
    moved = set(CheckpointHead.objects.filter(checkpoint=second).values_list("stream_key", flat=True))
    assert "test:2" in moved and "test:1" not in moved
    assert second.previous_root == first.root and second.stream_count == 3
    assert checkpoints.heads_at(second.number)["test:1"][0] == 5
    assert checkpoints.verify_checkpoint(second).ok


def test_rewrite_with_recomputed_hashes_passes_the_chain_but_not_the_checkpoint(chains):
    """An attacker with database access rewrites event 2 of test:1 and recomputes every later
    hash and the head: the plain chain check passes, the checkpoint check names the stream."""
    checkpoints.create_checkpoint()
    tamper("UPDATE records_event SET summary = '改写' WHERE seq = 2 AND stream_id = "
           "(SELECT id FROM records_stream WHERE key = 'test:1')")
    recompute_chain_from("records_event", 2, "test:1")
    assert Event.objects.get(stream__key="test:1", seq=2).summary == "改写"
    assert verify_stream("test:1", anchor=None).ok
    result = verify_stream("test:1")
    assert not result.ok and result.changed_since_checkpoint and result.checkpoint == 1
    assert "自第 1 号检查点以来被改动" in result.problem
    assert verify_stream("test:2").ok
    check = checkpoints.verify_checkpoint()
    assert check.signature_ok and check.root_ok and check.changed_streams == ["test:1"]
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 个记录流校验未通过"):
        call_command("verify", "--all", stdout=out)
    assert "自检查点以来被改动的记录流：test:1" in out.getvalue()
    assert "第 1 号签名检查点" in out.getvalue() and "签名有效" in out.getvalue()


def test_rewrite_of_the_audit_trail_is_named_too(chains):
    checkpoints.create_checkpoint()
    first = ChangeLog.objects.order_by("seq").first()
    tamper("UPDATE core_changelog SET result = '成功' WHERE seq = %s", [first.seq], table="core_changelog")
    recompute_chain_from("core_changelog", first.seq, AUDIT_STREAM)
    assert verify_stream(AUDIT_STREAM, anchor=None).ok
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify", "--all", "--no-files", stdout=out)
    assert f"自检查点以来被改动的记录流：{AUDIT_STREAM}" in out.getvalue()


def test_tampered_checkpoint_rows_are_found(chains):
    checkpoint = checkpoints.create_checkpoint()
    tamper("UPDATE records_checkpointhead SET hash = %s WHERE stream_key = 'test:2'", ["0" * 64],
           table="records_checkpointhead")
    check = checkpoints.verify_checkpoint()
    assert check.signature_ok and not check.root_ok
    tamper("UPDATE records_checkpoint SET root = %s WHERE id = %s", ["1" * 64, checkpoint.pk],
           table="records_checkpoint")
    check = checkpoints.verify_checkpoint()
    assert not check.signature_ok and "检查点签名无效（检查点内容被改动）" in check.problems
    with pytest.raises(CommandError, match="签名检查点校验未通过"):
        call_command("verify", "--all", stdout=io.StringIO())


def test_a_checkpoint_signed_with_another_key_is_refused(chains, settings, tmp_path):
    checkpoints.create_checkpoint()
    settings.ZHIFA_CHECKPOINT_KEY_FILE = str(tmp_path / "other.key")
    checkpoints.sign(b"create the other key")
    assert "检查点不是用本平台的签名密钥签署的" in checkpoints.verify_checkpoint().problems


def test_push_to_the_supervising_level_with_retry(chains, settings, receiver, tmp_path):
    """The command POSTs the signed checkpoint (with every head) to the configured address; a
    refusal is kept and retried by the next run; the pushed copy verifies the database."""
    settings.ZHIFA_CHECKPOINT_PUSH_URL = receiver.url
    receiver.status = 503
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 次报送失败"):
        call_command("checkpoint", stdout=out)
    record = CheckpointPush.objects.get()
    assert record.status == "failed" and record.attempts == 1 and record.response_status == 503
    assert "HTTP 503" in record.error and "报送" in out.getvalue()
    receiver.status = 200
    call_command("checkpoint", "--retry", stdout=(out := io.StringIO()))
    record.refresh_from_db()
    assert record.status == "sent" and record.attempts == 2 and record.sent_at is not None
    assert Checkpoint.objects.count() == 1
    content_type, body = receiver.bodies[-1]
    doc = json.loads(body)
    assert content_type.startswith("application/json")
    assert doc["number"] == 1 and doc["signature_algorithm"] == "SM2" and len(doc["heads"]) == 3
    assert checkpoints.signature_valid(doc["signed_text"].encode(), doc["signature"], doc["public_key"])

    # The copy kept by the supervising level anchors the chains without trusting this database.
    tamper("UPDATE records_event SET summary = '改写' WHERE seq = 1 AND stream_id = "
           "(SELECT id FROM records_stream WHERE key = 'test:1')")
    recompute_chain_from("records_event", 1, "test:1")
    saved = tmp_path / "pushed.json"
    saved.write_bytes(body)
    call_command("verify", "--all", "--no-checkpoint", stdout=io.StringIO())  # the recomputed chain alone passes
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify", "--all", "--checkpoint", str(saved), stdout=out)
    assert "自检查点以来被改动的记录流：test:1" in out.getvalue()


def test_unreachable_receiver_is_recorded(chains, settings):
    settings.ZHIFA_CHECKPOINT_PUSH_URL = "http://127.0.0.1:9/unreachable/"
    settings.ZHIFA_CHECKPOINT_PUSH_TIMEOUT = 2
    with pytest.raises(CommandError):
        call_command("checkpoint", stdout=io.StringIO())
    record = CheckpointPush.objects.get()
    assert record.status == "failed" and record.error.startswith("无法连接上级平台")


def test_public_page_and_open_data(client, chains):
    checkpoint = checkpoints.create_checkpoint()
    page = client.get("/public/checkpoints/")
    body = page.content.decode()
    assert page.status_code == 200 and checkpoint.root in body and checkpoint.public_key in body
    assert 'href="/public/checkpoints/"' in body  # in the portal's navigation
    detail = client.get(f"/public/checkpoints/{checkpoint.number}/").content.decode()
    assert checkpoint.signature in detail and "签名原文" in detail
    data = client.get("/api/public/checkpoints/").json()
    row = data["results"][0]
    assert row["number"] == 1 and row["root"] == checkpoint.root and row["signer_id"] == "1234567812345678"
    assert checkpoints.signature_valid(row["signed_text"].encode(), row["signature"], row["public_key"])
    assert "heads" not in row
    assert client.get("/api/public/checkpoints/1/").json()["signature"] == checkpoint.signature


def test_auditor_pages_and_api(client, api_client, chains, users, django_capture_on_commit_callbacks):
    checkpoints.create_checkpoint()
    assert client.login(username="admin_a", password=PASSWORD)
    assert client.get("/audit/checkpoints/").status_code == 403
    assert client.post("/audit/checkpoints/").status_code == 403
    client.logout()
    assert client.login(username="auditor_a", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):  # 立即校验: run by a worker (at once in tests)
        assert client.post("/audit/checkpoints/").status_code == 302
    body = client.get("/audit/checkpoints/").content.decode()
    assert "记录流 audit:changelog 校验通过" in body and "第 1 号检查点签名有效" in body
    api_client.force_authenticate(users.admin_a)
    assert api_client.get("/api/records/checkpoints/verify/").status_code == 403
    api_client.force_authenticate(users.auditor_a)
    assert api_client.get("/api/records/checkpoints/verify/").json()["ok"] is True
    assert api_client.get("/api/records/checkpoints/").json()["results"][0]["number"] == 1
    tamper("UPDATE records_event SET summary = '改写' WHERE seq = 3 AND stream_id = "
           "(SELECT id FROM records_stream WHERE key = 'test:1')")
    recompute_chain_from("records_event", 3, "test:1")
    data = api_client.get("/api/records/checkpoints/verify/").json()
    assert data["ok"] is False and data["changed_streams"] == ["test:1"]
    api_client.force_authenticate(users.officer_a)
    verify = api_client.get("/api/records/streams/test:1/verify/").json()
    assert verify["ok"] is False and verify["changed_since_checkpoint"] is True and verify["checkpoint"] == 1


def test_signatures_with_a_short_r_or_s_still_verify(monkeypatch):
    """gmalg returns r and s as minimal bytes; a signature whose r or s starts with a zero byte
    (about one in 128) must still be stored as 64 bytes and verify."""
    import gmalg

    seen_short = []
    original = gmalg.SM2.sign

    def recording_sign(self, message):
        r, s = original(self, message)
        if len(r) < 32 or len(s) < 32:
            seen_short.append((len(r), len(s)))
        return r, s

    monkeypatch.setattr(gmalg.SM2, "sign", recording_sign)
    for i in range(2000):
        text = f"checkpoint {i}".encode()
        public, signature = checkpoints.sign(text)
        assert len(bytes.fromhex(signature)) == 64
        assert checkpoints.signature_valid(text, signature, public), i
        if seen_short:
            break
    assert seen_short, "no short r or s in 2000 signatures"
