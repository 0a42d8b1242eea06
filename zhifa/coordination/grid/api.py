"""API of grid dispatch (scoped; writes JSON only): grids, dispatch tasks with their steps, patrol reports.

Photos of a report are uploaded first through the resumable upload API (``/api/records/uploads/``) and
named here by upload id."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedReadOnlyViewSet
from zhifa.core.scoping import get_in_scope

from . import forms as grid_forms
from . import models as m
from . import services
from .models import DispatchTask, Grid, GridReport


def _service(call):
    try:
        return call()
    except ValidationError as exc:
        raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from None
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from None


class GridSerializer(serializers.ModelSerializer):
    class Meta:
        model = Grid
        fields = ["id", "code", "name", "township", "agency", "team", "bounds", "polygon", "workers", "is_active"]
        read_only_fields = ["id"]


class GridWriteSerializer(serializers.Serializer):
    township = serializers.IntegerField()
    agency = serializers.IntegerField()
    team = serializers.IntegerField()
    code = serializers.CharField(max_length=12)
    name = serializers.CharField(max_length=60)
    bounds = serializers.CharField()
    polygon = serializers.CharField(required=False, allow_blank=True, default="")
    workers = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    is_active = serializers.BooleanField(required=False, default=True)


class _Choices:
    """Resolves ids to the rows the same page form would offer (the user's reach), else a field error."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def grid_form(self):
        return grid_forms.GridForm(user=self.user)

    def pick(self, field: str, pk, form=None, required=True):
        if pk in (None, ""):
            if required:
                raise serializers.ValidationError({field: ["此项必填。"]})
            return None
        row = (form or self.grid_form).fields[field].queryset.filter(pk=pk).first()
        if row is None:
            raise serializers.ValidationError({field: ["不存在或不在您的管辖范围内。"]})
        return row

    def many(self, field: str, pks, form=None):
        pks = list(dict.fromkeys(pks or []))
        rows = list((form or self.grid_form).fields[field].queryset.filter(pk__in=pks))
        if len(rows) != len(pks):
            raise serializers.ValidationError({field: ["有人员不存在或不在您的管辖范围内。"]})
        return rows


class GridViewSet(ScopedReadOnlyViewSet):
    """网格：乡镇（街道）以下的巡查网格，含网格员和责任执法队伍。新建（POST）和修改（PATCH）由机关负责人、系统管理员办理。"""

    queryset = Grid.objects.prefetch_related("workers")
    serializer_class = GridSerializer
    parser_classes = [JSONParser]
    filterset_fields = ["township", "team", "is_active"]

    def _save(self, grid, request):
        data = GridWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        choices = _Choices(request.user)
        for field in ("township", "agency", "team"):
            values[field] = choices.pick(field, values[field])
        values["workers"] = choices.many("workers", values["workers"])
        return _service(lambda: services.save_grid(grid, actor=request.user, **values))

    @extend_schema(request=GridWriteSerializer, responses={201: GridSerializer})
    def create(self, request):
        return Response(GridSerializer(self._save(None, request)).data, status=201)

    @extend_schema(request=GridWriteSerializer, responses=GridSerializer)
    def update(self, request, pk=None):
        grid = get_in_scope(Grid.objects.all(), request.user, "change", pk=pk)
        return Response(GridSerializer(self._save(grid, request)).data)


class DispatchTaskSerializer(serializers.ModelSerializer):
    status_label = DisplayField(source="get_status_display")
    kind_label = DisplayField(source="get_kind_display")

    class Meta:
        model = DispatchTask
        fields = ["id", "number", "grid", "agency", "township", "team", "assignees", "kind", "kind_label", "priority",
                  "title", "description", "complaint", "status", "status_label", "dispatched_by", "dispatched_at",
                  "accept_due_at", "due_at", "accepted_at", "accepted_by", "arrived_at", "arrived_latitude",
                  "arrived_longitude", "reported_at", "closed_at", "close_note", "return_reason"]
        read_only_fields = fields


class DispatchSerializer(serializers.Serializer):
    grid = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=m.KIND_CHOICES)
    priority = serializers.ChoiceField(choices=m.PRIORITY_CHOICES, default=m.NORMAL)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField()
    due_at = serializers.DateTimeField()
    team = serializers.IntegerField(required=False, allow_null=True, default=None)
    assignees = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    complaint = serializers.IntegerField(required=False, allow_null=True, default=None)


class ArriveSerializer(serializers.Serializer):
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    device_time = serializers.DateTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(required=False, allow_blank=True, default="")


class ReportWriteSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=m.REPORT_CATEGORY_CHOICES, default="other")
    text = serializers.CharField()
    problem_found = serializers.BooleanField(default=False)
    place = serializers.CharField(max_length=200)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    device_time = serializers.DateTimeField(required=False, allow_null=True, default=None)
    photos = serializers.ListField(child=serializers.UUIDField(), required=False, default=list,
                                   help_text="本人已完成的上传（/api/records/uploads/）的 id，仅限图片，最多9张")


