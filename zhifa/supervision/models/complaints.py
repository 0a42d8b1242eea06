"""Complaints and tips (投诉举报, SUP-3) from the portal, from staff entry of calls and letters, and
from the 12345 / 12348 hotlines (热线工单).

Changed only by ``zhifa.supervision.complaints.services``; which status follows which is defined
once in ``zhifa.supervision.complaints.procedure``. Every step is an event of the complaint's
hash-chained stream ``complaint:<id>`` (``zhifa.records``).

The complainant's identity lives in its own table (``Complainant``, encrypted at rest) that no
list, serializer or export reads: only ``complaints.identity.identity_for`` opens it, for the
handling chain, and logs every reading (``records.AccessLog``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.audit import AuditedModel
from zhifa.core.crypto import EncryptedCharField
from zhifa.core.scoping import ScopedModel, ancestor_paths, region_part
from zhifa.parties.masking import mask_id_number, mask_phone

from ..complaints import procedure as proc

# Kinds (类别)
COMPLAINT = "complaint"  # 投诉：本人权益受侵害
TIP = "tip"  # 举报：反映他人违法行为
ENFORCEMENT = "enforcement"  # 对执法行为的投诉（反映执法主体、执法人员）
KIND_CHOICES = [(COMPLAINT, "投诉"), (TIP, "举报"), (ENFORCEMENT, "对行政执法行为的投诉")]

# Sources (来源渠道)
PORTAL = "portal"
PHONE = "phone"
LETTER = "letter"
VISIT = "visit"
HOTLINE_12345 = "hotline_12345"
HOTLINE_12348 = "hotline_12348"
SOURCE_CHOICES = [
    (PORTAL, "网上投诉（公示门户）"),
    (PHONE, "来电"),
    (LETTER, "来信"),
    (VISIT, "来访"),
    (HOTLINE_12345, "12345政务服务便民热线"),
    (HOTLINE_12348, "12348公共法律服务热线"),
]
HOTLINE_SOURCES = (HOTLINE_12345, HOTLINE_12348)
STAFF_SOURCES = (PHONE, LETTER, VISIT)
STAFF_SOURCE_CHOICES = [c for c in SOURCE_CHOICES if c[0] in STAFF_SOURCES]
HOTLINE_SOURCE_CHOICES = [c for c in SOURCE_CHOICES if c[0] in HOTLINE_SOURCES]

# Decision on the matter (处理决定)
OPEN_CASE = "open_case"
NO_CASE = "no_case"
HANDLED = "handled"
DECISION_CHOICES = [
    (OPEN_CASE, "立案查处"),
    (NO_CASE, "不予立案（说明理由）"),
    (HANDLED, "已核查处理（无需立案）"),
]

SATISFIED = "satisfied"
BASIC = "basic"
DISSATISFIED = "dissatisfied"
SATISFACTION_CHOICES = [(SATISFIED, "满意"), (BASIC, "基本满意"), (DISSATISFIED, "不满意")]
SATISFIED_VALUES = (SATISFIED, BASIC)


class HotlineSystem(AuditedModel, ScopedModel):  # 热线系统（12345 / 12348 工单系统）
    """A hotline system that pushes work orders (工单) through the API and receives status back.

    It signs every request with its secret (HMAC-SHA256, docs/complaints.md); its work orders
    belong to its region; statuses go back through the outbox to the receiver ``receiver``
    (a ``core.OutboxReceiver`` the system administrator configures)."""

    code = models.CharField("系统编码", max_length=40, unique=True, help_text="请求头 X-Hotline-System 的值")
    name = models.CharField("名称", max_length=100)
    source = models.CharField("热线", max_length=16, choices=HOTLINE_SOURCE_CHOICES)
    region = models.ForeignKey("orgs.Region", verbose_name="所属行政区划", on_delete=models.PROTECT, related_name="+")
    secret = EncryptedCharField("签名密钥", max_length=128)
    receiver = models.CharField("状态回传接收方", max_length=60, help_text="外发消息接收方（OutboxReceiver）名称")
    active = models.BooleanField("启用", default=True)

    scope_area = "hotlines"
    scope_paths = ("region__path",)

    class Meta:
        verbose_name = "热线系统"
        verbose_name_plural = "热线系统"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class DeadlineRule(AuditedModel, ScopedModel):  # 投诉举报办理时限
    """The working-day limits of one source in one region (and below): acknowledge (受理),
    decide whether to open a case (作出处理决定), reply to the complainant (答复).
    The nearest region's rule wins; without one the defaults of ``complaints.deadlines`` apply."""

    region = models.ForeignKey("orgs.Region", verbose_name="行政区划", on_delete=models.CASCADE, related_name="+")
    source = models.CharField("来源渠道", max_length=16, choices=SOURCE_CHOICES)
    acknowledge_days = models.PositiveSmallIntegerField("受理时限（工作日）")
    decide_days = models.PositiveSmallIntegerField("处理决定时限（工作日）")
    reply_days = models.PositiveSmallIntegerField("答复时限（工作日）")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_area = "complaints"
    scope_paths = ("region__path",)

    class Meta:
        verbose_name = "投诉举报办理时限"
        verbose_name_plural = "投诉举报办理时限"
        ordering = ["region__path", "source"]
        constraints = [models.UniqueConstraint(fields=["region", "source"], name="supervision_deadline_rule_once")]

    def __str__(self):
        return f"{self.region.name}·{self.get_source_display()}"

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        """The rules of the user's region, of the regions above (which apply to it) and below."""
        region_path = region_part(path)
        return Q(region__path__startswith=region_path) | Q(region__path__in=ancestor_paths(region_path))


