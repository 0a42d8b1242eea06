"""Inspection models: the equipment register and non-site supervision records (see models/__init__.py).

- ``Device`` (执法装备登记): electronic technical monitoring devices (电子技术监控设备), body
  cameras (执法记录仪) and handheld terminals (手持执法终端) of an agency. A monitoring device
  needs a passed legal review and technical review and a published location before its records
  may be used (《中华人民共和国行政处罚法》第四十一条第一款); body cameras and terminals are issued to
  officers (``DeviceIssue``), one per two officers in every township (ORG-6, S2).
- ``DeviceIssue`` (领用记录): who held a personal device from when to when.
- ``DeviceRecord`` (非现场执法记录): what a monitoring device captured; reviewed for being true,
  clear, complete and accurate (真实、清晰、完整、准确, 第四十一条第二款), the party told promptly and
  able to view it and state a defence (第四十一条第三款), and a reviewed record opens a case.

The rules live in ``zhifa.inspections.devices.services``; these models hold the state.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel

__all__ = ["Device", "DeviceIssue", "DeviceRecord"]

MONITOR = "monitor"
CAMERA = "camera"
TERMINAL = "terminal"
DEVICE_KIND_CHOICES = [
    (MONITOR, "电子技术监控设备"),
    (CAMERA, "执法记录仪"),
    (TERMINAL, "手持执法终端"),
]
PERSONAL_KINDS = (CAMERA, TERMINAL)

IN_SERVICE = "in_service"
RETIRED = "retired"
DEVICE_STATUS_CHOICES = [(IN_SERVICE, "在用"), (RETIRED, "停用报废")]

PASSED = "passed"
FAILED = "failed"
REVIEW_CONCLUSION_CHOICES = [(PASSED, "通过"), (FAILED, "不通过")]

PENDING = "pending"
ACCEPTED = "accepted"
REJECTED = "rejected"
RECORD_STATUS_CHOICES = [(PENDING, "待审核"), (ACCEPTED, "审核通过"), (REJECTED, "审核不通过")]

NOTICE_CHANNEL_CHOICES = [
    ("sms", "短信"),
    ("mail", "邮寄告知书"),
    ("in_person", "当面告知"),
    ("app", "政务服务平台消息"),
]


class Device(AuditedModel, ScopedModel):  # 执法装备（电子技术监控设备、执法记录仪、执法终端）
    """One registered device of an agency.

    Fixed monitoring devices carry their place and coordinates, the legal and the technical
    review (第四十一条: 经过法制和技术审核) and whether their location is published; personal
    devices (cameras, terminals) carry their current holder, kept by the issue history.
    """

    kind = models.CharField("设备类别", max_length=10, choices=DEVICE_KIND_CHOICES)
    serial = models.CharField("设备编号", max_length=60)
    model_name = models.CharField("品牌型号", max_length=100, blank=True)
    agency = models.ForeignKey("orgs.Agency", verbose_name="所属执法主体", on_delete=models.PROTECT,
                               related_name="devices")
    unit = models.ForeignKey("orgs.Unit", verbose_name="使用机构", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="devices")
    status = models.CharField("状态", max_length=12, choices=DEVICE_STATUS_CHOICES, default=IN_SERVICE)
    in_service_on = models.DateField("启用日期", default=clock.today)
    retired_on = models.DateField("停用日期", null=True, blank=True)
    # Fixed monitoring devices (电子技术监控设备).
    location = models.CharField("设置地点", max_length=200, blank=True)
    region = models.ForeignKey("orgs.Region", verbose_name="所在行政区划", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    captures = models.CharField("监控事项", max_length=200, blank=True, help_text="如：机动车违反禁止标线指示、超限运输")
    legal_review_on = models.DateField("法制审核日期", null=True, blank=True)
    legal_reviewer = models.CharField("法制审核人", max_length=100, blank=True)
    legal_review_conclusion = models.CharField("法制审核结论", max_length=8, choices=REVIEW_CONCLUSION_CHOICES,
                                               blank=True)
    legal_review_file = models.ForeignKey("records.StoredFile", verbose_name="法制审核意见", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    technical_review_on = models.DateField("技术审核日期", null=True, blank=True)
    technical_reviewer = models.CharField("技术审核人（机构）", max_length=100, blank=True)
    technical_review_conclusion = models.CharField("技术审核结论", max_length=8, choices=REVIEW_CONCLUSION_CHOICES,
                                                   blank=True)
    technical_review_file = models.ForeignKey("records.StoredFile", verbose_name="技术审核（检定）报告", null=True,
                                              blank=True, on_delete=models.PROTECT, related_name="+")
    published = models.BooleanField("设置地点已向社会公布", default=False)
    published_on = models.DateField("公布日期", null=True, blank=True)
    # Personal devices (执法记录仪、执法终端): the current holder; history in DeviceIssue.
    holder = models.ForeignKey("people.Officer", verbose_name="当前领用人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="devices")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_area = "devices"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "执法装备"
        verbose_name_plural = "执法装备"
        ordering = ["agency", "kind", "serial", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "serial"], name="inspections_device_serial_per_agency"),
        ]
        indexes = [
            # the register's list order and the ratio count per agency
            models.Index(fields=["agency", "kind", "serial", "id"], name="inspections_device_list"),
            # the portal's published monitoring devices
            models.Index(fields=["kind", "published", "status"], name="inspections_device_public"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.serial}"

    def get_absolute_url(self):
        return reverse("inspections:device_detail", args=[self.pk])

    @classmethod
    def public_q(cls) -> Q:
        """Published monitoring devices in service whose two reviews passed (第四十一条)."""
        return Q(kind=MONITOR, status=IN_SERVICE, published=True, legal_review_conclusion=PASSED,
                 technical_review_conclusion=PASSED)

    @property
    def is_personal(self) -> bool:
        return self.kind in PERSONAL_KINDS

    @property
    def reviews_passed(self) -> bool:
        return self.legal_review_conclusion == PASSED and self.technical_review_conclusion == PASSED

    def in_service_at(self, when: datetime.datetime) -> bool:
        """Whether the device was registered in service on the day of ``when``."""
        day = when.date() if isinstance(when, datetime.datetime) else when
        if day < self.in_service_on:
            return False
        return self.retired_on is None or day < self.retired_on

    def record_refusals(self, when: datetime.datetime) -> list[str]:
        """Why a record this monitoring device made at ``when`` cannot be used (empty: usable).

        第四十一条: only a device that passed the legal and the technical review, and whose
        location was published, produces records an agency may use.
        """
        reasons = []
        if self.kind != MONITOR:
            reasons.append("只有电子技术监控设备的记录才作为非现场执法记录登记")
        if not self.in_service_at(when):
            reasons.append(f"设备{self.serial}在采集时不在用（启用{self.in_service_on:%Y-%m-%d}"
                           + (f"，停用{self.retired_on:%Y-%m-%d}" if self.retired_on else "") + "）")
        if self.legal_review_conclusion != PASSED or (self.legal_review_on and self.legal_review_on > when.date()):
            reasons.append(f"设备{self.serial}在采集时未通过法制审核")
        if self.technical_review_conclusion != PASSED or (
                self.technical_review_on and self.technical_review_on > when.date()):
            reasons.append(f"设备{self.serial}在采集时未通过技术审核")
        if not self.published or (self.published_on and self.published_on > when.date()):
            reasons.append(f"设备{self.serial}的设置地点在采集时未向社会公布")
        return reasons

    def holder_at(self, when: datetime.datetime):
        """The officer who held this personal device at ``when`` (from the issue history)."""
        issue = (self.issues.filter(issued_at__lte=when).filter(Q(returned_at__isnull=True) | Q(returned_at__gt=when))
                 .select_related("officer").order_by("-issued_at").first())
        return issue.officer if issue else None

    def evidence_refusals(self, case, officer, captured_at) -> list[str]:
        """Why evidence captured with this device at ``captured_at`` cannot name it (empty: it may).

        Called by ``zhifa.cases.services.add_evidence`` (duck-typed: cases does not import this
        app). Strict: the device must belong to the case's agency (or be held by the collecting
        officer) and be in service; a monitoring device must have passed both reviews and be
        published; a body camera or terminal must have been issued, at capture time, to one of
        the case's officers or to the officer who collected the evidence.
        """
        allowed = set(case.assignments.values_list("officer_id", flat=True))
        if officer is not None:
            allowed.add(officer.pk)
        return self._refusals({case.agency_id}, allowed, captured_at, "本案办案机关", "本案办案人员或采集人")

    def inspection_evidence_refusals(self, inspection, officer, captured_at) -> list[str]:
        """The same rule for evidence of an inspection (行政检查): the device belongs to an agency on its
        checklist, or a body camera or terminal was issued at capture time to one of the inspection's
        officers or to the officer who collected the evidence."""
        allowed = set(inspection.officers.values_list("pk", flat=True))
        if officer is not None:
            allowed.add(officer.pk)
        agencies = set(inspection.lines.values_list("agency_id", flat=True)) | {inspection.agency_id}
        return self._refusals(agencies, allowed, captured_at, "本次检查的执法主体", "本次检查的执法人员或采集人")

    def _refusals(self, agency_ids, allowed, captured_at, agency_label, people_label) -> list[str]:
        if self.agency_id not in agency_ids and (self.kind == MONITOR or self.holder_id not in allowed):
            return [f"登记的设备不属于{agency_label}，也未领用给{people_label}"]
        reasons = []
        if not self.in_service_at(captured_at):
            reasons.append(f"登记的设备{self.serial}在采集时不在用")
        if self.kind == MONITOR:
            reasons.extend(r for r in self.record_refusals(captured_at) if "不在用" not in r)
            return reasons
        holder = self.holder_at(captured_at)
        if holder is None:
            reasons.append(f"{self.get_kind_display()}{self.serial}在采集时未领用给任何人员")
        elif holder.pk not in allowed:
            reasons.append(f"{self.get_kind_display()}{self.serial}在采集时由{holder.name}领用，不是{people_label}")
        return reasons


class DeviceIssue(AuditedModel, ScopedModel):  # 执法记录仪、执法终端领用记录
    """One period a personal device was held by an officer (issued … returned)."""

    device = models.ForeignKey(Device, verbose_name="设备", on_delete=models.PROTECT, related_name="issues")
    officer = models.ForeignKey("people.Officer", verbose_name="领用人", on_delete=models.PROTECT,
                                related_name="device_issues")
    issued_at = models.DateTimeField("领用时间")
    returned_at = models.DateTimeField("归还时间", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT,
                                  related_name="+")

    scope_area = "devices"
    scope_paths = ("device__agency__tree_path",)

    class Meta:
        verbose_name = "装备领用记录"
        verbose_name_plural = "装备领用记录"
        ordering = ["device", "-issued_at", "-id"]
        constraints = [
            # at most one open issue per device
            models.UniqueConstraint(fields=["device"], condition=Q(returned_at__isnull=True),
                                    name="inspections_device_one_open_issue"),
        ]

    def __str__(self):
        return f"{self.device.serial} 领用人 {self.officer.name}"

    def get_absolute_url(self):
        return self.device.get_absolute_url()


class DeviceRecord(AuditedModel, ScopedModel):  # 非现场执法记录（电子技术监控记录）
    """A record captured by a monitoring device, its review, the notice to the party, the party's
    statement and the case it opened. Its steps are events of the hash-chained stream
    ``devrec:<id>`` (``zhifa.records``)."""

    number = models.CharField("记录编号", max_length=40, unique=True)
    device = models.ForeignKey(Device, verbose_name="采集设备", on_delete=models.PROTECT, related_name="records")
    agency = models.ForeignKey("orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT,
                               related_name="device_records")
    captured_at = models.DateTimeField("采集时间")
    place = models.CharField("地点", max_length=200)
    party = models.ForeignKey("parties.Party", verbose_name="当事人", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="device_records")
    party_name = models.CharField("当事人名称", max_length=200, blank=True)
    party_identifier = models.CharField("号牌号码或统一社会信用代码", max_length=40, db_index=True)
    item = models.ForeignKey("catalog.Item", verbose_name="涉嫌违法事项", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    content = models.TextField("记录内容", help_text="设备记录的违法事实，如车辆在禁停路段停放")
    files = models.ManyToManyField("records.StoredFile", verbose_name="照片、视频", related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("登记时间", default=clock.now)
    # 审核 (第四十一条第二款): 真实、清晰、完整、准确.
    status = models.CharField("审核状态", max_length=10, choices=RECORD_STATUS_CHOICES, default=PENDING)
    is_true = models.BooleanField("真实", null=True)
    is_clear = models.BooleanField("清晰", null=True)
    is_complete = models.BooleanField("完整", null=True)
    is_accurate = models.BooleanField("准确", null=True)
    review_reason = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    # 告知 (第四十一条第三款): a notice record, ready for the outbox (SMS/mail sending happens outside).
    notified_at = models.DateTimeField("告知时间", null=True, blank=True)
    notice_channel = models.CharField("告知方式", max_length=10, choices=NOTICE_CHANNEL_CHOICES, blank=True)
    notice_to = models.CharField("告知对象（手机号或地址）", max_length=200, blank=True)
    notice_text = models.TextField("告知内容", blank=True)
    access_code = models.CharField("查询码", max_length=12, blank=True, editable=False)
    # 陈述、申辩 by the party on the portal, and the agency's answer.
    statement = models.TextField("当事人陈述申辩", blank=True)
    statement_contact = models.CharField("当事人联系方式", max_length=100, blank=True)
    statement_at = models.DateTimeField("陈述申辩时间", null=True, blank=True)
    statement_answer = models.TextField("陈述申辩复核意见", blank=True)
    statement_accepted = models.BooleanField("陈述申辩成立", null=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("复核时间", null=True, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name="立案案件", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="device_records")

    scope_area = "devices"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "非现场执法记录"
        verbose_name_plural = "非现场执法记录"
        ordering = ["-captured_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-captured_at", "-id"], name="inspections_devrec_list"),
            # a supervisor's list over many agencies walks the time order and filters by agency
            models.Index(fields=["-captured_at", "-id"], name="inspections_devrec_time"),
            models.Index(fields=["status", "notified_at"], name="inspections_devrec_notice"),
        ]

    def __str__(self):
        return f"非现场执法记录 {self.number}"

    def get_absolute_url(self):
        return reverse("inspections:device_record_detail", args=[self.pk])

    @property
    def stream_key(self) -> str:
        return f"devrec:{self.pk}"

    @property
    def contested(self) -> bool:
        return bool(self.statement)
