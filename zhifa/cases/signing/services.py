"""The one write path of document signatures (文书签名), called by 掌上执法 (``zhifa.mobile``),
the case page and the API; and the ``signatures`` section every case document is rendered with.

``record_signature`` checks that the signature names a document of this case that has a
signature block with that role, stores it, appends a ``signature`` event to the case's
hash-chained record (with the PNG, so its SM3 is in the chain) and, when a document of that kind
was already generated, generates it again as a new version: the old version stays in the record,
and the new version's ``document`` event names the signature's hash, the version it replaces and
the SM3 of every signature it embeds (``zhifa verify`` re-checks them).
"""

import base64
import binascii
import datetime
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core import clock
from zhifa.documents.formatting import format_datetime
from zhifa.documents.kinds import kind_title
from zhifa.documents.signatures import (
    OFFICER_ROLES,
    ROLES,
    SIGNATURE_BLOCKS,
    blank_section,
    refused_entry,
    signed_entry,
)
from zhifa.records.services import open_stored, store_file

from ..models import CaseDocument
from .models import DocumentSignature

MAX_IMAGE_BYTES = 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: the document kinds whose record is of one interview / one inspection
SUBJECT_FIELDS = {"interview_record": "interview", "site_inspection_record": "inspection"}


def _read(stored_file) -> bytes:
    with open_stored(stored_file) as handle:
        return handle.read()


def signature_section(case, code: str, *, interview=None, inspection=None) -> dict:
    """The ``signatures`` context section of document ``code`` of ``case``: for each role of the
    kind's signature block the latest signature (or refusal) given for it — for a 询问笔录 or
    现场检查笔录 the one given for ``interview`` / ``inspection`` — and the blank line otherwise.
    One query, plus reading each printed image from the object store."""
    section = blank_section()
    block = SIGNATURE_BLOCKS.get(code)
    if not block or case.pk is None:
        return section
    rows = case.signatures.filter(code=code, role__in=[role for _, role in block]).select_related("image")
    field = SUBJECT_FIELDS.get(code)
    if field:
        subject = interview if field == "interview" else inspection
        rows = rows.filter(**{field: subject}) if subject is not None else rows.none()
    seen = set()
    for row in rows.order_by("role", "-signed_at", "-pk"):
        if row.role in seen:
            continue
        seen.add(row.role)
        when = format_datetime(timezone.localtime(row.signed_at))
        if row.refused:
            section[row.role] = refused_entry(row.role, name=row.signer_name, signed_at=when)
        else:
            section[row.role] = signed_entry(image=_read(row.image), name=row.signer_name, signed_at=when,
                                             sm3=row.image.hash)
    return section


def _subject(case, code: str, interview, inspection):
    """The interview or inspection a 询问笔录 / 现场检查笔录 signature belongs to (default: the
    latest, the one the document prints); refused when it is another case's."""
    field = SUBJECT_FIELDS.get(code)
    if field == "interview":
        if interview is None:
            interview = case.interviews.order_by("-time", "-pk").first()
        if interview is None or interview.case_id != case.pk:
            raise ValidationError({"interview": "本案没有该询问笔录。"})
        return {"interview": interview}
    if field == "inspection":
        if inspection is None:
            inspection = case.inspections.order_by("-time", "-pk").first()
        if inspection is None or inspection.case_id != case.pk:
            raise ValidationError({"inspection": "本案没有该现场检查笔录。"})
        return {"inspection": inspection}
    return {}


def check_target(case, *, code: str | None, document=None, role: str, refused: bool) -> str:
    """The document kind a signature signs, after checking that ``document`` (a generated
    document) is this case's, that the kind has a signature block with ``role`` and that an
    officer does not "refuse". Raises ``ValidationError`` in Chinese."""
    if document is not None:
        if document.case_id != case.pk:
            raise ValidationError({"document": "该文书不属于本案件，不能在本案签署。"})
        if code and code != document.code:
            raise ValidationError({"document": "签署的文书种类与所选文书不一致。"})
        code = document.code
    if not code:
        raise ValidationError({"document": "请选择签署的文书。"})
    block = SIGNATURE_BLOCKS.get(code)
    if block is None:
        title = kind_title(code) if code in dict(DocumentSignature._meta.get_field("code").choices) else code
        raise ValidationError({"document": f"《{title}》没有签名栏，不能签名。" if title else "签署的文书无效。"})
    if role not in ROLES:
        raise ValidationError({"role": "签名人身份无效。"})
    if role not in [r for _, r in block]:
        raise ValidationError({"role": f"《{kind_title(code)}》的签名栏没有“{ROLES[role]}”。"})
    if refused and role in OFFICER_ROLES:
        raise ValidationError({"refused": "执法人员不能拒绝签名。"})
    return code


def _locked_case(case, actor):
    from ..models import Case
    from ..services.common import _check_can_change

    locked = Case.objects.restrict(actor, "change").select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise PermissionDenied("您无权办理该案件。")
    _check_can_change(locked, actor)
    return locked


