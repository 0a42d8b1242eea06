"""Filters of the equipment register and the non-site records, shared by the HTML lists and the API."""

import django_filters

from zhifa.core.filters import SearchFilterSet
from zhifa.orgs.models import Agency

from ..models.devices import (
    DEVICE_KIND_CHOICES,
    DEVICE_STATUS_CHOICES,
    RECORD_STATUS_CHOICES,
    Device,
    DeviceRecord,
)


class DeviceFilterSet(SearchFilterSet):
    """Devices: serial, model or location (contains); kind, status, agency, published."""

    search_fields = ("serial", "model_name", "location")
    q = django_filters.CharFilter(label="搜索（编号、型号、设置地点）", method="filter_q")
    kind = django_filters.ChoiceFilter(label="设备类别", choices=DEVICE_KIND_CHOICES)
    status = django_filters.ChoiceFilter(label="状态", choices=DEVICE_STATUS_CHOICES)
    agency = django_filters.ModelChoiceFilter(label="执法主体", queryset=Agency.objects.all())
    published = django_filters.BooleanFilter(label="已公布设置地点")

    class Meta:
        model = Device
        fields = ["kind", "status", "agency", "published"]


class DeviceRecordFilterSet(SearchFilterSet):
    """Non-site records: number or party identifier (exact prefix); status, agency, contested."""

    search_fields = ("number__startswith", "party_identifier__startswith")
    q = django_filters.CharFilter(label="搜索（记录编号、号牌号码或信用代码）", method="filter_q")
    status = django_filters.ChoiceFilter(label="审核状态", choices=RECORD_STATUS_CHOICES)
    agency = django_filters.ModelChoiceFilter(label="执法主体", queryset=Agency.objects.all())
    contested = django_filters.BooleanFilter(label="当事人提出陈述申辩", field_name="statement_at",
                                             lookup_expr="isnull", exclude=True)

    class Meta:
        model = DeviceRecord
        fields = ["status", "agency"]
