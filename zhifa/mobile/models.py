"""What a phone captured offline and sent once (离线采集件)."""

from django.conf import settings
from django.db import models

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

# Kinds a device may capture and what each becomes on the case.
PHOTO, AUDIO, VIDEO = "photo", "audio", "video"
INSPECTION_NOTE, INTERVIEW_NOTE, STATEMENT = "inspection_note", "interview_note", "statement"
SIGNATURE = "signature"
KIND_CHOICES = [
    (PHOTO, "照片"),
    (AUDIO, "录音"),
    (VIDEO, "录像"),
    (INSPECTION_NOTE, "现场检查记录"),
    (INTERVIEW_NOTE, "询问记录"),
    (STATEMENT, "当事人陈述申辩"),
    (SIGNATURE, "现场签名"),
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
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="captures")
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
        """A file travels with it: photos, recordings and signatures — not a refusal to sign."""
        return self.kind in FILE_KINDS and not (self.kind == SIGNATURE and self.data.get("refused"))
