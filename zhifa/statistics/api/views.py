"""Statistics API: internal read-only viewsets (scoped) and the open-data viewsets (published only)."""

from zhifa.core.api.public import PublicReadOnlyViewSet
from zhifa.core.api.viewsets import ScopedReadOnlyViewSet

from ..models import AnnualReport, RegionReport
from . import filters
from . import serializers as s


class AnnualReportViewSet(ScopedReadOnlyViewSet):
    """执法主体统计年报（管辖范围内，含草稿）。可按 ``year``、``status``、``agency``、``region``（行政区划代码，含下级）筛选。"""

    queryset = AnnualReport.objects.select_related("agency")
    serializer_class = s.AnnualReportSerializer
    filterset_class = filters.AnnualReportFilterSet
    ordering_fields = ["year", "published_at"]


class RegionReportViewSet(ScopedReadOnlyViewSet):
    """区域统计汇总（管辖范围内）。"""

    queryset = RegionReport.objects.select_related("region")
    serializer_class = s.RegionReportSerializer
    filterset_class = filters.RegionReportFilterSet
    ordering_fields = ["year", "published_at"]


class PublicAnnualReportViewSet(PublicReadOnlyViewSet):
    """已发布的执法主体行政执法统计年报（每年1月31日前发布）。每一统计项目一个字段；
    ``?format=csv`` 下载全部筛选结果。可按 ``year``、``agency``、``region``（行政区划代码，含下级）筛选。"""

    queryset = AnnualReport.objects.select_related("agency__region").order_by("-year", "agency__region__code",
                                                                              "agency__name", "id")
    serializer_class = s.PublicAnnualReportSerializer
    filterset_class = filters.PublicAnnualReportFilterSet
    csv_filename = "statistics-agencies.csv"
    search_fields = []
    ordering_fields = []


class PublicRegionReportViewSet(PublicReadOnlyViewSet):
    """已发布的区域行政执法统计汇总（每年2月底前发布）。``?format=csv`` 下载全部筛选结果。"""

    queryset = RegionReport.objects.select_related("region").order_by("-year", "region__code", "id")
    serializer_class = s.PublicRegionReportSerializer
    filterset_class = filters.PublicRegionReportFilterSet
    csv_filename = "statistics-regions.csv"
    search_fields = []
    ordering_fields = []
