"""Pages of the full-process record: a stream's timeline with verification, an upload page
(the resumable-upload widget the case pages include), the auditor's access log and
checkpoint pages (/audit/…), and the public checkpoint pages (/public/checkpoints/)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import TemplateView

from zhifa.core.pagination import CappedPaginator
from zhifa.core.views import CapabilityRequiredMixin

from . import checkpoints, integrity, services
from .models import AccessLog, Checkpoint, IntegrityCheck, Stream, Upload


class StreamDetailView(CapabilityRequiredMixin, TemplateView):
    """全过程记录：one stream's events in order, files, the chain check and recent access."""

    template_name = "records/stream_detail.html"
    area = "records"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        key = self.kwargs["key"]
        try:
            allowed = services.may_access_stream(self.request.user, key, "view")
        except ValidationError:
            allowed = False
        if not allowed:
            raise Http404("记录不存在或不在您的管辖范围内。")
        result = None
        if self.request.GET.get("verify"):
            result = services.verify_stream(key)
            services.log_access(self.request.user, "verify", key, self.request)
        else:
            services.log_access(self.request.user, "view", key, self.request)
        ctx.update(
            title=f"全过程记录：{key}",
            key=key,
            stream=Stream.objects.filter(key=key).first(),
            events=list(services.events_for(key)),
            result=result,
        )
        return ctx


class UploadView(CapabilityRequiredMixin, TemplateView):
    """上传文件：resumable upload of one file, and the uploader's recent uploads."""

    template_name = "records/upload.html"
    area = "records"
    action = "change"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title="上传文件",
            uploads=Upload.objects.filter(owner=self.request.user).select_related("completed")[:20],
        )
        return ctx


class AccessLogPageView(CapabilityRequiredMixin, TemplateView):
    """访问日志：who viewed, downloaded or verified which record — for the audit administrator
    only, within their part of the tree (the access log is an audit record)."""

    template_name = "records/access_log.html"
    area = "audit"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = services.access_log_for(self.request.user, self.request.GET)
        page = CappedPaginator(rows, 50).get_page(self.request.GET.get("page"))  # millions of rows: no exact COUNT
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(title="访问日志", page=page, querystring=query.urlencode(), stream=self.request.GET.get("stream", ""),
                   action=self.request.GET.get("action", ""), actions=AccessLog.ACTION_CHOICES)
        return ctx


class CheckpointPageView(CapabilityRequiredMixin, TemplateView):
    """签名检查点 for the audit administrator: the integrity checks (daily, and 立即校验 — a
    worker's run, ``zhifa.records.integrity``), the checkpoints and their deliveries."""

    template_name = "records/checkpoint_list.html"
    area = "audit"
    checks_shown = 10

    def post(self, request, *args, **kwargs):
        check = integrity.request_check(request.user)
        if check.requested_by_id == request.user.pk and check.status == IntegrityCheck.QUEUED:
            messages.info(request, "已发起完整性校验，由后台任务执行；完成后刷新本页查看结果。")
        else:
            messages.info(request, "已有一次完整性校验正在进行，完成后刷新本页查看结果。")
        return redirect("audittrail:checkpoint_list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = Paginator(Checkpoint.objects.prefetch_related("pushes").order_by("-number"), 30).get_page(
            self.request.GET.get("page"))
        checks = list(IntegrityCheck.objects.select_related("requested_by", "signed_checkpoint")
                      .order_by("-created_at", "-id")[:self.checks_shown])
        ctx.update(title="签名检查点", page=page, querystring="", checks=checks,
                   latest=next((c for c in checks if c.status in (IntegrityCheck.DONE, IntegrityCheck.FAILED)), None),
                   pending=any(c.status in (IntegrityCheck.QUEUED, IntegrityCheck.RUNNING) for c in checks),
                   cycle_days=settings.ZHIFA_INTEGRITY_CYCLE_DAYS, public_key=checkpoints.trusted_public_key())
        return ctx


def public_checkpoint_list(request):
    """签名检查点（公开）：每日对全部记录流头部的默克尔根及其 SM2 签名、公钥。"""
    rows = Checkpoint.objects.public().order_by("-number")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "records/public_checkpoints.html",
                  {"title": "签名检查点", "page": page, "querystring": "", "public_key": checkpoints.trusted_public_key()})


def public_checkpoint_detail(request, number):
    """One published checkpoint with its signed text."""
    checkpoint = get_object_or_404(Checkpoint.objects.public(), number=number)
    return render(request, "records/public_checkpoint.html",
                  {"title": f"第 {checkpoint.number} 号签名检查点", "checkpoint": checkpoint,
                   "doc": checkpoints.document(checkpoint)})
