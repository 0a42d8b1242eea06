"""Models every app shares: the audit trail (操作日志) and the transactional outbox (发件箱)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from zhifa.core.crypto import EncryptedCharField

# The function that numbers and hashes new audit rows (the hash chain "audit:changelog",
# installed by the records app: zhifa.records.audit_chain.seal). Called inside the inserting
# transaction by ChangeLog.save and ChangeLogQuerySet.bulk_create, so every row is chained
# however it is written.
_sealer = None


def set_changelog_sealer(sealer) -> None:
    global _sealer
    _sealer = sealer


def _seal(rows) -> None:
    if _sealer is not None:
        _sealer([row for row in rows if not row.hash])


class AppendOnlyQuerySetMixin:
    """Refuses bulk ``update`` and ``delete``: the rows are history."""

    def update(self, **kwargs):
        raise PermissionError(f"{self.model._meta.verbose_name}不可修改。")

    def delete(self):
        raise PermissionError(f"{self.model._meta.verbose_name}不可删除。")


class AppendOnlyModel(models.Model):
    """Abstract base of history rows (audit trail, certificate events, credit ratings, case
    events): inserted once, never updated or deleted through the application. Pair it with a
    queryset that mixes in ``AppendOnlyQuerySetMixin``."""

    append_only_hint = ""  # appended to the refusal, e.g. "请新增一条记录。"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError(f"{self._meta.verbose_name}不可修改。{self.append_only_hint}")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.verbose_name}不可删除。")


class ChangeLogQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    """Append-only: bulk updates and deletes are refused."""

    def restrict(self, user, action="view"):
        """Entries about objects within the auditor's part of the tree."""
        from .scoping import user_scope_path

        path = user_scope_path(user)
        if path is None or action != "view" or not user.has_capability("audit", "view"):
            return self.none()
        return self if path == "" else self.filter(scope_path__startswith=path)

    def update(self, **kwargs):
        raise PermissionError("操作日志不可修改。")

    def delete(self):
        raise PermissionError("操作日志不可删除。")

    def bulk_create(self, objs, *args, **kwargs):
        """Insert many rows, chained first (one lock of the chain head for the whole batch)."""
        objs = list(objs)
        with transaction.atomic(using=self.db):
            _seal(objs)
            return super().bulk_create(objs, *args, **kwargs)


class ChangeLog(AppendOnlyModel):
    """One change to an audited object: who, when, what, before and after (操作日志).

    Rows are written by ``zhifa.core.audit`` and never changed: ``save`` refuses an update,
    ``delete`` is refused, and on PostgreSQL a trigger refuses UPDATE and DELETE as well.
    Only the audit administrator (审计管理员) may read them.
    """

    ACTION_CHOICES = [
        ("create", "新增"),
        ("update", "修改"),
        ("delete", "删除"),
        ("reveal", "查看敏感信息"),
        # Security events (等保 三级 安全审计): sign-ins and credentials.
        ("login", "登录成功"),
        ("login_failed", "登录失败"),
        ("lockout", "账户锁定"),
        ("unlock", "解除锁定"),
        ("logout", "退出登录"),
        ("token_issue", "签发令牌"),
        ("token_revoke", "吊销令牌"),
        ("otp", "双因素认证"),
        ("password", "修改密码"),
        ("key_rotation", "字段密钥轮换"),
    ]
    SECURITY_ACTIONS = ("login", "login_failed", "lockout", "unlock", "logout", "token_issue", "token_revoke", "otp",
                        "password", "key_rotation")

    # Set before insert (not auto_now_add) because the chain hash covers it.
    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    request_id = models.UUIDField("请求编号", null=True, blank=True)
    action = models.CharField("操作", max_length=20, choices=ACTION_CHOICES)
    content_type = models.ForeignKey(ContentType, verbose_name="对象类型", on_delete=models.PROTECT)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    scope_path = models.CharField("所属组织路径", max_length=255, blank=True, db_index=True)
    client_address = models.CharField("客户端地址", max_length=45, blank=True)
    result = models.CharField("结果", max_length=100, blank=True)
    # Hash chain (哈希链): position, previous link's hash, this row's hash and its algorithm.
    seq = models.PositiveBigIntegerField("链序号", null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField("前序哈希", max_length=128, blank=True, editable=False)
    hash = models.CharField("哈希", max_length=128, blank=True, editable=False)
    algorithm = models.CharField("算法", max_length=10, blank=True, editable=False)

    objects = ChangeLogQuerySet.as_manager()

    scope_area = "audit"

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.hash:
            with transaction.atomic():
                _seal([self])
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def changed_fields_labelled(self) -> list[tuple[str, str, object, object]]:
        """(Chinese field name, field code, before, after) for the audit pages: the model's
        verbose name of each field (the code when the field no longer exists)."""
        model = self.content_type.model_class() if self.content_type_id else None
        labelled = []
        for key, old, new in self.changed_fields():
            label = key
            if model is not None:
                try:
                    label = str(model._meta.get_field(key).verbose_name)
                except Exception:  # noqa: BLE001  (a field removed since, or a computed entry)
                    pass
            labelled.append((label, key, old, new))
        return labelled


# --- the transactional outbox (发件箱, zhifa/core/outbox.py) --------------------------------------


class OutboxReceiver(models.Model):
    """A system that receives our events (接收方): the 12345 hotline, a city instance of zhifa,
    a messaging gateway. Configured by the system administrator; the secret signs requests."""

    name = models.SlugField("标识", max_length=64, unique=True,
                            help_text="代码中引用的接收方标识，例如 hotline-12345。")
    label = models.CharField("名称", max_length=100)
    url = models.URLField("接收地址", max_length=500)
    secret = EncryptedCharField("签名密钥", max_length=200, audit_mask=lambda value: "******" if value else "")
    active = models.BooleanField("启用", default=True)
    timeout_seconds = models.PositiveSmallIntegerField("超时（秒）", default=10)

    class Meta:
        verbose_name = "事件接收方"
        verbose_name_plural = verbose_name
        ordering = ["name"]

    def __str__(self):
        return f"{self.label}（{self.name}）"


class OutboxStream(models.Model):
    """The last sequence number given in one stream of one receiver; its row lock orders the
    writers and keeps two workers from delivering the same stream at once."""

    receiver = models.CharField(max_length=64)
    stream = models.CharField(max_length=120)
    last_sequence = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "发件箱事件流"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["receiver", "stream"], name="outbox_stream_unique")]

    def __str__(self):
        return f"{self.receiver} {self.stream} #{self.last_sequence}"


