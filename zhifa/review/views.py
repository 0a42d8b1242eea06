"""Web pages of legal review: the reviewer's queue, the review with its ten-point form, the
handling unit's answers and resubmission, a case's review page (with 提交法制审核), the
major-decision catalog, collective discussions and the shares report.

Views only parse input and call ``zhifa.review.services``; refusals come back in Chinese.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.core.scoping import ensure_in_scope, get_in_scope
from zhifa.core.views import (
    CapabilityRequiredMixin,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ServiceActionView,
)
from zhifa.orgs.models import Agency
from zhifa.records.services import log_access, open_stored

from . import choices, forms, services
from .filters import CatalogFilterSet, DiscussionFilterSet, ReviewFilterSet
from .models import CollectiveDiscussion, MajorDecisionCatalog, Review, ReviewSettings


def deadline_text(review, today) -> str:
    if not review.is_open:
        return ""
    days = (review.deadline - today).days
    if days < 0:
        return f"已超期{-days}天"
    return "今天到期" if days == 0 else f"剩余{days}天"


# ---------------------------------------------------------------------------------------
# Queue and review pages
# ---------------------------------------------------------------------------------------


class QueueView(ObjectListView):
    """The reviewer's queue (待审核): open reviews by deadline, overdue in red."""

    model = Review
    template_name = "review/queue.html"
    filterset_class = ReviewFilterSet
    select_related = ("case", "case__party", "reviewer", "agency")
    title = "法制审核"
    columns = [
        ("案件", lambda r: f"{r.case.number or '（未立案）'} {r.case.cause}"),
        ("当事人", "case.party.name"),
        ("轮次", lambda r: f"第{r.round}轮"),
        ("状态", "status"),
        ("审核期限", lambda r: f"{r.deadline:%Y-%m-%d}"),
        ("审核人", lambda r: str(r.reviewer) if r.reviewer_id else "未分配"),
    ]

    def filter_queryset(self, qs):
        qs = super().filter_queryset(qs)
        if not self.request.GET.get("state") and not self.request.GET.get("status"):
            qs = qs.filter(status__in=choices.OPEN_STATUSES)
        return qs.order_by("deadline", "id") if not self.request.GET.get("status") else qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = clock.today()
        ctx["items"] = [(obj, values, obj.is_overdue(today), deadline_text(obj, today)) for obj, values in ctx["rows"]]
        ctx["can_catalog"] = self.request.user.has_capability("review", "catalog")
        return ctx


class ReviewDetailView(ObjectDetailView):
    """One round: the package, the reviewer's findings, the answers, the case's other rounds."""

    model = Review
    template_name = "review/review_detail.html"

    def get_object(self):
        return get_in_scope(
            Review.objects.select_related("case", "case__party", "case__agency", "reviewer", "submitted_by"),
            self.request.user, "view", pk=self.kwargs["pk"])

    def get_extra_context(self, obj):
        user = self.request.user
        today = clock.today()
        can_change = Review.objects.restrict(user, "change").filter(pk=obj.pk).exists()
        answers = {a.point: a for a in obj.answers.all()}
        findings = sorted(obj.findings.all(), key=lambda f: f.order)
        later = obj.case.reviews.filter(round__gt=obj.round).exists()
        return {
            "review": obj,
            "case": obj.case,
            "findings": [(f, answers.get(f.point)) for f in findings],
            "rounds": obj.case.reviews.select_related("reviewer").order_by("round"),
            "overdue": obj.is_overdue(today),
            "deadline_text": deadline_text(obj, today),
            "is_reviewer_side": user.role == "legal_reviewer" or user.is_superuser,
            "can_change": can_change,
            "can_answer": can_change and obj.status == choices.PROBLEMS and obj.answered_at is None,
            "can_resubmit": can_change and obj.status == choices.PROBLEMS and obj.answered_at is not None and not later,
            "package": obj.package,
            "proposed_lines": services.proposed_lines(obj.package.get("proposed", {})),
            "kind_labels": dict(choices.REVIEWER_KIND_CHOICES),
        }


