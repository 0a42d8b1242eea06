"""The enforcement item catalog (ORG-2) and discretion benchmarks (ORG-3).

- ``Item`` (行政执法事项) belongs to an owning agency; its legally meaningful content
  lives in ``ItemVersion`` rows (one per amendment, with validity dates), so a case can point
  to the version in force on the day of the act.
- ``Delegation`` (赋权) hands an item to a township office for a period.
- ``Benchmark`` (行政裁量权基准) with ordered ``BenchmarkTier`` rows per circumstance level.
- ``SpecialListEntry``: the four lists (不予处罚/减轻/从轻/不予实施行政强制措施) and 免罚轻罚.

Scope: an item and everything hanging off it is visible to users of the owning agency's
subtree and of any agency the item is delegated to; only the owner's subtree may change it.
The delegation part of the filter is one indexed subquery, so lists stay one query.
"""

import datetime
import decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from zhifa.core import numbers
from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel, ScopedQuerySet, ids_q, paths_q, user_scope_path

from . import choices
from .numerals import chinese_numeral


def _today():
    return timezone.localdate()


def valid_on_q(on: datetime.date, start: str = "valid_from", end: str = "valid_to") -> Q:
    """Rows whose [start, end] period (end inclusive, empty = open) contains ``on``."""
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": on}))


def _covers(start, end, on) -> bool:
    return start <= on and (end is None or end >= on)


class CatalogQuerySet(ScopedQuerySet):
    """``restrict`` for catalog rows: delegated agencies may view, only the owner may change."""

    def restrict(self, user, action: str = "view"):
        qs = super().restrict(user, action)
        if action != "view":
            path = user_scope_path(user)
            if path:
                qs = qs.filter(**{f"{self.model.scope_paths[0]}__startswith": path})
        return qs

    def valid_on(self, on: datetime.date):
        """Rows in force on ``on`` (models with ``valid_from``/``valid_to``)."""
        start, end = self.model.validity_fields
        return self.filter(valid_on_q(on, start, end))


CatalogManager = models.Manager.from_queryset(CatalogQuerySet)


class ItemQuerySet(CatalogQuerySet):
    """Items, with ``with_current_version`` for lists that show version content."""

    def with_current_version(self):
        """Attach each item's current version in one extra query (``item.current_version``)."""
        return self.prefetch_related(
            models.Prefetch(
                "versions", queryset=ItemVersion.objects.filter(valid_to__isnull=True), to_attr="current_versions"
            )
        )


ItemManager = models.Manager.from_queryset(ItemQuerySet)


class CatalogScopedModel(ScopedModel):
    """Abstract base of catalog rows, reached through their item.

    ``item_lookup`` is the lookup from the model to its ``Item`` ("" for the item itself);
    ``scope_paths[0]`` is the path of the owning agency.
    """

    scope_area = "catalog"
    item_lookup = ""
    validity_fields = ("valid_from", "valid_to")

    objects = CatalogManager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        delegated = Delegation.objects.filter(agency__tree_path__startswith=path).values("item_id")
        target = f"{cls.item_lookup}__in" if cls.item_lookup else "pk__in"
        return paths_q(cls.scope_paths, path, model=cls) | Q(**{target: delegated})


