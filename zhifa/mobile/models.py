"""What a phone captured offline and sent once (离线采集件)."""

from django.conf import settings
from django.db import models

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

# Kinds a device may capture and what each becomes on the case.
PHOTO, AUDIO, VIDEO = "photo", "audio", "video"
INSPECTION_NOTE, INTERVIEW_NOTE, STATEMENT = "inspection_note", "interview_note", "statement"
SIGNATURE = "signature"
SPOT_DECISION = "spot_decision"  # 当场处罚决定（离线填写，预编号）
KIND_CHOICES = [
    (PHOTO, "照片"),
    (AUDIO, "录音"),
    (VIDEO, "录像"),
    (INSPECTION_NOTE, "现场检查记录"),
    (INTERVIEW_NOTE, "询问记录"),
    (STATEMENT, "当事人陈述申辩"),
    (SIGNATURE, "现场签名"),
    (SPOT_DECISION, "当场处罚决定"),
]
FILE_KINDS = (PHOTO, AUDIO, VIDEO, SIGNATURE)
SIGNER_ROLES = {"party": "当事人", "officer": "执法人员", "witness": "见证人", "interviewee": "被询问人",
                "officer1": "执法人员（一）", "officer2": "执法人员（二）"}
#: the signer role of a document's signature block (zhifa.documents.signatures) for each role above
DOCUMENT_ROLES = {"officer": "officer1"}

RECEIVING, ACCEPTED, CONFLICT, ATTACHED_WITH_NOTE, DISCARDED = (
    "receiving", "accepted", "conflict", "attached_with_note", "discarded")
STATE_CHOICES = [
    (RECEIVING, "接收中"),
    (ACCEPTED, "已入卷"),
    (CONFLICT, "冲突待处理"),
    (ATTACHED_WITH_NOTE, "已附说明补录"),
    (DISCARDED, "已作废"),
]


class Capture(AuditedModel, ScopedModel):  # 离线采集件
    """One item captured on a phone, received once per (user, idempotency key).

    The device's key makes every retry of the same item land on this row; the file travels
    through a resumable ``records.Upload`` and is checked against the SHA-256 the device
    computed before it is attached to the case (chain of custody, ``docs/mobile.md``).
    """

    key = models.UUIDField("幂等键")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="采集人", on_delete=models.PROTECT,
                              related_name="+")
    # empty for an on-the-spot decision until the server has created its case
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="captures",
                             null=True, blank=True)
    agency = models.ForeignKey("orgs.Agency", verbose_name="办案机关", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("种类", max_length=20, choices=KIND_CHOICES)
    captured_at = models.DateTimeField("采集时间（设备时间）")
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    based_on_stage = models.CharField("采集时案件环节", max_length=20)
    data = models.JSONField("采集内容", default=dict, blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    file_size = models.BigIntegerField("文件大小（字节）", null=True, blank=True)
    client_sha256 = models.CharField("设备计算的 SHA-256", max_length=64, blank=True)
    upload = models.ForeignKey("records.Upload", verbose_name="上传", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    stored_file = models.ForeignKey("records.StoredFile", verbose_name="存储文件", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES, default=RECEIVING)
    result = models.JSONField("入卷结果", default=dict, blank=True)
    conflict_reason = models.TextField("冲突原因", blank=True)
    resolution_note = models.TextField("处理说明", blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    received_at = models.DateTimeField("首次接收时间", auto_now_add=True)

    scope_area = "cases"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "离线采集件"
        verbose_name_plural = "离线采集件"
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="mobile_capture_once_per_key")]
        indexes = [models.Index(fields=["owner", "state", "-received_at"], name="mobile_capture_owner_state")]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.key}）"

    @property
    def has_file(self) -> bool:
        """Photos, audio, video and signatures (not a refusal to sign); an on-the-spot decision when
        the party signed."""
        if self.kind == SIGNATURE and self.data.get("refused"):
            return False
        return self.kind in FILE_KINDS or (self.kind == SPOT_DECISION and self.file_size is not None)


# --- pre-numbered on-the-spot decision forms (预编号当场处罚决定书) --------------------------------

NUMBER_RESERVED, NUMBER_USED, NUMBER_VOIDED, NUMBER_RETURNED = "reserved", "used", "voided", "returned"
NUMBER_STATE_CHOICES = [
    (NUMBER_RESERVED, "已领用未使用"),
    (NUMBER_USED, "已使用"),
    (NUMBER_VOIDED, "已作废"),
    (NUMBER_RETURNED, "已退回"),
]


class ReservedNumber(AuditedModel, ScopedModel):  # 预编号当场处罚决定书
    """One number of the agency's on-the-spot decision series (``decision_number(simple=True)``)
    reserved for an officer's device, so a decision filled in with no network carries a number
    that no online decision can take (处罚法第五十二条: a pre-printed, serially numbered form).

    A number is used at most once (``case``), voided with a reason (作废, kept and shown) or
    returned unused with its block (退回, kept: a serial series explains every gap). A decision the
    server refused at sync leaves the number reserved and flagged (``flag``) until it is voided
    or used by the conflict's resolution.
    """

    agency = models.ForeignKey("orgs.Agency", verbose_name="办案机关", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="领用人", on_delete=models.PROTECT,
                              related_name="+")
    block = models.UUIDField("领用批次")
    device_label = models.CharField("设备", max_length=100, blank=True)
    year = models.PositiveIntegerField("年度")
    number = models.CharField("决定书编号", max_length=100, unique=True)
    state = models.CharField("状态", max_length=20, choices=NUMBER_STATE_CHOICES, default=NUMBER_RESERVED)
    case = models.OneToOneField("cases.Case", verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="reserved_number")
    flag = models.TextField("待处理说明", blank=True, help_text="同步时被拒绝的原因；作废或重新入卷后清除。")
    reason = models.TextField("作废或退回理由", blank=True)
    reserved_at = models.DateTimeField("领用时间", auto_now_add=True)
    closed_at = models.DateTimeField("使用、作废或退回时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    scope_area = "cases"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "预编号当场处罚决定书"
        verbose_name_plural = "预编号当场处罚决定书"
        indexes = [
            models.Index(fields=["owner", "state", "id"], name="mobile_number_owner_state"),
            models.Index(fields=["agency", "-id"], name="mobile_number_agency"),
        ]

    def __str__(self):
        return self.number


# --- one-time link for the party (送达链接) ------------------------------------------------------

LINK_HOURS = 72  # a link opens for 72 hours after it is made
LINK_USES = 3  # and gives the PDF at most three times


class DocumentLink(AuditedModel, ScopedModel):  # 决定书一次性下载链接
    """A link the party opens on their own phone (``/public/d/<token>/``, no sign-in) to download
    one decision document: only the SHA-256 of the random token is stored; it expires after
    ``LINK_HOURS``, gives the PDF at most ``LINK_USES`` times and can be revoked."""

    document = models.ForeignKey("cases.CaseDocument", verbose_name="文书", on_delete=models.PROTECT,
                                 related_name="links")
    agency = models.ForeignKey("orgs.Agency", verbose_name="办案机关", on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    max_uses = models.PositiveSmallIntegerField("可下载次数", default=LINK_USES)
    uses = models.PositiveSmallIntegerField("已下载次数", default=0)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤销人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    scope_area = "cases"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "决定书一次性下载链接"
        verbose_name_plural = "决定书一次性下载链接"
        indexes = [models.Index(fields=["document", "-id"], name="mobile_link_document")]

    def __str__(self):
        return f"{self.document}（{self.uses}/{self.max_uses}）"