class _ActionView(ServiceActionView):
    area = "review"
    template_name = "review/action_form.html"


class _ReviewAction(_ActionView):
    def target(self):
        return get_in_scope(Review.objects.select_related("case", "case__party"), self.request.user, "change",
                            pk=self.kwargs["pk"])


class OpinionView(_ReviewAction):
    """The reviewer's ten-point opinion."""

    template_name = "review/opinion_form.html"
    title = "填写法制审核意见"
    submit_label = "提交审核意见"

    def build_form(self, obj, data=None):
        return forms.OpinionForm(data)

    def extra(self, obj):
        return {"review": obj, "refusals": services.reviewer_refusals(obj.case, self.request.user, review=obj)
                if obj.is_open else ["该轮审核已结束。"]}

    def perform(self, obj, form):
        review = services.record_opinion(obj, self.request.user, form.findings(), form.cleaned_data["result"])
        return f"已提交审核意见：{review.get_result_display()}（{review.opinion_number}）", review.get_absolute_url()


class AssignView(_ReviewAction):
    """Assign the reviewer (or take the review oneself)."""

    title = "分配审核人员"
    submit_label = "确认分配"
    intro = "审核人员须为法制审核人员，未参与本案办理、调查或审批；初次从事法制审核的须取得法律职业资格。"

    def build_form(self, obj, data=None):
        return forms.AssignForm(data, eligible=services.eligible_reviewers(obj.case))

    def perform(self, obj, form):
        review = services.assign_reviewer(obj, form.cleaned_data["reviewer"], self.request.user)
        return f"已分配审核人员：{review.reviewer}", review.get_absolute_url()


class ClaimView(_ReviewAction):
    """A reviewer takes an unassigned review (POST only)."""

    def get(self, request, *args, **kwargs):
        return redirect(self.target().get_absolute_url())

    def post(self, request, *args, **kwargs):
        review = self.target()
        try:
            services.assign_reviewer(review, request.user, request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "已领取该审核任务。")
        return redirect(review.get_absolute_url())


class AnswerView(_ReviewAction):
    """The handling unit answers each problem point in writing."""

    title = "书面答复审核意见"
    submit_label = "提交书面答复"
    intro = "请逐项答复审核意见中存在问题的事项；答复后重新提交法制审核。"

    def build_form(self, obj, data=None):
        return forms.AnswerForm(data, problems=obj.findings.filter(finding=choices.PROBLEM))

    def perform(self, obj, form):
        review = services.answer_findings(obj, self.request.user, form.cleaned_data)
        return "已书面答复审核意见，请重新提交法制审核。", review.get_absolute_url()


