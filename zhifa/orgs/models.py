"""The organisation tree (ORG-1): region (行政区划) › agency (执法主体) › unit (执法机构).

Each node keeps a materialised path used by ``zhifa.core.scoping``:
``Region.path`` = ``/610000/610100/610113/``, ``Agency.tree_path`` = the region's path (or
the parent agency's path) + ``A<id>/``, ``Unit.tree_path`` = the agency's path + ``U<id>/``.
Paths are maintained by ``save`` (and by ``services.rebuild_paths`` after moves).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel, ancestor_paths, region_part
from zhifa.core.validators import REGION_LEVELS, region_level_of_code, validate_region_code, validate_uscc


class Region(AuditedModel, ScopedModel):
    """A region of GB/T 2260 (province, city, county) or a township (乡镇街道, 9 digits)."""

    LEVEL_CHOICES = [("province", "省级"), ("city", "市级"), ("county", "县级"), ("township", "乡级")]

    code = models.CharField("行政区划代码", max_length=9, unique=True, validators=[validate_region_code])
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=LEVEL_CHOICES, editable=False)
    parent = models.ForeignKey(
        "self", verbose_name="上级行政区划", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, editable=False, db_index=True)

    scope_area = "orgs"

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [models.Index(fields=["path"], name="orgs_region_path_like", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def clean(self):
        if not self.code:
            return
        level = region_level_of_code(self.code)
        if self.parent_id is None and level != "province":
            raise ValidationError({"parent": "非省级行政区划必须指定上级行政区划。"})
        if self.parent_id is not None:
            parent = self.parent
            if REGION_LEVELS.index(parent.level) >= REGION_LEVELS.index(level):
                raise ValidationError({"parent": "上级行政区划的层级必须高于本级。"})
            if level == "township" and not self.code.startswith(parent.code):
                raise ValidationError({"code": "乡镇街道代码的前6位必须是上级县级行政区划代码。"})
            if level != "township" and self.code[:2] != parent.code[:2]:
                raise ValidationError({"code": "行政区划代码与上级不属于同一省份。"})

    def save(self, *args, **kwargs):
        self.level = region_level_of_code(self.code)
        self.path = (self.parent.path if self.parent_id else "/") + self.code + "/"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("orgs:region_detail", args=[self.pk])

    @property
    def owner_path(self):
        return self.path

    @classmethod
    def scope_q(cls, user, path):
        # A user sees their own region chain upwards (to place themselves) and everything below.
        region_path = region_part(path)
        return Q(path__startswith=region_path) | Q(path__in=ancestor_paths(region_path))

    @classmethod
    def public_q(cls) -> Q:
        """Every region is public (the portal filters by region)."""
        return Q()


class Agency(AuditedModel, ScopedModel):
    """An enforcement subject (执法主体): an organ, an authorised or an entrusted organisation."""

    LEGAL_STATUS_CHOICES = [
        ("organ", "行政机关"),
        ("authorised", "法律法规授权组织"),
        ("entrusted", "受委托组织"),
    ]
    KIND_CHOICES = [("comprehensive", "综合执法"), ("professional", "专业执法"), ("supervision", "执法监督")]

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    region = models.ForeignKey(Region, verbose_name="行政区划", on_delete=models.PROTECT, related_name="agencies")
    parent = models.ForeignKey(
        "self", verbose_name="上级执法主体", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    legal_status = models.CharField("主体性质", max_length=12, choices=LEGAL_STATUS_CHOICES, default="organ")
    kind = models.CharField("执法类别", max_length=14, choices=KIND_CHOICES, default="professional")
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_uscc], db_index=True
    )
    entrusted_by = models.ForeignKey(
        "self", verbose_name="委托机关", null=True, blank=True, on_delete=models.PROTECT, related_name="entrusted",
        help_text="受委托组织须填写委托它的行政机关。",
    )
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    legal_basis = models.TextField("设立及职权依据", blank=True)
    # Printed on decisions: where fines are paid (罚缴分离) and the remedies (复议机关、管辖法院).
    fine_bank = models.CharField("罚没款代收银行", max_length=100, blank=True)
    fine_account_name = models.CharField("罚没款收款户名", max_length=100, blank=True)
    fine_account = models.CharField("罚没款收款账号", max_length=60, blank=True)
    review_body = models.CharField("行政复议机关", max_length=100, blank=True, help_text="例如：云岭县人民政府")
    court = models.CharField("行政诉讼管辖法院", max_length=100, blank=True, help_text="例如：云岭县人民法院")
    # "较大数额罚款" that carries the right to a hearing (处罚法第六十三条) is set by each
    # ministry or province; empty means the platform default (cases.rules).
    hearing_fine_person = models.DecimalField(
        "听证标准：对公民罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True,
        help_text="罚款或没收达到此数额的，当事人有权要求听证；留空按平台默认（5000元）。",
    )
    hearing_fine_organisation = models.DecimalField(
        "听证标准：对法人或其他组织罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True,
        help_text="留空按平台默认（50000元）。",
    )
    is_active = models.BooleanField("有效", default=True)
    tree_path = models.CharField("路径", max_length=255, editable=False, db_index=True)

    scope_area = "orgs"
    scope_paths = ("tree_path",)

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="orgs_agency_unique_name_in_region")]
        indexes = [models.Index(fields=["tree_path"], name="orgs_agency_path_like", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.name

    def clean(self):
        if self.legal_status == "entrusted" and not self.entrusted_by_id:
            raise ValidationError({"entrusted_by": "受委托组织必须填写委托机关。"})
        if self.parent_id and self.pk and self.parent.tree_path.startswith(self.tree_path or "\0"):
            raise ValidationError({"parent": "上级执法主体不能是本主体或其下级。"})

    def compute_tree_path(self) -> str:
        base = self.parent.tree_path if self.parent_id else self.region.path
        return f"{base}A{self.pk}/"

    def save(self, *args, **kwargs):
        if self.pk is None:
            self._audit_two_step_insert = True
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        new_path = self.compute_tree_path()
        old_path = self.tree_path
        self.tree_path = new_path
        super().save(*args, **kwargs)
        if old_path and old_path != new_path:
            from .services import move_subtree

            move_subtree(old_path, new_path)

    def get_absolute_url(self):
        return reverse("orgs:agency_detail", args=[self.pk])

    @property
    def display_path(self) -> str:
        """Region and agency names from the top, for lists."""
        return f"{self.region.name} · {self.name}"

    @classmethod
    def public_q(cls) -> Q:
        """Active agencies are published on the portal (PUB-1)."""
        return Q(is_active=True)


class Unit(AuditedModel, ScopedModel):
    """An internal enforcement unit or team of an agency (内设执法机构, 中队, 派驻执法队)."""

    KIND_CHOICES = [("internal", "内设执法机构"), ("squad", "执法中队"), ("township_team", "乡镇（街道）执法队")]

    agency = models.ForeignKey(Agency, verbose_name="所属执法主体", on_delete=models.PROTECT, related_name="units")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=14, choices=KIND_CHOICES, default="internal")
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    duties = models.TextField("职责", blank=True)
    is_active = models.BooleanField("有效", default=True)
    tree_path = models.CharField("路径", max_length=255, editable=False, db_index=True)

    scope_area = "orgs"
    scope_paths = ("tree_path",)

    class Meta:
        verbose_name = "执法机构"
        verbose_name_plural = "执法机构"
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="orgs_unit_unique_name_in_agency")]
        indexes = [models.Index(fields=["tree_path"], name="orgs_unit_path_like", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.agency.short_name or self.agency.name} · {self.name}"

    def save(self, *args, **kwargs):
        if self.pk is None:
            self._audit_two_step_insert = True
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        self.tree_path = f"{self.agency.tree_path}U{self.pk}/"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("orgs:unit_detail", args=[self.pk])

    @classmethod
    def public_q(cls) -> Q:
        """Active units of active agencies are published (address and phone are an office's)."""
        return Q(is_active=True, agency__is_active=True)





class EnforcementField(AuditedModel, models.Model):
    """A field of enforcement (执法领域/执法门类), e.g. 市场监管, 生态环境, 城市管理.

    Certificates cover fields; items belong to one. Reference data shared by the province:
    every logged-in user may read it, system administrators maintain it.
    """

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)

    class Meta:
        verbose_name = "执法领域"
        verbose_name_plural = "执法领域"
        ordering = ["code"]

    def __str__(self):
        return self.name
