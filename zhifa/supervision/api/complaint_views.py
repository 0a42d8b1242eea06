"""Complaints API (投诉举报): staff intake and handling, deadline rules, and the hotline work-order
API that the 12345 / 12348 systems call with a signed request. Every change goes through
``complaints.services``; every staff row is reached through ``restrict``."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from zhifa.cases.models import Case
from zhifa.catalog.models import Item
from zhifa.core.api.viewsets import ScopedReadOnlyViewSet
from zhifa.orgs.models import Agency, Region
from zhifa.parties.models import Party
from zhifa.records.services import events_for

from ..complaints import hotline, services
from ..complaints.identity import read_identity
from ..filters import ComplaintFilterSet
from ..models.complaints import Complaint, DeadlineRule
from . import complaint_serializers as s


def _get(model, request, pk, action="view"):
    if pk is None:
        return None
    return get_object_or_404(model.objects.restrict(request.user, action), pk=pk)


def _reachable_agency(pk):
    """An agency chosen as the handler of a complaint: any active agency (the service checks
    that it is competent for the complaint's region)."""
    if pk is None:
        return None
    return get_object_or_404(Agency._base_manager.filter(is_active=True), pk=pk)


class ComplaintViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """投诉举报：登记来电、来信、来访 ``POST``；分派 ``/route/``、受理 ``/accept/``、转办 ``/transfer/``、
    退回 ``/return/``、处理决定 ``/decide/``、答复 ``/reply/``、办结 ``/close/``、满意度 ``/satisfaction/``；
    投诉举报人信息 ``/identity/``（仅承办链条，记入访问日志）；全过程记录 ``/events/``。"""

    queryset = Complaint.objects.select_related("region", "agency")
    serializer_class = s.ComplaintSerializer
    filterset_class = ComplaintFilterSet
    ordering_fields = ["received_at", "next_due"]
    ordering = ["-received_at", "-id"]
    required_actions = {"route": "route", "accept": "change", "transfer": "change", "return_": "change",
                        "decide": "change", "reply": "change", "close": "change", "satisfaction": "change",
                        "identity": "view", "events": "view"}

    def _complaint(self, pk):
        return get_object_or_404(Complaint.objects.restrict(self.request.user, "view"), pk=pk)

    def _out(self, complaint, code=status.HTTP_200_OK):
        fresh = Complaint.objects.restrict(self.request.user, "view").select_related("region", "agency") \
            .filter(pk=complaint.pk).first()
        if fresh is None:  # transferred or returned out of the actor's reach
            return Response({"id": complaint.pk, "number": complaint.number, "status": complaint.status}, status=code)
        return Response(s.ComplaintSerializer(fresh).data, status=code)

    @extend_schema(request=s.ComplaintStaffIntakeInput, responses={201: s.ComplaintSerializer})
    def create(self, request, *args, **kwargs):
        """登记来电、来信、来访的投诉举报（承办执法主体为空时按执法事项和事发地自动确定，否则待分派）。"""
        body = s.ComplaintStaffIntakeInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        region = _get(Region, request, data.pop("region"))
        values = {
            "agency": _reachable_agency(data.pop("agency")),
            "item": _get(Item, request, data.pop("item")),
            "reported_agency": _reachable_agency(data.pop("reported_agency")),
            "reported_party": _get(Party, request, data.pop("reported_party")),
        }
        complaint, _ = services.receive(actor=request.user, region=region, **values, **data)
        return self._out(complaint, status.HTTP_201_CREATED)

    def _perform(self, request, pk, code, input_class, convert=None):
        body = input_class(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        if convert:
            values = convert(values)
        return self._out(services.perform(self._complaint(pk), code, actor=request.user, **values))

    @extend_schema(request=s.ComplaintRouteInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        """分派承办执法主体（执法监督人员）。"""
        return self._perform(request, pk, "route", s.ComplaintRouteInput,
                             lambda v: {"agency": _reachable_agency(v["agency"])})

    @extend_schema(request=s.ComplaintAcceptInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """受理并指定承办人（本单位人员，默认本人）。"""
        def convert(values):
            ids = set(values.get("handlers") or [])
            users = list(services.agency_staff(self._complaint(pk)).filter(pk__in=ids)) if ids else []
            if len(users) != len(ids):
                raise ValidationError({"handlers": ["承办人须为承办执法主体的执法人员或负责人。"]})
            return {"handlers": users}

        return self._perform(request, pk, "accept", s.ComplaintAcceptInput, convert)

    @extend_schema(request=s.ComplaintTransferInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """转办至有管辖权的执法主体（写明理由）。"""
        return self._perform(request, pk, "transfer", s.ComplaintTransferInput,
                             lambda v: {"agency": _reachable_agency(v["agency"]), "reason": v["reason"]})

    @extend_schema(request=s.ComplaintReasonInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """退回监督机构重新分派（写明理由）。"""
        return self._perform(request, pk, "return", s.ComplaintReasonInput)

    @extend_schema(request=s.ComplaintDecideInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """作出处理决定：立案查处（关联案件）、不予立案或核查处理（写明理由）。"""
        return self._perform(request, pk, "decide", s.ComplaintDecideInput,
                             lambda v: {**v, "case": _get(Case, request, v["case"])})

    @extend_schema(request=s.ComplaintReplyInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """答复投诉举报人。"""
        return self._perform(request, pk, "reply", s.ComplaintReplyInput)

    @extend_schema(request=s.ComplaintCloseInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """办结。"""
        return self._perform(request, pk, "close", s.ComplaintCloseInput)

    @extend_schema(request=s.ComplaintSatisfactionInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def satisfaction(self, request, pk=None):
        """登记回访得到的满意度评价。"""
        body = s.ComplaintSatisfactionInput(data=request.data)
        body.is_valid(raise_exception=True)
        complaint = get_object_or_404(Complaint.objects.restrict(request.user, "change"), pk=pk)
        return self._out(services.record_satisfaction(complaint, body.validated_data["satisfaction"],
                                                      channel=complaint.source, actor=request.user))

    @extend_schema(responses=s.ComplaintIdentitySerializer)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def identity(self, request, pk=None):
        """投诉举报人信息：仅承办人和事发地执法监督人员可查看，每次查看记入访问日志。"""
        return Response(s.ComplaintIdentitySerializer(read_identity(request.user, self._complaint(pk), request._request)).data)

    @extend_schema(responses=s.ComplaintEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        """全过程记录（哈希链）。"""
        return Response(s.ComplaintEventSerializer(events_for(self._complaint(pk).stream_key), many=True).data)


class DeadlineRuleViewSet(ScopedReadOnlyViewSet):
    """投诉举报办理时限（工作日）：本地区按来源渠道设定；``POST`` 设定（执法监督人员）。"""

    queryset = DeadlineRule.objects.select_related("region")
    serializer_class = s.DeadlineRuleSerializer
    pagination_class = None
    filter_backends = []
    required_actions = {"create": "route"}

    @extend_schema(request=s.DeadlineRuleInput, responses={200: s.DeadlineRuleSerializer})
    def create(self, request, *args, **kwargs):
        """设定（新增或修改）本人监督区域内某一行政区划、某一来源渠道的办理时限。"""
        body = s.DeadlineRuleInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        region = _get(Region, request, data.pop("region"))
        rule = services.set_deadline_rule(request.user, region=region, **data)
        return Response(s.DeadlineRuleSerializer(rule).data)


class WorkOrderViewSet(viewsets.GenericViewSet):
    """热线工单接口（12345 / 12348 系统调用，请求须签名，见 docs/complaints.md）：推送工单 ``POST``
    （按工单号幂等），查询状态 ``GET /{工单号}/``，推送满意度 ``POST /{工单号}/satisfaction/``。"""

    authentication_classes = [hotline.HotlineSignatureAuthentication]
    permission_classes = [hotline.IsHotlineSystem]
    serializer_class = s.WorkOrderStatusSerializer
    lookup_field = "work_order_number"
    lookup_value_regex = r"[A-Za-z0-9_.-]{1,64}"
    pagination_class = None
    filter_backends = []

    def initial(self, request, *args, **kwargs):
        """After the signature check: the Django request carries no user (the audit trail records
        the hotline's writes as the system's, with the caller's address)."""
        super().initial(request, *args, **kwargs)
        from django.contrib.auth.models import AnonymousUser

        request._request.user = AnonymousUser()

    def get_queryset(self):
        system = self.request.auth
        return Complaint._base_manager.filter(hotline_system=system).select_related("agency")

    @extend_schema(request=s.WorkOrderInput, responses={201: s.WorkOrderReceiptSerializer,
                                                        200: OpenApiResponse(s.WorkOrderReceiptSerializer,
                                                                             description="同一工单已登记（duplicate 为 true）")})
    def create(self, request):
        """推送工单：新工单登记为投诉举报（201）；同一工单号再次推送返回已登记的投诉举报（200）。"""
        body = s.WorkOrderInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        system = request.auth
        region = Region.objects.public().filter(code=data.pop("region_code")).first()
        if region is None or not region.path.startswith(system.region.path):
            raise ValidationError({"region_code": ["行政区划代码不存在或不在本热线系统的服务区域内。"]})
        item_code = data.pop("item_code")
        data["region"] = region
        data["item"] = services.item_for_code(item_code, region) if item_code else None
        complaint, created = services.receive_work_order(system, data)
        return Response(s.WorkOrderReceiptSerializer(complaint, context={"created": created}).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def retrieve(self, request, work_order_number=None):
        """工单的办理状态。"""
        return Response(s.WorkOrderStatusSerializer(self.get_object()).data)

    @extend_schema(request=s.ComplaintSatisfactionInput, responses=s.WorkOrderStatusSerializer)
    @action(detail=True, methods=["post"])
    def satisfaction(self, request, work_order_number=None):
        """热线回访得到的满意度评价（答复后，每件一次）。"""
        body = s.ComplaintSatisfactionInput(data=request.data)
        body.is_valid(raise_exception=True)
        complaint = services.record_satisfaction(self.get_object(), body.validated_data["satisfaction"],
                                                 channel=request.auth.source)
        return Response(s.WorkOrderStatusSerializer(complaint).data)
