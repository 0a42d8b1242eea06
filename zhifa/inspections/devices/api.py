"""API of the equipment register and non-site records (scoped; JSON writes only). Every change
calls ``services``, so the API refuses exactly what the pages refuse, in the same words."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from zhifa.catalog.models import Item
from zhifa.core.api.viewsets import ScopedSerializerMixin
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.records.models import StoredFile, Upload

from ..models.devices import NOTICE_CHANNEL_CHOICES, Device, DeviceIssue, DeviceRecord
from . import services
from .filters import DeviceFilterSet, DeviceRecordFilterSet


class DeviceIssueSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.name", read_only=True)

    class Meta:
        model = DeviceIssue
        fields = ["id", "officer", "officer_name", "issued_at", "returned_at", "note"]
        read_only_fields = fields


class OwnUploadField(serializers.PrimaryKeyRelatedField):
    """A stored file the requesting user uploaded (records upload API), by id."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return StoredFile.objects.none()
        return StoredFile.objects.filter(pk__in=Upload.objects.filter(owner=request.user).values("completed"))


class DeviceSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A device of the register; saved through ``services.save_device`` (rules there)."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    legal_review_file = OwnUploadField(required=False, allow_null=True,
                                       help_text="法制审核意见：本人通过 records 上传接口上传完成的文件 id")
    technical_review_file = OwnUploadField(required=False, allow_null=True,
                                           help_text="技术审核（检定）报告：本人上传完成的文件 id")
    holder_name = serializers.CharField(source="holder.name", read_only=True, default="")

    class Meta:
        model = Device
        fields = ["id", "kind", "serial", "model_name", "agency", "agency_name", "unit", "status", "in_service_on",
                  "retired_on", "location", "region", "latitude", "longitude", "captures",
                  "legal_review_on", "legal_reviewer", "legal_review_conclusion", "legal_review_file",
                  "technical_review_on", "technical_reviewer", "technical_review_conclusion", "technical_review_file",
                  "published", "published_on", "holder", "holder_name"]
        read_only_fields = ["published_on", "holder"]

    def create(self, validated_data):
        return services.save_device(Device(**validated_data), actor=self.context["request"].user)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_device(instance, actor=self.context["request"].user)


class IssueSerializer(ScopedSerializerMixin, serializers.Serializer):
    officer = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all(), help_text="领用人（执法人员 id）")
    issued_at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="留空为现在")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    returned_at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="留空为现在")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeviceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """执法装备登记：电子技术监控设备（法制审核、技术审核、公布设置地点）、执法记录仪和执法终端（领用、归还）。"""

    queryset = (Device.objects.select_related("agency", "holder").defer("holder__id_number", "holder__phone")
                .order_by("agency", "kind", "serial", "id"))
    serializer_class = DeviceSerializer
    filterset_class = DeviceFilterSet
    parser_classes = [JSONParser]
    search_fields = []
    ordering_fields = ["serial"]
    required_actions = {"issue": "change", "return_device": "change", "issues": "view"}

    def get_queryset(self):
        action_name = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        return super().get_queryset().restrict(self.request.user, action_name)

    def perform_create(self, serializer):
        serializer.save()

    @extend_schema(responses=DeviceIssueSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def issues(self, request, pk=None):
        """领用记录（最近在前）。"""
        device = self.get_object()
        return Response(DeviceIssueSerializer(device.issues.select_related("officer").order_by("-issued_at"),
                                              many=True).data)

    @extend_schema(request=IssueSerializer, responses={201: DeviceIssueSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def issue(self, request, pk=None):
        """领用：执法记录仪、执法终端交给一名本主体（含派驻）的在岗人员。"""
        device = self.get_object()
        body = IssueSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        issue = services.issue_device(device, body.validated_data["officer"], actor=request.user,
                                      issued_at=body.validated_data["issued_at"], note=body.validated_data["note"])
        return Response(DeviceIssueSerializer(issue).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReturnSerializer, responses=DeviceIssueSerializer)
    @action(detail=True, methods=["post"], url_path="return", filter_backends=[])
    def return_device(self, request, pk=None):
        """归还。"""
        device = self.get_object()
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        issue = services.return_device(device, actor=request.user, **body.validated_data)
        return Response(DeviceIssueSerializer(issue).data)


class DeviceRecordSerializer(serializers.ModelSerializer):
    device_serial = serializers.CharField(source="device.serial", read_only=True)
    files = serializers.SerializerMethodField(help_text="照片、视频的哈希")
    actions = serializers.SerializerMethodField(help_text="当前用户现在可以办理的步骤")

    class Meta:
        model = DeviceRecord
        fields = ["id", "number", "device", "device_serial", "agency", "captured_at", "place", "party",
                  "party_name", "party_identifier", "item", "content", "files", "status", "is_true", "is_clear",
                  "is_complete", "is_accurate", "review_reason", "reviewed_at", "notice_channel", "notified_at",
                  "notice_text", "statement", "statement_at", "statement_answer", "statement_accepted",
                  "answered_at", "case", "actions"]
        read_only_fields = fields

    def get_files(self, obj) -> list[str]:
        return [f.hash for f in obj.files.all()]

    def get_actions(self, obj) -> dict[str, bool]:
        request = self.context.get("request")
        return services.record_actions(obj, request.user) if request else {}


class CaptureSerializer(ScopedSerializerMixin, serializers.Serializer):
    device = serializers.PrimaryKeyRelatedField(queryset=Device.objects.all(), help_text="电子技术监控设备 id")
    captured_at = serializers.DateTimeField()
    place = serializers.CharField(required=False, allow_blank=True, default="", help_text="留空为设备设置地点")
    party_identifier = serializers.CharField(max_length=40, help_text="号牌号码或统一社会信用代码")
    party_name = serializers.CharField(required=False, allow_blank=True, default="")
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all(), required=False, allow_null=True,
                                               default=None)
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all(), required=False, allow_null=True,
                                              default=None)
    content = serializers.CharField(help_text="记录内容")
    files = serializers.ListField(child=serializers.IntegerField(), min_length=1,
                                  help_text="本人通过 records 上传接口上传完成的文件 id")


class ReviewSerializer(serializers.Serializer):
    is_true = serializers.BooleanField(help_text="真实")
    is_clear = serializers.BooleanField(help_text="清晰")
    is_complete = serializers.BooleanField(help_text="完整")
    is_accurate = serializers.BooleanField(help_text="准确")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="不通过时必填")


class NotifySerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=NOTICE_CHANNEL_CHOICES)
    to = serializers.CharField(max_length=200, help_text="手机号码或送达地址")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()
    accepted = serializers.BooleanField(help_text="陈述、申辩成立（记录不予采用）")


class OpenCaseSerializer(ScopedSerializerMixin, serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all(), required=False, allow_null=True,
                                              default=None, help_text="留空用记录的涉嫌违法事项")
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all(), required=False, allow_null=True,
                                               default=None, help_text="留空用记录的当事人")
    officers = serializers.PrimaryKeyRelatedField(many=True, queryset=Officer.objects.all(),
                                                  help_text="办案人员，第一位为主办")
    cause = serializers.CharField(required=False, allow_blank=True, default="")


class OpenedCaseSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    record = DeviceRecordSerializer()


class DeviceRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """非现场执法记录：登记、审核（真实、清晰、完整、准确）、告知当事人、复核陈述申辩、立案。"""

    queryset = (DeviceRecord.objects.select_related("device").prefetch_related("files")
                .order_by("-captured_at", "-id"))
    serializer_class = DeviceRecordSerializer
    filterset_class = DeviceRecordFilterSet
    parser_classes = [JSONParser]
    search_fields = []
    ordering_fields = ["captured_at"]
    required_actions = {"create": "record", "review": "review", "notify": "record", "answer": "review",
                        "open_case": "record"}

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data, context={"request": self.request})
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _out(self, record, code=status.HTTP_200_OK):
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=code)

    @extend_schema(request=CaptureSerializer, responses={201: DeviceRecordSerializer})
    def create(self, request):
        """登记电子技术监控设备的记录；设备须经审核并公布设置地点、在用。"""
        data = self._body(CaptureSerializer)
        ids = data.pop("files")
        files = list(StoredFile.objects.filter(pk__in=Upload.objects.filter(owner=request.user, completed__in=ids)
                                               .values("completed")))
        if len(files) != len(set(ids)):
            raise exceptions.ValidationError({"files": ["只能登记本人上传完成的文件。"]})
        with transaction.atomic():
            record = services.record_capture(actor=request.user, files=files, **data)
        return self._out(record, status.HTTP_201_CREATED)

    @extend_schema(request=ReviewSerializer, responses=DeviceRecordSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def review(self, request, pk=None):
        """审核（登记人以外的人员）。"""
        return self._out(services.review_record(self.get_object(), actor=request.user,
                                                **self._body(ReviewSerializer)))

    @extend_schema(request=NotifySerializer, responses=DeviceRecordSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def notify(self, request, pk=None):
        """告知当事人：生成告知内容和查询码。"""
        return self._out(services.notify_party(self.get_object(), actor=request.user,
                                               **self._body(NotifySerializer)))

    @extend_schema(request=AnswerSerializer, responses=DeviceRecordSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def answer(self, request, pk=None):
        """复核当事人的陈述、申辩。"""
        return self._out(services.answer_statement(self.get_object(), actor=request.user,
                                                   **self._body(AnswerSerializer)))

    @extend_schema(request=OpenCaseSerializer, responses={201: OpenedCaseSerializer})
    @action(detail=True, methods=["post"], url_path="open-case", filter_backends=[])
    def open_case(self, request, pk=None):
        """依审核通过并已告知的记录立案，记录的照片、视频作为证据。"""
        data = self._body(OpenCaseSerializer)
        case = services.open_case_from_record(self.get_object(), actor=request.user, **data)
        record = self.get_queryset().get(case=case)
        return Response({"case": case.pk, "record": self.get_serializer(record).data},
                        status=status.HTTP_201_CREATED)
