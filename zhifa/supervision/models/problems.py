"""Problem models (问题模型, SUP-1) as data.

The check of each model is a named query in ``zhifa.supervision.problems`` (``@register``);
what a supervising bureau may change without code — name, legal basis, severity, recipient,
thresholds, on/off per region — lives in these rows. ``ProblemModel`` rows are created from
the registry's defaults by ``problems.sync_models`` (``run_problem_models`` calls it); a
``RegionSetting`` switches a model off or changes its thresholds for one region and
everything below it (the nearest region's setting wins).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel, ancestor_paths, region_part

SEVERITY_CHOICES = [("low", "一般"), ("medium", "较重"), ("high", "严重")]
RECIPIENT_CHOICES = [
    ("agency", "执法主体（承办机构负责人、机关负责人）"),
    ("supervisor", "本级司法行政部门执法监督机构"),
    ("both", "执法主体和执法监督机构"),
]
TARGET_CHOICES = [
    ("case", "案件"), ("evidence", "证据"), ("publication", "公示信息"), ("publication_action", "公示撤回更正"),
    ("coercive_measure", "行政强制措施"), ("case_officer", "办案人员"), ("payment", "缴款记录"), ("remedy", "复议诉讼"),
    ("officer", "执法人员"), ("certificate", "执法证件"), ("agency", "执法主体"), ("benchmark", "裁量基准"),
    ("inspection", "行政检查"),
    # the equipment register and non-site supervision (zhifa.inspections.devices.problems)
    ("device", "执法装备"), ("device_record", "非现场执法记录"), ("township", "镇（街道）"),
    ("complaint", "投诉举报"), ("party", "当事人（被投诉举报企业）"),
]


class ProblemModel(AuditedModel, ScopedModel):  # 问题模型
    """One problem model: what it looks for, on which legal basis, how serious, for whom.

    National reference data: every supervisor reads all models; a province-level supervisor
    (or the platform administrator) edits the defaults; regions override in ``RegionSetting``.
    """

    code = models.CharField("模型编码", max_length=40, unique=True)
    name = models.CharField("模型名称", max_length=100)
    category = models.CharField("类别", max_length=30)
    legal_basis = models.TextField("法律依据")
    severity = models.CharField("严重程度", max_length=8, choices=SEVERITY_CHOICES, default="medium")
    recipient = models.CharField("预警推送对象", max_length=12, choices=RECIPIENT_CHOICES, default="agency")
    target = models.CharField("监测对象", max_length=20, choices=TARGET_CHOICES, editable=False)
    params = models.JSONField("阈值参数", default=dict, blank=True)
    enabled = models.BooleanField("默认启用", default=True)
    description = models.TextField("判定规则说明", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_area = "alerts"

    class Meta:
        verbose_name = "问题模型"
        verbose_name_plural = "问题模型"
        ordering = ["category", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("supervision:problem_model_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        """Reference data: every row for a user who may see alerts at all."""
        return Q()


class RegionSetting(AuditedModel, ScopedModel):  # 区域模型设置
    """A region's own switch and thresholds for one model (applies to the region's subtree)."""

    problem_model = models.ForeignKey(ProblemModel, verbose_name="问题模型", on_delete=models.CASCADE,
                                      related_name="region_settings")
    region = models.ForeignKey("orgs.Region", verbose_name="行政区划", on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField("启用", default=True)
    params = models.JSONField("阈值参数（覆盖默认值）", default=dict, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_area = "alerts"
    scope_paths = ("region__path",)

    class Meta:
        verbose_name = "区域模型设置"
        verbose_name_plural = "区域模型设置"
        ordering = ["problem_model__code", "region__path"]
        constraints = [models.UniqueConstraint(fields=["problem_model", "region"], name="supervision_setting_once")]

    def __str__(self):
        return f"{self.region.name}：{self.problem_model.name}（{'启用' if self.enabled else '停用'}）"

    def get_absolute_url(self):
        return self.problem_model.get_absolute_url()

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        """A supervisor sees the settings of their region, of the regions above (which apply to
        them) and of those below."""
        region_path = region_part(path)
        return Q(region__path__startswith=region_path) | Q(region__path__in=ancestor_paths(region_path))
