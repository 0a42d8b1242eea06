"""Supervision actions (监督措施, SUP-4): 督办, 行政执法监督意见书, 纠错通知书, 督查函, the
突出问题清单 with rectification tracking, and 专项监督 campaigns.

Changed only by ``zhifa.supervision.actions`` (services). An action is addressed to one agency,
which sees and answers it in its own workspace; its document is rendered through the documents
app from a replaceable template and kept as stored files.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

SUPERVISE = "supervise"  # 督办
OPINION = "opinion"  # 行政执法监督意见书
CORRECTION = "correction"  # 纠错通知书
LETTER = "letter"  # 督查函
KIND_CHOICES = [
    (SUPERVISE, "督办通知"),
    (OPINION, "行政执法监督意见书"),
    (CORRECTION, "纠错通知书"),
    (LETTER, "督查函"),
]
# The document kind (zhifa.documents.kinds) of each action.
DOCUMENT_CODES = {
    SUPERVISE: "supervision_notice",
    OPINION: "supervision_opinion",
    CORRECTION: "correction_notice",
    LETTER: "inspection_letter",
}
NUMBER_MARKS = {SUPERVISE: "督办", OPINION: "监意", CORRECTION: "纠", LETTER: "督函"}

ISSUED = "issued"
ANSWERED = "answered"
CLOSED = "closed"
STATUS_CHOICES = [(ISSUED, "待答复"), (ANSWERED, "已答复"), (CLOSED, "已办结")]

TARGET_CATEGORY = 95  # 整改完成率目标（%），三年行动方案


class Campaign(AuditedModel, ScopedModel):  # 专项监督
    """A special supervision campaign grouping alerts, letters, lists and evaluation plans."""

    title = models.CharField("专项监督名称", max_length=200)
    region = models.ForeignKey("orgs.Region", verbose_name="组织区域", on_delete=models.PROTECT, related_name="+")
    description = models.TextField("工作内容")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_area = "alerts"
    scope_paths = ("region__path",)

    class Meta:
        verbose_name = "专项监督"
        verbose_name_plural = "专项监督"
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:campaign_detail", args=[self.pk])


class CampaignLink(models.Model):
    """An object grouped into a campaign (an alert, an action, a problem list, an evaluation plan)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = "专项监督关联事项"
        verbose_name_plural = "专项监督关联事项"
        constraints = [models.UniqueConstraint(fields=["campaign", "content_type", "object_id"],
                                               name="supervision_campaign_link_once")]

    def __str__(self):
        return f"{self.campaign}：{self.content_type.name} {self.object_id}"


class SupervisionAction(AuditedModel, ScopedModel):  # 监督措施（督办、意见书、纠错通知书、督查函）
    """A 督办 of a case or an alert, a supervision opinion, a correction notice or a letter to
    an agency listing its problems; it has a reply deadline and the agency's written reply."""

    kind = models.CharField("种类", max_length=12, choices=KIND_CHOICES)
    number = models.CharField("文号", max_length=60, blank=True)
    agency = models.ForeignKey("orgs.Agency", verbose_name="被监督执法主体", on_delete=models.PROTECT,
                               related_name="supervision_actions")
    target_type = models.ForeignKey(ContentType, verbose_name="督办对象类型", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField("督办对象编号", null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    alerts = models.ManyToManyField("supervision.Alert", verbose_name="所列问题", blank=True,
                                    related_name="actions")
    campaign = models.ForeignKey(Campaign, verbose_name="专项监督", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="actions")
    title = models.CharField("事由", max_length=200)
    findings = models.TextField("发现的问题")
    requirements = models.TextField("监督意见和要求")
    legal_basis = models.CharField("依据", max_length=300, blank=True)
    reply_due_on = models.DateField("答复期限")
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=ISSUED, db_index=True)
    reply = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    docx = models.ForeignKey("records.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pdf = models.ForeignKey("records.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT,
                                  related_name="+")
    issuer_name = models.CharField("监督机关", max_length=100)
    issued_on = models.DateField("签发日期", default=clock.today)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    scope_area = "alerts"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "监督措施"
        verbose_name_plural = "监督措施"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()

    def get_absolute_url(self):
        return reverse("supervision:action_detail", args=[self.pk])

    @property
    def stream_key(self) -> str:
        return f"supaction:{self.pk}"

    @property
    def overdue(self) -> bool:
        return self.status == ISSUED and self.reply_due_on < clock.today()


class ProblemList(AuditedModel, ScopedModel):  # 突出问题清单
    """A list of outstanding problems of a region, each item rectified by an agency by a date;
    its completion rate is measured against the action plan's 95% target."""

    title = models.CharField("清单名称", max_length=200)
    region = models.ForeignKey("orgs.Region", verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, verbose_name="专项监督", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="problem_lists")
    target_rate = models.DecimalField("整改完成率目标（%）", max_digits=5, decimal_places=2,
                                      default=Decimal(TARGET_CATEGORY))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_on = models.DateField("建立日期", default=clock.today)

    scope_area = "alerts"
    scope_paths = ("region__path",)

    class Meta:
        verbose_name = "突出问题清单"
        verbose_name_plural = "突出问题清单"
        ordering = ["-created_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:problem_list_detail", args=[self.pk])


class ProblemItem(AuditedModel, ScopedModel):  # 清单问题（整改台账）
    """One problem on the list: the agency responsible, the measure, the deadline, the progress."""

    OPEN = "open"
    REPORTED = "reported"
    DONE = "done"
    STATUS_CHOICES = [(OPEN, "整改中"), (REPORTED, "已报整改待核验"), (DONE, "已完成整改")]

    problem_list = models.ForeignKey(ProblemList, verbose_name="突出问题清单", on_delete=models.CASCADE,
                                     related_name="items")
    agency = models.ForeignKey("orgs.Agency", verbose_name="责任执法主体", on_delete=models.PROTECT,
                               related_name="problem_items")
    alert = models.ForeignKey("supervision.Alert", verbose_name="来源预警", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="problem_items")
    description = models.TextField("问题描述")
    measure = models.TextField("整改措施")
    due_on = models.DateField("整改期限")
    status = models.CharField("整改状态", max_length=10, choices=STATUS_CHOICES, default=OPEN)
    progress = models.TextField("整改进展", blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)

    scope_area = "alerts"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "清单问题"
        verbose_name_plural = "清单问题"
        ordering = ["problem_list", "due_on", "id"]

    def __str__(self):
        return self.description[:40]

    def get_absolute_url(self):
        return self.problem_list.get_absolute_url()

    @property
    def overdue(self) -> bool:
        return self.status != self.DONE and self.due_on < clock.today()
