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

from .. import services
from ..models import Capture
from .serializers import CaptureSerializer, CaptureSubmitSerializer, ResolveSerializer

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
