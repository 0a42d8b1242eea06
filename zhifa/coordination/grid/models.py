"""Grids, dispatch tasks and patrol reports (网格、调度任务、巡查上报).

Scoping: each row keeps the managing agency (``agency``, the county's comprehensive enforcement
bureau or the township office that manages the grid), the responsible team (``team``) and the
township (``township``). A row is in a user's reach when any of the three paths lies under the
user's: the managing agency's staff, the team's agency's staff (the township office), and the
supervisors and administrators of the county. Another county matches none of them.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

SCOPE_PATHS = ("agency__tree_path", "team__tree_path", "township__path")


def validate_grid_code(value: str) -> str:
    """A grid code (网格编码): the township's 9-digit code followed by 3 digits."""
    if not re.fullmatch(r"\d{12}", value or "") or value.endswith("000"):
        raise ValidationError("网格编码应为12位数字：所属乡镇（街道）的9位代码加3位网格序号（001–999）。")
    return value


class Grid(AuditedModel, ScopedModel):  # 网格
    """A patrol grid below a township, with its grid workers (网格员) and the responsible team."""

    code = models.CharField("网格编码", max_length=12, unique=True, validators=[validate_grid_code])
    name = models.CharField("网格名称", max_length=60)
    township = models.ForeignKey("orgs.Region", verbose_name="所属乡镇（街道）", on_delete=models.PROTECT,
                                 related_name="grids", limit_choices_to={"level": "township"})
    agency = models.ForeignKey("orgs.Agency", verbose_name="管理主体", on_delete=models.PROTECT, related_name="grids",
                               help_text="县级综合行政执法部门或乡镇（街道）")
    team = models.ForeignKey("orgs.Unit", verbose_name="责任执法队伍", on_delete=models.PROTECT, related_name="grids")
    bounds = models.TextField("四至范围", help_text="街巷、门牌区间等，如：人民路1–99号（单号）至滨河路")
    polygon = models.TextField("边界（GeoJSON，可选）", blank=True,
                               help_text="GeoJSON Polygon 文本，经纬度（WGS-84）；不加载任何在线地图。")
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="网格员", blank=True, related_name="grids")
    is_active = models.BooleanField("启用", default=True)

    scope_area = "grid"
    scope_paths = SCOPE_PATHS

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["code"]
        indexes = [models.Index(fields=["team", "code"], name="grid_grid_team_code")]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def get_absolute_url(self):
        return reverse("coordination:grid_detail", args=[self.pk])

    @property
    def stream_key(self) -> str:
        """The grid's hash-chained record: every task step and report in the grid."""
        return f"grid:{self.pk}"


# Kinds and priorities of a dispatch task.
PATROL, SPECIAL, COMPLAINT, INCIDENT = "patrol", "special", "complaint", "incident"
KIND_CHOICES = [(PATROL, "日常巡查"), (SPECIAL, "专项检查"), (COMPLAINT, "投诉核查"), (INCIDENT, "事件处置")]
URGENT, HIGH, NORMAL = "urgent", "high", "normal"
PRIORITY_CHOICES = [(URGENT, "紧急"), (HIGH, "较急"), (NORMAL, "一般")]

# States (the procedure is in services.TRANSITIONS).
DISPATCHED, ACCEPTED, ARRIVED, REPORTED, CLOSED, RETURNED = (
    "dispatched", "accepted", "arrived", "reported", "closed", "returned")
STATUS_CHOICES = [(DISPATCHED, "已派发，待签收"), (ACCEPTED, "已签收，待到场"), (ARRIVED, "已到场，待反馈"),
                  (REPORTED, "已反馈，待办结"), (CLOSED, "已办结"), (RETURNED, "已退回，待改派")]
OPEN_STATUSES = (DISPATCHED, ACCEPTED, ARRIVED, REPORTED, RETURNED)
WORKING_STATUSES = (DISPATCHED, ACCEPTED, ARRIVED)  # the team still owes the report


