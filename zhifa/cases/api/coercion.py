"""API of 行政强制 on a case: coercive measures (查封、扣押、冻结) and enforcement (催告、强制执行
决定、申请法院强制执行). Mixed into ``CaseViewSet``; every change calls ``cases.coercion.services``,
so refusals are the same Chinese sentences as on the web pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.core.api.viewsets import ScopedSerializerMixin
from zhifa.people.models import Officer

from ..coercion import models as cm
from ..coercion import rules as coercion_rules
from ..coercion import services as coercion
from ..coercion.procedure import ENFORCEMENT_PROCEDURE, MEASURE_PROCEDURE
from ..services import TransitionRefused
from .serializers import CaseEvidenceField


@extend_schema_field(OpenApiTypes.INT)
class RecordingField(CaseEvidenceField):
    """A recording of the case (evidence id)."""


class InventoryRowSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="财物名称")
    spec = serializers.CharField(required=False, allow_blank=True, default="", help_text="规格")
    quantity = serializers.CharField(help_text="数量")
    unit = serializers.CharField(required=False, allow_blank=True, default="", help_text="单位")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="备注")


class CoercionOptionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="步骤代码（POST …/transition/ 的 transition）")
    name = serializers.CharField()
    available = serializers.BooleanField()
    refusal = serializers.CharField(help_text="现在不能办理的原因")


class MeasureTestingSerializer(serializers.ModelSerializer):
    class Meta:
        model = cm.MeasureTesting
        fields = ["id", "kind", "institution", "started_on", "ended_on", "result"]
        read_only_fields = fields


class CoerciveMeasureSerializer(serializers.ModelSerializer):
    """A coercive measure with its stage, period, flag and the steps the user may take now."""

    stage_name = serializers.CharField(read_only=True)
    officers = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    testings = MeasureTestingSerializer(many=True, read_only=True)
    flag = serializers.SerializerMethodField(help_text="overdue / expiring / approval_overdue 或空")
    flag_text = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(help_text="从当前环节可以办理的步骤及不能办理的原因")

    class Meta:
        model = cm.CoerciveMeasure
        fields = ["id", "kind", "stage", "stage_name", "emergency", "reasons", "basis", "place", "started_at", "inventory",
                  "items", "officers", "recording", "decision_number", "approved_by", "approved_at", "approval_opinion",
                  "expires_on", "expiry_provisional", "extension_days", "extension_reasons", "testings", "ended_on",
                  "end_kind", "end_reason", "end_note", "transferred_to", "flag", "flag_text", "actions"]
        read_only_fields = fields

    def _flag(self, obj) -> str:
        from zhifa.core import clock

        return coercion_rules.state(obj, clock.today(), clock.now())

    def get_flag(self, obj) -> str:
        return self._flag(obj)

    def get_flag_text(self, obj) -> str:
        return coercion_rules.FLAG_TEXTS.get(self._flag(obj), "")

    @extend_schema_field(CoercionOptionSerializer(many=True))
    def get_actions(self, obj) -> list[dict]:
        request = self.context.get("request")
        if request is None:
            return []
        return [{"code": o.code, "name": o.name, "available": o.available, "refusal": o.refusal}
                for o in coercion.measure_actions(obj, request.user)]


class StartMeasureSerializer(ScopedSerializerMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=cm.KIND_CHOICES, help_text="seal 查封、seize 扣押、freeze 冻结（强制拆除不作为强制措施登记）")
    emergency = serializers.BooleanField(default=False, help_text="情况紧急当场实施（行政强制法第十九条）")
    reasons = serializers.CharField(help_text="理由")
    basis = serializers.CharField(help_text="依据（法律条款）")
    place = serializers.CharField(required=False, allow_blank=True, default="")
    started_at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="当场实施时必填")
    inventory = InventoryRowSerializer(many=True, required=False, default=list)
    officers = serializers.PrimaryKeyRelatedField(many=True, required=False, default=list, queryset=Officer.objects.all(),
                                                  help_text="实施的执法人员（两名以上）")
    recording = RecordingField(required=False, allow_null=True, default=None, help_text="全程音像记录：本案录像证据 id")


class MeasureTransitionSerializer(ScopedSerializerMixin, serializers.Serializer):
    """One step of a measure; the fields each step reads are listed beside it."""

    transition = serializers.ChoiceField(choices=[(t.code, t.name) for t in MEASURE_PROCEDURE.transitions])
    opinion = serializers.CharField(required=False, allow_blank=True, help_text="approve/refuse/confirm/disapprove：负责人意见")
    started_at = serializers.DateTimeField(required=False, help_text="execute：实施时间")
    place = serializers.CharField(required=False, allow_blank=True, help_text="execute：实施地点")
    inventory = InventoryRowSerializer(many=True, required=False, help_text="execute：清单")
    officers = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Officer.objects.all(),
                                                  help_text="execute：两名以上执法人员")
    recording = RecordingField(required=False, allow_null=True, help_text="execute：全程音像记录")
    days = serializers.IntegerField(required=False, help_text="extend：延长天数（1–30）")
    reasons = serializers.CharField(required=False, allow_blank=True, help_text="extend：延长理由")
    testing_kind = serializers.ChoiceField(choices=cm.TESTING_KIND_CHOICES, required=False, help_text="start_testing")
    institution = serializers.CharField(required=False, allow_blank=True, help_text="start_testing：检测、鉴定机构")
    started_on = serializers.DateField(required=False, help_text="start_testing：送检日期")
    ended_on = serializers.DateField(required=False, help_text="end_testing：结果送达日期")
    result = serializers.CharField(required=False, allow_blank=True, help_text="end_testing：结果")
    reason = serializers.ChoiceField(choices=cm.RELEASE_REASON_CHOICES, required=False, help_text="release：解除情形")
    note = serializers.CharField(required=False, allow_blank=True, help_text="release/dispose：说明")
    end_kind = serializers.ChoiceField(choices=cm.END_CHOICES, required=False, help_text="dispose：confiscate 没收、destroy 销毁或 transfer 移送")
    transferred_to = serializers.CharField(required=False, allow_blank=True, help_text="dispose（移送）：接收机关")


class EnforcementSerializer(serializers.ModelSerializer):
    stage_name = serializers.CharField(read_only=True)
    actions = serializers.SerializerMethodField(help_text="从当前环节可以办理的步骤及不能办理的原因")

    class Meta:
        model = cm.Enforcement
        fields = ["id", "stage", "stage_name", "obligation", "principal", "surcharge", "reminder_number",
                  "reminder_served_on", "compliance_due_on", "compliance_provisional", "statement", "statement_on",
                  "statement_review", "statement_accepted", "decided_on", "decision_number", "means", "court",
                  "applied_on", "actions"]
        read_only_fields = fields

    @extend_schema_field(CoercionOptionSerializer(many=True))
    def get_actions(self, obj) -> list[dict]:
        request = self.context.get("request")
        if request is None:
            return []
        return [{"code": o.code, "name": o.name, "available": o.available, "refusal": o.refusal}
                for o in coercion.enforcement_actions(obj, request.user)]


class StartEnforcementSerializer(serializers.Serializer):
    served_on = serializers.DateField(required=False, help_text="催告书送达日期（默认今天）")


class EnforcementTransitionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=[(t.code, t.name) for t in ENFORCEMENT_PROCEDURE.transitions])
    statement = serializers.CharField(required=False, allow_blank=True, help_text="statement：当事人陈述、申辩")
    statement_on = serializers.DateField(required=False, help_text="statement：日期")
    review = serializers.CharField(required=False, allow_blank=True, help_text="review：复核意见")
    accepted = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="review：是否采纳")
    means = serializers.CharField(required=False, allow_blank=True, help_text="decide：强制执行方式")
    court = serializers.CharField(required=False, allow_blank=True, help_text="apply_court：人民法院")


def _refused(exc: TransitionRefused):
    return exceptions.ValidationError({"transition": exc.missing, "non_field_errors": [exc.messages[0]]})


class CoercionActionsMixin:
    """The 行政强制 actions of ``CaseViewSet`` (``/api/cases/cases/{id}/…``)."""

    def _measure(self, measure_id):
        case = self.get_object()
        return case, get_object_or_404(case.coercive_measures.all(), pk=measure_id)

    @extend_schema(methods=["GET"], responses=CoerciveMeasureSerializer(many=True))
    @extend_schema(methods=["POST"], request=StartMeasureSerializer, responses={201: CoerciveMeasureSerializer})
    @action(detail=True, methods=["get", "post"], url_path="coercive-measures", pagination_class=None, filter_backends=[])
    def coercive_measures(self, request, pk=None):
        """行政强制措施；POST 申请实施（报机关负责人批准），或情况紧急时当场实施（emergency，须有全程音像记录）。"""
        context = self.get_serializer_context()
        if request.method == "GET":
            measures = self.get_object().coercive_measures.prefetch_related("officers", "testings").order_by("pk")
            return Response(CoerciveMeasureSerializer(measures, many=True, context=context).data)
        case = self._case_for_change()
        data = self._body(StartMeasureSerializer, case)
        try:
            measure = coercion.start_measure(case, actor=request.user, **data)
        except TransitionRefused as exc:
            raise _refused(exc) from None
        return Response(CoerciveMeasureSerializer(measure, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeasureTransitionSerializer, responses=CoerciveMeasureSerializer)
    @action(detail=True, methods=["post"], url_path=r"coercive-measures/(?P<measure_id>\d+)/transition")
    def coercive_measure_transition(self, request, pk=None, measure_id=None):
        """行政强制措施的下一步：approve、refuse、execute、confirm、disapprove、extend、start_testing、end_testing、release、dispose。"""
        case = self._case_for_change()
        measure = get_object_or_404(case.coercive_measures.all(), pk=measure_id)
        data = self._body(MeasureTransitionSerializer, case)
        code = data.pop("transition")
        data["inventory"] = [dict(r) for r in data.get("inventory", [])]
        try:
            measure = coercion.perform_measure(measure, code, actor=request.user, data=data)
        except TransitionRefused as exc:
            raise _refused(exc) from None
        return Response(CoerciveMeasureSerializer(measure, context=self.get_serializer_context()).data)

    @extend_schema(methods=["GET"], responses=EnforcementSerializer(many=True))
    @extend_schema(methods=["POST"], request=StartEnforcementSerializer, responses={201: EnforcementSerializer})
    @action(detail=True, methods=["get", "post"], url_path="enforcements", pagination_class=None, filter_backends=[])
    def enforcements(self, request, pk=None):
        """行政强制执行；POST 送达催告书（当事人逾期不履行后，行政强制法第三十五条）。"""
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(EnforcementSerializer(self.get_object().enforcements.order_by("pk"), many=True,
                                                  context=context).data)
        case = self._case_for_change()
        data = self._body(StartEnforcementSerializer, case)
        try:
            enforcement = coercion.start_enforcement(case, actor=request.user, served_on=data.get("served_on"))
        except TransitionRefused as exc:
            raise _refused(exc) from None
        return Response(EnforcementSerializer(enforcement, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EnforcementTransitionSerializer, responses=EnforcementSerializer)
    @action(detail=True, methods=["post"], url_path=r"enforcements/(?P<enforcement_id>\d+)/transition")
    def enforcement_transition(self, request, pk=None, enforcement_id=None):
        """行政强制执行的下一步：statement、review、decide（强制执行决定）、apply_court（申请人民法院强制执行）。"""
        case = self._case_for_change()
        enforcement = get_object_or_404(case.enforcements.all(), pk=enforcement_id)
        data = self._body(EnforcementTransitionSerializer, case)
        code = data.pop("transition")
        try:
            enforcement = coercion.perform_enforcement(enforcement, code, actor=request.user, data=data)
        except TransitionRefused as exc:
            raise _refused(exc) from None
        return Response(EnforcementSerializer(enforcement, context=self.get_serializer_context()).data)