class ResubmitView(_ReviewAction):
    """Resubmit after answering (POST only): the next round."""

    def get(self, request, *args, **kwargs):
        return redirect(self.target().get_absolute_url())

    def post(self, request, *args, **kwargs):
        review = self.target()
        try:
            new = services.resubmit(review, request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            return redirect(review.get_absolute_url())
        messages.success(request, f"已重新提交法制审核（第{new.round}轮）。")
        return redirect(new.get_absolute_url())


class WithdrawView(_ReviewAction):
    title = "撤回法制审核"
    submit_label = "确认撤回"

    def build_form(self, obj, data=None):
        return forms.WithdrawForm(data)

    def perform(self, obj, form):
        review = services.withdraw(obj, self.request.user, form.cleaned_data["reason"])
        return "已撤回法制审核。", reverse("review:case", args=[review.case_id])


class OpinionFileView(CapabilityRequiredMixin, TemplateView):
    """Download the 法制审核意见书 (DOCX or PDF); the download is written to the access log."""

    area = "review"

    def get(self, request, pk, fmt):
        try:
            review = Review.objects.restrict(request.user, "view").get(pk=pk)
        except Review.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None
        stored = {"pdf": services.opinion_pdf_of, "docx": lambda r: r.opinion_docx}.get(fmt, lambda r: None)(review)
        if stored is None:
            if fmt == "pdf" and review.opinion_docx_id:
                raise Http404("该轮审核意见书的PDF正在生成，请稍后再试。")
            raise Http404("该轮审核尚无意见书。")
        log_access(request.user, "download", review.case.stream_key, request=request)
        name = f"{services.OPINION_TITLE}-第{review.round}轮.{fmt}"
        return FileResponse(open_stored(stored), as_attachment=fmt == "docx", filename=name,
                            content_type=stored.content_type)


# ---------------------------------------------------------------------------------------
# A case's review page
# ---------------------------------------------------------------------------------------


def _case_for(user, pk, action="view"):
    try:
        return Case.objects.restrict(user, action).select_related("agency", "party", "item").get(pk=pk)
    except Case.DoesNotExist:
        raise Http404("案件不存在或不在您的管辖范围内。") from None


class CaseReviewView(CapabilityRequiredMixin, TemplateView):
    """Everything about legal review for one case, with 提交法制审核."""

    area = "review"
    template_name = "review/case_review.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        case = _case_for(user, self.kwargs["pk"])
        status = services.case_status(case)
        latest = services.latest_review(case)
        can_change = user.has_capability("review", "change") and Case.objects.restrict(user, "change").filter(
            pk=case.pk).exists()
        ctx.update(
            title=f"法制审核：{case.number or '（未立案）'} {case.cause}", case=case, status=status, latest=latest,
            rounds=case.reviews.select_related("reviewer").order_by("round"),
            flags=case.major_flags.select_related("actor"),
            discussions=case.collective_discussions.select_related("chair", "recorded_by"),
            can_change=can_change and not case.is_read_only,
            can_submit=can_change and case.stage in services.SUBMIT_STAGES.get(case.procedure, ())
            and (latest is None or latest.status in (choices.AGREE, choices.WITHDRAWN)) and not case.is_read_only,
            today=clock.today(),
        )
        return ctx


class SubmitView(CapabilityRequiredMixin, TemplateView):
    """提交法制审核 (POST): the case's package goes to the reviewers."""

    area = "review"
    action = "change"

    def get(self, request, pk):
        return redirect("review:case", pk=pk)

    def post(self, request, pk):
        case = _case_for(request.user, pk)
        try:
            review = services.submit_for_review(case, request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            return redirect("review:case", pk=pk)
        messages.success(request, f"已提交法制审核（第{review.round}轮），审核期限{review.deadline:%Y年%m月%d日}。")
        return redirect(review.get_absolute_url())


class _CaseAction(_ActionView):
    def target(self):
        return _case_for(self.request.user, self.kwargs["pk"])

    def back_url(self, obj):
        return reverse("review:case", args=[obj.pk])


class FlagView(_CaseAction):
    title = "认定为重大执法决定"
    submit_label = "确认认定"
    intro = "不属于目录清单所列标准、但属于重大执法决定的（如案情疑难复杂、涉及多个法律关系），由承办机构认定并写明理由。"

    def build_form(self, obj, data=None):
        return forms.FlagForm(data)

    def perform(self, obj, form):
        services.flag_major(obj, self.request.user, form.cleaned_data["reason"], kind=form.cleaned_data["kind"])
        return "已认定为重大执法决定。", reverse("review:case", args=[obj.pk])


class DiscussionView(_CaseAction):
    title = "登记负责人集体讨论"
    submit_label = "保存集体讨论记录"
    intro = "情节复杂或者重大违法行为给予较重的行政处罚，应当由行政机关负责人集体讨论决定（处罚法第五十七条第二款）。"

    def build_form(self, obj, data=None):
        return forms.DiscussionForm(data, case=obj)

    def perform(self, obj, form):
        data = form.cleaned_data
        services.record_collective_discussion(
            obj, self.request.user, data["held_on"], data["participants"], data["chair"], data["opinions"],
            data["conclusion"], chair_authorisation=data.get("chair_authorisation") or "")
        return "已登记集体讨论记录。", reverse("review:case", args=[obj.pk])


class DiscussionListView(ObjectListView):
    model = CollectiveDiscussion
    filterset_class = DiscussionFilterSet
    select_related = ("case", "chair")
    title = "负责人集体讨论"
    columns = [("案件", lambda d: f"{d.case.number or '（未立案）'} {d.case.cause}"), ("讨论日期", "held_on"),
               ("主持人", "chair"), ("讨论决定", "conclusion")]


# ---------------------------------------------------------------------------------------
# Catalog (目录清单)
# ---------------------------------------------------------------------------------------


class CatalogListView(ObjectListView):
    """The published catalog of each agency in reach."""

    model = MajorDecisionCatalog
    template_name = "review/catalog_list.html"
    filterset_class = CatalogFilterSet
    select_related = ("agency",)
    title = "重大执法决定法制审核目录清单"
    paginate_by = 200
    columns = [("目录事项", "description"), ("执法主体", "agency.name"), ("认定标准", "standard_text"),
               ("须集体讨论", lambda r: "是" if r.requires_collective_discussion else "否"), ("依据", "legal_basis"),
               ("有效", lambda r: "是" if r.is_active else "否")]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        can_catalog = user.has_capability("review", "catalog")
        ctx["can_change"] = can_catalog
        ctx["create_url_name"] = "review:catalog_create"
        ctx["can_catalog"] = can_catalog
        if can_catalog:
            with_rows = MajorDecisionCatalog.objects.values("agency_id")
            ctx["agencies_without"] = Agency.objects.restrict(user).exclude(pk__in=with_rows).exclude(
                kind="supervision").order_by("name")[:50]
        ctx["settings_rows"] = ReviewSettings.objects.restrict(user).select_related("agency")
        ctx["default_days"] = choices.DEFAULT_DEADLINE_WORKING_DAYS
        return ctx


class CatalogDetailView(ObjectDetailView):
    model = MajorDecisionCatalog
    fields = [("执法主体", "agency"), ("序号", "order"), ("认定标准", "criterion"), ("目录事项", "description"),
              ("标准", "standard_text"), ("依据", "legal_basis"),
              ("须集体讨论", lambda r: "是" if r.requires_collective_discussion else "否"),
              ("有效", lambda r: "是" if r.is_active else "否")]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        ctx["edit_url_name"] = "review:catalog_edit" if MajorDecisionCatalog.objects.restrict(
            self.request.user, "catalog").filter(pk=obj.pk).exists() else ""
        return ctx


class _CatalogEdit(ObjectEditView):
    """Editing needs the ("review", "catalog") capability, not only "change"."""

    action = "catalog"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        try:
            return self.model.objects.restrict(self.request.user, "catalog").get(pk=self.kwargs["pk"])
        except self.model.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None

    def save_form(self, form):
        with transaction.atomic():
            obj = form.save()
            ensure_in_scope(obj, self.request.user, "catalog")
        return obj


class CatalogEditView(_CatalogEdit):
    model = MajorDecisionCatalog
    form_class = forms.CatalogForm


class SettingsEditView(_CatalogEdit):
    model = ReviewSettings
    form_class = forms.SettingsForm


class StandardCatalogView(CapabilityRequiredMixin, TemplateView):
    """Give an agency the standard catalog rows (POST)."""

    area = "review"
    action = "catalog"

    def post(self, request):
        try:
            agency = Agency.objects.restrict(request.user).get(pk=request.POST.get("agency"))
            rows = services.install_standard_catalog(agency, request.user)
        except (Agency.DoesNotExist, ValueError):
            raise Http404("执法主体不存在或不在您的管辖范围内。") from None
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已为{agency.name}载入标准目录清单{len(rows)}条，请按本机关实际修改。")
        return redirect(reverse("review:catalog_list") + f"?agency={request.POST.get('agency', '')}")


# ---------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------


class ReportView(CapabilityRequiredMixin, TemplateView):
    """Who reviews (in-house / 法律顾问 / 公职律师) against the S1 targets, and reviewer staffing."""

    area = "review"
    template_name = "review/report.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        since = services.parse_period_date(self.request.GET.get("since"))
        until = services.parse_period_date(self.request.GET.get("until"))
        ctx.update(title="法制审核统计", report=services.share_report(self.request.user, since, until),
                   since=since, until=until, basis=services.REPORT_BASIS)
        return ctx
