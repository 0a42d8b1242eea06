"""The one write path of the equipment register and non-site supervision (非现场监管).

Register (执法装备登记):

- ``save_device`` — create or change a device; a monitoring device's location may be published
  only after its legal and technical reviews passed (《中华人民共和国行政处罚法》第四十一条第一款);
- ``issue_device`` / ``return_device`` — a body camera or terminal handed to an officer and back.

Non-site records (非现场执法记录), each step an event of the stream ``devrec:<id>``:

- ``record_capture`` — a record of a monitoring device; refused when the device was not
  reviewed, not published or not in service when it captured (第四十一条第一款);
- ``review_record`` — 真实、清晰、完整、准确 (第四十一条第二款); not by the person who entered it;
- ``notify_party`` — the party told promptly, with a code to view the record on the portal
  (第四十一条第三款); the notice text is stored, ready for SMS or mail delivery;
- ``submit_statement`` (the party, on the portal) and ``answer_statement`` (陈述、申辩 and its review);
- ``open_case_from_record`` — an accepted, notified record opens a penalty case through
  ``zhifa.cases.services``, its files becoming the case's evidence naming the device.

Every function checks the actor's reach (``restrict``), changes rows in one transaction and
raises ``ValidationError`` / ``PermissionDenied`` with a Chinese sentence.
"""

import datetime
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.cases import services as case_services
from zhifa.core import clock
from zhifa.core.scoping import ensure_in_scope
from zhifa.people.models import Officer
from zhifa.records.services import append_event

from ..models.devices import (
    ACCEPTED,
    MONITOR,
    PASSED,
    PENDING,
    REJECTED,
    RETIRED,
    Device,
    DeviceIssue,
    DeviceRecord,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
PUBLIC_RECORD_PATH = "/public/device-records/"


def _check_capability(actor, action: str) -> None:
    if not actor.is_superuser and not actor.has_capability("devices", action):
        raise PermissionDenied("您的角色不能办理此项装备或非现场执法业务。")


def _reachable(obj, actor, action: str = "change") -> None:
    if not type(obj).objects.restrict(actor, action).filter(pk=obj.pk).exists():
        raise PermissionDenied("该记录不在您的管辖范围内。")


def _event(record: DeviceRecord, kind: str, summary: str, actor, payload=None, files=(), place=None):
    return append_event(record.stream_key, kind, summary, actor=actor, payload=payload or {}, files=files,
                        place=place)


# ---------------------------------------------------------------------------------------------
# The register
# ---------------------------------------------------------------------------------------------


def check_device(device: Device) -> None:
    """The register's rules for one device (raised together, by field)."""
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    today = clock.today()
    if device.unit_id and device.unit.agency_id != device.agency_id:
        add("unit", "使用机构不属于所选执法主体。")
    if device.kind == MONITOR:
        if not device.location.strip():
            add("location", "电子技术监控设备必须登记设置地点。")
        if (device.latitude is None) != (device.longitude is None):
            add("latitude", "经度和纬度应同时填写。")
        if device.holder_id:
            add("holder", "电子技术监控设备是固定设备，不领用给个人。")
        for prefix, label in (("legal", "法制审核"), ("technical", "技术审核")):
            conclusion = getattr(device, f"{prefix}_review_conclusion")
            on = getattr(device, f"{prefix}_review_on")
            reviewer = getattr(device, f"{prefix}_reviewer")
            if conclusion and (on is None or not reviewer.strip()):
                add(f"{prefix}_review_on", f"登记{label}结论时应填写审核日期和审核人。")
            if on and on > today:
                add(f"{prefix}_review_on", f"{label}日期不能晚于今天。")
        if device.published:
            if not device.reviews_passed:
                add("published", "设备未通过法制审核和技术审核，不能公布设置地点（行政处罚法第四十一条）。")
            device.published_on = device.published_on or today
        else:
            device.published_on = None
    else:
        if device.published:
            add("published", "执法记录仪、执法终端不公布设置地点。")
        for name in ("legal_review_conclusion", "technical_review_conclusion"):
            if getattr(device, name):
                add(name, "法制审核和技术审核只适用于电子技术监控设备。")
    if device.status == RETIRED:
        if device.retired_on is None:
            add("retired_on", "停用的设备应填写停用日期。")
        elif device.retired_on < device.in_service_on:
            add("retired_on", "停用日期不能早于启用日期。")
        if device.holder_id:
            add("status", "设备仍由领用人持有，请先办理归还再停用。")
    else:
        device.retired_on = None
    if device.serial and Device._base_manager.filter(agency_id=device.agency_id, serial=device.serial).exclude(
            pk=device.pk).exists():
        add("serial", "本执法主体已登记相同编号的设备。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_device(device: Device, *, actor) -> Device:
    """Create or change a device of the register after checking its rules; stays in reach."""
    _check_capability(actor, "change")
    if device.pk:
        _reachable(device, actor)
    check_device(device)
    if not device.pk:
        device.created_by = actor
    device.save()
    ensure_in_scope(device, actor)
    return device


def _officer_serves(officer: Officer, agency) -> bool:
    return case_services.officer_serves(officer, agency)


@transaction.atomic
def issue_device(device: Device, officer: Officer, *, actor, issued_at=None, note: str = "") -> DeviceIssue:
    """Hand a body camera or terminal to an officer (领用); one holder at a time."""
    _check_capability(actor, "change")
    _reachable(device, actor)
    device = Device._base_manager.select_for_update().get(pk=device.pk)
    issued_at = issued_at or clock.now()
    if not device.is_personal:
        raise ValidationError({"device": "只有执法记录仪和执法终端可以领用给个人。"})
    if device.status == RETIRED:
        raise ValidationError({"device": "设备已停用，不能领用。"})
    if device.holder_id:
        raise ValidationError({"officer": f"设备正由{device.holder.name}领用，请先办理归还。"})
    if not officer.is_active:
        raise ValidationError({"officer": f"{officer.name}已不在岗。"})
    if not _officer_serves(officer, device.agency):
        raise ValidationError({"officer": f"{officer.name}不是{device.agency.name}的人员（含派驻人员）。"})
    if issued_at > clock.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"issued_at": "领用时间不能晚于当前时间。"})
    if issued_at.date() < device.in_service_on:
        raise ValidationError({"issued_at": "领用时间不能早于设备启用日期。"})
    last = device.issues.order_by("-returned_at").first()
    if last and last.returned_at and issued_at < last.returned_at:
        raise ValidationError({"issued_at": "领用时间不能早于上一次归还时间。"})
    issue = DeviceIssue.objects.create(device=device, officer=officer, issued_at=issued_at, note=note,
                                       issued_by=actor)
    device.holder = officer
    device.save(update_fields=["holder"])
    return issue


