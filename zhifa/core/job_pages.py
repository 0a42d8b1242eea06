"""The system administrator's page of background jobs (后台任务): queued, running, failed (with
the error and a retry button) and scheduled runs, and every declared job with its schedule.
Reads and writes go through ``zhifa.core.jobs``. Also the outbox's receivers and what waits for
them (发件箱, ``zhifa.core.outbox``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import audit, jobs, outbox
from .models import OutboxReceiver


def _check(user, action: str) -> None:
    if not user.has_capability("jobs", action):
        raise PermissionDenied("只有系统管理员可以查看和重试后台任务。")


@login_required
def job_list(request):
    """Queued, running, failed and scheduled jobs (system administrator)."""
    _check(request.user, "view")
    queued = jobs.queued_runs()
    return render(request, "core/job_list.html", {
        "title": "后台任务",
        "queued": [r for r in queued if not r.running],
        "running": [r for r in queued if r.running],
        "failed": jobs.failed_runs(),
        "scheduled": jobs.scheduled_runs(),
        "succeeded": jobs.recent_successes(20),
        "declared": jobs.registered(),
        "may_retry": request.user.has_capability("jobs", "change"),
    })


@login_required
@require_POST
def job_retry(request, task_id):
    """Run a failed job again now."""
    _check(request.user, "change")
    try:
        jobs.retry_failed(task_id, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "已重新提交该任务。")
    return redirect("core:job_list")


# --- the outbox (发件箱): receivers and what is waiting for them ----------------------------------


class OutboxReceiverForm(forms.ModelForm):
    """A receiver of outbox events; the secret is write-only (left empty on edit: unchanged)."""

    url = forms.URLField(label="接收地址", max_length=500, assume_scheme="https")
    secret = forms.CharField(label="签名密钥", required=False, max_length=200,
                             widget=forms.PasswordInput(render_value=False),
                             help_text="接收方用它校验 X-Zhifa-Signature；修改时留空表示不变。")

    class Meta:
        model = OutboxReceiver
        fields = ["name", "label", "url", "secret", "active", "timeout_seconds"]

    def clean_secret(self):
        secret = self.cleaned_data.get("secret", "")
        if not secret and not self.instance.pk:
            raise ValidationError("请填写签名密钥。")
        if secret and len(secret) < 16:
            raise ValidationError("签名密钥至少 16 个字符。")
        return secret or self.instance.secret


@login_required
def outbox_list(request):
    """Receivers of outbox events with what is pending for each (system administrator)."""
    _check(request.user, "view")
    return render(request, "core/outbox.html", {
        "title": "发件箱",
        "receivers": outbox.receiver_overview(),
        "may_change": request.user.has_capability("jobs", "change"),
    })


@login_required
def outbox_receiver_edit(request, pk=None):
    """Add or change a receiver; the change is written to the audit trail without its secret."""
    _check(request.user, "change")
    instance = get_object_or_404(OutboxReceiver, pk=pk) if pk else None
    before = audit.snapshot(instance) if instance else None
    form = OutboxReceiverForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            receiver = form.save()
            audit.write_log(receiver, "update" if instance else "create", before=before,
                            after=audit.snapshot(receiver))
        messages.success(request, f"已保存接收方“{receiver.label}”。")
        return redirect("core:outbox")
    return render(request, "core/outbox_receiver_form.html", {
        "title": "修改事件接收方" if instance else "新增事件接收方", "form": form, "receiver": instance,
    })