class Item(AuditedModel, CatalogScopedModel):  # 行政执法事项
    """An enforcement item of the catalog (行政执法事项目录), e.g. a penalty power of an agency.

    The code is unique within the owning agency (the same provincial catalog code is
    exercised by every county's bureau). ``name`` mirrors the latest version's name.
    """

    agency = models.ForeignKey(
        "orgs.Agency", verbose_name="实施主体", on_delete=models.PROTECT, related_name="catalog_items"
    )
    code = models.CharField("事项编码", max_length=40, help_text="例如 SCJG-CF-0001，在同一实施主体内唯一。")
    name = models.CharField("事项名称", max_length=200, editable=False)
    kind = models.CharField("事项类型", max_length=14, choices=choices.ITEM_KIND_CHOICES)
    field = models.ForeignKey(
        "orgs.EnforcementField", verbose_name="执法领域", on_delete=models.PROTECT, related_name="items"
    )
    status = models.CharField("状态", max_length=10, choices=choices.ITEM_STATUS_CHOICES, default=choices.IN_FORCE)
    status_since = models.DateField(
        "状态变更日期", null=True, blank=True, help_text="暂停或取消自该日起生效；留空表示自始。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ItemManager()

    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "执法事项"
        verbose_name_plural = "执法事项"
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="catalog_item_unique_code_in_agency",
                violation_error_message="该实施主体下已有相同编码的执法事项。",
            )
        ]
        indexes = [
            models.Index(fields=["code", "id"], name="catalog_item_code"),
            # ``?q=`` matches codes from their start (``LIKE 'X%'``) whatever the database's collation
            models.Index(fields=["code"], name="catalog_item_code_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["field", "kind"], name="catalog_item_field_kind"),
            models.Index(fields=["status"], name="catalog_item_status"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("catalog:item_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        """Items of the agencies under ``path`` (their ids read first, ``core.scoping.ids_q``: a
        page is read in the order of the ``(agency, code)`` key or of ``catalog_item_code``) and
        items delegated to an agency under it (issue #14)."""
        delegated = Delegation.objects.filter(agency__tree_path__startswith=path).values("item_id")
        return ids_q(cls, "agency", path) | Q(pk__in=delegated)

    # -- versions --------------------------------------------------------------
    def _prefetched(self, name):
        return getattr(self, "_prefetched_objects_cache", {}).get(name)

    @property
    def current_version(self):
        """The open-ended (latest) version, i.e. the one without ``valid_to``."""
        cached = getattr(self, "current_versions", None)  # set by ``with_current_version``
        if cached is None:
            cached = self._prefetched("versions")
        if cached is not None:
            return next((v for v in cached if v.valid_to is None), None)
        return self.versions.filter(valid_to__isnull=True).first()

    def version_on(self, on: datetime.date):
        """The version in force on ``on`` (None before the first version took effect)."""
        cached = self._prefetched("versions")
        if cached is not None:
            return next((v for v in cached if _covers(v.valid_from, v.valid_to, on)), None)
        return self.versions.filter(valid_on_q(on)).first()

    # -- competence ------------------------------------------------------------
    def is_in_force(self, on: datetime.date | None = None) -> bool:
        """Whether the item may be exercised on ``on``: not suspended/cancelled then, and a
        version is in force."""
        on = on or _today()
        if self.status != choices.IN_FORCE and (self.status_since is None or on >= self.status_since):
            return False
        return self.version_on(on) is not None

    def is_competent(self, agency, on: datetime.date | None = None) -> bool:
        """Whether ``agency`` (an Agency or its id) may exercise this item on ``on``: the item is
        in force and the agency owns it or holds a delegation (赋权) valid that day."""
        on = on or _today()
        agency_id = getattr(agency, "pk", agency)
        if agency_id is None or not self.is_in_force(on):
            return False
        if agency_id == self.agency_id:
            return True
        return self.delegations.filter(agency_id=agency_id).valid_on(on).exists()

    def benchmark_on(self, on: datetime.date | None = None):
        """The discretion benchmark in force on ``on`` (None if the item has none)."""
        return self.benchmarks.valid_on(on or _today()).order_by("-version").first()

    @classmethod
    def public_q(cls) -> Q:
        """Items in force of active agencies are published with their legal basis (PUB-1)."""
        return Q(status=choices.IN_FORCE, agency__is_active=True)


class ItemVersion(AuditedModel, CatalogScopedModel):
    """One version of an item's legal content (事项版本), in force from ``valid_from`` to
    ``valid_to`` inclusive (empty = still in force). Versions are never overwritten: a change
    of law closes the current version and opens a new one (``services.revise_item``)."""

    CONTENT_FIELDS = (
        "name", "law_name", "article", "paragraph", "item_no", "basis_text", "penalty_basis", "violated_provision",
    )

    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="最后一个有效日；留空表示现行有效。")
    name = models.CharField("事项名称", max_length=200)
    law_name = models.CharField("法律法规名称", max_length=200, help_text="例如《中华人民共和国食品安全法》")
    article = models.PositiveIntegerField("条", null=True, blank=True)
    paragraph = models.PositiveIntegerField("款", null=True, blank=True)
    item_no = models.PositiveIntegerField("项", null=True, blank=True)
    basis_text = models.TextField("依据条文", blank=True)
    penalty_basis = models.TextField("处罚依据", blank=True, help_text="处罚类事项必填：设定处罚的条款及内容。")
    violated_provision = models.TextField("违法依据", blank=True, help_text="处罚类事项必填：被违反的条款及内容。")
    change_reason = models.CharField("修订原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_paths = ("item__agency__tree_path",)
    item_lookup = "item"

    class Meta:
        verbose_name = "事项版本"
        verbose_name_plural = "事项版本"
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_version_unique_number"),
            models.UniqueConstraint(
                fields=["item"], condition=Q(valid_to__isnull=True), name="catalog_version_one_current"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="catalog_version_dates_ordered",
                violation_error_message="失效日期不能早于生效日期。",
            ),
        ]
        indexes = [models.Index(fields=["item", "valid_from"], name="catalog_version_item_from")]

    def __str__(self):
        return f"{self.name}（第{self.number}版）"

    def get_absolute_url(self):
        return reverse("catalog:item_detail", args=[self.item_id])

    def clean(self):
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "失效日期不能早于生效日期。"})
        if self.paragraph and not self.article:
            raise ValidationError({"article": "填写了款，必须同时填写条。"})
        if self.item_no and not self.article:
            raise ValidationError({"article": "填写了项，必须同时填写条。"})

    @property
    def citation(self) -> str:
        """The structured legal basis as cited: 《…》第一百二十二条第一款第（三）项."""
        text = self.law_name or ""
        if self.article:
            text += f"第{chinese_numeral(self.article)}条"
        if self.paragraph:
            text += f"第{chinese_numeral(self.paragraph)}款"
        if self.item_no:
            text += f"第（{chinese_numeral(self.item_no)}）项"
        return text

    @property
    def period(self) -> str:
        """Validity for display."""
        return f"{self.valid_from:%Y-%m-%d} 至 {self.valid_to:%Y-%m-%d}" if self.valid_to else (
            f"{self.valid_from:%Y-%m-%d} 起现行有效"
        )

    @classmethod
    def public_q(cls) -> Q:
        """Versions of published items that are in force or announced (not yet ended)."""
        return Q(item__status=choices.IN_FORCE, item__agency__is_active=True) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=_today())
        )


