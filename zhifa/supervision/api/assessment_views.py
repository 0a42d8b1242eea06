"""API of the 三项制度 assessment, the task ledgers and the action-plan KPIs: every change goes
through the services; every row is reached through ``restrict``."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.core import clock
from zhifa.core.api.viewsets import ScopedReadOnlyViewSet
from zhifa.orgs.models import Agency, Region

from .. import kpis as kpi_registry
from ..assessment import services
from ..ledgers import services as ledgers
from ..models import (
    Assessment,
    AssessmentEvidence,
    AssessmentItem,
    Indicator,
    LedgerTask,
    ProgressReport,
    WorkPlan,
)
from . import assessment_serializers as s


def _show_final(assessments, user) -> dict[int, bool]:
    return {a.pk: a.status == Assessment.PUBLISHED or services.may_supervise(a, user) for a in assessments}


def _upload(user, file_id):
    from ..alerts.services import own_uploads

    return own_uploads(user, [file_id])[0]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """陕西省行政执法“三项制度”考评指标（170项，100分），含评分方式和计算规则或不由数据计算的原因。"""

    queryset = Indicator.objects.order_by("number")
    serializer_class = s.IndicatorSerializer
    scope_area = "assessment"
    pagination_class = None
    filter_backends = []


class AssessmentViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """年度考评。``/items/`` 各指标得分，``/recompute/`` 重新计算，``/submit/`` 提交自评，``/adopt/`` 采用计算得分，
    ``/finish/`` 完成评分，``/publish/`` 公布。监督机关的评定得分在公布后对被考评单位可见。"""

    queryset = Assessment.objects.select_related("agency", "region").order_by("-year", "-id")
    serializer_class = s.AssessmentSerializer
    required_actions = {"create": "change", "recompute": "change", "adopt": "change", "finish": "change",
                        "publish": "change", "submit": "self"}

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list":
            page = getattr(self, "_page_rows", [])
            context["show_final"] = _show_final(page, self.request.user)
        return context

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        self._page_rows = page
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _out(self, assessment, code=status.HTTP_200_OK):
        assessment = Assessment.objects.select_related("agency", "region").get(pk=assessment.pk)
        return Response(s.AssessmentSerializer(assessment, context={
            "show_final": _show_final([assessment], self.request.user)}).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._out(self.get_object())

    def _assessment(self, pk):
        return get_object_or_404(Assessment.objects.restrict(self.request.user, "view")
                                 .select_related("agency", "region"), pk=pk)

    @extend_schema(request=s.AssessmentCreateSerializer, responses={201: s.AssessmentSerializer})
    def create(self, request, *args, **kwargs):
        """新建年度考评并立即计算（执法主体或下级行政区划，二选一）。"""
        body = s.AssessmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        agency = region = None
        if data.get("agency"):
            agency = get_object_or_404(Agency.objects.restrict(request.user, "view"), pk=data["agency"])
        if data.get("region"):
            region = get_object_or_404(Region.objects.restrict(request.user, "view"), pk=data["region"])
        assessment = services.create_assessment(request.user, year=data["year"], agency=agency, region=region)
        return self._out(assessment, status.HTTP_201_CREATED)

    @extend_schema(responses=s.AssessmentItemSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def items(self, request, pk=None):
        """170项指标的计算结果、计算依据、自评和评定。"""
        assessment = self._assessment(pk)
        rows = (AssessmentItem.objects.restrict(request.user, "view").filter(assessment=assessment)
                .select_related("indicator").order_by("indicator__number"))
        return Response(s.AssessmentItemSerializer(rows, many=True, context={
            "show_final": _show_final([assessment], request.user)}).data)

    def _step(self, pk, function):
        return self._out(function(self._assessment(pk)))

    @extend_schema(request=None, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def recompute(self, request, pk=None):
        """按最新数据重新计算（评分前）。"""
        return self._step(pk, lambda a: services.recompute(a, request.user))

    @extend_schema(request=s.NoteSerializer, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交自评。"""
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step(pk, lambda a: services.submit_self_assessment(a, request.user, body.validated_data["note"]))

    @extend_schema(request=None, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        """计算指标采用平台计算得分。"""
        assessment = self._assessment(pk)
        services.adopt_computed_scores(assessment, request.user)
        return self._out(assessment)

    @extend_schema(request=None, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        """完成评分（全部指标均已评分）。"""
        return self._step(pk, lambda a: services.finish_scoring(a, request.user))

    @extend_schema(request=None, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """公布考评结果。"""
        return self._step(pk, lambda a: services.publish(a, request.user))


class AssessmentItemViewSet(ScopedReadOnlyViewSet):
    """考评指标得分。``/self_assess/`` 自评，``/evidence/`` 附佐证材料，``/score/`` 监督机关评分。"""

    queryset = AssessmentItem.objects.select_related("indicator", "assessment").order_by("assessment", "indicator__number")
    serializer_class = s.AssessmentItemSerializer
    required_actions = {"self_assess": "self", "evidence": "self", "score": "change"}

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["show_final"] = _ItemShowFinal(self.request.user)
        return context

    def _item(self, pk):
        return get_object_or_404(AssessmentItem.objects.restrict(self.request.user, "view")
                                 .select_related("assessment__agency", "assessment__region", "indicator"), pk=pk)

    def _out(self, item):
        item = AssessmentItem.objects.select_related("indicator", "assessment__agency", "assessment__region").get(pk=item.pk)
        return Response(s.AssessmentItemSerializer(item, context={
            "show_final": _show_final([item.assessment], self.request.user)}).data)

    @extend_schema(request=s.SelfScoreSerializer, responses=s.AssessmentItemSerializer)
    @action(detail=True, methods=["post"])
    def self_assess(self, request, pk=None):
        """被考评单位自评一项指标。"""
        body = s.SelfScoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(services.self_assess_item(self._item(pk), request.user, **body.validated_data))

    @extend_schema(request=s.EvidenceAttachSerializer, responses={201: s.AssessmentEvidenceSerializer})
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        """附上本人已上传的文件作为佐证材料。"""
        body = s.EvidenceAttachSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = self._item(pk)
        evidence = services.attach_evidence(item, request.user, _upload(request.user, body.validated_data["file"]),
                                            body.validated_data["note"])
        return Response(s.AssessmentEvidenceSerializer(AssessmentEvidence.objects.select_related("file").get(pk=evidence.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ScoreSerializer, responses=s.AssessmentItemSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """监督机关评分（与计算得分不一致时须写明理由）。"""
        body = s.ScoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(services.score_item(self._item(pk), request.user, **body.validated_data))


class _ItemShowFinal(dict):
    """Lazy per-assessment answer to "may this user see the supervisor's scores"."""

    def __init__(self, user):
        super().__init__()
        self.user = user

    def get(self, assessment_id, default=False):
        if assessment_id not in self:
            assessment = Assessment.objects.select_related("agency", "region").get(pk=assessment_id)
            self[assessment_id] = _show_final([assessment], self.user)[assessment_id]
        return dict.get(self, assessment_id, default)


class WorkPlanViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """工作方案（任务台账）。``/tasks/`` 任务清单，``/statistics/`` 各单位完成情况。"""

    queryset = WorkPlan.objects.select_related("region").order_by("-year", "-id")
    serializer_class = s.WorkPlanSerializer
    required_actions = {"create": "change"}

    @extend_schema(request=s.WorkPlanCreateSerializer, responses={201: s.WorkPlanSerializer})
    def create(self, request, *args, **kwargs):
        """新建工作方案。"""
        body = s.WorkPlanCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["region"] = get_object_or_404(Region.objects.restrict(request.user, "view"), pk=data["region"])
        plan = ledgers.create_plan(request.user, **data)
        return Response(s.WorkPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    def _tasks(self, pk):
        plan = get_object_or_404(WorkPlan.objects.restrict(self.request.user, "view"), pk=pk)
        return LedgerTask.objects.restrict(self.request.user, "view").filter(plan=plan)

    @extend_schema(responses=s.LedgerTaskSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def tasks(self, request, pk=None):
        """方案的全部任务（按序号）。"""
        rows = self._tasks(pk).prefetch_related("co_agencies").order_by("number")
        return Response(s.LedgerTaskSerializer(rows, many=True).data)

    @extend_schema(responses=s.UnitStatSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def statistics(self, request, pk=None):
        """各牵头单位的任务完成情况。"""
        return Response(s.UnitStatSerializer(ledgers.unit_statistics(self._tasks(pk)), many=True).data)


class LedgerTaskViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """工作任务。``/report/`` 报告进展（牵头单位可报告完成），``/reports/`` 进展报告。"""

    queryset = LedgerTask.objects.select_related("plan").prefetch_related("co_agencies").order_by("plan", "number")
    serializer_class = s.LedgerTaskSerializer
    required_actions = {"create": "change", "report": "report"}

    @extend_schema(request=s.LedgerTaskCreateSerializer, responses={201: s.LedgerTaskSerializer})
    def create(self, request, *args, **kwargs):
        """添加任务。"""
        body = s.LedgerTaskCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        plan = get_object_or_404(WorkPlan.objects.restrict(request.user, "view"), pk=data.pop("plan"))
        agencies = Agency.objects.restrict(request.user, "view")
        data["lead_agency"] = get_object_or_404(agencies, pk=data["lead_agency"])
        co = list(agencies.filter(pk__in=data["co_agencies"]))
        if len(co) != len(set(data["co_agencies"])):
            raise exceptions.ValidationError({"co_agencies": ["配合单位不存在或不在您的管辖范围内。"]})
        data["co_agencies"] = co
        task = ledgers.add_task(plan, request.user, **data)
        return Response(s.LedgerTaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProgressReportCreateSerializer, responses={201: s.ProgressReportSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """报告进展，可附本人已上传的文件。"""
        body = s.ProgressReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = get_object_or_404(LedgerTask.objects.restrict(request.user, "view"), pk=pk)
        data = body.validated_data
        stored = _upload(request.user, data["attachment"]) if data.get("attachment") else None
        report = ledgers.report_progress(task, request.user, text=data["text"], completed=data["completed"],
                                         stored=stored)
        return Response(s.ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.ProgressReportSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def reports(self, request, pk=None):
        """任务的进展报告（新的在前）。"""
        task = get_object_or_404(LedgerTask.objects.restrict(request.user, "view"), pk=pk)
        rows = ProgressReport.objects.restrict(request.user, "view").filter(task=task)
        return Response(s.ProgressReportSerializer(rows, many=True).data)


class KPIViewSet(viewsets.ViewSet):
    """行动方案目标：所辖区域各项目标的本年度值、是否达标和近五年趋势。"""

    scope_area = "cockpit"
    pagination_class = None
    filter_backends = []

    @extend_schema(parameters=[OpenApiParameter("year", int, description="年度，默认今年")],
                   responses=s.KPISerializer(many=True))
    def list(self, request):
        from zhifa.core.scoping import region_part

        try:
            year = int(request.query_params.get("year", clock.today().year))
        except ValueError:
            raise exceptions.ValidationError({"year": ["年度应为数字。"]}) from None
        if not 2000 <= year <= clock.today().year:
            raise exceptions.ValidationError({"year": ["年度应在2000年至今年之间。"]})
        path = "/" if request.user.is_superuser else region_part(request.user.scope_path or "/")
        rows = [{"code": v.kpi.code, "label": v.kpi.label, "target": v.kpi.target, "target_text": v.kpi.target_text,
                 "year": v.year, "value": v.value, "meets": v.meets, "connected": v.connected,
                 "trend": [{"year": y, "value": x} for y, x in v.trend], "definition": v.kpi.definition}
                for v in kpi_registry.evaluate(path, year)]
        return Response(s.KPISerializer(rows, many=True).data)