@transaction.atomic
def return_device(device: Device, *, actor, returned_at=None, note: str = "") -> DeviceIssue:
    """Take a personal device back from its holder (归还)."""
    _check_capability(actor, "change")
    _reachable(device, actor)
    device = Device._base_manager.select_for_update().get(pk=device.pk)
    issue = device.issues.filter(returned_at__isnull=True).first()
    if issue is None:
        raise ValidationError({"device": "设备当前没有领用人。"})
    returned_at = returned_at or clock.now()
    if returned_at < issue.issued_at:
        raise ValidationError({"returned_at": "归还时间不能早于领用时间。"})
    if returned_at > clock.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"returned_at": "归还时间不能晚于当前时间。"})
    issue.returned_at = returned_at
    if note:
        issue.note = (issue.note + "；" + note).strip("；")[:200]
    issue.save(update_fields=["returned_at", "note"])
    device.holder = None
    device.save(update_fields=["holder"])
    return issue


# ---------------------------------------------------------------------------------------------
# Non-site records
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def record_capture(*, actor, device: Device, captured_at, place: str, party_identifier: str, content: str,
                   files=(), party=None, party_name: str = "", item=None) -> DeviceRecord:
    """Enter what a monitoring device captured (非现场执法记录); refused when the device could not
    produce a usable record at that time (未经审核、未公布设置地点或不在用, 第四十一条)."""
    _check_capability(actor, "record")
    _reachable(device, actor, "view")
    files = list(files)
    if timezone.is_naive(captured_at):
        captured_at = timezone.make_aware(captured_at)
    if captured_at > clock.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"captured_at": "采集时间不能晚于当前时间。"})
    refusals = device.record_refusals(captured_at)
    if refusals:
        raise ValidationError({"device": "该设备的记录不能作为非现场执法记录：" + "；".join(refusals) + "。"})
    if not party_identifier.strip():
        raise ValidationError({"party_identifier": "请填写号牌号码或统一社会信用代码。"})
    if not content.strip():
        raise ValidationError({"content": "请填写记录内容。"})
    if not files:
        raise ValidationError({"files": "非现场执法记录至少附一张照片或一段视频。"})
    if party is not None and party.name and not party_name:
        party_name = party.name
    record = DeviceRecord(
        number=f"tmp-{secrets.token_hex(8)}", device=device, agency=device.agency, captured_at=captured_at,
        place=place or device.location, party=party, party_name=party_name, party_identifier=party_identifier.strip(),
        item=item, content=content.strip(), recorded_by=actor, recorded_at=clock.now(),
    )
    record.save()
    record.number = f"FX{captured_at:%Y}{record.pk:08d}"
    record.save(update_fields=["number"])
    record.files.set(files)
    ensure_in_scope(record, actor, "view")  # officers enter records ("record"), heads keep the register ("change")
    _event(record, "captured", f"登记非现场执法记录：{record.party_identifier}", actor, payload={
        "number": record.number, "device": device.pk, "serial": device.serial,
        "captured_at": captured_at.isoformat(), "party_identifier": record.party_identifier,
        "content": record.content,
    }, files=files, place={"text": record.place, "latitude": device.latitude, "longitude": device.longitude})
    return record


