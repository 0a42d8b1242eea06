"""API of the transfer of suspected crimes: read (scoped), report from a case, and the steps."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from zhifa.cases.models import Case
from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedReadOnlyViewSet
from zhifa.core.scoping import get_in_scope
from zhifa.people.models import Officer

from .. import services
from ..models import CriminalTransfer
from ..views import perform_step


class CriminalTransferSerializer(serializers.ModelSerializer):
    status_label = DisplayField(source="get_status_display")

    class Meta:
        model = CriminalTransfer
        fields = ["id", "case", "status", "status_label", "suspected_offence", "amount", "report", "reporting_officers",
                  "reported_on", "decision_due", "decided_at", "refusal_reason", "transfer_due_at", "transferred_at",
                  "police_organ", "procuratorate", "materials", "police_decision_due", "police_notice_on",
                  "police_case_opened", "police_case_number", "police_reason", "reconsideration_due",
                  "reconsideration_requested_on", "supervision_requested_on", "objection", "handover_due",
                  "handed_over_on", "handover_list"]
        read_only_fields = fields


class ReportSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    officers = serializers.ListField(child=serializers.IntegerField(), min_length=2)
    suspected_offence = serializers.CharField(max_length=100)
    report_text = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0)


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class TransferSerializer(serializers.Serializer):
    police_organ = serializers.CharField(max_length=100)
    procuratorate = serializers.CharField(max_length=100)
    materials = serializers.ListField(child=serializers.CharField(), min_length=1)


class PoliceDecisionSerializer(serializers.Serializer):
    opened = serializers.BooleanField()
    notice_on = serializers.DateField()
    case_number = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ObjectionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=["reconsideration", "supervision"])
    reason = serializers.CharField()


class HandOverSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.CharField(), min_length=1)


class CriminalTransferViewSet(ScopedReadOnlyViewSet):
    """涉嫌犯罪案件移送（两法衔接）：两名以上执法人员报告 → 负责人三日内决定 → 批准后二十四小时内移送并抄送检察院 →
    公安机关三日内决定是否立案 → 不予立案的三日内提请复议或建议立案监督；立案的三日内移交涉案物品。"""

    queryset = CriminalTransfer.objects.select_related("case").prefetch_related("reporting_officers")
    serializer_class = CriminalTransferSerializer
    parser_classes = [JSONParser]
    filterset_fields = ["status", "case"]

    def _step(self, request, step: str, serializer_class):
        transfer = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            transfer = perform_step(transfer, step, data.validated_data, request.user)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from None
        return Response(CriminalTransferSerializer(transfer).data)

    @extend_schema(request=ReportSerializer, responses={201: CriminalTransferSerializer})
    @action(detail=False, methods=["post"])
    def report(self, request):
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = get_in_scope(Case.objects.select_related("item"), request.user, "change", pk=values.pop("case"))
        officer_ids = values.pop("officers")
        officers = list(Officer.objects.filter(pk__in=officer_ids, case_assignments__case=case).distinct())
        if len(officers) != len(set(officer_ids)):
            raise serializers.ValidationError({"officers": ["只能选择本案的执法人员。"]})
        try:
            transfer = services.report(case, actor=request.user, officers=officers, **values)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from None
        return Response(CriminalTransferSerializer(transfer).data, status=201)

    @extend_schema(request=DecideSerializer, responses=CriminalTransferSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._step(request, "decide", DecideSerializer)

    @extend_schema(request=TransferSerializer, responses=CriminalTransferSerializer)
    @action(detail=True, methods=["post"], url_path="transfer")
    def transfer(self, request, pk=None):
        return self._step(request, "transfer", TransferSerializer)

    @extend_schema(request=PoliceDecisionSerializer, responses=CriminalTransferSerializer)
    @action(detail=True, methods=["post"], url_path="police-decision")
    def police_decision(self, request, pk=None):
        return self._step(request, "police", PoliceDecisionSerializer)

    @extend_schema(request=ObjectionSerializer, responses=CriminalTransferSerializer)
    @action(detail=True, methods=["post"])
    def objection(self, request, pk=None):
        return self._step(request, "object", ObjectionSerializer)

    @extend_schema(request=HandOverSerializer, responses=CriminalTransferSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        return self._step(request, "handover", HandOverSerializer)
