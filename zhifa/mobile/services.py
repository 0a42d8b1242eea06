"""The rules of 掌上执法: the offline bundle, exactly-once receipt of captures, the hash check
and conflicts. The API and the web pages call these functions and nothing else.

Exactly once (UX-2): a capture is identified by ``(user, key)``, the UUID the device made
when the item was captured. ``receive`` creates the row the first time and afterwards only
moves the same row forward, so any number of retries — after a lost response, a closed page
or a reconnect — attach the item to the case once.

Chain of custody: the device hashes each file with SHA-256 (WebCrypto) before it uploads it;
the bytes travel through a resumable ``records.Upload`` (断点续传) and land content-addressed in
the object store under the server's own hash (SM3 by default, ``records.StoredFile``). Before
the file is attached the server hashes the stored bytes with SHA-256 again and compares: a
mismatch is refused, the upload restarts, and nothing reaches the case. The record event of
the attachment carries both hashes.
"""

import datetime
import hashlib
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from zhifa.accounts import roles
from zhifa.cases.models import Case, CaseDocument, Inspection, Interview
from zhifa.core import clock
from zhifa.records import services as records
from zhifa.records import storage as object_storage

from . import models as m
from .models import Capture

OPEN_INSPECTION_STAGES = ("approved", "notified", "on_site")
STATE_LABELS = dict(m.STATE_CHOICES)


class HashMismatch(Exception):
    """The stored bytes do not hash to the SHA-256 the device sent (HTTP 422)."""

    def __init__(self, capture: Capture, message: str):
        super().__init__(message)
        self.capture = capture
        self.message = message


# --- the offline bundle -------------------------------------------------------------------------


def assigned_cases(user):
    """Open cases the user handles (办案人员), newest first, within their scope."""
    return (Case.objects.restrict(user, "view")
            .filter(assignments__officer__user=user, closed_on__isnull=True, archived_on__isnull=True)
            .select_related("party").order_by("-id"))


def assigned_inspections(user):
    """Inspections the user is an inspector of and that are not finished yet."""
    from zhifa.inspections.models import Inspection

    return (Inspection.objects.restrict(user, "view")
            .filter(officers__user=user, stage__in=OPEN_INSPECTION_STAGES)
            .select_related("party").order_by("-planned_on", "-id"))


BUNDLE_LIMIT = 200
DECISION_DAYS = 30  # on-the-spot decisions shown in the app (to show or share with the party)


def recent_spot_decisions(user):
    """当场处罚决定书 of the user's simple-procedure cases of the last ``DECISION_DAYS`` days whose PDF
    is ready, newest first (the cases through ``restrict``); of a decision generated again (a signature
    added) only its latest version."""
    from zhifa.cases import choices
    from zhifa.cases.models import CaseDocument

    since = clock.today() - datetime.timedelta(days=DECISION_DAYS)
    cases = Case.objects.restrict(user, "view").filter(
        procedure=choices.SIMPLE, assignments__officer__user=user, decided_on__gte=since)
    ready = CaseDocument.objects.filter(code="on_the_spot_decision", pdf__isnull=False)
    newer = ready.filter(case=OuterRef("case"), pk__gt=OuterRef("pk"))  # a later version (e.g. with signatures)
    return (ready.filter(case__in=cases.values("pk")).exclude(Exists(newer))
            .select_related("case__party").order_by("-id"))