class Delegation(AuditedModel, CatalogScopedModel):  # 赋权
    """A delegation (赋权) of an item to a township (乡镇街道) office for a period."""

    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.PROTECT, related_name="delegations")
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name="承接乡镇（街道）", on_delete=models.PROTECT, related_name="delegated_items"
    )
    start_date = models.DateField("赋权起始日期")
    end_date = models.DateField("赋权终止日期", null=True, blank=True, help_text="留空表示长期有效。")
    document_number = models.CharField("赋权文号", max_length=100, help_text="例如 云政发〔2023〕12号")
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_paths = ("item__agency__tree_path", "agency__tree_path")
    item_lookup = "item"
    validity_fields = ("start_date", "end_date")

    class Meta:
        verbose_name = "赋权"
        verbose_name_plural = "赋权"
        ordering = ["item", "-start_date"]
        indexes = [models.Index(fields=["agency", "item"], name="catalog_delegation_agency_item")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="catalog_delegation_dates_ordered",
                violation_error_message="赋权终止日期不能早于起始日期。",
            ),
        ]

    def __str__(self):
        return f"{self.item.code} → {self.agency.name}"

    def get_absolute_url(self):
        return reverse("catalog:item_detail", args=[self.item_id])

    @classmethod
    def scope_q(cls, user, path):
        # The owner's subtree and the delegated office see the delegation.
        return paths_q(cls.scope_paths, path)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "赋权终止日期不能早于起始日期。"})
        if not self.agency_id or not self.item_id:
            return
        agency, item = self.agency, self.item
        if agency.region.level != "township":
            raise ValidationError({"agency": "只能赋权给乡镇（街道）的执法主体。"})
        if agency.pk == item.agency_id:
            raise ValidationError({"agency": "不能赋权给事项的实施主体本身。"})
        if not agency.region.path.startswith(item.agency.region.path):
            raise ValidationError({"agency": "只能赋权给实施主体所在行政区域内的乡镇（街道）。"})
        if self.start_date:
            overlapping = Delegation.objects.filter(item_id=self.item_id, agency_id=self.agency_id).exclude(pk=self.pk)
            if self.end_date:
                overlapping = overlapping.filter(start_date__lte=self.end_date)
            overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
            if overlapping.exists():
                raise ValidationError({"start_date": "该乡镇（街道）在此期间已有该事项的赋权。"})

    def is_valid_on(self, on: datetime.date) -> bool:
        """Whether the delegation is in effect on ``on``."""
        return _covers(self.start_date, self.end_date, on)

    @classmethod
    def public_q(cls) -> Q:
        """Delegations (赋权) of published items to active offices, not yet ended."""
        return Q(item__status=choices.IN_FORCE, item__agency__is_active=True, agency__is_active=True) & (
            Q(end_date__isnull=True) | Q(end_date__gte=_today())
        )


