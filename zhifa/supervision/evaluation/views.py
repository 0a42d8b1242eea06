"""Pages of case-file evaluation (案卷评查): plans, scoring beside the case file, results,
re-evaluation and rectification. Views parse input and call ``services``."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhifa.core.pagination import CappedPaginator
from zhifa.core.scoping import get_in_scope
from zhifa.core.views import CapabilityRequiredMixin, ServiceActionView, add_validation_error
from zhifa.documents.formatting import format_date

from ..models import CaseEvaluation, EvaluationNotice, EvaluationPlan, Finding, ReEvaluationRequest
from . import exports, forms, services


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EvaluationListView(CapabilityRequiredMixin, TemplateView):
    """Plans in reach, the files assigned to me, and my agency's results."""

    area = "evaluation"
    template_name = "supervision/evaluation_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        visible = CaseEvaluation.objects.restrict(user, "view").select_related("plan", "case", "agency")
        return {
            **super().get_context_data(**kwargs), "title": "案卷评查",
            "plans": EvaluationPlan.objects.restrict(user, "view").select_related("region", "sheet")[:100],
            "assigned": visible.filter(evaluator=user).order_by("status", "plan", "draw_rank")[:200],
            "own": (visible.filter(plan__status=EvaluationPlan.FINISHED, agency__tree_path__startswith=user.scope_path)
                    .order_by("-plan__results_issued_on", "draw_rank")[:200]
                    if user.scope_path and user.has_capability("evaluation", "rectify") else []),
            "can_create": user.has_capability("evaluation", "change"),
        }


class PlanCreateView(ServiceActionView):
    area, action = "evaluation", "change"
    title = "新建案卷评查方案"
    submit_label = "创建方案"
    intro = "按执法主体随机抽取评查期间内已归档的案卷；抽取比例向上取整，不少于每单位最少件数。"

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("supervision:evaluation_list")

    def build_form(self, obj, data=None):
        return forms.PlanForm(data, user=self.request.user)

    def perform(self, obj, form):
        plan = services.create_plan(self.request.user, **form.cleaned_data)
        return f"已创建评查方案：{plan}", plan.get_absolute_url()


EVALUATIONS_PER_PAGE = 100


class PlanMixin:
    def plan(self, action="view") -> EvaluationPlan:
        return get_in_scope(EvaluationPlan.objects.select_related("region", "sheet"), self.request.user, action,
                            pk=self.kwargs["pk"])


class PlanDetailView(PlanMixin, CapabilityRequiredMixin, TemplateView):
    area = "evaluation"
    template_name = "supervision/evaluation_plan.html"

    def get_context_data(self, **kwargs):
        plan = self.plan()
        user = self.request.user
        organiser = user.has_capability("evaluation", "change") and plan.region.path.startswith(user.scope_path or "\0") \
            or user.is_superuser
        evaluations = (CaseEvaluation.objects.restrict(user, "view").filter(plan=plan)
                       .select_related("case", "agency", "evaluator").order_by("agency__name", "draw_rank"))
        check = services.verify_sample(plan) if plan.seed and self.request.GET.get("verify") else None
        # a city-wide plan samples thousands of case files: the page lists them a hundred at a time
        page = CappedPaginator(evaluations, EVALUATIONS_PER_PAGE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs), "title": plan.title, "plan": plan, "evaluations": page.object_list,
            "page": page, "querystring": "",
            "organiser": organiser, "check": check, "draw_form": forms.DrawForm(),
            "notices": EvaluationNotice.objects.restrict(user, "view").filter(plan=plan).select_related("agency"),
            "unscored": evaluations.exclude(status=CaseEvaluation.SUBMITTED).count(),
            "deadline": services.reevaluation_deadline(plan) if plan.results_issued_on else None,
        }


