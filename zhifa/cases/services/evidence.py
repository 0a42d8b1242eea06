"""Evidence and records made during the investigation (REC-2)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from zhifa.core import clock

from .. import choices
from ..models import (
    Case,
    Evidence,
    Inspection,
    Interview,
)
from .actions import RECORDING_STAGES, check_evidence, check_inspection, check_interview  # noqa: F401
from .common import _event, _place_payload, check_not_future, officer_of


@transaction.atomic
def add_evidence(case: Case, stored_file, *, actor, kind: str, title: str, captured_at, description="", device="",
                 officer=None, place_text="", latitude=None, longitude=None, registered_device=None) -> Evidence:
    """Attach a stored file as evidence; flagged when uploaded more than 24 h after capture.

    Auxiliaries may record evidence (they assist; they do not sign). ``registered_device`` is a
    device of the equipment register (``zhifa.inspections``); its ``evidence_refusals`` decides
    whether it may have recorded this evidence (in service, reviewed and published for a
    monitoring device, issued to one of the case's officers or the collector for a camera).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_evidence(case, actor)
    if kind not in dict(choices.EVIDENCE_KIND_CHOICES):
        raise ValidationError({"kind": "证据种类无效。"})
    now = clock.now()
    if captured_at > now + datetime.timedelta(minutes=5):
        raise ValidationError({"captured_at": "采集时间不能晚于当前时间。"})
    collector = officer or officer_of(actor)
    if registered_device is not None:
        refusals = registered_device.evidence_refusals(case, collector, captured_at)
        if refusals:
            raise ValidationError({"registered_device": "；".join(refusals) + "。"})
        device = device or str(registered_device)
    number = (case.evidence.aggregate(n=Max("number"))["n"] or 0) + 1
    evidence = Evidence.objects.create(
        case=case, number=number, kind=kind, title=title, description=description, file=stored_file, device=device,
        registered_device=registered_device, officer=collector, captured_at=captured_at, place_text=place_text, latitude=latitude,
        longitude=longitude, uploaded_at=now, uploaded_by=actor, late_upload=now - captured_at > Evidence.LATE_AFTER,
    )
    summary = f"上传证据{number}：{title}" + ("（超过24小时上传）" if evidence.late_upload else "")
    payload = {
        "number": number, "kind": kind, "title": title, "device": device, "captured_at": captured_at.isoformat(),
        "late_upload": evidence.late_upload, "size": stored_file.size, "content_type": stored_file.content_type,
    }
    if registered_device is not None:
        payload["registered_device"] = registered_device.pk
    _event(case, "evidence", summary, actor, payload=payload, place=_place_payload({"text": place_text, "latitude": latitude, "longitude": longitude}), files=[stored_file])
    return evidence


def _recording_of(case, evidence, what: str) -> Evidence:
    if evidence is None:
        raise ValidationError(f"{what}必须全程音像记录：请先上传录音录像并选择该记录。")
    if evidence.case_id != case.pk or not evidence.is_recording:
        raise ValidationError(f"{what}的全程记录必须是本案的录音或录像文件。")
    return evidence


@transaction.atomic
def record_inspection(case: Case, *, actor, time, place, content, findings, recording=None) -> Inspection:
    """Record an on-site inspection and produce its 现场检查笔录."""
    check_inspection(case, actor)
    check_not_future(time, "time", "检查时间")
    if recording is not None:
        recording = _recording_of(case, recording, "现场检查")
    inspection = Inspection.objects.create(case=case, time=time, place=place, content=content, findings=findings,
                                           recording=recording, recorded_by=actor)
    _document_and_event(case, "site_inspection_record", actor, "inspection", f"制作现场检查笔录（{place}）",
                        {"inspection": inspection.pk, "time": time.isoformat(), "place": place, "findings": findings},
                        subject={"inspection": inspection})
    return inspection


@transaction.atomic
def record_interview(case: Case, *, actor, interviewee, time, place, questions, in_interview_room=False,
                     recording=None) -> Interview:
    """Record an interview (询问笔录); in the interview room a full recording is compulsory."""
    check_interview(case, actor)
    check_not_future(time, "time", "询问时间")
    if in_interview_room or recording is not None:
        recording = _recording_of(case, recording, "在办案场所进行的询问" if in_interview_room else "询问")
    if not questions:
        raise ValidationError({"questions": "询问笔录至少应有一问一答。"})
    interview = Interview.objects.create(
        case=case, interviewee=interviewee, time=time, place=place, in_interview_room=in_interview_room,
        questions=questions, recording=recording, recorded_by=actor,
    )
    _document_and_event(case, "interview_record", actor, "interview", f"制作询问笔录（被询问人：{interviewee}）",
                        {"interview": interview.pk, "interviewee": interviewee, "in_interview_room": in_interview_room,
                         "recording": getattr(recording, "number", None)},
                        subject={"interview": interview})
    return interview


def _document_and_event(case, code, actor, kind, summary, payload, subject=None):
    from ..documents import generate_documents

    document = generate_documents(case, [code], actor=actor, log=False, subject=subject)[0]
    payload = {**payload, "document": {"code": document.code, "number": document.number}}
    if document.embedded_signatures:  # the SM3 of the signatures the document prints
        payload["document"]["signatures"] = document.embedded_signatures
    _event(case, kind, summary, actor, payload=payload, files=[document.docx])  # the PDF is recorded by its job
    return document
