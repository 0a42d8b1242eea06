"""Legal review API: every change goes through ``zhifa.review.services``."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import services
from ..filters import CatalogFilterSet, DiscussionFilterSet, ReviewFilterSet
from ..models import CollectiveDiscussion, MajorDecisionCatalog, MajorFlag, Review
from . import serializers as s


def _case(request, pk, action="change"):
    return get_object_or_404(Case.objects.restrict(request.user, action), pk=pk)


class ReviewViewSet(ScopedReadOnlyViewSet):
    """法制审核（每轮一条）。提交 ``POST /reviews/submit/``；分配 ``/assign/``；审核意见 ``/opinion/``；
    书面答复 ``/answer/``；重新提交 ``/resubmit/``。"""

    queryset = Review.objects.select_related("case").prefetch_related("findings", "answers")
    serializer_class = s.ReviewSerializer
    filterset_class = ReviewFilterSet
    ordering_fields = ["deadline", "submitted_at"]
    required_actions = {"submit": "change", "assign": "change", "opinion": "change", "answer": "change",
                        "resubmit": "change"}

    def get_serializer_class(self):
        return s.ReviewDetailSerializer if self.action == "retrieve" else s.ReviewSerializer

    def _review(self, pk):
        return get_object_or_404(Review.objects.restrict(self.request.user, "change"), pk=pk)

    def _out(self, review, code=status.HTTP_200_OK):
        review = Review.objects.prefetch_related("findings", "answers").select_related("case").get(pk=review.pk)
        return Response(s.ReviewDetailSerializer(review, context={"request": self.request}).data, status=code)

    @extend_schema(request=s.SubmitSerializer, responses=s.ReviewDetailSerializer)
    @action(detail=False, methods=["post"])
    def submit(self, request):
        """提交法制审核：以案件当前材料生成送审包。"""
        body = s.SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = services.submit_for_review(_case(request, body.validated_data["case"]), request.user)
        return self._out(review, status.HTTP_201_CREATED)

    @extend_schema(request=s.AssignSerializer, responses=s.ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """分配审核人员（审核人员也可分配给自己）；不独立或不具备资格的被拒绝。"""
        body = s.AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reviewer = User.objects.filter(pk=body.validated_data["reviewer"], is_active=True).first()
        if reviewer is None:
            raise exceptions.ValidationError({"reviewer": ["审核人员不存在。"]})
        return self._out(services.assign_reviewer(self._review(pk), reviewer, request.user))

    @extend_schema(request=s.OpinionSerializer, responses=s.ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        """审核意见：十项审核事项逐项结论和理由，审核结论同意或存在问题；生成法制审核意见书。"""
        body = s.OpinionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._out(services.record_opinion(self._review(pk), request.user, data["findings"], data["result"]))

    @extend_schema(request=s.AnswersSerializer, responses=s.ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """承办机构对存在问题的事项逐项书面答复。"""
        body = s.AnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(services.answer_findings(self._review(pk), request.user, body.validated_data["answers"]))

    @extend_schema(request=None, responses=s.ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """答复后重新提交（新一轮审核，原轮次保留）。"""
        return self._out(services.resubmit(self._review(pk), request.user), status.HTTP_201_CREATED)


class CatalogViewSet(ScopedModelViewSet):
    """重大执法决定法制审核目录清单。修改需“维护目录清单”权限。"""

    queryset = MajorDecisionCatalog.objects.select_related("agency")
    serializer_class = s.CatalogSerializer
    filterset_class = CatalogFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    required_actions = {"create": "catalog", "update": "catalog", "partial_update": "catalog"}


class FlagViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """人工认定重大执法决定（写明理由，记入案件全过程记录）。"""

    queryset = MajorFlag.objects.select_related("case")
    serializer_class = s.FlagSerializer
    required_actions = {"create": "change"}

    def create(self, request, *args, **kwargs):
        body = s.FlagSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = _case(request, data["case"].pk)
        flag = services.flag_major(case, request.user, data["reason"], kind=data["kind"])
        return Response(s.FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


class DiscussionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """负责人集体讨论记录。"""

    queryset = CollectiveDiscussion.objects.select_related("case", "chair")
    serializer_class = s.DiscussionSerializer
    filterset_class = DiscussionFilterSet
    required_actions = {"create": "change"}

    def create(self, request, *args, **kwargs):
        body = s.DiscussionSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = _case(request, data["case"].pk)
        discussion = services.record_collective_discussion(
            case, request.user, data["held_on"], data["participants"], data["chair"], data["opinions"],
            data["conclusion"], chair_authorisation=data.get("chair_authorisation", ""))
        return Response(s.DiscussionSerializer(discussion).data, status=status.HTTP_201_CREATED)


class CaseStatusViewSet(viewsets.ViewSet):
    """案件的法制审核情况：是否属于重大执法决定及理由、是否须集体讨论、两道关口的结果。"""

    scope_area = "review"

    @extend_schema(responses={200: {"type": "object"}},
                   parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="案件 id")])
    def retrieve(self, request, pk=None):
        return Response(services.case_status(_case(request, pk, "view")))


class ReportViewSet(viewsets.ViewSet):
    """审核人员类别占比（对照S1指标88、90）及法制审核人员配备（5%）。可按 ``since``/``until`` 日期统计。"""

    scope_area = "review"

    @extend_schema(responses={200: {"type": "object"}})
    def list(self, request):
        since = services.parse_period_date(request.query_params.get("since"))
        until = services.parse_period_date(request.query_params.get("until"))
        return Response(services.share_report(request.user, since, until).as_dict())