class DispatchTask(AuditedModel, ScopedModel):  # 调度任务
    """A patrol or inspection task the command centre (指挥中心) dispatches to a team for a grid."""

    number = models.CharField("任务编号", max_length=30)
    grid = models.ForeignKey(Grid, verbose_name="网格", on_delete=models.PROTECT, related_name="tasks")
    agency = models.ForeignKey("orgs.Agency", verbose_name="指挥主体", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("orgs.Region", verbose_name="乡镇（街道）", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("orgs.Unit", verbose_name="承办队伍", on_delete=models.PROTECT,
                             related_name="dispatch_tasks")
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="指定人员", blank=True,
                                       related_name="dispatch_tasks")
    kind = models.CharField("任务类型", max_length=12, choices=KIND_CHOICES, default=PATROL)
    priority = models.CharField("紧急程度", max_length=8, choices=PRIORITY_CHOICES, default=NORMAL)
    title = models.CharField("任务名称", max_length=100)
    description = models.TextField("任务内容")
    complaint = models.ForeignKey("supervision.Complaint", verbose_name="核查的投诉举报", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="dispatch_tasks")
    status = models.CharField("状态", max_length=12, choices=STATUS_CHOICES, default=DISPATCHED)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="派发人", on_delete=models.PROTECT,
                                      related_name="+")
    dispatched_at = models.DateTimeField("派发时间")
    accept_due_at = models.DateTimeField("签收期限")
    due_at = models.DateTimeField("反馈期限")
    accepted_at = models.DateTimeField("签收时间", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签收人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    arrived_at = models.DateTimeField("到场时间（设备时间）", null=True, blank=True)
    arrived_latitude = models.DecimalField("到场纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    arrived_longitude = models.DecimalField("到场经度", max_digits=9, decimal_places=6, null=True, blank=True)
    reported_at = models.DateTimeField("反馈时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    close_note = models.TextField("办结意见", blank=True)
    return_reason = models.TextField("退回或改派理由", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_area = "dispatch"
    scope_paths = SCOPE_PATHS

    class Meta:
        verbose_name = "调度任务"
        verbose_name_plural = "调度任务"
        ordering = ["-dispatched_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="grid_task_unique_number")]
        indexes = [
            models.Index(fields=["agency", "-dispatched_at", "-id"], name="grid_task_agency_list"),
            models.Index(fields=["team", "-dispatched_at", "-id"], name="grid_task_team_list"),
            models.Index(fields=["township", "-dispatched_at", "-id"], name="grid_task_township_list"),
            models.Index(fields=["status", "due_at"], name="grid_task_status_due"),
            models.Index(fields=["status", "accept_due_at"], name="grid_task_status_accept"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("coordination:task_detail", args=[self.pk])


REPORT_CATEGORY_CHOICES = [
    ("city_appearance", "市容环境"), ("street_occupation", "占道经营"), ("construction", "违法建设"),
    ("environment", "生态环境"), ("market", "市场秩序"), ("safety", "安全隐患"), ("other", "其他"),
]
FOLLOW_NONE, FOLLOW_CASE, FOLLOW_INSPECTION = "", "case", "inspection"
FOLLOW_UP_CHOICES = [(FOLLOW_NONE, "无"), (FOLLOW_CASE, "转为案件线索"), (FOLLOW_INSPECTION, "转为行政检查")]


class GridReport(AuditedModel, ScopedModel):  # 巡查上报
    """What an officer or grid worker reports from a patrol, with a task or without one."""

    grid = models.ForeignKey(Grid, verbose_name="网格", on_delete=models.PROTECT, related_name="reports")
    task = models.ForeignKey(DispatchTask, verbose_name="调度任务", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="reports")
    agency = models.ForeignKey("orgs.Agency", verbose_name="管理主体", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("orgs.Region", verbose_name="乡镇（街道）", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("orgs.Unit", verbose_name="责任队伍", on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上报人", on_delete=models.PROTECT,
                                 related_name="grid_reports")
    category = models.CharField("类别", max_length=20, choices=REPORT_CATEGORY_CHOICES, default="other")
    text = models.TextField("情况描述")
    problem_found = models.BooleanField("发现问题", default=False)
    place = models.CharField("地点", max_length=200)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    device_time = models.DateTimeField("设备时间", null=True, blank=True)
    photos = models.ManyToManyField("records.StoredFile", verbose_name="照片", blank=True, related_name="+")
    reported_at = models.DateTimeField("上报时间")
    follow_up = models.CharField("后续处置", max_length=12, choices=FOLLOW_UP_CHOICES, blank=True, default="")
    case = models.ForeignKey("cases.Case", verbose_name="立案线索（案件）", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="grid_reports")
    inspection = models.ForeignKey("inspections.Inspection", verbose_name="行政检查", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="grid_reports")

    scope_area = "dispatch"
    scope_paths = SCOPE_PATHS

    class Meta:
        verbose_name = "巡查上报"
        verbose_name_plural = "巡查上报"
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-reported_at", "-id"], name="grid_report_agency_list"),
            models.Index(fields=["team", "-reported_at", "-id"], name="grid_report_team_list"),
            models.Index(fields=["township", "-reported_at", "-id"], name="grid_report_township_list"),
            models.Index(fields=["grid", "-reported_at"], name="grid_report_grid_time"),
        ]

    def __str__(self):
        return f"{self.grid.name} {self.reported_at:%Y-%m-%d %H:%M} {self.get_category_display()}"

    def get_absolute_url(self):
        return reverse("coordination:report_detail", args=[self.pk])
