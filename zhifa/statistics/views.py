"""Pages of the annual statistics (PUB-4).

Internal (login, capability area "statistics"): the list of reports in the user's scope, a
report with its charts and downloads, generate / regenerate / publish (change capability, only
before publication), regional roll-ups and this year's figures so far (本年截至今日).

Public (no login, only ``objects.public()``): the published reports by year and region, each
report's page with the same charts, and the xlsx / PDF downloads. Opening the public list after
1 January asks the task queue to publish what is due if nobody did (``services.request_publication``;
the daily job "statistics.publish" does it anyway).

Views only parse input and call ``zhifa.statistics.services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from zhifa.core import clock
from zhifa.core.scoping import region_part, user_scope_path
from zhifa.core.views import CapabilityRequiredMixin
from zhifa.orgs.models import Agency
from zhifa.records.services import open_stored

from . import forms, rendering, services
from .models import PUBLISHED, STATUS_CHOICES, AnnualReport, RegionReport

FILE_TYPES = {"xlsx": rendering.XLSX_TYPE, "pdf": "application/pdf"}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _download(report, fmt: str, *, inline: bool = False):
    if fmt not in FILE_TYPES:
        raise Http404("不支持的文件格式。")
    services.ensure_files(report)
    stored = report.xlsx if fmt == "xlsx" else report.pdf
    return FileResponse(open_stored(stored), as_attachment=not inline, filename=f"{report.title}.{fmt}",
                        content_type=FILE_TYPES[fmt])


def _errors(exc) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


# ---------------------------------------------------------------------------------------
# Internal pages
# ---------------------------------------------------------------------------------------


class _StatisticsView(CapabilityRequiredMixin, TemplateView):
    area = "statistics"
    action = "view"


class ReportListView(_StatisticsView):
    """年报列表：管辖范围内各执法主体的年报（可按年度、状态筛选）和区域汇总。"""

    template_name = "statistics/report_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = clock.today()
        reports = AnnualReport.objects.restrict(user, "view").select_related("agency__region")
        regions = RegionReport.objects.restrict(user, "view").select_related("region")
        year, status = _int(self.request.GET.get("year")), self.request.GET.get("status") or ""
        years = sorted(set(services.available_years(reports)) | {today.year - 1}, reverse=True)
        if year:
            reports, regions = reports.filter(year=year), regions.filter(year=year)
        if status in dict(STATUS_CHOICES):
            reports = reports.filter(status=status)
        page = Paginator(reports, 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        can_change = user.has_capability("statistics", "change")
        path = user_scope_path(user) or ""
        region_scoped = not path or region_part(path) == path  # agencies' users roll up nothing
        last_year = today.year - 1
        in_scope = Agency.objects.restrict(user, "view").filter(is_active=True)
        ctx.update(
            title="统计年报", page=page, region_reports=regions[:100], years=years, year=year, status=status,
            status_choices=STATUS_CHOICES, querystring=query.urlencode(), can_change=can_change,
            generate_form=forms.GenerateForm(user=user) if can_change else None,
            rollup_form=forms.RollupForm(user=user, scope_path=path) if can_change and region_scoped else None,
            last_year=last_year,
            last_year_published=AnnualReport.objects.restrict(user, "view").filter(
                year=last_year, status=PUBLISHED, agency__in=in_scope).count(),
            agencies_in_scope=in_scope.count(),
            deadline=services.publication_deadline(last_year), rollup_deadline=services.rollup_deadline(last_year),
        )
        return ctx


class ReportDetailView(_StatisticsView):
    """一份执法主体年报：图表、统计表、下载，草稿可重新生成或发布。"""

    template_name = "statistics/report_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        report = get_object_or_404(AnnualReport.objects.restrict(user, "view").select_related("agency__region"),
                                   pk=self.kwargs["pk"])
        can_change = (not report.is_published
                      and AnnualReport.objects.restrict(user, "change").filter(pk=report.pk).exists())
        ctx.update(rendering.context(report), can_change=can_change, kind="agency")
        return ctx


class RegionDetailView(_StatisticsView):
    """一份区域汇总。"""

    template_name = "statistics/report_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = get_object_or_404(RegionReport.objects.restrict(self.request.user, "view").select_related("region"),
                                   pk=self.kwargs["pk"])
        ctx.update(rendering.context(report), can_change=False, kind="region",
                   agency_link="statistics:report_detail")
        return ctx


class CurrentView(_StatisticsView):
    """本年截至今日：管辖范围内执法主体本年度到今天的数据（即时计算，不保存、不公示）。"""

    template_name = "statistics/current.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = clock.today()
        agencies = Agency.objects.restrict(self.request.user, "view").filter(is_active=True)
        data = services.current_figures(agencies, today)
        ctx.update(title=f"{today.year}年度执法统计（截至{today:%Y年%m月%d日}）", data=data,
                   summary=rendering.summary_rows(data), kinds=rendering.kind_rows(data),
                   charts=rendering.charts(data), agencies=data["agencies"], remedy_note=rendering.REMEDY_NOTE,
                   is_region=len(data["agencies"]) > 1)
        return ctx


def _changeable_report(request, pk) -> AnnualReport:
    if not request.user.is_authenticated:
        raise PermissionDenied("请先登录。")
    if not request.user.has_capability("statistics", "change"):
        raise PermissionDenied("您的角色不能生成或发布统计年报。")
    report = AnnualReport.objects.restrict(request.user, "change").select_related("agency__region").filter(pk=pk).first()
    if report is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return report


@require_POST
def regenerate(request, pk):
    """重新生成草稿（发布后不能重新生成）。"""
    report = _changeable_report(request, pk)
    try:
        services.regenerate(report, request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已按当前数据重新生成年报草稿。")
    return redirect(report.get_absolute_url())


@require_POST
def publish(request, pk):
    """发布年报（发布后数据冻结，向社会公开）。"""
    report = _changeable_report(request, pk)
    try:
        services.publish_report(report, request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "年报已发布，已在公示门户公开。")
    return redirect(report.get_absolute_url())


@require_POST
def generate(request):
    """生成某执法主体某年度的年报草稿。"""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={reverse('statistics:report_list')}")
    form = forms.GenerateForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "请选择执法主体和年度。")
        return redirect("statistics:report_list")
    try:
        report = services.generate_annual_report(form.cleaned_data["agency"], form.cleaned_data["year"], request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("statistics:report_list")
    messages.success(request, f"已生成年报草稿：{report.title}")
    return redirect(report.get_absolute_url())


@require_POST
def rollup(request):
    """汇总某行政区划已发布的年报（区域汇总发布前为草稿）。"""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={reverse('statistics:report_list')}")
    form = forms.RollupForm(request.POST, user=request.user, scope_path=user_scope_path(request.user) or "")
    if not form.is_valid():
        messages.error(request, "请选择行政区划和年度。")
        return redirect("statistics:report_list")
    try:
        report = services.rollup(form.cleaned_data["region"], form.cleaned_data["year"], request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("statistics:report_list")
    messages.success(request, f"已汇总：{report.title}（{report.agency_count}个执法主体）")
    return redirect(report.get_absolute_url())


def report_file(request, pk, fmt):
    """下载年报（xlsx / PDF）。"""
    if not request.user.is_authenticated or not request.user.has_capability("statistics", "view"):
        raise PermissionDenied("您的角色不能查看统计年报。")
    report = get_object_or_404(AnnualReport.objects.restrict(request.user, "view").select_related("agency__region"),
                               pk=pk)
    return _download(report, fmt)


def region_file(request, pk, fmt):
    """下载区域汇总（xlsx / PDF）。"""
    if not request.user.is_authenticated or not request.user.has_capability("statistics", "view"):
        raise PermissionDenied("您的角色不能查看统计年报。")
    report = get_object_or_404(RegionReport.objects.restrict(request.user, "view").select_related("region"), pk=pk)
    return _download(report, fmt)


# ---------------------------------------------------------------------------------------
# Public pages
# ---------------------------------------------------------------------------------------


def public_list(request):
    """统计年报公示：按年度、行政区划查看已发布的区域汇总和各执法主体年报。"""
    services.request_publication()
    reports = AnnualReport.objects.public().select_related("agency__region")
    region_reports = RegionReport.objects.public().select_related("region")
    years = services.available_years(reports)
    year = _int(request.GET.get("year")) or (years[0] if years else None)
    region_code = (request.GET.get("region") or "").strip()
    region_reports = region_reports.filter(year=year).order_by("region__path") if year else region_reports.none()
    selected = None
    if region_code:
        selected = next((r for r in region_reports if r.region.code == region_code), None)
    reports = reports.filter(year=year) if year else reports.none()
    if selected is not None:
        reports = reports.filter(agency__tree_path__startswith=selected.region.path)
    page = Paginator(reports.order_by("agency__region__code", "agency__name"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "title": "行政执法统计年报", "years": years, "year": year, "region_code": region_code,
        "region_reports": region_reports, "selected": selected, "page": page, "querystring": query.urlencode(),
    }
    if selected is not None:
        ctx["charts"] = rendering.charts(selected.data)
    return render(request, "statistics/public_list.html", ctx)


def public_agency(request, pk):
    """一个执法主体已发布的年报。"""
    report = get_object_or_404(AnnualReport.objects.public().select_related("agency__region"), pk=pk)
    return render(request, "statistics/public_report.html", {**rendering.context(report), "kind": "agency"})


def public_region(request, pk):
    """一个行政区划已发布的区域汇总。"""
    report = get_object_or_404(RegionReport.objects.public().select_related("region"), pk=pk)
    return render(request, "statistics/public_report.html",
                  {**rendering.context(report), "kind": "region", "agency_link": "statistics:public_agency"})


def public_agency_file(request, pk, fmt):
    report = get_object_or_404(AnnualReport.objects.public().select_related("agency__region"), pk=pk)
    return _download(report, fmt)


def public_region_file(request, pk, fmt):
    report = get_object_or_404(RegionReport.objects.public().select_related("region"), pk=pk)
    return _download(report, fmt)