def bundle_for(user) -> dict:
    """The compact JSON the app keeps in IndexedDB: the assigned cases (with the stage the
    device will report back as ``based_on_stage``) and inspections, at most ``BUNDLE_LIMIT`` each."""
    cases = [
        {"id": c.pk, "number": c.number or "（未立案）", "cause": c.cause, "party": c.party.name, "stage": c.stage,
         "stage_name": c.stage_name, "procedure": c.procedure, "place": c.place, "url": c.get_absolute_url()}
        for c in assigned_cases(user)[:BUNDLE_LIMIT]
    ]
    inspections = [
        {"id": i.pk, "number": i.number, "party": i.party.name, "stage": i.stage,
         "stage_name": i.stage_name,
         "planned_on": i.planned_on.isoformat() if i.planned_on else None}
        for i in assigned_inspections(user)[:BUNDLE_LIMIT]
    ]
    decisions = [
        {"case": d.case_id, "document": d.pk, "number": d.case.decision_number or d.number, "party": d.case.party.name,
         "title": d.title, "pdf": reverse("cases:document_file", args=[d.case_id, d.pk, "pdf"])}
        for d in recent_spot_decisions(user)[:BUNDLE_LIMIT]
    ]
    return {"generated_at": clock.now().isoformat(), "user": str(user), "cases": cases, "inspections": inspections,
            "decisions": decisions, "spot": spot_bundle(user),
            "kinds": [{"code": code, "name": name, "file": code in m.FILE_KINDS} for code, name in m.KIND_CHOICES
                      if code != m.SPOT_DECISION]}


SPOT_ITEMS_LIMIT = 200


def spot_bundle(user) -> dict:
    """What the app needs to fill in an on-the-spot decision with no network (当场处罚决定): the
    user's reserved numbers, the penalty items they may act on with their legal basis, the
    parties of their cases, the Art. 51 limits, and the agency's remedy route and fine account —
    everything the decision shown to the party carries."""
    from zhifa.cases import rules
    from zhifa.cases.documents import COURT_DEFAULT, REVIEW_BODY_DEFAULT
    from zhifa.cases.forms import competent_items
    from zhifa.cases.services.common import officer_of
    from zhifa.parties.models import Party
    from zhifa.people.models import Certificate

    from . import numbers

    officer = officer_of(user)
    agency = user.agency or (officer.home_agency if officer else None)
    if officer is None or agency is None:
        return {"numbers": [], "items": [], "parties": [], "agency": None, "officer": None, "limits": {}}
    items = []
    for item in competent_items(user).prefetch_related("versions")[:SPOT_ITEMS_LIMIT]:
        version = item.current_version
        items.append({"id": item.pk, "code": item.code, "name": item.name,
                      "basis": version.penalty_basis if version else "",
                      "violated": version.violated_provision if version else ""})
    party_ids = assigned_cases(user).values("party_id")
    parties = [{"id": p.pk, "name": p.name, "kind": p.kind, "kind_name": p.get_kind_display(),
                "organisation": p.kind != Party.NATURAL}
               for p in Party.objects.restrict(user, "view").filter(pk__in=party_ids).order_by("name", "id")[:BUNDLE_LIMIT]]
    certificate = Certificate.objects.restrict(user, "view").usable_on(clock.today()).filter(
        officer=officer).order_by("-id").first()
    return {
        "numbers": [{"id": n.pk, "number": n.number, "year": n.year} for n in numbers.available_for(user)],
        "items": items, "parties": parties,
        "limits": {"person": str(rules.SIMPLE_MAX_FINE_PERSON), "organisation": str(rules.SIMPLE_MAX_FINE_ORGANISATION)},
        "agency": {"name": agency.name, "review_body": agency.review_body or REVIEW_BODY_DEFAULT,
                   "court": agency.court or COURT_DEFAULT, "review_days": "六十日", "litigation_days": "十五日",
                   "bank": agency.fine_bank, "account_name": agency.fine_account_name, "account": agency.fine_account},
        "officer": {"name": officer.name, "certificate": getattr(certificate, "number", "")},
    }


# --- receiving a capture ------------------------------------------------------------------------


def _clean_sha256(value) -> str:
    value = (value or "").strip().lower()
    if len(value) != 64 or any(ch not in "0123456789abcdef" for ch in value):
        raise ValidationError({"sha256": "文件的 SHA-256 必须是 64 位十六进制数。"})
    return value


