"""Core web pages: Excel data exchange and the audit trail (the home page is the desk: zhifa.workspace)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .excel import REGISTRY, export_workbook, run_import, template_workbook
from .filters import ChangeLogFilterSet
from .forms import ImportForm
from .models import ChangeLog
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
    return render(request, "core/data_index.html", {"title": "数据导入导出", "specs": specs})


@login_required
def data_template(request, key):
    spec = _spec(request, key)
    return xlsx_response(template_workbook(spec), f"{spec.title}导入模板.xlsx")


@login_required
def data_export(request, key):
    spec = _spec(request, key)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(export_workbook(spec), f"{spec.title}_{stamp}.xlsx")


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
