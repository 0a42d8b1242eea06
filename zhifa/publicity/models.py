"""Publication records (行政执法决定公示, PUB-3).

A decision opens a ``Publication`` with its statutory deadline. The public text is made by
``zhifa.publicity.masking`` from the internal one and shown to a reviewer, who releases it
(or records why the law forbids publishing it). When a reconsideration or a court revokes,
changes or declares the decision unlawful, a ``PublicationAction`` falls due within 3
working days: the publication is withdrawn or annotated. Every state the public could see is
kept in the append-only ``PublicationRevision``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.audit import AuditedModel
from zhifa.core.models import AppendOnlyModel, AppendOnlyQuerySetMixin
from zhifa.core.scoping import ScopedModel
from zhifa.parties.models import Party

from . import choices

# The fields of a publication the public sees (also the snapshot kept in each revision).
PUBLIC_FIELDS = (
    "kind", "decision_number", "title", "agency_name", "public_party_name", "party_kind", "credit_code",
    "public_facts", "public_legal_basis", "public_result", "penalty_kinds", "fine_amount", "confiscation_amount",
    "decided_on", "published_on", "status", "annotation", "withdrawal_note",
)


class Publication(AuditedModel, ScopedModel):
    """The publication of one enforcement decision (行政执法决定信息公示)."""

    kind = models.CharField("决定类别", max_length=12, choices=choices.KIND_CHOICES, default=choices.PENALTY)
    agency = models.ForeignKey("orgs.Agency", verbose_name="作出决定机关", on_delete=models.PROTECT,
                               related_name="publications")
    case = models.OneToOneField("cases.Case", verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="publication")
    decision_number = models.CharField("决定书文号", max_length=80)
    title = models.CharField("事项名称", max_length=200)
    # Internal (unmasked) content, visible only within the agency's scope.
    party = models.ForeignKey(Party, verbose_name="行政相对人", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    party_kind = models.CharField("相对人类别", max_length=20, choices=Party.KIND_CHOICES)
    party_name = models.CharField("相对人名称（原文）", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    facts = models.TextField("主要事实（原文）", blank=True)
    legal_basis = models.TextField("依据（原文）", blank=True)
    result = models.TextField("决定内容（原文）")
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_amount = models.DecimalField("没收金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    decided_on = models.DateField("决定日期", db_index=True)
    # Deadline (7 working days for 处罚 and 许可, 20 for others; configurable).
    due_on = models.DateField("公示期限", db_index=True)
    due_provisional = models.BooleanField("期限按未录入节假日的日历暂算", default=False)
    status = models.CharField("状态", max_length=14, choices=choices.STATUS_CHOICES, default=choices.PENDING)
    # Masking: what the reviewer additionally hides (商业秘密 etc.) and what the public sees.
    redactions = models.JSONField("另行遮蔽的内容", default=list, blank=True,
                                  help_text="商业秘密、法律禁止公开的信息等，每行一项，公示时以“***”代替。")
    masking_report = models.JSONField("遮蔽情况", default=list, blank=True)
    public_party_name = models.CharField("公示相对人名称", max_length=200, blank=True)
    public_facts = models.TextField("公示主要事实", blank=True)
    public_legal_basis = models.TextField("公示依据", blank=True)
    public_result = models.TextField("公示决定内容", blank=True)
    public_title = models.CharField("公示事项名称", max_length=200, blank=True,
                                    help_text="事项名称（案由）中的自然人姓名等已遮蔽。")
    search_tokens = models.TextField("检索分词", blank=True, editable=False)
    # Release, refusal, withdrawal.
    published_on = models.DateField("公示日期", null=True, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核发布人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    public_until = models.DateField("公示截止日期", null=True, blank=True)
    not_published_ground = models.CharField("不予公开理由", max_length=20, blank=True,
                                             choices=choices.NOT_PUBLISHED_GROUND_CHOICES)
    not_published_reason = models.TextField("不予公开说明", blank=True)
    annotation = models.TextField("注明情况", blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawal_note = models.TextField("撤回说明", blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_area = "publicity"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "决定公示"
        verbose_name_plural = "决定公示"
        ordering = ["-decided_on", "-id"]
        indexes = [
            # The portal's lists, newest first, read in index order (no sort) with or without
            # an agency or kind filter.
            models.Index(fields=["status", "-published_on", "-id"], name="publicity_status_newest"),
            models.Index(fields=["agency", "status", "-published_on", "-id"], name="publicity_agency_newest"),
            models.Index(fields=["kind", "status", "-published_on", "-id"], name="publicity_kind_newest"),
            # The queue and the overdue alert.
            models.Index(fields=["agency", "status", "due_on"], name="publicity_agency_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agency", "decision_number"], name="publicity_number_per_agency"),
        ]

    def __str__(self):
        return f"{self.decision_number} {self.title}"

    def get_absolute_url(self):
        return reverse("publicity:detail", args=[self.pk])

    def get_public_url(self):
        return reverse("publicity:public_detail", args=[self.pk])

    @classmethod
    def public_q(cls):
        """Released and still within the publication period, or withdrawn (the notice of
        withdrawal with its reasons stays public)."""
        today = clock.today()
        return Q(status__in=[choices.PUBLISHED, choices.WITHDRAWN]) & (
            Q(public_until__isnull=True) | Q(public_until__gte=today)
        )

    @property
    def agency_name(self) -> str:
        return self.agency.name

    @property
    def is_overdue(self) -> bool:
        return self.status == choices.PENDING and self.due_on < clock.today()

    @property
    def is_natural_person(self) -> bool:
        return self.party_kind == Party.NATURAL

    def public_snapshot(self) -> dict:
        """The public fields as JSON-ready values (kept in every revision)."""
        out = {}
        for name in PUBLIC_FIELDS:
            value = getattr(self, name)
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif value is not None and not isinstance(value, str | int | list | bool):
                value = str(value)
            out[name] = value
        return out


class PublicationRevisionQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    pass


class PublicationRevision(AppendOnlyModel):
    """One entry of a publication's history (公示历史): what was done and what the public
    text was afterwards. Append-only."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="revisions")
    kind = models.CharField("操作", max_length=12, choices=choices.REVISION_CHOICES)
    snapshot = models.JSONField("公示内容快照", default=dict)
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField("时间", default=clock.now)

    objects = PublicationRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = "公示历史"
        verbose_name_plural = "公示历史"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class PublicationAction(AuditedModel, models.Model):
    """A withdrawal or annotation that has fallen due (撤回或注明), 3 working days from the
    day the decision was revoked, changed or declared unlawful."""

    PENDING = "pending"
    DONE = "done"
    STATUS_CHOICES = [(PENDING, "待办理"), (DONE, "已办理")]

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="actions")
    cause = models.CharField("原因", max_length=20, choices=choices.CAUSE_CHOICES)
    action = models.CharField("处理方式", max_length=10, choices=choices.ACTION_CHOICES)
    occurred_on = models.DateField("决定被撤销、变更或确认违法的日期")
    basis = models.CharField("依据文书", max_length=120, blank=True, help_text="复议决定书、判决书文号或本机关决定。")
    note = models.TextField("公开说明", blank=True)
    remedy = models.ForeignKey("cases.Remedy", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("办理期限", db_index=True)
    due_provisional = models.BooleanField(default=False)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=PENDING)
    done_on = models.DateField("办理日期", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "撤回或注明"
        verbose_name_plural = "撤回或注明"
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.get_action_display()}（{self.get_cause_display()}）"

    @property
    def on_time(self) -> bool | None:
        if self.done_on is None:
            return None
        return self.done_on <= self.due_on

    @property
    def is_overdue(self) -> bool:
        return self.status == self.PENDING and self.due_on < clock.today()