def _locked(record: DeviceRecord, actor, action: str) -> DeviceRecord:
    _check_capability(actor, action)
    _reachable(record, actor, "view")
    return DeviceRecord._base_manager.select_for_update().select_related("device", "agency").get(pk=record.pk)


@transaction.atomic
def review_record(record: DeviceRecord, *, actor, is_true: bool, is_clear: bool, is_complete: bool,
                  is_accurate: bool, reason: str = "") -> DeviceRecord:
    """Review a record before use (审核, 第四十一条第二款): accepted only when true, clear, complete
    and accurate; a rejection states its reason. Not by the person who entered the record."""
    record = _locked(record, actor, "review")
    if record.status != PENDING:
        raise ValidationError("该记录已审核。")
    if record.recorded_by_id == actor.pk:
        raise PermissionDenied("登记人不能审核本人登记的非现场执法记录。")
    checks = {"is_true": is_true, "is_clear": is_clear, "is_complete": is_complete, "is_accurate": is_accurate}
    accepted = all(checks.values())
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ValidationError({"reason": "审核不通过时应写明理由。"})
    for name, value in checks.items():
        setattr(record, name, bool(value))
    record.status = ACCEPTED if accepted else REJECTED
    record.review_reason = reason
    record.reviewed_by = actor
    record.reviewed_at = clock.now()
    record.save()
    _event(record, "reviewed", "审核通过" if accepted else f"审核不通过：{reason[:100]}", actor,
           payload={**checks, "status": record.status, "reason": reason})
    return record


def notice_text(record: DeviceRecord) -> str:
    """The notice to the party (告知): what was recorded, where to view it and the right to state
    and defend (第四十一条第三款)."""
    return (
        f"{record.party_identifier}：{record.agency.name}的电子技术监控设备（编号{record.device.serial}，"
        f"设置地点{record.device.location}）于{timezone.localtime(record.captured_at):%Y年%m月%d日%H时%M分}"
        f"在{record.place}记录到：{record.content}。记录编号{record.number}，查询码{record.access_code}。"
        f"您可以在行政执法公示门户“非现场执法记录查询”（{PUBLIC_RECORD_PATH}）凭记录编号和查询码查阅记录内容，"
        f"并在线提出陈述、申辩（《中华人民共和国行政处罚法》第四十一条第三款）。"
    )


@transaction.atomic
def notify_party(record: DeviceRecord, *, actor, channel: str, to: str) -> DeviceRecord:
    """Tell the party of an accepted record (告知): a notice record with its text and a view code.

    The text is stored for delivery by SMS or mail outside the request; sending again renews it.
    """
    from ..models.devices import NOTICE_CHANNEL_CHOICES

    record = _locked(record, actor, "record")
    if record.status != ACCEPTED:
        raise ValidationError("只有审核通过的记录才告知当事人。")
    if channel not in dict(NOTICE_CHANNEL_CHOICES):
        raise ValidationError({"channel": "告知方式无效。"})
    to = (to or "").strip()
    if not to:
        raise ValidationError({"to": "请填写告知对象的手机号码或送达地址。"})
    if not record.access_code:
        record.access_code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    record.notice_channel = channel
    record.notice_to = to[:200]
    record.notified_at = clock.now()
    record.notice_text = notice_text(record)
    record.save()
    delivery = _send_notice(record, actor)
    _event(record, "notified", f"告知当事人（{record.get_notice_channel_display()}）", actor,
           payload={"channel": channel, "text": record.notice_text, "delivery": delivery})
    return record


