"""The case page that tells the whole story, its files and the procedure flow charts."""

from decimal import Decimal

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from zhifa.accounts import roles
from zhifa.catalog.services import suggest_special_lists
from zhifa.core import clock
from zhifa.core.views import CapabilityRequiredMixin
from zhifa.documents.kinds import KIND_TITLES
from zhifa.records.services import events_for, log_access, open_stored
from zhifa.records.verification import cached_stream_verification

from .. import forms, rules, services
from ..documents import DECISION_CODES, penalty_lines
from ..models import Case, Hearing
from ..procedures import PROCEDURES, procedure_for
from .coercion import measure_panel
from .common import INLINE_TYPES, CaseAccessMixin, case_file_url, deadline_info, review_url


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
    try:
        hearing = case.hearing
    except Hearing.DoesNotExist:
        hearing = None
    evidence = list(case.evidence.select_related("file", "officer"))
    for item in evidence:
        item.is_image = (item.file.content_type or "").startswith("image/")
    statements = list(case.statements.all())
    payments = list(case.payments.all())
    money = rules.money_items(case, today)
    fine = case.fine_amount or Decimal("0")
    due = sum((m.due for m in money), Decimal("0"))
    paid = sum((p.amount for p in payments), Decimal("0"))
    other_penalties = [i.kind for i in rules.penalty_items(case) if i.needs_own_act]
    benchmark = case.benchmark or case.item.benchmark_on(case.occurred_on) or case.item.benchmark_on(today)
    tiers = benchmark.ordered_tiers() if benchmark is not None else []
    suggestions = suggest_special_lists(case.item, set(case.fact_tags), case.occurred_on) if case.fact_tags else []
    # One service decides what the user may do now: the buttons below and the API's next-actions.
    available = services.next_actions(case, user)
    refusal = available.refusal
    can_change = not refusal
    labels = dict(roles.ROLE_CHOICES)
    options = []
    for option in available.transitions:
        transition = option.transition
        options.append({
            "code": transition.code, "name": transition.name, "ready": option.ready,
            "missing": option.missing, "role_allowed": option.role_allowed, "refusal": option.refusal,
            "roles": "、".join(labels[r] for r, _ in roles.ROLE_CHOICES if r in transition.roles),
            "target": case.procedure_definition.stage(transition.target).name,
            "takes_data": transition.code in forms.TRANSITION_FORMS,
            "documents": [KIND_TITLES.get(code, code) for code in transition.documents],
        })
    verify = cached_stream_verification(case.stream_key)  # chain now, files from their last re-hash
    actions = available.flags
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
        **measure_panel(case, user),  # 行政强制
        "statements": statements,
        "hearing": hearing,
        "payments": payments,
        "extensions": list(case.extensions.select_related("approved_by")),
        "remedies": list(case.remedies.all()),
        "publication": _publication_of(case, user),
        "money_items": money,
        "penalty_lines": penalty_lines(case),
        "other_penalties": other_penalties,
        "amount_due": due,
        "amount_paid": paid,
        "amount_outstanding": max(due - paid, Decimal("0")),
        "benchmark": benchmark,
        "tiers": tiers,
        "suggestions": suggestions,
        "grounds": rules.no_penalty_grounds(case),
        "limitation_ends_on": rules.limitation_ends_on(case),
        "limitation_expired": rules.limitation_expired(case),
        "payment_plan": case.payment_plans.select_related("approved_by").order_by("-approved_on", "-pk").first()
        if fine else None,
        "instalments": services.instalment_schedule(case, today) if fine and case.payment_plans.exists() else [],
        "options": options,
        "next_ready": next((o for o in options if o["ready"] and o["role_allowed"] and not o["refusal"]), None),
        "steps": stage_steps(case),
        "actions": actions,
        "can_change": can_change,
        "party_link_codes": DECISION_CODES,  # 当事人下载链接 (zhifa.mobile.links)
        "refusal": refusal,
        "case_file_url": case_file_url(case),
        "review_url": review_url(case),
        "level_label": dict(forms.catalog_choices.LEVEL_CHOICES).get(case.discretion_level, ""),
    }


def stage_steps(case: Case) -> list[dict]:
    """The procedure's stages in order for the stepper (环节进度): done, current or to come."""
    stages = case.procedure_definition.stages
    codes = [stage.code for stage in stages]
    current = codes.index(case.stage) if case.stage in codes else -1
    return [{"name": stage.name, "state": "done" if n < current else "current" if n == current else "todo"}
            for n, stage in enumerate(stages)]


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
        if stored is None:
            raise Http404(f"《{document.title}》的PDF{document.get_pdf_status_display()}，请稍后再试。")
        log_access(request.user, "download", case.stream_key, request=request)
        inline = fmt == "pdf" and request.GET.get("inline") == "1"
        return FileResponse(open_stored(stored), as_attachment=not inline, filename=f"{document.title}.{fmt}",
                            content_type=stored.content_type)


class DocumentRetryPdfView(CaseAccessMixin, View):
    """POST: convert a document whose PDF failed again (重新生成); back to the case page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect

        from ..documents import retry_pdf

        case = self.get_case()
        document = get_object_or_404(case.documents.all(), pk=kwargs["document_id"])
        try:
            retry_pdf(document, actor=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"已重新提交《{document.title}》的PDF生成，请稍后刷新。")
        return redirect(f"{case.get_absolute_url()}#documents")


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
