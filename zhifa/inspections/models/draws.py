"""双随机、一公开 (INS-1, INS-2): the random-inspection item list, the inspector register, conflict
declarations, annual plans and public draws that anyone can re-run.

- ``InspectionListEntry`` (随机抽查事项清单): one inspection item of the catalog as the list publishes
  it — legal basis, inspecting body, target kind, population rule, ratio, frequency, method.
  Only a published entry whose catalog item is itself public may be drawn or inspected.
- ``InspectorEntry`` (执法检查人员名录): an officer on an agency's inspector register, with the home
  township (户籍/居住乡镇) used for the conflict-of-interest rule.
- ``ConflictDeclaration`` (回避关系申报): a declared relation of an officer with a party.
- ``InspectionPlan`` (年度抽查计划) with its ``PlanItem`` rows; joint plans name participating agencies.
- ``Draw`` (双随机抽取): prepared → frozen (inputs and commitment published) → completed (secret
  revealed, result published); ``DrawWitness`` values; ``DrawPairing`` rows (target, inspectors,
  items, agency) from which inspections are created.

The target register (检查对象名录) is the party table itself (``zhifa.parties``: organisations with
their credit/risk class A–D); the algorithm is ``zhifa/inspections/draws/algorithm.py``; the rules
are in ``zhifa/inspections/draws/services.py``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.crypto import EncryptedCharField
from zhifa.core.models import AppendOnlyModel, AppendOnlyQuerySetMixin
from zhifa.core.scoping import ScopedModel, ScopedQuerySet, paths_q

__all__ = [
    "InspectionListEntry", "InspectorEntry", "ConflictDeclaration", "InspectionPlan", "PlanItem", "Draw",
    "DrawWitness", "DrawPairing",
]

# 检查类别 (司法部解答: three kinds of administrative inspection)
ROUTINE = "routine"
CASE_TRIGGERED = "case"
SPECIAL = "special"
INSPECTION_KIND_CHOICES = [(ROUTINE, "日常检查"), (CASE_TRIGGERED, "个案检查"), (SPECIAL, "专项检查")]
#: kinds that a random draw serves (个案检查 follows a complaint or a lead, never a draw)
DRAWN_KINDS = (ROUTINE, SPECIAL)

TARGET_KIND_CHOICES = [
    ("enterprise", "企业及其他组织"),
    ("individual_business", "个体工商户"),
    ("all", "全部经营主体"),
]
#: party kinds of each target kind (zhifa.parties.models.Party.kind)
TARGET_PARTY_KINDS = {
    "enterprise": ("legal", "other_org"),
    "individual_business": ("individual_business",),
    "all": ("legal", "other_org", "individual_business"),
}
FREQUENCY_CHOICES = [
    ("yearly", "每年1次"), ("half_yearly", "每半年1次"), ("quarterly", "每季度1次"), ("triennial", "每三年1次"),
]
METHOD_CHOICES = [
    ("onsite", "现场检查"), ("documents", "书面检查"), ("online", "网络监测"), ("sampling", "抽样检验"),
]
DRAFT = "draft"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
PUBLICATION_CHOICES = [(DRAFT, "草稿"), (PUBLISHED, "已公布"), (WITHDRAWN, "已撤回")]

RATIO_HELP = "万分比：500 即 5%。"


def _ratio(label, default):
    return models.PositiveSmallIntegerField(label, default=default, validators=[MaxValueValidator(10000)],
                                            help_text=RATIO_HELP)


class RatioRules(models.Model):
    """Ratios by credit/risk class and the minimum overall ratio (国发〔2019〕18号; 5% typical)."""

    ratio_a = _ratio("A类抽查比例", 300)
    ratio_b = _ratio("B类抽查比例", 500)
    ratio_c = _ratio("C类抽查比例", 1000)
    ratio_d = _ratio("D类抽查比例", 3000)
    ratio_n = _ratio("未分类抽查比例", 500)
    min_ratio = _ratio("总体最低抽查比例", 500)
    repeat_days = models.PositiveSmallIntegerField(
        "同一检查人员回避期（天）", default=365, help_text="此期间内检查过同一对象的检查人员不再被抽中检查该对象。"
    )

    class Meta:
        abstract = True

    def ratios(self) -> dict:
        """The ratios as the algorithm reads them (basis points by class)."""
        return {"A": self.ratio_a, "B": self.ratio_b, "C": self.ratio_c, "D": self.ratio_d, "N": self.ratio_n}

    @staticmethod
    def percent(value: int) -> str:
        return f"{value / 100:g}%"

    def ratios_display(self) -> str:
        return "；".join(f"{k}类 {self.percent(v)}" for k, v in self.ratios().items() if k != "N") + \
            f"；未分类 {self.percent(self.ratio_n)}；总体不低于 {self.percent(self.min_ratio)}"


class InspectionListEntry(AuditedModel, ScopedModel):  # 随机抽查事项清单
    """One item of the random-inspection list (随机抽查事项清单, 国办发〔2015〕58号): what is inspected,
    on what basis, by whom, of which targets, how many and how often."""

    agency = models.ForeignKey("orgs.Agency", verbose_name="检查主体", on_delete=models.PROTECT,
                               related_name="inspection_list_entries")
    item = models.ForeignKey("catalog.Item", verbose_name="检查事项", on_delete=models.PROTECT,
                             related_name="inspection_list_entries", help_text="执法事项目录中“行政检查”类事项。")
    legal_basis = models.TextField("检查依据", help_text="法律、法规、规章的名称及条款。")
    target_kind = models.CharField("检查对象类型", max_length=20, choices=TARGET_KIND_CHOICES, default="enterprise")
    population_rule = models.CharField(
        "检查对象范围", max_length=300, help_text="例如：本县登记的食品经营企业。抽取时取本主体所在行政区划内该类型的全部经营主体。"
    )
    ratio = _ratio("抽查比例", 500)
    frequency = models.CharField("抽查频次", max_length=14, choices=FREQUENCY_CHOICES, default="yearly")
    method = models.CharField("检查方式", max_length=10, choices=METHOD_CHOICES, default="onsite")
    inspection_kind = models.CharField("检查类别", max_length=10, choices=INSPECTION_KIND_CHOICES, default=ROUTINE)
    status = models.CharField("公布状态", max_length=10, choices=PUBLICATION_CHOICES, default=DRAFT, editable=False)
    published_on = models.DateField("公布日期", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_area = "draws"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "随机抽查事项"
        verbose_name_plural = "随机抽查事项清单"
        ordering = ["agency_id", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "item"], name="insp_list_entry_unique_item")]
        indexes = [
            models.Index(fields=["status", "agency"], name="insp_list_entry_status"),
            models.Index(fields=["agency", "id"], name="insp_list_entry_order"),
        ]

    def __str__(self):
        return f"{self.item.code} {self.item.name}"

    def get_absolute_url(self):
        return reverse("inspections:draws_entry_detail", args=[self.pk])

    @property
    def ratio_display(self) -> str:
        return RatioRules.percent(self.ratio)

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED

    @classmethod
    def public_q(cls) -> Q:
        """Published entries of active agencies (PUB-1: 随机抽查事项清单)."""
        return Q(status=PUBLISHED, agency__is_active=True)


class InspectorEntry(AuditedModel, ScopedModel):  # 执法检查人员名录
    """An officer on an agency's inspector register (执法检查人员名录). Whether the officer may be
    drawn for an item is decided on the draw date by ``people.services.may_act`` (certificate
    valid and covering the item's field, item within the agency's competence)."""

    agency = models.ForeignKey("orgs.Agency", verbose_name="所属检查主体", on_delete=models.PROTECT,
                               related_name="inspector_entries")
    officer = models.ForeignKey("people.Officer", verbose_name="执法人员", on_delete=models.PROTECT,
                                related_name="inspector_entries")
    home_region = models.ForeignKey(
        "orgs.Region", verbose_name="户籍或居住乡镇", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="回避本人户籍或居住地所在乡镇（街道）的检查对象；只填乡镇（街道）级行政区划。",
    )
    is_active = models.BooleanField("在册", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_area = "draws"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "执法检查人员"
        verbose_name_plural = "执法检查人员名录"
        ordering = ["agency_id", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "officer"], name="insp_inspector_unique")]
        indexes = [models.Index(fields=["agency", "id"], name="insp_inspector_order")]

    def __str__(self):
        return f"{self.officer.name}（{self.agency}）"

    def get_absolute_url(self):
        return reverse("inspections:draws_inspector_list")


class ConflictDeclaration(AuditedModel, ScopedModel):  # 回避关系申报
    """A relation an officer declared with a party (近亲属、曾任职、投资 …): the officer is never drawn
    to inspect that party while the declaration is in force."""

    RELATION_CHOICES = [
        ("kin", "近亲属关系"), ("employment", "曾在该单位任职"), ("investment", "投资或利益关系"), ("other", "其他利害关系"),
    ]

    officer = models.ForeignKey("people.Officer", verbose_name="执法人员", on_delete=models.PROTECT,
                                related_name="conflict_declarations")
    party = models.ForeignKey("parties.Party", verbose_name="检查对象", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField("关系", max_length=12, choices=RELATION_CHOICES)
    declared_on = models.DateField("申报日期")
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="留空表示长期有效。")
    note = models.CharField("说明", max_length=200, blank=True)

    scope_area = "draws"
    scope_paths = ("officer__home_agency__tree_path",)

    class Meta:
        verbose_name = "回避关系申报"
        verbose_name_plural = "回避关系申报"
        ordering = ["-declared_on", "id"]
        indexes = [
            models.Index(fields=["officer", "party"], name="insp_conflict_pair"),
            models.Index(fields=["-declared_on", "id"], name="insp_conflict_order"),
        ]

    def __str__(self):
        return f"{self.officer.name}—{self.party.name}（{self.get_relation_display()}）"

    def get_absolute_url(self):
        return reverse("inspections:draws_conflict_list")


class PlanScopedModel(ScopedModel):
    """Plans and draws: seen by the lead agency's subtree and by every participating agency's."""

    scope_area = "draws"
    scope_paths = ("agency__tree_path",)
    participants_lookup = "participants"

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        return paths_q(cls.scope_paths, path, model=cls) | Q(
            pk__in=cls._meta.get_field(cls.participants_lookup).remote_field.through._base_manager.filter(
                agency__tree_path__startswith=path).values(f"{cls._meta.model_name}_id")
        )


class InspectionPlan(AuditedModel, RatioRules, PlanScopedModel):  # 年度抽查计划
    """An annual random-inspection plan (年度抽查计划): its items and schedule (``PlanItem``), the
    ratios its draws start from, and — for a joint plan (联合抽查) — the participating agencies."""

    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("计划名称", max_length=200)
    agency = models.ForeignKey("orgs.Agency", verbose_name="牵头检查主体", on_delete=models.PROTECT,
                               related_name="inspection_plans")
    participants = models.ManyToManyField("orgs.Agency", verbose_name="联合检查主体", blank=True,
                                          related_name="joint_inspection_plans",
                                          help_text="跨部门联合抽查的参加单位（不含牵头单位）。")
    kind = models.CharField("检查类别", max_length=10, choices=INSPECTION_KIND_CHOICES[::2], default=ROUTINE)
    note = models.TextField("说明", blank=True)
    status = models.CharField("公布状态", max_length=10, choices=PUBLICATION_CHOICES, default=DRAFT, editable=False)
    published_on = models.DateField("公布日期", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度抽查计划"
        verbose_name_plural = "年度抽查计划"
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["-year", "-id"], name="insp_plan_order")]

    def __str__(self):
        return f"{self.year}年 {self.title}"

    def get_absolute_url(self):
        return reverse("inspections:draws_plan_detail", args=[self.pk])

    @property
    def is_joint(self) -> bool:
        return self.participants.exists()

    @classmethod
    def public_q(cls) -> Q:
        return Q(status=PUBLISHED)


class PlanItem(AuditedModel, ScopedModel):
    """One list entry in a plan, with its schedule (quarter; 0 = the whole year)."""

    QUARTER_CHOICES = [(0, "全年"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]

    plan = models.ForeignKey(InspectionPlan, verbose_name="年度抽查计划", on_delete=models.CASCADE,
                             related_name="plan_items")
    entry = models.ForeignKey(InspectionListEntry, verbose_name="抽查事项", on_delete=models.PROTECT,
                              related_name="plan_items")
    quarter = models.PositiveSmallIntegerField("计划实施时间", choices=QUARTER_CHOICES, default=0)
    note = models.CharField("说明", max_length=200, blank=True)

    scope_area = "draws"
    scope_paths = ("plan__agency__tree_path",)

    class Meta:
        verbose_name = "计划抽查事项"
        verbose_name_plural = "计划抽查事项"
        ordering = ["plan_id", "quarter", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "entry"], name="insp_plan_item_unique")]

    def __str__(self):
        return f"{self.entry}（{self.get_quarter_display()}）"

    def get_absolute_url(self):
        return self.plan.get_absolute_url()

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        return Q(plan__in=InspectionPlan.objects.filter(InspectionPlan.scope_q(user, path)).values("pk"))

    @classmethod
    def public_q(cls) -> Q:
        return Q(plan__status=PUBLISHED)


class Draw(AuditedModel, RatioRules, PlanScopedModel):  # 双随机抽取
    """One public random draw of targets and inspectors (双随机抽取) under a plan.

    Lifecycle (``services``): prepared → frozen (``freeze``: the ordered target and inspector lists
    and the exclusions are written as canonical JSON, hashed and published with the commitment of a
    server-generated secret) → witnesses' values and/or a public lottery result are entered →
    completed (``complete``: the secret is revealed, the seed computed, the algorithm run, the result
    published, pairings written). Every step is an event of the record stream ``draw:<id>``.
    """

    PREPARED = "prepared"
    FROZEN = "frozen"
    COMPLETED = "completed"
    STATUS_CHOICES = [(PREPARED, "准备中"), (FROZEN, "已冻结公布（待开奖）"), (COMPLETED, "已完成")]

    plan = models.ForeignKey(InspectionPlan, verbose_name="年度抽查计划", on_delete=models.PROTECT, related_name="draws")
    number = models.CharField("抽取编号", max_length=60, unique=True, help_text="例如 云市监抽〔2026〕1号")
    title = models.CharField("名称", max_length=200)
    agency = models.ForeignKey("orgs.Agency", verbose_name="组织单位", on_delete=models.PROTECT,
                               related_name="inspection_draws")
    participants = models.ManyToManyField("orgs.Agency", verbose_name="联合抽取单位", blank=True,
                                          related_name="joint_inspection_draws")
    entries = models.ManyToManyField(InspectionListEntry, verbose_name="抽查事项", related_name="draws")
    region = models.ForeignKey("orgs.Region", verbose_name="检查对象所在区域", on_delete=models.PROTECT,
                               related_name="+")
    draw_date = models.DateField("抽取日期", help_text="执法证、回避关系按此日判断。")
    inspectors_per_target = models.PositiveSmallIntegerField("每个对象检查人员数", default=2)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=PREPARED, editable=False)
    # Frozen inputs (published before the draw).
    inputs_file = models.ForeignKey("records.StoredFile", verbose_name="输入数据文件", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    inputs_sha256 = models.CharField("输入数据摘要（SHA-256）", max_length=64, blank=True, editable=False)
    commitment = models.CharField("密钥承诺值（SHA-256）", max_length=64, blank=True, editable=False)
    secret = EncryptedCharField("操作员密钥", max_length=64, blank=True, editable=False)
    # the private map of pseudonymous target ids to parties (never published)
    pseudonyms_file = models.ForeignKey("records.StoredFile", verbose_name="对象标识对照文件", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+", editable=False)
    target_count = models.PositiveIntegerField("检查对象总数", default=0, editable=False)
    inspector_count = models.PositiveIntegerField("检查人员总数", default=0, editable=False)
    frozen_at = models.DateTimeField("冻结公布时间", null=True, blank=True, editable=False)
    # A public lottery result fixed after the freeze (optional beside the witnesses).
    lottery_name = models.CharField("公开开奖名称", max_length=100, blank=True, help_text="例如：中国福利彩票3D")
    lottery_issue = models.CharField("开奖期号", max_length=40, blank=True)
    lottery_value = models.CharField("开奖号码", max_length=100, blank=True)
    lottery_date = models.DateField("开奖日期", null=True, blank=True)
    # Result (published after the draw).
    seed = models.CharField("随机种子", max_length=64, blank=True, editable=False)
    result_file = models.ForeignKey("records.StoredFile", verbose_name="结果文件", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    result_sha256 = models.CharField("结果摘要（SHA-256）", max_length=64, blank=True, editable=False)
    selected_count = models.PositiveIntegerField("抽中对象数", default=0, editable=False)
    incomplete_teams = models.PositiveIntegerField("检查人员不足的组数", default=0, editable=False)
    completed_at = models.DateTimeField("开奖时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "双随机抽取"
        verbose_name_plural = "双随机抽取"
        ordering = ["-draw_date", "-id"]
        indexes = [
            models.Index(fields=["-draw_date", "-id"], name="insp_draw_order"),
            models.Index(fields=["status", "-draw_date"], name="insp_draw_status"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("inspections:draws_draw_detail", args=[self.pk])

    @property
    def stream_key(self) -> str:
        return f"draw:{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.status in (self.FROZEN, self.COMPLETED)

    @classmethod
    def public_q(cls) -> Q:
        """A draw is published from the moment its inputs are frozen."""
        return Q(status__in=(cls.FROZEN, cls.COMPLETED))


class DrawWitnessQuerySet(AppendOnlyQuerySetMixin, ScopedQuerySet):
    """Scoped and append-only."""


class DrawWitness(AppendOnlyModel, ScopedModel):  # 见证人随机值
    """A value a witness (见证人: e.g. an enterprise representative, a supervisor, a notary) chose and
    entered after the commitment was published; it enters the seed in the order entered."""

    draw = models.ForeignKey(Draw, verbose_name="抽取", on_delete=models.PROTECT, related_name="witnesses")
    position = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("见证人", max_length=50)
    value = models.CharField("随机值", max_length=64)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = DrawWitnessQuerySet.as_manager()

    scope_area = "draws"
    scope_paths = ("draw__agency__tree_path",)

    class Meta:
        verbose_name = "见证人随机值"
        verbose_name_plural = "见证人随机值"
        ordering = ["draw_id", "position"]
        constraints = [models.UniqueConstraint(fields=["draw", "position"], name="insp_witness_position")]

    def __str__(self):
        return f"{self.name}：{self.value}"

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        return Q(draw__in=Draw.objects.filter(Draw.scope_q(user, path)).values("pk"))

    @classmethod
    def public_q(cls) -> Q:
        return Q(draw__status__in=(Draw.FROZEN, Draw.COMPLETED))


class DrawPairingQuerySet(AppendOnlyQuerySetMixin, ScopedQuerySet):
    """Scoped and append-only: a draw's result is never edited."""


