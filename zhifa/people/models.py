"""Officers (执法人员), enforcement certificates (行政执法证) and training records (ORG-4, ORG-5).

Rules that decide whether a certificate is usable on a date live on ``Certificate`` (the
Python method ``problems_on`` and the matching queryset filter ``usable_on``); every status
change goes through ``zhifa.people.services``, which writes a ``CertificateEvent``.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from zhifa.core.audit import AuditedModel
from zhifa.core.crypto import BlindIndexField, EncryptedCharField, index_lookup, with_blind_indexes
from zhifa.core.models import AppendOnlyModel, AppendOnlyQuerySetMixin
from zhifa.core.scoping import ScopedModel, ScopedQuerySet, ids_q
from zhifa.core.validators import (
    id_number_birth_date,
    id_number_gender,
    normalize_identifier,
    validate_id_number,
)

# Annual review (年度审验): a certificate issued before 1 January of year Y needs a passed
# review dated in year Y once the deadline (month, day) of year Y has passed; until then the
# previous year's review carries it. Certificates issued during year Y are exempt in Y.
ANNUAL_REVIEW_DEADLINE = (3, 31)


# What a list row reads (the HTML list and the API's OfficerListSerializer): not the encrypted
# phone (decrypted on loading) nor the qualifications and dispatch dates (issue #14).
OFFICER_LIST_FIELDS = (
    "id", "name", "id_number", "gender", "kind", "home_agency", "unit", "dispatched_to", "post",
    "is_legal_reviewer", "is_supervisor", "is_active",
)


def annual_review_deadline(year: int) -> datetime.date:
    """The last day of year ``year`` on which a missing annual review is still tolerated."""
    month, day = ANNUAL_REVIEW_DEADLINE
    return datetime.date(year, month, day)


def mask_id_number(number: str) -> str:
    """Mask a citizen identity number for display: 6101**********123X."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(number: str) -> str:
    """Mask a phone number for the audit trail (138****5678) — the one phone-masking rule of
    the project, kept in the dependency-free ``zhifa.parties.masking`` module."""
    from zhifa.parties.masking import mask_phone as mask

    return mask(number)


