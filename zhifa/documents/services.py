"""Enforcement documents: the one place that resolves templates, renders DOCX and PDF, and
accepts new template versions. Views, the API and other apps (``cases``) call these.

Template resolution for a kind and an agency: the agency's own active template, else the
active default template uploaded for everyone, else the built-in file. Uploading creates the
next version for that kind and owner and makes it the active one; old versions are kept.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q

from zhifa.core.filetypes import DOCX, check_bytes
from zhifa.core.scoping import ensure_in_scope, user_scope_path

from .builtin import builtin_template_bytes
from .context import complete_context, sample_context
from .conversion import DocumentRenderError, convert_many
from .kinds import DOCUMENT_KINDS, KIND_TITLES, kind_title
from .models import DocumentTemplate
from .rendering import TemplateProblem, check_docx_container, render_docx

__all__ = [
    "DOCUMENT_KINDS",
    "DocumentRenderError",
    "RenderedDocument",
    "activate_template",
    "deactivate_template",
    "may_manage_defaults",
    "may_manage_agency",
    "preview_pdf",
    "render_document",
    "render_documents",
    "resolve_template",
    "upload_template",
    "validate_template_file",
]

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
BUILTIN_SOURCE = "内置默认模板"


@dataclass
class RenderedDocument:
    """A rendered document: DOCX and PDF bytes and the template they came from.

    ``template`` is the ``DocumentTemplate`` row used, or None when the built-in template was
    used; ``source`` says the same in words ("内置默认模板", "默认模板第2版",
    "云岭县市场监督管理局模板第3版").
    """

    code: str
    title: str
    docx: bytes
    pdf: bytes
    template: DocumentTemplate | None
    filename_stem: str
    source: str = BUILTIN_SOURCE


def _check_code(code: str) -> str:
    if code not in KIND_TITLES:
        raise DocumentRenderError(f"未知的文书种类：{code}")
    return code


def resolve_template(code: str, agency=None) -> DocumentTemplate | None:
    """The template row used for ``code`` and ``agency``: the agency's own active template,
    else the active default; None means the built-in template."""
    _check_code(code)
    candidates = DocumentTemplate.objects.filter(code=code, is_active=True).select_related("agency")
    if agency is None:
        candidates = candidates.filter(agency__isnull=True)
    else:
        candidates = candidates.filter(Q(agency__isnull=True) | Q(agency=agency))
    rows = sorted(candidates, key=lambda t: t.agency_id is None)  # the agency's own first
    return rows[0] if rows else None


def template_bytes(template: DocumentTemplate | None, code: str) -> bytes:
    """The DOCX bytes of a template row, or of the built-in template when ``template`` is None."""
    if template is None:
        return builtin_template_bytes(code)
    with template.file.open("rb") as handle:
        return handle.read()


def source_label(template: DocumentTemplate | None) -> str:
    """Where a template comes from, in words."""
    if template is None:
        return BUILTIN_SOURCE
    owner = f"{template.agency.name}模板" if template.agency_id else "默认模板"
    return f"{owner}第{template.version}版"


def filename_stem(title: str, number: str = "") -> str:
    """A file name (without extension) for a document: "行政处罚决定书_云市监罚〔2026〕37号"."""
    stem = f"{title}_{number}" if number else title
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem).strip("_")[:120]


def _render_docx(code: str, context: dict, template: DocumentTemplate | None) -> tuple[bytes, dict]:
    ctx = complete_context(context, code)
    try:
        return render_docx(template_bytes(template, code), ctx), ctx
    except TemplateProblem as exc:
        raise DocumentRenderError(f"《{kind_title(code)}》（{source_label(template)}）无法生成：{exc}") from None


def render_documents(items: list[tuple[str, dict]], *, agency=None, pdf: bool = True) -> list[RenderedDocument]:
    """Render several documents (``(code, context)`` pairs) for ``agency``, converting all
    of them to PDF in one LibreOffice run — e.g. a decision with the credit-repair notice
    served with it (两书同达). Raises ``DocumentRenderError`` (Chinese) on any failure.
    ``pdf=False`` renders the DOCX only (``pdf`` stays empty): the caller converts later, in a
    background job, outside its transaction (``zhifa.cases.documents``)."""
    resolved: dict[str, DocumentTemplate | None] = {}
    rendered = []
    for code, context in items:
        _check_code(code)
        if code not in resolved:
            resolved[code] = resolve_template(code, agency)
        template = resolved[code]
        docx, ctx = _render_docx(code, context, template)
        title = kind_title(code)
        rendered.append(
            RenderedDocument(
                code=code, title=title, docx=docx, pdf=b"", template=template,
                filename_stem=filename_stem(title, ctx["document"]["number"]), source=source_label(template),
            )
        )
    if pdf:
        for document, converted in zip(rendered, convert_many([d.docx for d in rendered]), strict=True):
            document.pdf = converted
    return rendered


def render_document(code: str, context: dict, *, agency=None) -> RenderedDocument:
    """Render one document of kind ``code`` from ``context`` (see ``context.py``) with the
    template that applies to ``agency``; DOCX and PDF. Raises ``DocumentRenderError``."""
    return render_documents([(code, context)], agency=agency)[0]


def preview_pdf(code: str, *, template: DocumentTemplate | None = None, agency=None, use_builtin=False) -> bytes:
    """A PDF of the sample context rendered with ``template`` (or, when not given, the one
    that applies to ``agency``; ``use_builtin`` forces the built-in template)."""
    _check_code(code)
    if template is None and not use_builtin:
        template = resolve_template(code, agency)
    docx, _ = _render_docx(code, sample_context(code), template)
    return convert_many([docx])[0]


def validate_template_file(code: str, data: bytes, name: str = "模板.docx") -> None:
    """Check an uploaded template: a DOCX that passes the upload allow-list (``core.filetypes``:
    content sniffed, no macro, no embedded program) and renders against ``sample_context(code)``
    with every template field defined. Raises ``ValidationError`` with a Chinese message."""
    if code not in KIND_TITLES:
        raise ValidationError("请选择文书种类。")
    if not data:
        raise ValidationError("上传的文件是空的。")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ValidationError("模板文件不能超过10MB。")
    try:
        check_docx_container(data)
    except TemplateProblem as exc:
        raise ValidationError(str(exc)) from None
    check_bytes(data, name, expected=DOCX, description="Word（.docx）文档")
    try:
        render_docx(data, complete_context(sample_context(code), code))
    except TemplateProblem as exc:
        raise ValidationError(str(exc)) from None


def may_manage_defaults(user) -> bool:
    """Whether ``user`` may replace the default templates used by every agency: a system
    administrator of the root of the organisation tree (or a superuser)."""
    if not user.has_capability("documents", "change"):
        return False
    path = user_scope_path(user)
    if path == "":
        return True
    region = getattr(user, "region", None)
    return bool(path and region is not None and region.parent_id is None and not user.agency_id and not user.unit_id)


def may_manage_agency(user, agency) -> bool:
    """Whether ``user`` may upload templates for ``agency`` (capability and scope)."""
    if not user.has_capability("documents", "change"):
        return False
    path = user_scope_path(user)
    return path is not None and agency.tree_path.startswith(path)


def _check_may_manage(user, agency) -> None:
    if agency is None:
        if not may_manage_defaults(user):
            raise PermissionDenied("只有省级（最高一级）系统管理员可以更换所有执法主体通用的默认模板。")
    elif not may_manage_agency(user, agency):
        raise PermissionDenied("您不能管理该执法主体的文书模板。")


def upload_template(*, code: str, data: bytes, agency=None, user, note: str = "",
                    name: str = "模板.docx") -> DocumentTemplate:
    """Store a new version of the template of ``code`` for ``agency`` (None: the default),
    after checking it (``validate_template_file``), and make it the active one. Earlier
    versions are kept."""
    _check_may_manage(user, agency)
    validate_template_file(code, data, name)
    with transaction.atomic():
        siblings = DocumentTemplate.objects.select_for_update().filter(code=code, agency=agency)
        version = (siblings.aggregate(last=Max("version"))["last"] or 0) + 1
        for previous in siblings.filter(is_active=True):
            previous.is_active = False
            previous.save(update_fields=["is_active"])
        template = DocumentTemplate(code=code, agency=agency, version=version, uploaded_by=user, note=note)
        template.file.save(f"v{version}.docx", ContentFile(data), save=False)
        template.save()
        ensure_in_scope(template, user)
    return template


def activate_template(template: DocumentTemplate, *, user) -> DocumentTemplate:
    """Make ``template`` (e.g. an older version) the active one for its kind and owner."""
    _check_may_manage(user, template.agency)
    with transaction.atomic():
        siblings = DocumentTemplate.objects.select_for_update().filter(code=template.code, agency=template.agency_id)
        for other in siblings.filter(is_active=True).exclude(pk=template.pk):
            other.is_active = False
            other.save(update_fields=["is_active"])
        current = siblings.get(pk=template.pk)  # the stored state, not a possibly stale instance
        if not current.is_active:
            current.is_active = True
            current.save(update_fields=["is_active"])
    template.is_active = True
    return template


def deactivate_template(template: DocumentTemplate, *, user) -> DocumentTemplate:
    """Stop using ``template``: documents fall back to the default (or built-in) template."""
    _check_may_manage(user, template.agency)
    with transaction.atomic():
        current = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
        if current.is_active:
            current.is_active = False
            current.save(update_fields=["is_active"])
    template.is_active = False
    return template
