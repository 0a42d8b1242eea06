"""Publicity API: every change goes through ``zhifa.publicity.services``."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.core.api.public import PublicReadOnlyViewSet
from zhifa.core.api.viewsets import ScopedReadOnlyViewSet
from zhifa.core.filters import FilterSet

from .. import choices, services
from ..filters import PublicationFilterSet, public_search
from ..forms import PublicSearchForm
from ..models import Publication, PublicationAction
from . import serializers as s


class PublicationViewSet(ScopedReadOnlyViewSet):
    """执法决定公示记录（本机关范围）。登记其他决定 ``POST /publications/``（许可、征收征用等）；
    调整遮蔽 ``/redact/``；审核发布 ``/release/``；不予公开 ``/decline/``；登记撤销变更 ``/actions/``；
    办理撤回或注明 ``POST /publications/actions/{id}/apply/``。"""

    queryset = Publication.objects.select_related("agency")
    serializer_class = s.PublicationSerializer
    filterset_class = PublicationFilterSet
    ordering_fields = ["due_on", "decided_on", "published_on"]
    required_actions = {"create": "change", "redact": "change", "release": "release", "decline": "release",
                        "actions": "change", "apply": "release"}

    def get_serializer_class(self):
        return s.PublicationDetailSerializer if self.action == "retrieve" else s.PublicationSerializer

    def _publication(self, pk):
        return get_object_or_404(Publication.objects.restrict(self.request.user, "change"), pk=pk)

    def _out(self, publication, code=status.HTTP_200_OK):
        return Response(s.PublicationDetailSerializer(Publication.objects.get(pk=publication.pk)).data, status=code)

    @extend_schema(request=s.RegisterSerializer, responses=s.PublicationDetailSerializer)
    def create(self, request):
        """登记未在本系统办理的执法决定，按期公示。"""
        body = s.RegisterSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        return self._out(services.register_decision(actor=request.user, **body.validated_data), status.HTTP_201_CREATED)

    @extend_schema(request=s.RedactionsSerializer, responses=s.PublicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def redact(self, request, pk=None):
        """另行遮蔽商业秘密等内容并重新生成公示文本。"""
        body = s.RedactionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(services.set_redactions(self._publication(pk), actor=request.user,
                                                 redactions=body.validated_data["redactions"]))

    @extend_schema(request=None, responses=s.PublicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """审核发布到公示平台。"""
        return self._out(services.release(self._publication(pk), actor=request.user))

    @extend_schema(request=s.DeclineSerializer, responses=s.PublicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """依法不予公开并说明理由。"""
        body = s.DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(services.decline(self._publication(pk), actor=request.user, **body.validated_data))

    @extend_schema(request=s.RegisterActionSerializer, responses=s.ActionSerializer)
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        """登记决定被撤销、变更或确认违法：3个工作日内撤回或注明。"""
        body = s.RegisterActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.register_action(self._publication(pk), actor=request.user, **body.validated_data)
        return Response(s.ActionSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.PublicationDetailSerializer)
    @action(detail=False, methods=["post"], url_path=r"actions/(?P<action_pk>\d+)/apply")
    def apply(self, request, action_pk=None):
        """办理撤回或注明。"""
        publications = Publication.objects.restrict(request.user, "change").values("pk")
        item = get_object_or_404(PublicationAction, pk=action_pk, publication__in=publications)
        return self._out(services.apply_action(item, actor=request.user))


class PublicFilter(FilterSet):
    """Documents the open-data query parameters (applied through ``public_search``)."""

    q = django_filters.CharFilter(label="关键词（中文分词全文检索）", method="noop")
    agency = django_filters.NumberFilter(label="执法机关编号", method="noop")
    kind = django_filters.ChoiceFilter(label="决定类别", choices=choices.KIND_CHOICES, method="noop")
    since = django_filters.DateFilter(label="决定日期自", method="noop")
    until = django_filters.DateFilter(label="决定日期至", method="noop")
    min_amount = django_filters.NumberFilter(label="罚款金额不低于", method="noop")
    max_amount = django_filters.NumberFilter(label="罚款金额不高于", method="noop")

    class Meta:
        model = Publication
        fields = []

    def noop(self, queryset, name, value):
        return queryset


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("format", str, enum=["json", "csv"])]))
class PublicPublicationViewSet(PublicReadOnlyViewSet):
    """已公示的执法决定（个人信息已遮蔽）。列表支持全文检索与筛选；``?format=csv`` 下载全部结果。"""

    queryset = Publication.objects.select_related("agency").only(*s.PUBLIC_RECORD_FIELDS)
    serializer_class = s.PublicPublicationSerializer
    filterset_class = PublicFilter
    csv_filename = "publications.csv"

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        form = PublicSearchForm(self.request.query_params)
        if not form.is_valid():
            from rest_framework.exceptions import ValidationError

            raise ValidationError(form.errors)
        return public_search(queryset, form.cleaned_data)
