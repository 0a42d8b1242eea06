"""Parties to enforcement (当事人, ORG-8): natural persons, legal persons, other organisations
and individual businesses, with their credit/risk classification history.

Scoping (decided by the product owner): parties are shared within a region. A user *sees* a
party whose region lies within the user's region subtree, or is an ancestor of the user's
region (parties registered at city or province level). A user may *change* a party only
when the party's region lies within the user's region subtree. Both rules run on the
denormalised, indexed ``region_path`` column, kept in step with ``region.path`` by ``save``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.crypto import BlindIndexField, EncryptedCharField, with_blind_indexes
from zhifa.core.models import AppendOnlyModel, AppendOnlyQuerySetMixin
from zhifa.core.scoping import (
    OwnerWalkMixin,
    ScopedModel,
    ScopedQuerySet,
    ancestor_paths,
    capped_ids,
    region_part,
    user_scope_path,
)
from zhifa.core.validators import (
    id_number_birth_date,
    id_number_gender,
    normalize_identifier,
    validate_id_number,
    validate_uscc,
)

from .masking import mask_id_number, mask_phone


def validate_other_document(value: str) -> str:
    """Light format check of a passport or permit number (no checksum is published)."""
    number = normalize_identifier(value)
    if not (5 <= len(number) <= 20) or not number.isalnum() or not number.isascii():
        raise ValidationError("证件号码应为5至20位字母或数字。", code="document_format")
    return number


class PartyQuerySet(OwnerWalkMixin, ScopedQuerySet):
    """``restrict`` for parties: viewing includes ancestor regions, changing does not."""

    def restrict(self, user, action: str = "view"):
        """Parties ``user`` may perform ``action`` on ("view", "change", "reveal").

        A scope of a few regions (a county: its own, its townships', the city's and the
        province's) is read region by region in the list's order (``walk_owners``, issue #14)."""
        path = user_scope_path(user)
        if not path:  # None: nothing; "": the whole tree (capability checked by the base)
            return super().restrict(user, action)
        if not user.is_superuser and not user.has_capability(self.model.scope_area, action):
            return self.none()
        ids = Party.scope_region_ids(path)
        if ids is None:
            qs = self.filter(region__in=visible_regions(path))
        else:
            qs = self.filter(region_id__in=ids).walk_owners("region_id", ids, Party._meta.ordering)
        if action == "change":
            qs = qs.filter(region_path__startswith=region_part(path))
        return qs


PartyManager = models.Manager.from_queryset(PartyQuerySet)


def visible_regions(path: str):
    """Regions whose parties a user at ``path`` sees: the user's region subtree and the
    regions above it — as a subquery on the small region table, so the party table is
    reached through its ``region_id`` index."""
    from zhifa.orgs.models import Region

    region_path = region_part(path)
    return Region._base_manager.filter(
        Q(path__startswith=region_path) | Q(path__in=ancestor_paths(region_path))
    ).values("pk")


class Party(AuditedModel, ScopedModel):
    """A party to enforcement (当事人): a person, an organisation or an individual business."""

    NATURAL = "natural"
    LEGAL = "legal"
    OTHER_ORG = "other_org"
    INDIVIDUAL_BUSINESS = "individual_business"
    KIND_CHOICES = [
        (NATURAL, "自然人"),
        (LEGAL, "法人"),
        (OTHER_ORG, "非法人组织"),
        (INDIVIDUAL_BUSINESS, "个体工商户"),
    ]
    ORGANISATION_KINDS = (LEGAL, OTHER_ORG, INDIVIDUAL_BUSINESS)
    # Kinds whose unified social credit code is required (个体工商户 may have none).
    CREDIT_CODE_REQUIRED_KINDS = (LEGAL, OTHER_ORG)
    # Kinds whose phone number is personal data and therefore masked.
    PERSONAL_PHONE_KINDS = (NATURAL, INDIVIDUAL_BUSINESS)

    RESIDENT_ID = "resident_id"
    ID_TYPE_CHOICES = [
        (RESIDENT_ID, "居民身份证"),
        ("passport", "护照"),
        ("hk_macao_permit", "港澳居民来往内地通行证"),
        ("taiwan_permit", "台湾居民来往大陆通行证"),
    ]
    GENDER_CHOICES = [("M", "男"), ("F", "女")]
    CREDIT_CLASS_CHOICES = [("A", "A类（低风险）"), ("B", "B类（一般风险）"), ("C", "C类（较高风险）"), ("D", "D类（高风险）")]

    kind = models.CharField("当事人类型", max_length=20, choices=KIND_CHOICES, default=LEGAL)
    name = models.CharField("姓名/名称", max_length=200, db_index=True)
    # Natural persons.
    id_type = models.CharField("证件类型", max_length=20, choices=ID_TYPE_CHOICES, blank=True, default=RESIDENT_ID)
    # Encrypted at rest (SM4, zhifa.core.crypto); exact lookups go through the blind index
    # (盲索引) ``id_number_index`` — see ``services.id_number_q``.
    id_number = EncryptedCharField("证件号码", max_length=30, blank=True, audit_mask=mask_id_number)
    id_number_index = BlindIndexField("证件号码索引", source="id_number", normalizer="identifier", db_index=True)
    gender = models.CharField("性别", max_length=1, choices=GENDER_CHOICES, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    # Organisations and individual businesses.
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    legal_representative = models.CharField("法定代表人/负责人", max_length=50, blank=True)
    business_scope = models.TextField("经营范围", blank=True)
    # Both.
    # Encrypted for every kind: an organisation's contact is often a person's mobile.
    phone = EncryptedCharField("联系电话", max_length=40, blank=True, audit_mask=mask_phone)
    phone_index = BlindIndexField("联系电话索引", source="phone", normalizer="phone", db_index=True)
    address = models.CharField("住所/地址", max_length=200, blank=True)
    # Credit/risk classification (信用风险分类): the newest ``CreditRating``, for filtering.
    credit_class = models.CharField("信用风险分类", max_length=1, choices=CREDIT_CLASS_CHOICES, blank=True, db_index=True)
    credit_class_date = models.DateField("分类日期", null=True, blank=True)
    credit_class_source = models.CharField("分类来源", max_length=100, blank=True)
    region = models.ForeignKey(
        "orgs.Region", verbose_name="登记地行政区划", on_delete=models.PROTECT, related_name="parties"
    )
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name="录入单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="recorded_parties",
    )
    region_path = models.CharField("行政区划路径", max_length=255, editable=False, db_index=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PartyManager()

    scope_area = "parties"
    scope_paths = ("region_path",)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="parties_party_unique_credit_code",
                violation_error_message="该统一社会信用代码已登记。",
            ),
            models.UniqueConstraint(
                fields=["id_type", "id_number_index"], condition=~Q(id_number_index=""),
                name="parties_party_unique_id_number",
                violation_error_message="该证件号码已登记。",
            ),
        ]
        indexes = [
            models.Index(fields=["region_path"], name="parties_party_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "credit_class"], name="parties_party_kind_class"),
            # the list's order: a page of 50 is read from this index instead of sorting the scope
            models.Index(fields=["name", "id"], name="parties_party_name_order"),
            # one region's parties in the list's order
            models.Index(fields=["region", "name", "id"], name="parties_party_region_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.prepare()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_blind_indexes(type(self), kwargs["update_fields"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("parties:party_detail", args=[self.pk])

    @classmethod
    def scope_region_ids(cls, path) -> list[int] | None:
        """Ids of the regions whose parties a user at ``path`` sees; None beyond
        ``SCOPE_ID_LIST_MAX`` (then the scope stays a subquery)."""
        return capped_ids(visible_regions(path))

    @classmethod
    def scope_q(cls, user, path):
        """Within the user's region subtree, or at a region above it (city, province) — the
        regions' ids read first, so the planner sees constants and a page is read in the order
        of ``parties_party_region_name`` (one region, or a few walked one by one:
        ``PartyQuerySet.restrict``) or ``parties_party_name_order`` (issue #14)."""
        ids = cls.scope_region_ids(path)
        return Q(region__in=visible_regions(path)) if ids is None else Q(region_id__in=ids)

    # -- rules ------------------------------------------------------------------------
    @property
    def is_natural(self) -> bool:
        return self.kind == self.NATURAL

    @property
    def is_organisation(self) -> bool:
        return self.kind in self.ORGANISATION_KINDS

    def prepare(self) -> None:
        """Normalise identifiers, clear fields that do not apply to the kind, derive gender
        and birth date from a resident ID number, and copy the region path. Called by
        ``save`` and by bulk imports (which bypass ``save``)."""
        self.id_number = normalize_identifier(self.id_number)
        self.credit_code = normalize_identifier(self.credit_code)
        if self.is_natural:
            self.id_type = self.id_type or self.RESIDENT_ID
            self.credit_code = ""
            self.legal_representative = ""
            self.business_scope = ""
            if self.id_type == self.RESIDENT_ID and len(self.id_number) == 18 and self.id_number[:17].isdigit():
                self.gender = id_number_gender(self.id_number)
                try:
                    self.birth_date = id_number_birth_date(self.id_number)
                except ValueError:
                    self.birth_date = None
        else:
            self.id_type = ""
            self.id_number = ""
            self.gender = ""
            self.birth_date = None
        if self.region_id:
            self.region_path = self.region.path

    def clean(self):
        """Kind-specific required fields and identifier checks (Chinese messages)."""
        errors = {}
        if self.is_natural:
            if not self.id_type:
                errors["id_type"] = "自然人必须选择证件类型。"
            if not (self.id_number or "").strip():
                errors["id_number"] = "自然人必须填写证件号码。"
            else:
                validator = validate_id_number if self.id_type == self.RESIDENT_ID else validate_other_document
                try:
                    self.id_number = validator(self.id_number)
                except ValidationError as exc:
                    errors["id_number"] = exc.messages
        else:
            code = (self.credit_code or "").strip()
            if not code and self.kind in self.CREDIT_CODE_REQUIRED_KINDS:
                errors["credit_code"] = f"{self.get_kind_display()}必须填写统一社会信用代码。"
            elif code:
                try:
                    self.credit_code = validate_uscc(code)
                except ValidationError as exc:
                    errors["credit_code"] = exc.messages
        if errors:
            raise ValidationError(errors)

    # -- display ------------------------------------------------------------------------
    @property
    def masked_id_number(self) -> str:
        """The identity number as everyone sees it (masked)."""
        return mask_id_number(self.id_number)

    @property
    def display_phone(self) -> str:
        """The phone number as everyone sees it: masked for persons and individual businesses."""
        return mask_phone(self.phone) if self.kind in self.PERSONAL_PHONE_KINDS else self.phone

    @property
    def display_identifier(self) -> str:
        """One column for lists: masked ID number of a person, credit code of an organisation."""
        return self.masked_id_number if self.is_natural else self.credit_code

    @property
    def has_masked_fields(self) -> bool:
        """Whether anything of this party is hidden from ordinary viewers."""
        return bool(self.id_number) or (self.kind in self.PERSONAL_PHONE_KINDS and bool(self.phone))

    def revealed_values(self) -> dict:
        """The full values of the masked fields (only for ``services.reveal``)."""
        values = {}
        if self.id_number:
            values["id_number"] = self.id_number
        if self.kind in self.PERSONAL_PHONE_KINDS and self.phone:
            values["phone"] = self.phone
        return values


class CreditRatingQuerySet(AppendOnlyQuerySetMixin, ScopedQuerySet):
    """Scoped and append-only: bulk updates and deletes are refused."""


CreditRatingManager = models.Manager.from_queryset(CreditRatingQuerySet)


class CreditRating(AuditedModel, AppendOnlyModel, ScopedModel):
    """One credit/risk classification of a party (信用风险分类记录); history, never changed.

    The newest rating (by date, then by entry) is copied onto the party by
    ``services.add_credit_rating``.
    """

    party = models.ForeignKey(Party, verbose_name="当事人", on_delete=models.PROTECT, related_name="credit_ratings")
    credit_class = models.CharField("信用风险分类", max_length=1, choices=Party.CREDIT_CLASS_CHOICES)
    rated_on = models.DateField("分类日期")
    source = models.CharField("分类来源", max_length=100, help_text="例如：市场监管部门企业信用风险分类结果。")
    note = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = CreditRatingManager()

    append_only_hint = "请新增一条分类记录。"

    scope_area = "parties"
    scope_paths = ("party__region_path",)

    class Meta:
        verbose_name = "信用风险分类记录"
        verbose_name_plural = "信用风险分类记录"
        ordering = ["-rated_on", "-id"]

    def __str__(self):
        return f"{self.party} {self.get_credit_class_display()}（{self.rated_on}）"

    def get_absolute_url(self):
        return reverse("parties:party_detail", args=[self.party_id])

    @classmethod
    def scope_q(cls, user, path):
        """Ratings of the parties the user may see."""
        return Q(party__region__in=visible_regions(path))
