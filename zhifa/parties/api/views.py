"""API of parties: scoped CRUD, the logged reveal action and the credit rating history."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import services
from ..filters import CreditRatingFilterSet, PartyFilterSet
from ..models import CreditRating, Party
from .serializers import CreditRatingSerializer, PartyListSerializer, PartySerializer, RevealSerializer


class PartyViewSet(ScopedModelViewSet):
    """当事人（自然人、法人、非法人组织、个体工商户）。

    证件号码和自然人、个体工商户的联系电话在所有响应中均为遮蔽值；有权限的角色通过
    ``POST /reveal/`` 查看单个当事人的完整号码，每次查看记入操作日志。搜索参数 ``q``
    按名称模糊匹配，按完整证件号码或统一社会信用代码精确匹配。
    """

    # prefetch, not a join: with a join SQLite drives the page from the region table and sorts the scope
    queryset = Party.objects.prefetch_related("region", "agency")
    serializer_class = PartySerializer
    filterset_class = PartyFilterSet
    ordering_fields = ["name", "credit_class", "created_at"]
    required_actions = {"reveal": "reveal"}

    def get_queryset(self):
        if self.action == "reveal":
            return self.queryset.restrict(self.request.user, "reveal")
        return super().get_queryset()

    def get_serializer_class(self):
        if self.action == "credit_ratings":
            return CreditRatingSerializer
        if self.action == "reveal":
            return RevealSerializer
        if self.action == "list":
            return PartyListSerializer
        return super().get_serializer_class()

    @extend_schema(request=None, responses={200: RevealSerializer})
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """查看完整证件号码（及个人联系电话）：仅返回本次，并记入操作日志。"""
        party = self.get_object()
        values = services.reveal(party, request.user)
        response = Response({"id": party.pk, **values})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(methods=["GET"], responses={200: CreditRatingSerializer(many=True)})
    @extend_schema(methods=["POST"], request=CreditRatingSerializer, responses={201: CreditRatingSerializer})
    @action(detail=True, methods=["get", "post"], url_path="credit-ratings")
    def credit_ratings(self, request, pk=None):
        """信用风险分类记录：GET 查看历史，POST 新增一条（最新一条同步到当事人）。"""
        party = self.get_object()
        if request.method == "GET":
            ratings = CreditRating.objects.restrict(request.user).filter(party=party).select_related("created_by")
            return Response(CreditRatingSerializer(ratings, many=True).data)
        serializer = CreditRatingSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        rating = services.add_credit_rating(party, user=request.user, **serializer.validated_data)
        return Response(CreditRatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class CreditRatingViewSet(ScopedReadOnlyViewSet):
    """信用风险分类记录（只读；新增请使用当事人的 credit-ratings 操作）。"""

    queryset = CreditRating.objects.select_related("party", "created_by")
    serializer_class = CreditRatingSerializer
    filterset_class = CreditRatingFilterSet
    ordering_fields = ["rated_on"]
