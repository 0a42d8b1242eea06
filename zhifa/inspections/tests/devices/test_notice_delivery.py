"""The device notice (告知, 行政处罚法第四十一条第三款) is delivered, not only stored: by SMS or the
政务服务平台 through the transactional outbox (signed, in order, once), and — for 邮寄/当面, or when
no gateway is configured — as a 待送达 message on the notifying officer's desk."""


import pytest
from django.db import transaction

from zhifa.core import outbox
from zhifa.core.models import OutboxMessage, OutboxReceiver
from zhifa.core.testing import RecordingReceiver
from zhifa.inspections.devices import services
from zhifa.records.services import events_for
from zhifa.workspace.models import Message

pytestmark = pytest.mark.django_db


def _accept(record, world):
    return services.review_record(record, actor=world.head, is_true=True, is_clear=True, is_complete=True,
                                  is_accurate=True)


def test_sms_notice_goes_through_the_outbox_to_the_sms_gateway(world, capture, settings):
    settings.ZHIFA_OUTBOX_BACKOFF_SECONDS = 0
    record = _accept(capture(), world)
    with RecordingReceiver() as receiver:
        OutboxReceiver.objects.create(name="sms-gateway", label="短信网关", url=receiver.url, secret="sms-secret")
        record = services.notify_party(record, actor=world.officer_user, channel="sms", to="13800000000")
        assert outbox.deliver_pending().delivered == 1
        assert outbox.deliver_pending().delivered == 0  # once
        [event] = receiver.events
        assert event["type"] == "device.notice" and event["stream"] == record.stream_key
        assert event["payload"]["to"] == "13800000000" and event["payload"]["text"] == record.notice_text
        assert record.access_code in event["payload"]["text"]
        headers = {k.lower(): v for k, v in receiver.requests[-1]["headers"].items()}
        assert outbox.verify_signature(receiver.requests[-1]["body"], headers["x-zhifa-timestamp"],
                                       headers["x-zhifa-signature"], "sms-secret")
    notified = [e for e in events_for(record.stream_key) if e.kind == "notified"]
    assert notified[-1].payload["delivery"] == "sms-gateway"
    assert not Message.objects.filter(kind=Message.HANDOVER).exists()


def test_sending_again_sends_the_renewed_notice_in_order(world, capture, settings):
    settings.ZHIFA_OUTBOX_BACKOFF_SECONDS = 0
    record = _accept(capture(), world)
    with RecordingReceiver() as receiver:
        OutboxReceiver.objects.create(name="sms-gateway", label="短信网关", url=receiver.url, secret="s")
        services.notify_party(record, actor=world.officer_user, channel="sms", to="13800000000")
        services.notify_party(record, actor=world.officer_user, channel="sms", to="13900000000")
        assert outbox.deliver_pending().delivered == 2
        assert [e["payload"]["to"] for e in receiver.events] == ["13800000000", "13900000000"]
        assert [e["sequence"] for e in receiver.events] == [1, 2]


def test_mail_notice_without_a_receiver_lands_on_the_officers_desk(world, capture):
    record = _accept(capture(), world)
    record = services.notify_party(record, actor=world.officer_user, channel="mail", to="云岭县人民路1号")
    message = Message.objects.get(user=world.officer_user, kind=Message.HANDOVER)
    assert record.number in message.title and "邮寄告知书" in message.title
    assert "云岭县人民路1号" in message.body and record.notice_text in message.body
    assert message.url == record.get_absolute_url()
    assert not OutboxMessage.objects.exists()
    notified = [e for e in events_for(record.stream_key) if e.kind == "notified"]
    assert notified[-1].payload["delivery"] == "desk"


def test_sms_without_a_configured_gateway_is_handed_to_the_officer(world, capture):
    """No SMS gateway configured (or switched off): nothing waits unseen in the outbox; the officer is told."""
    OutboxReceiver.objects.create(name="sms-gateway", label="短信网关", url="http://127.0.0.1:9/", secret="s",
                                  active=False)
    record = services.notify_party(_accept(capture(), world), actor=world.officer_user, channel="sms",
                                   to="13800000000")
    assert not OutboxMessage.objects.exists()
    assert Message.objects.filter(user=world.officer_user, kind=Message.HANDOVER, title__contains=record.number).exists()


def test_a_failed_notice_leaves_no_outbox_event(world, capture):
    """The outbox event is written in the notice's transaction: a rolled-back notice sends nothing."""
    OutboxReceiver.objects.create(name="sms-gateway", label="短信网关", url="http://127.0.0.1:9/", secret="s")
    record = _accept(capture(), world)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify_party(record, actor=world.officer_user, channel="sms", to="13800000000")
        raise RuntimeError("rolled back")
    assert not OutboxMessage.objects.exists()
