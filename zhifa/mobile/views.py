"""Web pages of 掌上执法: the app shell (``/m/``), its manifest and service worker, and the
officer's list of captures in conflict with the page that resolves one."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from zhifa.core.scoping import get_in_scope
from zhifa.core.views import CapabilityRequiredMixin, ServiceActionView

from . import services
from .models import Capture

# Bytes per upload request from the phone (settings.ZHIFA_MOBILE_CHUNK_BYTES): small enough for a
# weak mobile connection, each chunk a resumption point.
DEFAULT_CHUNK_BYTES = 1024 * 1024

# What the service worker keeps for offline use (the shell and its own static files).
SHELL_ASSETS = ("zhifa/zhifa.css", "mobile/mobile.css", "mobile/db.js", "mobile/signature.js", "mobile/scan.js", "mobile/share.js",
                "vendor/jsqr/jsQR.js", "mobile/app.js", "mobile/icon.svg")


@login_required
def shell(request):
    """掌上执法 app shell: renders the same for every officer; data comes from IndexedDB."""
    chunk = int(getattr(settings, "ZHIFA_MOBILE_CHUNK_BYTES", DEFAULT_CHUNK_BYTES))
    from zhifa.cases.signing.models import SIGNABLE_CHOICES

    return render(request, "mobile/app.html", {"title": "掌上执法", "chunk_bytes": chunk,
                                               "signable_kinds": SIGNABLE_CHOICES})


@require_GET
def manifest(request):
    """The web app manifest (installable app: name, icons, start URL, scope ``/m/``)."""
    body = render_to_string("mobile/manifest.webmanifest", {"icon": static("mobile/icon.svg"),
                                                           "start": reverse("mobile:app")})
    return HttpResponse(body, content_type="application/manifest+json")


@require_GET
@never_cache
def service_worker(request):
    """The service worker, served from ``/m/sw.js`` so its scope is ``/m/`` (no extra header
    needed); the URLs it caches come from ``{% static %}``, so hashed names stay right."""
    body = render_to_string("mobile/sw.js", {
        "shell": reverse("mobile:app"), "assets": [static(a) for a in SHELL_ASSETS],
        "version": "|".join(static(a) for a in SHELL_ASSETS),
    })
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("mobile:app")
    return response


class ConflictListView(CapabilityRequiredMixin, TemplateView):
    """我的冲突采集件：案件在离线期间已进入其他环节、不能按原种类入卷的采集件。"""

    area = "cases"
    template_name = "mobile/conflicts.html"
    LIMIT = 100

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = "待处理的离线采集件"
        ctx["captures"] = list(services.conflicts_for(self.request.user)[: self.LIMIT])
        return ctx


class ResolveForm(forms.Form):
    action = forms.ChoiceField(label="处理方式", choices=services.RESOLUTIONS, widget=forms.RadioSelect)
    note = forms.CharField(label="处理说明", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="附说明补录或作废时必填。")


class ResolveView(ServiceActionView):
    """处理一个冲突的采集件（``services.resolve``）。"""

    area = "cases"
    title = "处理冲突的采集件"
    submit_label = "确认处理"
    intro = "该采集件离线采集后案件已进入其他环节。可重新入卷（案件现在允许时）、附说明补录到案件的全过程记录，或写明理由作废；采集件不会被丢弃。"

    def target(self):
        return get_in_scope(Capture.objects.select_related("case"), self.request.user, "change",
                            key=self.kwargs["key"], owner=self.request.user)

    def back_url(self, obj):
        return reverse("mobile:conflicts")

    def build_form(self, obj, data=None):
        return ResolveForm(data)

    def extra(self, obj):
        return {"capture": obj}

    def perform(self, obj, form):
        capture = services.resolve(obj, actor=self.request.user, **form.cleaned_data)
        return f"采集件已处理：{capture.get_state_display()}", reverse("mobile:conflicts")
