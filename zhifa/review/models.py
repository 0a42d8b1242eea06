"""Legal review of major enforcement decisions (重大执法决定法制审核) and collective discussion
(集体讨论), REV-1 … REV-3.

Every change goes through ``zhifa.review.services``, which writes the case's hash-chained record;
the gates that stop a major decision are registered with ``zhifa.cases.rules.register_gate``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.catalog.choices import PENALTY_KIND_CHOICES
from zhifa.core import numbers
from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

from . import choices


class ReviewSettings(AuditedModel, ScopedModel):
    """Per agency: how many working days a legal review may take (default 5)."""

    agency = models.OneToOneField("orgs.Agency", verbose_name="执法主体", on_delete=models.CASCADE,
                                  related_name="review_settings")
    deadline_working_days = models.PositiveSmallIntegerField(
        "审核期限（工作日）", default=choices.DEFAULT_DEADLINE_WORKING_DAYS,
        help_text="自提交之日起计算的工作日数。",
    )

    scope_area = "review"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "法制审核设置"
        verbose_name_plural = "法制审核设置"

    def __str__(self):
        return f"{self.agency.name}：{self.deadline_working_days}个工作日"

    def get_absolute_url(self):
        return reverse("review:catalog_list") + f"?agency={self.agency_id}"


class MajorDecisionCatalog(AuditedModel, ScopedModel):
    """One row of an agency's 重大执法决定法制审核目录清单 (REV-1)."""

    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT,
                               related_name="major_catalog")
    criterion = models.CharField("认定标准", max_length=20, choices=choices.CRITERION_CHOICES)
    description = models.CharField("目录事项", max_length=300)
    fine_person = models.DecimalField("对公民罚款达到（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_organisation = models.DecimalField(
        "对法人或其他组织罚款达到（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    penalty_kind = models.CharField("处罚种类", max_length=20, choices=PENALTY_KIND_CHOICES, blank=True)
    legal_basis = models.TextField("依据", blank=True)
    requires_collective_discussion = models.BooleanField(
        "须集体讨论", default=False, help_text="情节复杂或者重大违法行为给予较重处罚的，须经负责人集体讨论决定。"
    )
    order = models.PositiveSmallIntegerField("序号", default=0)
    is_active = models.BooleanField("有效", default=True)

    scope_area = "review"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "重大执法决定目录"
        verbose_name_plural = "重大执法决定法制审核目录清单"
        ordering = ["agency", "order", "id"]

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return reverse("review:catalog_detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.criterion == choices.FINE_THRESHOLD and self.fine_person is None and self.fine_organisation is None:
            raise ValidationError({"fine_person": "罚款数额标准须至少填写一项（公民或组织）。"})
        if self.criterion == choices.PENALTY_KIND and not self.penalty_kind:
            raise ValidationError({"penalty_kind": "请选择处罚种类。"})
        if self.criterion != choices.PENALTY_KIND and self.penalty_kind:
            raise ValidationError({"penalty_kind": "只有“处罚种类”标准才填写处罚种类。"})

    @property
    def standard_text(self) -> str:
        """The criterion as published (e.g. 对公民罚款5,000.00 元以上、对法人或其他组织罚款50,000.00 元以上)."""
        if self.criterion == choices.FINE_THRESHOLD:
            parts = []
            if self.fine_person is not None:
                parts.append(f"对公民罚款{numbers.format_yuan(self.fine_person)}以上")
            if self.fine_organisation is not None:
                parts.append(f"对法人或其他组织罚款{numbers.format_yuan(self.fine_organisation)}以上")
            return "、".join(parts)
        if self.criterion == choices.PENALTY_KIND:
            return f"拟给予{self.penalty_kind}"
        return self.get_criterion_display()

    @classmethod
    def public_q(cls) -> Q:
        """An agency's active catalog rows are published (PUB-1)."""
        return Q(is_active=True, agency__is_active=True)


class MajorFlag(AuditedModel, ScopedModel):
    """A case flagged major by hand (人工认定), always with the reason."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="major_flags")
    kind = models.CharField("认定情形", max_length=20, choices=choices.FLAG_KIND_CHOICES)
    reason = models.TextField("认定理由")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="认定人", on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField("认定时间")

    scope_area = "review"
    scope_paths = ("case__agency__tree_path",)

    class Meta:
        verbose_name = "重大执法决定认定"
        verbose_name_plural = "重大执法决定认定"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.reason[:30]}"

    def get_absolute_url(self):
        return reverse("review:case", args=[self.case_id])


class Review(AuditedModel, ScopedModel):
    """One round of legal review (法制审核) of a case; a resubmission opens the next round and
    every round is kept."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="reviews")
    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField("审核轮次", default=1)
    status = models.CharField("状态", max_length=12, choices=choices.STATUS_CHOICES, default=choices.PENDING,
                              db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField("提交时间")
    package = models.JSONField("送审材料", default=dict)
    major_reasons = models.JSONField("重大执法决定情形", default=list)
    deadline = models.DateField("审核期限", db_index=True)
    deadline_provisional = models.BooleanField("期限待确认（节假日未录入）", default=False)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="legal_reviews")
    reviewer_kind = models.CharField("审核人员类别", max_length=14, choices=choices.REVIEWER_KIND_CHOICES, blank=True)
    assigned_at = models.DateTimeField("分配时间", null=True, blank=True)
    result = models.CharField("审核结论", max_length=10, choices=choices.RESULT_CHOICES, blank=True)
    completed_at = models.DateTimeField("审核完成时间", null=True, blank=True)
    opinion_number = models.CharField("意见书文号", max_length=60, blank=True)
    opinion_docx = models.ForeignKey("records.StoredFile", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    opinion_pdf = models.ForeignKey("records.StoredFile", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    withdrawn_reason = models.TextField("撤回理由", blank=True)

    scope_area = "review"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "法制审核"
        verbose_name_plural = "法制审核"
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="review_round_once_per_case")]
        indexes = [models.Index(fields=["agency", "status", "deadline"])]

    def __str__(self):
        return f"{self.case.number or '（未立案）'} 第{self.round}轮法制审核"

    def get_absolute_url(self):
        return reverse("review:review_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Waiting for the reviewer (submitted or being reviewed)."""
        return self.status in choices.OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.deadline < today


class ReviewFinding(models.Model):
    """The reviewer's finding on one of the ten points (REV-2), with its written reason."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    point = models.CharField("审核事项", max_length=20, choices=choices.POINT_CHOICES)
    finding = models.CharField("审核结论", max_length=16, choices=choices.FINDING_CHOICES)
    reason = models.TextField("理由")

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        constraints = [models.UniqueConstraint(fields=["review", "point"], name="review_finding_once_per_point")]

    def __str__(self):
        return f"{self.get_point_display()}：{self.get_finding_display()}"

    @property
    def order(self) -> int:
        return choices.POINT_ORDER[self.point]


class ReviewAnswer(models.Model):
    """The handling unit's written answer to a point found to have a problem."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    point = models.CharField("审核事项", max_length=20, choices=choices.POINT_CHOICES)
    answer = models.TextField("书面答复")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField("答复时间")

    class Meta:
        verbose_name = "审核意见答复"
        verbose_name_plural = "审核意见答复"
        constraints = [models.UniqueConstraint(fields=["review", "point"], name="review_answer_once_per_point")]

    def __str__(self):
        return f"{self.get_point_display()}：{self.answer[:30]}"


class CollectiveDiscussion(AuditedModel, ScopedModel):
    """A collective discussion by the agency's leadership (负责人集体讨论, 处罚法第五十七条第二款)."""

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT,
                             related_name="collective_discussions")
    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("讨论日期")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="主持人", on_delete=models.PROTECT,
                              related_name="+")
    chair_authorisation = models.CharField(
        "主持人授权", max_length=200, blank=True, help_text="主持人不是机关负责人的，填写授权文件或授权情况。"
    )
    participants = models.TextField("参加人员")
    opinions = models.TextField("讨论意见")
    conclusion = models.TextField("讨论决定")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("记录时间")
    record = models.ForeignKey("cases.CaseDocument", verbose_name="集体讨论记录", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    scope_area = "review"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "集体讨论"
        verbose_name_plural = "集体讨论"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.case.number or '（未立案）'} 集体讨论（{self.held_on:%Y-%m-%d}）"

    def get_absolute_url(self):
        return reverse("review:case", args=[self.case_id])
