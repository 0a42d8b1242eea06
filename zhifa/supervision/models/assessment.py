"""The 170-indicator assessment of the 三项制度 (SUP-5): the Shaanxi indicator system as data
(``Indicator``, loaded from ``zhifa/supervision/assessment/data/shaanxi-three-systems-indicators.csv``
by a data migration), a yearly assessment of an agency or a region (``Assessment``, 年度考评) with
one row per indicator (``AssessmentItem``) and the evidence files the assessed side uploads
(``AssessmentEvidence``).

Lifecycle (``zhifa.supervision.assessment.services`` is the only code that moves it)::

    draft 草稿（已计算） → self_assessed 已自评 → scored 已评分 → published 已公布

Computed indicators (``zhifa.supervision.assessment.indicators``) fill ``figure``, ``rule``,
``basis`` and ``computed_score`` from platform data; evidenced indicators are scored by the
supervisor from the files and notes of the self-assessment.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel, paths_q

COMPUTED = "computed"  # 数据计算
EVIDENCED = "evidenced"  # 佐证材料评分
METHOD_CHOICES = [(COMPUTED, "平台数据计算"), (EVIDENCED, "佐证材料评分")]


class Indicator(AuditedModel, models.Model):  # 考评指标
    """One of the 170 indicators (三级指标) with its level-1 and level-2 headings and points.
    Reference data every region reads, so not scoped."""

    number = models.PositiveSmallIntegerField("序号", unique=True)
    level1 = models.CharField("一级指标", max_length=100)
    level1_points = models.DecimalField("一级指标分值", max_digits=5, decimal_places=2)
    level2 = models.CharField("二级指标", max_length=100)
    level2_points = models.DecimalField("二级指标分值", max_digits=5, decimal_places=2)
    requirement = models.TextField("工作要求")
    requirement_points = models.DecimalField("工作要求分值", max_digits=5, decimal_places=2)
    text = models.TextField("考评标准（三级指标）")
    points = models.DecimalField("分值", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "三项制度考评指标"
        verbose_name_plural = "三项制度考评指标"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.text}"


class Assessment(AuditedModel, ScopedModel):  # 年度考评
    """The yearly assessment (年度考评) of one agency or one region against the indicator system."""

    DRAFT, SELF_ASSESSED, SCORED, PUBLISHED = "draft", "self_assessed", "scored", "published"
    STATUS_CHOICES = [(DRAFT, "待自评"), (SELF_ASSESSED, "已自评待评分"), (SCORED, "已评分待公布"),
                      (PUBLISHED, "已公布")]

    year = models.PositiveSmallIntegerField("考评年度")
    agency = models.ForeignKey("orgs.Agency", verbose_name="被考评执法主体", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="assessments")
    region = models.ForeignKey("orgs.Region", verbose_name="被考评行政区划", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField("状态", max_length=14, choices=STATUS_CHOICES, default=DRAFT, db_index=True)
    computed_at = models.DateTimeField("数据计算时间", null=True, blank=True)
    self_total = models.DecimalField("自评总分", max_digits=6, decimal_places=2, null=True, blank=True)
    self_note = models.TextField("自评说明", blank=True)
    self_assessed_at = models.DateTimeField("自评提交时间", null=True, blank=True)
    self_assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="自评提交人", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    final_total = models.DecimalField("考评得分", max_digits=6, decimal_places=2, null=True, blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评分人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField("公布日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_area = "assessment"
    scope_paths = ("agency__tree_path", "region__path")

    class Meta:
        verbose_name = "三项制度年度考评"
        verbose_name_plural = "三项制度年度考评"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "agency"], condition=Q(agency__isnull=False),
                                    name="supervision_assessment_agency_year"),
            models.UniqueConstraint(fields=["year", "region"], condition=Q(region__isnull=False),
                                    name="supervision_assessment_region_year"),
            models.CheckConstraint(condition=Q(agency__isnull=True, region__isnull=False)
                                   | Q(agency__isnull=False, region__isnull=True),
                                   name="supervision_assessment_one_subject"),
        ]
        indexes = [models.Index(fields=["-year", "-id"], name="supervision_assessment_list")]

    def __str__(self):
        return f"{self.subject_name} {self.year}年度三项制度考评"

    def get_absolute_url(self):
        return reverse("supervision:assessment_detail", args=[self.pk])

    @property
    def subject_name(self) -> str:
        return self.agency.name if self.agency_id else self.region.name

    @property
    def subject_path(self) -> str:
        """Tree path of the assessed agency or region."""
        return self.agency.tree_path if self.agency_id else self.region.path

    @classmethod
    def scope_q(cls, user, path):
        return paths_q(cls.scope_paths, path, model=cls)


class AssessmentItem(AuditedModel, ScopedModel):  # 考评指标得分
    """One indicator of one assessment: the computed figure with its rule and the rows behind it,
    the self-assessment score and note, the supervisor's score and reason."""

    assessment = models.ForeignKey(Assessment, verbose_name="年度考评", on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    method = models.CharField("评分方式", max_length=10, choices=METHOD_CHOICES, default=EVIDENCED)
    figure = models.CharField("计算结果", max_length=200, blank=True)
    rule = models.TextField("计算规则", blank=True)
    basis = models.JSONField("计算依据（案件或人员）", default=list, blank=True)
    basis_count = models.PositiveIntegerField("依据条数", default=0)
    computed_score = models.DecimalField("计算得分", max_digits=5, decimal_places=2, null=True, blank=True)
    self_score = models.DecimalField("自评得分", max_digits=5, decimal_places=2, null=True, blank=True)
    self_note = models.TextField("自评说明", blank=True)
    final_score = models.DecimalField("评定得分", max_digits=5, decimal_places=2, null=True, blank=True)
    reason = models.TextField("评分理由", blank=True)

    scope_area = "assessment"
    scope_paths = ("assessment__agency__tree_path", "assessment__region__path")

    class Meta:
        verbose_name = "考评指标得分"
        verbose_name_plural = "考评指标得分"
        ordering = ["assessment", "indicator__number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"],
                                               name="supervision_assessmentitem_once")]

    def __str__(self):
        return f"{self.assessment} — {self.indicator.number}"


class AssessmentEvidence(AuditedModel, ScopedModel):  # 佐证材料
    """A file (stored content-addressed through ``zhifa.records``) the assessed side uploads for one
    indicator."""

    item = models.ForeignKey(AssessmentItem, verbose_name="考评指标", on_delete=models.CASCADE,
                             related_name="evidence")
    file = models.ForeignKey("records.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope_area = "assessment"
    scope_paths = ("item__assessment__agency__tree_path", "item__assessment__region__path")

    class Meta:
        verbose_name = "考评佐证材料"
        verbose_name_plural = "考评佐证材料"
        ordering = ["item", "pk"]

    def __str__(self):
        return self.file.original_name if self.file_id else ""
