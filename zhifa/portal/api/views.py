"""Open-data viewsets (read-only, no login): rows only through ``.public()`` (the base class)."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from zhifa.catalog.models import Benchmark, BenchmarkTier, Item
from zhifa.core import clock
from zhifa.core.api.public import PublicReadOnlyViewSet
from zhifa.orgs.models import Agency, Unit
from zhifa.people.models import Certificate, Officer

from .. import filters, services
from ..models import ServiceGuide
from . import serializers


class AgencyViewSet(PublicReadOnlyViewSet):
    """执法主体：名称、行政区划、主体性质、办公地址、联系电话、职权依据、复议机关和管辖法院。"""

    queryset = Agency.objects.select_related("region").order_by("region__code", "name", "id")
    serializer_class = serializers.PublicAgencySerializer
    filterset_class = filters.AgencyFilterSet
    ordering_fields = ["name"]
    search_fields = []
    csv_filename = "agencies.csv"


class UnitViewSet(PublicReadOnlyViewSet):
    """执法机构（内设机构、中队、乡镇执法队）：办公地址、联系电话和职责。"""

    queryset = Unit.objects.select_related("agency").order_by("agency_id", "name", "id")
    serializer_class = serializers.PublicUnitSerializer
    filterset_class = filters.UnitFilterSet
    ordering_fields = ["name"]
    search_fields = []
    csv_filename = "units.csv"


class OfficerViewSet(PublicReadOnlyViewSet):
    """持有有效执法证的执法人员：姓名、性别、执法主体、执法机构、职务、执法证号、执法领域。"""

    serializer_class = serializers.PublicOfficerSerializer
    filterset_class = filters.OfficerFilterSet
    ordering_fields = ["name"]
    search_fields = []
    csv_filename = "officers.csv"

    def get_queryset(self):
        certificates = (
            Certificate.objects.public().filter(status=Certificate.VALID, expires_on__gte=clock.today())
            .prefetch_related("fields").order_by("number")
        )
        return (
            Officer.objects.public().select_related("home_agency", "unit")
            .prefetch_related(Prefetch("certificates", queryset=certificates, to_attr="public_certificates"))
            .order_by("name", "id")
        )


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("number", str, description="执法证号（必填；不提供时返回空列表）"),
]))
class CertificateStatusViewSet(PublicReadOnlyViewSet):
    """执法证件实时状态：按证号查询（/certificates/?number=证号 或 /certificates/证号/）。"""

    queryset = Certificate.objects.select_related("officer__home_agency").prefetch_related("fields")
    serializer_class = serializers.PublicCertificateStatusSerializer
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    filter_backends = []
    pagination_class = None
    csv_filename = "certificate.csv"

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            number = "".join((self.request.query_params.get("number") or "").split())
            return qs.filter(number=number) if number else qs.none()
        return qs


class ItemViewSet(PublicReadOnlyViewSet):
    """执法事项目录：事项编码、名称、类型、执法领域、实施主体和现行法律依据（条、款、项）。"""

    serializer_class = serializers.PublicItemSerializer
    filterset_class = filters.ItemFilterSet
    ordering_fields = ["code", "name"]
    search_fields = []
    csv_filename = "items.csv"

    def get_queryset(self):
        return (
            Item.objects.public().select_related("agency", "field").prefetch_related(services.public_versions_prefetch())
            .order_by("code", "id")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": clock.today()}


class BenchmarkViewSet(PublicReadOnlyViewSet):
    """行政裁量权基准：事项、版本、有效期、法定罚款幅度和各裁量档次。"""

    serializer_class = serializers.PublicBenchmarkSerializer
    filterset_class = filters.BenchmarkFilterSet
    ordering_fields = ["version"]
    search_fields = []
    csv_filename = "benchmarks.csv"

    def get_queryset(self):
        return (
            Benchmark.objects.public().select_related("item", "item__agency")
            .prefetch_related(Prefetch("tiers", queryset=BenchmarkTier.objects.public()))
            .order_by("item__code", "item_id", "version")
        )


class ServiceGuideViewSet(PublicReadOnlyViewSet):
    """办事指南。"""

    queryset = ServiceGuide.objects.select_related("agency").order_by("agency_id", "title", "id")
    serializer_class = serializers.PublicServiceGuideSerializer
    filterset_class = filters.GuideFilterSet
    ordering_fields = ["title", "updated_at"]
    search_fields = []
    csv_filename = "service-guides.csv"
