"""Pages of the full-process record: a stream's timeline with verification, and an upload
page (the resumable-upload widget the case pages include)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.views.generic import TemplateView

from zhifa.core.views import CapabilityRequiredMixin

from . import services
from .models import Stream, Upload


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
