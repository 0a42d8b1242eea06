"""Case-file evaluation (案卷评查, SUP-2): score sheets as data, evaluation plans with a
reproducible sample, scores and findings per item, re-evaluation requests, results notices
(通报) and the rectification of findings.

Every change goes through ``zhifa.supervision.evaluation.services``; the sampling algorithm is
described there and in ``docs/supervision-evaluation.md``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel, paths_q

# Item kinds of a score sheet.
POINTS = "points"  # 扣分项: deductions up to the item's points
AUTO_FAIL = "auto_fail"  # 直接评为不合格 (广东省办法第十七条)
VETO = "veto"  # 一票否决: the total becomes zero
ITEM_KIND_CHOICES = [(POINTS, "扣分项"), (AUTO_FAIL, "直接不合格项"), (VETO, "一票否决项")]

# Grades (等次).
FAIL, PASS, GOOD, EXCELLENT = "fail", "pass", "good", "excellent"
GRADE_CHOICES = [(FAIL, "不合格"), (PASS, "合格"), (GOOD, "良好"), (EXCELLENT, "优秀")]


class ScoreSheet(AuditedModel, models.Model):
    """A score sheet (评查评分标准): its items, points and grade thresholds, kept as data and
    editable by the supervising bureau. Reference data every region reads (like the holiday
    calendar), so not scoped."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=120)
    basis = models.TextField("依据", blank=True)
    total_points = models.PositiveSmallIntegerField("满分", default=100)
    pass_from = models.DecimalField("合格分数线", max_digits=5, decimal_places=1, default=60)
    good_from = models.DecimalField("良好分数线", max_digits=5, decimal_places=1, default=75)
    excellent_from = models.DecimalField("优秀分数线", max_digits=5, decimal_places=1, default=90)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "评查评分标准"
        verbose_name_plural = "评查评分标准"
        ordering = ["code"]

    def __str__(self):
        return self.name


