from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..filters import DocumentTemplateFilterSet
from ..kinds import DOCUMENT_KINDS
from ..models import DocumentTemplate
from ..views import DOCX, file_response
from .serializers import DocumentKindSerializer, DocumentTemplateSerializer, PreviewRequestSerializer


class DocumentKindView(APIView):
    """执法文书种类（按案卷排列顺序）。"""

    scope_area = "documents"

    @extend_schema(responses={200: DocumentKindSerializer(many=True)})
    def get(self, request):
        data = [{"code": code, "title": title, "order": index} for index, (code, title) in enumerate(DOCUMENT_KINDS)]
        return Response(DocumentKindSerializer(data, many=True).data)


class DocumentTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                              viewsets.GenericViewSet):
    """文书模板版本。上传（multipart，系统管理员）即生成该文书、该执法主体的下一版本并启用；旧版本保留。"""

    queryset = DocumentTemplate.objects.select_related("agency", "uploaded_by")
    serializer_class = DocumentTemplateSerializer
    filterset_class = DocumentTemplateFilterSet
    parser_classes = [MultiPartParser]  # one media type per operation: the template is a file
    ordering_fields = ["code", "version", "uploaded_at"]
    search_fields = ["note", "agency__name"]

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            template = services.upload_template(
                code=data["code"], data=data["data"], agency=data.get("agency"), user=request.user,
                note=data.get("note", ""), name=data["name"],
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(self.get_serializer(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, DOCX): OpenApiResponse(description="DOCX 模板文件")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """下载该版本的模板文件（DOCX）。"""
        template = self.get_object()
        data = services.template_bytes(template, template.code)
        return file_response(data, f"{template.title}模板_{template.owner_label}_第{template.version}版.docx", DOCX)

    def _change_state(self, request, operation):
        template = self.get_object()
        try:
            operation(template, user=request.user)
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(self.get_serializer(template).data)

    @extend_schema(request=None, responses={200: DocumentTemplateSerializer})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """启用该版本（同一文书、同一适用范围的其他版本停用）。"""
        return self._change_state(request, services.activate_template)

    @extend_schema(request=None, responses={200: DocumentTemplateSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """停用该版本：改用默认模板或系统内置模板。"""
        return self._change_state(request, services.deactivate_template)


class DocumentPreviewView(APIView):
    """用示例案件生成文书 PDF，用于检查模板效果。"""

    scope_area = "documents"
    required_actions = {None: "view"}

    @extend_schema(request=PreviewRequestSerializer,
                   responses={(200, "application/pdf"): OpenApiResponse(description="PDF 文书")})
    def post(self, request):
        serializer = PreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = serializer.validated_data["code"]
        template = None
        if serializer.validated_data.get("template"):
            template = get_object_or_404(
                DocumentTemplate.objects.restrict(request.user, "view").filter(code=code),
                pk=serializer.validated_data["template"],
            )
        try:
            pdf = services.preview_pdf(
                code, template=template, agency=getattr(request.user, "agency", None),
                use_builtin=serializer.validated_data["builtin"],
            )
        except services.DocumentRenderError as exc:
            return Response({"error": {"status": 422, "code": "render_failed", "message": str(exc)}},
                            status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return file_response(pdf, f"{dict(DOCUMENT_KINDS)[code]}_预览.pdf", "application/pdf", inline=True)
