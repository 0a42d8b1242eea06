"""The public side of non-site supervision (no login): the published monitoring devices per
region (行政处罚法第四十一条第一款: 设置地点应当向社会公布), their open data, and the party's view of
a record with its code, where it may state and defend (第四十一条第三款)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework import serializers

from zhifa.core.api.public import PublicReadOnlyViewSet
from zhifa.core.views import add_validation_error
from zhifa.portal.filters import PublicFilterSet

from ..models.devices import Device
from . import forms, services

PAGE_SIZE = 50


class PublicDeviceFilterSet(PublicFilterSet):
    """Published monitoring devices: region (of the owning agency), keyword (place, captured matters)."""

    class Meta:
        model = Device
        fields = ["region", "q"]

    def keyword_q(self, value):
        return Q(location__icontains=value) | Q(captures__icontains=value)


def public_devices():
    return (Device.objects.public().select_related("agency", "region")
            .order_by("agency__region__code", "agency_id", "serial", "id"))


def device_list(request):
    """电子技术监控设备设置地点 (published, reviewed, in service)."""
    filterset = PublicDeviceFilterSet(request.GET or None, queryset=public_devices(), request=request)
    qs = filterset.qs if filterset.is_bound else public_devices()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "inspections/devices/public_device_list.html", {
        "title": "电子技术监控设备设置地点", "filterset": filterset, "page": page, "querystring": query.urlencode(),
    })


@never_cache  # a party's own record: never in the portal's shared cache, nor in a proxy's
@require_http_methods(["GET", "POST"])
def record_lookup(request):
    """The party looks up a record with its number and code, views it and may state and defend."""
    lookup = forms.LookupForm(request.GET or None)
    record = None
    statement_form = None
    if lookup.is_valid():
        record = services.find_for_party(lookup.cleaned_data["number"], lookup.cleaned_data["code"])
        if record is None:
            lookup.add_error(None, "记录编号或查询码不正确，请核对告知书或短信。")
        else:
            statement_form = forms.StatementForm(request.POST or None)
            if request.method == "POST" and statement_form.is_valid():
                try:
                    services.submit_statement(record, code=lookup.cleaned_data["code"],
                                              text=statement_form.cleaned_data["text"],
                                              contact=statement_form.cleaned_data["contact"])
                except ValidationError as exc:
                    add_validation_error(statement_form, exc)
                except PermissionDenied as exc:
                    statement_form.add_error(None, str(exc))
                else:
                    messages.success(request, "已提交陈述、申辩，执法机关复核后会告知结果。")
                    return redirect(reverse("devices_public:record_lookup") + "?" + request.GET.urlencode())
    return render(request, "inspections/devices/public_record.html", {
        "title": "非现场执法记录查询", "lookup": lookup, "record": record, "statement_form": statement_form,
        "files": record.files.all() if record else [],
    })


# -- open data (/api/public/monitoring-devices/) ------------------------------------------------


class PublicDeviceSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True, default="")

    class Meta:
        model = Device
        fields = ["id", "serial", "agency", "agency_name", "region_name", "location", "latitude", "longitude",
                  "captures", "legal_review_on", "technical_review_on", "published_on"]
        read_only_fields = fields


class PublicDeviceViewSet(PublicReadOnlyViewSet):
    """已公布设置地点的电子技术监控设备（经法制审核和技术审核、在用）：编号、执法主体、设置地点、坐标、监控事项。"""

    queryset = Device.objects.select_related("agency", "region").order_by("agency__region__code", "agency_id",
                                                                          "serial", "id")
    serializer_class = PublicDeviceSerializer
    filterset_class = PublicDeviceFilterSet
    search_fields = []
    ordering_fields = ["serial"]
    csv_filename = "monitoring-devices.csv"
