from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField

from ..models import CalendarDay, CalendarYear
from ..services import parse_schedule


class CalendarYearSerializer(serializers.ModelSerializer):
    """A year of the calendar; writing it enters the schedule (``services.enter_schedule``)."""

    source_display = DisplayField(source="get_source_display")

    class Meta:
        model = CalendarYear
        fields = ["year", "source", "source_display", "complete", "published_note", "schedule_text", "updated"]
        read_only_fields = ["source", "updated"]

    def validate(self, attrs):
        year = attrs.get("year", getattr(self.instance, "year", None))
        if self.instance is not None and "year" in attrs and attrs["year"] != self.instance.year:
            raise serializers.ValidationError({"year": ["年度不能修改。"]})
        if year is not None and "schedule_text" in attrs:
            try:
                parse_schedule(year, attrs["schedule_text"])
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"schedule_text": exc.messages}) from None
        return attrs


class CalendarDaySerializer(serializers.ModelSerializer):
    """One date; administrators may change its kind and note."""

    kind_display = DisplayField(source="get_kind_display")

    class Meta:
        model = CalendarDay
        fields = ["date", "is_working_day", "kind", "kind_display", "note"]
        read_only_fields = ["date", "is_working_day"]


class DeadlineQuerySerializer(serializers.Serializer):
    """Parameters of ``/api/workdays/add/``."""

    start = serializers.DateField(label="起算日")
    days = serializers.IntegerField(label="天数", min_value=-3660, max_value=3660)
    kind = serializers.ChoiceField(label="计算方式", choices=[("working", "工作日"), ("natural", "自然日")],
                                   default="working")
