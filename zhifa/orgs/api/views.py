from zhifa.core.api.viewsets import ScopedModelViewSet

from ..filters import AgencyFilterSet, RegionFilterSet, UnitFilterSet
from ..models import Agency, Region, Unit
from .serializers import AgencySerializer, RegionSerializer, UnitSerializer


class RegionViewSet(ScopedModelViewSet):
    """行政区划（GB/T 2260 代码；乡镇街道9位）。"""

    queryset = Region.objects.select_related("parent")
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["code", "name"]


class AgencyViewSet(ScopedModelViewSet):
    """执法主体。"""

    queryset = Agency.objects.select_related("region")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet
    ordering_fields = ["name", "region__code"]


class UnitViewSet(ScopedModelViewSet):
    """执法机构（内设机构、中队、乡镇执法队）。"""

    queryset = Unit.objects.select_related("agency")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["name"]
