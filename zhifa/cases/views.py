"""Web pages of case handling (案件办理): the workbench, lists, the case page that tells the
whole story, one form per action and the on-the-spot procedure on a phone.

Views only parse input and call one function of ``zhifa.cases.services`` (the only code
that changes a case); every refusal comes back in Chinese from there. Every view or
download of a case's record is written to the access log (REC-4).
"""

import datetime
from decimal import Decimal

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

from zhifa.accounts import roles
from zhifa.catalog.services import suggest_special_lists
from zhifa.core import clock
from zhifa.core.scoping import ensure_in_scope
from zhifa.core.views import CapabilityRequiredMixin, ObjectListView, add_validation_error
from zhifa.documents.kinds import KIND_TITLES
from zhifa.records.models import StoredFile, Upload
from zhifa.records.services import events_for, log_access, open_stored, store_file, verify_stream

from . import choices, forms, rules, services
from .filters import CaseFilterSet
from .models import Case, Hearing
from .procedures import PROCEDURES, procedure_for

MY_CASES_LIMIT = 50
APPROVAL_LIMIT = 10
RECORDING_CONTENT = ("image/", "video/", "audio/")
INLINE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "application/pdf",
                "video/mp4", "video/quicktime", "video/webm", "audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/wav")


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------
# Workbench and lists
# ---------------------------------------------------------------------------------------


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


class WorkbenchView(CaseAccessMixin, TemplateView):
    """办案工作台: my open cases with deadlines and next steps; for heads, what waits for them."""

    template_name = "cases/workbench.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = clock.today()
        mine = (
            Case.objects.restrict(user, "view")
            .filter(assignments__officer__user=user, closed_on__isnull=True, archived_on__isnull=True)
            .select_related("agency", "item", "party")
            .order_by(F("next_deadline").asc(nulls_last=True), "-id")
        )
        my_cases = list(mine[:MY_CASES_LIMIT])
        annotate_cases(my_cases, user, today)
        approvals = awaiting_approval(user)
        annotate_cases([case for case, _ in approvals], user, today)
        ctx.update(
            title="办案工作台",
            my_cases=my_cases,
            my_total=mine.count() if len(my_cases) == MY_CASES_LIMIT else len(my_cases),
            my_overdue=sum(1 for c in my_cases if c.deadline and c.deadline["overdue"]),
            approvals=approvals,
            is_head=user.is_superuser or user.role in (roles.UNIT_HEAD, roles.AGENCY_HEAD),
            may_handle=user.has_capability("cases", "change") and user.role != roles.AUXILIARY,
            approval_limit=APPROVAL_LIMIT,
        )
        return ctx


class CaseListView(ObjectListView):
    """All cases in the user's reach, with the shared filters."""

    model = Case
    template_name = "cases/case_list.html"
    filterset_class = CaseFilterSet
    select_related = ("agency", "unit", "item", "party")
    columns = [("案号", "number"), ("案由", "cause"), ("当事人", "party.name"), ("环节", "stage_name"),
               ("下一期限", "next_deadline")]
    title = "案件"
    create_url_name = "cases:case_create"
    paginate_by = 30

    def filter_queryset(self, qs):
        self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
        self.filterset.filters["stage"].extra["widget"] = django_forms.Select(choices=stage_choices())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        annotate_cases([obj for obj, _ in ctx["rows"]], self.request.user, clock.today())
        user = self.request.user
        ctx["may_handle"] = user.has_capability("cases", "change") and user.role != roles.AUXILIARY
        return ctx


class OverdueView(CaseAccessMixin, TemplateView):
    """Overdue open cases per handling unit (超期案件)."""

    template_name = "cases/overdue.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = clock.today()
        cases = list(
            Case.objects.restrict(user, "view")
            .filter(next_deadline__lt=today, closed_on__isnull=True, archived_on__isnull=True)
            .select_related("agency", "unit", "party", "item")
            .order_by("agency__name", "agency_id", "unit__name", "unit_id", "next_deadline", "id")
        )
        annotate_cases(cases, user, today)
        groups = []
        for case in cases:
            key = (case.agency_id, case.unit_id)
            if not groups or groups[-1]["key"] != key:
                groups.append({"key": key, "agency": case.agency, "unit": case.unit, "cases": []})
            groups[-1]["cases"].append(case)
        ctx.update(title="超期案件", groups=groups, total=len(cases))
        return ctx


# ---------------------------------------------------------------------------------------
# Registering cases
# ---------------------------------------------------------------------------------------