# The outbox receiver (core.OutboxReceiver.name) that delivers each electronic channel of the notice;
# ``settings.ZHIFA_DEVICE_NOTICE_RECEIVERS`` overrides it. 邮寄 and 当面 have none: the officer delivers.
NOTICE_RECEIVERS = {"sms": "sms-gateway", "app": "messaging-gateway"}
NOTICE_EVENT = "device.notice"


def notice_receiver(channel: str) -> str:
    """The configured, active outbox receiver for ``channel``, or "" when there is none."""
    from zhifa.core.models import OutboxReceiver

    name = {**NOTICE_RECEIVERS, **getattr(settings, "ZHIFA_DEVICE_NOTICE_RECEIVERS", {})}.get(channel, "")
    if name and OutboxReceiver.objects.filter(name=name, active=True).exists():
        return name
    return ""


def _send_notice(record: DeviceRecord, actor) -> str:
    """Deliver the notice (inside the caller's transaction, never over the network here): an event
    of the transactional outbox to the channel's receiver (SMS gateway, 政务服务平台), delivered in
    order and retried by the task layer; or, where the channel has no receiver (邮寄、当面, or no
    gateway configured), a message on the notifying officer's desk with the text to hand over.
    Returns where it went: the receiver's name, or "desk"."""
    from zhifa.core import outbox

    receiver = notice_receiver(record.notice_channel)
    if receiver:
        outbox.emit(receiver=receiver, stream=record.stream_key, event_type=NOTICE_EVENT, payload={
            "record": record.number, "agency": record.agency.name, "channel": record.notice_channel,
            "to": record.notice_to, "text": record.notice_text, "access_code": record.access_code,
            "notified_at": record.notified_at,
        })
        return receiver
    from zhifa.workspace.models import Message

    how = record.get_notice_channel_display()
    Message.objects.create(
        user=actor, kind=Message.HANDOVER, title=f"请{how}：非现场执法记录{record.number}的告知书"[:200],
        body=f"告知对象：{record.notice_to}\n\n{record.notice_text}", url=record.get_absolute_url())
    return "desk"


def find_for_party(number: str, code: str) -> DeviceRecord | None:
    """The notified record with this number and view code (the party's portal view), or None."""
    number, code = (number or "").strip().upper(), (code or "").strip().upper()
    if not number or not code:
        return None
    record = (DeviceRecord._base_manager.select_related("device", "agency")
              .filter(number=number, notified_at__isnull=False).first())
    if record is None or not hmac.compare_digest(record.access_code.encode(), code.encode()):
        return None
    return record


@transaction.atomic
def submit_statement(record: DeviceRecord, *, code: str, text: str, contact: str = "") -> DeviceRecord:
    """The party's statement and defence (陈述、申辩) on the portal, with the view code."""
    found = find_for_party(record.number, code)
    if found is None or found.pk != record.pk:
        raise PermissionDenied("记录编号或查询码不正确。")
    record = DeviceRecord._base_manager.select_for_update().get(pk=record.pk)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写陈述、申辩的内容。"})
    if len(text) > 2000:
        raise ValidationError({"text": "陈述、申辩不超过2000字。"})
    if record.statement_at is not None:
        raise ValidationError("您已提交陈述、申辩，执法机关复核后会告知结果。")
    record.statement = text
    record.statement_contact = (contact or "").strip()[:100]
    record.statement_at = clock.now()
    record.save()
    _event(record, "statement", "当事人在线提出陈述、申辩", None, payload={"text": text})
    return record


