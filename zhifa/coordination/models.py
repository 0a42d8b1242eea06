"""The transfer of a case suspected to be a crime (涉嫌犯罪案件移送, 两法衔接) under
《行政执法机关移送涉嫌犯罪案件的规定》(国务院令第310号)."""

from django.conf import settings
from django.db import models

from zhifa.core.audit import AuditedModel
from zhifa.core.crypto import EncryptedCharField
from zhifa.core.scoping import ScopedModel, ScopedQuerySet

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


# ---------------------------------------------------------------------------------------------
# 案件移送 between enforcement agencies, 管辖争议 and 纪检监察 clue referrals (issue #16, COL-1/COL-2)
# ---------------------------------------------------------------------------------------------

SENT = "sent"
RECEIVED = "received"
ACCEPTED = "accepted"
RETURNED = "returned"
CASE_TRANSFER_STATUS_CHOICES = [
    (SENT, "已移送，待签收"),
    (RECEIVED, "已签收，待接收或退回"),
    (ACCEPTED, "已接收"),
    (RETURNED, "已退回"),
]
CASE_TRANSFER_OPEN = (SENT, RECEIVED)


class CaseTransfer(AuditedModel, ScopedModel):  # 案件移送
    """A case sent by its handling agency to another enforcement agency (行政处罚法第二十二条至第二十五条):
    a 移送函, the receiver's 签收, then acceptance (the case moves) or return with reasons.

    Both sides see it: its scope is the sending and the receiving agency (and the supervisors
    above either). Rules are in ``zhifa.coordination.transfers.services``."""

    scope_area = "cases"
    scope_paths = ("from_agency__tree_path", "to_agency__tree_path")

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="agency_transfers")
    from_agency = models.ForeignKey("orgs.Agency", verbose_name="移送机关", on_delete=models.PROTECT,
                                    related_name="case_transfers_out")
    to_agency = models.ForeignKey("orgs.Agency", verbose_name="受移送机关", on_delete=models.PROTECT,
                                  related_name="case_transfers_in")
    status = models.CharField("状态", max_length=10, choices=CASE_TRANSFER_STATUS_CHOICES, default=SENT)
    reason = models.TextField("移送理由")
    legal_basis = models.CharField("移送依据", max_length=300)
    sent_at = models.DateTimeField("移送时间")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="移送人", on_delete=models.PROTECT,
                                related_name="+")
    answer_due = models.DateField("答复期限")
    received_at = models.DateTimeField("签收时间", null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签收人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("接收或退回时间", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收或退回人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField("退回理由", blank=True)
    letter = models.ForeignKey("cases.CaseDocument", verbose_name="移送函", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    record_seq = models.PositiveIntegerField(
        "移交时全过程记录序号", null=True, blank=True,
        help_text="接收时案件全过程记录的最新序号：移送机关此后只能查阅到此为止的记录。")

    class Meta:
        verbose_name = "案件移送"
        verbose_name_plural = verbose_name
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["from_agency", "-sent_at", "-id"], name="coord_casetransfer_from"),
            models.Index(fields=["to_agency", "-sent_at", "-id"], name="coord_casetransfer_to"),
            models.Index(fields=["-sent_at", "-id"], name="coord_casetransfer_newest"),
            models.Index(fields=["status", "answer_due"], name="coord_casetransfer_due"),
        ]

    def __str__(self):
        return f"{self.case}（{self.from_agency} → {self.to_agency}）"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("coordination:case_transfer_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in CASE_TRANSFER_OPEN


DISPUTE_CLAIM = "claim"
DISPUTE_DECLINE = "decline"
DISPUTE_KIND_CHOICES = [(DISPUTE_CLAIM, "均主张管辖（积极争议）"), (DISPUTE_DECLINE, "均认为不属本机关管辖（消极争议）")]
DISPUTE_OPEN = "open"
DISPUTE_DECIDED = "decided"
DISPUTE_STATUS_CHOICES = [(DISPUTE_OPEN, "待指定管辖"), (DISPUTE_DECIDED, "已指定管辖")]


class JurisdictionDispute(AuditedModel, ScopedModel):  # 管辖争议（指定管辖）
    """A dispute between two agencies over who handles a case (行政处罚法第二十五条), brought to
    the coordination office — the 司法行政 supervision agency of the lowest region containing
    both — which records the designation of the competent agency (指定管辖) with reasons.

    Scope: both agencies and the office (so the office's supervisors)."""

    scope_area = "cases"
    scope_paths = ("raised_by_agency__tree_path", "other_agency__tree_path", "office__tree_path")

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT,
                             related_name="jurisdiction_disputes")
    kind = models.CharField("争议类型", max_length=10, choices=DISPUTE_KIND_CHOICES)
    raised_by_agency = models.ForeignKey("orgs.Agency", verbose_name="提请机关", on_delete=models.PROTECT,
                                         related_name="disputes_raised")
    other_agency = models.ForeignKey("orgs.Agency", verbose_name="争议对方机关", on_delete=models.PROTECT,
                                     related_name="disputes_against")
    office = models.ForeignKey("orgs.Agency", verbose_name="协调机关", on_delete=models.PROTECT,
                               related_name="disputes_coordinated")
    deciding_authority = models.CharField("共同的上一级行政机关", max_length=100)
    statement = models.TextField("争议事由及提请机关意见")
    status = models.CharField("状态", max_length=10, choices=DISPUTE_STATUS_CHOICES, default=DISPUTE_OPEN)
    raised_at = models.DateTimeField("提请时间")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提请人", on_delete=models.PROTECT,
                                  related_name="+")
    decision_due = models.DateField("指定管辖期限")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    designated_agency = models.ForeignKey("orgs.Agency", verbose_name="指定的管辖机关", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    decision_reasons = models.TextField("指定管辖理由", blank=True)

    class Meta:
        verbose_name = "管辖争议"
        verbose_name_plural = verbose_name
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["-raised_at", "-id"], name="coord_dispute_newest"),
            models.Index(fields=["office", "status", "decision_due"], name="coord_dispute_office"),
            models.Index(fields=["status", "decision_due"], name="coord_dispute_due"),
        ]

    def __str__(self):
        return f"{self.case}（{self.raised_by_agency}与{self.other_agency}管辖争议）"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("coordination:dispute_detail", args=[self.pk])