class Benchmark(AuditedModel, CatalogScopedModel):  # 行政裁量权基准
    """A discretion benchmark (行政裁量权基准) of one item, versioned, with review date."""

    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.PROTECT, related_name="benchmarks")
    version = models.PositiveIntegerField("基准版本")
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="最后一个有效日；留空表示现行有效。")
    review_due = models.DateField("复审日期", help_text="应当对基准进行评估复审的日期。")
    document = models.CharField("发布文件", max_length=200, help_text="例如 云市监规〔2023〕3号")
    statutory_min = models.DecimalField("法定罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    statutory_max = models.DecimalField("法定罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_paths = ("item__agency__tree_path",)
    item_lookup = "item"

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"
        ordering = ["item__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="catalog_benchmark_unique_version"),
            models.UniqueConstraint(
                fields=["item"], condition=Q(valid_to__isnull=True), name="catalog_benchmark_one_current"
            ),
        ]
        indexes = [models.Index(fields=["review_due"], name="catalog_benchmark_review")]

    def __str__(self):
        return f"{self.item.name}裁量基准（第{self.version}版）"

    def get_absolute_url(self):
        return reverse("catalog:benchmark_detail", args=[self.pk])

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "失效日期不能早于生效日期。"})
        if self.review_due and self.valid_from and self.review_due < self.valid_from:
            raise ValidationError({"review_due": "复审日期不能早于生效日期。"})
        if self.statutory_min is not None and self.statutory_max is not None and self.statutory_min > self.statutory_max:
            raise ValidationError({"statutory_max": "法定罚款上限不能低于下限。"})

    def ordered_tiers(self) -> list:
        """Tiers from the lightest circumstance to the gravest (uses prefetched tiers)."""
        return sorted(self.tiers.all(), key=lambda t: (t.position, choices.LEVEL_ORDER[t.level]))

    def tier_for(self, level: str):
        """The tier for a circumstance level (情节), or None."""
        return next((t for t in self.tiers.all() if t.level == level), None)

    def check_penalty(self, level: str, penalty_kinds, amount=None) -> tuple[bool, list[str]]:
        """Whether a proposed penalty fits the benchmark: ``(ok, reasons)`` with reasons in
        Chinese for every departure (CASE-3 flags them or asks for a written reason)."""
        tier = self.tier_for(level)
        if tier is None:
            label = dict(choices.LEVEL_CHOICES).get(level, level)
            return False, [f"裁量基准中没有“{label}”档次。"]
        return tier.check_penalty(penalty_kinds, amount)

    @classmethod
    def public_q(cls) -> Q:
        """Benchmarks of published items that are in force or announced (not yet ended)."""
        return Q(item__status=choices.IN_FORCE, item__agency__is_active=True) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=_today())
        )