@transaction.atomic
def answer_statement(record: DeviceRecord, *, actor, answer: str, accepted: bool) -> DeviceRecord:
    """Review the party's statement (复核); an accepted defence sets the record aside (不予采用)."""
    record = _locked(record, actor, "review")
    if record.statement_at is None:
        raise ValidationError("当事人没有提出陈述、申辩。")
    if record.answered_at is not None:
        raise ValidationError("陈述、申辩已复核。")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "请写明复核意见。"})
    if accepted and record.case_id:
        raise ValidationError("该记录已立案，请在案件中处理当事人的陈述、申辩。")
    record.statement_answer = answer
    record.statement_accepted = bool(accepted)
    record.answered_by = actor
    record.answered_at = clock.now()
    if accepted:
        record.status = REJECTED
        record.review_reason = f"当事人陈述、申辩成立：{answer}"
    record.save()
    _event(record, "statement_answered", "陈述、申辩成立，记录不予采用" if accepted else "陈述、申辩不成立", actor,
           payload={"answer": answer, "accepted": bool(accepted)})
    return record


def _evidence_kind(stored_file) -> str:
    return "audiovisual" if (stored_file.content_type or "").split("/")[0] in ("image", "video", "audio") \
        else "electronic"


@transaction.atomic
def open_case_from_record(record: DeviceRecord, *, actor, item=None, party=None, officers=(), cause: str = ""):
    """Open a penalty case from an accepted, notified record (非现场监管发现): the record's files
    become the case's evidence naming the device; a pending statement must be answered first."""
    record = _locked(record, actor, "record")
    if record.status != ACCEPTED:
        raise ValidationError("只有审核通过的记录才能立案（行政处罚法第四十一条第二款）。")
    if record.notified_at is None:
        raise ValidationError("请先告知当事人，保障其查阅、陈述和申辩的权利（行政处罚法第四十一条第三款）。")
    if record.statement_at is not None and record.answered_at is None:
        raise ValidationError("当事人的陈述、申辩尚未复核。")
    if record.case_id:
        raise ValidationError(f"该记录已立案（{record.case}）。")
    item = item or record.item
    party = party or record.party
    if item is None:
        raise ValidationError({"item": "请选择执法事项。"})
    if party is None:
        raise ValidationError({"party": "请选择或登记当事人。"})
    officers = list(officers)
    case = case_services.open_case(
        actor=actor, agency=record.agency, item=item, party=party,
        cause=cause or case_services.cause_from_item(item), occurred_on=timezone.localdate(record.captured_at),
        place=record.place, facts=record.content, source="monitoring", officers=officers,
        place_detail={"text": record.place, "latitude": record.device.latitude,
                      "longitude": record.device.longitude},
    )
    for stored in record.files.all().order_by("pk"):
        case_services.add_evidence(
            case, stored, actor=actor, kind=_evidence_kind(stored), title=f"非现场执法记录{record.number}",
            captured_at=record.captured_at, description=record.content, registered_device=record.device,
            officer=officers[0] if officers else None, place_text=record.place,
            latitude=record.device.latitude, longitude=record.device.longitude,
        )
    record.case = case
    record.party = party
    record.save(update_fields=["case", "party"])
    _event(record, "case_opened", f"立案：{case.cause}", actor, payload={"case": case.pk})
    return case


# ---------------------------------------------------------------------------------------------
# What the pages show
# ---------------------------------------------------------------------------------------------


def record_actions(record: DeviceRecord, user) -> dict[str, bool]:
    """Which steps the user may take on the record now (the buttons; the services decide)."""
    can_record = user.has_capability("devices", "record")
    can_review = user.has_capability("devices", "review")
    return {
        "review": can_review and record.status == PENDING and record.recorded_by_id != user.pk,
        "notify": can_record and record.status == ACCEPTED,
        "answer": can_review and record.statement_at is not None and record.answered_at is None,
        "open_case": (can_record and record.status == ACCEPTED and record.notified_at is not None
                      and record.case_id is None and not (record.statement_at and record.answered_at is None)),
    }


def device_states(device: Device) -> list[str]:
    """Short facts about a device shown beside it (审核、公布、领用)."""
    facts = []
    if device.kind == MONITOR:
        facts.append("法制审核" + (device.get_legal_review_conclusion_display() or "未审核"))
        facts.append("技术审核" + (device.get_technical_review_conclusion_display() or "未审核"))
        facts.append("已公布设置地点" if device.published else "未公布设置地点")
    elif device.holder_id:
        facts.append(f"领用人：{device.holder.name}")
    else:
        facts.append("未领用")
    return facts


__all__ = [
    "PASSED", "answer_statement", "check_device", "find_for_party", "issue_device", "notice_text", "notify_party",
    "open_case_from_record", "record_actions", "record_capture", "return_device", "review_record", "save_device",
    "submit_statement",
]
