"""API views of the core: the audit trail and Excel data exchange."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from ..excel import REGISTRY, export_workbook, run_import, template_workbook
from ..filters import ChangeLogFilterSet
from ..models import ChangeLog
from ..pages import xlsx_response
from .serializers import ChangeLogSerializer, ImportResultSerializer, ImportUploadSerializer


class ChangeLogViewSet(viewsets.ReadOnlyModelViewSet):
    """操作日志（只读，审计管理员）。"""

    queryset = ChangeLog.objects.select_related("content_type")
    serializer_class = ChangeLogSerializer
    filterset_class = ChangeLogFilterSet
    scope_area = "audit"

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user)


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

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="xlsx 导出")})
    @action(detail=True, methods=["get"])
    def export(self, request, key=None):
        """导出管辖范围内的数据（xlsx，版式与模板相同）。"""
        spec = self._spec(key)
        return xlsx_response(export_workbook(spec), f"{spec.title}_{timezone.localdate():%Y%m%d}.xlsx")

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
