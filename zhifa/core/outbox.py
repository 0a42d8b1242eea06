"""The transactional outbox (发件箱): events for other systems, written with the change, delivered later.

Whatever another system must learn of — a hotline's work order changed status, a county's case
was decided and the city's platform must know, a reminder for a government messaging gateway —
is written as an ``OutboxMessage`` row **in the same database transaction as the change**::

    from zhifa.core import outbox
    outbox.emit(receiver="hotline-12345", stream=f"complaint:{c.pk}", event_type="complaint.status",
                payload={"work_order": c.work_order_no, "status": "accepted"})

so an event exists exactly when its change committed. Delivery happens afterwards, on the task
layer (``zhifa/core/jobs.py``): a run is enqueued when the transaction commits, and the job
``core.outbox_deliver`` runs every minute for whatever is still pending.

Guarantees:

- **In order per stream.** Messages get consecutive sequence numbers per (receiver, stream); the
  delivery pass sends a stream's messages strictly in that order and stops at the first one that
  fails, so a receiver never sees event n+1 before event n.
- **Nothing lost.** A receiver that is down, or not yet configured, or switched off keeps its
  messages pending; failed attempts back off exponentially (``ZHIFA_OUTBOX_BACKOFF_SECONDS`` ×
  2ⁿ, at most ``ZHIFA_OUTBOX_MAX_BACKOFF_SECONDS``) and are retried for as long as it takes.
  A message is marked delivered only after the receiver answered 2xx.
- **Nothing applied twice.** Every message carries a stable id (UUID). If we crash after the
  receiver accepted a message but before we recorded it, the message is sent again: receivers
  must treat the id as an idempotency key (zhifa's own receiving side does).
- **One sender per stream.** The delivery pass locks the stream's row (``SELECT … FOR UPDATE
  SKIP LOCKED`` on PostgreSQL), so several workers never send one stream at once.

Wire format: ``POST <receiver.url>``, ``Content-Type: application/json``, body::

    {"id": "<uuid>", "receiver": "...", "stream": "...", "sequence": 7,
     "type": "complaint.status", "created_at": "2026-11-29T10:00:00+00:00", "payload": {...}}

headers ``X-Zhifa-Event-Id`` (the id), ``X-Zhifa-Timestamp`` (Unix seconds of the attempt) and
``X-Zhifa-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>``; a receiver checks
it with ``verify_signature`` (or the same three lines in its own language) and should refuse
timestamps far from its clock. See docs/operations.md (发件箱).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import OutboxMessage, OutboxReceiver, OutboxStream

logger = logging.getLogger(__name__)

JOB_NAME = "core.outbox_deliver"
SIGNATURE_PREFIX = "sha256="
MAX_ERROR_LENGTH = 2000


# --- writing --------------------------------------------------------------------------------------


def emit(*, receiver: str, stream: str, event_type: str, payload: dict) -> OutboxMessage:
    """Record one event for ``receiver`` in ``stream``, inside the caller's transaction.

    Must be called inside ``transaction.atomic`` (the change and its event commit together);
    delivery is enqueued for after the commit."""
    if not connection.in_atomic_block:
        raise RuntimeError("outbox.emit 必须在写入业务数据的同一事务中调用（transaction.atomic）。")
    sequence = _next_sequence(receiver, stream)
    # payloads are stored as JSON exactly as they will be sent (dates as ISO text, decimals as text)
    payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False))
    message = OutboxMessage.objects.create(receiver=receiver, stream=stream, sequence=sequence,
                                           event_type=event_type, payload=payload)
    _enqueue_delivery_on_commit()
    return message


def _next_sequence(receiver: str, stream: str) -> int:
    """The next number in the stream; the row lock orders concurrent writers of one stream."""
    try:
        with transaction.atomic():
            OutboxStream.objects.get_or_create(receiver=receiver, stream=stream)
    except IntegrityError:  # another transaction created it at the same moment
        pass
    row = OutboxStream.objects.select_for_update().get(receiver=receiver, stream=stream)
    row.last_sequence += 1
    row.save(update_fields=["last_sequence"])
    return row.last_sequence


def _enqueue_delivery_on_commit() -> None:
    """One delivery run per committing transaction, however many events it wrote (a callback
    registered in a savepoint that rolls back is dropped by Django with it)."""
    if any(entry[1] is _deliver_after_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(_deliver_after_commit, robust=True)


def _deliver_after_commit() -> None:
    from . import jobs

    try:
        jobs.enqueue(JOB_NAME)
    except Exception:  # the broker is unavailable: the periodic run delivers the events
        logger.exception("outbox: could not enqueue a delivery run; the periodic run will deliver")


# --- delivering -----------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    delivered: int = 0
    failed: int = 0
    waiting: int = 0  # pending for a receiver that is not configured or inactive

    def as_dict(self) -> dict:
        return {"delivered": self.delivered, "failed": self.failed, "waiting": self.waiting}


def deliver_pending(*, receiver: str | None = None, limit_per_stream: int = 200) -> DeliveryReport:
    """One delivery pass over every pending stream (the job ``core.outbox_deliver``)."""
    report = DeliveryReport()
    receivers = {r.name: r for r in OutboxReceiver.objects.filter(active=True)}
    pending = OutboxMessage.objects.filter(delivered_at__isnull=True)
    if receiver:
        pending = pending.filter(receiver=receiver)
    streams = pending.values_list("receiver", "stream").distinct().order_by()
    for receiver_name, stream in streams.iterator():
        target = receivers.get(receiver_name)
        if target is None:
            report.waiting += 1
            continue
        _deliver_stream(target, stream, limit_per_stream, report)
    return report


def _deliver_stream(receiver: OutboxReceiver, stream: str, limit: int, report: DeliveryReport) -> None:
    now = timezone.now()
    with transaction.atomic():
        locked = (OutboxStream.objects.select_for_update(skip_locked=True)
                  .filter(receiver=receiver.name, stream=stream).first())
        if locked is None:  # another worker is delivering this stream right now
            return
        messages = list(OutboxMessage.objects.filter(receiver=receiver.name, stream=stream,
                                                     delivered_at__isnull=True).order_by("sequence")[:limit])
        for message in messages:
            if message.next_attempt_at > now:
                return  # backing off: later messages of the stream wait behind it
            error = _post(receiver, message)
            message.attempts += 1
            if error is None:
                message.delivered_at = timezone.now()
                message.last_error = ""
                message.save(update_fields=["attempts", "delivered_at", "last_error"])
                report.delivered += 1
                continue
            message.last_error = error[:MAX_ERROR_LENGTH]
            message.next_attempt_at = timezone.now() + datetime.timedelta(seconds=backoff_seconds(message.attempts))
            message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            report.failed += 1
            logger.warning("outbox: %s to %s failed (attempt %s): %s", message, receiver.name, message.attempts, error)
            return


def backoff_seconds(attempts: int) -> int:
    """Wait after the ``attempts``-th failed attempt: base × 2^(attempts−1), capped."""
    base = settings.ZHIFA_OUTBOX_BACKOFF_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.ZHIFA_OUTBOX_MAX_BACKOFF_SECONDS)


def body_of(message: OutboxMessage) -> bytes:
    """The exact bytes sent for ``message``."""
    return json.dumps({
        "id": str(message.id), "receiver": message.receiver, "stream": message.stream,
        "sequence": message.sequence, "type": message.event_type,
        "created_at": message.created_at.isoformat(), "payload": message.payload,
    }, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(body: bytes, timestamp: str, secret: str) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, timestamp + "." + body)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify_signature(body: bytes, timestamp: str, signature: str, secret: str) -> bool:
    """Whether ``signature`` is ours for ``body`` at ``timestamp`` (constant-time)."""
    if not (body is not None and timestamp and signature and secret):
        return False
    return hmac.compare_digest(sign(body, timestamp, secret), signature)


def _post(receiver: OutboxReceiver, message: OutboxMessage) -> str | None:
    """Send one message; ``None`` when the receiver acknowledged it (2xx), else the error."""
    body = body_of(message)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(receiver.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "X-Zhifa-Event-Id": str(message.id),
        "X-Zhifa-Timestamp": timestamp,
        "X-Zhifa-Signature": sign(body, timestamp, receiver.secret),
        "User-Agent": "zhifa-outbox/1",
    })
    try:
        with urllib.request.urlopen(request, timeout=receiver.timeout_seconds) as response:  # noqa: S310  (configured URL)
            if 200 <= response.status < 300:
                return None
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}: {exc.read(300).decode(errors='replace')}"
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        return f"{type(exc).__name__}: {exc}"


def run_delivery() -> dict:
    """The job ``core.outbox_deliver``: one pass, its counts for the job record."""
    return deliver_pending().as_dict()


# --- reading (the system administrator's page) -------------------------------------------------------


def receiver_overview() -> list[dict]:
    """Per receiver: pending count, the oldest pending event and the last error."""
    from django.db.models import Count, Min

    pending = {row["receiver"]: row for row in OutboxMessage.objects.filter(delivered_at__isnull=True)
               .values("receiver").annotate(count=Count("id"), oldest=Min("created_at")).order_by()}
    configured = {r.name: r for r in OutboxReceiver.objects.all()}
    rows = []
    for name in sorted(set(pending) | set(configured)):
        latest_error = (OutboxMessage.objects.filter(receiver=name, delivered_at__isnull=True)
                        .exclude(last_error="").order_by("-next_attempt_at").values("last_error", "attempts").first())
        rows.append({"name": name, "receiver": configured.get(name),
                     "pending": pending.get(name, {}).get("count", 0),
                     "oldest": pending.get(name, {}).get("oldest"),
                     "last_error": (latest_error or {}).get("last_error", ""),
                     "attempts": (latest_error or {}).get("attempts", 0)})
    return rows
