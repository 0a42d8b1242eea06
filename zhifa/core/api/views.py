"""API views of the core: the audit trail and Excel data exchange."""

from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from .. import exports
from ..excel import REGISTRY, run_import, template_workbook
from ..filters import ChangeLogFilterSet
from ..models import ChangeLog, DataExport
from ..pages import XLSX, xlsx_response
from .serializers import (
    ChangeLogSerializer,
    DataExportSerializer,
    ImportResultSerializer,
    ImportUploadSerializer,
    JobOverviewSerializer,
    JobRetrySerializer,
)


class ChangeLogViewSet(viewsets.ReadOnlyModelViewSet):
    """操作日志（只读，审计管理员）。"""

    queryset = ChangeLog.objects.select_related("content_type")
    serializer_class = ChangeLogSerializer
    filterset_class = ChangeLogFilterSet
    scope_area = "audit"

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user)


def _jsonable_args(args) -> list:
    return [a if isinstance(a, str | int | float | bool | list | dict) or a is None else str(a) for a in args]


class JobViewSet(viewsets.ViewSet):
    """后台任务（系统管理员）：排队、执行中、失败（含错误信息）和计划执行的任务；可重试失败的任务。"""

    scope_area = "jobs"
    lookup_value_regex = "[A-Za-z0-9_-]+"

    @extend_schema(responses=JobOverviewSerializer)
    def list(self, request):
        from .. import jobs

        queued = jobs.queued_runs()

        def run(r):
            return {"id": str(r.id), "job": r.job, "label": r.label, "args": _jsonable_args(r.args),
                    "state": "running" if r.running else "queued", "time": r.enqueued_at, "error": "", "schedule": ""}

        data = {
            "queued": [run(r) for r in queued if not r.running],
            "running": [run(r) for r in queued if r.running],
            "failed": [{"id": str(t.id), "job": t.job_name, "label": t.label, "args": _jsonable_args(t.job_args),
                        "state": "failed", "time": t.stopped, "error": t.error, "schedule": ""}
                       for t in jobs.failed_runs()],
            "scheduled": [{"id": str(s.pk), "job": s.job_name, "label": s.label, "args": _jsonable_args(s.job_args),
                           "state": "scheduled", "time": s.next_run, "error": "", "schedule": s.schedule_label}
                          for s in jobs.scheduled_runs()],
            "declared": [{"name": j.name, "label": j.label, "schedule": j.schedule_label} for j in jobs.registered()],
        }
        return Response(JobOverviewSerializer(data).data)

    @extend_schema(request=None, responses={202: JobRetrySerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """立即重新执行一项失败的任务（pk 为失败记录的任务编号）。"""
        from .. import jobs

        new_id = jobs.retry_failed(pk, actor=request.user)
        return Response(JobRetrySerializer({"task": new_id}).data, status=status.HTTP_202_ACCEPTED)


class DataExchangeViewSet(viewsets.ViewSet):
    """Excel 模板下载、导入与导出。``key`` 为数据类别，例如 officers、items。"""

    lookup_field = "key"
    lookup_value_regex = "[a-z_-]+"
    parser_classes = [MultiPartParser]
    scope_area = None

    def _spec(self, key):
        spec_class = REGISTRY.get(key)
        if spec_class is None:
            raise Http404
        spec = spec_class(self.request.user)
        if not self.request.user.has_capability(spec.capability_area, "view"):
            raise exceptions.PermissionDenied("您的角色不能查看此类数据。")
        return spec

    @extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})
    def list(self, request):
        """可导入导出的数据类别。"""
        return Response(
            [{"key": k, "title": c.title, "can_import": c(request.user).may_import()} for k, c in REGISTRY.items()
             if request.user.has_capability(c(request.user).capability_area, "view")]
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="xlsx 模板")})
    @action(detail=True, methods=["get"])
    def template(self, request, key=None):
        """下载导入模板（xlsx）。"""
        spec = self._spec(key)
        return xlsx_response(template_workbook(spec), f"{spec.title}导入模板.xlsx")

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="xlsx 导出"),
                              202: DataExportSerializer})
    @action(detail=True, methods=["get"])
    def export(self, request, key=None):
        """导出管辖范围内的数据（xlsx，版式与模板相同）。不超过 ``ZHIFA_EXPORT_INLINE_ROWS`` 行（默认
        10,000）时直接返回文件；超过时返回 202 和一项后台导出任务（``Location`` 为其地址），生成后从
        ``/api/core/data-exports/{id}/download/`` 下载。"""
        spec = self._spec(key)
        result = exports.export_or_queue(spec, request)
        if isinstance(result, DataExport):
            location = reverse("data-export-detail", args=[result.pk], request=request)
            return Response(DataExportSerializer(result, context={"request": request}).data,
                            status=status.HTTP_202_ACCEPTED, headers={"Location": location})
        return xlsx_response(result, f"{spec.title}_{timezone.localdate():%Y%m%d}.xlsx")

    @extend_schema(request=ImportUploadSerializer, responses={201: ImportResultSerializer})
    @action(detail=True, methods=["post"], url_path="import")
    def import_(self, request, key=None):
        """导入 xlsx：全部行通过检查才写入，否则返回每一处错误（行号、列名、原因），不写入任何数据。"""
        spec = self._spec(key)
        if not spec.may_import():
            raise exceptions.PermissionDenied("您的角色没有导入此类数据的权限。")
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        result = run_import(spec, upload.validated_data["file"])
        if not result.ok:
            return Response(
                {"error": {"status": 400, "code": "import_invalid",
                           "message": f"发现{len(result.errors)}处错误，所有数据均未导入。",
                           "rows": [e.as_dict() for e in result.errors]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"created": result.created}, status=status.HTTP_201_CREATED)


class DataExportViewSet(viewsets.ReadOnlyModelViewSet):
    """我的导出：本人申请的、在后台生成的 Excel 导出（状态、行数、下载）；只能看到本人的。"""

    serializer_class = DataExportSerializer
    scope_area = None
    queryset = DataExport.objects.none()  # the model, for the schema; the rows: get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return exports.of_user(self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="xlsx 导出")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """下载已生成的导出文件（过期或尚未生成时返回 404）。"""
        export = self.get_object()
        if export.status != DataExport.DONE:
            raise exceptions.NotFound("该导出尚未生成。")
        if export.expired:
            raise exceptions.NotFound("该导出已过期，请重新导出。")
        return FileResponse(exports.open_file(export), as_attachment=True, filename=export.filename,
                            content_type=XLSX)
