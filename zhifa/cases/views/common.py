"""Helpers shared by the case pages: access to a case, deadlines, approvals, links and stored files."""

import datetime

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from zhifa.accounts import roles
from zhifa.core.views import CapabilityRequiredMixin
from zhifa.records.models import StoredFile, Upload
from zhifa.records.services import store_file

from .. import services
from ..models import Case
from ..procedures import PROCEDURES

MY_CASES_LIMIT = 50
APPROVAL_LIMIT = 10
RECORDING_CONTENT = ("image/", "video/", "audio/")
INLINE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "application/pdf",
                "video/mp4", "video/quicktime", "video/webm", "audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/wav")


def deadline_info(case: Case, today: datetime.date) -> dict | None:
    """The next deadline for display: label, date, days left (negative when overdue)."""
    if not case.next_deadline:
        return None
    days = (case.next_deadline - today).days
    if days < 0:
        text = f"已超期{-days}天"
    elif days == 0:
        text = "今天到期"
    else:
        text = f"剩余{days}天"
    return {"label": case.next_deadline_label, "date": case.next_deadline, "days": days, "overdue": days < 0,
            "text": text}


def stage_choices() -> list[tuple[str, str]]:
    """Every stage of every procedure, once (for the stage filter)."""
    seen = {}
    for procedure in PROCEDURES.values():
        for stage in procedure.stages:
            seen.setdefault(stage.code, stage.name)
    return [("", "全部"), *seen.items()]


def role_may(user, transition) -> bool:
    """Whether the user's role may make ``transition`` (the procedure definition decides)."""
    return user.is_superuser or user.role in transition.roles


def annotate_cases(cases, user, today) -> None:
    """Attach the deadline and the next steps (from the procedure definition, no queries)."""
    for case in cases:
        case.deadline = deadline_info(case, today)
        case.next_steps = [
            t for t in case.procedure_definition.transitions_from(case.stage) if role_may(user, t)
        ] if not case.is_read_only else []


def approval_transitions(user) -> dict:
    """(procedure, stage) → transitions reserved to heads that this user's role may make."""
    wanted = {}
    for procedure in PROCEDURES.values():
        for transition in procedure.transitions:
            if roles.OFFICER in transition.roles or not role_may(user, transition):
                continue
            wanted.setdefault((procedure.code, transition.source), []).append(transition)
    return wanted


def awaiting_approval(user, limit: int = APPROVAL_LIMIT) -> list[tuple[Case, object]]:
    """Cases waiting for this head: a head-only transition is ready now (at most ``limit``
    cases are checked, the most urgent first)."""
    if not (user.is_superuser or user.role in (roles.UNIT_HEAD, roles.AGENCY_HEAD)):
        return []
    wanted = approval_transitions(user)
    if not wanted:
        return []
    condition = Q()
    for procedure, stage in wanted:
        condition |= Q(procedure=procedure, stage=stage)
    cases = (
        Case.objects.restrict(user, "change").filter(condition, archived_on__isnull=True)
        .select_related("agency", "item", "party", "item_version")
        .order_by(F("next_deadline").asc(nulls_last=True), "-id")[:limit]
    )
    ready = []
    for case in cases:
        for transition in wanted[(case.procedure, case.stage)]:
            if not services.missing_requirements(case, transition):
                ready.append((case, transition))
    return ready


def initial_from_post(data, form_class, prefix: str = "") -> dict:
    """Initial values from posted data (to re-show a form without validating it)."""
    initial = {}
    for name, field in form_class.base_fields.items():
        key = f"{prefix}-{name}" if prefix else name
        if key not in data:
            continue
        multiple = isinstance(field, django_forms.MultipleChoiceField)
        initial[name] = data.getlist(key) if multiple else data.get(key)
    return initial


def case_file_url(case: Case) -> str:
    """The case-file page (案卷), when that page is installed."""
    try:
        return reverse("cases:case_file", args=[case.pk])
    except NoReverseMatch:
        return ""


def review_url(case: Case) -> str:
    """The legal review page of the case (法制审核), when that capability is installed."""
    try:
        return reverse("review:case", args=[case.pk])
    except NoReverseMatch:
        return ""


def change_refusal(case: Case, user) -> str:
    """Why ``user`` may not change ``case`` now ("" when they may)."""
    if case.is_read_only:
        return "案件已归档，案卷只读。"
    if not Case.objects.restrict(user, "change").filter(pk=case.pk).exists():
        return "您无权办理该案件。"
    return ""


def stored_file_of(user, stored_id):
    """A stored file the user uploaded themselves, or a ValidationError."""
    stored = StoredFile.objects.filter(pk=stored_id).first()
    if stored is None or not Upload.objects.filter(owner=user, completed=stored).exists():
        raise ValidationError("只能登记本人上传的文件。")
    return stored


def store_posted_file(upload) -> StoredFile:
    """Store a plain multipart upload (the no-JavaScript fallback), streamed in chunks."""
    upload.seek(0)
    return store_file(upload, upload.name, upload.content_type)


class CaseAccessMixin(CapabilityRequiredMixin):
    """Log-in, the cases capability, and the case reached only through ``restrict``."""

    area = "cases"
    action = "view"

    def case_queryset(self):
        return Case.objects.restrict(self.request.user, "view").select_related(
            "agency", "unit", "item", "item_version", "party", "benchmark"
        )

    def get_case(self) -> Case:
        try:
            return self.case_queryset().get(pk=self.kwargs["pk"])
        except Case.DoesNotExist:
            raise Http404("案件不存在或不在您的管辖范围内。") from None
