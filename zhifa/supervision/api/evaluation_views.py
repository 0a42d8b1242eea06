"""Evaluation (案卷评查) and cockpit (驾驶舱) API: every change goes through the services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.accounts.models import User
from zhifa.core.api.viewsets import ScopedReadOnlyViewSet
from zhifa.orgs.models import Region

from ..cockpit import services as cockpit
from ..evaluation import services
from ..models import (
    CaseEvaluation,
    EvaluationNotice,
    EvaluationPlan,
    Finding,
    ReEvaluationRequest,
    ScoreItem,
    ScoreSheet,
)
from . import evaluation_serializers as s


def _findings(sheet, rows):
    items = {item.pk: item for item in ScoreItem.objects.filter(sheet=sheet)}
    result = []
    for row in rows:
        if row["item"] not in items:
            raise exceptions.ValidationError({"findings": [f"评查项目{row['item']}不属于该评分标准。"]})
        result.append({**row, "item": items[row["item"]]})
    return result


class ScoreSheetViewSet(viewsets.ReadOnlyModelViewSet):
    """评查评分标准（含评查项目、分值、直接不合格项和一票否决项）。"""

    queryset = ScoreSheet.objects.prefetch_related("items")
    serializer_class = s.ScoreSheetSerializer
    scope_area = "evaluation"


class PlanViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """案卷评查方案。创建后 ``/draw/`` 抽取（记录种子和案卷总体摘要），``/verify/`` 复核抽样，``/finish/`` 通报结果。"""

    queryset = EvaluationPlan.objects.select_related("region", "sheet")
    serializer_class = s.EvaluationPlanSerializer
    required_actions = {"draw": "change", "finish": "change", "create": "change"}

    def _plan(self, pk):
        return get_object_or_404(EvaluationPlan.objects.restrict(self.request.user, "change"), pk=pk)

    @extend_schema(request=s.EvaluationPlanCreateSerializer, responses={201: s.EvaluationPlanSerializer})
    def create(self, request, *args, **kwargs):
        """新建评查方案（尚未抽取）。"""
        body = s.EvaluationPlanCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["region"] = get_object_or_404(Region.objects.restrict(request.user, "view"), pk=data["region"])
        data["sheet"] = get_object_or_404(ScoreSheet.objects.all(), pk=data["sheet"])
        plan = services.create_plan(request.user, **data)
        return Response(s.EvaluationPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EvaluationDrawSerializer, responses=s.EvaluationPlanSerializer)
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        """抽取案卷：种子留空由系统生成。"""
        body = s.EvaluationDrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.draw_sample(self._plan(pk), request.user, body.validated_data["seed"])
        return Response(s.EvaluationPlanSerializer(plan).data)

    @extend_schema(responses=s.EvaluationSampleCheckSerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        """按记录的种子重新抽取并与记录比对。"""
        plan = get_object_or_404(EvaluationPlan.objects.restrict(request.user, "view"), pk=pk)
        if not plan.seed:
            raise exceptions.ValidationError({"non_field_errors": ["该方案尚未抽取案卷。"]})
        check = services.verify_sample(plan)
        return Response({"ok": check.ok, "digest_matches": check.digest_matches, "sample_matches": check.sample_matches,
                         "digest_now": check.digest_now})

    @extend_schema(request=None, responses=s.EvaluationNoticeSerializer(many=True))
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def finish(self, request, pk=None):
        """通报评查结果：每个被评查单位一份通报。"""
        notices = services.finish_plan(self._plan(pk), request.user)
        return Response(s.EvaluationNoticeSerializer(notices, many=True).data)


class EvaluationViewSet(ScopedReadOnlyViewSet):
    """抽取的案卷及其评查。``/assign/`` 分配评查人（交叉评查），``/score/`` 评分，``/reevaluate/`` 申请复查。"""

    queryset = CaseEvaluation.objects.select_related("plan").prefetch_related("findings__item")
    serializer_class = s.EvaluationSerializer
    required_actions = {"assign": "change", "score": "score", "reevaluate": "rectify"}

    def _evaluation(self, pk):
        return get_object_or_404(CaseEvaluation.objects.restrict(self.request.user, "view")
                                 .select_related("plan__sheet", "agency"), pk=pk)

    def _out(self, evaluation):
        evaluation = CaseEvaluation.objects.prefetch_related("findings__item").get(pk=evaluation.pk)
        return Response(s.EvaluationSerializer(evaluation).data)

    @extend_schema(request=s.EvaluatorAssignSerializer, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """分配评查人；评查人本单位的案卷被拒绝（交叉评查）。"""
        body = s.EvaluatorAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evaluator = User.objects.filter(pk=body.validated_data["evaluator"], is_active=True).first()
        if evaluator is None:
            raise exceptions.ValidationError({"evaluator": ["评查人不存在。"]})
        return self._out(services.assign_evaluator(self._evaluation(pk), evaluator, request.user))

    @extend_schema(request=s.EvaluationScoreSerializer, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """评分：逐项扣分（写明问题），直接不合格项和一票否决项勾选是否触发；得分和等次按评分标准计算。"""
        evaluation = self._evaluation(pk)
        body = s.EvaluationScoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        findings = _findings(evaluation.plan.sheet, body.validated_data["findings"])
        return self._out(services.submit_score(evaluation, request.user, findings, body.validated_data["comment"]))

    @extend_schema(request=s.ReEvaluationReasonSerializer, responses={201: s.ReEvaluationSerializer})
    @action(detail=True, methods=["post"])
    def reevaluate(self, request, pk=None):
        """被评查单位在结果通报之日起10个工作日内申请复查。"""
        body = s.ReEvaluationReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        req = services.request_reevaluation(self._evaluation(pk), request.user, body.validated_data["reason"])
        return Response(s.ReEvaluationSerializer(req).data, status=status.HTTP_201_CREATED)


class ReEvaluationViewSet(ScopedReadOnlyViewSet):
    """复查申请；组织评查的监督人员 ``/decide/`` 办结（带新评分即变更结果）。"""

    queryset = ReEvaluationRequest.objects.select_related("evaluation")
    serializer_class = s.ReEvaluationSerializer
    required_actions = {"decide": "change"}

    @extend_schema(request=s.ReEvaluationDecideSerializer, responses=s.ReEvaluationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """办结复查申请。"""
        req = get_object_or_404(ReEvaluationRequest.objects.restrict(request.user, "change")
                                .select_related("evaluation__plan__sheet"), pk=pk)
        body = s.ReEvaluationDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = body.validated_data.get("findings")
        findings = _findings(req.evaluation.plan.sheet, rows) if rows is not None else None
        return Response(s.ReEvaluationSerializer(
            services.decide_reevaluation(req, request.user, body.validated_data["decision"], findings)).data)


class FindingViewSet(ScopedReadOnlyViewSet):
    """评查发现的问题及整改：被评查单位 ``/rectify/`` 报告整改，监督人员 ``/accept/`` 确认。"""

    queryset = Finding.objects.select_related("item")
    serializer_class = s.EvaluationFindingSerializer
    required_actions = {"rectify": "rectify", "accept": "change"}

    @extend_schema(request=s.RectificationReportSerializer, responses=s.EvaluationFindingSerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        """报告整改情况。"""
        body = s.RectificationReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        finding = get_object_or_404(Finding.objects.restrict(request.user, "view"), pk=pk)
        return Response(s.EvaluationFindingSerializer(services.report_rectification(finding, request.user,
                                                                          body.validated_data["report"])).data)

    @extend_schema(request=None, responses=s.EvaluationFindingSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """确认整改。"""
        finding = get_object_or_404(Finding.objects.restrict(request.user, "change"), pk=pk)
        return Response(s.EvaluationFindingSerializer(services.accept_rectification(finding, request.user)).data)


class NoticeViewSet(ScopedReadOnlyViewSet):
    """评查结果通报（每个方案每个被评查单位一份）。"""

    queryset = EvaluationNotice.objects.select_related("agency")
    serializer_class = s.EvaluationNoticeSerializer


class CockpitViewSet(viewsets.ViewSet):
    """驾驶舱：所辖执法主体在近N个月的各项指标（分子、分母、比率）、案卷评查平均分和未办结预警数。"""

    scope_area = "cockpit"
    pagination_class = None
    filter_backends = []

    @extend_schema(parameters=[OpenApiParameter("months", int, description="近几个月（3、6、12、24），默认12")],
                   responses=s.CockpitAgencySerializer(many=True))
    def list(self, request):
        months = str(request.query_params.get("months", "12"))
        count = {"3": 3, "6": 6, "12": 12, "24": 24}.get(months)
        if count is None:
            raise exceptions.ValidationError({"months": ["只能是3、6、12或24。"]})
        data = cockpit.cockpit_data(request.user, cockpit.months_back(count))
        rows = []
        for row in data["rows"]:
            rows.append({
                "agency": row.agency.pk, "name": row.agency.name, "evaluation_average": row.evaluation,
                "open_alerts": row.open_alerts,
                "metrics": [{"code": m.code, "label": m.label, "numerator": row.counts.get(m.numerator, 0),
                             "denominator": row.counts.get(m.denominator, 0), "rate": row.rate(m)} for m in data["metrics"]],
            })
        return Response(rows)
