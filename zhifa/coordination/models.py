"""The transfer of a case suspected to be a crime (涉嫌犯罪案件移送, 两法衔接) under
《行政执法机关移送涉嫌犯罪案件的规定》(国务院令第310号)."""

from django.conf import settings
from django.db import models

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

REPORTED = "reported"
APPROVED = "approved"
REFUSED = "refused"
TRANSFERRED = "transferred"
POLICE_OPENED = "police_opened"
POLICE_DECLINED = "police_declined"
RECONSIDERATION = "reconsideration"
SUPERVISION = "supervision"
HANDED_OVER = "handed_over"
STATUS_CHOICES = [
    (REPORTED, "已报告，待负责人决定"),
    (APPROVED, "已批准移送，待移送"),
    (REFUSED, "不批准移送"),
    (TRANSFERRED, "已移送公安机关，待立案决定"),
    (POLICE_OPENED, "公安机关已立案，待移交涉案物品"),
    (POLICE_DECLINED, "公安机关不予立案"),
    (RECONSIDERATION, "已提请公安机关复议"),
    (SUPERVISION, "已建议检察机关立案监督"),
    (HANDED_OVER, "涉案物品和材料已移交"),
]
OPEN_STATUSES = (REPORTED, APPROVED, TRANSFERRED, POLICE_OPENED)


class CriminalTransfer(AuditedModel, ScopedModel):  # 涉嫌犯罪案件移送
    """One case's transfer to the public-security organ, its periods and the answers to it."""

    scope_area = "cases"
    scope_paths = ("case__agency__tree_path",)

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT,
                             related_name="criminal_transfers")
    status = models.CharField("状态", max_length=20, choices=STATUS_CHOICES, default=REPORTED, db_index=True)
    suspected_offence = models.CharField("涉嫌罪名", max_length=100)
    amount = models.DecimalField("涉案金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    report = models.TextField("移送报告（核实情况）")
    reporting_officers = models.ManyToManyField("people.Officer", verbose_name="核实报告的执法人员", related_name="+")
    reported_on = models.DateField("报告日期")
    decision_due = models.DateField("负责人决定期限")
    decided_at = models.DateTimeField("负责人决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    refusal_reason = models.TextField("不批准移送的理由", blank=True)
    transfer_due_at = models.DateTimeField("移送期限（批准后24小时）", null=True, blank=True)
    transferred_at = models.DateTimeField("移送时间", null=True, blank=True)
    police_organ = models.CharField("接收的公安机关", max_length=100, blank=True)
    procuratorate = models.CharField("抄送的人民检察院", max_length=100, blank=True)
    materials = models.JSONField("移送材料", default=list, blank=True,
                                 help_text="涉嫌犯罪案件移送书、调查报告、涉案物品清单、检验鉴定结论等")
    police_decision_due = models.DateField("公安机关立案决定期限", null=True, blank=True)
    police_notice_on = models.DateField("收到公安机关书面通知日期", null=True, blank=True)
    police_case_opened = models.BooleanField("公安机关决定立案", null=True)
    police_case_number = models.CharField("公安机关立案文书号", max_length=80, blank=True)
    police_reason = models.TextField("公安机关不予立案的理由", blank=True)
    reconsideration_due = models.DateField("提请复议期限", null=True, blank=True)
    reconsideration_requested_on = models.DateField("提请复议日期", null=True, blank=True)
    supervision_requested_on = models.DateField("建议检察机关立案监督日期", null=True, blank=True)
    objection = models.TextField("复议或监督的理由", blank=True)
    handover_due = models.DateField("移交涉案物品期限", null=True, blank=True)
    handed_over_on = models.DateField("移交日期", null=True, blank=True)
    handover_list = models.JSONField("移交的涉案物品和材料", default=list, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "涉嫌犯罪案件移送"
        verbose_name_plural = verbose_name
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["status", "decision_due"], name="coord_transfer_status_due")]

    def __str__(self):
        return f"{self.case}（涉嫌{self.suspected_offence}）"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("coordination:transfer_detail", args=[self.pk])


# Grid dispatch (网格化巡查与指挥调度, COL-3) lives in its own subpackage.
from .grid.models import DispatchTask, Grid, GridReport  # noqa: E402, F401
