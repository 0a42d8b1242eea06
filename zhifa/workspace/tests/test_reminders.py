"""Reminders that reach people (UX-1): before the deadline by working days, at most one message per
event per person however often the job runs, escalation to the unit's heads and then to
supervision, the daily digest, preferences and the e-mail channel after the commit."""

import datetime

import pytest
from django.core import mail
from django.test import Client

from zhifa.workspace import reminders, services
from zhifa.workspace.models import Message, Reminder

D = datetime.date


@pytest.fixture
def due_case(world, open_general):
    """A case of 云岭县市场监管局 whose next deadline (决定是否立案) is 2026-11-23, a Monday."""
    case = open_general()
    assert case.next_deadline == D(2026, 11, 23)
    return case


def messages_of(user, kind=None):
    qs = Message.objects.filter(user=user)
    return list(qs.filter(kind=kind) if kind else qs)


def test_reminder_before_deadline_once_per_event_per_person(world, due_case, fixed_today):
    """Two working days before the deadline each assigned officer gets one reminder; running the
    job again (the same day or the next) sends nothing more."""
    fixed_today(D(2026, 11, 18))  # 3 working days before: too early for the default lead of 2
    assert reminders.run_reminders()[Message.REMINDER] == 0
    fixed_today(D(2026, 11, 19))  # Thursday: 2 working days (Fri, Mon) before
    sent = reminders.run_reminders()
    # 李明 and 周强 (their next step), the unit head and the agency head (filing awaits their approval)
    assert sent[Message.REMINDER] == 4
    again = reminders.run_reminders()
    fixed_today(D(2026, 11, 20))
    third = reminders.run_reminders()
    assert again[Message.REMINDER] == third[Message.REMINDER] == 0
    for user in (world.officer_user, world.officer2_user):
        [message] = messages_of(user)
        assert message.kind == Message.REMINDER and message.url == due_case.get_absolute_url()
        assert "2026-11-23" in message.title and "还有2个工作日" in message.title
    for head in (world.unit_head, world.head):
        [message] = messages_of(head)
        assert message.title.startswith("待我审批")
    assert Reminder.objects.count() == 4
    assert not messages_of(world.users.officer_b)


def test_lead_days_is_a_personal_preference(world, due_case, fixed_today):
    services.save_preference(world.officer_user, channels=[], lead_days=5, digest=True)
    fixed_today(D(2026, 11, 16))  # 5 working days before
    reminders.run_reminders()
    assert len(messages_of(world.officer_user, Message.REMINDER)) == 1
    assert not messages_of(world.officer2_user)  # the default of 2 days


def test_escalation_chain_head_then_supervision(world, due_case, fixed_today):
    """After the deadline: the officers are told; from the first working day late the agency's
    heads (the case has no unit); after three working days the county's supervisors — each once."""
    supervisor = world.users.supervisor_a
    fixed_today(D(2026, 11, 24))  # 1 working day late
    reminders.run_reminders()
    assert len(messages_of(world.officer_user, Message.OVERDUE)) == 1
    assert len(messages_of(world.unit_head, Message.ESCALATION)) == 1
    assert len(messages_of(world.head, Message.ESCALATION)) == 1
    assert not messages_of(supervisor, Message.ESCALATION)
    fixed_today(D(2026, 11, 25))  # 2 working days late: nothing new
    reminders.run_reminders()
    assert not messages_of(supervisor, Message.ESCALATION)
    fixed_today(D(2026, 11, 26))  # 3 working days late: supervision
    reminders.run_reminders()
    [escalation] = messages_of(supervisor, Message.ESCALATION)
    assert "执法监督机构" in escalation.title and "超期3个工作日" in escalation.title
    reminders.run_reminders()
    assert len(messages_of(supervisor, Message.ESCALATION)) == 1
    assert len(messages_of(world.head, Message.ESCALATION)) == 1
    assert len(messages_of(world.officer_user, Message.OVERDUE)) == 1
    # another county's supervisors and heads hear nothing
    assert not Message.objects.filter(user__agency=world.tree.other_market).exists()


def test_a_new_deadline_is_a_new_event(world, due_case, fixed_today):
    fixed_today(D(2026, 11, 19))
    reminders.run_reminders()
    type(due_case).objects.filter(pk=due_case.pk).update(next_deadline=D(2026, 11, 24))
    fixed_today(D(2026, 11, 20))
    reminders.run_reminders()
    assert len(messages_of(world.officer_user, Message.REMINDER)) == 2


def test_daily_digest_once_a_day_and_only_when_wanted(world, due_case, fixed_today):
    services.save_preference(world.officer2_user, channels=[], lead_days=2, digest=False)
    assert reminders.send_daily_digest() >= 1
    assert reminders.send_daily_digest() == 0
    [digest] = messages_of(world.officer_user, Message.DIGEST)
    assert "待办汇总：共1件" in digest.title and "案件办理 1件" in digest.body
    assert not messages_of(world.officer2_user, Message.DIGEST)
    fixed_today(D(2026, 11, 3))
    reminders.send_daily_digest()
    assert len(messages_of(world.officer_user, Message.DIGEST)) == 2


