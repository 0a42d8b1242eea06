"""Document templates (文书模板): uploaded DOCX files that replace the built-in defaults.

A template belongs to one document kind and either to one agency (that agency's own
format) or to nobody (the default for every agency). Each upload is a new version; older
versions are kept and can be made current again. At most one version per kind and owner is
active. Which template a document is rendered with is decided in ``services.resolve_template``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

from .kinds import DOCUMENT_KINDS, KIND_TITLES


def template_upload_to(instance, filename: str) -> str:
    """Storage path: document_templates/<code>/<agency or default>/v<version>.docx."""
    owner = f"agency-{instance.agency_id}" if instance.agency_id else "default"
    return f"document_templates/{instance.code}/{owner}/v{instance.version}.docx"


class DocumentTemplate(AuditedModel, ScopedModel):
    """One version of the DOCX template of a document kind, for one agency or as the default."""

    code = models.CharField("文书种类", max_length=40, choices=DOCUMENT_KINDS, db_index=True)
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name="适用执法主体", null=True, blank=True, on_delete=models.PROTECT,
        related_name="document_templates", help_text="留空表示所有执法主体通用的默认模板。",
    )
    version = models.PositiveIntegerField("版本", editable=False)
    file = models.FileField("模板文件", upload_to=template_upload_to, max_length=255)
    is_active = models.BooleanField("当前使用", default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    note = models.CharField("说明", max_length=200, blank=True)

    scope_area = "documents"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["code", "agency_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "agency", "version"], condition=Q(agency__isnull=False),
                name="documents_template_unique_version",
            ),
            models.UniqueConstraint(
                fields=["code", "version"], condition=Q(agency__isnull=True),
                name="documents_template_unique_default_version",
            ),
            models.UniqueConstraint(
                fields=["code", "agency"], condition=Q(agency__isnull=False, is_active=True),
                name="documents_template_one_active",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(agency__isnull=True, is_active=True),
                name="documents_template_one_active_default",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.owner_label}）第{self.version}版"

    def get_absolute_url(self):
        return reverse("documents:template_kind", args=[self.code])

    @property
    def title(self) -> str:
        """The Chinese title of the document kind."""
        return KIND_TITLES.get(self.code, self.code)

    @property
    def owner_label(self) -> str:
        """Whose template this is, for lists."""
        return self.agency.name if self.agency_id else "默认"

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        """Everyone with the capability sees the defaults; agencies' own templates only within scope."""
        return Q(agency__isnull=True) | Q(agency__tree_path__startswith=path)


class GeneratedDocument(models.Model):
    """What every generated document (生成的文书) of a case or an inspection holds: its kind, title
    and number, the DOCX stored and hashed into the record, and the PDF that LibreOffice converts
    in a job after the transaction commits (``zhifa.documents.pdf_jobs``) — empty until then."""

    code = models.CharField("文书种类", max_length=40)
    title = models.CharField("文书名称", max_length=100)
    number = models.CharField("文号", max_length=60, blank=True)
    docx = models.ForeignKey("records.StoredFile", on_delete=models.PROTECT, related_name="+")
    pdf = models.ForeignKey("records.StoredFile", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    PDF_PENDING, PDF_READY, PDF_FAILED = "pending", "ready", "failed"
    PDF_STATUS_CHOICES = [(PDF_PENDING, "正在生成"), (PDF_READY, "已生成"), (PDF_FAILED, "生成失败")]
    pdf_status = models.CharField("PDF状态", max_length=10, choices=PDF_STATUS_CHOICES, default=PDF_PENDING,
                                  db_index=True)
    pdf_error = models.TextField("PDF生成失败原因", blank=True)
    pdf_requested_at = models.DateTimeField("PDF转换请求时间", null=True, blank=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        ordering = ["generated_at", "id"]

    def __str__(self):
        return f"{self.title} {self.number}".strip()
