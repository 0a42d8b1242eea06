"""Exchange rules: what is pushed upward, and how a push from below is received.

**Sending (上报).** Every step written to a case's hash-chained record (``records.Event`` on a
``case:<id>`` stream) produces, in the same transaction, one outbox event of type ``case.event``
per active ``Uplink`` whose region covers the case's agency: the case as data elements
(``elements.py``) plus the record step (sequence, kind, summary, time, hash). The outbox stream is
the case's (``case:<id>``), so an upper level receives a case's steps in order, exactly once.

**Receiving (汇聚).** ``receive`` takes one signed request from a configured ``Source``: the
signature and clock are checked, the event id makes a repeat harmless, the per-stream sequence
makes order certain (a gap is refused with 409 so the sender retries the missing event first),
and the source may only send cases of agencies in its own region. The case is kept as a
``MirroredCase`` that the upper level's supervisors read.
"""

from __future__ import annotations

import datetime
import json
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhifa.core import outbox

from .elements import CASE_ELEMENTS, case_elements
from .models import InboundEvent, MirroredCase, Source, Uplink

CASE_EVENT = "case.event"
CASE_STREAM_PREFIX = "case:"


# --- sending ------------------------------------------------------------------------------------------


def on_record_event(sender, instance, created, raw=False, **kwargs):
    """post_save of ``records.Event``: push a case's new record step to the upper levels."""
    if not created or raw:
        return
    key = instance.stream.key
    if not key.startswith(CASE_STREAM_PREFIX):
        return
    uplinks = list(Uplink.objects.filter(active=True).select_related("region"))
    if not uplinks:
        return
    from zhifa.cases.models import Case

    case = (Case._base_manager.select_related("agency__region", "item", "party")
            .filter(pk=key[len(CASE_STREAM_PREFIX):]).first())
    if case is None:
        return
    payload = case_event_payload(case, instance)
    for uplink in uplinks:
        if uplink.region is None or case.agency.tree_path.startswith(uplink.region.path):
            outbox.emit(receiver=uplink.receiver, stream=key, event_type=CASE_EVENT, payload=payload)


def case_event_payload(case, event) -> dict:
    """What an upper level receives for one step of a case."""
    return {
        "case": case_elements(case),
        "event": {"seq": event.seq, "kind": event.kind, "summary": event.summary,
                  "time": event.time.isoformat(), "hash": event.hash, "algorithm": event.algorithm},
    }


# --- receiving ----------------------------------------------------------------------------------------


@dataclass
class Answer:
    """The receiver's answer: HTTP status and a structured body (``code`` and Chinese ``detail``)."""

    status: int
    code: str
    detail: str
    extra: dict = field(default_factory=dict)

    def body(self) -> dict:
        return {"code": self.code, "detail": self.detail, **self.extra}


def receive(source_name: str, body: bytes, timestamp: str, signature: str) -> Answer:
    """Receive one event pushed by the source ``source_name`` (the inbound endpoint's work)."""
    source = Source.objects.filter(name=source_name, active=True).select_related("region").first()
    if source is None:
        return Answer(404, "unknown_source", "未配置或已停用的下级平台。")
    if not outbox.verify_signature(body, timestamp, signature, source.secret):
        return Answer(401, "bad_signature", "签名校验失败。")
    try:
        skew = abs(time.time() - int(timestamp))
    except ValueError:
        return Answer(401, "bad_timestamp", "时间戳格式错误。")
    if skew > settings.ZHIFA_EXCHANGE_MAX_SKEW_SECONDS:
        return Answer(401, "stale_timestamp", "请求时间与本平台时钟相差过大。")
    try:
        message = _parse(body)
    except ValueError as exc:
        return Answer(400, "bad_event", str(exc))
    if message["type"] != CASE_EVENT:
        return Answer(422, "unsupported_type", f"不支持的事件类型“{message['type']}”。")
    return _apply_case_event(source, message)


def _parse(body: bytes) -> dict:
    try:
        message = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("请求体不是合法的 JSON。") from None
    if not isinstance(message, dict):
        raise ValueError("请求体必须是 JSON 对象。")
    missing = [k for k in ("id", "stream", "sequence", "type", "payload") if k not in message]
    if missing:
        raise ValueError(f"缺少字段：{'、'.join(missing)}。")
    try:
        message["id"] = uuid.UUID(str(message["id"]))
        message["sequence"] = int(message["sequence"])
    except (ValueError, TypeError):
        raise ValueError("事件编号或序号格式错误。") from None
    if message["sequence"] < 1 or not str(message["stream"]).startswith(CASE_STREAM_PREFIX):
        raise ValueError("事件流或序号不合法。")
    payload = message["payload"]
    if not isinstance(payload, dict) or not isinstance(payload.get("case"), dict) \
            or not isinstance(payload.get("event"), dict):
        raise ValueError("内容缺少 case 或 event。")
    return message


