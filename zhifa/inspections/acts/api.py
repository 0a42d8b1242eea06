"""API of the inspection act (行政检查): inspections in the user's scope, their creation (the same
``services.create_inspection`` as the web form), every step of the procedure (``POST …/step/``),
扫码入企 (``POST …/scan/``: the code with time and place, from the phone), evidence and the
annual caps. Refusals are the services' Chinese sentences in the structured error."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.catalog.models import Item
from zhifa.core.api.viewsets import ScopedReadOnlyViewSet, ScopedSerializerMixin
from zhifa.core.scoping import get_in_scope
from zhifa.orgs.models import Agency
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.records.models import Upload

from ..models.devices import Device
from ..models.inspection import (
    CAP_EXCEPTION_CHOICES,
    KIND_CHOICES,
    LINE_RESULT_CHOICES,
    NOTICE_METHOD_CHOICES,
    ORIGIN_CHOICES,
    Inspection,
    InspectionCap,
    InspectionChecklistLine,
)
from . import services
from .procedure import PROCEDURE


class InspectionActLineSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = InspectionChecklistLine
        fields = ["id", "agency", "agency_name", "item", "item_code", "item_name", "result", "note"]
        read_only_fields = fields


class InspectionActOptionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="步骤代码（POST …/step/ 的 step）")
    name = serializers.CharField()
    available = serializers.BooleanField()
    refusal = serializers.CharField(help_text="现在不能办理的原因")


class InspectionActListSerializer(serializers.ModelSerializer):
    stage_name = serializers.CharField(read_only=True)
    party_name = serializers.CharField(source="party.name", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "number", "kind", "origin_kind", "stage", "stage_name", "agency", "agency_name", "party",
                  "party_name", "joint", "planned_on", "emergency", "approved_at", "scanned_at", "result",
                  "publication_due_on", "published_on"]
        read_only_fields = fields


class InspectionActSerializer(InspectionActListSerializer):
    lines = InspectionActLineSerializer(many=True, read_only=True)
    officers = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    actions = serializers.SerializerMethodField(help_text="从当前环节可以办理的步骤及不能办理的原因")
    approval_missing = serializers.BooleanField(read_only=True)
    scan_missing = serializers.BooleanField(read_only=True)

    class Meta(InspectionActListSerializer.Meta):
        fields = InspectionActListSerializer.Meta.fields + [
            "origin_reference", "subject", "place", "officers", "lines", "cap_exception", "cap_exception_reason",
            "emergency_reason", "approval_opinion", "notified_at", "notice_method", "scan_method", "scan_place",
            "scan_latitude", "scan_longitude", "scan_missing_reason", "started_at", "ended_at", "findings",
            "correction_requirements", "correction_due_on", "reviewed_on", "review_result", "review_note", "case",
            "public_summary", "approval_missing", "scan_missing", "actions"]
        read_only_fields = fields

    @extend_schema_field(InspectionActOptionSerializer(many=True))
    def get_actions(self, obj) -> list[dict]:
        request = self.context.get("request")
        if request is None:
            return []
        return [{"code": o.code, "name": o.name, "available": o.available, "refusal": o.refusal}
                for o in services.available_actions(obj, request.user)]


class InspectionActCreateSerializer(ScopedSerializerMixin, serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), help_text="牵头执法主体")
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all(), help_text="被检查企业")
    items = serializers.PrimaryKeyRelatedField(many=True, queryset=Item.objects.public(),
                                               help_text="检查事项（已公布的行政检查事项，可含其他部门的事项）")
    officers = serializers.PrimaryKeyRelatedField(many=True, queryset=Officer.objects.public(),
                                                  help_text="检查人员（两名以上持证执法人员）")
    planned_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=KIND_CHOICES, default="routine")
    origin_kind = serializers.ChoiceField(choices=ORIGIN_CHOICES, default="plan")
    origin_reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    emergency = serializers.BooleanField(default=False)
    emergency_reason = serializers.CharField(required=False, allow_blank=True, default="")
    cap_exception = serializers.ChoiceField(choices=CAP_EXCEPTION_CHOICES, required=False, allow_blank=True,
                                            default="")
    cap_exception_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class InspectionActLineResultSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="检查表行 id")
    result = serializers.ChoiceField(choices=LINE_RESULT_CHOICES)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionActStepSerializer(serializers.Serializer):
    """One step; the fields each step reads are named beside them."""

    step = serializers.ChoiceField(choices=[(t.code, t.name) for t in PROCEDURE.transitions])
    opinion = serializers.CharField(required=False, allow_blank=True, help_text="approve/refuse/confirm：意见")
    method = serializers.ChoiceField(choices=NOTICE_METHOD_CHOICES + [("scan", "手机扫码"), ("typed", "手工输入")],
                                     required=False, help_text="notify：告知方式；arrive/scan：scan 或 typed")
    code = serializers.CharField(required=False, allow_blank=True, help_text="arrive/scan：企业监管码")
    scanned_at = serializers.DateTimeField(required=False, help_text="arrive/scan：到达时间")
    place = serializers.CharField(required=False, allow_blank=True, help_text="arrive/scan：地点")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="enter_unscanned：未扫码原因")
    findings = serializers.CharField(required=False, allow_blank=True, help_text="record：现场检查情况")
    lines = InspectionActLineResultSerializer(many=True, required=False, help_text="record：每项检查结果")
    requirements = serializers.CharField(required=False, allow_blank=True, help_text="order_correction：改正内容")
    due_on = serializers.DateField(required=False, help_text="order_correction：改正期限")
    corrected = serializers.BooleanField(required=False, help_text="review：是否已改正")
    note = serializers.CharField(required=False, allow_blank=True, help_text="review/open_case：说明")
    line = serializers.IntegerField(required=False, help_text="open_case：发现问题的检查表行 id")
    penalty_item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.public(), required=False,
                                                      help_text="open_case：行政处罚事项")
    cause = serializers.CharField(required=False, allow_blank=True, help_text="open_case：案由")
    facts = serializers.CharField(required=False, allow_blank=True, help_text="open_case：违法事实")
    summary = serializers.CharField(required=False, allow_blank=True, help_text="publish：公示的检查结果")


class InspectionActScanSerializer(serializers.Serializer):
    """扫码入企 from the phone: the code read by the camera (or typed), with time and place."""

    code = serializers.CharField(max_length=40)
    method = serializers.ChoiceField(choices=[("scan", "手机扫码"), ("typed", "手工输入")], default="scan")
    scanned_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180)


class InspectionActEvidenceSerializer(serializers.Serializer):
    stored_file = serializers.IntegerField(help_text="本人上传完成的文件 id（records 上传接口返回的 file id）")
    kind = serializers.CharField(default="audiovisual")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    captured_at = serializers.DateTimeField()
    place_text = serializers.CharField(required=False, allow_blank=True, default="")
    device = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text="执法装备登记中的采集设备 id（执法记录仪、执法终端须在采集时领用给本次检查的执法人员或采集人；"
                  "电子技术监控设备须通过法制和技术审核并公布设置地点）")


class InspectionCapSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = InspectionCap
        fields = ["id", "agency", "agency_name", "year", "max_per_enterprise", "basis"]


def _code(value):
    """Accept the QR text ("ZHIFA-JG:CODE") or the code itself."""
    value = (value or "").strip()
    return value.split(":", 1)[1] if value.upper().startswith("ZHIFA-JG:") else value


class InspectionViewSet(ScopedReadOnlyViewSet):
    """行政检查：列表、详情、登记（POST）、办理步骤（POST …/step/）、扫码入企（POST …/scan/）、证据。"""

    queryset = Inspection.objects.select_related("agency", "party").order_by("-planned_on", "-id")
    serializer_class = InspectionActSerializer
    scope_area = "inspections"
    required_actions = {"create": "change", "step": "change", "scan": "change", "evidence": "change"}

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            return qs
        return qs.prefetch_related(
            "officers", Prefetch("lines", queryset=InspectionChecklistLine.objects.select_related("agency", "item")))

    def get_serializer_class(self):
        return InspectionActListSerializer if self.action == "list" else InspectionActSerializer

    @extend_schema(request=InspectionActCreateSerializer, responses={201: InspectionActSerializer})
    def create(self, request):
        serializer = InspectionActCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inspection = services.create_inspection(actor=request.user, **data)
        return Response(InspectionActSerializer(inspection, context={"request": request}).data, status=201)

    def _target(self, pk):
        return get_in_scope(Inspection.objects.all(), self.request.user, "change", pk=pk)

    @extend_schema(request=InspectionActStepSerializer, responses={200: InspectionActSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        inspection = self._target(pk)
        serializer = InspectionActStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        step = data.pop("step")
        if "lines" in data:
            data["lines"] = {row["line"]: (row["result"], row["note"]) for row in data["lines"]}
        if "line" in data:
            data["line"] = inspection.lines.filter(pk=data["line"]).first()
        if "code" in data:
            data["code"] = _code(data["code"])
        inspection = services.perform(inspection, step, actor=request.user, **data)
        return Response(InspectionActSerializer(inspection, context={"request": request}).data)

    @extend_schema(request=InspectionActScanSerializer, responses={200: InspectionActSerializer})
    @action(detail=True, methods=["post"])
    def scan(self, request, pk=None):
        """扫码入企: on arrival (notified → on_site) or afterwards (补扫) — whichever the stage allows."""
        inspection = self._target(pk)
        serializer = InspectionActScanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["code"] = _code(data["code"])
        step = "arrive" if inspection.stage == "notified" else "scan"
        inspection = services.perform(inspection, step, actor=request.user, **data)
        return Response(InspectionActSerializer(inspection, context={"request": request}).data)

    @extend_schema(request=InspectionActEvidenceSerializer, responses={201: InspectionActSerializer})
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        inspection = self._target(pk)
        serializer = InspectionActEvidenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        upload = Upload.objects.filter(owner=request.user, completed_id=data.pop("stored_file")).select_related(
            "completed").first()
        if upload is None:
            raise serializers.ValidationError({"stored_file": ["只能登记本人上传完成的文件。"]})
        if data.get("device") is not None:
            device = Device.objects.restrict(request.user, "view").filter(pk=data["device"]).first()
            if device is None:
                raise serializers.ValidationError({"device": ["执法装备登记中没有该设备，或不在您的管辖范围内。"]})
            data["device"] = device
        services.add_evidence(inspection, upload.completed, actor=request.user, **data)
        return Response(InspectionActSerializer(inspection, context={"request": request}).data, status=201)


class CapViewSet(viewsets.ModelViewSet):
    """年度检查频次上限：查看（范围内）与公布（机关负责人）。"""

    queryset = InspectionCap.objects.select_related("agency").order_by("-year", "agency__name")
    serializer_class = InspectionCapSerializer
    scope_area = "inspections"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.set_cap(actor=self.request.user, agency=data["agency"], year=data["year"],
                                               max_per_enterprise=data["max_per_enterprise"],
                                               basis=data.get("basis", ""))


class InspectionProcedureViewSet(viewsets.ViewSet):
    """行政检查程序定义（环节、步骤、条件），与办理校验使用同一份定义。"""

    scope_area = "inspections"

    @extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})
    def list(self, request):
        return Response([{"code": PROCEDURE.code, "name": PROCEDURE.name, "basis": PROCEDURE.basis,
                          "flow": PROCEDURE.flow()}])