class DrawPairing(AppendOnlyModel, ScopedModel):  # 抽取结果（检查对象—检查人员）
    """One drawn target with the inspectors drawn for one agency group and the items they check:
    the row an inspection task (检查任务) is created from."""

    draw = models.ForeignKey(Draw, verbose_name="抽取", on_delete=models.PROTECT, related_name="pairings")
    party = models.ForeignKey("parties.Party", verbose_name="检查对象", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("orgs.Agency", verbose_name="检查主体", on_delete=models.PROTECT, related_name="+")
    inspector_1 = models.ForeignKey("people.Officer", verbose_name="检查人员一", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    inspector_2 = models.ForeignKey("people.Officer", verbose_name="检查人员二", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    items = models.ManyToManyField("catalog.Item", verbose_name="检查事项", related_name="+")
    target_class = models.CharField("信用风险分类", max_length=1)
    reason = models.CharField("抽中依据", max_length=10, choices=[("ratio", "分类比例"), ("minimum", "最低比例补足")])
    complete = models.BooleanField("检查人员已配齐", default=True)

    objects = DrawPairingQuerySet.as_manager()

    scope_area = "draws"
    scope_paths = ("agency__tree_path", "draw__agency__tree_path")

    class Meta:
        verbose_name = "抽取结果"
        verbose_name_plural = "抽取结果"
        ordering = ["draw_id", "id"]
        indexes = [
            models.Index(fields=["draw", "id"], name="insp_pairing_order"),
            models.Index(fields=["party", "draw"], name="insp_pairing_party"),
        ]

    def __str__(self):
        return f"{self.party.name}（{self.agency}）"

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        return paths_q(("agency__tree_path",), path, model=cls) | Q(
            draw__in=Draw.objects.filter(Draw.scope_q(user, path)).values("pk"))