class PlanDrawView(PlanMixin, CapabilityRequiredMixin, View):
    area, action = "evaluation", "change"

    def post(self, request, pk):
        plan = self.plan("change")
        form = forms.DrawForm(request.POST)
        form.is_valid()
        try:
            services.draw_sample(plan, request.user, form.cleaned_data.get("seed", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已抽取案卷，种子和案卷总体摘要已记录。")
        return redirect(plan.get_absolute_url())


class PlanFinishView(PlanMixin, CapabilityRequiredMixin, View):
    area, action = "evaluation", "change"

    def post(self, request, pk):
        plan = self.plan("change")
        try:
            services.finish_plan(plan, request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已通报评查结果，被评查单位可以查看结果、申请复查和报告整改。")
        return redirect(plan.get_absolute_url())


class PlanAssignView(PlanMixin, ServiceActionView):
    area, action = "evaluation", "change"
    title = "分配评查人"
    submit_label = "分配"
    intro = "交叉评查：评查人不评查本单位的案卷。"

    def target(self):
        return self.plan("change")

    def build_form(self, obj, data=None):
        return forms.AssignForm(data, user=self.request.user)

    def perform(self, obj, form):
        count = services.assign_round_robin(obj, list(form.cleaned_data["evaluators"]), self.request.user)
        return f"已分配{count}件案卷。", obj.get_absolute_url()


class PlanExportView(PlanMixin, CapabilityRequiredMixin, View):
    area = "evaluation"

    def get(self, request, pk, fmt):
        plan = self.plan()
        evaluations = (CaseEvaluation.objects.restrict(request.user, "view").filter(plan=plan)
                       .select_related("case", "agency", "evaluator").prefetch_related("findings__item")
                       .order_by("agency__name", "draw_rank"))
        if fmt == "xlsx":
            return _download(exports.plan_xlsx(plan, evaluations), f"{plan.title}.xlsx", XLSX)
        if fmt != "pdf":
            raise Http404("不支持的导出格式。")
        return _download(exports.plan_pdf(plan, evaluations), f"{plan.title}.pdf", "application/pdf")


class EvaluationMixin:
    def evaluation(self) -> CaseEvaluation:
        return get_in_scope(CaseEvaluation.objects.select_related("plan__sheet", "plan__region", "case", "agency", "evaluator"),
                            self.request.user, "view", pk=self.kwargs["pk"])


class EvaluationDetailView(EvaluationMixin, CapabilityRequiredMixin, TemplateView):
    """Scoring beside the case file: the file's table of contents on one side (each opening
    logged), the score sheet on the other; results, re-evaluation and rectification below."""

    area = "evaluation"
    template_name = "supervision/evaluation_detail.html"

    def get_context_data(self, form=None, **kwargs):
        from zhifa.supervision.evaluation.casefile import case_file_entries

        evaluation = self.evaluation()
        user = self.request.user
        plan = evaluation.plan
        can_open = services.may_open_case_file(evaluation, user)
        entries = None
        if can_open:
            services.open_case_file(evaluation, user, self.request)
            entries = case_file_entries(evaluation.case)
        is_evaluator = evaluation.evaluator_id == user.pk and plan.status == EvaluationPlan.SAMPLED
        findings = list(evaluation.findings.select_related("item"))
        agency_side = (plan.status == EvaluationPlan.FINISHED and user.has_capability("evaluation", "rectify")
                       and evaluation.agency.tree_path.startswith(user.scope_path or "\0"))
        organiser = user.has_capability("evaluation", "change") and plan.region.path.startswith(user.scope_path or "\0")
        pending = evaluation.reevaluations.filter(status=ReEvaluationRequest.PENDING).first()
        return {
            **super().get_context_data(**kwargs), "title": f"案卷评查：{evaluation.case.number or evaluation.case.cause}",
            "evaluation": evaluation, "plan": plan, "case": evaluation.case, "entries": entries, "can_open": can_open,
            "form": form or (forms.ScoreForm(sheet=plan.sheet, findings=findings) if is_evaluator else None),
            "findings": findings, "agency_side": agency_side, "organiser": organiser,
            "reevaluations": evaluation.reevaluations.all(), "pending": pending,
            "deadline": services.reevaluation_deadline(plan) if plan.results_issued_on else None,
        }

    def post(self, request, pk):
        evaluation = self.evaluation()
        form = forms.ScoreForm(request.POST, sheet=evaluation.plan.sheet)
        if form.is_valid():
            try:
                services.submit_score(evaluation, request.user, form.findings(), form.cleaned_data["comment"])
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                return self.render_to_response(self.get_context_data(form=form), status=403)
            else:
                messages.success(request, "已保存评分。")
                return redirect(evaluation.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class CaseFilePdfView(EvaluationMixin, CapabilityRequiredMixin, View):
    """The evaluated case file as one PDF for its evaluator (the download is logged)."""

    area = "evaluation"

    def get(self, request, pk):
        from zhifa.supervision.evaluation.casefile import case_file_pdf

        evaluation = self.evaluation()
        services.open_case_file(evaluation, request.user, request, action="download")
        case = evaluation.case
        return _download(case_file_pdf(case), f"{case.number or case.pk}-案卷.pdf", "application/pdf")


class ReEvaluationView(EvaluationMixin, ServiceActionView):
    area, action = "evaluation", "rectify"
    title = "申请复查"
    submit_label = "提交申请"

    def target(self):
        return self.evaluation()

    def extra(self, obj):
        return {"intro": f"对评查结果有异议的，可以在结果通报之日起10个工作日内（{format_date(services.reevaluation_deadline(obj.plan))}前）申请复查。"
                if obj.plan.results_issued_on else ""}

    def build_form(self, obj, data=None):
        return forms.ReasonForm(data)

    def perform(self, obj, form):
        services.request_reevaluation(obj, self.request.user, form.cleaned_data["reason"])
        return "已提交复查申请。", obj.get_absolute_url()


class ReEvaluationDecideView(CapabilityRequiredMixin, TemplateView):
    area, action = "evaluation", "change"
    template_name = "supervision/evaluation_decide.html"

    def request_obj(self):
        return get_in_scope(ReEvaluationRequest.objects.select_related("evaluation__plan__sheet"), self.request.user,
                            "change", pk=self.kwargs["pk"])

    def get_context_data(self, decision=None, score=None, **kwargs):
        req = self.request_obj()
        findings = list(req.evaluation.findings.all())
        return {**super().get_context_data(**kwargs), "title": "复查", "req": req, "evaluation": req.evaluation,
                "form": decision or forms.DecisionForm(),
                "score": score or forms.ScoreForm(sheet=req.evaluation.plan.sheet, findings=findings, prefix="s")}

    def post(self, request, pk):
        req = self.request_obj()
        decision = forms.DecisionForm(request.POST)
        score = forms.ScoreForm(request.POST, sheet=req.evaluation.plan.sheet, prefix="s")
        if decision.is_valid() and (decision.cleaned_data["outcome"] == "upheld" or score.is_valid()):
            new = score.findings() if decision.cleaned_data["outcome"] == "changed" else None
            try:
                services.decide_reevaluation(req, request.user, decision.cleaned_data["decision"], new)
            except ValidationError as exc:
                add_validation_error(decision, exc)
            except PermissionDenied as exc:
                decision.add_error(None, str(exc))
            else:
                messages.success(request, "复查已办结。")
                return redirect(req.evaluation.get_absolute_url())
        return self.render_to_response(self.get_context_data(decision=decision, score=score))


class RectifyView(ServiceActionView):
    area, action = "evaluation", "rectify"
    title = "报告整改情况"
    submit_label = "提交"

    def target(self):
        return get_in_scope(Finding.objects.select_related("evaluation", "item"), self.request.user, "view",
                            pk=self.kwargs["pk"])

    def extra(self, obj):
        return {"intro": f"{obj.item.title}：{obj.note}"}

    def build_form(self, obj, data=None):
        return forms.RectificationForm(data)

    def perform(self, obj, form):
        services.report_rectification(obj, self.request.user, form.cleaned_data["report"])
        return "已报告整改情况。", obj.get_absolute_url()


class AcceptRectificationView(CapabilityRequiredMixin, View):
    area, action = "evaluation", "change"

    def post(self, request, pk):
        finding = get_in_scope(Finding.objects.all(), request.user, "change", pk=pk)
        try:
            services.accept_rectification(finding, request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已确认整改。")
        return redirect(finding.get_absolute_url())


class NoticeView(CapabilityRequiredMixin, TemplateView):
    area = "evaluation"
    template_name = "supervision/evaluation_notice.html"

    def get_context_data(self, **kwargs):
        notice = get_in_scope(EvaluationNotice.objects.select_related("plan", "agency"), self.request.user, "view",
                              pk=self.kwargs["pk"])
        return {**super().get_context_data(**kwargs), "title": notice.number, "notice": notice}


class NoticePdfView(CapabilityRequiredMixin, View):
    area = "evaluation"

    def get(self, request, pk):
        notice = get_in_scope(EvaluationNotice.objects.select_related("plan", "agency"), request.user, "view", pk=pk)
        return _download(exports.notice_pdf(notice), f"{notice.number}.pdf", "application/pdf")