class OutboxMessage(models.Model):
    """One event to deliver (待发送事件), written in the same transaction as the change it reports."""

    id = models.UUIDField("事件编号", primary_key=True, default=uuid.uuid4, editable=False)
    receiver = models.CharField("接收方", max_length=64)
    stream = models.CharField("事件流", max_length=120)
    sequence = models.PositiveBigIntegerField("序号")
    event_type = models.CharField("事件类型", max_length=80)
    payload = models.JSONField("内容", default=dict)
    created_at = models.DateTimeField("产生时间", default=timezone.now)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", default=timezone.now)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "待发送事件"
        verbose_name_plural = verbose_name
        ordering = ["receiver", "stream", "sequence"]
        constraints = [models.UniqueConstraint(fields=["receiver", "stream", "sequence"], name="outbox_message_order")]
        indexes = [
            # the delivery pass reads only what is pending, in stream order
            models.Index(fields=["receiver", "stream", "sequence"], condition=models.Q(delivered_at__isnull=True),
                         name="outbox_pending"),
        ]

    def __str__(self):
        return f"{self.receiver} {self.stream}#{self.sequence} {self.event_type}"


# --- exports built by a worker (数据导出任务, zhifa/core/exports.py) -----------------------------


class DataExport(models.Model):
    """One person's Excel export with more rows than a request builds (``ZHIFA_EXPORT_INLINE_ROWS``):
    a worker writes it into the object store, the person is told in a message and downloads it
    from "我的导出" until it expires (``ZHIFA_EXPORT_KEEP_DAYS``). Only its owner sees it."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [(QUEUED, "排队中"), (RUNNING, "正在生成"), (DONE, "已完成"), (FAILED, "生成失败")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.CASCADE,
                             related_name="data_exports")
    key = models.CharField("数据类别", max_length=40)
    title = models.CharField("数据", max_length=100)
    params = models.TextField("筛选条件", blank=True, help_text="列表导出的查询字符串")
    status = models.CharField("状态", max_length=8, choices=STATUS_CHOICES, default=QUEUED)
    rows = models.PositiveIntegerField("行数", null=True, blank=True)
    size = models.PositiveBigIntegerField("文件大小（字节）", null=True, blank=True)
    stored_name = models.CharField("存储对象", max_length=200, blank=True)
    error = models.TextField("失败原因", blank=True)
    # who asked, from where: the audit entry of an export with personal data is written by the
    # worker once the rows are counted, with the request's number and address
    request_id = models.UUIDField("请求编号", null=True, blank=True)
    client_address = models.CharField("客户端地址", max_length=45, blank=True)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "数据导出任务"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="core_export_user_newest"),
            models.Index(fields=["created_at"], name="core_export_created"),
        ]

    def __str__(self):
        return f"{self.title}导出（{self.get_status_display()}）"

    @property
    def filename(self) -> str:
        return f"{self.title}_{timezone.localtime(self.created_at):%Y%m%d%H%M}.xlsx"

    @property
    def expires_at(self):
        import datetime

        return self.created_at + datetime.timedelta(days=settings.ZHIFA_EXPORT_KEEP_DAYS)

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at
