"""The write paths of the desk (工作台): reading messages and saving reminder preferences.
Called by the web views and the API alike."""

from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.core import clock

from .models import CHANNEL_CHOICES, IN_APP, Message, Preference

MAX_LEAD_DAYS = 20


def my_messages(user):
    """The person's own messages (a person never reads another's)."""
    return Message.objects.filter(user=user)


def unread_count(user) -> int:
    """Unread messages (index ``workspace_msg_unread``)."""
    return my_messages(user).filter(read_at__isnull=True).count()


def mark_read(user, message_id: int | None = None) -> int:
    """Mark one of the person's messages read (or all of them when ``message_id`` is None)."""
    qs = my_messages(user).filter(read_at__isnull=True)
    if message_id is not None:
        if not my_messages(user).filter(pk=message_id).exists():
            raise ValidationError("消息不存在。", code="not_found")
        qs = qs.filter(pk=message_id)
    return qs.update(read_at=clock.now())


def save_preference(user, *, channels: list[str], lead_days: int, digest: bool, gateway_id: str = "") -> Preference:
    """Save the person's reminder settings (audited: ``Preference`` is an audited model)."""
    known = {code for code, _ in CHANNEL_CHOICES}
    unknown = [c for c in channels if c not in known]
    if unknown:
        raise ValidationError({"channels": f"未知的提醒渠道：{'、'.join(unknown)}。"})
    if not 0 <= int(lead_days) <= MAX_LEAD_DAYS:
        raise ValidationError({"lead_days": f"提前提醒的工作日数须在0到{MAX_LEAD_DAYS}之间。"})
    channels = [c for c, _ in CHANNEL_CHOICES if c in channels and c != IN_APP]
    if "email" in channels and not user.email:
        raise ValidationError({"channels": "账户没有登记电子邮箱，不能选择电子邮件提醒；请联系安全管理员登记。"})
    if "webhook" in channels and not gateway_id.strip():
        raise ValidationError({"gateway_id": "选择政务消息平台提醒时，须填写在该平台上的账号。"})
    with transaction.atomic():
        pref, _ = Preference.objects.select_for_update().get_or_create(user=user)
        pref.channels, pref.lead_days, pref.digest, pref.gateway_id = channels, int(lead_days), bool(digest), gateway_id.strip()
        pref.save()
    return pref
