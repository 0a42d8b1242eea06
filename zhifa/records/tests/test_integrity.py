"""The integrity check (完整性校验) run by a worker: daily, it verifies the latest checkpoint, the
audit trail and the record streams that are due, and signs the next checkpoint only when all
passed; a problem is told to the audit and security administrators."""

import datetime

import pytest
from django.utils import timezone

from zhifa.accounts import roles
from zhifa.core import jobs
from zhifa.core.models import ChangeLog
from zhifa.core.testing import make_user
from zhifa.records import integrity
from zhifa.records.models import Checkpoint, IntegrityCheck, Stream
from zhifa.records.services import append_event
from zhifa.records.testing import recompute_chain_from, tamper
from zhifa.workspace.models import Message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("key_file")]


def _verified(key):
    return Stream.objects.filter(key=key).values_list("verified_at", "verified_seq").get()


def _age_all_checks(days):
    Stream.objects.update(verified_at=timezone.now() - datetime.timedelta(days=days))


def test_the_daily_check_verifies_the_due_streams_and_signs_the_next_checkpoint(chains):
    assert jobs.get(integrity.DAILY_JOB).daily_at == "01:15"
    integrity.run_daily()
    first = IntegrityCheck.objects.get()
    assert (first.trigger, first.status, first.ok, first.streams_checked) == ("schedule", "done", True, 2)
    assert first.events_checked == 6 + ChangeLog.objects.count()  # both record streams and the audit trail
    assert first.signed_checkpoint == Checkpoint.objects.get(number=1)
    assert "校验通过" in first.audit_message
    assert _verified("test:1")[1] == 5 and _verified("test:2")[1] == 1

    append_event("test:2", "note", "调查")  # test:2 grew; test:1 did not
    integrity.run_daily()
    second = IntegrityCheck.objects.order_by("-id").first()
    assert second.ok and second.streams_checked == 1 and _verified("test:2")[1] == 2
    assert "第 1 号检查点签名有效" in second.checkpoint_message
    assert second.signed_checkpoint.number == 2


def test_an_event_changed_in_place_is_found_within_the_cycle_and_nothing_is_signed(chains, users, settings):
    settings.ZHIFA_INTEGRITY_CYCLE_DAYS = 30
    security = make_user("security_city", roles.SECURITY_ADMIN, region=users.auditor_a.region)
    integrity.run_daily()
    # an attacker edits an event's text and keeps its stored hash: the signed heads still match
    tamper("UPDATE records_event SET summary = '改写' WHERE seq = 2 AND stream_id = "
           "(SELECT id FROM records_stream WHERE key = 'test:1')")
    integrity.run_daily()
    assert IntegrityCheck.objects.order_by("-id").first().ok  # test:1 was not due yet

    _age_all_checks(31)  # a cycle later every stream is due again
    integrity.run_daily()
    found = IntegrityCheck.objects.order_by("-id").first()
    assert found.ok is False and found.signed_checkpoint is None
    assert any("第2条" in p for p in found.problems)
    assert Checkpoint.objects.count() == 2  # no checkpoint vouches for the changed record
    assert _verified("test:1")[0] < timezone.now() - datetime.timedelta(days=30)  # stays due
    for person in (users.auditor_a, users.auditor_city, security):
        message = Message.objects.get(user=person, kind=Message.INTEGRITY)
        assert message.title == "完整性校验未通过" and message.url == "/audit/checkpoints/"
    assert not Message.objects.filter(user=users.admin_a, kind=Message.INTEGRITY).exists()


def test_history_rewritten_after_a_checkpoint_is_named(chains):
    integrity.run_daily()
    tamper("UPDATE records_event SET summary = '改写' WHERE seq = 3 AND stream_id = "
           "(SELECT id FROM records_stream WHERE key = 'test:1')")
    recompute_chain_from("records_event", 3, "test:1")  # every later hash recomputed, head moved
    integrity.run_daily()
    found = IntegrityCheck.objects.order_by("-id").first()
    assert found.ok is False and found.changed_streams == ["test:1"]
    assert "第 1 号检查点校验未通过" in found.checkpoint_message
    assert found.signed_checkpoint is None


def test_a_run_checks_at_most_its_share_and_leaves_the_rest_for_the_next(chains, settings):
    settings.ZHIFA_INTEGRITY_STREAMS_PER_RUN = 1
    integrity.run_daily()
    first = IntegrityCheck.objects.get()
    assert (first.streams_checked, first.streams_due_left) == (1, 1)
    integrity.run_daily()
    second = IntegrityCheck.objects.order_by("-id").first()
    assert (second.streams_checked, second.streams_due_left) == (1, 0)
    assert all(_verified(key)[0] is not None for key in ("test:1", "test:2"))


def test_an_auditor_starts_a_check_that_only_checks(chains, users, client, api_client,
                                                    django_capture_on_commit_callbacks):
    api_client.force_authenticate(users.admin_a)
    assert api_client.post("/api/records/integrity-checks/").status_code == 403
    assert api_client.get("/api/records/integrity-checks/").status_code == 403
    api_client.force_authenticate(users.auditor_a)
    queued = api_client.post("/api/records/integrity-checks/")  # the worker has not run it yet
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    again = api_client.post("/api/records/integrity-checks/")
    assert again.status_code == 202 and again.json()["id"] == queued.json()["id"]  # one at a time

    integrity.run_requested(queued.json()["id"])
    done = api_client.get(f"/api/records/integrity-checks/{queued.json()['id']}/").json()
    assert (done["trigger"], done["status"], done["ok"], done["streams_checked"]) == ("request", "done", True, 2)
    assert done["signed_checkpoint"] is None and not Checkpoint.objects.exists()  # checking signs nothing

    client.force_login(users.auditor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/audit/checkpoints/")
    assert response.status_code == 302
    page = client.get("/audit/checkpoints/").content.decode()
    assert "已发起完整性校验" in page and "人工发起" in page and "校验通过" in page
    assert IntegrityCheck.objects.filter(status="done").count() == 2
