"""The supervisor's cockpit (驾驶舱, AI-2): per agency and month, the counts behind every
figure, kept by ``zhifa.supervision.cockpit.services.refresh_cockpit`` so that the page reads a
few hundred rows whatever the number of cases.
"""

from django.db import models
from django.db.models.signals import post_save

from zhifa.core.scoping import ScopedModel


class AgencyMonthStat(ScopedModel):
    """Counts of one agency in one month (the month of the decision, of the publication's
    decision, of the remedy's result). Derived data: rebuilt from the cases, never edited."""

    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.CASCADE,
                               related_name="month_stats")
    month = models.DateField("月份（当月1日）")
    decided = models.PositiveIntegerField("作出决定", default=0)
    overdue = models.PositiveIntegerField("超过办案期限作出决定", default=0)
    benchmark_checked = models.PositiveIntegerField("经裁量基准比对", default=0)
    benchmark_deviations = models.PositiveIntegerField("偏离裁量基准", default=0)
    publications_due = models.PositiveIntegerField("应公示", default=0)
    publications_on_time = models.PositiveIntegerField("按期公示", default=0)
    major_decided = models.PositiveIntegerField("重大执法决定", default=0)
    major_reviewed = models.PositiveIntegerField("经法制审核的重大执法决定", default=0)
    remedies_decided = models.PositiveIntegerField("复议诉讼审结", default=0)
    remedies_reversed = models.PositiveIntegerField("被撤销、变更或确认违法", default=0)
    refreshed_at = models.DateTimeField("统计时间")

    scope_area = "cockpit"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "执法主体月度统计"
        verbose_name_plural = "执法主体月度统计"
        ordering = ["month", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="supervision_agencymonth_once")]

    def __str__(self):
        return f"{self.agency_id} {self.month:%Y-%m}"


class CockpitDirty(models.Model):
    """An (agency, month) whose counts changed since the last refresh: written by the save
    signals of cases, publications and remedies, consumed by ``refresh_cockpit``."""

    agency_id_value = models.PositiveBigIntegerField("执法主体")
    month = models.DateField("月份")

    class Meta:
        verbose_name = "驾驶舱待刷新"
        verbose_name_plural = "驾驶舱待刷新"
        constraints = [models.UniqueConstraint(fields=["agency_id_value", "month"], name="supervision_dirty_once")]

    def __str__(self):
        return f"{self.agency_id_value} {self.month:%Y-%m}"


# Incremental refresh: every save that can change a bucket marks it dirty (one tiny insert);
# ``refresh_cockpit`` on the task layer recomputes only those buckets.
def _mark(agency_id, day):
    from zhifa.supervision.cockpit.services import mark_dirty

    mark_dirty(agency_id, day)


def _case_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.decided_on:
        _mark(instance.agency_id, instance.decided_on)


def _publication_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _mark(instance.agency_id, instance.decided_on)


def _remedy_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.decided_on:
        _mark(instance.case.agency_id, instance.decided_on)


def _review_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.case.decided_on:
        _mark(instance.case.agency_id, instance.case.decided_on)


post_save.connect(_case_saved, sender="cases.Case", dispatch_uid="cockpit_case")
post_save.connect(_publication_saved, sender="publicity.Publication", dispatch_uid="cockpit_publication")
post_save.connect(_remedy_saved, sender="cases.Remedy", dispatch_uid="cockpit_remedy")
post_save.connect(_review_saved, sender="review.Review", dispatch_uid="cockpit_review")
post_save.connect(_review_saved, sender="review.MajorFlag", dispatch_uid="cockpit_flag")
