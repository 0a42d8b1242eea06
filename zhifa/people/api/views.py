"""API of officers, certificates, training records and the compliance report."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.core.api.viewsets import ScopedModelViewSet
from zhifa.core.pages import xlsx_response

from .. import services
from ..filters import CertificateFilterSet, OfficerFilterSet, TrainingFilterSet
from ..models import OFFICER_LIST_FIELDS, Certificate, Officer, TrainingRecord
from ..views import report_parameters
from .serializers import (
    CertificateActionSerializer,
    CertificateEventSerializer,
    CertificateSerializer,
    OfficerListSerializer,
    OfficerSerializer,
    TrainingRecordSerializer,
)


class Conflict(exceptions.APIException):
    """409: the request conflicts with the record's current state (e.g. a refused transition)."""

    status_code = 409
    default_detail = "操作与当前状态冲突。"
    default_code = "conflict"


class OfficerViewSet(ScopedModelViewSet):
    """执法人员与执法辅助人员。身份证号码默认脱敏；具有权限的角色可调用 reveal 查看完整号码（记入操作日志）。"""

    queryset = Officer.objects.select_related("home_agency", "unit", "dispatched_to")
    serializer_class = OfficerSerializer
    filterset_class = OfficerFilterSet
    ordering_fields = ["name", "home_agency__name"]
    required_actions = {"reveal": "reveal"}

    def get_queryset(self):
        if getattr(self, "action", None) == "reveal":
            return Officer.objects.restrict(self.request.user, "view")
        if getattr(self, "action", None) == "list":  # the slim list joins the agency only (issue #14)
            return super().get_queryset().select_related(None).select_related("home_agency").only(
                *OFFICER_LIST_FIELDS, "home_agency__name")
        return super().get_queryset()

    def get_serializer_class(self):
        return OfficerListSerializer if self.action == "list" else super().get_serializer_class()

    @extend_schema(request=None, responses={200: {"type": "object", "properties": {"id_number": {"type": "string"}}}})
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """查看完整身份证号码（仅限有权限的角色；每次查看记入操作日志）。"""
        officer = self.get_object()
        return Response({"id": officer.pk, "id_number": services.reveal_id_number(officer, request.user)})


def _status_action(name, summary):
    """A POST action changing a certificate's status through ``services.apply_status_action``."""

    def view(self, request, pk=None):
        cert = self.get_object()
        data = CertificateActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            services.apply_status_action(cert, name, request.user, values["reason"], values["on"], values["passed"])
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise exceptions.ValidationError(exc.message_dict) from None
            raise Conflict(exc.messages[0]) from None
        cert.refresh_from_db()
        return Response(CertificateSerializer(cert, context=self.get_serializer_context()).data)

    view.__name__ = name
    view.__doc__ = summary
    view = action(detail=True, methods=["post"], url_path=name, url_name=name)(view)
    return extend_schema(request=CertificateActionSerializer, responses={200: CertificateSerializer})(view)


class CertificateViewSet(ScopedModelViewSet):
    """行政执法证。新增即发证；状态只能通过 review（年度审验）、suspend（暂扣）、revoke（收回）、
    cancel（注销）、restore（恢复）操作变更，每次变更须填写理由并记录。"""

    queryset = Certificate.objects.select_related("officer").prefetch_related("fields")
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilterSet
    ordering_fields = ["number", "issued_on", "expires_on"]

    review = _status_action("review", "年度审验（passed 必填；不合格须填写理由，并暂扣执法证）")
    suspend = _status_action("suspend", "暂扣执法证（须填写理由）")
    revoke = _status_action("revoke", "收回执法证（须填写理由；收回后不能再变更）")
    cancel = _status_action("cancel", "注销执法证（须填写理由；注销后不能再变更）")
    restore = _status_action("restore", "恢复被暂扣的执法证（须填写理由）")

    @extend_schema(responses={200: CertificateEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """执法证变更记录（发证、审验、暂扣、收回、注销、恢复）。"""
        cert = self.get_object()
        return Response(CertificateEventSerializer(cert.events.all(), many=True).data)


class TrainingRecordViewSet(ScopedModelViewSet):
    """培训记录（学时、天数、类别）。"""

    queryset = TrainingRecord.objects.select_related("officer")
    serializer_class = TrainingRecordSerializer
    filterset_class = TrainingFilterSet
    ordering_fields = ["date", "hours"]


_REPORT_PARAMS = [
    OpenApiParameter("year", int, description="年度，默认今年"),
    OpenApiParameter("agency", int, description="执法主体编号（含其下级），默认管辖范围内全部"),
]


class ComplianceViewSet(viewsets.ViewSet):
    """培训与人员配备合规报告（ORG-5、ORG-6）。"""

    scope_area = "reports"
    permission_classes = [permissions.IsAuthenticated]

    def _report(self, request):
        if not request.user.has_capability("reports", "view"):
            raise exceptions.PermissionDenied("您的角色不能查看合规报告。")
        year, agencies, selected = report_parameters(request)
        return services.training_compliance(agencies, year), selected

    @extend_schema(parameters=_REPORT_PARAMS, responses={200: {"type": "object"}})
    def list(self, request):
        """合规报告（JSON）：每名执法人员的学时与未达标情形、各执法主体法制审核人员配备、各乡镇执法力量。"""
        report, _ = self._report(request)
        return Response(report.as_dict())

    @extend_schema(parameters=_REPORT_PARAMS, responses={(200, "application/octet-stream"): OpenApiResponse(
        description="xlsx")})
    @action(detail=False, methods=["get"])
    def xlsx(self, request):
        """合规报告（xlsx 下载）。"""
        report, selected = self._report(request)
        name = f"{selected.name if selected else '管辖范围'}_{report.year}年度培训与配备合规报告_{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(services.compliance_workbook(report), name)