@transaction.atomic
def record_signature(case, *, actor, role: str, signer_name: str, signed_at=None, code: str | None = None,
                     document: CaseDocument | None = None, image=None, refused: bool = False, interview=None,
                     inspection=None, evidence_fields: dict | None = None) -> DocumentSignature:
    """Record a signature (``image``: a stored PNG) or a refusal to sign for a document of
    ``case`` and print it on the document (see the module docstring). While the case is
    investigated the PNG also becomes evidence 电子数据 (``cases.add_evidence``, with
    ``evidence_fields`` such as the device and place). Returns the new ``DocumentSignature``;
    its ``regenerated`` attribute is the new document version, or None."""
    from ..documents import generate_documents
    from ..services.actions import RECORDING_STAGES
    from ..services.common import _event
    from ..services.evidence import add_evidence

    case = _locked_case(case, actor)
    code = check_target(case, code=code, document=document, role=role, refused=refused)
    signer_name = (signer_name or "").strip()[:100]
    if not signer_name:
        raise ValidationError({"signer_name": "请填写签名人姓名。"})
    signed_at = signed_at or clock.now()
    if signed_at > clock.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"signed_at": "签名时间不能晚于当前时间。"})
    if refused:
        image = None
    elif image is None:
        raise ValidationError({"image": "请在签名框内签名。"})
    if image is not None:
        _check_picture(image)
    subject = _subject(case, code, interview, inspection)
    title = kind_title(code)
    evidence = None
    if image is not None and case.stage in RECORDING_STAGES:
        evidence = add_evidence(case, image, actor=actor, kind="electronic",
                                title=f"{ROLES[role]}签名：{signer_name}（{title}）"[:200], captured_at=signed_at,
                                **(evidence_fields or {}))
    signature = DocumentSignature.objects.create(
        case=case, code=code, role=role, signer_name=signer_name, signed_at=signed_at, refused=refused, image=image,
        evidence=evidence, recorded_by=actor, **subject)
    what = f"{ROLES[role]}拒绝签名" if refused else f"{ROLES[role]}签名"
    payload = {"signature": signature.pk, "code": code, "role": role, "signer": signer_name,
               "signed_at": signed_at.isoformat(), "refused": refused,
               "sm3": image.hash if image else "", "algorithm": image.algorithm if image else "",
               "evidence": evidence.number if evidence else None,
               **{key: value.pk for key, value in subject.items()}}
    _event(case, "signature", f"{what}：{signer_name}（《{title}》）", actor, payload=payload,
           files=[image] if image else [])
    signature.regenerated = None
    previous = case.documents.filter(code=code).order_by("-pk").first()
    if previous is not None:  # a new version printing the signature; the old one stays in the record
        new = generate_documents(case, [code], actor=actor, log=False, subject=subject)[0]
        _event(case, "document", f"重新生成{new.title}（加入{what}）", actor,
               payload={"code": code, "number": new.number, "document": new.pk, "replaces": previous.pk,
                        "signature": image.hash if image else f"refused:{signature.pk}",
                        "signatures": new.embedded_signatures},
               files=[new.docx])
        signature.regenerated = new
    return signature


def _check_picture(image) -> None:
    """The stored file must be a picture Word can show (python-docx reads its header)."""
    from docx.image.image import Image

    try:
        Image.from_blob(_read(image))
    except Exception:
        raise ValidationError({"image": "签名图片无法识别，请重新签名。"}) from None


def store_png(data: bytes, name: str = "签名.png"):
    """Store a signature PNG drawn on the case page (checked: a PNG of at most 1 MiB)."""
    if not data:
        raise ValidationError({"image": "请在签名框内签名。"})
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError({"image": "签名图片不能超过1MB。"})
    if not data.startswith(PNG_MAGIC):
        raise ValidationError({"image": "签名图片必须是 PNG 格式。"})
    return store_file(io.BytesIO(data), name, "image/png")


def decode_data_url(value: str) -> bytes:
    """The bytes of a ``data:image/png;base64,…`` URL (what a canvas gives) or of plain base64."""
    value = (value or "").strip()
    if value.startswith("data:"):
        header, _, value = value.partition(",")
        if not header.startswith("data:image/png;base64"):
            raise ValidationError({"image": "签名图片必须是 PNG 格式。"})
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"image": "签名图片数据无效。"}) from None


def sign_with_png(case, *, actor, png: bytes, **fields) -> DocumentSignature:
    """Store ``png`` and record it as a signature (the case page and the API)."""
    image = None if fields.get("refused") else store_png(png, f"签名-{(fields.get('signer_name') or '').strip()}.png")
    return record_signature(case, actor=actor, image=image, **fields)


def signatures_of(case):
    """The signatures recorded on ``case`` (after a scoped case lookup), newest first."""
    return case.signatures.select_related("image", "recorded_by", "interview", "inspection").order_by("-signed_at", "-pk")


__all__ = ["record_signature", "sign_with_png", "signature_section", "signatures_of", "check_target",
           "decode_data_url", "store_png"]
