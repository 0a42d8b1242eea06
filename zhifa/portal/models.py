"""Content of the public portal written by hand, and the changes it must follow (PUB-1, PUB-5).

- ``ServiceGuide`` (办事指南): how to get something done with an agency; kept by agency heads
  and system administrators of the agency's subtree.
- ``LawChange`` (法律法规变更): a law amended/enacted on a date; items whose content cites it
  must get a new version within 10 working days (PUB-5).
- ``DutyChange`` (职责调整): an agency's duties changed on a date; its service guides and duty
  text must be updated within 20 working days (PUB-5).

The deadlines and the freshness report are computed in ``zhifa.portal.services``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel


def normalize_law_name(name: str) -> str:
    """A law's name as items cite it: trimmed, inside 《》 (``食品安全法`` → ``《食品安全法》``)."""
    name = (name or "").strip().strip("《》").strip()
    return f"《{name}》" if name else ""


class ServiceGuide(AuditedModel, ScopedModel):  # 办事指南
    """A service guide (办事指南) of an agency: what, who, which documents, where, how long."""

    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT,
                               related_name="service_guides")
    item = models.ForeignKey(
        "catalog.Item", verbose_name="对应执法事项", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="service_guides", help_text="可选：本指南对应的执法事项（须为本执法主体的事项）。",
    )
    title = models.CharField("名称", max_length=200)
    applicable_to = models.TextField("适用对象", blank=True)
    basis = models.TextField("设定依据", blank=True)
    conditions = models.TextField("办理条件", blank=True)
    materials = models.TextField("申请材料", blank=True)
    process = models.TextField("办理流程", blank=True)
    time_limit = models.CharField("办理时限", max_length=200, blank=True)
    fee = models.CharField("收费标准", max_length=200, blank=True, default="不收费")
    location = models.CharField("办理地点", max_length=200, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=40, blank=True, help_text="办公电话（公开）。")
    is_published = models.BooleanField("公开", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_area = "portal"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "办事指南"
        verbose_name_plural = "办事指南"
        ordering = ["agency", "title", "id"]
        indexes = [models.Index(fields=["agency", "is_published"], name="portal_guide_agency_pub")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:guide_detail", args=[self.pk])

    def clean(self):
        if self.item_id and self.agency_id and self.item.agency_id != self.agency_id:
            raise ValidationError({"item": "对应执法事项必须是本执法主体的事项。"})

    @classmethod
    def public_q(cls) -> Q:
        """Published guides of active agencies."""
        return Q(is_published=True, agency__is_active=True)


class GuideRevision(models.Model):
    """One change of a guide's published content (written by ``services.save_guide``), so the
    freshness report knows when a guide was first updated after a change of duties."""

    guide = models.ForeignKey(ServiceGuide, verbose_name="办事指南", on_delete=models.CASCADE, related_name="revisions")
    revised_at = models.DateTimeField("更新时间")
    fields_changed = models.JSONField("更新内容", default=list)
    actor_name = models.CharField("经办人", max_length=150, blank=True)

    class Meta:
        verbose_name = "办事指南更新记录"
        verbose_name_plural = "办事指南更新记录"
        ordering = ["guide", "revised_at", "id"]
        indexes = [models.Index(fields=["guide", "revised_at"], name="portal_guide_rev")]

    def __str__(self):
        return f"{self.guide} {self.revised_at:%Y-%m-%d}"


class LawChange(AuditedModel, models.Model):  # 法律法规变更
    """A law, regulation or rule enacted, amended or repealed with effect from a date.

    Laws bind every agency, so the record is shared reference data (like the working-day
    calendar): every user with ("portal", "view") reads it; users with ("portal", "change")
    record it, and only its recorder or a system administrator may change it afterwards.
    """

    law_name = models.CharField("法律法规名称", max_length=200, db_index=True,
                                help_text="与执法事项中“法律法规名称”一致，例如《中华人民共和国食品安全法》。")
    effective_on = models.DateField("施行日期")
    description = models.TextField("变更内容", blank=True, help_text="例如：第二次修正，第一百二十四条修改。")
    document = models.CharField("公布文件", max_length=200, blank=True, help_text="例如：主席令第八十一号")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "法律法规变更"
        verbose_name_plural = "法律法规变更"
        ordering = ["-effective_on", "-id"]

    def __str__(self):
        return f"{self.law_name}（{self.effective_on:%Y-%m-%d}施行）"

    def save(self, *args, **kwargs):
        self.law_name = normalize_law_name(self.law_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("portal:freshness") + f"#law-{self.pk}"

    def clean(self):
        if not normalize_law_name(self.law_name):
            raise ValidationError({"law_name": "请填写法律法规名称。"})


class DutyChange(AuditedModel, ScopedModel):  # 职责调整
    """A change of an agency's duties (职责调整: 三定 revision, 赋权 or 划转 of powers)."""

    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT,
                               related_name="duty_changes")
    effective_on = models.DateField("调整日期")
    description = models.TextField("调整内容")
    document = models.CharField("依据文件", max_length=200, blank=True, help_text="例如：云编发〔2026〕5号")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # The agency's duty text (设立及职权依据, units' 职责) is kept in the organisation records;
    # whoever updated it confirms so here (the portal does not read the audit trail).
    duty_text_confirmed_at = models.DateTimeField("职责文本更新确认时间", null=True, blank=True, editable=False)
    duty_text_confirmed_by = models.CharField("确认人", max_length=150, blank=True, editable=False)

    scope_area = "portal"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "职责调整"
        verbose_name_plural = "职责调整"
        ordering = ["-effective_on", "-id"]

    def __str__(self):
        return f"{self.agency.name}职责调整（{self.effective_on:%Y-%m-%d}）"

    def get_absolute_url(self):
        return reverse("portal:freshness") + f"#duty-{self.pk}"
