"""REST endpoints of the full-process record.

Stream endpoints take the key in the path (``case:42``) and ask the prefix owner's resolver
(``services.may_access_stream``): unknown prefixes are refused (400), a resolver saying no
gives 404. Uploads are visible to their uploader only.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.core.api.public import PublicReadOnlyViewSet

from .. import checkpoints, integrity, services
from ..audit_chain import AUDIT_STREAM
from ..models import Checkpoint, IntegrityCheck, StoredFile, Upload
from .serializers import (
    AccessLogSerializer,
    CheckpointCheckSerializer,
    CheckpointSerializer,
    EventSerializer,
    IntegrityCheckSerializer,
    PublicCheckpointSerializer,
    UploadCreateSerializer,
    UploadSerializer,
    VerifyResultSerializer,
)

CHUNK_TYPES = ("application/offset+octet-stream", "application/octet-stream")
REFUSED_RESPONSE = OpenApiResponse(description="文件类型不在允许之列（可执行程序、脚本等），code 为 file_type_refused")


def file_type_refused(exc: services.FileTypeRefused, field: str) -> Response:
    """415 with the structured error: a file off the allow-list (``core.filetypes``)."""
    message = exc.messages[0]
    return Response(
        {"error": {"status": 415, "code": "file_type_refused", "message": message, "fields": {field: [message]}}},
        status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    )


def check_stream(request, key: str) -> str:
    """The key if the requesting user may read that stream; 400 for an unknown prefix, else 404."""
    if not services.may_access_stream(request.user, key, "view"):
        raise exceptions.NotFound()
    return key


class StreamEventListView(generics.ListAPIView):
    """一个记录流的全部记录（按序号）。"""

    serializer_class = EventSerializer
    scope_area = "records"
    filter_backends = []

    def get_queryset(self):
        key = check_stream(self.request, self.kwargs["key"])
        return services.events_for(key)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        services.log_access(request.user, "view", self.kwargs["key"], request)
        return response


class StreamVerifyView(APIView):
    """校验一个记录流：逐条重算哈希链、检查序号连续和头部，并重新计算每个登记文件的哈希。"""

    scope_area = "records"

    @extend_schema(responses=VerifyResultSerializer)
    def get(self, request, key):
        check_stream(request, key)
        result = services.verify_stream(key)
        from zhifa.records.verification import record_results

        record_results(key, result, by="api:verify")
        services.log_access(request.user, "verify", key, request)
        return Response(VerifyResultSerializer(result.as_dict()).data)


class StreamFileView(APIView):
    """下载记录流中登记的文件（按哈希）；每次下载写入访问日志。"""

    scope_area = "records"

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, key, digest):
        check_stream(request, key)
        if not services.stream_has_file(key, digest):
            raise Http404
        stored = StoredFile.objects.filter(hash=digest).first()
        if stored is None:
            raise Http404
        try:
            handle = services.open_stored(stored)
        except FileNotFoundError:
            raise Http404 from None
        services.log_access(request.user, "download", stored, request, stream_key=key)
        return FileResponse(handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type)


class UploadListView(generics.ListCreateAPIView):
    """我的上传：POST 声明文件名和大小，得到上传编号；之后用 PATCH 分段上传。
    可执行程序或脚本的文件名（.exe、.sh 等）返回 415 ``file_type_refused``。"""

    serializer_class = UploadSerializer
    scope_area = "records"
    parser_classes = [JSONParser]
    filter_backends = []

    def get_queryset(self):
        return Upload.objects.filter(owner=self.request.user).select_related("completed")

    @extend_schema(request=UploadCreateSerializer, responses={201: UploadSerializer, 415: REFUSED_RESPONSE})
    def post(self, request, *args, **kwargs):
        declared = UploadCreateSerializer(data=request.data)
        declared.is_valid(raise_exception=True)
        data = declared.validated_data
        try:
            upload = services.start_upload(request.user, data["name"], data["size"], data.get("content_type", ""))
        except services.FileTypeRefused as exc:
            return file_type_refused(exc, "name")
        response = Response(UploadSerializer(upload).data, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{request.path}{upload.pk}/")
        return _offset_headers(response, upload)


def _offset_headers(response, upload):
    response["Upload-Offset"] = str(upload.received)
    response["Upload-Length"] = str(upload.size)
    response["Cache-Control"] = "no-store"
    return response


class UploadDetailView(APIView):
    """一个上传：GET/HEAD 返回已接收字节数（Upload-Offset）；PATCH 追加一段
    （``Content-Type: application/offset+octet-stream``，``Upload-Offset`` 为本段起始位置）；
    位置不符返回 409 及当前位置；全部接收后返回存储文件。DELETE 取消未完成的上传。
    文件内容（按文件头识别）不在允许的类型之内（可执行程序、脚本等）时返回 415
    ``file_type_refused``，该上传随即作废。"""

    scope_area = "records"
    parser_classes = []

    def get_object(self, pk) -> Upload:
        upload = Upload.objects.filter(pk=pk, owner=self.request.user).select_related("completed").first()
        if upload is None:
            raise exceptions.NotFound()
        return upload

    @extend_schema(responses=UploadSerializer)
    def get(self, request, pk):
        upload = self.get_object(pk)
        return _offset_headers(Response(UploadSerializer(upload).data), upload)

    @extend_schema(
        request={"application/offset+octet-stream": bytes},
        parameters=[OpenApiParameter("Upload-Offset", int, OpenApiParameter.HEADER, required=True)],
        responses={200: UploadSerializer, 415: REFUSED_RESPONSE},
    )
    def patch(self, request, pk):
        upload = self.get_object(pk)
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type not in CHUNK_TYPES:
            raise exceptions.UnsupportedMediaType(content_type, detail="请以 application/offset+octet-stream 上传数据。")
        try:
            offset = int(request.headers.get("Upload-Offset", ""))
            length = int(request.META.get("CONTENT_LENGTH") or "")
        except ValueError:
            raise exceptions.ValidationError({"Upload-Offset": ["缺少或无效的 Upload-Offset / Content-Length。"]}) from None
        try:
            # read the raw body from the Django request in 1 MiB pieces: never request.body
            upload = services.append_chunk(upload, offset, request._request, length)
        except services.UploadConflict as exc:
            response = Response(
                {"error": {"status": 409, "code": "offset_conflict", "message": exc.message, "offset": exc.offset}},
                status=status.HTTP_409_CONFLICT,
            )
            response["Upload-Offset"] = str(exc.offset)
            return response
        except services.FileTypeRefused as exc:  # the upload has been discarded
            return file_type_refused(exc, "file")
        except ValidationError as exc:
            raise exceptions.ValidationError({"non_field_errors": exc.messages}) from None
        return _offset_headers(Response(UploadSerializer(upload).data), upload)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        upload = self.get_object(pk)
        try:
            services.discard_upload(upload)
        except services.UploadConflict as exc:
            return Response({"error": {"status": 409, "code": "complete", "message": exc.message}},
                            status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccessLogListView(generics.ListAPIView):
    """访问日志（谁查看、下载、校验了哪些记录），最新的在前。访问日志是审计记录：只有审计管理员
    可以查看，范围为其所属组织；可按 ``stream``（记录流，例如 case:42）、``user``（用户编号）、
    ``action``（view/download/verify）筛选。"""

    serializer_class = AccessLogSerializer
    scope_area = "audit"
    filter_backends = []

    @extend_schema(parameters=[
        OpenApiParameter("stream", str, description="记录流，例如 case:42"),
        OpenApiParameter("user", int, description="用户编号"),
        OpenApiParameter("action", str, enum=["view", "download", "verify"]),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return services.access_log_for(self.request.user, self.request.query_params)


class AuditChainVerifyView(APIView):
    """校验操作日志的哈希链（audit:changelog），并与最新的签名检查点比对（审计管理员）。在本请求内
    重算整条哈希链；数据量大时请改用 ``POST /api/records/integrity-checks/``，由后台任务执行。"""

    scope_area = "audit"

    @extend_schema(responses=VerifyResultSerializer)
    def get(self, request):
        result = services.verify_stream(AUDIT_STREAM, check_files=False)
        return Response(VerifyResultSerializer(result.as_dict()).data)


class CheckpointListView(generics.ListAPIView):
    """签名检查点及其报送情况（审计管理员）。"""

    serializer_class = CheckpointSerializer
    scope_area = "audit"
    filter_backends = []
    queryset = Checkpoint.objects.prefetch_related("pushes").order_by("-number")


class CheckpointVerifyView(APIView):
    """校验最新的签名检查点：SM2 签名（以本平台可信公钥）、默克尔根，以及每个记录流在签名位置的
    哈希是否仍与签名时一致；列出自检查点以来被改动的记录流。记录流很多时请改用
    ``POST /api/records/integrity-checks/``，由后台任务执行。"""

    scope_area = "audit"

    @extend_schema(responses=CheckpointCheckSerializer)
    def get(self, request):
        return Response(CheckpointCheckSerializer(checkpoints.verify_checkpoint().as_dict()).data)


class PublicCheckpointViewSet(PublicReadOnlyViewSet):
    """签名检查点（开放数据）：每日对全部执法全过程记录和操作日志哈希链头部计算的默克尔根，以
    SM2 签名；可用公布的公钥（签名者标识 1234567812345678）验证 ``signed_text`` 的签名。"""

    queryset = Checkpoint.objects.order_by("-number")
    serializer_class = PublicCheckpointSerializer
    lookup_field = "number"
    csv_filename = "checkpoints.csv"
    filter_backends = []


class IntegrityCheckViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """完整性校验（审计管理员）：每日定时和人工发起的校验及其结果。``POST``（无需请求体）发起一次校验，
    由后台任务执行，返回 202；已有校验在排队或进行时返回那一次。"""

    serializer_class = IntegrityCheckSerializer
    scope_area = "audit"
    required_actions = {"create": "view"}  # checking changes nothing
    filter_backends = []
    queryset = IntegrityCheck.objects.select_related("signed_checkpoint").order_by("-created_at", "-id")

    @extend_schema(request=None, responses={202: IntegrityCheckSerializer})
    def create(self, request, *args, **kwargs):
        check = integrity.request_check(request.user)
        return Response(self.get_serializer(check).data, status=status.HTTP_202_ACCEPTED)
