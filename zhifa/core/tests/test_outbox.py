"""The transactional outbox: written with the change, delivered in order, exactly once, through outages.

Every delivery goes to a real HTTP server on loopback (``RecordingReceiver``) that the tests take
down and bring back."""

import datetime
import json

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.core import jobs, outbox
from zhifa.core.models import OutboxMessage, OutboxReceiver
from zhifa.core.testing import RecordingReceiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _deliver_by_hand(request, monkeypatch):
    """The tests run the delivery passes themselves (the commit's own run is tested once, below)."""
    if "after_commit" not in request.node.name:
        monkeypatch.setattr(jobs, "enqueue", lambda name, *a, **k: None)


def _receiver(url: str, name: str = "city", **extra) -> OutboxReceiver:
    return OutboxReceiver.objects.create(name=name, label="市级平台", url=url, secret="s3cret-key", **extra)


def _emit(n: int, stream: str = "case:1", receiver: str = "city") -> list[OutboxMessage]:
    with transaction.atomic():
        return [outbox.emit(receiver=receiver, stream=stream, event_type="case.changed", payload={"n": i})
                for i in range(n)]


def _due_now():
    """Let every backing-off message be tried again (instead of waiting for its backoff)."""
    OutboxMessage.objects.filter(delivered_at__isnull=True).update(next_attempt_at=timezone.now())


def test_emit_needs_the_changes_transaction():
    with pytest.raises(RuntimeError, match="同一事务"):
        outbox.emit(receiver="city", stream="case:1", event_type="x", payload={})


def test_a_rolled_back_change_leaves_no_event():
    with pytest.raises(ValueError), transaction.atomic():
        outbox.emit(receiver="city", stream="case:1", event_type="x", payload={})
        raise ValueError("the change failed")
    assert not OutboxMessage.objects.exists()


def test_sequences_are_consecutive_per_stream_and_payloads_are_json():
    with transaction.atomic():
        a1 = outbox.emit(receiver="city", stream="case:1", event_type="x",
                         payload={"on": datetime.date(2026, 11, 29)})
        b1 = outbox.emit(receiver="city", stream="case:2", event_type="x", payload={})
        a2 = outbox.emit(receiver="city", stream="case:1", event_type="x", payload={})
    assert (a1.sequence, a2.sequence, b1.sequence) == (1, 2, 1)
    assert OutboxMessage.objects.get(pk=a1.pk).payload == {"on": "2026-11-29"}


def test_delivery_is_signed_ordered_and_once():
    with RecordingReceiver() as server:
        _receiver(server.url)
        _emit(3)
        report = outbox.deliver_pending()
        again = outbox.deliver_pending()
    assert report.delivered == 3 and again.delivered == 0
    assert [e["payload"]["n"] for e in server.events] == [0, 1, 2]
    assert [e["sequence"] for e in server.events] == [1, 2, 3]
    first = server.requests[0]
    headers = {k.lower(): v for k, v in first["headers"].items()}
    assert headers["x-zhifa-event-id"] == server.events[0]["id"]
    assert outbox.verify_signature(first["body"], headers["x-zhifa-timestamp"], headers["x-zhifa-signature"],
                                   "s3cret-key")
    assert not outbox.verify_signature(first["body"], headers["x-zhifa-timestamp"], headers["x-zhifa-signature"],
                                       "another-key")
    tampered = first["body"].replace(b'"n":0', b'"n":9')
    assert not outbox.verify_signature(tampered, headers["x-zhifa-timestamp"], headers["x-zhifa-signature"],
                                       "s3cret-key")
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()


def test_a_receiver_that_is_down_gets_everything_once_when_it_comes_back():
    server = RecordingReceiver().start()
    _receiver(server.url)
    _emit(1)
    assert outbox.deliver_pending().delivered == 1
    server.stop()  # the receiving system goes down

    _emit(3)
    report = outbox.deliver_pending()
    assert report.delivered == 0 and report.failed == 1  # the stream stops at its first failure
    head = OutboxMessage.objects.get(sequence=2)
    assert head.attempts == 1 and head.last_error and head.next_attempt_at > timezone.now()
    # still backing off: nothing is tried, the later events wait behind the head of the stream
    assert outbox.deliver_pending().failed == 0
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 3

    server.start()  # back, on the same address
    try:
        _due_now()
        assert outbox.deliver_pending().delivered == 3
        assert outbox.deliver_pending().delivered == 0
    finally:
        server.stop()
    assert [e["sequence"] for e in server.events] == [1, 2, 3, 4]
    assert len({e["id"] for e in server.events}) == 4


