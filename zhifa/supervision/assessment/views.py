"""Pages of the 三项制度 assessment (年度考评): the list, one assessment with its 170 indicators,
one indicator with its figure, rule, the rows behind it, evidence, self score and supervisor
score, and the exports. Views parse input and call ``services``."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from zhifa.core.pagination import CappedPaginator
from zhifa.core.scoping import get_in_scope
from zhifa.core.views import CapabilityRequiredMixin, ServiceActionView, add_validation_error

from ..models import Assessment, AssessmentEvidence, AssessmentItem
from . import exports, forms, services
from .reasons import EVIDENCE_REASONS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def shows_final(assessment: Assessment, user) -> bool:
    """The supervisor's scores are shown to the assessed side once published."""
    return assessment.status == Assessment.PUBLISHED or services.may_supervise(assessment, user)


class AssessmentListView(CapabilityRequiredMixin, TemplateView):
    """Assessments in reach, newest year first."""

    area = "assessment"
    template_name = "supervision/assessment_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        qs = (Assessment.objects.restrict(user, "view").select_related("agency", "region")
              .order_by("-year", "-id"))
        page = CappedPaginator(qs, 50).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "title": "三项制度考评", "page": page,
                "can_create": user.has_capability("assessment", "change")}


class AssessmentCreateView(ServiceActionView):
    area, action = "assessment", "change"
    title = "新建年度考评"
    submit_label = "创建并计算"
    intro = ("按陕西省行政执法“三项制度”考评指标体系（170项，100分）建立年度考评：平台可计算的指标立即按数据计算，"
             "其余指标由被考评单位自评并上传佐证材料，监督机关逐项评分。")

    def target(self):
        return None

    def back_url(self, obj):
        from django.urls import reverse

        return reverse("supervision:assessment_list")

    def build_form(self, obj, data=None):
        return forms.AssessmentForm(data, user=self.request.user)

    def perform(self, obj, form):
        assessment = services.create_assessment(self.request.user, **form.cleaned_data)
        return f"已建立并计算：{assessment}", assessment.get_absolute_url()


class AssessmentMixin:
    def assessment(self, action="view") -> Assessment:
        return get_in_scope(Assessment.objects.select_related("agency", "region"), self.request.user, action,
                            pk=self.kwargs["pk"])


class AssessmentDetailView(AssessmentMixin, CapabilityRequiredMixin, TemplateView):
    area = "assessment"
    template_name = "supervision/assessment_detail.html"

    def get_context_data(self, **kwargs):
        assessment = self.assessment()
        user = self.request.user
        items = list(assessment.items.select_related("indicator").order_by("indicator__number"))
        groups: list[dict] = []
        for item in items:
            if not groups or groups[-1]["level2"] != item.indicator.level2:
                groups.append({"level1": item.indicator.level1, "level2": item.indicator.level2, "items": []})
            groups[-1]["items"].append(item)
        return {
            **super().get_context_data(**kwargs), "title": str(assessment), "assessment": assessment,
            "groups": groups, "summary": services.summary(assessment),
            "computed": sum(1 for i in items if i.method == "computed"),
            "supervisor": services.may_supervise(assessment, user),
            "self_side": services.may_self_assess(assessment, user),
            "show_final": shows_final(assessment, user), "submit_form": forms.SubmitForm(),
        }


class AssessmentActionView(AssessmentMixin, CapabilityRequiredMixin, View):
    """One lifecycle step, posted from the assessment page."""

    area = "assessment"
    ACTIONS = {
        "recompute": (lambda a, u, p: services.recompute(a, u), "已按最新数据重新计算。"),
        "submit": (lambda a, u, p: services.submit_self_assessment(a, u, p.get("note", "")), "已提交自评。"),
        "adopt": (lambda a, u, p: services.adopt_computed_scores(a, u), "已采用平台计算得分。"),
        "finish": (lambda a, u, p: services.finish_scoring(a, u), "已完成评分。"),
        "publish": (lambda a, u, p: services.publish(a, u), "已公布考评结果。"),
    }

    def post(self, request, pk, step):
        assessment = self.assessment()
        if step not in self.ACTIONS:
            return redirect(assessment.get_absolute_url())
        function, message = self.ACTIONS[step]
        try:
            function(assessment, request.user, request.POST)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return redirect(assessment.get_absolute_url())


