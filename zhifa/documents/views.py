"""Pages for document templates (文书模板): the kinds and their templates, version history,
upload of a replacement, download, and a PDF preview rendered from the sample case.
Thin: resolution, checks and versioning are in ``services``."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from zhifa.core.views import CapabilityRequiredMixin

from . import services
from .builtin import builtin_template_bytes
from .context import KEY_DESCRIPTIONS
from .forms import TemplateUploadForm
from .kinds import DOCUMENT_KINDS, KIND_TITLES
from .models import DocumentTemplate

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_response(content: bytes, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    """A download (or inline display) with a UTF-8 file name."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response


def _kind_or_404(code: str) -> str:
    if code not in KIND_TITLES:
        raise Http404("没有这种文书。")
    return code


class TemplateListView(CapabilityRequiredMixin, TemplateView):
    """Every document kind with the template in use by default and the agencies' own ones."""

    template_name = "documents/template_list.html"
    area = "documents"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = DocumentTemplate.objects.restrict(user, "view").select_related("agency")
        by_code: dict[str, list[DocumentTemplate]] = {code: [] for code, _ in DOCUMENT_KINDS}
        for template in rows:
            by_code[template.code].append(template)
        kinds = []
        for code, title in DOCUMENT_KINDS:
            templates = by_code[code]
            default = next((t for t in templates if t.agency_id is None and t.is_active), None)
            own = [t for t in templates if t.agency_id is not None and t.is_active]
            kinds.append({
                "code": code, "title": title, "default": default, "own": own, "versions": len(templates),
            })
        ctx.update(
            title="文书模板", kinds=kinds,
            can_upload=user.has_capability("documents", "change"),
        )
        return ctx


class TemplateKindView(CapabilityRequiredMixin, TemplateView):
    """One document kind: all visible template versions, the built-in one and the template fields."""

    template_name = "documents/template_kind.html"
    area = "documents"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        code = _kind_or_404(self.kwargs["code"])
        user = self.request.user
        versions = list(
            DocumentTemplate.objects.restrict(user, "view").filter(code=code)
            .select_related("agency", "uploaded_by").order_by("agency__name", "-version")
        )
        for template in versions:
            template.manageable = (
                services.may_manage_defaults(user) if template.agency_id is None
                else services.may_manage_agency(user, template.agency)
            )
        ctx.update(
            title=f"文书模板：{KIND_TITLES[code]}", code=code, kind_title=KIND_TITLES[code], versions=versions,
            can_upload=user.has_capability("documents", "change"),
            template_fields=list(KEY_DESCRIPTIONS.items()),
        )
        return ctx


class TemplateUploadView(CapabilityRequiredMixin, TemplateView):
    """Upload a replacement template (a new version that becomes the active one)."""

    template_name = "documents/template_upload.html"
    area = "documents"
    action = "change"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("title", "上传文书模板")
        ctx["template_fields"] = list(KEY_DESCRIPTIONS.items())
        return ctx

    def get(self, request, *args, **kwargs):
        initial = {"code": request.GET.get("code")} if request.GET.get("code") in KIND_TITLES else {}
        form = TemplateUploadForm(initial=initial, user=request.user)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = TemplateUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                template = services.upload_template(
                    code=form.cleaned_data["code"], data=form.cleaned_data["data"],
                    agency=form.cleaned_data["agency"], user=request.user, note=form.cleaned_data["note"],
                    name=form.cleaned_data["name"],
                )
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已上传并启用：{template}")
                return redirect(template.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class TemplateDownloadView(CapabilityRequiredMixin, View):
    """Download one template version (DOCX)."""

    area = "documents"

    def get(self, request, pk):
        template = get_object_or_404(DocumentTemplate.objects.restrict(request.user, "view").select_related("agency"), pk=pk)
        data = services.template_bytes(template, template.code)
        return file_response(data, f"{template.title}模板_{template.owner_label}_第{template.version}版.docx", DOCX)


class BuiltinDownloadView(CapabilityRequiredMixin, View):
    """Download the built-in template of a kind (a starting point for one's own)."""

    area = "documents"

    def get(self, request, code):
        _kind_or_404(code)
        return file_response(builtin_template_bytes(code), f"{KIND_TITLES[code]}模板_内置.docx", DOCX)


class TemplatePreviewView(CapabilityRequiredMixin, View):
    """A PDF of the sample case rendered with a template: ``?template=<id>`` for one version,
    ``?builtin=1`` for the built-in one, otherwise the one that applies to the user's agency."""

    area = "documents"

    def get(self, request, code):
        _kind_or_404(code)
        template = None
        if request.GET.get("template"):
            template = get_object_or_404(
                DocumentTemplate.objects.restrict(request.user, "view").filter(code=code), pk=request.GET["template"]
            )
        try:
            pdf = services.preview_pdf(
                code, template=template, agency=getattr(request.user, "agency", None),
                use_builtin=bool(request.GET.get("builtin")),
            )
        except services.DocumentRenderError as exc:
            messages.error(request, str(exc))
            return redirect("documents:template_kind", code=code)
        return file_response(pdf, f"{KIND_TITLES[code]}_预览.pdf", "application/pdf", inline=True)


class TemplateStateView(CapabilityRequiredMixin, View):
    """POST: make a version the active one (``activate``) or stop using it (``deactivate``)."""

    area = "documents"
    action = "change"
    operation = "activate"

    def post(self, request, pk):
        template = get_object_or_404(DocumentTemplate.objects.restrict(request.user, "view").select_related("agency"), pk=pk)
        try:
            if self.operation == "activate":
                services.activate_template(template, user=request.user)
                messages.success(request, f"已启用：{template}")
            else:
                services.deactivate_template(template, user=request.user)
                messages.success(request, f"已停用：{template}，将使用默认模板。")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect(template.get_absolute_url())