class CaseCreateView(CapabilityRequiredMixin, TemplateView):
    """线索登记 (general procedure): calls ``services.open_case``."""

    template_name = "cases/case_form.html"
    area = "cases"
    action = "change"

    def render_form(self, form, status=200):
        return self.render_to_response(self.get_context_data(form=form, title="登记案件"), status=status)

    def get(self, request, *args, **kwargs):
        return self.render_form(forms.CaseCreateForm(user=request.user, officer=services.officer_of(request.user)))

    def post(self, request, *args, **kwargs):
        if "find_party" in request.POST:
            initial = initial_from_post(request.POST, forms.CaseCreateForm)
            form = forms.CaseCreateForm(initial=initial, user=request.user,
                                        party_query=request.POST.get("party_q", "").strip())
            return self.render_form(form)
        form = forms.CaseCreateForm(request.POST, user=request.user)
        status = 200
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.open_case(
                    actor=request.user, agency=data["agency"], unit=data["unit"], item=data["item"],
                    party=data["party"], cause=data["cause"], source=data["source"],
                    occurred_on=data["occurred_on"], place=data["place"], facts=data["facts"],
                    officers=form.officers(),
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(request, f"已登记案件：{case.cause}。")
                return redirect(case.get_absolute_url())
        return self.render_form(form, status)


class SimpleCaseView(CapabilityRequiredMixin, TemplateView):
    """当场处罚 on a phone: register, propose, record the photo and decide — in one
    transaction, so a refusal leaves nothing half-written."""

    template_name = "cases/simple_form.html"
    area = "cases"
    action = "change"

    def render_forms(self, form, party_form, status=200, missing=()):
        return self.render_to_response(self.get_context_data(
            form=form, party_form=party_form, missing=list(missing), title="当场处罚",
        ), status=status)

    def get(self, request, *args, **kwargs):
        user = request.user
        return self.render_forms(forms.SimpleCaseForm(user=user), forms.QuickPartyForm(prefix="new_party", user=user))

    def post(self, request, *args, **kwargs):
        user = request.user
        post = request.POST
        if "find_party" in post:
            form = forms.SimpleCaseForm(initial=initial_from_post(post, forms.SimpleCaseForm), user=user,
                                        party_query=post.get("party_q", "").strip())
            party_form = forms.QuickPartyForm(
                initial=initial_from_post(post, forms.QuickPartyForm, "new_party"), prefix="new_party", user=user)
            return self.render_forms(form, party_form)
        form = forms.SimpleCaseForm(post, request.FILES, user=user)
        new_party = post.get("party_mode") == forms.SimpleCaseForm.PARTY_NEW
        party_form = forms.QuickPartyForm(post if new_party else None, prefix="new_party", user=user)
        valid = form.is_valid()
        if new_party:
            valid = party_form.is_valid() and valid
        if not valid:
            return self.render_forms(form, party_form)
        officer = services.officer_of(user)
        if officer is None:
            form.add_error(None, "您未登记为执法人员，不能当场处罚。")
            return self.render_forms(form, party_form, status=403)
        try:
            case = self.decide(form.cleaned_data, party_form if new_party else None, officer)
        except services.TransitionRefused as exc:
            form.add_error(None, f"不能{exc.transition.name}，以下条件尚未满足（未保存任何内容）：")
            return self.render_forms(form, party_form, missing=exc.missing)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_forms(form, party_form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_forms(form, party_form, status=403)
        messages.success(request, f"已当场作出处罚决定，决定书文号：{case.decision_number}。")
        return redirect("cases:simple_done", pk=case.pk)

    def decide(self, data, party_form, officer) -> Case:
        user = self.request.user
        stored = None
        if data.get("stored_file"):
            stored = stored_file_of(user, data["stored_file"])
        elif data.get("photo"):
            stored = store_posted_file(data["photo"])
        today = clock.today()
        with transaction.atomic():
            if party_form is not None:
                party = party_form.save()
                ensure_in_scope(party, user)
            else:
                party = data["party"]
            item = data["item"]
            agency = user.agency or officer.home_agency
            unit = user.unit if user.unit_id and user.unit.agency_id == agency.pk else None
            case = services.open_case(
                actor=user, agency=agency, unit=unit, item=item, party=party,
                cause=data["cause"] or services.cause_from_item(item), occurred_on=today, place=data["place"], facts=data["facts"],
                procedure=choices.SIMPLE, source="inspection", officers=[officer],
            )
            services.set_discretion(
                case, actor=user, level=data["level"], penalty_kinds=data["penalty_kinds"],
                fine_amount=data["fine_amount"], deviation_reason=data["deviation_reason"],
            )
            if stored is not None:
                services.add_evidence(case, stored, actor=user, kind="audiovisual", title="现场照片",
                                      captured_at=clock.now(), place_text=data["place"], device="手机")
            return services.perform_transition(case, "decide_on_spot", actor=user, data={
                "certificate_shown": data["certificate_shown"], "party_heard": data["party_heard"],
            })


class SimpleDoneView(CaseAccessMixin, TemplateView):
    """The result of an on-the-spot decision: its number and the decision to hand over."""

    template_name = "cases/simple_done.html"

    def get(self, request, *args, **kwargs):
        case = self.get_case()
        if case.procedure != choices.SIMPLE or not case.decision_number:
            return redirect(case.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case = self.get_case()
        log_access(self.request.user, "view", case.stream_key, request=self.request)
        documents = list(case.documents.select_related("pdf"))
        ctx.update(
            title="当场处罚决定", case=case, documents=documents,
            decision=next((d for d in documents if d.code == "on_the_spot_decision"), None),
            amount_due=rules.amount_due(case, clock.today()),
        )
        return ctx


# ---------------------------------------------------------------------------------------
# The case page
# ---------------------------------------------------------------------------------------


class CaseDetailView(CaseAccessMixin, TemplateView):
    """The case page: header, integrity badge, the story in order, and the next steps."""

    template_name = "cases/case_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        case = self.get_case()
        log_access(user, "view", case.stream_key, request=self.request)
        ctx.update(case_page_context(case, user))
        return ctx


def case_page_context(case: Case, user) -> dict:
    """Everything the case page shows."""
    today = clock.today()
    refusal = change_refusal(case, user)
    can_change = not refusal
    try:
        hearing = case.hearing
    except Hearing.DoesNotExist:
        hearing = None
    evidence = list(case.evidence.select_related("file", "officer"))
    for item in evidence:
        item.is_image = (item.file.content_type or "").startswith("image/")
    statements = list(case.statements.all())
    payments = list(case.payments.all())
    fine = case.fine_amount or Decimal("0")
    due = rules.amount_due(case, today) if fine else Decimal("0")
    paid = sum((p.amount for p in payments), Decimal("0"))
    benchmark = case.benchmark or case.item.benchmark_on(case.occurred_on) or case.item.benchmark_on(today)
    tiers = benchmark.ordered_tiers() if benchmark is not None else []
    suggestions = suggest_special_lists(case.item, set(case.fact_tags), case.occurred_on) if case.fact_tags else []
    options = []
    for option in services.available_transitions(case, user):
        transition = option.transition
        labels = dict(roles.ROLE_CHOICES)
        options.append({
            "code": transition.code, "name": transition.name, "ready": option.ready and can_change,
            "missing": option.missing, "role_allowed": option.role_allowed,
            "roles": "、".join(labels[r] for r, _ in roles.ROLE_CHOICES if r in transition.roles),
            "target": case.procedure_definition.stage(transition.target).name,
            "takes_data": transition.code in forms.TRANSITION_FORMS,
            "documents": [KIND_TITLES.get(code, code) for code in transition.documents],
        })
    stage = case.stage
    general = case.procedure == choices.GENERAL
    signer = user.is_superuser or user.role != roles.AUXILIARY
    recording = stage in services.RECORDING_STAGES
    verify = verify_stream(case.stream_key)
    actions = {
        "assign": can_change and general and stage not in ("closed", "archived") and signer,
        "evidence": can_change and recording,
        "inspection": can_change and recording and general,
        "interview": can_change and recording and general,
        "coercive": can_change and recording and general and signer,
        "discretion": can_change and signer and stage in ("investigation", "discretion"),
        "statement": can_change and stage == "notice",
        "waive": can_change and stage == "notice" and not case.rights_waived,
        "hearing_request": can_change and stage == "notice" and case.hearing_right and hearing is None,
        "hearing_schedule": can_change and signer and hearing is not None and hearing.scheduled_for is None,
        "hearing_record": can_change and hearing is not None and hearing.scheduled_for is not None
        and not hearing.concluded,
        "extension": can_change and (user.is_superuser or user.role == roles.AGENCY_HEAD)
        and stage in ("filed", "investigation", "discretion", "notice"),
        "payment": can_change and stage == "execution" and bool(case.fine_amount) and paid < due,
        "remedy": bool(case.decided_on) and Case.objects.restrict(user, "change").filter(pk=case.pk).exists(),
        "answer": can_change and signer,
    }
    return {
        "title": str(case),
        "case": case,
        "deadline": deadline_info(case, today),
        "verify": verify,
        "events": list(events_for(case.stream_key)),
        "assignments": list(case.assignments.select_related("officer")),
        "documents": list(case.documents.select_related("pdf", "docx")),
        "evidence": evidence,
        "inspections": list(case.inspections.select_related("recording")),
        "interviews": list(case.interviews.select_related("recording")),
        "coercive_measures": list(case.coercive_measures.select_related("recording")),
        "statements": statements,
        "hearing": hearing,
        "payments": payments,
        "extensions": list(case.extensions.select_related("approved_by")),
        "remedies": list(case.remedies.all()),
        "publication": _publication_of(case, user),
        "fine": fine,
        "amount_due": due,
        "amount_paid": paid,
        "amount_outstanding": max(due - paid, Decimal("0")),
        "surcharge": due - fine if fine else Decimal("0"),
        "benchmark": benchmark,
        "tiers": tiers,
        "suggestions": suggestions,
        "options": options,
        "actions": actions,
        "can_change": can_change,
        "refusal": refusal,
        "case_file_url": case_file_url(case),
        "review_url": review_url(case),
        "level_label": dict(forms.catalog_choices.LEVEL_CHOICES).get(case.discretion_level, ""),
    }


def _publication_of(case: Case, user):
    """The case's publication record, if the user may see the publicity pages."""
    if not (user.is_superuser or user.has_capability("publicity", "view")):
        return None
    from zhifa.publicity.models import Publication

    return Publication.objects.restrict(user).filter(case=case).first()


class DocumentFileView(CaseAccessMixin, TemplateView):
    """Download a generated document (PDF or DOCX); the download is logged."""

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in ("pdf", "docx"):
            raise Http404("没有这种格式。")
        case = self.get_case()
        document = get_object_or_404(case.documents.select_related("pdf", "docx"), pk=kwargs["document_id"])
        stored = document.pdf if fmt == "pdf" else document.docx
        log_access(request.user, "download", case.stream_key, request=request)
        inline = fmt == "pdf" and request.GET.get("inline") == "1"
        return FileResponse(open_stored(stored), as_attachment=not inline, filename=f"{document.title}.{fmt}",
                            content_type=stored.content_type)


class EvidenceFileView(CaseAccessMixin, TemplateView):
    """Download (or show inline, for thumbnails and players) an evidence file; logged."""

    def get(self, request, *args, **kwargs):
        case = self.get_case()
        evidence = get_object_or_404(case.evidence.select_related("file"), pk=kwargs["evidence_id"])
        stored = evidence.file
        log_access(request.user, "download", case.stream_key, request=request)
        inline = request.GET.get("inline") == "1" and stored.content_type in INLINE_TYPES
        return FileResponse(open_stored(stored), as_attachment=not inline, filename=stored.original_name,
                            content_type=stored.content_type)


class ProcedureFlowView(CapabilityRequiredMixin, TemplateView):
    """The flow chart of a procedure, drawn from the same definition the checks use."""

    template_name = "cases/procedure_flow.html"
    area = "cases"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            procedure = procedure_for(kwargs["code"])
        except KeyError:
            raise Http404("没有这种程序。") from None
        ctx.update(title=f"{procedure.name}流程图", procedure=procedure, flow=procedure.flow(),
                   procedures=list(PROCEDURES.values()))
        return ctx


# ---------------------------------------------------------------------------------------
# Actions on a case: one form, one service call each
# ---------------------------------------------------------------------------------------


class CaseActionView(CaseAccessMixin, TemplateView):
    """GET shows the form; POST calls ``perform`` (one service function) and returns to the
    case page, or shows the refusal in Chinese with nothing changed."""

    template_name = "cases/action_form.html"
    form_class = None
    title = ""
    intro = ""
    anchor = ""
    submit_label = "保存"

    def form_kwargs(self, case) -> dict:
        return {}

    def build_form(self, case, data=None, files=None):
        return self.form_class(data, files, **self.form_kwargs(case))

    def page_context(self, case, form) -> dict:
        return {}

    def success_url(self, case) -> str:
        return case.get_absolute_url() + (f"#{self.anchor}" if self.anchor else "")

    def render_page(self, case, form, status=200, missing=(), refusal=""):
        ctx = self.get_context_data(
            case=case, form=form, title=f"{self.title}：{case.number or case.cause}", heading=self.title,
            intro=self.intro, submit_label=self.submit_label, missing=list(missing), refusal=refusal,
        )
        ctx.update(self.page_context(case, form))
        return self.render_to_response(ctx, status=status)

    def refusal(self, case) -> str:
        return change_refusal(case, self.request.user)

    def get(self, request, *args, **kwargs):
        case = self.get_case()
        refusal = self.refusal(case)
        if refusal:
            return self.render_page(case, None, status=403, refusal=refusal)
        return self.render_page(case, self.build_form(case))

    def post(self, request, *args, **kwargs):
        case = self.get_case()
        refusal = self.refusal(case)
        if refusal:
            return self.render_page(case, None, status=403, refusal=refusal)
        form = self.build_form(case, request.POST, request.FILES)
        status, missing = 200, []
        if form.is_valid():
            try:
                message = self.perform(case, form)
            except services.TransitionRefused as exc:
                form.add_error(None, f"不能{exc.transition.name}，以下条件尚未满足：")
                missing = exc.missing
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(request, message)
                return redirect(self.success_url(case))
        return self.render_page(case, form, status=status, missing=missing)


class TransitionView(CaseActionView):
    """Make the next step of the procedure (``services.perform_transition``)."""

    template_name = "cases/transition_form.html"

    def transition(self, case):
        try:
            return case.procedure_definition.transition(self.kwargs["code"])
        except KeyError:
            raise Http404("该程序中没有这一步。") from None

    def build_form(self, case, data=None, files=None):
        form_class = forms.TRANSITION_FORMS.get(self.kwargs["code"])
        if form_class is None:
            return django_forms.Form(data)
        return form_class(data, case=case)

    def render_page(self, case, form, status=200, missing=(), refusal=""):
        transition = self.transition(case)
        self.title = transition.name
        self.submit_label = f"确认{transition.name}"
        return super().render_page(case, form, status=status, missing=missing, refusal=refusal)

    def page_context(self, case, form):
        transition = self.transition(case)
        option = next((o for o in services.available_transitions(case, self.request.user)
                       if o.transition.code == transition.code), None)
        labels = dict(roles.ROLE_CHOICES)
        return {
            "transition": transition,
            "option": option,
            "target": case.procedure_definition.stage(transition.target).name,
            "roles": "、".join(labels[r] for r, _ in roles.ROLE_CHOICES if r in transition.roles),
            "requirements": [rules.REQUIREMENTS[code].text for code in transition.requires],
            "document_titles": [KIND_TITLES.get(code, code) for code in transition.documents],
        }

    def perform(self, case, form):
        transition = self.transition(case)
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        case = services.perform_transition(case, transition.code, actor=self.request.user, data=data)
        message = f"已{transition.name}，案件进入“{case.stage_name}”环节。"
        if transition.code in ("decide", "decide_on_spot") and case.decision_number:
            message += f"决定书文号：{case.decision_number}。"
        return message


class AssignOfficerView(CaseActionView):
    """指定办案人员 → ``services.assign_officer``."""

    form_class = forms.AssignOfficerForm
    title = "指定办案人员"
    intro = "立案和调查须有两名以上持有效执法证、可办理该事项的执法人员。"
    anchor = "officers"

    def form_kwargs(self, case):
        return {"case": case, "user": self.request.user}

    def perform(self, case, form):
        officer = form.cleaned_data["officer"]
        services.assign_officer(case, officer, actor=self.request.user, role=form.cleaned_data["role"])
        return f"已指定办案人员：{officer.name}。"


class DiscretionView(CaseActionView):
    """拟定处罚: compare with the benchmark (preview without saving), then save."""

    template_name = "cases/discretion_form.html"
    form_class = forms.DiscretionForm
    title = "拟定处罚意见（裁量）"
    anchor = "discretion"

    def build_form(self, case, data=None, files=None):
        return forms.DiscretionForm(data, initial=forms.DiscretionForm.initial_for(case))

    def page_context(self, case, form):
        benchmark = case.benchmark or case.item.benchmark_on(case.occurred_on) or case.item.benchmark_on(clock.today())
        ctx = {
            "benchmark": benchmark,
            "tiers": benchmark.ordered_tiers() if benchmark is not None else [],
            "saved": self.request.GET.get("saved") == "1",
            "preview": getattr(self, "preview", None),
            "suggestions": suggest_special_lists(case.item, set(case.fact_tags), case.occurred_on)
            if case.fact_tags else [],
        }
        return ctx

    def post(self, request, *args, **kwargs):
        if "preview" not in request.POST:
            return super().post(request, *args, **kwargs)
        case = self.get_case()
        refusal = change_refusal(case, request.user)
        if refusal:
            return self.render_page(case, None, status=403, refusal=refusal)
        form = self.build_form(case, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            kinds = [] if data["outcome"] == choices.OUTCOME_NO_PENALTY else data["penalty_kinds"]
            self.preview = services.assess_discretion(case, data["level"], kinds, data["fine_amount"],
                                                      data["fact_tags"])
        return self.render_page(case, form)

    def success_url(self, case):
        return reverse("cases:discretion", args=[case.pk]) + "?saved=1"

    def perform(self, case, form):
        data = form.cleaned_data
        result = services.set_discretion(
            case, actor=self.request.user, level=data["level"], penalty_kinds=data["penalty_kinds"],
            fine_amount=data["fine_amount"], confiscation_amount=data["confiscation_amount"],
            fact_tags=data["fact_tags"], deviation_reason=data["deviation_reason"], reasoning=data["reasoning"],
            outcome=data["outcome"], education_record=data["education_record"],
        )
        if result.within_benchmark is False:
            return "已保存处罚意见。拟作出的处罚不符合裁量基准，已提示执法监督" + (
                "，并已记录书面理由。" if data["deviation_reason"].strip() else "，请填写书面理由。")
        return "已保存处罚意见。"


class InspectionView(CaseActionView):
    """现场检查笔录 → ``services.record_inspection``."""

    form_class = forms.InspectionForm
    title = "现场检查笔录"
    intro = "保存后生成现场检查笔录并写入全过程记录。"
    anchor = "records"

    def form_kwargs(self, case):
        return {"case": case}

    def perform(self, case, form):
        data = form.cleaned_data
        services.record_inspection(case, actor=self.request.user, time=data["time"], place=data["place"],
                                   content=data["content"], findings=data["findings"], recording=data["recording"])
        return "已制作现场检查笔录。"


class InterviewView(CaseActionView):
    """询问笔录 with repeated question/answer pairs."""

    template_name = "cases/interview_form.html"
    form_class = forms.InterviewForm
    title = "询问笔录"
    intro = "在办案场所（询问室）进行的询问必须全程录音录像：请先上传录像，再在此选择。"
    anchor = "records"
    blank_pairs = 3

    def form_kwargs(self, case):
        return {"case": case}

    def questions(self) -> list[dict]:
        post = self.request.POST
        pairs = zip(post.getlist("q"), post.getlist("a"), strict=False)
        return [{"q": q.strip(), "a": a.strip()} for q, a in pairs if q.strip()]

    def page_context(self, case, form):
        pairs = self.questions() if self.request.method == "POST" else []
        return {"qa_pairs": pairs + [{"q": "", "a": ""}] * self.blank_pairs}

    def perform(self, case, form):
        data = form.cleaned_data
        services.record_interview(
            case, actor=self.request.user, interviewee=data["interviewee"], time=data["time"], place=data["place"],
            questions=self.questions(), in_interview_room=data["in_interview_room"], recording=data["recording"],
        )
        return "已制作询问笔录。"


class CoerciveMeasureView(CaseActionView):
    """查封、扣押、强制拆除 → ``services.record_coercive_measure`` (needs its recording)."""

    form_class = forms.CoerciveMeasureForm
    title = "行政强制措施"
    intro = "查封、扣押和强制拆除必须全程音像记录（国办发〔2018〕118号）。"
    anchor = "records"

    def form_kwargs(self, case):
        return {"case": case}

    def perform(self, case, form):
        data = form.cleaned_data
        services.record_coercive_measure(case, actor=self.request.user, kind=data["kind"],
                                         started_at=data["started_at"], items=data["items"],
                                         approved_by=data["approved_by"], recording=data["recording"])
        return "已记录行政强制措施。"


class StatementView(CaseActionView):
    """陈述申辩 → ``services.record_statement``."""

    form_class = forms.StatementForm
    title = "记录陈述申辩意见"
    intro = "每条意见都须复核答复，决定书逐条说明采纳与否（说理式文书）。"
    anchor = "statements"

    def perform(self, case, form):
        data = form.cleaned_data
        services.record_statement(case, actor=self.request.user, point=data["point"],
                                  received_on=data["received_on"])
        return "已记录陈述申辩意见并生成陈述申辩笔录。"


class AnswerStatementView(CaseActionView):
    """复核答复一条陈述申辩意见 → ``services.answer_statement``."""

    form_class = forms.AnswerStatementForm
    title = "复核陈述申辩意见"
    intro = "陈述申辩不得加重处罚（处罚法第四十五条）。"
    anchor = "statements"

    def statement(self, case):
        return get_object_or_404(case.statements, pk=self.kwargs["statement_id"])

    def build_form(self, case, data=None, files=None):
        statement = self.statement(case)
        initial = {"answer": statement.answer}
        if statement.accepted is not None:
            initial["accepted"] = "1" if statement.accepted else "0"
        return forms.AnswerStatementForm(data, initial=initial)

    def page_context(self, case, form):
        return {"statement": self.statement(case)}

    def perform(self, case, form):
        data = form.cleaned_data
        services.answer_statement(self.statement(case), actor=self.request.user, answer=data["answer"],
                                  accepted=data["accepted"] == "1")
        return "已复核答复。"


class WaiveRightsView(CaseActionView):
    """当事人书面放弃 → ``services.waive_rights``."""

    form_class = forms.WaiveRightsForm
    title = "当事人放弃陈述申辩和听证"
    anchor = "statements"

    def perform(self, case, form):
        services.waive_rights(case, actor=self.request.user, note=form.cleaned_data["note"])
        return "已记录当事人书面放弃陈述、申辩和听证权利。"


class HearingRequestView(CaseActionView):
    """听证申请 → ``services.request_hearing``."""

    form_class = forms.HearingRequestForm
    title = "登记听证申请"
    intro = "当事人应在告知书送达后五个工作日内提出听证申请。"
    anchor = "hearing"

    def perform(self, case, form):
        services.request_hearing(case, actor=self.request.user, requested_on=form.cleaned_data["requested_on"])
        return "已登记听证申请。"


class HearingScheduleView(CaseActionView):
    """通知听证 → ``services.schedule_hearing``."""

    form_class = forms.HearingScheduleForm
    title = "通知听证"
    intro = "应在举行听证的七个工作日前通知当事人；主持人由非本案调查人员担任。"
    anchor = "hearing"

    def form_kwargs(self, case):
        return {"case": case, "user": self.request.user}

    def perform(self, case, form):
        data = form.cleaned_data
        services.schedule_hearing(case, actor=self.request.user, notified_on=data["notified_on"],
                                  scheduled_for=data["scheduled_for"], place=data["place"],
                                  presiding=data["presiding"])
        return "已通知听证。"


class HearingRecordView(CaseActionView):
    """听证笔录 → ``services.record_hearing``."""

    form_class = forms.HearingRecordForm
    title = "听证笔录"
    anchor = "hearing"

    def perform(self, case, form):
        data = form.cleaned_data
        services.record_hearing(case, actor=self.request.user, held_on=data["held_on"], record=data["record"],
                                party_absent=data["party_absent"])
        return "已记录听证情况。"


class ExtensionView(CaseActionView):
    """延长办案期限（机关负责人） → ``services.approve_extension``."""

    form_class = forms.ExtensionForm
    title = "延长办案期限"
    intro = "经机关负责人批准，可以延长作出处罚决定的期限（处罚法第六十条）。"
    anchor = "deadline"

    def perform(self, case, form):
        data = form.cleaned_data
        services.approve_extension(case, actor=self.request.user, days=data["days"], reason=data["reason"])
        return f"已批准延长办案期限{data['days']}日。"


class PaymentView(CaseActionView):
    """登记缴款（罚缴分离） → ``services.record_payment``."""

    form_class = forms.PaymentForm
    title = "登记缴款"
    intro = "罚缴分离：当事人到银行缴纳，这里只登记银行缴款凭证。"
    anchor = "payments"

    def form_kwargs(self, case):
        today = clock.today()
        outstanding = max(rules.amount_due(case, today) - rules.amount_paid(case), Decimal("0"))
        return {"amount_outstanding": outstanding}

    def page_context(self, case, form):
        today = clock.today()
        return {"amount_due": rules.amount_due(case, today), "amount_paid": rules.amount_paid(case)}

    def perform(self, case, form):
        data = form.cleaned_data
        payment = services.record_payment(case, actor=self.request.user, paid_on=data["paid_on"],
                                          amount=data["amount"], bank=data["bank"],
                                          bank_reference=data["bank_reference"].strip())
        return f"已登记缴款{payment.amount}元。"


class RemedyView(CaseActionView):
    """登记行政复议或行政诉讼 → ``services.record_remedy`` (also on archived cases: a new fact)."""

    form_class = forms.RemedyForm
    title = "登记复议或诉讼"
    intro = "当事人申请行政复议或提起行政诉讼的，登记后跟踪结果；决定被撤销、变更或确认违法的，公示信息须在3个工作日内撤回或注明。"
    anchor = "remedies"

    def refusal(self, case):
        if not Case.objects.restrict(self.request.user, "change").filter(pk=case.pk).exists():
            return "您无权办理该案件。"
        return "" if case.decided_on else "案件尚未作出决定。"

    def form_kwargs(self, case):
        return {"agency": case.agency}

    def perform(self, case, form):
        remedy = services.record_remedy(case, actor=self.request.user, **form.cleaned_data)
        return f"已登记{remedy.get_kind_display()}。"


class RemedyResultView(RemedyView):
    """登记复议或诉讼结果 → ``services.record_remedy_result``."""

    form_class = forms.RemedyResultForm
    title = "登记复议或诉讼结果"

    def form_kwargs(self, case):
        return {}

    def perform(self, case, form):
        remedy = case.remedies.filter(pk=self.kwargs["remedy_id"]).first()
        if remedy is None:
            raise ValidationError("该复议或诉讼记录不存在。")
        remedy = services.record_remedy_result(remedy, actor=self.request.user, **form.cleaned_data)
        return f"已登记结果：{remedy.get_result_display()}。"


class EvidenceAddView(CaseActionView):
    """Evidence from a phone: resumable upload by ``records/upload.js``, or a plain file
    upload without JavaScript; then ``services.add_evidence``."""

    template_name = "cases/evidence_form.html"
    form_class = forms.EvidenceForm
    title = "上传证据"
    intro = "拍照、录音、录像或选择执法记录仪导出的文件；上传中断后可继续。超过24小时上传的将被标记。"
    anchor = "evidence"
    submit_label = "登记证据"

    def form_kwargs(self, case):
        return {"case": case}

    def perform(self, case, form):
        data = form.cleaned_data
        user = self.request.user
        if data.get("stored_file"):
            stored = stored_file_of(user, data["stored_file"])
        else:
            stored = store_posted_file(data["file"])
        evidence = services.add_evidence(
            case, stored, actor=user, kind=data["kind"], title=data["title"], captured_at=data["captured_at"],
            description=data["description"], device=data["device"], place_text=data["place_text"],
            latitude=data["latitude"], longitude=data["longitude"],
        )
        late = "（超过24小时上传，已标记）" if evidence.late_upload else ""
        return f"已登记证据{evidence.number}：{evidence.title}{late}。"


class CaseFileView(CaseAccessMixin, TemplateView):
    """The case file (案卷): its table of contents in the standard order, with downloads of
    the whole file as one PDF and of the media package; viewing is logged."""

    template_name = "cases/case_file.html"

    def get_context_data(self, **kwargs):
        from .casefile import entries

        case = self.get_case()
        log_access(self.request.user, "view", case.stream_key, request=self.request)
        return {**super().get_context_data(**kwargs), "case": case, "title": f"案卷：{case.number or case.cause}",
                "entries": entries(case)}


class CaseFilePdfView(CaseAccessMixin, TemplateView):
    """The whole case file as one PDF (卷内目录 + documents); the download is logged."""

    def get(self, request, *args, **kwargs):
        from urllib.parse import quote

        from django.http import HttpResponse

        from .casefile import case_file_pdf

        case = self.get_case()
        log_access(request.user, "download", case.stream_key, request=request)
        response = HttpResponse(case_file_pdf(case), content_type="application/pdf")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{case.number or case.pk}-案卷.pdf')}"
        return response


class CaseFileMediaView(CaseAccessMixin, TemplateView):
    """The media package (ZIP with a hash manifest); the download is logged."""

    def get(self, request, *args, **kwargs):
        from .casefile import media_package

        case = self.get_case()
        log_access(request.user, "download", case.stream_key, request=request)
        return FileResponse(media_package(case), as_attachment=True, filename=f"{case.number or case.pk}-音像材料.zip",
                            content_type="application/zip")
