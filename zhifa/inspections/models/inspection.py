"""Inspection models: the inspection act (行政检查) itself — see ``zhifa.inspections.acts``.

- ``Inspection``: one visit to one enterprise (涉企行政检查, 国办发〔2024〕54号), by one agency
  or jointly by several (综合查一次), moved through the procedure of ``acts.procedure``;
- ``InspectionChecklistLine``: one line per item and agency of the one checklist (一表通查);
- ``SupervisionCode``: the enterprise's enforcement-supervision code (扫码入企 监管码);
- ``InspectionCap``: an agency's published annual cap of inspections per enterprise;
- ``InspectionEvaluation``: the enterprise's evaluation of a visit, or its complaint;
- ``InspectionEvidence`` and ``InspectionDocument``: files and generated documents, both in
  the hash-chained record ``inspection:<id>``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel, paths_q
from zhifa.documents.models import GeneratedDocument

ROUTINE = "routine"
CASE_TRIGGERED = "case"
SPECIAL = "special"
KIND_CHOICES = [
    (ROUTINE, "日常检查"),
    (CASE_TRIGGERED, "个案检查"),
    (SPECIAL, "专项检查"),
]

ORIGIN_CHOICES = [
    ("draw", "双随机抽查"),
    ("plan", "年度检查计划"),
    ("complaint", "投诉举报"),
    ("campaign", "上级部署的专项检查"),
    ("other", "其他"),
]

# 年度检查频次上限的例外 (国办发〔2024〕54号): a case-triggered inspection from a complaint or a
# tip, a special campaign ordered from above.
CAP_EXCEPTION_CHOICES = [
    ("", "不适用"),
    ("complaint", "因投诉举报等线索开展的个案检查"),
    ("campaign", "上级部署的专项检查"),
]

RESULT_CHOICES = [
    ("", "尚无结论"),
    ("compliant", "未发现问题"),
    ("correction", "责令改正"),
    ("case", "发现违法行为，转立案查处"),
]

REVIEW_RESULT_CHOICES = [
    ("", "尚未复查"),
    ("corrected", "已改正"),
    ("not_corrected", "逾期未改正"),
]

LINE_RESULT_CHOICES = [
    ("pending", "待检查"),
    ("compliant", "符合"),
    ("problem", "发现问题"),
]

SCAN_METHOD_CHOICES = [
    ("", "未扫码"),
    ("scan", "手机扫码"),
    ("typed", "手工输入监管码"),
]

NOTICE_METHOD_CHOICES = [
    ("on_site", "现场告知"),
    ("written", "书面告知"),
    ("electronic", "电子告知"),
]


def new_supervision_code() -> str:
    """An unguessable code (12 characters of an alphabet without look-alikes, ~60 bits)."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Inspection(AuditedModel, ScopedModel):  # 行政检查
    """One inspection of one enterprise: its kind, origin, team, approval, notice, scan on arrival,
    checklist, findings, result, 复查 and publication. Moved only by ``acts.services``; every step
    is an event of the stream ``inspection:<id>``."""

    number = models.CharField("检查编号", max_length=60, blank=True, db_index=True)
    kind = models.CharField("检查类别", max_length=10, choices=KIND_CHOICES, default=ROUTINE)
    origin_kind = models.CharField("检查来源", max_length=10, choices=ORIGIN_CHOICES, default="plan")
    origin_reference = models.CharField("来源说明", max_length=200, blank=True,
                                        help_text="抽查批次、计划、投诉件或专项部署文件的编号")
    stage = models.CharField("环节", max_length=20, db_index=True)
    agency = models.ForeignKey("orgs.Agency", verbose_name="牵头执法主体", on_delete=models.PROTECT,
                               related_name="inspections")
    party = models.ForeignKey("parties.Party", verbose_name="被检查企业", on_delete=models.PROTECT,
                              related_name="inspections")
    joint = models.BooleanField("多部门联合检查（综合查一次）", default=False)
    place = models.CharField("检查地点", max_length=200)
    planned_on = models.DateField("计划检查日期")
    subject = models.CharField("检查事由", max_length=200)
    officers = models.ManyToManyField("people.Officer", verbose_name="检查人员", related_name="inspections")
    cap_exception = models.CharField("频次上限例外情形", max_length=10, choices=CAP_EXCEPTION_CHOICES, blank=True)
    cap_exception_reason = models.CharField("例外依据", max_length=300, blank=True)
    # 审批 (事前审批; 紧急情况事后补办)
    emergency = models.BooleanField("紧急检查（事后补办审批）", default=False)
    emergency_reason = models.TextField("紧急情况说明", blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批负责人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    approval_opinion = models.TextField("审批意见", blank=True)
    # 告知企业
    notified_at = models.DateTimeField("告知企业时间", null=True, blank=True)
    notice_method = models.CharField("告知方式", max_length=12, choices=NOTICE_METHOD_CHOICES, blank=True)
    # 扫码入企
    scan_method = models.CharField("扫码方式", max_length=6, choices=SCAN_METHOD_CHOICES, blank=True)
    scanned_at = models.DateTimeField("扫码时间", null=True, blank=True)
    scan_place = models.CharField("扫码地点", max_length=200, blank=True)
    scan_latitude = models.DecimalField("扫码纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    scan_longitude = models.DecimalField("扫码经度", max_digits=9, decimal_places=6, null=True, blank=True)
    scan_missing_reason = models.TextField("未扫码原因", blank=True)
    # 现场检查
    started_at = models.DateTimeField("进场时间", null=True, blank=True)
    ended_at = models.DateTimeField("检查结束时间", null=True, blank=True)
    findings = models.TextField("现场检查情况", blank=True)
    result = models.CharField("检查结论", max_length=12, choices=RESULT_CHOICES, blank=True)
    correction_requirements = models.TextField("责令改正内容", blank=True)
    correction_due_on = models.DateField("改正期限", null=True, blank=True)
    reviewed_on = models.DateField("复查日期", null=True, blank=True)
    review_result = models.CharField("复查结果", max_length=14, choices=REVIEW_RESULT_CHOICES, blank=True)
    review_note = models.TextField("复查情况", blank=True)
    case = models.ForeignKey("cases.Case", verbose_name="立案查处的案件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="source_inspections")
    # 结果公示 (二十个工作日内)
    publication_due_on = models.DateField("结果公示期限", null=True, blank=True, db_index=True)
    published_on = models.DateField("结果公示日期", null=True, blank=True)
    public_summary = models.TextField("公示的检查结果", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", default=clock.now)

    scope_area = "inspections"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "行政检查"
        verbose_name_plural = "行政检查"
        ordering = ["-planned_on", "-id"]
        indexes = [
            # the list order, overall and per agency (a page is read in index order)
            models.Index(fields=["-planned_on", "-id"], name="insp_inspection_newest"),
            models.Index(fields=["agency", "-planned_on", "-id"], name="insp_inspection_agency_newest"),
            # the enterprise's own view and the frequency checks: one party's visits by date
            models.Index(fields=["party", "planned_on"], name="insp_inspection_party_day"),
            # the portal's 检查结果公示, newest first
            models.Index(fields=["-published_on", "-id"], name="insp_inspection_published",
                         condition=models.Q(published_on__isnull=False)),
        ]

    def __str__(self):
        return f"{self.number or '（未编号）'} {self.party.name if self.party_id else ''}".strip()

    def get_absolute_url(self):
        return reverse("inspections:act_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        """Inspections led by an agency under ``path``, and joint inspections in which one of them
        takes part (a line of the one checklist)."""
        from zhifa.orgs.models import Agency

        agencies = Agency._base_manager.filter(tree_path__startswith=path).values("pk")
        joined = InspectionChecklistLine.objects.filter(agency__in=agencies).values("inspection_id")
        return paths_q(cls.scope_paths, path, model=cls) | Q(pk__in=joined)

    @classmethod
    def public_q(cls) -> Q:
        """Published results (检查结果公示)."""
        return Q(published_on__isnull=False)

    @property
    def stream_key(self) -> str:
        """The key of this inspection's hash-chained record."""
        return f"inspection:{self.pk}"

    @property
    def stage_name(self) -> str:
        from zhifa.inspections.acts.procedure import PROCEDURE

        try:
            return PROCEDURE.stage(self.stage).name
        except KeyError:
            return self.stage

    @property
    def approval_missing(self) -> bool:
        """An emergency inspection whose approval has not been made up yet (flagged)."""
        return self.approved_at is None and self.stage not in ("requested", "refused")

    @property
    def scan_missing(self) -> bool:
        """On site (or later) without a scan of the enterprise's code (flagged)."""
        return self.started_at is not None and self.scanned_at is None


class InspectionChecklistLine(AuditedModel):  # 一表通查
    """One line of the one checklist: an item (of kind 行政检查, published) of one agency."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="lines")
    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalog.Item", verbose_name="检查事项", on_delete=models.PROTECT, related_name="+")
    result = models.CharField("检查结果", max_length=10, choices=LINE_RESULT_CHOICES, default="pending")
    note = models.TextField("检查情况", blank=True)

    class Meta:
        verbose_name = "检查事项（一表通查）"
        verbose_name_plural = "检查事项（一表通查）"
        ordering = ["inspection", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="insp_line_item_once")]
        indexes = [models.Index(fields=["agency", "inspection"], name="insp_line_agency")]

    def __str__(self):
        return f"{self.item.code} {self.item.name}"


class SupervisionCode(AuditedModel, ScopedModel):  # 涉企行政执法监督码（扫码入企）
    """The enterprise's supervision code: printed as a QR code at its premises, scanned by the
    officers on arrival; with its credit code it opens the enterprise's own portal view."""

    party = models.OneToOneField("parties.Party", verbose_name="企业", on_delete=models.PROTECT,
                                 related_name="supervision_code")
    code = models.CharField("监管码", max_length=20, unique=True, default=new_supervision_code)
    issued_at = models.DateTimeField("生成时间", default=clock.now)

    scope_area = "parties"
    scope_paths = ("party__region_path",)

    class Meta:
        verbose_name = "涉企监管码"
        verbose_name_plural = "涉企监管码"

    def __str__(self):
        return f"{self.party}的监管码"


class InspectionCap(AuditedModel, ScopedModel):  # 年度检查频次上限
    """An agency's published cap of inspections of one enterprise in one year (国办发〔2024〕54号).
    Case-triggered inspections from complaints and special campaigns from above are outside it."""

    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.CASCADE,
                               related_name="inspection_caps")
    year = models.PositiveIntegerField("年度")
    max_per_enterprise = models.PositiveSmallIntegerField("同一企业年度检查次数上限")
    basis = models.CharField("制定依据", max_length=300, blank=True)

    scope_area = "inspections"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "年度检查频次上限"
        verbose_name_plural = "年度检查频次上限"
        ordering = ["-year", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="insp_cap_once")]

    def __str__(self):
        return f"{self.agency}{self.year}年：每企业不超过{self.max_per_enterprise}次"

    @classmethod
    def public_q(cls) -> Q:
        """Every cap is published on the portal."""
        return Q(agency__is_active=True)


class InspectionEvaluation(AuditedModel, ScopedModel):  # 企业评价、投诉
    """The enterprise's evaluation of one visit (1–5) with a comment, or a complaint about it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="evaluations")
    rating = models.PositiveSmallIntegerField("满意度（1–5）")
    comment = models.TextField("评价意见", blank=True)
    is_complaint = models.BooleanField("投诉", default=False)
    complaint = models.ForeignKey("supervision.Complaint", verbose_name="投诉举报（投诉办理）", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="inspection_evaluations")
    submitted_at = models.DateTimeField("提交时间", default=clock.now)

    scope_area = "inspections"
    scope_paths = ("inspection__agency__tree_path",)

    class Meta:
        verbose_name = "企业评价"
        verbose_name_plural = "企业评价"
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return f"{'投诉' if self.is_complaint else '评价'}（{self.rating}分）"


class InspectionEvidence(models.Model):
    """A photo, recording or document taken at the inspection, stored content-addressed in
    ``records.StoredFile`` and referenced by an event of the inspection's record."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="evidence")
    number = models.PositiveIntegerField("证据序号")
    kind = models.CharField("证据种类", max_length=20)
    title = models.CharField("证据名称", max_length=200)
    description = models.TextField("证明内容", blank=True)
    file = models.ForeignKey("records.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    captured_at = models.DateTimeField("采集时间")
    place_text = models.CharField("采集地点", max_length=200, blank=True)
    device = models.ForeignKey("inspections.Device", verbose_name="采集设备（执法装备登记）", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="inspection_evidence")
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    late_upload = models.BooleanField("超过24小时上传", default=False)

    class Meta:
        verbose_name = "检查证据"
        verbose_name_plural = "检查证据"
        ordering = ["inspection", "number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="insp_evidence_number_once")]

    def __str__(self):
        return f"证据{self.number} {self.title}"


class InspectionDocument(GeneratedDocument):
    """A generated inspection document (行政检查文书), DOCX stored and hashed into the record; the PDF
    by the job "inspections.convert_documents" (``zhifa.inspections.acts.services.convert_pending_documents``)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="documents")
    generated_at = models.DateTimeField("生成时间", default=clock.now)

    class Meta(GeneratedDocument.Meta):
        verbose_name = "行政检查文书"
        verbose_name_plural = "行政检查文书"


class InspectionSequence(models.Model):
    """Per agency, year and series: the last number issued (检查编号, 责令改正通知书文号…)."""

    agency = models.ForeignKey("orgs.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, default="inspection")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year", "kind"], name="insp_sequence_once")]

    def __str__(self):
        return f"{self.agency_id} {self.year}: {self.last}"


__all__ = [
    "Inspection", "InspectionChecklistLine", "SupervisionCode", "InspectionCap", "InspectionEvaluation",
    "InspectionEvidence", "InspectionDocument", "InspectionSequence",
]
