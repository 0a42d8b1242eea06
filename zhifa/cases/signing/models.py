"""A signature given for a case document (文书签名)."""

from django.conf import settings
from django.db import models

from zhifa.core.audit import AuditedModel
from zhifa.documents.kinds import KIND_TITLES
from zhifa.documents.signatures import ROLES, SIGNATURE_BLOCKS

SIGNABLE_CHOICES = [(code, KIND_TITLES[code]) for code in SIGNATURE_BLOCKS]
ROLE_CHOICES = list(ROLES.items())


class DocumentSignature(AuditedModel):  # 文书签名
    """One signer's signature (or refusal to sign, 拒绝签名) for a document of a case.

    It names what it signs: the document kind (``code``) and, for a 询问笔录 or 现场检查笔录,
    the interview or inspection the record is of. The drawn PNG is stored content-addressed
    (``image``, SM3) and, while the case is investigated, is also evidence 电子数据
    (``evidence``). Every document of that kind generated afterwards prints it; its record
    event lists the SM3 of every signature it embeds.
    """

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="signatures")
    code = models.CharField("签署的文书", max_length=40, choices=SIGNABLE_CHOICES)
    interview = models.ForeignKey("cases.Interview", verbose_name="询问", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="signatures")
    inspection = models.ForeignKey("cases.Inspection", verbose_name="现场检查", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField("签名人身份", max_length=20, choices=ROLE_CHOICES)
    signer_name = models.CharField("签名人姓名", max_length=100)
    signed_at = models.DateTimeField("签名时间")
    refused = models.BooleanField("拒绝签名", default=False)
    image = models.ForeignKey("records.StoredFile", verbose_name="签名图片", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    evidence = models.ForeignKey("cases.Evidence", verbose_name="证据", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书签名"
        verbose_name_plural = "文书签名"
        ordering = ["signed_at", "id"]
        indexes = [models.Index(fields=["case", "code", "role", "-signed_at"], name="cases_signature_latest")]

    def __str__(self):
        what = "拒绝签名" if self.refused else "签名"
        return f"{self.get_role_display()}{what}：{self.signer_name}（{self.get_code_display()}）"
