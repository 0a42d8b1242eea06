"""Alerts (预警): problem-model findings worked to closure (SUP-1).

Lifecycle (``zhifa.supervision.alerts.services`` is the only code that moves it)::

    raised 已预警 → assigned 已交办 → explained 已说明 → confirmed 确认问题（整改中, with a deadline)
          → rectified 已报整改 → closed 已办结 (re-check passed; a failed re-check returns it to rectifying)
    explained → dismissed 不予认定（supervisor's reason）
    any open state → closed 已办结 automatically when the model no longer finds the condition

Every step is an event of the alert's hash-chained stream ``alert:<id>`` (``zhifa.records``).
At most one open alert per model and object (a database constraint).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

from .problems import SEVERITY_CHOICES, ProblemModel

RAISED = "raised"
ASSIGNED = "assigned"
EXPLAINED = "explained"
RECTIFYING = "rectifying"
RECTIFIED = "rectified"
CLOSED = "closed"
DISMISSED = "dismissed"
STATUS_CHOICES = [
    (RAISED, "已预警"),
    (ASSIGNED, "已交办"),
    (EXPLAINED, "已说明"),
    (RECTIFYING, "整改中"),
    (RECTIFIED, "已报整改待复核"),
    (CLOSED, "已办结"),
    (DISMISSED, "不予认定"),
]
OPEN_STATUSES = (RAISED, ASSIGNED, EXPLAINED, RECTIFYING, RECTIFIED)
CARD_CHOICES = [("", "无"), ("yellow", "黄牌"), ("red", "红牌")]


class Alert(AuditedModel, ScopedModel):  # 预警
    """One finding of one problem model on one object, and how it was worked."""

    problem_model = models.ForeignKey(ProblemModel, verbose_name="问题模型", on_delete=models.PROTECT,
                                      related_name="alerts")
    object_type = models.CharField("对象类型", max_length=20)
    object_id = models.PositiveBigIntegerField("对象编号")
    agency = models.ForeignKey("orgs.Agency", verbose_name="责任执法主体", on_delete=models.PROTECT,
                               related_name="alerts")
    case = models.ForeignKey("cases.Case", verbose_name="相关案件", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="alerts")
    summary = models.CharField("问题摘要", max_length=300)
    facts = models.JSONField("判定事实", default=dict)
    severity = models.CharField("严重程度", max_length=8, choices=SEVERITY_CHOICES)
    status = models.CharField("状态", max_length=12, choices=STATUS_CHOICES, default=RAISED, db_index=True)
    is_open = models.BooleanField("未办结", default=True, editable=False)
    raised_at = models.DateTimeField("预警时间", default=clock.now)
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    reply_due_on = models.DateField("说明期限", null=True, blank=True)
    explanation = models.TextField("执法主体说明", blank=True)
    explained_at = models.DateTimeField("说明时间", null=True, blank=True)
    decision_reason = models.TextField("认定意见", blank=True)
    rectify_due_on = models.DateField("整改期限", null=True, blank=True)
    rectification = models.TextField("整改情况", blank=True)
    card = models.CharField("督办警示", max_length=8, choices=CARD_CHOICES, blank=True, default="")
    card_at = models.DateTimeField("警示时间", null=True, blank=True)
    reminded_on = models.DateField("最近提醒日期", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    close_reason = models.CharField("办结原因", max_length=300, blank=True)
    auto_closed = models.BooleanField("条件消除自动办结", default=False)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最近处理人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_area = "alerts"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["problem_model", "object_type", "object_id"], condition=Q(is_open=True),
                                    name="supervision_one_open_alert"),
        ]
        indexes = [
            models.Index(fields=["agency", "is_open"]),
            models.Index(fields=["problem_model", "is_open"]),
        ]

    def __str__(self):
        return f"预警{self.pk}：{self.summary[:40]}"

    def get_absolute_url(self):
        return reverse("supervision:alert_detail", args=[self.pk])

    @property
    def stream_key(self) -> str:
        """The key of this alert's hash-chained stream."""
        return f"alert:{self.pk}"

    @property
    def overdue(self) -> bool:
        """The reply or rectification deadline that runs now has passed."""
        today = clock.today()
        if self.status == ASSIGNED and self.reply_due_on:
            return self.reply_due_on < today
        if self.status == RECTIFYING and self.rectify_due_on:
            return self.rectify_due_on < today
        return False
