"""Delivery channels of messages (消息渠道): in-app (always), e-mail, and an HTTP webhook to a
government messaging gateway (政务消息平台: 浙政钉、粤政易 and the like).

A channel is a function ``send(message, preference)`` registered under a code. It runs inside
the transaction that creates the message and must not talk to the network there: e-mail is sent
by the job ``workspace.deliver`` after the commit; the webhook writes an event to the
transactional outbox (``zhifa.core.outbox``), which the task layer delivers, in order and
retried, to the receiver named ``GATEWAY_RECEIVER`` (a ``core.OutboxReceiver`` row the system
administrator configures with the gateway's address and shared secret).

Add a channel (e.g. SMS) with ``register_channel("sms", "短信", send_sms)`` and a choice in
``models.CHANNEL_CHOICES``.
"""

from collections.abc import Callable

from django.conf import settings

from .models import CHANNEL_CHOICES, EMAIL, IN_APP, WEBHOOK, Message

GATEWAY_RECEIVER = "messaging-gateway"

_CHANNELS: dict[str, Callable] = {}


def register_channel(code: str, send: Callable) -> None:
    """Add (or replace) the channel ``code``; ``send(message, preference)`` runs in the transaction."""
    _CHANNELS[code] = send


def channel_labels() -> dict[str, str]:
    return dict(CHANNEL_CHOICES)


def dispatch(message: Message, preference) -> list[str]:
    """Hand ``message`` to the person's extra channels; returns the codes used."""
    used = [IN_APP]
    for code in preference.extra_channels:
        send = _CHANNELS.get(code)
        if send is not None and send(message, preference):
            used.append(code)
    return used


def _email(message: Message, preference) -> bool:
    """E-mail: only when the account has an address; sent after the commit by the task layer."""
    if not message.user.email:
        return False
    from zhifa.core import jobs

    jobs.enqueue_on_commit("workspace.deliver", message.pk)
    return True


def _webhook(message: Message, preference) -> bool:
    """The messaging gateway: an outbox event, one stream per person (in order per person)."""
    from zhifa.core import outbox

    outbox.emit(receiver=GATEWAY_RECEIVER, stream=f"user:{message.user_id}", event_type=f"workspace.{message.kind}",
                payload={"message_id": message.pk, "username": message.user.username,
                         "gateway_id": preference.gateway_id, "kind": message.kind, "title": message.title,
                         "body": message.body, "url": _absolute(message.url)})
    return True


def _absolute(url: str) -> str:
    base = getattr(settings, "ZHIFA_SITE_URL", "")
    return f"{base.rstrip('/')}{url}" if url.startswith("/") and base else url


def deliver_message(message_id: int) -> bool:
    """Job ``workspace.deliver``: send one message by e-mail. Idempotent: the message is claimed
    (``email_sent_at`` set) before sending and released again if sending fails, so a retry sends
    it and a second run after success does nothing. No row lock is held while talking to the
    mail server."""
    from django.core.mail import send_mail

    from zhifa.core import clock

    message = Message.objects.select_related("user").filter(pk=message_id).first()
    if message is None or not message.user.email:
        return False
    if not Message.objects.filter(pk=message_id, email_sent_at__isnull=True).update(email_sent_at=clock.now()):
        return False
    body = message.body + (f"\n\n办理：{_absolute(message.url)}" if message.url else "")
    try:
        send_mail(f"【执法平台】{message.title}", body, settings.DEFAULT_FROM_EMAIL, [message.user.email])
    except Exception:
        Message.objects.filter(pk=message_id).update(email_sent_at=None)
        raise
    return True


register_channel(EMAIL, _email)
register_channel(WEBHOOK, _webhook)