class ItemView(CapabilityRequiredMixin, TemplateView):
    """One indicator: figure, rule and rows behind it; evidence; self score; supervisor score."""

    area = "assessment"
    template_name = "supervision/assessment_item.html"

    def item(self) -> AssessmentItem:
        return get_in_scope(AssessmentItem.objects.select_related("assessment__agency", "assessment__region",
                                                                  "indicator"),
                            self.request.user, "view", pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        item = kwargs.get("item") or self.item()
        assessment = item.assessment
        user = self.request.user
        self_side = services.may_self_assess(assessment, user) and assessment.status == Assessment.DRAFT
        supervisor = services.may_supervise(assessment, user) and assessment.status == Assessment.SELF_ASSESSED
        return {
            **super().get_context_data(**kwargs), "title": f"指标{item.indicator.number}", "item": item,
            "assessment": assessment, "reason_not_computed": EVIDENCE_REASONS.get(item.indicator.number, ""),
            "evidence": item.evidence.select_related("file", "uploaded_by"),
            "self_side": self_side, "supervisor": supervisor, "show_final": shows_final(assessment, user),
            "self_form": kwargs.get("self_form") or forms.SelfScoreForm(prefix="self", initial={
                "score": item.self_score if item.self_score is not None else item.computed_score, "note": item.self_note}),
            "score_form": kwargs.get("score_form") or forms.ScoreForm(prefix="score", initial={
                "score": item.final_score if item.final_score is not None
                else (item.computed_score if item.computed_score is not None else item.self_score),
                "reason": item.reason}),
            "evidence_form": kwargs.get("evidence_form") or forms.EvidenceForm(prefix="evidence"),
        }

    def post(self, request, pk):
        item = self.item()
        kind = request.POST.get("form")
        context = {"item": item}
        try:
            if kind == "self":
                form = context["self_form"] = forms.SelfScoreForm(request.POST, prefix="self")
                if form.is_valid():
                    services.self_assess_item(item, request.user, **form.cleaned_data)
                    messages.success(request, "已保存自评。")
                    return redirect(request.path)
            elif kind == "score":
                form = context["score_form"] = forms.ScoreForm(request.POST, prefix="score")
                if form.is_valid():
                    services.score_item(item, request.user, **form.cleaned_data)
                    messages.success(request, "已保存评分。")
                    return redirect(request.path)
            elif kind == "evidence":
                form = context["evidence_form"] = forms.EvidenceForm(request.POST, request.FILES, prefix="evidence")
                if form.is_valid():
                    upload = form.cleaned_data["file"]
                    services.add_evidence(item, request.user, upload, upload.name, form.cleaned_data["note"])
                    messages.success(request, "已上传佐证材料。")
                    return redirect(request.path)
            else:
                return redirect(request.path)
        except ValidationError as exc:
            add_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(**context), status=403)
        return self.render_to_response(self.get_context_data(**context))


class EvidenceDownloadView(CapabilityRequiredMixin, View):
    area = "assessment"

    def get(self, request, pk):
        from zhifa.records.services import open_stored

        evidence = get_in_scope(AssessmentEvidence.objects.select_related("file"), request.user, "view", pk=pk)
        stored = evidence.file
        return FileResponse(open_stored(stored), as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)


class ExportView(AssessmentMixin, CapabilityRequiredMixin, View):
    area = "assessment"

    def get(self, request, pk, fmt):
        assessment = self.assessment()
        name = f"{assessment.subject_name}{assessment.year}年度三项制度考评"
        if fmt == "xlsx":
            return _download(exports.assessment_xlsx(assessment, show_final=shows_final(assessment, request.user)),
                             f"{name}.xlsx", XLSX)
        if fmt == "pdf":
            if assessment.status != Assessment.PUBLISHED:
                messages.error(request, "考评结果公布后才能导出PDF。")
                return redirect(assessment.get_absolute_url())
            return _download(exports.assessment_pdf(assessment), f"{name}.pdf", "application/pdf")
        return redirect(assessment.get_absolute_url())
