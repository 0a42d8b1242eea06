"""Exchange models: what this instance sends upward (``Uplink``) and what it receives from
instances below it (``Source``, ``InboundEvent``, ``MirroredCase``)."""

import uuid

from django.db import models
from django.utils import timezone

from zhifa.core.crypto import EncryptedCharField
from zhifa.core.scoping import ScopedModel


class Uplink(models.Model):
    """An upper-level platform this instance pushes to (上报): a city or provincial zhifa, or any
    receiver speaking the outbox's wire format. ``receiver`` names an outbox receiver
    (``core.OutboxReceiver``: URL and signing secret); ``region`` limits what is sent to the
    cases of agencies in that region (empty: every case of this instance)."""

    receiver = models.SlugField("发件箱接收方标识", max_length=64, unique=True)
    label = models.CharField("上级平台名称", max_length=100)
    region = models.ForeignKey("orgs.Region", verbose_name="上报范围", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="uplinks")
    active = models.BooleanField("启用", default=True)
    created = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "上报配置"
        verbose_name_plural = verbose_name
        ordering = ["receiver"]

    def __str__(self):
        return f"{self.label}（{self.receiver}）"


class Source(ScopedModel):
    """A lower-level instance that pushes to this one (下级平台), e.g. a county's zhifa pushing to
    the city's. It posts to ``/api/exchange/inbound/<name>/`` signed with ``secret``; it may only
    send data of its own ``region`` (a region of this instance's organisation tree)."""

    scope_area = "exchange"
    scope_paths = ("region__path",)

    name = models.SlugField("标识", max_length=64, unique=True)
    label = models.CharField("名称", max_length=100)
    region = models.ForeignKey("orgs.Region", verbose_name="所辖区划", on_delete=models.PROTECT,
                               related_name="exchange_sources")
    secret = EncryptedCharField("签名密钥", max_length=200, audit_mask=lambda value: "******" if value else "")
    active = models.BooleanField("启用", default=True)
    last_received_at = models.DateTimeField("最近接收", null=True, blank=True)

    class Meta:
        verbose_name = "下级平台"
        verbose_name_plural = verbose_name
        ordering = ["name"]

    def __str__(self):
        return f"{self.label}（{self.name}）"


class InboundEvent(models.Model):
    """One event received from a source, kept as received (the idempotency key is its id)."""

    source = models.ForeignKey(Source, verbose_name="来源平台", on_delete=models.PROTECT, related_name="events")
    event_id = models.UUIDField("事件编号")
    stream = models.CharField("事件流", max_length=120)
    sequence = models.PositiveBigIntegerField("序号")
    event_type = models.CharField("事件类型", max_length=80)
    payload = models.JSONField("内容", default=dict)
    sent_at = models.DateTimeField("产生时间", null=True, blank=True)
    received_at = models.DateTimeField("接收时间", default=timezone.now)

    class Meta:
        verbose_name = "接收的事件"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["source", "event_id"], name="exchange_inbound_event_once"),
            models.UniqueConstraint(fields=["source", "stream", "sequence"], name="exchange_inbound_stream_order"),
        ]

    def __str__(self):
        return f"{self.source.name} {self.stream}#{self.sequence}"


class MirroredCase(ScopedModel):
    """A case of a lower-level instance as its pushes describe it (read-only here).

    Field names follow the data elements of the enforcement data standards (docs/exchange.md)."""

    scope_area = "exchange"
    scope_paths = ("source__region__path",)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(Source, verbose_name="来源平台", on_delete=models.PROTECT, related_name="cases")
    stream = models.CharField("事件流", max_length=120)
    last_sequence = models.PositiveBigIntegerField("已应用的序号", default=0)
    case_number = models.CharField("案件编号", max_length=60, blank=True)
    agency_name = models.CharField("执法主体名称", max_length=100)
    agency_credit_code = models.CharField("执法主体统一社会信用代码", max_length=18, blank=True)
    region_code = models.CharField("行政区划代码", max_length=9, db_index=True)
    item_code = models.CharField("执法事项编码", max_length=40, blank=True)
    item_name = models.CharField("执法事项名称", max_length=200, blank=True)
    party_kind = models.CharField("行政相对人类别", max_length=20, blank=True)
    party_name = models.CharField("行政相对人名称", max_length=200, blank=True)
    party_credit_code = models.CharField("行政相对人统一社会信用代码", max_length=18, blank=True)
    cause = models.CharField("案由", max_length=200, blank=True)
    procedure = models.CharField("程序类型", max_length=10, blank=True)
    stage = models.CharField("办案环节", max_length=20, blank=True)
    stage_name = models.CharField("办案环节名称", max_length=40, blank=True)
    source_kind = models.CharField("案件来源", max_length=20, blank=True)
    registered_on = models.DateField("登记日期", null=True, blank=True)
    filed_on = models.DateField("立案日期", null=True, blank=True)
    decided_on = models.DateField("处罚决定日期", null=True, blank=True, db_index=True)
    outcome = models.CharField("处理结果", max_length=20, blank=True)
    decision_number = models.CharField("处罚决定书文号", max_length=60, blank=True)
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_amount = models.DecimalField("没收金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    last_event_kind = models.CharField("最近环节记录", max_length=40, blank=True)
    last_event_summary = models.CharField("最近环节摘要", max_length=300, blank=True)
    last_event_time = models.DateTimeField("最近环节时间", null=True, blank=True)
    last_event_hash = models.CharField("最近记录哈希", max_length=128, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "下级平台案件"
        verbose_name_plural = verbose_name
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "stream"], name="exchange_mirrored_case_stream")]
        indexes = [models.Index(fields=["source", "-updated_at", "-id"], name="exchange_mcase_source_recent")]

    def __str__(self):
        return f"{self.case_number or self.stream}（{self.agency_name}）"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("exchange:case_detail", args=[self.pk])
