"""Demo: 云岭县 pushes its cases to 秦川市's platform.

In the demo one instance plays both levels: the county's uplink posts to this instance's own
inbound endpoint (``http://127.0.0.1:8000/api/exchange/inbound/yunling/``, the address ``make demo``
serves), so every step an officer records while trying the demo reaches the city's read-only view
through the outbox and the task worker. The cases that exist before the uplink are backfilled, and
those first events are handed to the receiving side in-process (the server is not up while the
demo data is loaded), through the same ``receive`` a real request reaches."""

import time

from django.utils import timezone

from zhifa.core import outbox
from zhifa.core.models import OutboxMessage, OutboxReceiver

from . import services
from .models import Source, Uplink

DEMO_SECRET = "demo-yunling-to-qinchuan-2026"


def load(ctx):
    county = ctx.regions["云岭县"]
    Source.objects.create(name="yunling", label="云岭县行政执法综合管理平台", region=county, secret=DEMO_SECRET)
    OutboxReceiver.objects.create(name="qinchuan-city", label="秦川市行政执法监督平台",
                                  url="http://127.0.0.1:8000/api/exchange/inbound/yunling/", secret=DEMO_SECRET)
    uplink = Uplink.objects.create(receiver="qinchuan-city", label="秦川市行政执法监督平台", region=county)
    services.backfill(uplink)
    deliver_in_process("qinchuan-city", "yunling")


def deliver_in_process(receiver: str, source: str) -> int:
    """Hand the pending events of ``receiver`` to this instance's receiving side, signed as the
    outbox signs them; an event is marked delivered when the receiver accepts it."""
    secret = OutboxReceiver.objects.get(name=receiver).secret
    delivered = 0
    for message in OutboxMessage.objects.filter(receiver=receiver, delivered_at__isnull=True).order_by("stream", "sequence"):
        body = outbox.body_of(message)
        timestamp = str(int(time.time()))
        answer = services.receive(source, body, timestamp, outbox.sign(body, timestamp, secret))
        message.attempts += 1
        if answer.status == 200:
            message.delivered_at = timezone.now()
            delivered += 1
        else:
            message.last_error = f"{answer.status} {answer.code}: {answer.detail}"
        message.save(update_fields=["attempts", "delivered_at", "last_error"])
    return delivered
