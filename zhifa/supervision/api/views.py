"""Supervision API: alerts and their lifecycle, problem models and their regional settings,
supervision actions, problem lists and campaigns. Every change goes through the services
(``alerts.services``, ``actions``); every row is reached through ``restrict``."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.cases.models import Case
from zhifa.core.api.viewsets import ScopedReadOnlyViewSet
from zhifa.orgs.models import Agency, Region
from zhifa.records.services import events_for

from .. import actions as services
from ..alerts import services as alert_services
from ..filters import AlertFilterSet, SupervisionActionFilterSet
from ..models import Alert, Campaign, ProblemItem, ProblemList, ProblemModel, RegionSetting, SupervisionAction
from . import serializers as s


def _get(model, request, pk, action="view"):
    return get_object_or_404(model.objects.restrict(request.user, action), pk=pk)


class ProblemModelViewSet(mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """问题模型（编码、名称、法律依据、严重程度、推送对象、阈值参数、默认启停）。修改默认值须省级监督人员；
    各地区在 ``/settings/`` 设置本区域的启停和阈值。"""

    queryset = ProblemModel.objects.all()
    serializer_class = s.ProblemModelSerializer
    http_method_names = ["get", "patch", "post", "head", "options"]
    required_actions = {"partial_update": "models", "region_settings": "view"}
    search_fields = ["code", "name", "category"]

    def perform_update(self, serializer):
        user = self.request.user
        region = getattr(user, "region", None)
        if not user.is_superuser and (region is None or region.parent_id is not None):
            raise PermissionDenied("只有省级执法监督人员可以修改问题模型的默认设置；本地区请使用区域设置。")
        serializer.save()

    @extend_schema(methods=["GET"], responses=s.RegionSettingSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.RegionSettingInput, responses=s.RegionSettingSerializer)
    @action(detail=True, methods=["get", "post"], url_path="settings", pagination_class=None, filter_backends=[])
    def region_settings(self, request, pk=None):
        """本模型的区域设置；POST 设置某一行政区划（及其下级）的启停和阈值。"""
        model = self.get_object()
        if request.method == "GET":
            rows = RegionSetting.objects.restrict(request.user).filter(problem_model=model).select_related("region")
            return Response(s.RegionSettingSerializer(rows, many=True).data)
        body = s.RegionSettingInput(data=request.data)
        body.is_valid(raise_exception=True)
        region = _get(Region, request, body.validated_data["region"])
        from ..problems.settings import set_region_setting

        row = set_region_setting(model, request.user, region=region, enabled=body.validated_data["enabled"],
                                 params=body.validated_data["params"])
        return Response(s.RegionSettingSerializer(row).data)


class AlertViewSet(ScopedReadOnlyViewSet):
    """预警：交办 ``/assign/``、说明 ``/explain/``、认定 ``/confirm/``、不予认定 ``/dismiss/``、
    报整改 ``/rectify/``、复核 ``/recheck/``；全过程记录 ``/events/``。"""

    queryset = Alert.objects.select_related("problem_model", "agency")
    serializer_class = s.AlertSerializer
    filterset_class = AlertFilterSet
    ordering_fields = ["raised_at", "reply_due_on", "rectify_due_on"]
    required_actions = {"assign": "change", "confirm": "change", "dismiss": "change", "recheck": "change",
                        "explain": "answer", "rectify": "answer"}

    def _out(self, alert):
        return Response(s.AlertSerializer(Alert.objects.select_related("problem_model", "agency").get(pk=alert.pk)).data)

    def _alert(self, pk):
        return _get(Alert, self.request, pk)

    @extend_schema(request=s.AssignInput, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """交办执法主体说明情况（说明期限默认5个工作日）。"""
        body = s.AssignInput(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(alert_services.assign(self._alert(pk), request.user, **body.validated_data))

    @extend_schema(request=s.ExplainInput, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"])
    def explain(self, request, pk=None):
        """执法主体说明情况，可附本人上传的证明材料。"""
        body = s.ExplainInput(data=request.data)
        body.is_valid(raise_exception=True)
        files = alert_services.own_uploads(request.user, body.validated_data["files"])
        return self._out(alert_services.explain(self._alert(pk), request.user,
                                                explanation=body.validated_data["explanation"], files=files))

    @extend_schema(request=s.ConfirmInput, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """认定问题并限期整改。"""
        body = s.ConfirmInput(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(alert_services.confirm(self._alert(pk), request.user, **body.validated_data))

    @extend_schema(request=s.DismissInput, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """不予认定（写明理由），预警办结。"""
        body = s.DismissInput(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(alert_services.dismiss(self._alert(pk), request.user, **body.validated_data))

    @extend_schema(request=s.RectifyInput, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        """执法主体报告整改情况。"""
        body = s.RectifyInput(data=request.data)
        body.is_valid(raise_exception=True)
        files = alert_services.own_uploads(request.user, body.validated_data["files"])
        return self._out(alert_services.report_rectification(
            self._alert(pk), request.user, rectification=body.validated_data["rectification"], files=files))

    @extend_schema(request=s.RecheckInput, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"])
    def recheck(self, request, pk=None):
        """复核整改：通过则办结；不通过须给出新的整改期限。"""
        body = s.RecheckInput(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(alert_services.recheck(self._alert(pk), request.user, **body.validated_data))

    @extend_schema(responses=s.AlertEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        """预警的全过程记录（哈希链）。"""
        alert = self.get_object()
        return Response(s.AlertEventSerializer(events_for(alert.stream_key), many=True).data)


class ActionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """监督措施：督办、行政执法监督意见书、纠错通知书、督查函。签发 ``POST``（生成文书）；执法主体答复
    ``/reply/``；监督机构办结 ``/close/``。"""

    queryset = SupervisionAction.objects.select_related("agency", "target_type").prefetch_related("alerts")
    serializer_class = s.SupervisionActionSerializer
    filterset_class = SupervisionActionFilterSet
    required_actions = {"create": "change", "close": "change", "reply": "answer"}

    @extend_schema(request=s.ActionInput, responses={201: s.SupervisionActionSerializer})
    def create(self, request, *args, **kwargs):
        body = s.ActionInput(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        target = None
        if data.get("case"):
            target = _get(Case, request, data["case"])
        elif data.get("alert"):
            target = _get(Alert, request, data["alert"])
        alerts = [_get(Alert, request, pk) for pk in data["alerts"]]
        campaign = _get(Campaign, request, data["campaign"], "change") if data.get("campaign") else None
        created = services.issue(request.user, kind=data["kind"], agency=_get(Agency, request, data["agency"]),
                                 title=data["title"], findings=data["findings"], requirements=data["requirements"],
                                 reply_due_on=data["reply_due_on"], legal_basis=data["legal_basis"], target=target,
                                 alerts=alerts, campaign=campaign)
        return Response(s.SupervisionActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReplyInput, responses=s.SupervisionActionSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """被监督执法主体书面答复。"""
        body = s.ReplyInput(data=request.data)
        body.is_valid(raise_exception=True)
        files = alert_services.own_uploads(request.user, body.validated_data["files"])
        done = services.reply(_get(SupervisionAction, request, pk), request.user, text=body.validated_data["reply"],
                              files=files)
        return Response(s.SupervisionActionSerializer(done).data)

    @extend_schema(request=s.NoteInput, responses=s.SupervisionActionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """办结（已答复，或答复期限已过）。"""
        body = s.NoteInput(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.close(_get(SupervisionAction, request, pk, "change"), request.user,
                              note=body.validated_data["note"])
        return Response(s.SupervisionActionSerializer(done).data)


class ProblemListViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """突出问题清单及整改完成率（目标95%）。``/items/`` 列出或新增问题。"""

    queryset = ProblemList.objects.all()
    serializer_class = s.ProblemListSerializer
    required_actions = {"create": "change"}

    @extend_schema(request=s.ProblemListInput, responses={201: s.ProblemListSerializer})
    def create(self, request, *args, **kwargs):
        body = s.ProblemListInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        campaign = _get(Campaign, request, data["campaign"], "change") if data.get("campaign") else None
        created = services.create_problem_list(request.user, title=data["title"],
                                               region=_get(Region, request, data["region"]), campaign=campaign)
        return Response(s.ProblemListSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.ProblemItemSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.ProblemItemInput, responses={201: s.ProblemItemSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def items(self, request, pk=None):
        """清单中的问题（整改台账）；POST 新增问题。"""
        problem_list = self.get_object()
        if request.method == "GET":
            rows = ProblemItem.objects.restrict(request.user).filter(problem_list=problem_list).select_related("agency")
            return Response(s.ProblemItemSerializer(rows, many=True).data)
        if not request.user.has_capability("alerts", "change"):
            raise exceptions.PermissionDenied("您的角色不能新增清单问题。")
        body = s.ProblemItemInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        alert = _get(Alert, request, data["alert"]) if data.get("alert") else None
        item = services.add_problem(problem_list, request.user, agency=_get(Agency, request, data["agency"]),
                                    description=data["description"], measure=data["measure"], due_on=data["due_on"],
                                    alert=alert)
        return Response(s.ProblemItemSerializer(item).data, status=status.HTTP_201_CREATED)


class ProblemItemViewSet(ScopedReadOnlyViewSet):
    """清单问题：责任执法主体报告整改 ``/report/``；监督机构核验 ``/verify/``。"""

    queryset = ProblemItem.objects.select_related("agency")
    serializer_class = s.ProblemItemSerializer
    required_actions = {"report": "answer", "verify": "change"}

    @extend_schema(request=s.ProgressInput, responses=s.ProblemItemSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """报告整改进展（待核验）。"""
        body = s.ProgressInput(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.report_problem(_get(ProblemItem, request, pk), request.user, **body.validated_data)
        return Response(s.ProblemItemSerializer(item).data)

    @extend_schema(request=s.VerifyInput, responses=s.ProblemItemSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """核验整改：完成或退回。"""
        body = s.VerifyInput(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.verify_problem(_get(ProblemItem, request, pk, "change"), request.user, **body.validated_data)
        return Response(s.ProblemItemSerializer(item).data)


class CampaignViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """专项监督：归集预警、监督措施、突出问题清单和评查方案 ``/link/``。"""

    queryset = Campaign.objects.all()
    serializer_class = s.CampaignSerializer
    required_actions = {"create": "change", "link": "change"}

    def create(self, request, *args, **kwargs):
        body = s.CampaignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        region = _get(Region, request, data.pop("region").pk)
        created = services.create_campaign(request.user, region=region, **data)
        return Response(s.CampaignSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CampaignLinkInput, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """把一项预警、监督措施、清单或其他模型的记录（如评查方案）归入专项监督。"""
        campaign = _get(Campaign, request, pk, "change")
        body = s.CampaignLinkInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        label = f"supervision.{data['type']}" if data["type"] != "other" else data["model"]
        try:
            app_label, model_name = label.split(".")
            model = ContentType.objects.get_by_natural_key(app_label, model_name.lower()).model_class()
        except (ValueError, ContentType.DoesNotExist):
            raise exceptions.ValidationError({"model": ["未知的记录类型。"]}) from None
        if model is None or not hasattr(model.objects, "restrict"):
            raise exceptions.ValidationError({"model": ["该类型的记录不能归入专项监督。"]})
        services.link(campaign, request.user, _get(model, request, data["id"]))
        return Response(s.CampaignSerializer(campaign).data)
