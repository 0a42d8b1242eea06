"""The full-process record (执法全过程记录, 处罚法 Art. 47): tamper-evident event streams,
content-addressed files, resumable uploads and the access log (REC-1, REC-2, REC-4).

- ``Stream``/``Event``: each stream (e.g. ``case:42``) is a hash chain. Event *n* stores
  ``hash = H(prev_hash || canonical JSON of its content)``; the stream row keeps the head
  (last seq and hash). Events are append-only: the application refuses changes and, on
  PostgreSQL, a trigger refuses UPDATE and DELETE.
- ``StoredFile``: bytes stored once under ``objects/ab/cd/<hash>`` in the default storage.
- ``Upload``: a resumable (tus-like) upload in progress, visible to its uploader only.
- ``AccessLog``: who viewed, downloaded or verified what (append-only).

Streams are not scoped by the organisation tree here: the app owning a stream prefix
registers a resolver (``zhifa.records.services.register_stream_owner``) that decides who may
see it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhifa.core.models import AppendOnlyModel, AppendOnlyQuerySetMixin

ALGORITHM_CHOICES = [("sm3", "SM3"), ("sha256", "SHA-256")]


class Stream(models.Model):
    """One hash chain of events (记录流), keyed like ``case:42``; keeps the chain head."""

    key = models.CharField("记录流", max_length=100, unique=True)
    head_seq = models.PositiveIntegerField("最新序号", default=0)
    head_hash = models.CharField("最新哈希", max_length=128, blank=True)
    algorithm = models.CharField("创建时算法", max_length=10, choices=ALGORITHM_CHOICES)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    # the last full recomputation of the chain by the integrity check (zhifa.records.integrity):
    # when, and up to which link; a stream is due again when it grew or the cycle has passed
    verified_at = models.DateTimeField("最近完整校验时间", null=True, blank=True)
    verified_seq = models.PositiveIntegerField("完整校验至序号", default=0)

    class Meta:
        verbose_name = "记录流"
        verbose_name_plural = "记录流"
        ordering = ["key"]
        indexes = [models.Index(fields=["verified_at"], name="records_stream_verified")]

    def __str__(self):
        return self.key

    @property
    def prefix(self) -> str:
        """The owner prefix of the key (``case`` of ``case:42``)."""
        return self.key.partition(":")[0]


class EventQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    """Append-only: bulk updates and deletes are refused."""


class Event(AppendOnlyModel):
    """One recorded step (全过程记录事项): what, who, when, where, with which files.

    ``hash`` covers the previous event's hash and every field listed in
    ``zhifa.records.services.event_content``; ``algorithm`` is the hash function used for this
    event, so a chain stays verifiable after the configured algorithm changes.
    """

    stream = models.ForeignKey(Stream, verbose_name="记录流", on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField("序号")
    kind = models.CharField("类型", max_length=40)
    summary = models.CharField("摘要", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    time = models.DateTimeField("时间", default=timezone.now)
    place_text = models.CharField("地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    payload = models.JSONField("内容", default=dict, blank=True)
    files = models.JSONField("文件", default=list, blank=True, help_text="[{hash, algorithm, size, name}]")
    prev_hash = models.CharField("前序哈希", max_length=128, blank=True)
    hash = models.CharField("哈希", max_length=128)
    algorithm = models.CharField("算法", max_length=10, choices=ALGORITHM_CHOICES)

    objects = EventQuerySet.as_manager()

    append_only_hint = "如需更正，请追加一条更正记录。"

    class Meta:
        verbose_name = "全过程记录"
        verbose_name_plural = "全过程记录"
        ordering = ["stream_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="records_event_stream_seq")]

    def __str__(self):
        return f"{self.stream.key}#{self.seq} {self.summary}"


class StoredFileQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    """Stored files are immutable: bulk updates and deletes are refused."""


class StoredFile(AppendOnlyModel):
    """A file stored once by its content hash (内容寻址存储); duplicates share one row."""

    hash = models.CharField("哈希", max_length=128, unique=True)
    algorithm = models.CharField("算法", max_length=10, choices=ALGORITHM_CHOICES)
    size = models.BigIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)
    original_name = models.CharField("原文件名", max_length=255)
    created = models.DateTimeField("存储时间", auto_now_add=True)

    objects = StoredFileQuerySet.as_manager()

    class Meta:
        verbose_name = "存储文件"
        verbose_name_plural = "存储文件"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.original_name}（{self.hash[:12]}…）"

    @property
    def storage_name(self) -> str:
        """Name of the bytes in the default storage: ``objects/ab/cd/<hash>``."""
        return object_name(self.hash)

    def as_reference(self) -> dict:
        """The description of this file an event stores (and hashes)."""
        return {"hash": self.hash, "algorithm": self.algorithm, "size": self.size, "name": self.original_name}


def object_name(digest: str) -> str:
    """Storage name of the object with hash ``digest``."""
    return f"objects/{digest[:2]}/{digest[2:4]}/{digest}"


class Upload(models.Model):
    """A resumable upload in progress (断点续传): the declared file, the bytes received so far
    in a temporary file, and the stored file once complete. Only the uploader sees it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE,
                              related_name="+")
    name = models.CharField("文件名", max_length=255)
    size = models.BigIntegerField("大小（字节）")
    declared_type = models.CharField("声明类型", max_length=100, blank=True)
    received = models.BigIntegerField("已接收（字节）", default=0)
    temp_path = models.CharField("临时文件", max_length=500)
    created = models.DateTimeField("开始时间", auto_now_add=True)
    updated = models.DateTimeField("更新时间", auto_now=True)
    completed = models.ForeignKey(StoredFile, verbose_name="存储文件", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "上传"
        verbose_name_plural = "上传"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name}（{self.received}/{self.size}）"

    @property
    def is_complete(self) -> bool:
        return self.completed_id is not None


class AccessLogQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    """Append-only: bulk updates and deletes are refused.

    The access log (who viewed what) is an audit record: only the audit administrator reads
    it, within their part of the tree (等保 三级: audit records belong to the auditor, not to
    the officers or the system administrator whose access they record)."""

    def restrict(self, user, action="view"):
        from zhifa.core.scoping import user_scope_path

        path = user_scope_path(user)
        if path is None or action != "view" or not user.has_capability("audit", "view"):
            return self.none()
        return self if path == "" else self.filter(scope_path__startswith=path)


class AccessLog(AppendOnlyModel):
    """One view, download or verification of recorded material (访问日志, REC-4)."""

    ACTION_CHOICES = [("view", "查看"), ("download", "下载"), ("verify", "校验")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    user_name = models.CharField("用户姓名", max_length=150, blank=True)
    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    action = models.CharField("操作", max_length=10, choices=ACTION_CHOICES)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=128)
    stream_key = models.CharField("记录流", max_length=100, blank=True, db_index=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    # Organisation path of the recorded material (from the stream owner), so the audit
    # administrator reads the access log of their part of the tree only.
    scope_path = models.CharField("所属组织路径", max_length=255, blank=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "访问日志"
        verbose_name_plural = "访问日志"
        ordering = ["-time", "-id"]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_name} {self.get_action_display()} {self.object_type}:{self.object_id}"


class CheckpointQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    """Signed checkpoints are history: bulk updates and deletes are refused. All of them are
    public (the portal publishes every checkpoint with its signature)."""

    def public(self):
        return self.all()


class Checkpoint(AppendOnlyModel):
    """A signed checkpoint (签名检查点): the Merkle root of the heads of every record stream
    (case records and the audit trail) at one moment, signed with a key kept outside the
    database (SM2, GB/T 32918), published on the portal and pushed to the supervising level.
    ``zhifa verify`` checks each stream against the latest one, so history rewritten after it
    — even with every later hash recomputed — is named. See ``zhifa.records.checkpoints``."""

    number = models.PositiveIntegerField("编号", unique=True)
    created = models.DateTimeField("生成时间")
    issuer = models.CharField("签发方", max_length=100)
    hash_algorithm = models.CharField("哈希算法", max_length=10, choices=ALGORITHM_CHOICES)
    stream_count = models.PositiveIntegerField("记录流数")
    root = models.CharField("默克尔根", max_length=128)
    previous_root = models.CharField("上一检查点根", max_length=128, blank=True)
    signature_algorithm = models.CharField("签名算法", max_length=20)
    public_key = models.CharField("公钥", max_length=200)
    signature = models.CharField("签名", max_length=200)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = "签名检查点"
        verbose_name_plural = "签名检查点"
        ordering = ["-number"]

    def __str__(self):
        return f"第 {self.number} 号检查点（{self.created:%Y-%m-%d %H:%M}）"

    @classmethod
    def public_q(cls):
        return models.Q()


class CheckpointHeadQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    """Append-only."""


class CheckpointHead(AppendOnlyModel):
    """A stream head signed in a checkpoint. Only heads that moved since the previous
    checkpoint are stored; a checkpoint's full set is the latest head per stream up to it."""

    checkpoint = models.ForeignKey(Checkpoint, verbose_name="检查点", on_delete=models.PROTECT, related_name="heads")
    stream_key = models.CharField("记录流", max_length=100)
    seq = models.PositiveBigIntegerField("序号")
    hash = models.CharField("哈希", max_length=128)

    objects = CheckpointHeadQuerySet.as_manager()

    class Meta:
        verbose_name = "检查点记录流头部"
        verbose_name_plural = "检查点记录流头部"
        constraints = [models.UniqueConstraint(fields=["checkpoint", "stream_key"], name="records_checkpointhead_once")]
        indexes = [models.Index(fields=["stream_key", "checkpoint"])]

    def __str__(self):
        return f"{self.stream_key}#{self.seq}"


class CheckpointPush(models.Model):
    """Delivery of a checkpoint to the supervising level (上级报送): one row per checkpoint
    and address, retried until the receiver accepts it."""

    STATUS_CHOICES = [("pending", "待报送"), ("sent", "已报送"), ("failed", "报送失败")]

    checkpoint = models.ForeignKey(Checkpoint, verbose_name="检查点", on_delete=models.PROTECT, related_name="pushes")
    url = models.CharField("报送地址", max_length=500)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default="pending")
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_attempt = models.DateTimeField("最近尝试", null=True, blank=True)
    response_status = models.PositiveIntegerField("响应状态码", null=True, blank=True)
    error = models.CharField("错误", max_length=500, blank=True)
    sent_at = models.DateTimeField("报送时间", null=True, blank=True)

    class Meta:
        verbose_name = "检查点报送"
        verbose_name_plural = "检查点报送"
        ordering = ["-checkpoint__number", "url"]
        constraints = [models.UniqueConstraint(fields=["checkpoint", "url"], name="records_checkpointpush_once")]

    def __str__(self):
        return f"{self.checkpoint} → {self.url}（{self.get_status_display()}）"