def test_a_failure_in_the_middle_never_reorders_the_stream():
    with RecordingReceiver() as server:
        _receiver(server.url)
        _emit(4)
        server.fail_next(1)
        outbox.deliver_pending()  # the first answer is 503: nothing after it is sent
        assert server.events == []
        _due_now()
        outbox.deliver_pending()
    assert [e["sequence"] for e in server.events] == [1, 2, 3, 4]
    assert OutboxMessage.objects.get(sequence=1).attempts == 2


def test_backoff_doubles_and_is_capped(settings):
    settings.ZHIFA_OUTBOX_BACKOFF_SECONDS = 30
    settings.ZHIFA_OUTBOX_MAX_BACKOFF_SECONDS = 3600
    assert [outbox.backoff_seconds(n) for n in (1, 2, 3, 8)] == [30, 60, 120, 3600]


def test_events_wait_for_a_receiver_that_is_not_configured_or_inactive():
    _emit(2, receiver="hotline-12345")
    assert outbox.deliver_pending().waiting == 1
    with RecordingReceiver() as server:
        receiver = _receiver(server.url, name="hotline-12345", active=False)
        assert outbox.deliver_pending().delivered == 0
        receiver.active = True
        receiver.save()
        assert outbox.deliver_pending().delivered == 2
    assert len(server.events) == 2


def test_after_commit_events_are_delivered_at_once():
    with RecordingReceiver() as server:
        _receiver(server.url)
        _emit(2)  # ZHIFA_JOBS_SYNC in tests: the queued delivery run happens at once
    assert [e["sequence"] for e in server.events] == [1, 2]


def test_after_commit_one_delivery_run_per_transaction(django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *a, **k: queued.append(name))
    with django_capture_on_commit_callbacks(execute=True):
        _emit(3)
    assert queued == [outbox.JOB_NAME]
    assert jobs.get(outbox.JOB_NAME).every_minutes == 1


def test_the_delivery_job_runs_through_the_task_layer():
    with RecordingReceiver() as server:
        _receiver(server.url)
        _emit(2)
        result = jobs.run(outbox.JOB_NAME)
    assert result == {"delivered": 2, "failed": 0, "waiting": 0}
    assert len(server.events) == 2


def test_the_secret_is_encrypted_at_rest():
    _receiver("http://127.0.0.1:9/events")
    from django.db import connection

    with CaptureQueriesContext(connection), connection.cursor() as cursor:
        cursor.execute("select secret from core_outboxreceiver")
        stored = cursor.fetchone()[0]
    assert "s3cret-key" not in stored and stored.startswith("sm4g1$")


def test_the_body_is_the_documented_shape():
    message = _emit(1)[0]
    body = json.loads(outbox.body_of(message))
    assert set(body) == {"id", "receiver", "stream", "sequence", "type", "created_at", "payload"}


def test_the_administrator_configures_a_receiver_and_sees_what_waits(client):
    from zhifa.accounts import roles
    from zhifa.core.models import ChangeLog
    from zhifa.core.testing import make_user

    admin = make_user("sysadmin", roles.SYSTEM_ADMIN)
    client.force_login(admin)
    _emit(2, receiver="hotline-12345")
    page = client.get("/outbox/").content.decode()
    assert "hotline-12345" in page and "事件等待配置" in page

    short = client.post("/outbox/receivers/new/", {"name": "hotline-12345", "label": "12345 热线",
                                                  "url": "http://127.0.0.1:9/x", "secret": "short",
                                                  "active": "on", "timeout_seconds": 10})
    assert "签名密钥至少 16 个字符" in short.content.decode()
    response = client.post("/outbox/receivers/new/", {"name": "hotline-12345", "label": "12345 热线",
                                                     "url": "http://127.0.0.1:9/x", "secret": "a-long-enough-secret",
                                                     "active": "on", "timeout_seconds": 10})
    assert response.status_code == 302
    receiver = OutboxReceiver.objects.get(name="hotline-12345")
    log = ChangeLog.objects.filter(object_id=str(receiver.pk), action="create", object_repr__contains="hotline").get()
    assert "a-long-enough-secret" not in json.dumps(log.after, ensure_ascii=False)
    # an edit with the secret left empty keeps it
    client.post(f"/outbox/receivers/{receiver.pk}/", {"name": "hotline-12345", "label": "12345 市民热线",
                                                      "url": "http://127.0.0.1:9/x", "secret": "",
                                                      "active": "on", "timeout_seconds": 5})
    receiver.refresh_from_db()
    assert receiver.label == "12345 市民热线" and receiver.secret == "a-long-enough-secret"
    assert "12345 市民热线" in client.get("/outbox/").content.decode()


def test_only_the_system_administrator_sees_the_outbox(client):
    from zhifa.accounts import roles
    from zhifa.core.testing import make_user, org_tree

    tree = org_tree()
    client.force_login(make_user("officer", roles.OFFICER, agency=tree.market))
    assert client.get("/outbox/").status_code == 403
    assert client.get("/outbox/receivers/new/").status_code == 403
