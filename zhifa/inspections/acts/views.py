"""Inspection pages (行政检查): the list, the inspection page with the steps the service allows now,
one form page per step (usable on a phone at the site), evidence, documents, the enterprise's
supervision code (QR) for printing, the annual caps and the annual counts. Views only parse input
and call ``services``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from zhifa.core import clock
from zhifa.core.pagination import CappedPaginator
from zhifa.core.scoping import get_in_scope
from zhifa.core.views import CapabilityRequiredMixin, ServiceActionView
from zhifa.parties.models import Party
from zhifa.records.services import log_access, open_stored, store_file

from ..models.inspection import KIND_CHOICES, Inspection, InspectionCap, InspectionChecklistLine
from . import forms, services
from .procedure import PROCEDURE

LIST_STAGES = [(s.code, s.name) for s in PROCEDURE.stages]


class InspectionListView(CapabilityRequiredMixin, TemplateView):
    """行政检查 list: newest first, filtered by stage and kind; flagged rows marked."""

    template_name = "inspections/act_list.html"
    area = "inspections"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = (Inspection.objects.restrict(self.request.user, "view").select_related("agency", "party")
              .only("id", "number", "kind", "stage", "planned_on", "joint", "emergency", "approved_at", "started_at",
                    "scanned_at", "publication_due_on", "published_on", "agency__name", "agency__short_name",
                    "party__name")
              .order_by("-planned_on", "-id"))
        stage = self.request.GET.get("stage", "")
        kind = self.request.GET.get("kind", "")
        if stage in dict(LIST_STAGES):
            qs = qs.filter(stage=stage)
        if kind in dict(KIND_CHOICES):
            qs = qs.filter(kind=kind)
        page = CappedPaginator(qs, 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(title="行政检查", page=page, stages=LIST_STAGES, kinds=KIND_CHOICES, stage=stage, kind=kind,
                   querystring=query.urlencode(), today=clock.today(),
                   can_create=self.request.user.has_capability("inspections", "change"))
        return ctx


class InspectionDetailView(CapabilityRequiredMixin, TemplateView):
    template_name = "inspections/act_detail.html"
    area = "inspections"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        inspection = get_in_scope(
            Inspection.objects.select_related("agency", "party", "case", "approved_by").prefetch_related(
                "officers", Prefetch("lines", queryset=InspectionChecklistLine.objects.select_related("agency", "item")),
                "documents", "evidence__device", "evaluations__complaint"),
            self.request.user, pk=self.kwargs["pk"])
        options = services.available_actions(inspection, self.request.user)
        ctx.update(title=f"行政检查 {inspection.number}", inspection=inspection, options=options,
                   flow=PROCEDURE.flow(), today=clock.today(),
                   may_add_evidence=inspection.stage in services.EVIDENCE_STAGES
                   and Inspection.objects.restrict(self.request.user, "change").filter(pk=inspection.pk).exists())
        return ctx


class InspectionCreateView(ServiceActionView):
    area = "inspections"
    title = "登记行政检查"
    submit_label = "提交审批"
    intro = "检查事项须为已在门户公布的行政检查事项；多个部门的事项合并为一次检查、一张检查表（综合查一次）。"

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("inspections:act_list")

    def build_form(self, obj, data=None):
        return forms.InspectionCreateForm(data, user=self.request.user)

    def perform(self, obj, form):
        data = form.cleaned_data
        inspection = services.create_inspection(
            actor=self.request.user, agency=data["agency"], party=data["party"], items=list(data["items"]),
            officers=list(data["officers"]), planned_on=data["planned_on"], place=data["place"],
            subject=data["subject"], kind=data["kind"], origin_kind=data["origin_kind"],
            origin_reference=data["origin_reference"], emergency=data["emergency"],
            emergency_reason=data["emergency_reason"], cap_exception=data["cap_exception"] or "",
            cap_exception_reason=data["cap_exception_reason"])
        return f"已登记行政检查{inspection.number}。", inspection.get_absolute_url()


class InspectionStepView(ServiceActionView):
    """One step of the procedure as a form page; the step's refusals come back onto the form."""

    area = "inspections"

    def target(self):
        inspection = get_in_scope(Inspection.objects.select_related("agency", "party"), self.request.user, "change",
                                  pk=self.kwargs["pk"])
        try:
            self.transition = PROCEDURE.transition(self.kwargs["step"])
        except KeyError:
            raise Http404("未知的检查步骤。") from None
        return inspection

    def page_title(self, obj):
        return f"{self.transition.name}：{obj.number}（{obj.party.name}）"

    @property
    def submit_label(self):
        return self.transition.name

    def build_form(self, obj, data=None):
        form_class = forms.STEP_FORMS[self.transition.code]
        if form_class in (forms.RecordForm, forms.ScanForm):
            return form_class(data, inspection=obj)
        if form_class is forms.OpenCaseForm:
            return form_class(data, inspection=obj, user=self.request.user)
        return form_class(data)

    def perform(self, obj, form):
        data = dict(form.cleaned_data)
        if isinstance(form, forms.RecordForm):
            data = {"findings": data["findings"], "lines": form.lines()}
        inspection = services.perform(obj, self.transition.code, actor=self.request.user, **data)
        return f"已{self.transition.name}。", inspection.get_absolute_url()