class ScoreItem(AuditedModel, models.Model):
    """One item of a score sheet: a deduction item worth ``points``, or a condition that fails
    the file outright (直接不合格) or sets its total to zero (一票否决)."""

    sheet = models.ForeignKey(ScoreSheet, verbose_name="评分标准", on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("序号")
    section = models.CharField("类别", max_length=40)
    title = models.CharField("评查项目", max_length=200)
    guidance = models.TextField("评分说明", blank=True)
    kind = models.CharField("类型", max_length=10, choices=ITEM_KIND_CHOICES, default=POINTS)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = "评查项目"
        verbose_name_plural = "评查项目"
        ordering = ["sheet", "order"]
        constraints = [models.UniqueConstraint(fields=["sheet", "order"], name="supervision_scoreitem_order")]

    def __str__(self):
        return f"{self.order}. {self.title}"


class EvaluationPlan(AuditedModel, ScopedModel):
    """An evaluation plan (案卷评查方案) of a supervising region: which archived files, how many
    per agency, the seed of the draw and the digest of the population it was drawn from."""

    DRAFT, SAMPLED, FINISHED = "draft", "sampled", "finished"
    STATUS_CHOICES = [(DRAFT, "待抽取"), (SAMPLED, "评查中"), (FINISHED, "已通报")]

    region = models.ForeignKey("orgs.Region", verbose_name="组织评查的行政区划", on_delete=models.PROTECT,
                               related_name="evaluation_plans")
    title = models.CharField("方案名称", max_length=200)
    sheet = models.ForeignKey(ScoreSheet, verbose_name="评分标准", on_delete=models.PROTECT, related_name="plans")
    archived_from = models.DateField("归档日期自")
    archived_to = models.DateField("归档日期至")
    sample_rate = models.DecimalField("抽取比例（%）", max_digits=5, decimal_places=2, default=5)
    sample_minimum = models.PositiveSmallIntegerField("每个执法主体最少抽取（件）", default=3)
    seed = models.CharField("随机种子", max_length=64, blank=True)
    population_digest = models.CharField("案卷总体摘要（SHA-256）", max_length=64, blank=True)
    population_size = models.PositiveIntegerField("案卷总体数", default=0)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=DRAFT)
    results_issued_on = models.DateField("结果通报日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_area = "evaluation"
    scope_paths = ("region__path",)

    class Meta:
        verbose_name = "案卷评查方案"
        verbose_name_plural = "案卷评查方案"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:evaluation_plan", args=[self.pk])

    @classmethod
    def scope_q(cls, user, path):
        """The supervising region's subtree sees its plans; an agency sees the plans that
        evaluated one of its files; an evaluator the plans with files assigned to them."""
        return (paths_q(("region__path",), path, model=cls)
                | Q(pk__in=CaseEvaluation.objects.filter(CaseEvaluation.agency_side_q(path)).values("plan_id"))
                | Q(pk__in=CaseEvaluation.objects.filter(evaluator=user).values("plan_id")))


class CaseEvaluation(AuditedModel, ScopedModel):
    """One sampled case file and its evaluation (评查): evaluator, score, grade."""

    PENDING, SUBMITTED = "pending", "submitted"
    STATUS_CHOICES = [(PENDING, "待评查"), (SUBMITTED, "已评分")]

    plan = models.ForeignKey(EvaluationPlan, verbose_name="评查方案", on_delete=models.PROTECT,
                             related_name="evaluations")
    case = models.ForeignKey("cases.Case", verbose_name="案卷", on_delete=models.PROTECT, related_name="evaluations")
    agency = models.ForeignKey("orgs.Agency", verbose_name="被评查执法主体", on_delete=models.PROTECT,
                               related_name="case_evaluations")
    draw_rank = models.PositiveIntegerField("抽取顺位")
    draw_key = models.CharField("抽取键（HMAC-SHA256）", max_length=64)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评查人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="case_evaluations")
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=PENDING)
    total = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField("等次", max_length=10, choices=GRADE_CHOICES, blank=True)
    failed_by = models.CharField("直接不合格或否决事项", max_length=300, blank=True)
    comment = models.TextField("总体评价", blank=True)
    submitted_at = models.DateTimeField("评分时间", null=True, blank=True)
    openings = models.PositiveIntegerField("调阅案卷次数", default=0)

    scope_area = "evaluation"
    scope_paths = ("plan__region__path",)

    class Meta:
        verbose_name = "案卷评查"
        verbose_name_plural = "案卷评查"
        ordering = ["plan", "agency", "draw_rank"]
        constraints = [models.UniqueConstraint(fields=["plan", "case"], name="supervision_evaluation_case_once")]

    def __str__(self):
        return f"{self.plan}：{self.case.number or self.case.cause}"

    def get_absolute_url(self):
        return reverse("supervision:evaluation_detail", args=[self.pk])

    @staticmethod
    def agency_side_q(path) -> Q:
        """Evaluations of the agencies under ``path`` whose results have been issued."""
        return (Q(agency__in=_agencies_under(path)) & Q(plan__status=EvaluationPlan.FINISHED))

    @classmethod
    def scope_q(cls, user, path):
        """The supervising region sees every evaluation of its plans; the evaluated agency
        sees its own once the results are issued; an evaluator sees the files assigned to them."""
        return paths_q(("plan__region__path",), path) | cls.agency_side_q(path) | Q(evaluator=user)


def _agencies_under(path):
    from zhifa.orgs.models import Agency

    return Agency._base_manager.filter(tree_path__startswith=path).values("pk")