class ClueReferralQuerySet(ScopedQuerySet):
    """Referrals are read only by their named readers and their creator — not by heads,
    supervisors or administrators unless named (not even a superuser's empty scope)."""

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.has_capability(self.model.scope_area, "view"):
            return self.none()
        named = ClueReferral.readers.through.objects.filter(cluereferral_id=models.OuterRef("pk"), user_id=user.pk)
        return self.filter(models.Q(created_by_id=user.pk) | models.Exists(named))


class ClueReferral(AuditedModel, ScopedModel):  # 问题线索移送（纪检监察）
    """A clue that a public official (公职人员) may have broken the law in office, referred by the
    agency to a 纪检监察 body (监察法第三十四条). Readable only by the named readers and the
    creator; every reading is logged; the official, the facts and the contact are encrypted at
    rest (SM4, ``zhifa.core.crypto``). The case's record shows only that a clue was referred."""

    scope_area = "cases"
    scope_paths = ("agency__tree_path",)

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="clue_referrals")
    agency = models.ForeignKey("orgs.Agency", verbose_name="移送机关", on_delete=models.PROTECT, related_name="+")
    receiving_organ = models.CharField("接收的纪检监察机关", max_length=100)
    contact = EncryptedCharField("接收机关联系人及电话", max_length=200, blank=True,
                                 audit_mask=lambda v: "******" if v else "")
    official = EncryptedCharField("涉及的公职人员（姓名、单位、职务）", max_length=200,
                                  audit_mask=lambda v: "******" if v else "")
    facts = EncryptedCharField("问题线索（事实）", max_length=4000, audit_mask=lambda v: "******" if v else "")
    evidence_refs = models.JSONField("证据材料", default=list, blank=True, help_text="[{id, number, title}]，本案证据")
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="指定阅读人", related_name="+")
    referred_on = models.DateField("移送日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="移送人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = models.Manager.from_queryset(ClueReferralQuerySet)()

    class Meta:
        verbose_name = "问题线索移送"
        verbose_name_plural = verbose_name
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["created_by", "-referred_on", "-id"], name="coord_clue_creator")]

    def __str__(self):
        return f"问题线索移送（{self.receiving_organ}，{self.referred_on:%Y-%m-%d}）"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("coordination:clue_detail", args=[self.pk])

    @property
    def stream_key(self) -> str:
        """Readings are logged against the case's record stream."""
        return f"case:{self.case_id}"
# Grid dispatch (网格化巡查与指挥调度, COL-3) lives in its own subpackage.
from .grid.models import DispatchTask, Grid, GridReport  # noqa: E402, F401
