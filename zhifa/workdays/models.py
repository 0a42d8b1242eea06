"""The working-day calendar (工作日历): one row per date, and one row per year saying whether the
year's holiday schedule (国务院办公厅节假日安排) has been entered completely.

Deadline arithmetic (``zhifa.workdays.services``) only works inside complete years; any date
outside them raises ``CalendarNotCovered`` rather than guessing from weekdays.

The calendar is national: every user with the ("workdays", "view") capability sees all of it,
whatever their place in the organisation tree (``scope_q`` returns everything).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel


class CalendarYear(AuditedModel, ScopedModel):
    """One calendar year (年度节假日安排): where its days came from and whether it is complete.

    The year's schedule as an administrator typed it is kept in ``schedule_text``, so the audit
    trail of this row records every change of the year's holidays.
    """

    SOURCE_CHOICES = [("chinesecalendar", "chinesecalendar 数据包"), ("manual", "管理员录入")]

    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.CharField("来源", max_length=20, choices=SOURCE_CHOICES, default="manual")
    complete = models.BooleanField("已完整录入", default=False)
    published_note = models.CharField(
        "依据", max_length=200, blank=True, help_text="例如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    schedule_text = models.TextField("节假日安排", blank=True)
    updated = models.DateTimeField("更新时间", auto_now=True)

    scope_area = "workdays"

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年"

    def get_absolute_url(self):
        return reverse("workdays:year_detail", args=[self.year])

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        """The calendar is national: everyone holding the capability sees every year."""
        return Q()


class CalendarDay(ScopedModel):
    """One date: working day or not, and why (工作日、周末、法定节假日、调休上班)."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP = "makeup_workday"
    KIND_CHOICES = [(WORKDAY, "工作日"), (WEEKEND, "周末"), (HOLIDAY, "法定节假日"), (MAKEUP, "调休上班")]
    WORKING_KINDS = frozenset({WORKDAY, MAKEUP})

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("工作日")
    kind = models.CharField("类别", max_length=14, choices=KIND_CHOICES)
    note = models.CharField("说明", max_length=50, blank=True, help_text="例如：国庆节")

    scope_area = "workdays"

    class Meta:
        verbose_name = "日历日期"
        verbose_name_plural = "日历日期"
        ordering = ["date"]

    def __str__(self):
        label = self.get_kind_display()
        return f"{self.date:%Y-%m-%d} {label}{'（' + self.note + '）' if self.note else ''}"

    def save(self, *args, **kwargs):
        self.is_working_day = self.kind in self.WORKING_KINDS
        super().save(*args, **kwargs)

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        """The calendar is national: everyone holding the capability sees every date."""
        return Q()