class Finding(AuditedModel, ScopedModel):
    """A finding on one item of a file (评查发现): the points deducted, or the automatic-fail or
    veto condition met, with the reason; the agency reports its rectification (整改)."""

    OPEN, REPORTED, ACCEPTED = "open", "reported", "accepted"
    RECTIFICATION_CHOICES = [(OPEN, "待整改"), (REPORTED, "已报告整改"), (ACCEPTED, "整改已确认")]

    evaluation = models.ForeignKey(CaseEvaluation, verbose_name="案卷评查", on_delete=models.CASCADE,
                                   related_name="findings")
    item = models.ForeignKey(ScoreItem, verbose_name="评查项目", on_delete=models.PROTECT, related_name="+")
    deduction = models.DecimalField("扣分", max_digits=5, decimal_places=1, default=0)
    triggered = models.BooleanField("触发直接不合格或否决", default=False)
    note = models.TextField("问题描述")
    rectification = models.CharField("整改状态", max_length=10, choices=RECTIFICATION_CHOICES, default=OPEN)
    rectification_report = models.TextField("整改情况", blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    accepted_at = models.DateTimeField("确认时间", null=True, blank=True)

    scope_area = "evaluation"
    scope_paths = ("evaluation__plan__region__path",)

    class Meta:
        verbose_name = "评查发现问题"
        verbose_name_plural = "评查发现问题"
        ordering = ["evaluation", "item__order"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "item"], name="supervision_finding_item_once")]

    def __str__(self):
        return f"{self.item.title}：{self.note[:40]}"

    def get_absolute_url(self):
        return reverse("supervision:evaluation_detail", args=[self.evaluation_id])

    @classmethod
    def scope_q(cls, user, path):
        return (paths_q(("evaluation__plan__region__path",), path)
                | Q(evaluation__in=CaseEvaluation.objects.filter(CaseEvaluation.agency_side_q(path)).values("pk"))
                | Q(evaluation__evaluator=user))


class ReEvaluationRequest(AuditedModel, ScopedModel):
    """A request for re-evaluation (复查申请) by the evaluated agency, within 10 working days of
    the results notice (广东省行政执法案卷评查办法第十二条), and its decision."""

    PENDING, UPHELD, CHANGED = "pending", "upheld", "changed"
    STATUS_CHOICES = [(PENDING, "待复查"), (UPHELD, "维持原评查结果"), (CHANGED, "变更评查结果")]

    evaluation = models.ForeignKey(CaseEvaluation, verbose_name="案卷评查", on_delete=models.PROTECT,
                                   related_name="reevaluations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                     related_name="+")
    requested_on = models.DateField("申请日期")
    deadline = models.DateField("申请期限")
    reason = models.TextField("申请理由")
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复查人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("复查时间", null=True, blank=True)
    decision = models.TextField("复查意见", blank=True)
    previous_total = models.DecimalField("原得分", max_digits=5, decimal_places=1, null=True, blank=True)

    scope_area = "evaluation"
    scope_paths = ("evaluation__plan__region__path", "evaluation__agency__tree_path")

    class Meta:
        verbose_name = "复查申请"
        verbose_name_plural = "复查申请"
        ordering = ["-requested_on", "-id"]

    def __str__(self):
        return f"复查申请：{self.evaluation}"

    def get_absolute_url(self):
        return reverse("supervision:evaluation_detail", args=[self.evaluation_id])


class EvaluationNotice(AuditedModel, ScopedModel):
    """The results notice (评查结果通报) of one plan to one agency: its files, scores, grades
    and findings; downloadable as PDF."""

    plan = models.ForeignKey(EvaluationPlan, verbose_name="评查方案", on_delete=models.PROTECT, related_name="notices")
    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT,
                               related_name="evaluation_notices")
    number = models.CharField("通报文号", max_length=60)
    issued_on = models.DateField("通报日期")
    average = models.DecimalField("平均得分", max_digits=5, decimal_places=1, null=True)
    summary = models.TextField("通报内容")

    scope_area = "evaluation"
    scope_paths = ("plan__region__path", "agency__tree_path")

    class Meta:
        verbose_name = "评查结果通报"
        verbose_name_plural = "评查结果通报"
        ordering = ["plan", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "agency"], name="supervision_notice_once")]

    def __str__(self):
        return f"{self.number}（{self.agency}）"

    def get_absolute_url(self):
        return reverse("supervision:evaluation_notice", args=[self.pk])
