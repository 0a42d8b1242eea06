"""Workbench alert: the calendar must cover this year and, from November, next year."""

from django.urls import reverse
from django.utils import timezone

from zhifa.core.dashboard import register_alerts

from .models import CalendarYear


@register_alerts
def calendar_alerts(user):
    """Tell administrators (who can enter it) that a year deadlines need is not covered."""
    if not user.has_capability("workdays", "change"):
        return []
    today = timezone.localdate()
    needed = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    covered = set(CalendarYear.objects.filter(year__in=needed, complete=True).values_list("year", flat=True))
    return [
        {"text": f"{year}年工作日历尚未录入，涉及该年度的办案期限无法计算。",
         "url": reverse("workdays:year_detail", args=[year])}
        for year in needed if year not in covered
    ]