class Complaint(AuditedModel, ScopedModel):  # 投诉举报
    """One complaint or tip, from intake to closure."""

    number = models.CharField("编号", max_length=30, unique=True)
    kind = models.CharField("类别", max_length=12, choices=KIND_CHOICES, default=COMPLAINT)
    source = models.CharField("来源渠道", max_length=16, choices=SOURCE_CHOICES, db_index=True)
    hotline_system = models.ForeignKey(HotlineSystem, verbose_name="热线系统", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="complaints")
    work_order_number = models.CharField("热线工单号", max_length=64, blank=True, default="")
    region = models.ForeignKey("orgs.Region", verbose_name="事发地行政区划", on_delete=models.PROTECT,
                               related_name="+")
    item = models.ForeignKey("catalog.Item", verbose_name="涉及执法事项", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("orgs.Agency", verbose_name="承办执法主体", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="complaints")
    handlers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="承办人", blank=True,
                                      related_name="handled_complaints")
    reported_agency = models.ForeignKey("orgs.Agency", verbose_name="被投诉执法主体", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="complaints_against")
    reported_party = models.ForeignKey("parties.Party", verbose_name="被投诉举报企业（当事人）", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="complaints_against")
    reported_name = models.CharField("被投诉举报对象", max_length=200, blank=True)
    subject = models.CharField("事由", max_length=200)
    content = models.TextField("内容")
    place = models.CharField("事发地点", max_length=200, blank=True)
    anonymous = models.BooleanField("匿名", default=False)

    status = models.CharField("状态", max_length=12, choices=proc.STATUS_CHOICES, db_index=True)
    received_at = models.DateTimeField("收到时间", default=clock.now)
    received_on = models.DateField("收到日期", default=clock.today, db_index=True)
    acknowledge_due = models.DateField("受理期限")
    decide_due = models.DateField("处理决定期限", null=True, blank=True)
    reply_due = models.DateField("答复期限")
    # the deadline that runs now (the list's order and the overdue models read it)
    next_due = models.DateField("当前期限", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    decision = models.CharField("处理决定", max_length=10, choices=DECISION_CHOICES, blank=True)
    decision_reason = models.TextField("处理意见", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name="立案查处的案件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="complaints")
    case_outcome = models.CharField("案件办理结果", max_length=300, blank=True)
    reply = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    satisfaction = models.CharField("满意度", max_length=12, choices=SATISFACTION_CHOICES, blank=True)
    satisfaction_channel = models.CharField("评价渠道", max_length=16, choices=SOURCE_CHOICES, blank=True)
    satisfaction_at = models.DateTimeField("评价时间", null=True, blank=True)
    transfer_count = models.PositiveSmallIntegerField("转办次数", default=0)
    reminded_on = models.DateField("最近催办日期", null=True, blank=True)
    escalated_on = models.DateField("超期上报日期", null=True, blank=True)
    # the portal's query code (查询码) is shown once; only its keyed hash is kept
    query_code_hash = models.CharField("查询码摘要", max_length=64, blank=True, default="", editable=False,
                                       db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    # The handling agency's staff see what is assigned to their agency; supervisors see every
    # complaint about their region (routed or not). An agency complained about does not see the
    # complaint unless it is the one handling it (and then not the complainant: ``identity``).
    scope_area = "complaints"
    scope_paths = ("agency__tree_path", "region__path")

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "work_order_number"], condition=~Q(work_order_number=""),
                                    name="supervision_complaint_work_order_once"),
        ]
        indexes = [
            models.Index(fields=["agency", "-received_at", "-id"], name="sup_complaint_agency_recv"),
            models.Index(fields=["region", "-received_at", "-id"], name="sup_complaint_region_recv"),
            models.Index(fields=["status", "next_due"], name="sup_complaint_status_due"),
            models.Index(fields=["reported_party", "received_on"], name="sup_complaint_party_on"),
            models.Index(fields=["reported_agency", "received_on"], name="sup_complaint_ragency_on"),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("supervision:complaint_detail", args=[self.pk])

    @property
    def stream_key(self) -> str:
        return f"complaint:{self.pk}"

    @property
    def overdue(self) -> bool:
        return bool(self.next_due and self.next_due < clock.today())


class Complainant(AuditedModel, models.Model):  # 投诉举报人
    """Who complained: encrypted at rest, read only through ``complaints.identity``."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="complainant")
    name = EncryptedCharField("姓名", max_length=50, blank=True, audit_mask=lambda v: (v[:1] + "*") if v else v)
    phone = EncryptedCharField("联系电话", max_length=40, blank=True, audit_mask=mask_phone)
    id_number = EncryptedCharField("证件号码", max_length=30, blank=True, audit_mask=mask_id_number)
    address = EncryptedCharField("联系地址", max_length=200, blank=True, audit_mask=lambda v: "（已隐去）" if v else v)

    class Meta:
        verbose_name = "投诉举报人"
        verbose_name_plural = "投诉举报人"

    def __str__(self):
        return f"投诉举报人（{self.complaint.number}）"