class GridReportWriteSerializer(ReportWriteSerializer):
    grid = serializers.IntegerField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ReassignSerializer(serializers.Serializer):
    reason = serializers.CharField()
    team = serializers.IntegerField(required=False, allow_null=True, default=None)
    assignees = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class GridReportSerializer(serializers.ModelSerializer):
    photos = serializers.SlugRelatedField(many=True, read_only=True, slug_field="hash")

    class Meta:
        model = GridReport
        fields = ["id", "grid", "task", "reporter", "category", "text", "problem_found", "place", "latitude",
                  "longitude", "device_time", "photos", "reported_at", "follow_up", "case", "inspection"]
        read_only_fields = fields


class FollowUpSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[m.FOLLOW_CASE, m.FOLLOW_INSPECTION])
    target = serializers.IntegerField(help_text="已登记的案件或行政检查的 id")


def _report_values(request, data) -> dict:
    values = dict(data)
    values["photos"] = _service(lambda: services.photos_from_uploads(request.user, values.pop("photos")))
    return values


class DispatchTaskViewSet(ScopedReadOnlyViewSet):
    """调度任务：指挥中心派发 → 签收 → 到场（设备时间与定位）→ 反馈 → 办结；队伍可退回，指挥中心可改派。"""

    queryset = DispatchTask.objects.prefetch_related("assignees")
    serializer_class = DispatchTaskSerializer
    parser_classes = [JSONParser]
    filterset_fields = ["status", "grid", "team", "kind", "priority"]
    required_actions = {"create": "command", "reassign": "command", "close": "command"}

    def _task(self):
        return self.get_object()

    def _respond(self, task):
        return Response(DispatchTaskSerializer(task).data)

    @extend_schema(request=DispatchSerializer, responses={201: DispatchTaskSerializer})
    def create(self, request):
        data = DispatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        form = grid_forms.DispatchForm(user=request.user)
        choices = _Choices(request.user)
        values["grid"] = choices.pick("grid", values["grid"], form)
        values["team"] = choices.pick("team", values["team"], form, required=False)
        values["assignees"] = choices.many("assignees", values["assignees"], form)
        if values["complaint"] is not None:
            from zhifa.supervision.models import Complaint

            values["complaint"] = Complaint.objects.restrict(request.user, "view").filter(pk=values["complaint"]).first()
            if values["complaint"] is None:
                raise serializers.ValidationError({"complaint": ["不存在或不在您的管辖范围内。"]})
        task = _service(lambda: services.dispatch(actor=request.user, **values))
        return Response(DispatchTaskSerializer(task).data, status=201)

    @extend_schema(request=None, responses=DispatchTaskSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._respond(_service(lambda: services.accept(self._task(), actor=request.user)))

    @extend_schema(request=ArriveSerializer, responses=DispatchTaskSerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None):
        data = ArriveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(_service(lambda: services.arrive(self._task(), actor=request.user, **data.validated_data)))

    @extend_schema(request=ReportWriteSerializer, responses={201: GridReportSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        task = self._task()
        data = ReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = _report_values(request, data.validated_data)
        report = _service(lambda: services.file_report(actor=request.user, grid=task.grid, task=task, **values))
        return Response(GridReportSerializer(report).data, status=201)

    @extend_schema(request=ReasonSerializer, responses=DispatchTaskSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(_service(lambda: services.send_back(self._task(), actor=request.user,
                                                                 reason=data.validated_data["reason"])))

    @extend_schema(request=ReassignSerializer, responses=DispatchTaskSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        task = self._task()
        data = ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        form = grid_forms.ReassignForm(user=request.user)
        choices = _Choices(request.user)
        values["team"] = choices.pick("team", values["team"], form, required=False)
        values["assignees"] = choices.many("assignees", values["assignees"], form)
        return self._respond(_service(lambda: services.reassign(task, actor=request.user, **values)))

    @extend_schema(request=CloseSerializer, responses=DispatchTaskSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(_service(lambda: services.close(self._task(), actor=request.user,
                                                             note=data.validated_data["note"])))


class GridReportViewSet(ScopedReadOnlyViewSet):
    """巡查上报：网格员或执法人员从手机上报（可不依附任务）；发现问题的可转为案件线索或行政检查。"""

    queryset = GridReport.objects.prefetch_related("photos")
    serializer_class = GridReportSerializer
    parser_classes = [JSONParser]
    filterset_fields = ["grid", "task", "problem_found", "category"]

    @extend_schema(request=GridReportWriteSerializer, responses={201: GridReportSerializer})
    def create(self, request):
        data = GridReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = _report_values(request, data.validated_data)
        form = grid_forms.GridReportForm(user=request.user)
        values["grid"] = _Choices(request.user).pick("grid", values["grid"], form)
        report = _service(lambda: services.file_report(actor=request.user, **values))
        return Response(GridReportSerializer(report).data, status=201)

    @extend_schema(request=FollowUpSerializer, responses=GridReportSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        from .views import _follow_up

        report = self.get_object()
        data = FollowUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(GridReportSerializer(_service(lambda: _follow_up(report, request.user,
                                                                         data.validated_data))).data)