class Officer(AuditedModel, ScopedModel):
    """A person on an agency's enforcement roster: 执法人员 or 执法辅助人员.

    An officer dispatched (派驻) to a township team keeps their home agency; while the
    dispatch runs they may also act for the agency of the unit they are dispatched to.
    Birth date and gender are derived from the identity number (GB 11643).
    """

    KIND_OFFICER = "officer"
    KIND_AUXILIARY = "auxiliary"
    KIND_CHOICES = [(KIND_OFFICER, "执法人员"), (KIND_AUXILIARY, "执法辅助人员")]
    GENDER_CHOICES = [("M", "男"), ("F", "女")]
    REVIEWER_KIND_CHOICES = [
        ("in_house", "本机关法制审核人员"),
        ("legal_adviser", "法律顾问"),
        ("public_lawyer", "公职律师"),
    ]

    name = models.CharField("姓名", max_length=50)
    # Encrypted at rest (SM4, zhifa.core.crypto); unique and looked up through the blind index.
    id_number = EncryptedCharField(
        "公民身份号码", max_length=18, validators=[validate_id_number], audit_mask=mask_id_number
    )
    id_number_index = BlindIndexField("公民身份号码索引", source="id_number", normalizer="identifier", unique=True)
    gender = models.CharField("性别", max_length=1, choices=GENDER_CHOICES, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True, editable=False)
    kind = models.CharField("人员类别", max_length=10, choices=KIND_CHOICES, default=KIND_OFFICER)
    home_agency = models.ForeignKey(
        "orgs.Agency", verbose_name="所属执法主体", on_delete=models.PROTECT, related_name="officers"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="所属执法机构", null=True, blank=True, on_delete=models.PROTECT,
        related_name="officers",
    )
    dispatched_to = models.ForeignKey(
        "orgs.Unit", verbose_name="派驻执法机构", null=True, blank=True, on_delete=models.PROTECT,
        related_name="dispatched_officers", help_text="派驻到乡镇（街道）执法队等其他执法主体的机构；人员仍属原执法主体。",
    )
    dispatched_from = models.DateField("派驻起始日期", null=True, blank=True)
    dispatched_until = models.DateField("派驻截止日期", null=True, blank=True, help_text="留空表示长期派驻。")
    post = models.CharField("职务", max_length=50, blank=True)
    phone = EncryptedCharField("联系电话", max_length=40, blank=True, audit_mask=mask_phone)
    phone_index = BlindIndexField("联系电话索引", source="phone", normalizer="phone", db_index=True)
    legal_qualification = models.CharField(
        "法律职业资格证书编号", max_length=40, blank=True, help_text="取得国家统一法律职业资格的填写证书编号。"
    )
    has_law_degree = models.BooleanField("法学专业本科以上学历", default=False)
    is_legal_reviewer = models.BooleanField("法制审核人员", default=False)
    reviewer_kind = models.CharField(
        "审核人员类别", max_length=14, choices=REVIEWER_KIND_CHOICES, blank=True,
        help_text="法制审核人员必填。",
    )
    is_supervisor = models.BooleanField("执法监督人员", default=False)
    is_active = models.BooleanField("在岗", default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="系统用户", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="officer",
    )

    scope_area = "people"
    scope_paths = ("home_agency__tree_path", "dispatched_to__tree_path")

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["home_agency", "kind", "is_active"], name="people_officer_roster"),
            # the list's order: a page of 50 is read from this index instead of sorting the scope
            models.Index(fields=["name", "id"], name="people_officer_name_order"),
            # one agency's officers in the list's order (an officer's or agency head's list)
            models.Index(fields=["home_agency", "name", "id"], name="people_officer_agency_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.derive_from_id_number()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_blind_indexes(type(self), kwargs["update_fields"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:officer_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        """Officers of the agencies under ``path`` and officers dispatched to its units — both
        as lists of ids read first (``core.scoping.ids_q``), so a page is read in the order of
        ``people_officer_agency_name`` or ``people_officer_name_order`` (issue #14)."""
        return ids_q(cls, "home_agency", path) | ids_q(cls, "dispatched_to", path)

    def derive_from_id_number(self) -> None:
        """Normalise the identity number and set birth date and gender from it."""
        self.id_number = normalize_identifier(self.id_number)
        try:
            validate_id_number(self.id_number)
        except ValidationError:
            return
        self.birth_date = id_number_birth_date(self.id_number)
        self.gender = id_number_gender(self.id_number)

    def clean(self):
        errors = {}
        self.id_number = normalize_identifier(self.id_number)
        try:
            validate_id_number(self.id_number)
        except ValidationError:
            pass  # reported by the field's validator (clean_fields), the serializer or the import parser
        else:
            derived = id_number_gender(self.id_number)
            if self.gender and self.gender != derived:
                errors["gender"] = ["性别与身份证号码不一致（第17位奇数为男，偶数为女）。"]
            self.gender = derived
            self.birth_date = id_number_birth_date(self.id_number)
        if self.unit_id and self.home_agency_id and self.unit.agency_id != self.home_agency_id:
            errors["unit"] = ["所属执法机构必须是所属执法主体的内设机构或中队。"]
        if self.dispatched_to_id:
            if self.home_agency_id and self.dispatched_to.agency_id == self.home_agency_id:
                errors["dispatched_to"] = ["派驻执法机构不能是本执法主体的机构。"]
        elif self.dispatched_from or self.dispatched_until:
            errors["dispatched_to"] = ["填写了派驻日期，请选择派驻执法机构。"]
        if self.dispatched_from and self.dispatched_until and self.dispatched_until < self.dispatched_from:
            errors["dispatched_until"] = ["派驻截止日期不能早于起始日期。"]
        if self.is_legal_reviewer and not self.reviewer_kind:
            errors["reviewer_kind"] = ["法制审核人员须选择审核人员类别。"]
        if not self.is_legal_reviewer and self.reviewer_kind:
            errors["reviewer_kind"] = ["不是法制审核人员，不应填写审核人员类别。"]
        if self.kind == self.KIND_AUXILIARY:
            if self.is_legal_reviewer or self.is_supervisor:
                errors["kind"] = ["执法辅助人员不能担任法制审核人员或执法监督人员。"]
            elif self.pk and self.certificates.filter(status__in=Certificate.LIVE_STATUSES).exists():
                errors["kind"] = ["该人员持有未注销的执法证，不能改为执法辅助人员；请先注销或收回执法证。"]
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None):
        """Django's checks, and one identity number per roster entry — through the blind index,
        since the number itself is stored encrypted."""
        exclude = set(exclude or ())
        super().validate_unique(exclude=exclude | {"id_number_index"})
        if "id_number" not in exclude:
            self.check_id_number_free()

    def check_id_number_free(self) -> None:
        """Refuse a number another roster entry already has (``ValidationError`` on id_number)."""
        if not self.id_number:
            return
        qs = Officer._base_manager.filter(**index_lookup(Officer, "id_number", self.id_number))
        if self.pk:
            qs = qs.exclude(pk=self.pk)
        if qs.exists():
            raise ValidationError({"id_number": ["该公民身份号码已登记在执法人员名册中。"]}, code="unique")

    @property
    def masked_id_number(self) -> str:
        """The identity number as shown by default (6101**********123X)."""
        return mask_id_number(self.id_number)

    @property
    def is_auxiliary(self) -> bool:
        return self.kind == self.KIND_AUXILIARY

    def dispatch_active_on(self, on: datetime.date) -> bool:
        """Whether the officer is dispatched to ``dispatched_to`` on date ``on``."""
        if not self.dispatched_to_id:
            return False
        if self.dispatched_from and on < self.dispatched_from:
            return False
        return not (self.dispatched_until and on > self.dispatched_until)

    def acting_agencies(self, on: datetime.date) -> list:
        """Agencies the officer may act for on ``on``: home agency, plus the dispatch agency."""
        agencies = [self.home_agency]
        if self.dispatch_active_on(on) and self.dispatched_to.agency_id != self.home_agency_id:
            agencies.append(self.dispatched_to.agency)
        return agencies

    @classmethod
    def public_q(cls) -> Q:
        """The public roster (PUB-1): active enforcement officers (never auxiliaries) of active
        agencies who hold a certificate of status valid that has not expired."""
        today = timezone.localdate()
        holders = Certificate.objects.filter(status=Certificate.VALID, expires_on__gte=today).values("officer_id")
        return Q(is_active=True, kind=cls.KIND_OFFICER, home_agency__is_active=True, pk__in=holders)


class CertificateQuerySet(ScopedQuerySet):
    """Certificate queries; ``usable_on`` mirrors ``Certificate.problems_on``."""

    def usable_on(self, on: datetime.date):
        """Certificates valid on ``on``: status valid, in date, annual review in order."""
        return self.filter(status=Certificate.VALID, issued_on__lte=on, expires_on__gte=on).exclude(
            Certificate.review_overdue_q(on)
        )

    def expired_on(self, on: datetime.date):
        """Certificates whose status is still valid but whose term ended before ``on``."""
        return self.filter(status=Certificate.VALID, expires_on__lt=on)

    def review_overdue_on(self, on: datetime.date):
        """Live certificates lacking the annual review required on ``on``."""
        return self.filter(status=Certificate.VALID, expires_on__gte=on).filter(Certificate.review_overdue_q(on))


class Certificate(AuditedModel, ScopedModel):
    """An administrative enforcement certificate (行政执法证).

    Its status changes only through the services (``issue_certificate``, ``suspend``,
    ``revoke``, ``cancel``, ``restore``, ``record_annual_review``). Whether it may be used on
    a date also depends on its term (``expires_on``) and on the annual review (年度审验).
    """

    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    CANCELLED = "cancelled"
    STATUS_CHOICES = [(VALID, "有效"), (SUSPENDED, "暂扣"), (REVOKED, "收回"), (CANCELLED, "注销")]
    LIVE_STATUSES = (VALID, SUSPENDED)
    FINAL_STATUSES = (REVOKED, CANCELLED)
    STATUS_REASONS = {SUSPENDED: "执法证已暂扣", REVOKED: "执法证已收回", CANCELLED: "执法证已注销"}

    number = models.CharField("证号", max_length=40, unique=True)
    officer = models.ForeignKey(Officer, verbose_name="持证人", on_delete=models.PROTECT, related_name="certificates")
    fields = models.ManyToManyField("orgs.EnforcementField", verbose_name="执法领域", related_name="certificates")
    issuing_authority = models.CharField("发证机关", max_length=100)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=VALID, editable=False)
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True, editable=False)
    last_review_on = models.DateField("最近年度审验日期", null=True, blank=True, editable=False)
    last_review_passed = models.BooleanField("最近年度审验合格", null=True, blank=True, editable=False)

    objects = CertificateQuerySet.as_manager()

    scope_area = "people"
    scope_paths = ("officer__home_agency__tree_path", "officer__dispatched_to__tree_path")

    class Meta:
        verbose_name = "行政执法证"
        verbose_name_plural = "行政执法证"
        ordering = ["-issued_on", "number"]
        indexes = [models.Index(fields=["status", "expires_on"], name="people_cert_status_exp")]

    def __str__(self):
        return f"{self.number}（{self.officer.name}）"

    def get_absolute_url(self):
        return reverse("people:certificate_detail", args=[self.pk])

    def clean(self):
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError({"expires_on": "有效期截止日期必须晚于发证日期。"})

    @staticmethod
    def review_overdue_q(on: datetime.date) -> Q:
        """Rows whose annual review for year ``on.year`` is overdue on ``on`` (see ANNUAL_REVIEW_DEADLINE)."""
        if on <= annual_review_deadline(on.year):
            return Q(pk__in=[])
        year_start = datetime.date(on.year, 1, 1)
        return Q(issued_on__lt=year_start) & (
            Q(last_review_on__isnull=True) | Q(last_review_on__lt=year_start) | Q(last_review_passed=False)
        )

    def is_expired(self, on: datetime.date | None = None) -> bool:
        return (on or timezone.localdate()) > self.expires_on

    def review_overdue(self, on: datetime.date | None = None) -> bool:
        """Whether the annual review required on ``on`` is missing (or failed)."""
        on = on or timezone.localdate()
        if on <= annual_review_deadline(on.year):
            return False
        year_start = datetime.date(on.year, 1, 1)
        if self.issued_on >= year_start:
            return False
        return not (self.last_review_on and self.last_review_on >= year_start and self.last_review_passed)

    def problems_on(self, on: datetime.date | None = None) -> list[str]:
        """Why the certificate cannot be used on ``on`` (empty list = usable).

        Status and last review are the certificate's present record (status changes cannot be
        dated in the future); ``on`` moves the term and the annual-review deadline.
        """
        on = on or timezone.localdate()
        problems = []
        if self.status != self.VALID:
            problems.append(self.STATUS_REASONS[self.status])
        if on < self.issued_on:
            problems.append("执法证尚未生效")
        if on > self.expires_on:
            problems.append("执法证已过期")
        elif self.status == self.VALID and self.review_overdue(on):
            problems.append("执法证未按期通过年度审验")
        return problems

    def is_usable(self, on: datetime.date | None = None) -> bool:
        return not self.problems_on(on)

    @property
    def effective_status(self) -> str:
        """Status as users should read it today: 有效 / 已过期 / 审验逾期 / 暂扣 / 收回 / 注销."""
        today = timezone.localdate()
        if self.status != self.VALID:
            return self.get_status_display()
        if self.is_expired(today):
            return "已过期"
        if today < self.issued_on:
            return "尚未生效"
        if self.review_overdue(today):
            return "审验逾期"
        return "有效"

    @property
    def badge_class(self) -> str:
        """CSS badge class matching ``effective_status``."""
        label = self.effective_status
        return {"有效": "valid", "已过期": "expired", "审验逾期": "warn", "尚未生效": "warn"}.get(label, self.status)

    def field_names(self) -> str:
        return "、".join(f.name for f in self.fields.all())

    @classmethod
    def public_q(cls) -> Q:
        """Every certificate can be verified (PUB-2): a suspended or revoked one must show so."""
        return Q()


class CertificateEventQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    """Append-only: bulk updates and deletes are refused."""


class CertificateEvent(AppendOnlyModel):
    """One change of a certificate (发证、审验、暂扣、收回、注销、恢复): who, when, why. Append-only."""

    KIND_CHOICES = [
        ("issue", "发证"),
        ("review_passed", "年度审验合格"),
        ("review_failed", "年度审验不合格"),
        ("suspend", "暂扣"),
        ("revoke", "收回"),
        ("cancel", "注销"),
        ("restore", "恢复"),
    ]

    certificate = models.ForeignKey(Certificate, verbose_name="执法证", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事项", max_length=14, choices=KIND_CHOICES)
    from_status = models.CharField("原状态", max_length=10, choices=Certificate.STATUS_CHOICES, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=Certificate.STATUS_CHOICES)
    effective_on = models.DateField("生效日期")
    reason = models.TextField("理由")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("经办人姓名", max_length=150)
    time = models.DateTimeField("记录时间", default=timezone.now)

    objects = CertificateEventQuerySet.as_manager()

    class Meta:
        verbose_name = "执法证变更记录"
        verbose_name_plural = "执法证变更记录"
        ordering = ["time", "id"]

    def __str__(self):
        return f"{self.effective_on} {self.get_kind_display()}"


class TrainingRecord(AuditedModel, ScopedModel):
    """A training an officer attended (培训记录), counted in 学时 (hours) and days."""

    KIND_CHOICES = [
        ("public_law", "公共法律知识"),
        ("professional", "专业法律知识"),
        ("practice", "执法实务"),
        ("other", "其他"),
    ]

    officer = models.ForeignKey(Officer, verbose_name="人员", on_delete=models.PROTECT, related_name="trainings")
    date = models.DateField("培训日期")
    title = models.CharField("培训名称", max_length=200)
    kind = models.CharField("培训类别", max_length=14, choices=KIND_CHOICES)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1, help_text="未明确学时的按45分钟计1学时。")
    days = models.DecimalField("天数", max_digits=5, decimal_places=1, default=0)
    provider = models.CharField("培训机构", max_length=100, blank=True)

    scope_area = "people"
    scope_paths = ("officer__home_agency__tree_path", "officer__dispatched_to__tree_path")

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "date", "title"], name="people_training_unique"),
            models.CheckConstraint(condition=Q(hours__gte=0) & Q(days__gte=0), name="people_training_nonnegative"),
        ]

    def __str__(self):
        return f"{self.date} {self.title}"

    def get_absolute_url(self):
        return reverse("people:training_detail", args=[self.pk])

    def clean(self):
        if self.hours is not None and self.hours < 0:
            raise ValidationError({"hours": "学时不能为负数。"})
        if self.days is not None and self.days < 0:
            raise ValidationError({"days": "天数不能为负数。"})
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "培训日期不能晚于今天。"})