class BenchmarkTier(AuditedModel, CatalogScopedModel):
    """One tier of a benchmark: circumstances → outcome, penalty kinds and fine range."""

    benchmark = models.ForeignKey(Benchmark, verbose_name="裁量基准", on_delete=models.CASCADE, related_name="tiers")
    position = models.PositiveSmallIntegerField("序号", default=0)
    level = models.CharField("情节档次", max_length=10, choices=choices.LEVEL_CHOICES)
    description = models.TextField("违法情形", help_text="适用本档次的具体情形。")
    outcome = models.CharField("裁量结果", max_length=12, choices=choices.OUTCOME_CHOICES)
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)

    scope_paths = ("benchmark__item__agency__tree_path",)
    item_lookup = "benchmark__item"

    class Meta:
        verbose_name = "裁量档次"
        verbose_name_plural = "裁量档次"
        ordering = ["benchmark", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "level"], name="catalog_tier_unique_level"),
            models.CheckConstraint(
                condition=Q(fine_min__isnull=True) | Q(fine_max__isnull=True) | Q(fine_min__lte=F("fine_max")),
                name="catalog_tier_fine_ordered",
                violation_error_message="罚款下限不能高于上限。",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} · {self.get_outcome_display()}"

    def get_absolute_url(self):
        return reverse("catalog:benchmark_detail", args=[self.benchmark_id])

    def clean(self):
        errors = {}
        unknown = [k for k in self.penalty_kinds or [] if k not in choices.PENALTY_KINDS]
        if unknown:
            errors["penalty_kinds"] = "不是行政处罚法规定的处罚种类：" + "、".join(unknown) + "。"
        if self.outcome in choices.OUTCOMES_WITHOUT_PENALTY and (self.penalty_kinds or self.fine_max):
            errors["penalty_kinds"] = "不予处罚或免予处罚的档次不能设定处罚种类或罚款。"
        if self.fine_min is not None and self.fine_max is not None and self.fine_min > self.fine_max:
            errors["fine_max"] = "罚款上限不能低于下限。"
        if (self.fine_min is not None or self.fine_max is not None) and choices.FINE not in (self.penalty_kinds or []):
            errors.setdefault("penalty_kinds", "设定了罚款幅度，处罚种类必须包含“罚款”。")
        try:
            benchmark = self.benchmark  # may be an unsaved benchmark assigned by a form or import
        except Benchmark.DoesNotExist:
            benchmark = None
        if benchmark is not None and benchmark.statutory_max is not None and self.fine_max is not None:
            if self.fine_max > benchmark.statutory_max:
                errors.setdefault("fine_max", f"罚款上限不能超过法定上限{benchmark.statutory_max}元。")
        if (
            benchmark is not None and benchmark.statutory_min is not None and self.fine_min is not None
            and self.fine_min < benchmark.statutory_min and self.outcome != choices.REDUCED
        ):
            errors.setdefault("fine_min", f"低于法定下限{benchmark.statutory_min}元的罚款只能用于减轻处罚档次。")
        if errors:
            raise ValidationError(errors)

    def check_penalty(self, penalty_kinds, amount=None) -> tuple[bool, list[str]]:
        """Whether the proposed penalty kinds and fine amount fit this tier."""
        reasons = []
        kinds = list(penalty_kinds or [])
        outcome = self.get_outcome_display()
        if self.outcome in choices.OUTCOMES_WITHOUT_PENALTY:
            if kinds or amount:
                reasons.append(f"本档次裁量结果为“{outcome}”，不应给予行政处罚。")
            return not reasons, reasons
        outside = [k for k in kinds if k not in (self.penalty_kinds or [])]
        if outside:
            reasons.append("处罚种类超出本档次范围：" + "、".join(outside) + "。")
        if not kinds:
            reasons.append("未选择处罚种类。")
        if amount is not None and not isinstance(amount, decimal.Decimal):
            amount = decimal.Decimal(str(amount))
        if choices.FINE in kinds:
            if amount is None:
                reasons.append("选择了罚款，但未填写罚款金额。")
            else:
                if self.fine_min is not None and amount < self.fine_min:
                    reasons.append(f"罚款金额{amount}元低于本档次下限{self.fine_min}元。")
                if self.fine_max is not None and amount > self.fine_max:
                    reasons.append(f"罚款金额{amount}元高于本档次上限{self.fine_max}元。")
        elif amount:
            reasons.append("填写了罚款金额，但处罚种类中没有“罚款”。")
        return not reasons, reasons

    @property
    def kinds_display(self) -> str:
        return "、".join(self.penalty_kinds or []) or "—"

    @property
    def fine_display(self) -> str:
        """The fine range for display (元)."""
        if self.fine_min is None and self.fine_max is None:
            return "—"
        low = numbers.format_amount(self.fine_min if self.fine_min is not None else 0)
        high = numbers.format_amount(self.fine_max) if self.fine_max is not None else "不限"
        return f"{low}–{high} 元"

    @classmethod
    def public_q(cls) -> Q:
        """Tiers of published benchmarks."""
        return Q(benchmark__item__status=choices.IN_FORCE, benchmark__item__agency__is_active=True) & (
            Q(benchmark__valid_to__isnull=True) | Q(benchmark__valid_to__gte=_today())
        )