def _apply_case_event(source: Source, message: dict) -> Answer:
    from zhifa.orgs.models import Region

    case_data = message["payload"]["case"]
    region = Region.objects.filter(code=str(case_data.get("region_code") or "")).first()
    if region is None or not region.path.startswith(source.region.path):
        return Answer(403, "outside_region", "案件不属于该下级平台的辖区，不予接收。",
                      {"region_code": case_data.get("region_code")})
    try:
        values = clean_elements(case_data)
    except ValueError as exc:
        return Answer(400, "bad_event", str(exc))
    stream = str(message["stream"])[:120]
    with transaction.atomic():
        if InboundEvent.objects.filter(source=source, event_id=message["id"]).exists():
            return Answer(200, "duplicate", "该事件已接收，未重复处理。")
        try:
            with transaction.atomic():
                MirroredCase.objects.get_or_create(source=source, stream=stream,
                                                   defaults={"agency_name": "", "region_code": region.code})
        except IntegrityError:  # created by a concurrent request
            pass
        mirrored = MirroredCase.objects.select_for_update().get(source=source, stream=stream)
        expected = mirrored.last_sequence + 1
        if message["sequence"] < expected:
            return Answer(200, "duplicate", "该序号的事件已应用，未重复处理。")
        if message["sequence"] > expected:
            return Answer(409, "out_of_order", f"事件顺序不连续：应先接收第 {expected} 号事件。", {"expected": expected})
        for key, value in values.items():
            setattr(mirrored, key, value)
        event = message["payload"]["event"]
        mirrored.last_sequence = message["sequence"]
        mirrored.last_event_kind = str(event.get("kind") or "")[:40]
        mirrored.last_event_summary = str(event.get("summary") or "")[:300]
        mirrored.last_event_time = _datetime(event.get("time"))
        mirrored.last_event_hash = str(event.get("hash") or "")[:128]
        mirrored.updated_at = timezone.now()
        mirrored.save()
        InboundEvent.objects.create(source=source, event_id=message["id"], stream=stream,
                                    sequence=message["sequence"], event_type=message["type"],
                                    payload=message["payload"], sent_at=_datetime(message.get("created_at")))
        Source.objects.filter(pk=source.pk).update(last_received_at=timezone.now())
    return Answer(200, "applied", "已接收。", {"sequence": message["sequence"]})


def clean_elements(data: dict) -> dict:
    """The case's data elements converted to the mirrored fields' types; ``ValueError`` (in
    Chinese) for a value that does not fit."""
    values = {}
    for element in CASE_ELEMENTS:
        model_field = MirroredCase._meta.get_field(element.key)
        value = data.get(element.key)
        internal = model_field.get_internal_type()
        try:
            if internal == "DateField":
                value = datetime.date.fromisoformat(value) if value else None
            elif internal == "DecimalField":
                value = Decimal(str(value)).quantize(Decimal("0.01")) if value not in ("", None) else None
                if value is not None and (not value.is_finite() or abs(value) >= Decimal(10) ** 12):
                    raise ValueError
            elif internal == "JSONField":
                value = [str(v) for v in value] if isinstance(value, list) else []
            else:
                value = str(value or "")[: model_field.max_length]
        except (ValueError, TypeError, InvalidOperation):
            raise ValueError(f"数据元“{element.name}”（{element.key}）的值不合法。") from None
        values[element.key] = value
    return values


def _datetime(value) -> datetime.datetime | None:
    return parse_datetime(value) if isinstance(value, str) and value else None


# --- backfill: an uplink added to an instance that already has cases --------------------------------------


def backfill(uplink: Uplink) -> int:
    """Write to the outbox every recorded step of the uplink's cases that were never sent to it
    (a case whose stream the uplink already has is left alone), one transaction per case, in
    record order. The case's data elements are today's; each step carries its own record data.
    Returns how many events were written."""
    from zhifa.cases.models import Case
    from zhifa.core.models import OutboxStream
    from zhifa.records.services import events_for

    cases = Case._base_manager.select_related("agency__region", "item", "party").order_by("pk")
    if uplink.region is not None:
        cases = cases.filter(agency__tree_path__startswith=uplink.region.path)
    written = 0
    for case in cases.iterator(chunk_size=500):
        with transaction.atomic():
            if OutboxStream.objects.filter(receiver=uplink.receiver, stream=case.stream_key).exists():
                continue
            for event in events_for(case.stream_key):
                outbox.emit(receiver=uplink.receiver, stream=case.stream_key, event_type=CASE_EVENT,
                            payload=case_event_payload(case, event))
                written += 1
    return written
