"""API of the item catalog, benchmarks and the four lists (rows reached through ``restrict``)."""

import datetime

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from zhifa.orgs.models import Agency

from .. import services
from ..filters import (
    BenchmarkFilterSet,
    DelegationFilterSet,
    ItemFilterSet,
    ItemVersionFilterSet,
    SpecialListFilterSet,
)
from ..models import Benchmark, Delegation, Item, ItemVersion, SpecialListEntry
from .serializers import (
    BenchmarkSerializer,
    DelegationSerializer,
    ItemListSerializer,
    ItemReviseSerializer,
    ItemSerializer,
    ItemVersionSerializer,
    SpecialListEntrySerializer,
)


def _date_param(request, name):
    raw = request.query_params.get(name)
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise exceptions.ValidationError({name: ["日期格式应为 YYYY-MM-DD。"]}) from None


class ItemViewSet(ScopedModelViewSet):
    """执法事项（含现行版本）。内容修改请用 ``POST items/{id}/revise/``，每次修订生成新版本。"""

    queryset = Item.objects.select_related("agency", "field").with_current_version()
    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet
    ordering_fields = ["code", "name"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":  # the slim list reads no versions (issue #14)
            return queryset.prefetch_related(None)
        return queryset

    def get_serializer_class(self):
        return ItemListSerializer if self.action == "list" else super().get_serializer_class()

    @extend_schema(request=ItemReviseSerializer, responses={201: ItemVersionSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """修订事项：现行版本于新版本生效日前一日失效，生成新版本。"""
        item = self.get_object()
        serializer = ItemReviseSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        version = serializer.save_revision(item)
        return Response(ItemVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("facts", str, description="案件事实标签，以逗号分隔，例如 首次违法,及时改正"),
                    OpenApiParameter("on", str, description="日期 YYYY-MM-DD，默认今天")],
        responses={200: SpecialListEntrySerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def suggestions(self, request, pk=None):
        """与案件事实相符的四张清单、免罚轻罚清单条目。"""
        item = self.get_object()
        raw = request.query_params.get("facts", "").replace("，", ",").replace("、", ",")
        facts = {f.strip() for f in raw.split(",") if f.strip()}
        entries = services.suggest_special_lists(item, facts, _date_param(request, "on"))
        return Response(SpecialListEntrySerializer(entries, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[OpenApiParameter("acting_agency", int, description="拟实施的执法主体 id"),
                    OpenApiParameter("on", str, description="日期 YYYY-MM-DD，默认今天")],
        responses={200: dict},
    )
    @action(detail=True, methods=["get"])
    def competence(self, request, pk=None):
        """某执法主体在某日是否有权实施本事项（实施主体或有效赋权）。"""
        item = self.get_object()
        agency_id = request.query_params.get("acting_agency", "")
        if not agency_id.isdigit() or not Agency.objects.restrict(request.user).filter(pk=agency_id).exists():
            raise exceptions.ValidationError({"acting_agency": ["执法主体不存在或不在您的管辖范围内。"]})
        on = _date_param(request, "on")
        return Response({"item": item.pk, "agency": int(agency_id), "on": on.isoformat(),
                         "competent": item.is_competent(int(agency_id), on)})


class ItemVersionViewSet(ScopedReadOnlyViewSet):
    """事项版本（只读）。"""

    queryset = ItemVersion.objects.all()
    serializer_class = ItemVersionSerializer
    filterset_class = ItemVersionFilterSet
    ordering_fields = ["valid_from", "number"]


class DelegationViewSet(ScopedModelViewSet):
    """赋权：事项赋予乡镇（街道）实施。"""

    queryset = Delegation.objects.select_related("agency")
    serializer_class = DelegationSerializer
    filterset_class = DelegationFilterSet
    ordering_fields = ["start_date"]


class BenchmarkViewSet(ScopedModelViewSet):
    """行政裁量权基准（含档次）。新建即发布该事项的新版本基准。"""

    queryset = Benchmark.objects.select_related("item").prefetch_related("tiers")
    serializer_class = BenchmarkSerializer
    filterset_class = BenchmarkFilterSet
    ordering_fields = ["valid_from", "review_due", "version"]


class SpecialListEntryViewSet(ScopedModelViewSet):
    """四张清单（不予处罚、减轻处罚、从轻处罚、不予实施行政强制措施）与免罚轻罚清单。"""

    queryset = SpecialListEntry.objects.all()
    serializer_class = SpecialListEntrySerializer
    filterset_class = SpecialListFilterSet
    ordering_fields = ["valid_from", "review_due"]
