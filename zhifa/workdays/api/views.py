import datetime

from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.core.api.viewsets import ScopedModelViewSet

from .. import services
from ..filters import CalendarDayFilterSet, CalendarYearFilterSet
from ..models import CalendarDay, CalendarYear
from .serializers import CalendarDaySerializer, CalendarYearSerializer, DeadlineQuerySerializer


class CalendarYearViewSet(ScopedModelViewSet):
    """日历年度。POST/PUT/PATCH（系统管理员）按 ``schedule_text`` 录入该年度节假日安排，其余日期按周一至周五上班生成。"""

    queryset = CalendarYear.objects.all()
    serializer_class = CalendarYearSerializer
    filterset_class = CalendarYearFilterSet
    lookup_field = "year"
    ordering_fields = ["year"]

    def _enter(self, serializer, year):
        data = serializer.validated_data
        instance = serializer.instance
        serializer.instance = services.enter_schedule(
            year,
            data.get("schedule_text", instance.schedule_text if instance else ""),
            complete=data.get("complete", instance.complete if instance else True),
            published_note=data.get("published_note", instance.published_note if instance else ""),
        )

    def perform_create(self, serializer):
        self._enter(serializer, serializer.validated_data["year"])

    def perform_update(self, serializer):
        self._enter(serializer, serializer.instance.year)


class CalendarDayViewSet(ScopedModelViewSet):
    """日历日期（``?year=2026``）。PATCH（系统管理员）修改某日类别：工作日、周末、法定节假日、调休上班。"""

    queryset = CalendarDay.objects.all()
    serializer_class = CalendarDaySerializer
    filterset_class = CalendarDayFilterSet
    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"
    ordering_fields = ["date"]
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        data = serializer.validated_data
        day = serializer.instance
        serializer.instance = services.set_day(day, data.get("kind", day.kind), data.get("note", day.note))


@method_decorator(name="get", decorator=extend_schema(
    parameters=[
        OpenApiParameter("start", str, description="起算日 YYYY-MM-DD（当日不计入）", required=True),
        OpenApiParameter("days", int, description="天数", required=True),
        OpenApiParameter("kind", str, enum=["working", "natural"], description="working=工作日，natural=自然日（届满日遇节假日顺延）"),
    ],
    responses=inline_serializer("Deadline", {
        "start": serializers.DateField(), "days": serializers.IntegerField(), "kind": serializers.CharField(),
        "deadline": serializers.DateField(), "weekday": serializers.CharField(), "explanation": serializers.CharField(),
    }),
))
class DeadlineView(APIView):
    """期限计算：起算日之后第 N 个工作日，或 N 个自然日（届满日为节假日的顺延至下一个工作日）。
    涉及未录入年度时返回 400 及说明。"""

    scope_area = "workdays"

    def get(self, request):
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days, kind = (query.validated_data[k] for k in ("start", "days", "kind"))
        if kind == "working":
            deadline = services.add_working_days(start, days)
            explanation = f"{start:%Y-%m-%d}之后第{days}个工作日（当日不计入，跳过周末和法定节假日）"
        else:
            deadline = services.add_natural_days(start, days)
            plain = start + datetime.timedelta(days=days)
            explanation = f"{start:%Y-%m-%d}起{days}日届满"
            if deadline != plain:
                explanation += f"于{plain:%Y-%m-%d}（非工作日），顺延至{deadline:%Y-%m-%d}"
        return Response({
            "start": start, "days": days, "kind": kind, "deadline": deadline,
            "weekday": f"星期{services.WEEKDAY_NAMES[deadline.weekday()]}", "explanation": explanation,
        })
