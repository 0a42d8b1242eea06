"""Serializers of the statistics API: the internal one carries the whole frozen figures; the
open-data one lists its fields explicitly, flat, so the CSV has one column per figure."""

from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField

from ..models import AnnualReport, RegionReport
from ..rendering import AMOUNTS, SUMMARY


class AnnualReportSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = AnnualReport
        fields = ["id", "agency", "agency_name", "year", "status", "status_display", "generated_at", "published_at",
                  "data"]
        read_only_fields = fields


class RegionReportSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = RegionReport
        fields = ["id", "region", "region_code", "region_name", "year", "status", "status_display", "agency_count",
                  "missing_count", "generated_at", "published_at", "data"]
        read_only_fields = fields


def _count_field(key, label):
    return serializers.IntegerField(source=f"data.counts.{key}", label=label, read_only=True, default=0)


def _amount_field(key, label):
    return serializers.DecimalField(source=f"data.amounts.{key}", label=label, max_digits=16, decimal_places=2,
                                    read_only=True, coerce_to_string=True, default="0.00")


class _FiguresSerializer(serializers.Serializer):
    """The figures (one field per count and amount), shared by both open-data serializers."""

    def get_fields(self):
        fields = super().get_fields()
        for key, label, level in SUMMARY:
            fields[key] = _count_field(key, label.removeprefix("其中：") if level else label)
        for key, label in AMOUNTS:
            fields[f"{key}_amount"] = _amount_field(key, label)
        fields["penalty_kinds"] = serializers.SerializerMethodField(label="行政处罚按种类（件）")
        return fields

    def get_penalty_kinds(self, obj) -> dict[str, int]:
        return {e["kind"]: e["count"] for e in obj.data.get("penalty_kinds", []) if e.get("count")}


class PublicAnnualReportSerializer(_FiguresSerializer):
    """An agency's published annual report (执法主体年报)."""

    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(label="年度", read_only=True)
    agency_name = serializers.CharField(source="agency.name", label="执法主体", read_only=True)
    region_code = serializers.CharField(source="agency.region.code", label="行政区划代码", read_only=True)
    region_name = serializers.CharField(source="agency.region.name", label="行政区划", read_only=True)
    published_at = serializers.DateTimeField(label="发布时间", read_only=True)


class PublicRegionReportSerializer(_FiguresSerializer):
    """A region's published roll-up (区域汇总)."""

    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(label="年度", read_only=True)
    region_code = serializers.CharField(source="region.code", label="行政区划代码", read_only=True)
    region_name = serializers.CharField(source="region.name", label="行政区划", read_only=True)
    agency_count = serializers.IntegerField(label="纳入汇总的执法主体数", read_only=True)
    missing_count = serializers.IntegerField(label="未发布年报的执法主体数", read_only=True)
    published_at = serializers.DateTimeField(label="发布时间", read_only=True)
