"""Annual enforcement statistics (行政执法统计年报, PUB-4).

An ``AnnualReport`` freezes one agency's figures for one calendar year, computed from the data
by ``zhifa.statistics.services.compute``; a ``RegionReport`` (区域汇总) sums the published
agency reports of every agency under a region. Both are drafts (草稿) until published (已发布);
only published ones reach the portal and the open-data API. The xlsx and PDF downloads are
rendered from the frozen figures and stored content-addressed (``records.StoredFile``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

DRAFT = "draft"  # 草稿
PUBLISHED = "published"  # 已发布
STATUS_CHOICES = [(DRAFT, "草稿"), (PUBLISHED, "已发布")]


class PublishedWhenReleased:
    """Draft or published: only published reports are public."""

    @classmethod
    def public_q(cls):
        return Q(status=PUBLISHED)

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED


class AnnualReport(PublishedWhenReleased, AuditedModel, ScopedModel):
    """One agency's annual enforcement statistics (执法主体年度统计) for one year."""

    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT,
                               related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=DRAFT, db_index=True)
    data = models.JSONField("统计数据", default=dict)
    generated_at = models.DateTimeField("生成时间")
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    xlsx = models.ForeignKey("records.StoredFile", verbose_name="Excel 文件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    pdf = models.ForeignKey("records.StoredFile", verbose_name="PDF 文件", null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")

    scope_area = "statistics"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "执法统计年报"
        verbose_name_plural = "执法统计年报"
        ordering = ["-year", "agency__region__code", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="statistics_report_once_per_year")]
        indexes = [models.Index(fields=["year", "status"], name="statistics_report_year_status")]

    def __str__(self):
        return f"{self.agency.name} {self.year}年度行政执法统计年报"

    def get_absolute_url(self):
        return reverse("statistics:report_detail", args=[self.pk])

    def get_public_url(self):
        return reverse("statistics:public_agency", args=[self.pk])

    @property
    def title(self) -> str:
        return f"{self.data.get('agency_name') or self.agency.name} {self.year}年度行政执法统计年报"


class RegionReport(PublishedWhenReleased, AuditedModel, ScopedModel):
    """The roll-up (区域汇总) of the published agency reports under one region for one year."""

    region = models.ForeignKey("orgs.Region", verbose_name="行政区划", on_delete=models.PROTECT,
                               related_name="statistics_reports")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=DRAFT, db_index=True)
    data = models.JSONField("汇总数据", default=dict)
    agency_count = models.PositiveIntegerField("纳入汇总的执法主体数", default=0)
    missing_count = models.PositiveIntegerField("未发布年报的执法主体数", default=0)
    generated_at = models.DateTimeField("汇总时间")
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="汇总人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    xlsx = models.ForeignKey("records.StoredFile", verbose_name="Excel 文件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    pdf = models.ForeignKey("records.StoredFile", verbose_name="PDF 文件", null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")

    scope_area = "statistics"
    scope_paths = ("region__path",)

    class Meta:
        verbose_name = "区域执法统计汇总"
        verbose_name_plural = "区域执法统计汇总"
        ordering = ["-year", "region__code"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="statistics_region_once_per_year")]

    def __str__(self):
        return f"{self.region.name} {self.year}年度行政执法统计汇总"

    def get_absolute_url(self):
        return reverse("statistics:region_detail", args=[self.pk])

    def get_public_url(self):
        return reverse("statistics:public_region", args=[self.pk])

    @property
    def title(self) -> str:
        return f"{self.data.get('region_name') or self.region.name} {self.year}年度行政执法统计汇总"
