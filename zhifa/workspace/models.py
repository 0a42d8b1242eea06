"""Messages (站内消息), reminders (提醒) and each person's notification preferences (提醒设置)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core import clock
from zhifa.core.audit import AuditedModel

IN_APP, EMAIL, WEBHOOK = "in_app", "email", "webhook"
CHANNEL_CHOICES = [(IN_APP, "站内消息"), (EMAIL, "电子邮件"), (WEBHOOK, "政务消息平台（浙政钉、粤政易等）")]


class Preference(AuditedModel):
    """A person's reminder settings (提醒设置): channels, lead time and the daily digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                                related_name="workspace_preference")
    channels = models.JSONField("提醒渠道", default=list, blank=True,
                                help_text="站内消息总会保存；另可选电子邮件、政务消息平台。")
    lead_days = models.PositiveSmallIntegerField("提前提醒（工作日）", default=2,
                                                 help_text="期限前几个工作日提醒；0 表示只在到期当天提醒。")
    digest = models.BooleanField("每日汇总", default=True)
    gateway_id = models.CharField("政务消息平台账号", max_length=80, blank=True,
                                  help_text="浙政钉、粤政易等平台上的用户标识，经消息网关送达。")

    class Meta:
        verbose_name = "提醒设置"
        verbose_name_plural = "提醒设置"

    def __str__(self):
        return f"{self.user}的提醒设置"

    @property
    def extra_channels(self) -> list[str]:
        """Channels besides the in-app message, in a stable order."""
        return [code for code, _ in CHANNEL_CHOICES if code != IN_APP and code in (self.channels or [])]


class Message(models.Model):
    """An in-app message (站内消息) to one person; reminders, escalations and digests are messages."""

    REMINDER, OVERDUE, ESCALATION, DIGEST = "reminder", "overdue", "escalation", "digest"
    HANDOVER = "handover"  # 待送达: a notice with no electronic channel, for the officer to deliver
    NOTICE = "notice"  # 协作通知: another agency's step that concerns the person (a transfer sent to them …)
    EXPORT = "export"  # 导出完成: an export built by a worker is ready (or failed)
    INTEGRITY = "integrity"  # 完整性告警: the integrity check found a record or the audit trail changed
    KIND_CHOICES = [(REMINDER, "到期提醒"), (OVERDUE, "超期提醒"), (ESCALATION, "超期升级"), (DIGEST, "每日汇总"),
                    (HANDOVER, "待送达告知"), (NOTICE, "协作通知"), (EXPORT, "导出完成"), (INTEGRITY, "完整性告警")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE,
                             related_name="workspace_messages")
    kind = models.CharField("种类", max_length=12, choices=KIND_CHOICES)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("办理页面", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=clock.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    channels = models.JSONField("投递渠道", default=list, blank=True)
    email_sent_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="workspace_msg_user_newest"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="workspace_msg_unread"),
        ]

    def __str__(self):
        return self.title


class Reminder(models.Model):
    """That a person was told about an event (提醒记录): unique per (event, person, kind), so the
    reminder job may run any number of times and each person hears of each event once."""

    event = models.CharField("事件", max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提醒对象", on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField("种类", max_length=12, choices=Message.KIND_CHOICES)
    message = models.ForeignKey(Message, verbose_name="消息", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        constraints = [models.UniqueConstraint(fields=["event", "user", "kind"], name="workspace_reminder_once")]

    def __str__(self):
        return f"{self.event} → {self.user_id}（{self.get_kind_display()}）"
