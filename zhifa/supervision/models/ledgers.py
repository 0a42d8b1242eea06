"""Work plans and task ledgers (工作方案、工作任务台账, SUP-6): the tasks of an action plan with
their lead and co-operating units, deadlines and measurable targets, the progress reports of the
responsible units (with attachments stored through ``zhifa.records``), overdue reminders and
completion statistics per unit.

Changed only by ``zhifa.supervision.ledgers.services``; imported from and exported to Excel in the
ledger shape local governments use (序号, 工作任务, 具体内容, 牵头单位, 配合单位, 完成时限, 目标,
进展情况, 完成状态) by ``zhifa.supervision.ledgers.excel``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel, paths_q

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
TASK_STATUS_CHOICES = [(NOT_STARTED, "未启动"), (IN_PROGRESS, "推进中"), (DONE, "已完成")]


class WorkPlan(AuditedModel, ScopedModel):  # 工作方案（任务台账）
    """An action or work plan of a region (e.g. 三年行动方案) whose tasks are tracked in a ledger."""

    region = models.ForeignKey("orgs.Region", verbose_name="制定方案的行政区划", on_delete=models.PROTECT,
                               related_name="work_plans")
    title = models.CharField("方案名称", max_length=200)
    document = models.CharField("方案文号", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_area = "ledgers"
    scope_paths = ("region__path",)

    class Meta:
        verbose_name = "工作方案"
        verbose_name_plural = "工作方案"
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["-year", "-id"], name="supervision_workplan_list")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:ledger_plan", args=[self.pk])

    @classmethod
    def scope_q(cls, user, path):
        """The region's subtree sees its plans; an agency sees the plans with a task it leads or
        co-operates on."""
        return (paths_q(("region__path",), path, model=cls)
                | Q(pk__in=LedgerTask.objects.filter(LedgerTask.agency_side_q(path)).values("plan_id")))


class LedgerTask(AuditedModel, ScopedModel):  # 工作任务
    """One task of a plan: content, lead unit, co-operating units, deadline, measurable target,
    latest progress and status."""

    plan = models.ForeignKey(WorkPlan, verbose_name="工作方案", on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveIntegerField("序号")
    title = models.CharField("工作任务", max_length=300)
    content = models.TextField("具体内容", blank=True)
    lead_agency = models.ForeignKey("orgs.Agency", verbose_name="牵头单位", on_delete=models.PROTECT,
                                    related_name="led_tasks")
    co_agencies = models.ManyToManyField("orgs.Agency", verbose_name="配合单位", blank=True, related_name="+")
    deadline = models.DateField("完成时限", db_index=True)
    target = models.TextField("目标", blank=True)
    progress = models.TextField("进展情况", blank=True)
    status = models.CharField("完成状态", max_length=12, choices=TASK_STATUS_CHOICES, default=NOT_STARTED,
                              db_index=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    reminded_on = models.DateField("最近提醒日期", null=True, blank=True)
    overdue_since = models.DateField("逾期起始日期", null=True, blank=True)

    scope_area = "ledgers"
    scope_paths = ("plan__region__path", "lead_agency__tree_path")

    class Meta:
        verbose_name = "工作任务"
        verbose_name_plural = "工作任务"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="supervision_ledgertask_number")]
        indexes = [models.Index(fields=["lead_agency", "deadline"], name="supervision_task_lead")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("supervision:ledger_task", args=[self.pk])

    @staticmethod
    def agency_side_q(path: str) -> Q:
        """Tasks an agency at or below ``path`` leads or co-operates on."""
        from zhifa.orgs.models import Agency

        agencies = Agency._base_manager.filter(tree_path__startswith=path).values("pk")
        return Q(lead_agency__in=agencies) | Q(co_agencies__in=agencies)

    @classmethod
    def scope_q(cls, user, path):
        ids = cls._base_manager.filter(cls.agency_side_q(path)).values("pk")
        return paths_q(("plan__region__path",), path, model=cls) | Q(pk__in=ids)

    def is_overdue(self, today) -> bool:
        return self.status != DONE and self.deadline < today


class ProgressReport(AuditedModel, ScopedModel):  # 进展报告
    """A progress report of a task by its lead or a co-operating unit, optionally with a file."""

    task = models.ForeignKey(LedgerTask, verbose_name="工作任务", on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey("orgs.Agency", verbose_name="报告单位", on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField("报告日期")
    text = models.TextField("进展情况")
    completed = models.BooleanField("报告已完成", default=False)
    attachment = models.ForeignKey("records.StoredFile", verbose_name="附件", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_area = "ledgers"
    scope_paths = ("task__plan__region__path", "agency__tree_path")

    class Meta:
        verbose_name = "任务进展报告"
        verbose_name_plural = "任务进展报告"
        ordering = ["task", "-reported_on", "-id"]

    def __str__(self):
        return f"{self.task}：{self.reported_on}"

    @classmethod
    def scope_q(cls, user, path):
        tasks = LedgerTask._base_manager.filter(LedgerTask.agency_side_q(path)).values("pk")
        return paths_q(cls.scope_paths, path, model=cls) | Q(task__in=tasks)
