"""The desk's API: my to-dos and done items, my messages, my reminder settings, global search.
Everything is the signed-in person's own, or read through ``restrict`` by the providers."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.core import clock

from .. import services
from ..models import Message
from ..reminders import preference_of
from ..search import search
from ..todos import done_for, todos_for
from . import serializers as s


class TodoView(APIView):
    """我的待办（各应用汇总，按期限排序）。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.DeskSerializer, parameters=[OpenApiParameter("kind", str, description="只看某一种类")])
    def get(self, request):
        kind = request.query_params.get("kind")
        desk = todos_for(request.user, today=clock.today(), kinds=[kind] if kind else None)
        return Response(s.DeskSerializer({"items": desk.items, "counts": desk.counts}).data)


class DoneView(APIView):
    """我的已办（本人最近的操作，取自操作日志）。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.DoneSerializer(many=True))
    def get(self, request):
        return Response(s.DoneSerializer(done_for(request.user), many=True).data)


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """我的站内消息；POST ``{id}/read/`` 标记已读，``read-all/`` 全部已读。"""

    serializer_class = s.MessageSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []
    queryset = Message.objects.none()  # for the schema; rows come from get_queryset (the person's own)

    def get_queryset(self):
        return services.my_messages(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=None, responses=s.MessageSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        message = self.get_object()
        services.mark_read(request.user, message.pk)
        message.refresh_from_db()
        return Response(s.MessageSerializer(message).data)

    @extend_schema(request=None, responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}})
    @action(detail=False, methods=["post"], url_path="read-all", pagination_class=None, filter_backends=[])
    def read_all(self, request):
        return Response({"marked": services.mark_read(request.user)})


class PreferenceView(APIView):
    """我的提醒设置（渠道、提前工作日数、每日汇总）。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.PreferenceSerializer)
    def get(self, request):
        return Response(s.PreferenceSerializer(preference_of(request.user)).data)

    @extend_schema(request=s.PreferenceSerializer, responses=s.PreferenceSerializer)
    def put(self, request):
        body = s.PreferenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        pref = services.save_preference(request.user, channels=data.get("channels", []),
                                        lead_days=data.get("lead_days", 2), digest=data.get("digest", True),
                                        gateway_id=data.get("gateway_id", ""))
        return Response(s.PreferenceSerializer(pref).data)


class SearchView(APIView):
    """全局检索：案号、当事人名称或统一社会信用代码、执法证号（均限于本人管辖范围，每组至多10条）。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.SearchGroupSerializer(many=True),
                   parameters=[OpenApiParameter("q", str, required=True, description="检索词")])
    def get(self, request):
        return Response(s.SearchGroupSerializer(search(request.user, request.query_params.get("q", "")).groups,
                                                many=True).data)