class EvidenceView(ServiceActionView):
    area = "inspections"
    title = "上传检查证据"
    submit_label = "登记证据"
    template_name = "inspections/act_evidence_form.html"

    def target(self):
        return get_in_scope(Inspection.objects.all(), self.request.user, "change", pk=self.kwargs["pk"])

    def build_form(self, obj, data=None):
        return forms.EvidenceForm(data, self.request.FILES if data is not None else None, inspection=obj,
                                  user=self.request.user)

    def perform(self, obj, form):
        upload = form.cleaned_data["file"]
        stored = store_file(upload, upload.name, upload.content_type)
        data = form.cleaned_data
        evidence = services.add_evidence(obj, stored, actor=self.request.user, kind=data["kind"], title=data["title"],
                                         captured_at=data["captured_at"], description=data["description"],
                                         place_text=data["place_text"], device=data.get("device"))
        return f"已登记证据{evidence.number}。", obj.get_absolute_url()


class DocumentDownloadView(CapabilityRequiredMixin, TemplateView):
    """A generated document, DOCX or (``fmt="pdf"``, once converted) PDF; the download is logged (REC-4)."""

    area = "inspections"
    fmt = "docx"

    def get(self, request, *args, **kwargs):
        inspection = get_in_scope(Inspection.objects.all(), request.user, pk=kwargs["pk"])
        document = inspection.documents.select_related("docx", "pdf").filter(pk=kwargs["doc"]).first()
        if document is None:
            raise Http404("文书不存在。")
        stored = document.pdf if self.fmt == "pdf" else document.docx
        if stored is None:
            raise Http404("该文书的PDF尚未生成。")
        log_access(request.user, "download", inspection.stream_key, request)
        return FileResponse(open_stored(stored), as_attachment=self.fmt != "pdf",
                            filename=f"{inspection.number}-{document.title}.{self.fmt}")


class SupervisionCodeView(CapabilityRequiredMixin, TemplateView):
    """The enterprise's supervision code and its QR (扫码入企), for printing and posting at its premises."""

    template_name = "inspections/supervision_code.html"
    area = "inspections"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        party = get_in_scope(Party.objects.all(), self.request.user, pk=self.kwargs["party"])
        code = services.code_for(party)
        ctx.update(title=f"涉企行政执法监督码：{party.name}", party=party, code=code)
        return ctx


class SupervisionCodeQRView(CapabilityRequiredMixin, TemplateView):
    area = "inspections"

    def get(self, request, *args, **kwargs):
        from zhifa.portal.services import qr_png

        party = get_in_scope(Party.objects.all(), request.user, pk=kwargs["party"])
        code = services.code_for(party)
        response = HttpResponse(qr_png(f"ZHIFA-JG:{code.code}", box_size=10), content_type="image/png")
        response["Cache-Control"] = "private, max-age=300"
        return response


class CapListView(CapabilityRequiredMixin, TemplateView):
    template_name = "inspections/cap_list.html"
    area = "inspections"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        caps = InspectionCap.objects.restrict(self.request.user, "view").select_related("agency").order_by(
            "-year", "agency__name")[:500]
        ctx.update(title="年度检查频次上限", caps=caps,
                   can_change=self.request.user.role in ("agency_head", "system_admin"))
        return ctx