def _validate_new(user, data: dict) -> dict:
    """Check a first submission; returns the values of the new row."""
    if not user.has_capability("cases", "change"):
        raise PermissionDenied("没有办案权限，不能提交采集件。")
    kind = data.get("kind")
    if kind not in dict(m.KIND_CHOICES):
        raise ValidationError({"kind": "采集种类无效。"})
    if kind == m.SPOT_DECISION:
        return _validate_spot_decision(user, data)
    case = Case.objects.restrict(user, "change").filter(pk=data.get("case")).first()
    if case is None:
        raise ValidationError({"case": "案件不存在或不在您的管辖范围内。"})
    captured_at = data.get("captured_at")
    if not isinstance(captured_at, datetime.datetime):
        raise ValidationError({"captured_at": "缺少采集时间。"})
    if captured_at > clock.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"captured_at": "采集时间不能晚于当前时间。"})
    content = dict(data.get("data") or {})
    values = {
        "case": case, "agency_id": case.agency_id, "kind": kind, "captured_at": captured_at,
        "latitude": data.get("latitude"), "longitude": data.get("longitude"),
        "based_on_stage": (data.get("based_on_stage") or "")[:20], "data": content,
    }
    if kind == m.SIGNATURE:
        if content.get("signer_role") not in m.SIGNER_ROLES or not str(content.get("signer") or "").strip():
            raise ValidationError({"signer": "请选择签名人身份并填写签名人姓名。"})
        _check_signed_document(case, content)
    if kind in m.FILE_KINDS and not (kind == m.SIGNATURE and content.get("refused")):
        file = data.get("file") or {}
        if not file.get("name") or file.get("size") is None:
            raise ValidationError({"file": "照片、录音、录像必须附文件（文件名、大小和 SHA-256）。"})
        values.update(file_name=str(file["name"])[:255], file_size=int(file["size"]),
                      client_sha256=_clean_sha256(file.get("sha256")))
        values["_content_type"] = str(file.get("content_type") or "")[:100]
    elif kind != m.SIGNATURE:  # a refusal to sign carries neither file nor text
        _check_text(kind, content)
    return values


def _check_signed_document(case: Case, content: dict) -> None:
    """A signature may name the document it signs (``document``: a document kind or a generated
    document's id of this case; ``interview``/``inspection`` for a 笔录) — checked now, so a wrong
    target is refused at once rather than becoming a conflict; ``refused`` only with a document."""
    from zhifa.cases.signing.services import check_target

    target = content.get("document")
    if target in (None, ""):
        if content.get("refused"):
            raise ValidationError({"document": "拒绝签名必须注明所涉文书。"})
        return
    document = None
    if isinstance(target, int) or str(target).isdigit():
        document = CaseDocument.objects.filter(pk=int(target)).select_related("case").first()
        if document is None:
            raise ValidationError({"document": "所签署的文书不存在。"})
        target = None
    role = m.DOCUMENT_ROLES.get(content["signer_role"], content["signer_role"])
    check_target(case, code=target, document=document, role=role, refused=bool(content.get("refused")))
    for field, model in (("interview", Interview), ("inspection", Inspection)):
        if content.get(field) not in (None, "") and not model.objects.filter(pk=content[field], case=case).exists():
            raise ValidationError({field: "该笔录不属于本案件。"})


SPOT_FIELDS = {"item": "执法事项", "place": "地点", "facts": "违法事实", "level": "违法情节", "penalty": "处罚种类",
               "reserved_number": "预编号"}


def _validate_spot_decision(user, data: dict) -> dict:
    """An on-the-spot decision filled in offline (当场处罚决定): no case yet — the sync creates it.
    Only the shape is checked here; every rule of the law is checked when the case is created
    (a refusal then is a conflict the officer sees, never a lost capture)."""
    from . import numbers

    content = dict(data.get("data") or {})
    missing = {f: f"请填写{label}。" for f, label in SPOT_FIELDS.items() if not str(content.get(f) or "").strip()}
    party = content.get("party")
    if not party and not str(content.get("party_name") or "").strip():
        missing["party"] = "请选择或登记当事人。"
    if content.get("signature") not in ("signed", "refused"):
        missing["signature"] = "请让当事人签名，或记录“拒绝签名”。"
    if missing:
        raise ValidationError(missing)
    number = numbers.ReservedNumber.objects.restrict(user, "change").filter(
        owner=user, pk=content.get("reserved_number")).first()
    if number is None:
        raise ValidationError({"reserved_number": "预编号不存在或不是您领用的。"})
    captured_at = data.get("captured_at")
    if not isinstance(captured_at, datetime.datetime):
        raise ValidationError({"captured_at": "缺少采集时间。"})
    if captured_at > clock.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"captured_at": "采集时间不能晚于当前时间。"})
    content["number_text"] = number.number
    values = {"case": None, "agency_id": number.agency_id, "kind": m.SPOT_DECISION, "captured_at": captured_at,
              "latitude": data.get("latitude"), "longitude": data.get("longitude"), "based_on_stage": "",
              "data": content}
    file = data.get("file") or {}
    if content["signature"] == "signed":
        if not file.get("name") or file.get("size") is None:
            raise ValidationError({"file": "当事人签名的，请附签名图片。"})
        values.update(file_name=str(file["name"])[:255], file_size=int(file["size"]),
                      client_sha256=_clean_sha256(file.get("sha256")))
        values["_content_type"] = str(file.get("content_type") or "")[:100]
    return values


