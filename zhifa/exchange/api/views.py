"""Exchange API: the signed inbound endpoint for lower-level instances, and the mirrored cases
for the supervisors of this level (read-only, scoped)."""

from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.core.api.viewsets import ScopedReadOnlyViewSet

from .. import services
from ..models import MirroredCase


class MirroredCaseSerializer(serializers.ModelSerializer):
    source_name = serializers.CharField(source="source.label", read_only=True)

    class Meta:
        model = MirroredCase
        exclude = ["uid"]


class MirroredCaseViewSet(ScopedReadOnlyViewSet):
    """下级平台汇交的案件（只读）：上级监督机关查看辖区内下级平台推送的案件及其最近办案环节。"""

    queryset = MirroredCase.objects.select_related("source").order_by("-updated_at", "-id")
    serializer_class = MirroredCaseSerializer
    filterset_fields = ["source", "region_code", "stage", "outcome"]


AnswerSerializer = inline_serializer("ExchangeAnswer", fields={
    "code": serializers.CharField(), "detail": serializers.CharField(),
    "sequence": serializers.IntegerField(required=False), "expected": serializers.IntegerField(required=False),
})


class InboundView(APIView):
    """接收下级平台推送的事件（发件箱格式）：按签名认证、按事件编号去重、按事件流序号保证顺序。

    无需登录令牌：请求须带 ``X-Zhifa-Timestamp`` 与 ``X-Zhifa-Signature``（HMAC-SHA256，密钥为该下级平台的
    签名密钥）。返回 200 表示已接收（``applied``）或此前已接收（``duplicate``）；409 表示缺少前序事件，
    发送方应先补发 ``expected`` 号事件。"""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        parameters=[OpenApiParameter("X-Zhifa-Timestamp", str, OpenApiParameter.HEADER, required=True),
                    OpenApiParameter("X-Zhifa-Signature", str, OpenApiParameter.HEADER, required=True)],
        responses={200: AnswerSerializer, 400: AnswerSerializer, 401: AnswerSerializer, 403: AnswerSerializer,
                   404: AnswerSerializer, 409: AnswerSerializer, 422: AnswerSerializer},
    )
    def post(self, request, source):
        answer = services.receive(source, request.body, request.headers.get("X-Zhifa-Timestamp", ""),
                                  request.headers.get("X-Zhifa-Signature", ""))
        return Response(answer.body(), status=answer.status)

    @classmethod
    def as_view(cls, **initkwargs):
        return csrf_exempt(super().as_view(**initkwargs))

