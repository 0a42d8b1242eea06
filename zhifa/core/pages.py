"""Core web pages: Excel data exchange and the audit trail (the home page is the desk: zhifa.workspace)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from . import exports
from .excel import REGISTRY, run_import, template_workbook
from .filters import ChangeLogFilterSet
from .forms import ImportForm
from .models import ChangeLog, DataExport
from .pagination import CappedPaginator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An xlsx download with a UTF-8 file name."""
    from urllib.parse import quote

    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _spec(request, key, need_import=False):
    spec_class = REGISTRY.get(key)
    if spec_class is None:
        raise Http404("没有这种数据。")
    spec = spec_class(request.user)
    if not request.user.has_capability(spec.capability_area, "view"):
        raise PermissionDenied("您的角色不能查看此类数据。")
    if need_import and not spec.may_import():
        raise PermissionDenied("您的角色没有导入此类数据的权限。")
    return spec


@login_required
def data_index(request):
    """Every importable sheet with its template, import and export links."""
    specs = []
    for key, spec_class in REGISTRY.items():
        spec = spec_class(request.user)
        if request.user.has_capability(spec.capability_area, "view"):
            specs.append({"key": key, "title": spec.title, "can_import": spec.may_import()})
    return render(request, "core/data_index.html", {"title": "数据导入导出", "specs": specs,
                                                    "inline_limit": f"{exports.inline_limit():,}"})


@login_required
def data_template(request, key):
    spec = _spec(request, key)
    return xlsx_response(template_workbook(spec), f"{spec.title}导入模板.xlsx")


@login_required
def data_export(request, key):
    """The export as a download, or — more rows than a request builds — queued for a worker."""
    spec = _spec(request, key)
    result = exports.export_or_queue(spec, request)
    if isinstance(result, DataExport):
        messages.info(request, f"{spec.title}超过 {exports.inline_limit():,} 行，已转入后台生成；"
                               "完成后会以站内消息通知您，届时在本页下载。")
        return redirect("core:data_exports")
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(result, f"{spec.title}_{stamp}.xlsx")


EXPORTS_PER_PAGE = 50


@login_required
def data_exports(request):
    """我的导出: the person's exports built by a worker, newest first."""
    page = Paginator(exports.of_user(request.user), EXPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/data_exports.html", {
        "title": "我的导出", "page_obj": page, "exports": page.object_list,
        "keep_days": settings.ZHIFA_EXPORT_KEEP_DAYS})


@login_required
def data_export_download(request, pk):
    """Download one of the person's built exports (another person's is not found)."""
    export = get_object_or_404(exports.of_user(request.user), pk=pk)
    if export.status != DataExport.DONE:
        raise Http404("该导出尚未生成。")
    if export.expired:
        raise Http404("该导出已过期，请重新导出。")
    return FileResponse(exports.open_file(export), as_attachment=True, filename=export.filename, content_type=XLSX)


@login_required
def data_import(request, key):
    spec = _spec(request, key, need_import=True)
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = run_import(spec, form.cleaned_data["file"])
    else:
        form = ImportForm()
    return render(
        request, "core/data_import.html",
        {"title": f"导入{spec.title}", "spec": spec, "form": form, "result": result},
        status=400 if result is not None and not result.ok else 200,
    )


@login_required
def changelog_list(request):
    """The audit trail (read-only), for the audit administrator."""
    if not request.user.has_capability("audit", "view"):
        raise PermissionDenied("只有审计管理员可以查看操作日志。")
    qs = ChangeLog.objects.restrict(request.user).select_related("content_type")
    filterset = ChangeLogFilterSet(request.GET or None, queryset=qs)
    page = CappedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))  # millions of rows: no exact COUNT
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/changelog_list.html",
        {"title": "操作日志", "filterset": filterset, "page": page, "querystring": query.urlencode()},
    )