def test_email_channel_sends_after_commit_once(world, due_case, fixed_today, django_capture_on_commit_callbacks):
    """With e-mail chosen the reminder is also mailed — by the job after the commit, once."""
    user = world.officer_user
    user.email = "liming@example.gov.cn"
    user.save()
    services.save_preference(user, channels=["email"], lead_days=2, digest=False)
    fixed_today(D(2026, 11, 19))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders.run_reminders()
    assert mail.outbox == []  # nothing sent inside the transaction
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["liming@example.gov.cn"]
    assert "【执法平台】" in mail.outbox[0].subject and due_case.get_absolute_url() in mail.outbox[0].body
    from zhifa.workspace.channels import deliver_message

    message = messages_of(user, Message.REMINDER)[0]
    assert message.channels == ["in_app", "email"]
    assert deliver_message(message.pk) is False and len(mail.outbox) == 1  # idempotent


def test_preferences_are_checked(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="没有登记电子邮箱"):
        services.save_preference(world.officer_user, channels=["email"], lead_days=2, digest=True)
    with pytest.raises(ValidationError, match="0到20之间"):
        services.save_preference(world.officer_user, channels=[], lead_days=40, digest=True)
    with pytest.raises(ValidationError, match="政务消息平台"):
        services.save_preference(world.officer_user, channels=["webhook"], lead_days=2, digest=True)


def test_messages_pages_and_api(client, api_client, world, due_case, fixed_today):
    """The person reads and marks their own messages; another person's cannot be reached."""
    fixed_today(D(2026, 11, 19))
    reminders.run_reminders()
    mine = messages_of(world.officer_user)[0]
    theirs = messages_of(world.officer2_user)[0]
    client.force_login(world.officer_user)
    html = client.get("/workspace/messages/").content.decode()
    assert f"/workspace/messages/{mine.pk}/read/" in html and f"/workspace/messages/{theirs.pk}/read/" not in html
    assert client.get("/workspace/messages/unread.json").json() == {"unread": 1}
    signed_out = Client().get("/workspace/messages/unread.json")  # a badge fetch after the session ended
    assert signed_out.status_code == 401 and signed_out.json()["error"]["code"] == "not_authenticated"
    assert "csrftoken" not in signed_out.cookies  # no sign-in page rendered behind the person's back
    assert "（1条未读）" in client.get("/").content.decode()
    response = client.post(f"/workspace/messages/{mine.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == due_case.get_absolute_url()
    mine.refresh_from_db()
    assert mine.read_at is not None
    client.post(f"/workspace/messages/{theirs.pk}/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    api_client.force_authenticate(world.officer2_user)
    assert api_client.get(f"/api/workspace/messages/{mine.pk}/").status_code == 404
    listed = api_client.get("/api/workspace/messages/").json()
    assert [m["id"] for m in listed["results"]] == [theirs.pk]
    assert api_client.post(f"/api/workspace/messages/{theirs.pk}/read/").json()["read_at"]
    bad = api_client.put("/api/workspace/preferences/", {"channels": ["fax"], "lead_days": 2, "digest": True},
                         format="json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["channels"]
    ok = api_client.put("/api/workspace/preferences/", {"channels": [], "lead_days": 4, "digest": False},
                        format="json")
    assert ok.status_code == 200 and api_client.get("/api/workspace/preferences/").json()["lead_days"] == 4


def test_preferences_page(client, world):
    client.force_login(world.officer_user)
    assert client.get("/workspace/preferences/").status_code == 200
    response = client.post("/workspace/preferences/", {"lead_days": "3", "digest": "on", "channels": ["email"]})
    assert response.status_code == 400 and "没有登记电子邮箱" in response.content.decode()
    response = client.post("/workspace/preferences/", {"lead_days": "3", "digest": "on"})
    assert response.status_code == 302
    assert reminders.preference_of(world.officer_user).lead_days == 3


def test_webhook_channel_reaches_a_real_gateway_once(world, due_case, fixed_today):
    """With the messaging gateway chosen, the reminder is an outbox event delivered to the gateway's
    address (a real HTTP server on loopback), signed, and delivered once however often the job and
    the delivery pass run."""
    from zhifa.core import outbox
    from zhifa.core.models import OutboxReceiver
    from zhifa.core.testing import RecordingReceiver
    from zhifa.workspace.channels import GATEWAY_RECEIVER

    user = world.officer_user
    services.save_preference(user, channels=["webhook"], lead_days=2, digest=False, gateway_id="zzd-10086")
    fixed_today(D(2026, 11, 19))
    with RecordingReceiver() as gateway:
        OutboxReceiver.objects.create(name=GATEWAY_RECEIVER, label="政务消息网关", url=gateway.url, secret="gw-secret")
        reminders.run_reminders()
        reminders.run_reminders()
        outbox.deliver_pending()
        outbox.deliver_pending()
        assert len(gateway.events) == 1
        event = gateway.events[0]
        assert event["receiver"] == GATEWAY_RECEIVER and event["stream"] == f"user:{user.pk}"
        assert event["type"] == "workspace.reminder"
        assert event["payload"]["gateway_id"] == "zzd-10086" and event["payload"]["url"] == due_case.get_absolute_url()
        request = gateway.requests[0]
        headers = {k.lower(): v for k, v in request["headers"].items()}
        assert outbox.verify_signature(request["body"], headers["x-zhifa-timestamp"], headers["x-zhifa-signature"],
                                       "gw-secret")
    assert messages_of(user, Message.REMINDER)[0].channels == ["in_app", "webhook"]