def _check_text(kind: str, content: dict) -> None:
    required = {
        m.INSPECTION_NOTE: {"place": "检查地点", "content": "检查内容", "findings": "检查情况"},
        m.INTERVIEW_NOTE: {"interviewee": "被询问人", "place": "询问地点", "question": "问", "answer": "答"},
        m.STATEMENT: {"point": "陈述申辩意见"},
    }[kind]
    missing = {field: f"请填写{label}。" for field, label in required.items() if not str(content.get(field) or "").strip()}
    if missing:
        raise ValidationError(missing)


def receive(user, key, data: dict) -> tuple[Capture, bool]:
    """Receive a capture (``PUT /api/mobile/captures/<key>/``) and move it as far as it goes.

    The first call validates ``data`` and creates the row (and, for a file, its resumable
    upload); every later call with the same key ignores ``data`` and returns the same row,
    attaching it once its file is complete. Returns ``(capture, created)``; raises
    ``HashMismatch`` when the uploaded bytes are not the ones the device hashed.
    """
    key = uuid.UUID(str(key))
    capture = Capture.objects.restrict(user, "change").filter(owner=user, key=key).first()
    created = False
    if capture is None:
        capture, created = _create(user, key, data)
    return advance(capture), created


def _create(user, key, data) -> tuple[Capture, bool]:
    values = _validate_new(user, data)
    content_type = values.pop("_content_type", "")
    try:
        with transaction.atomic():
            capture = Capture.objects.create(owner=user, key=key, **values)
            if capture.has_file:
                capture.upload = records.start_upload(user, capture.file_name, capture.file_size, content_type)
                capture.save(update_fields=["upload"])
            return capture, True
    except Exception:
        existing = Capture.objects.restrict(user, "change").filter(owner=user, key=key).first()
        if existing is None:  # a real error, not a concurrent first submission of the same key
            raise
        return existing, False


def _sha256_of(stored_file) -> str:
    hasher = hashlib.sha256()
    object_storage.hash_object(stored_file.storage_name, hasher)
    return hasher.hexdigest()


def advance(capture: Capture) -> Capture:
    """Attach a received capture when everything has arrived; no-op in any other state."""
    if capture.state != m.RECEIVING:
        return capture
    if capture.has_file:
        upload = capture.upload
        if upload is None:
            raise ValidationError("上传记录已失效，请重新提交该采集件。")
        upload.refresh_from_db()
        if not upload.is_complete:
            return capture
        stored = upload.completed
        if _sha256_of(stored) != capture.client_sha256:
            _restart_upload(capture)
            raise HashMismatch(capture, "文件哈希校验不符：服务器收到的文件与设备采集时计算的 SHA-256 不一致，"
                                        "文件未入卷，请重新上传。")
    else:
        stored = None
    with transaction.atomic():
        capture = Capture.objects.select_for_update().get(pk=capture.pk)
        if capture.state != m.RECEIVING:  # attached by a concurrent retry
            return capture
        capture.stored_file = stored
        case = capture.case
        try:
            with transaction.atomic():
                if capture.kind == m.SPOT_DECISION:
                    capture.result = _decide(capture)
                else:
                    capture.result = _attach(capture, case)
                capture.state = m.ACCEPTED
        except (ValidationError, PermissionDenied) as exc:
            capture.state = m.CONFLICT
            if case is None:
                capture.conflict_reason = f"当场处罚决定未能入卷：{_messages(exc)}"
                from . import numbers

                numbers.flag(capture.data.get("reserved_number"), capture.conflict_reason)
            else:
                case.refresh_from_db()
                capture.conflict_reason = _conflict_reason(capture, case, exc)
        capture.save()
    return capture


