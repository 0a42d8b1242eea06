"""Models of coercive measures and enforcement (行政强制). App label ``cases``: imported by
``zhifa.cases.models``; migrations live in ``zhifa/cases/migrations``."""

from django.conf import settings
from django.db import models

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

# 强制措施种类 (行政强制法第九条). 强制拆除 is enforcement (第四十四条); kept for rows recorded before
# the measure procedure existed.
SEAL = "seal"
SEIZE = "seize"
FREEZE = "freeze"
DEMOLITION = "demolition"
KIND_CHOICES = [
    (SEAL, "查封场所、设施或者财物"),
    (SEIZE, "扣押财物"),
    (FREEZE, "冻结存款、汇款"),
    (DEMOLITION, "强制拆除"),
]
SHORT_NAMES = {SEAL: "查封", SEIZE: "扣押", FREEZE: "冻结", DEMOLITION: "强制拆除"}

# 检测、检验、检疫、技术鉴定 (第二十五条第三款)
TESTING_KIND_CHOICES = [
    ("detection", "检测"),
    ("inspection", "检验"),
    ("quarantine", "检疫"),
    ("appraisal", "技术鉴定"),
]

# How a measure ends: 解除 (第二十八条) or 处理 (第二十七条: 没收、销毁、移送).
RELEASE = "release"
CONFISCATE = "confiscate"
DESTROY = "destroy"
TRANSFER = "transfer"
END_CHOICES = [
    (RELEASE, "解除"),
    (CONFISCATE, "没收"),
    (DESTROY, "销毁"),
    (TRANSFER, "移送"),
]

# 解除的情形 (行政强制法第二十八条第一款; 冻结: 第三十九条第一款)
RELEASE_REASON_CHOICES = [
    ("no_violation", "当事人没有违法行为"),
    ("unrelated", "查封、扣押的场所、设施或者财物与违法行为无关"),
    ("handled", "行政机关对违法行为已经作出处理决定，不再需要查封、扣押"),
    ("expired", "查封、扣押期限已经届满"),
    ("no_longer_needed", "其他不再需要采取查封、扣押措施的情形"),
    ("not_approved", "行政机关负责人认为不应当采取行政强制措施（第十九条）"),
]


