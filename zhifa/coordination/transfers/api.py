"""API of case transfers, jurisdiction disputes and clue referrals: scoped reads and one action
per service step (JSON only). Errors are the services' own, as structured API errors."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from zhifa.cases.models import Case
from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedReadOnlyViewSet
from zhifa.core.scoping import get_in_scope

from ..models import CaseTransfer, ClueReferral, JurisdictionDispute
from . import clues, forms, services


def _service_errors(exc: ValidationError):
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


def _agency(pk, label, **extra):
    agency = forms.agency_choices(**extra).filter(pk=pk).first()
    if agency is None:
        raise serializers.ValidationError({label: ["机关不存在或不是有效的行政执法主体。"]})
    return agency


def _start_on_case(request, input_serializer, agency_field, func, output_serializer):
    """Start a transfer or a dispute on a case the user may change, naming the other agency."""
    data = input_serializer(data=request.data)
    data.is_valid(raise_exception=True)
    values = dict(data.validated_data)
    case = get_in_scope(Case.objects.all(), request.user, "change", pk=values.pop("case"))
    values[agency_field] = _agency(values[agency_field], agency_field)
    made = _call(func, case, actor=request.user, **values)
    return Response(output_serializer(made).data, status=201)


class CaseTransferSerializer(serializers.ModelSerializer):
    status_label = DisplayField(source="get_status_display")
    from_agency_name = serializers.CharField(source="from_agency.name", read_only=True)
    to_agency_name = serializers.CharField(source="to_agency.name", read_only=True)
    letter_number = serializers.CharField(source="letter.number", read_only=True, default="")

    class Meta:
        model = CaseTransfer
        fields = ["id", "case", "from_agency", "from_agency_name", "to_agency", "to_agency_name", "status",
                  "status_label", "reason", "legal_basis", "sent_at", "answer_due", "received_at", "answered_at",
                  "return_reason", "letter", "letter_number", "record_seq"]
        read_only_fields = fields


class SendTransferSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    to_agency = serializers.IntegerField()
    reason = serializers.CharField()
    legal_basis = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    materials = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReturnTransferSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CaseTransferViewSet(ScopedReadOnlyViewSet):
    """案件移送：办案机关移送（生成案件移送函）→ 受移送机关签收 → 负责人接收（案件及其全过程记录随之移交）或说明理由退回。
    移送机关和受移送机关都能看到移送；接收后移送机关只读。"""

    queryset = CaseTransfer.objects.select_related("from_agency", "to_agency", "letter")
    serializer_class = CaseTransferSerializer
    parser_classes = [JSONParser]
    filterset_fields = ["status", "case"]

    def _run(self, func, **kwargs):
        transfer = _call(func, self.get_object(), actor=self.request.user, **kwargs)
        return Response(CaseTransferSerializer(transfer).data)

    @extend_schema(request=SendTransferSerializer, responses={201: CaseTransferSerializer})
    @action(detail=False, methods=["post"])
    def send(self, request):
        return _start_on_case(request, SendTransferSerializer, "to_agency", services.send, CaseTransferSerializer)

    @extend_schema(request=None, responses=CaseTransferSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        return self._run(services.receive)

    @extend_schema(request=None, responses=CaseTransferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._run(services.accept)

    @extend_schema(request=ReturnTransferSerializer, responses=CaseTransferSerializer, operation_id="case_transfers_return")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = ReturnTransferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(services.return_transfer, reason=data.validated_data["reason"])


class DisputeSerializer(serializers.ModelSerializer):
    status_label = DisplayField(source="get_status_display")
    kind_label = DisplayField(source="get_kind_display")

    class Meta:
        model = JurisdictionDispute
        fields = ["id", "case", "kind", "kind_label", "raised_by_agency", "other_agency", "office",
                  "deciding_authority", "statement", "status", "status_label", "raised_at", "decision_due",
                  "decided_at", "designated_agency", "decision_reasons"]
        read_only_fields = fields


class RaiseDisputeSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    other_agency = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["claim", "decline"])
    statement = serializers.CharField()


class DecideDisputeSerializer(serializers.Serializer):
    designated_agency = serializers.IntegerField()
    reasons = serializers.CharField()


def _call(func, *args, **kwargs):
    from django.core.exceptions import PermissionDenied

    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        raise _service_errors(exc) from None
    except PermissionDenied as exc:
        raise ApiPermissionDenied(str(exc)) from None


class JurisdictionDisputeViewSet(ScopedReadOnlyViewSet):
    """管辖争议：办案机关提请 → 两机关共同所在行政区划的司法行政部门（协调机关）在期限内指定管辖（说明理由）→ 案件移交被指定的机关。
    争议未决前案件不能作出决定。"""

    queryset = JurisdictionDispute.objects.select_related("office")
    serializer_class = DisputeSerializer
    # the office's supervisors decide without the cases "change" capability (services.may_decide checks who)
    required_actions = {"decide": "view"}
    parser_classes = [JSONParser]
    filterset_fields = ["status", "case"]

    @extend_schema(request=RaiseDisputeSerializer, responses={201: DisputeSerializer}, operation_id="disputes_raise")
    @action(detail=False, methods=["post"], url_path="raise")
    def raise_(self, request):
        return _start_on_case(request, RaiseDisputeSerializer, "other_agency", services.raise_dispute,
                              DisputeSerializer)

    @extend_schema(request=DecideDisputeSerializer, responses=DisputeSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        dispute = self.get_object()
        data = DecideDisputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = _agency(data.validated_data["designated_agency"], "designated_agency")
        dispute = _call(services.decide_dispute, dispute, actor=request.user, designated_agency=agency,
                        reasons=data.validated_data["reasons"])
        return Response(DisputeSerializer(dispute).data)


class ClueReferralListSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClueReferral
        fields = ["id", "case", "receiving_organ", "referred_on"]
        read_only_fields = fields


class ClueReferralSerializer(serializers.ModelSerializer):
    readers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ClueReferral
        fields = ["id", "case", "receiving_organ", "contact", "official", "facts", "evidence_refs", "readers",
                  "referred_on", "created_by"]
        read_only_fields = fields


class ReferClueSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    receiving_organ = serializers.CharField(max_length=100)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    official = serializers.CharField(max_length=200)
    facts = serializers.CharField(max_length=4000)
    evidence_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    readers = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class ClueReferralViewSet(ScopedReadOnlyViewSet):
    """问题线索移送（纪检监察）：仅移送人和指定阅读人可见；列表不含线索内容，每次查阅详情记入访问日志。"""

    queryset = ClueReferral.objects.all()
    serializer_class = ClueReferralSerializer
    parser_classes = [JSONParser]

    def get_serializer_class(self):
        return ClueReferralListSerializer if self.action == "list" else ClueReferralSerializer

    def retrieve(self, request, *args, **kwargs):
        referral = clues.read(self.get_object(), request.user, request)
        return Response(ClueReferralSerializer(referral).data)

    @extend_schema(request=ReferClueSerializer, responses={201: ClueReferralSerializer})
    @action(detail=False, methods=["post"])
    def refer(self, request):
        data = ReferClueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = get_in_scope(Case.objects.all(), request.user, "change", pk=values.pop("case"))
        referral = _call(clues.refer, case, actor=request.user, **values)
        return Response(ClueReferralSerializer(referral).data, status=201)
