"""掌上执法 sync API: the offline bundle, exactly-once capture receipt, conflicts.

``PUT /api/mobile/captures/<key>/`` is the one write: the first call creates the capture (and
its resumable upload for a file); every later call with the same key returns the same row and
attaches it once the file is complete and its SHA-256 checks. File bytes go to
``PATCH /api/records/uploads/<id>/`` (断点续传, ``Upload-Offset``).
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.core.scoping import get_in_scope
from zhifa.records.services import FileTypeRefused

from .. import links, numbers, services
from ..models import Capture, DocumentLink, ReservedNumber
from .serializers import (
    CaptureSerializer,
    CaptureSubmitSerializer,
    DocumentLinkMadeSerializer,
    DocumentLinkSerializer,
    LinkCreateSerializer,
    ReservedNumberSerializer,
    ReserveSerializer,
    ResolveSerializer,
    ReturnedSerializer,
    VoidSerializer,
)

ERROR_RESPONSE = inline_serializer("MobileError", {"error": serializers.DictField(), "capture": CaptureSerializer()})


class BundleView(APIView):
    """离线包：本人承办的未结案件和待进行的行政检查（存入设备的 IndexedDB）。"""

    scope_area = "cases"

    @extend_schema(responses=inline_serializer("MobileBundle", {
        "generated_at": serializers.DateTimeField(), "user": serializers.CharField(),
        "cases": serializers.ListField(child=serializers.DictField()),
        "inspections": serializers.ListField(child=serializers.DictField()),
        "kinds": serializers.ListField(child=serializers.DictField()),
    }))
    def get(self, request):
        response = Response(services.bundle_for(request.user))
        response["Cache-Control"] = "no-store"
        return response


class CaptureListView(generics.ListAPIView):
    """本人的采集件（最新在前），用于核对同步状态。"""

    serializer_class = CaptureSerializer
    scope_area = "cases"
    filter_backends = []

    def get_queryset(self):
        return services.captures_for(self.request.user).select_related("case", "upload", "stored_file")


class CaptureView(APIView):
    """一个采集件（按设备生成的幂等键）：PUT 提交或推进（重复提交返回同一结果），GET 查看状态。"""

    scope_area = "cases"
    parser_classes = [JSONParser]

    def _own(self, request, key) -> Capture:
        capture = (Capture.objects.restrict(request.user, "view").filter(owner=request.user, key=key)
                   .select_related("case", "upload", "stored_file").first())
        if capture is None:
            raise Http404
        return capture

    @extend_schema(responses=CaptureSerializer)
    def get(self, request, key):
        return Response(CaptureSerializer(self._own(request, key)).data)

    @extend_schema(request=CaptureSubmitSerializer, responses={
        200: CaptureSerializer, 201: CaptureSerializer,
        422: OpenApiResponse(ERROR_RESPONSE, description="文件哈希校验不符（上传已重新开始）"),
    })
    def put(self, request, key):
        existing = Capture.objects.restrict(request.user, "change").filter(owner=request.user, key=key).exists()
        data = {}
        if not existing:
            submitted = CaptureSubmitSerializer(data=request.data)
            submitted.is_valid(raise_exception=True)
            data = submitted.validated_data
        try:
            capture, created = services.receive(request.user, key, data)
        except services.HashMismatch as exc:
            body = {"error": {"status": 422, "code": "hash_mismatch", "message": exc.message,
                              "fields": {"sha256": [exc.message]}},
                    "capture": CaptureSerializer(exc.capture).data}
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        except FileTypeRefused as exc:
            message = exc.messages[0]
            return Response({"error": {"status": 415, "code": "file_type_refused", "message": message,
                                       "fields": {"file": [message]}}}, status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
        capture = (Capture.objects.restrict(request.user, "view").select_related("case", "upload", "stored_file")
                   .get(pk=capture.pk))
        return Response(CaptureSerializer(capture).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ResolveView(APIView):
    """处理冲突的采集件：重新入卷、附说明补录到案件记录、或写明理由作废。"""

    scope_area = "cases"
    parser_classes = [JSONParser]

    @extend_schema(request=ResolveSerializer, responses=CaptureSerializer)
    def post(self, request, key):
        capture = get_in_scope(Capture.objects.all(), request.user, "change", key=key, owner=request.user)
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        capture = services.resolve(capture, actor=request.user, **serializer.validated_data)
        return Response(CaptureSerializer(capture).data)


# --- pre-numbered decision forms (预编号当场处罚决定书) ---------------------------------------------


class NumberListView(generics.ListAPIView):
    """预编号当场处罚决定书：本人领用的；承办机构、机关负责人看本机关的（最新在前）。"""

    serializer_class = ReservedNumberSerializer
    scope_area = "cases"
    filter_backends = []

    def get_queryset(self):
        return numbers.visible_numbers(self.request.user)


class ReserveView(APIView):
    """领用一批预编号（取自本机关当场处罚决定书的同一编号序列）。"""

    scope_area = "cases"
    parser_classes = [JSONParser]

    @extend_schema(request=ReserveSerializer, responses={201: ReservedNumberSerializer(many=True)})
    def post(self, request):
        data = ReserveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reserved = numbers.reserve(actor=request.user, **data.validated_data)
        return Response(ReservedNumberSerializer(reserved, many=True).data, status=status.HTTP_201_CREATED)


class VoidView(APIView):
    """作废一个预编号（写明理由；编号保留并显示）。"""

    scope_area = "cases"
    parser_classes = [JSONParser]

    @extend_schema(request=VoidSerializer, responses=ReservedNumberSerializer)
    def post(self, request, pk):
        number = get_in_scope(ReservedNumber.objects.all(), request.user, "change", pk=pk)
        data = VoidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(ReservedNumberSerializer(numbers.void(number, actor=request.user, **data.validated_data)).data)


class ReturnBlockView(APIView):
    """退回该编号所在批次中未使用的编号。"""

    scope_area = "cases"
    parser_classes = [JSONParser]

    @extend_schema(request=None, responses=ReturnedSerializer)
    def post(self, request, pk):
        number = get_in_scope(ReservedNumber.objects.all(), request.user, "change", pk=pk)
        return Response({"returned": numbers.return_block(number.block, actor=request.user)})


# --- one-time links for the party (送达链接) ----------------------------------------------------


class LinkCreateView(APIView):
    """为处罚决定书生成当事人一次性下载链接（72小时内有效、最多下载3次）；链接和二维码只返回这一次。"""

    scope_area = "cases"
    parser_classes = [JSONParser]

    @extend_schema(request=LinkCreateSerializer, responses={201: DocumentLinkMadeSerializer})
    def post(self, request):
        data = LinkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = links.linkable_document(request.user, data.validated_data["document"])
        link, token = links.create(document, actor=request.user)
        url = request.build_absolute_uri(links.public_path(token))
        link.url, link.qr = url, links.qr_data_uri(url)
        return Response(DocumentLinkMadeSerializer(link).data, status=status.HTTP_201_CREATED)


class LinkRevokeView(APIView):
    """撤销下载链接；此后打开该链接显示“已撤销”（410）。"""

    scope_area = "cases"
    parser_classes = [JSONParser]

    @extend_schema(request=None, responses=DocumentLinkSerializer)
    def post(self, request, pk):
        link = get_in_scope(DocumentLink.objects.all(), request.user, "change", pk=pk)
        return Response(DocumentLinkSerializer(links.revoke(link, actor=request.user)).data)