class CoercionPower(AuditedModel):
    """What the law lets an agency do beyond sealing and seizing (行政强制权限): freeze deposits
    (冻结, 第二十九条: only an organ a law names) and enforce its own decisions (行政强制执行权,
    第十三条: only where a law grants it; otherwise it applies to the court, 第五十三条).
    One row per agency, with the law that grants each power (no edit page yet: set by the demo or a shell)."""

    agency = models.OneToOneField("orgs.Agency", verbose_name="执法主体", on_delete=models.CASCADE,
                                  related_name="coercion_power")
    may_freeze = models.BooleanField("法律授权冻结存款、汇款", default=False)
    freeze_basis = models.CharField("冻结的法律依据", max_length=300, blank=True)
    may_enforce = models.BooleanField("具有行政强制执行权", default=False)
    enforce_basis = models.CharField("行政强制执行权的法律依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "行政强制权限"
        verbose_name_plural = "行政强制权限"

    def __str__(self):
        return f"{self.agency}的行政强制权限"


class CoerciveMeasure(AuditedModel, ScopedModel):
    """A coercive measure (行政强制措施) in a case: 查封、扣押 or 冻结, moved through the
    measure procedure (``coercion.procedure.MEASURE_PROCEDURE``); never executed without a full
    audio/video recording. ``expires_on`` is the stored end of its period (30 days, one
    extension of at most 30, testing excluded), so warnings and overdue lists are one indexed
    query."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="coercive_measures")
    kind = models.CharField("措施", max_length=12, choices=KIND_CHOICES)
    stage = models.CharField("环节", max_length=20, default="in_force")
    emergency = models.BooleanField("情况紧急当场实施", default=False)
    reasons = models.TextField("理由", blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    place = models.CharField("实施地点", max_length=200, blank=True)
    started_at = models.DateTimeField("实施时间", null=True, blank=True)
    items = models.TextField("财物清单或对象", blank=True)
    inventory = models.JSONField("查封、扣押清单", default=list, blank=True,
                                 help_text="[{name, spec, quantity, unit, note}]")
    officers = models.ManyToManyField("people.Officer", verbose_name="实施的执法人员", blank=True, related_name="+")
    recording = models.ForeignKey("cases.Evidence", verbose_name="全程音像记录", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)
    requested_at = models.DateTimeField("申请时间", null=True, blank=True)
    reported_at = models.DateTimeField("向负责人报告时间", null=True, blank=True)
    approved_by = models.CharField("批准负责人", max_length=50, blank=True)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    approval_opinion = models.TextField("负责人意见", blank=True)
    expires_on = models.DateField("期限届满日", null=True, blank=True)
    expiry_provisional = models.BooleanField("届满日待确认（节假日未录入）", default=False)
    extension_days = models.PositiveSmallIntegerField("延长天数", default=0)
    extension_reasons = models.TextField("延长理由", blank=True)
    extended_on = models.DateField("批准延长日期", null=True, blank=True)
    ended_on = models.DateField("解除或处理日期", null=True, blank=True)
    end_kind = models.CharField("结果", max_length=12, choices=END_CHOICES, blank=True)
    end_reason = models.CharField("解除情形", max_length=20, choices=RELEASE_REASON_CHOICES, blank=True)
    end_note = models.TextField("解除或处理说明", blank=True)
    transferred_to = models.CharField("移送机关", max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_area = "cases"
    scope_paths = ("case__agency__tree_path",)

    class Meta:
        verbose_name = "行政强制措施"
        verbose_name_plural = "行政强制措施"
        indexes = [models.Index(fields=["stage", "expires_on"], name="cases_measure_stage_expiry")]

    def __str__(self):
        return self.get_kind_display()

    @property
    def short_name(self) -> str:
        return SHORT_NAMES.get(self.kind, self.get_kind_display())

    @property
    def stage_name(self) -> str:
        from .procedure import MEASURE_PROCEDURE

        try:
            return MEASURE_PROCEDURE.stage(self.stage).name
        except KeyError:
            return self.stage


class MeasureTesting(AuditedModel):
    """A period of 检测、检验、检疫 or 技术鉴定 of sealed or seized goods: not counted in the
    measure's period and stated to the party in writing (第二十五条第三款)."""

    measure = models.ForeignKey(CoerciveMeasure, on_delete=models.CASCADE, related_name="testings")
    kind = models.CharField("种类", max_length=12, choices=TESTING_KIND_CHOICES)
    institution = models.CharField("检测、鉴定机构", max_length=200)
    started_on = models.DateField("送检日期")
    ended_on = models.DateField("结果送达日期", null=True, blank=True)
    result = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "检测、检验、检疫或技术鉴定期间"
        verbose_name_plural = "检测、检验、检疫或技术鉴定期间"
        ordering = ["started_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.institution}）"


AGENCY = "agency"
COURT = "court"


class Enforcement(AuditedModel, ScopedModel):
    """行政强制执行 of a decision the party neither performed nor challenged: 催告书 first
    (第三十五条), the party's statement and the agency's review (第三十六条), then a
    强制执行决定 where the agency has the power (第三十七条) or an application to the court
    (第五十三条、第五十四条). Moved through ``coercion.procedure.ENFORCEMENT_PROCEDURE``."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="enforcements")
    stage = models.CharField("环节", max_length=20, default="reminded")
    obligation = models.TextField("应当履行的义务")
    principal = models.DecimalField("未缴罚没款本金", max_digits=14, decimal_places=2, default=0)
    surcharge = models.DecimalField("加处罚款", max_digits=14, decimal_places=2, default=0)
    reminder_number = models.CharField("催告书文号", max_length=60, blank=True)
    reminder_served_on = models.DateField("催告书送达日期")
    compliance_due_on = models.DateField("催告履行期限")
    compliance_provisional = models.BooleanField("履行期限待确认（节假日未录入）", default=False)
    statement = models.TextField("当事人陈述、申辩", blank=True)
    statement_on = models.DateField("陈述、申辩日期", null=True, blank=True)
    statement_review = models.TextField("复核意见", blank=True)
    statement_accepted = models.BooleanField("是否采纳", null=True, blank=True)
    decided_on = models.DateField("强制执行决定日期", null=True, blank=True)
    decision_number = models.CharField("强制执行决定书文号", max_length=60, blank=True)
    means = models.CharField("强制执行方式", max_length=200, blank=True)
    court = models.CharField("申请执行的人民法院", max_length=100, blank=True)
    applied_on = models.DateField("申请日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_area = "cases"
    scope_paths = ("case__agency__tree_path",)

    class Meta:
        verbose_name = "行政强制执行"
        verbose_name_plural = "行政强制执行"

    def __str__(self):
        return f"{self.case}的行政强制执行"

    @property
    def stage_name(self) -> str:
        from .procedure import ENFORCEMENT_PROCEDURE

        return ENFORCEMENT_PROCEDURE.stage(self.stage).name
