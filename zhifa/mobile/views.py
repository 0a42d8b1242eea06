"""Web pages of 掌上执法: the app shell (``/m/``), its manifest and service worker, and the
officer's list of captures in conflict with the page that resolves one."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from zhifa.core.scoping import get_in_scope
from zhifa.core.views import CapabilityRequiredMixin, ServiceActionView

from . import links, numbers, services
from .models import LINK_HOURS, LINK_USES, Capture, DocumentLink, ReservedNumber

# Bytes per upload request from the phone (settings.ZHIFA_MOBILE_CHUNK_BYTES): small enough for a
# weak mobile connection, each chunk a resumption point.
DEFAULT_CHUNK_BYTES = 1024 * 1024

# What the service worker keeps for offline use (the shell and its own static files).
SHELL_ASSETS = ("zhifa/zhifa.css", "mobile/mobile.css", "mobile/db.js", "mobile/signature.js", "mobile/scan.js", "mobile/share.js",
                "vendor/jsqr/jsQR.js", "mobile/app.js", "mobile/icon.svg", "mobile/pdfcache.js", "mobile/spot.js")


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


# --- pre-numbered decision forms (预编号当场处罚决定书) ---------------------------------------------


class NumberListView(CapabilityRequiredMixin, TemplateView):
    """预编号当场处罚决定书：本人领用的编号；承办机构、机关负责人看本机关的（按管辖范围）。"""

    area = "cases"
    template_name = "mobile/numbers.html"
    LIMIT = 200

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = "预编号当场处罚决定书"
        ctx["numbers"] = list(numbers.visible_numbers(self.request.user)[: self.LIMIT])
        ctx["limit"] = self.LIMIT
        return ctx


class ReserveForm(forms.Form):
    count = forms.IntegerField(label="领用数量", min_value=1, max_value=numbers.MAX_BLOCK, initial=10)
    device_label = forms.CharField(label="设备", max_length=100, required=False,
                                   help_text="例如：李明的执法手机。")


class ReserveView(ServiceActionView):
    """领用一批预编号（``numbers.reserve``）。"""

    area = "cases"
    title = "领用预编号当场处罚决定书"
    submit_label = "领用"
    intro = ("编号取自本机关当场处罚决定书的同一编号序列，与在线作出的决定不会重号；离线填写当场处罚决定时按顺序使用，"
             "每个编号只用一次，未用的可作废（写明理由）或整批退回。")

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("mobile:numbers")

    def build_form(self, obj, data=None):
        return ReserveForm(data)

    def perform(self, obj, form):
        reserved = numbers.reserve(actor=self.request.user, **form.cleaned_data)
        return f"已领用{len(reserved)}个编号：{reserved[0].number} 至 {reserved[-1].number}", reverse("mobile:numbers")


class VoidForm(forms.Form):
    reason = forms.CharField(label="作废理由", widget=forms.Textarea(attrs={"rows": 3}))


class NumberActionView(ServiceActionView):
    """An action on one reserved number of the user's scope, returning to the numbers list."""

    area = "cases"

    def target(self):
        return get_in_scope(ReservedNumber.objects.all(), self.request.user, "change", pk=self.kwargs["pk"])

    def back_url(self, obj):
        return reverse("mobile:numbers")


class VoidView(NumberActionView):
    """作废一个预编号（``numbers.void``）：编号保留在列表中并显示理由。"""

    title = "作废预编号"
    submit_label = "作废"

    def page_title(self, obj):
        return f"作废预编号：{obj.number}"

    def build_form(self, obj, data=None):
        return VoidForm(data)

    def perform(self, obj, form):
        number = numbers.void(obj, actor=self.request.user, reason=form.cleaned_data["reason"])
        return f"预编号{number.number}已作废。", reverse("mobile:numbers")


class ReturnBlockView(NumberActionView):
    """退回一批中未使用的预编号（``numbers.return_block``）。"""

    title = "退回未使用的预编号"
    submit_label = "确认退回"
    intro = "本批次中未使用、未被标记的编号将登记为“已退回”，编号保留在列表中，不再使用。"

    def build_form(self, obj, data=None):
        return forms.Form(data)

    def perform(self, obj, form):
        count = numbers.return_block(obj.block, actor=self.request.user)
        return f"已退回{count}个未使用的编号。", reverse("mobile:numbers")


# --- one-time links for the party (送达链接) ----------------------------------------------------


class LinkCreateView(ServiceActionView):
    """为一份处罚决定书生成当事人一次性下载链接和二维码（``links.create``）。"""

    area = "cases"
    title = "生成当事人下载链接"
    submit_label = "生成链接和二维码"
    template_name = "mobile/link_create.html"

    def target(self):
        try:
            return links.linkable_document(self.request.user, self.kwargs["document_id"])
        except PermissionDenied:
            raise Http404("文书不存在或不在您的管辖范围内。") from None
        except ValidationError as exc:
            raise Http404(exc.messages[0]) from None

    def page_title(self, obj):
        return f"当事人下载链接：{obj.title}"

    def back_url(self, obj):
        return f"{obj.case.get_absolute_url()}#documents"

    def build_form(self, obj, data=None):
        return forms.Form(data)

    def extra(self, obj):
        return {"intro": (f"链接自生成起{LINK_HOURS}小时内有效，最多下载{LINK_USES}次，可随时撤销；当事人用手机扫描二维码或打开链接"
                          "即可下载决定书PDF，无需登录，每次下载都记入案件的访问记录。"),
                "links": [(link, links.state_of(link)) for link in links.links_of(self.request.user, [obj.pk])[:20]]}

    def post(self, request, *args, **kwargs):
        obj = self.target()
        try:
            link, token = links.create(obj, actor=request.user)
        except PermissionDenied as exc:
            form = self.build_form(obj)
            form.add_error(None, str(exc))
            return self.render_page(obj, form, status=403)
        url = request.build_absolute_uri(links.public_path(token))
        ctx = {"made": link, "url": url, "qr": links.qr_data_uri(url)}
        return self.render_to_response(self.get_context_data(
            form=None, object=obj, title=self.page_title(obj), heading=self.page_title(obj),
            back_url=self.back_url(obj), **self.extra(obj), **ctx))


class LinkRevokeView(ServiceActionView):
    """撤销一个下载链接（``links.revoke``）。"""

    area = "cases"
    title = "撤销下载链接"
    submit_label = "撤销"

    def target(self):
        return get_in_scope(DocumentLink.objects.select_related("document"), self.request.user, "change",
                            pk=self.kwargs["pk"])

    def back_url(self, obj):
        return reverse("mobile:link_create", args=[obj.document_id])

    def build_form(self, obj, data=None):
        return forms.Form(data)

    def perform(self, obj, form):
        links.revoke(obj, actor=self.request.user)
        return "下载链接已撤销。", self.back_url(obj)