class FileVerification(models.Model):
    """The cached result of re-hashing one stored file (文件校验结果): when it was last checked,
    by which job or command, and whether the bytes still match. The case page's badge reads it
    instead of re-hashing every file on every view; the periodic job "records.verify_files"
    refreshes it; the API's verify and ``zhifa verify`` still re-hash (and record what they found)."""

    stored_file = models.OneToOneField(StoredFile, verbose_name="存储文件", on_delete=models.CASCADE,
                                       related_name="verification", primary_key=True)
    ok = models.BooleanField("校验通过")
    problem = models.CharField("问题", max_length=300, blank=True)
    verified_at = models.DateTimeField("校验时间", db_index=True)
    verified_by = models.CharField("校验者", max_length=60, help_text="后台任务或命令的名称")

    class Meta:
        verbose_name = "文件校验结果"
        verbose_name_plural = "文件校验结果"

    def __str__(self):
        return f"{self.stored_file_id}：{'通过' if self.ok else '未通过'}（{self.verified_at:%Y-%m-%d %H:%M}）"


class IntegrityCheck(models.Model):
    """One run of the integrity check (完整性校验, ``zhifa.records.integrity``): the latest
    checkpoint's signature, root and signed links, the whole audit-trail chain, and the record
    streams that were due. The daily run then signs the next checkpoint when everything passed;
    an audit administrator's run (立即校验) only checks."""

    SCHEDULE, REQUEST = "schedule", "request"
    TRIGGER_CHOICES = [(SCHEDULE, "每日定时"), (REQUEST, "人工发起")]
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [(QUEUED, "排队中"), (RUNNING, "正在校验"), (DONE, "已完成"), (FAILED, "运行出错")]

    trigger = models.CharField("发起方式", max_length=10, choices=TRIGGER_CHOICES)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("状态", max_length=8, choices=STATUS_CHOICES, default=QUEUED)
    ok = models.BooleanField("校验通过", null=True)
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    streams_checked = models.PositiveIntegerField("完整校验的记录流", default=0)
    events_checked = models.PositiveBigIntegerField("重算的记录", default=0)
    streams_due_left = models.PositiveIntegerField("留待下次的记录流", default=0)
    checkpoint_message = models.TextField("检查点校验", blank=True)
    audit_message = models.TextField("操作日志校验", blank=True)
    problems = models.JSONField("发现的问题", default=list, blank=True)
    changed_streams = models.JSONField("自检查点以来被改动的记录流", default=list, blank=True)
    signed_checkpoint = models.ForeignKey(Checkpoint, verbose_name="随后签发的检查点", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    error = models.TextField("运行错误", blank=True)

    class Meta:
        verbose_name = "完整性校验"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"完整性校验 {self.created_at:%Y-%m-%d %H:%M}（{self.get_status_display()}）"

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