def _restart_upload(capture: Capture) -> None:
    """After a hash mismatch: a fresh upload for the same key (the device sends the bytes again)."""
    capture.upload = records.start_upload(capture.owner, capture.file_name, capture.file_size)
    capture.save(update_fields=["upload"])


def _messages(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "没有权限"


def _conflict_reason(capture: Capture, case: Case, exc) -> str:
    reason = _messages(exc)
    if capture.based_on_stage and capture.based_on_stage != case.stage:
        try:
            seen_name = case.procedure_definition.stage(capture.based_on_stage).name
        except KeyError:
            seen_name = capture.based_on_stage
        return f"采集时案件处于“{seen_name}”环节，现已进入“{case.stage_name}”环节：{reason}"
    return reason


def _place(capture: Capture) -> str:
    return str(capture.data.get("place") or "")[:200]


def _attach(capture: Capture, case: Case) -> dict:
    """Attach through the cases services (their checks decide whether the kind still fits)."""
    from zhifa.cases import services as cases

    actor, data = capture.owner, capture.data
    if capture.kind == m.SIGNATURE and data.get("document") not in (None, ""):
        return _attach_signature(capture, case)
    if capture.has_file:
        title = str(data.get("title") or f"{capture.get_kind_display()}（掌上执法采集）")[:200]
        kind = "audiovisual"
        if capture.kind == m.SIGNATURE:  # the signature image: 电子数据, its hash in the case's record
            title = f"{m.SIGNER_ROLES[data['signer_role']]}签名：{str(data['signer']).strip()}"[:200]
            kind = "electronic"
        evidence = cases.add_evidence(
            case, capture.stored_file, actor=actor, kind=kind, title=title, captured_at=capture.captured_at,
            description=str(data.get("description") or ""), device="掌上执法（移动终端）", place_text=_place(capture),
            latitude=capture.latitude, longitude=capture.longitude,
        )
        return {"evidence": evidence.number, "stored_hash": capture.stored_file.hash,
                "algorithm": capture.stored_file.algorithm, "sha256": capture.client_sha256}
    if capture.kind == m.INSPECTION_NOTE:
        inspection = cases.record_inspection(case, actor=actor, time=capture.captured_at, place=_place(capture),
                                             content=data["content"], findings=data["findings"])
        return {"inspection": inspection.pk}
    if capture.kind == m.INTERVIEW_NOTE:
        interview = cases.record_interview(case, actor=actor, interviewee=data["interviewee"],
                                           time=capture.captured_at, place=_place(capture),
                                           questions=[{"q": data["question"], "a": data["answer"]}])
        return {"interview": interview.pk}
    statement = cases.record_statement(case, actor=actor, point=data["point"],
                                       received_on=timezone.localdate(capture.captured_at))
    return {"statement": statement.pk}


def _attach_signature(capture: Capture, case: Case) -> dict:
    """A signature naming its document: printed on it (``cases.signing``), a new version generated."""
    from zhifa.cases.signing.services import record_signature

    data = capture.data
    target = data["document"]
    document = code = None
    if isinstance(target, int) or str(target).isdigit():
        document = CaseDocument.objects.filter(pk=int(target), case=case).first()
    else:
        code = str(target)
    subject = {field: model.objects.filter(pk=data[field], case=case).first()
               for field, model in (("interview", Interview), ("inspection", Inspection))
               if data.get(field) not in (None, "")}
    signature = record_signature(
        case, actor=capture.owner, role=m.DOCUMENT_ROLES.get(data["signer_role"], data["signer_role"]),
        signer_name=str(data["signer"]), signed_at=capture.captured_at, code=code, document=document,
        image=capture.stored_file, refused=bool(data.get("refused")), **subject,
        evidence_fields={"device": "掌上执法（移动终端）", "place_text": _place(capture),
                         "latitude": capture.latitude, "longitude": capture.longitude})
    result = {"signature": signature.pk, "document_code": signature.code, "refused": signature.refused}
    if signature.image_id:
        result.update(stored_hash=signature.image.hash, algorithm=signature.image.algorithm, sha256=capture.client_sha256)
    if signature.evidence_id:
        result["evidence"] = signature.evidence.number
    if signature.regenerated is not None:
        result["document"] = signature.regenerated.pk
    return result


def _spot_party(capture: Capture, agency):
    """The party of an offline decision: one from the bundle (in scope), a registered one with
    the same identity (in scope), or a new one registered at the scene."""
    from zhifa.parties.models import Party
    from zhifa.parties.services import find_registered

    actor, data = capture.owner, capture.data
    if data.get("party"):
        party = Party.objects.restrict(actor, "view").filter(pk=data["party"]).first()
        if party is None:
            raise ValidationError({"party": "当事人不存在或不在您的管辖范围内。"})
        return party
    kind = data.get("party_kind") or Party.NATURAL
    if kind not in dict(Party.KIND_CHOICES):
        raise ValidationError({"party_kind": "当事人类型无效。"})
    party = Party(kind=kind, name=str(data.get("party_name") or "").strip()[:200], agency=agency,
                  region=agency.region, address=str(data.get("party_address") or "")[:200])
    identity = str(data.get("party_id_number") or "").strip().upper()
    if kind == Party.NATURAL:
        party.id_type = data.get("party_id_type") or Party.RESIDENT_ID
        party.id_number = identity
    else:
        party.credit_code = identity
    existing = find_registered(party)
    if existing is not None and Party.objects.restrict(actor, "view").filter(pk=existing.pk).exists():
        return existing
    party.full_clean(exclude=["region_path"], validate_unique=False, validate_constraints=False)
    return party


def _decide(capture: Capture) -> dict:
    """An on-the-spot decision captured offline becomes its case through
    ``cases.services.decide_on_the_spot`` with the reserved number, the day and place of the
    capture; the number is then used (once: it is locked, and a used number is refused)."""
    from decimal import Decimal, InvalidOperation

    from zhifa.cases import services as cases
    from zhifa.catalog import choices as catalog_choices
    from zhifa.catalog.models import Item

    from . import numbers

    actor, data = capture.owner, capture.data
    number = numbers.lock_for_use(actor, data.get("reserved_number"))
    item = Item.objects.restrict(actor, "view").filter(pk=data.get("item"), kind="penalty").first()
    if item is None:
        raise ValidationError({"item": "执法事项不存在或不在您的管辖范围内。"})
    kinds = [catalog_choices.WARNING] if data.get("penalty") == "warning" else [catalog_choices.FINE]
    fine = None
    if data.get("penalty") == "fine":
        try:
            fine = Decimal(str(data.get("fine_amount")))
        except (InvalidOperation, TypeError):
            raise ValidationError({"fine_amount": "罚款金额无效。"}) from None
    party = _spot_party(capture, number.agency)
    day = timezone.localdate(capture.captured_at)
    signed = data.get("signature") == "signed"
    case = cases.decide_on_the_spot(
        actor=actor, item=item, party=party, place=str(data.get("place") or ""), facts=str(data.get("facts") or ""),
        level=str(data.get("level") or ""), penalty_kinds=kinds, fine_amount=fine,
        deviation_reason=str(data.get("deviation_reason") or ""), certificate_shown=bool(data.get("certificate_shown")),
        party_heard=bool(data.get("party_heard")), reserved_number=number.number, decided_on=day,
        captured_at=capture.captured_at, latitude=capture.latitude, longitude=capture.longitude,
        device="掌上执法（移动终端）", signature=capture.stored_file if signed else None,
        service_recipient="" if signed else f"{party.name}（拒绝签名，执法人员已在决定书上注明）",
    )
    result = {"case": case.pk, "decision_number": case.decision_number, "url": case.get_absolute_url()}
    if not signed:
        from zhifa.cases.services.common import _event

        _event(case, "party_refused_to_sign", "当事人拒绝在当场处罚决定书上签名，执法人员已注明（处罚法第五十二条）",
               actor, payload={"decision_number": case.decision_number})
    numbers.mark_used(number, case, actor=actor)
    capture.case = case
    return result


# --- conflicts ----------------------------------------------------------------------------------


ATTACH_WITH_NOTE, DISCARD, RETRY = "attach_with_note", "discard", "retry"
RESOLUTIONS = [(RETRY, "重新入卷"), (ATTACH_WITH_NOTE, "附说明补录到案件记录"), (DISCARD, "作废（写明理由）")]


def conflicts_for(user):
    """The user's own captures in conflict, oldest first (index ``mobile_capture_owner_state``)."""
    return (Capture.objects.restrict(user, "view").filter(owner=user, state=m.CONFLICT)
            .select_related("case").order_by("-received_at"))


@transaction.atomic
def resolve(capture: Capture, *, actor, action: str, note: str = "") -> Capture:
    """Resolve a conflict: try again (the case may accept it now), attach to the case's record
    with a note (a hash-chained event carrying the file — the item is never lost), or discard
    with a written reason. Only the officer who captured it (or their heads) resolves it."""
    capture = Capture.objects.select_for_update().get(pk=capture.pk)
    if capture.state != m.CONFLICT:
        raise ValidationError("该采集件不在冲突状态，无需处理。")
    if actor.pk != capture.owner_id and actor.role not in (roles.UNIT_HEAD, roles.AGENCY_HEAD) and not actor.is_superuser:
        raise PermissionDenied("只有采集人或其负责人可以处理冲突。")
    if not Capture.objects.restrict(actor, "change").filter(pk=capture.pk).exists():
        raise PermissionDenied("该采集件不在您的管辖范围内。")
    note = (note or "").strip()
    if action == RETRY:
        capture.state = m.RECEIVING
        capture.save(update_fields=["state"])
        return advance(capture)
    if not note:
        raise ValidationError({"note": "请写明处理说明。"})
    if action == ATTACH_WITH_NOTE and capture.case_id is None:
        raise ValidationError({"action": "当场处罚决定未能立案，没有可补录的案件记录；请修正后重新入卷，或写明理由作废（预编号随之作废）。"})
    if action == ATTACH_WITH_NOTE:
        from zhifa.cases.services.common import _event

        payload = {"capture": str(capture.key), "kind": capture.kind, "captured_at": capture.captured_at.isoformat(),
                   "based_on_stage": capture.based_on_stage, "data": capture.data, "conflict": capture.conflict_reason,
                   "note": note, "sha256": capture.client_sha256}
        place = {"text": _place(capture), "latitude": capture.latitude, "longitude": capture.longitude}
        files = [capture.stored_file] if capture.stored_file_id else []
        event = _event(capture.case, "mobile_capture", f"补录掌上执法采集件（{capture.get_kind_display()}）：{note}",
                       actor, payload=payload, place=place, files=files)
        capture.state = m.ATTACHED_WITH_NOTE
        capture.result = {"event": event.seq}
    elif action == DISCARD:
        capture.state = m.DISCARDED
        if capture.kind == m.SPOT_DECISION:  # the paper form with its number is void too (作废, kept)
            from . import numbers

            number = numbers.ReservedNumber.objects.restrict(actor, "change").filter(
                pk=capture.data.get("reserved_number"), state=m.NUMBER_RESERVED).first()
            if number is not None:
                numbers.void(number, actor=actor, reason=f"离线当场处罚决定未能入卷，作废：{note}")
    else:
        raise ValidationError({"action": "处理方式无效。"})
    capture.resolution_note = note
    capture.resolved_by = actor
    capture.resolved_at = clock.now()
    capture.save()
    return capture


def captures_for(user):
    """The user's own captures, newest first (for the app's sync status)."""
    return Capture.objects.restrict(user, "view").filter(Q(owner=user)).order_by("-received_at")