class SpecialListEntry(AuditedModel, CatalogScopedModel):
    """An entry of the four lists (四张清单) or the 免罚轻罚 list: for an item, the
    circumstances and conditions under which the penalty is waived, reduced or lightened,
    or no coercive measure is taken."""

    list_kind = models.CharField("清单类型", max_length=16, choices=choices.LIST_KIND_CHOICES)
    item = models.ForeignKey(Item, verbose_name="执法事项", on_delete=models.PROTECT, related_name="special_entries")
    circumstances = models.TextField("违法情形")
    conditions = models.JSONField("适用条件", default=list, help_text="全部满足时适用，例如 首次违法、危害后果轻微、及时改正。")
    legal_basis = models.TextField("法律依据", help_text="例如《中华人民共和国行政处罚法》第三十三条第一款")
    document = models.CharField("发布文件", max_length=200, blank=True)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    review_due = models.DateField("复审日期", null=True, blank=True)
    reviewed_on = models.DateField("最近复审日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_paths = ("item__agency__tree_path",)
    item_lookup = "item"

    class Meta:
        verbose_name = "清单条目"
        verbose_name_plural = "四张清单与免罚轻罚清单"
        ordering = ["item__code", "list_kind", "id"]
        indexes = [models.Index(fields=["item", "list_kind"], name="catalog_special_item_kind")]

    def __str__(self):
        return f"{self.get_list_kind_display()}：{self.item.name}"

    def get_absolute_url(self):
        return reverse("catalog:special_detail", args=[self.pk])

    def clean(self):
        errors = {}
        conditions = self.conditions or []
        if not conditions:
            errors["conditions"] = "请至少选择一项适用条件。"
        unknown = [c for c in conditions if c not in choices.CONDITIONS]
        if unknown:
            errors["conditions"] = "不是可选的适用条件：" + "、".join(unknown) + "。"
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = "失效日期不能早于生效日期。"
        if self.list_kind == choices.NO_COERCION_LIST and self.item_id and self.item.kind != "coercion":
            errors["list_kind"] = "不予实施行政强制措施清单只能用于行政强制类事项。"
        if errors:
            raise ValidationError(errors)

    def matches(self, facts) -> bool:
        """Whether every condition of the entry is among ``facts``."""
        return bool(self.conditions) and set(self.conditions) <= set(facts)

    def is_valid_on(self, on: datetime.date) -> bool:
        return _covers(self.valid_from, self.valid_to, on)

    @property
    def conditions_display(self) -> str:
        return "、".join(self.conditions or [])

    @classmethod
    def public_q(cls) -> Q:
        """Entries of the four lists for published items, in force or announced."""
        return Q(item__status=choices.IN_FORCE, item__agency__is_active=True) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=_today())
        )