class CapEditView(ServiceActionView):
    area = "inspections"
    title = "公布年度检查频次上限"
    submit_label = "公布"

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("inspections:cap_list")

    def build_form(self, obj, data=None):
        return forms.CapForm(data, user=self.request.user)

    def perform(self, obj, form):
        data = form.cleaned_data
        cap = services.set_cap(actor=self.request.user, agency=data["agency"], year=data["year"],
                               max_per_enterprise=data["max_per_enterprise"], basis=data["basis"])
        return f"已公布：{cap}。", reverse("inspections:cap_list")


class StatisticsView(CapabilityRequiredMixin, TemplateView):
    """Annual inspection counts per agency (纳入年度统计)."""

    template_name = "inspections/act_statistics.html"
    area = "inspections"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            year = int(self.request.GET.get("year") or clock.today().year)
        except ValueError:
            year = clock.today().year
        rows = services.annual_counts(self.request.user, year)
        ctx.update(title=f"{year}年行政检查统计", year=year, rows=rows, kinds=KIND_CHOICES,
                   total=sum(r["total"] for r in rows))
        return ctx


# --------------------------------------------------------------------------- the public portal


def enterprise_lookup(request):
    """企业查询本企业的检查: credit code + supervision code; on success the enterprise's page."""
    from django.shortcuts import render

    form = forms.EnterpriseLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        party = services.find_enterprise(form.cleaned_data["credit_code"], form.cleaned_data["code"])
        if party is not None:
            request.session["zhifa_enterprise"] = party.pk
            return redirect("inspection_portal:enterprise")
        form.add_error(None, "统一社会信用代码或监管码不正确。")
    response = render(request, "inspections/public_lookup.html", {"title": "企业查询本企业的行政检查", "form": form})
    response["Cache-Control"] = "private, no-store"
    return response


def enterprise_page(request):
    """The enterprise's own inspections, each with its evaluation form (no log-in: the session holds
    the enterprise found by its credit code and supervision code)."""
    from django.shortcuts import render

    party = services.enterprise_of_session(request.session.get("zhifa_enterprise"))
    if party is None:
        return redirect("inspection_portal:lookup")
    form = forms.EvaluationForm(request.POST or None)
    complaint_code = complaint_number = None
    if request.method == "POST":
        if form.is_valid():
            try:
                evaluation = services.evaluate(party, request.POST.get("inspection"), **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    messages.error(request, message)
            else:
                if evaluation.complaint_id is None:
                    messages.success(request, "已提交，感谢您的评价。")
                    return redirect("inspection_portal:enterprise")
                # The complaint's query code is shown once, on this response (never in a URL or cookie).
                complaint_code = evaluation.query_code
                complaint_number = evaluation.complaint.number
        else:
            messages.error(request, "请选择满意度。")
    rows = [(i, forms.EvaluationForm(auto_id=f"id_%s_{i.pk}")) for i in services.enterprise_inspections(party)]
    response = render(request, "inspections/public_enterprise.html", {
        "title": f"{party.name}的行政检查", "party": party, "rows": rows,
        "complaint_code": complaint_code, "complaint_number": complaint_number})
    response["Cache-Control"] = "private, no-store"
    return response


def enterprise_leave(request):
    request.session.pop("zhifa_enterprise", None)
    return redirect("inspection_portal:lookup")


def public_results(request):
    """检查结果公示 (一公开): every published inspection result, newest first (no log-in)."""
    from django.shortcuts import render

    from zhifa.core.pagination import CappedPaginator
    from zhifa.parties.masking import mask_name

    credit_code = (request.GET.get("credit_code") or "").strip()[:18]
    page = CappedPaginator(services.public_results(credit_code), 30).get_page(request.GET.get("page"))
    for inspection in page.object_list:  # a natural person's name is personal data: masked (PUB-3)
        party = inspection.party
        inspection.public_party_name = party.name if party.kind in party.ORGANISATION_KINDS else mask_name(party.name)
    return render(request, "inspections/public_results.html",
                  {"title": "行政检查结果公示", "page": page, "credit_code": credit_code})


def public_caps(request):
    """年度检查频次上限 as published by every agency (no log-in)."""
    from django.shortcuts import render

    year = clock.today().year
    caps = InspectionCap.objects.public().filter(year__gte=year - 1).select_related("agency").order_by(
        "-year", "agency__name")[:1000]
    return render(request, "inspections/public_caps.html", {"title": "涉企行政检查年度频次上限", "caps": caps})
