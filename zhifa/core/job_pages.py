"""The system administrator's page of background jobs (后台任务): queued, running, failed (with
the error and a retry button) and scheduled runs, and every declared job with its schedule.
Reads and writes go through ``zhifa.core.jobs``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import jobs


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
