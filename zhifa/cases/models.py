"""Cases (案件) and what is recorded on them.

The case's state is in ``Case``; every action on it is also an event in the hash-chained
record (``zhifa.records``, stream ``case:<id>``), written by ``zhifa.cases.services`` — the
only code that changes a case. Which stage follows which, who may move it and what must
exist first is defined once in ``zhifa.cases.procedures``.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection, models
from django.db.models.lookups import In
from django.urls import reverse

from zhifa.core import clock, numbers
from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedModel, ids_under
from zhifa.documents.models import GeneratedDocument

from . import choices

SEARCHED_FIELDS = {"number", "cause", "party"}
SEARCH_SEPARATOR = "\x1f"  # between the searched fields, so a query never matches across two
# What a list row reads (the HTML card and the API's CaseListSerializer): a page loads these
# columns only, not the texts, JSON findings and the party's encrypted numbers (issue #14).
LIST_FIELDS = (
    "id", "number", "procedure", "stage", "agency", "unit", "item", "party", "cause", "registered_on", "filed_on",
    "decided_on", "closed_on", "archived_on", "next_deadline", "next_deadline_label", "within_benchmark",
    "agency__name", "agency__short_name", "party__name",
)


def search_text_for(number: str, cause: str, party_name: str) -> str:
    """The lower-cased text ``?q=`` searches in: case number, cause and party name."""
    return SEARCH_SEPARATOR.join((number or "", cause or "", party_name or "")).lower()


class UnindexedWhenOrdered(models.Func):
    """A column written ``col + 0`` on SQLite when the query is ordered (a list page), plain
    otherwise (issue #14, SQLite 的索引选择).

    A page of several agencies' cases must walk ``cases_case_newest`` and stop after its rows, so
    the agency index is kept out of its reach; but the list's capped count (``COUNT(*)`` over at
    most 1,001 rows, no order) then scanned the whole table until it met 1,001 matches — 360,000
    rows, 3.2 s, for a county's common word at 1M cases. Unordered, the agency index reads only the
    scope's cases."""

    arity = 1

    def __init__(self, expression, **extra):
        super().__init__(expression, output_field=models.BigIntegerField(), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        query = compiler.query
        ordered = bool(query.order_by) or bool(query.default_ordering and query.get_meta().ordering)
        return (f"({sql} + 0)", params) if ordered else (sql, params)


class Case(AuditedModel, ScopedModel):
    """An enforcement case (行政处罚案件) under the general or the simple procedure."""

    number = models.CharField("案号", max_length=60, blank=True, db_index=True)
    procedure = models.CharField("程序", max_length=10, choices=choices.PROCEDURE_CHOICES, default=choices.GENERAL)
    stage = models.CharField("环节", max_length=20, db_index=True)
    agency = models.ForeignKey("orgs.Agency", verbose_name="办案机关", on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="承办机构", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    item = models.ForeignKey("catalog.Item", verbose_name="执法事项", on_delete=models.PROTECT, related_name="cases")
    item_version = models.ForeignKey(
        "catalog.ItemVersion", verbose_name="适用事项版本", null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases", help_text="违法行为发生时有效的事项版本（处罚法第三十七条）。",
    )
    party = models.ForeignKey("parties.Party", verbose_name="当事人", on_delete=models.PROTECT, related_name="cases")
    cause = models.CharField("案由", max_length=200)
    source = models.CharField("案件来源", max_length=12, choices=choices.SOURCE_CHOICES, default="inspection")
    occurred_on = models.DateField("违法行为发生日期")
    place = models.CharField("发生地点", max_length=200)
    facts = models.TextField("违法事实", blank=True)

    registered_on = models.DateField("线索登记日期", default=clock.today)
    filed_on = models.DateField("立案日期", null=True, blank=True)
    notice_served_on = models.DateField("告知书送达日期", null=True, blank=True)
    statement_deadline = models.DateField("陈述申辩及听证申请期限", null=True, blank=True)
    rights_waived = models.BooleanField("当事人明确放弃陈述申辩和听证", default=False)
    hearing_right = models.BooleanField("享有听证权利", default=False)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    outcome = models.CharField("处理结果", max_length=12, choices=choices.OUTCOME_CHOICES, blank=True)
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=14, choices=choices.SERVICE_METHOD_CHOICES, blank=True)
    service_recipient = models.CharField("受送达人", max_length=100, blank=True)
    payment_due_on = models.DateField("缴款期限", null=True, blank=True)
    executed_on = models.DateField("执行完毕日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    extension_days = models.PositiveIntegerField("经批准延长的办案天数", default=0)

    # Discretion (裁量): the circumstance tier, the proposed penalty and its check.
    discretion_level = models.CharField("违法情节", max_length=10, blank=True)
    fact_tags = models.JSONField("裁量情节", default=list, blank=True)
    # 处罚法第三十三条第二款后段: "法律、行政法规另有规定的，从其规定" — where a law or an
    # administrative regulation penalises even without fault, its citation is recorded here.
    no_fault_exception = models.TextField(
        "无主观过错仍予处罚的法律、行政法规规定", blank=True,
        help_text="当事人有证据足以证明没有主观过错，但法律、行政法规另有规定的，写明该规定的名称和条款。",
    )
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_amount = models.DecimalField("没收金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    benchmark = models.ForeignKey(
        "catalog.Benchmark", verbose_name="适用裁量基准", null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases",
    )
    within_benchmark = models.BooleanField("符合裁量基准", null=True)
    benchmark_findings = models.JSONField("基准比对结果", default=list, blank=True)
    deviation_reason = models.TextField("偏离基准的书面理由", blank=True)
    discretion_reasoning = models.TextField("裁量说理", blank=True)
    education_record = models.TextField("教育记录（不予处罚时必填）", blank=True)
    certificate_shown = models.BooleanField("已出示执法证件", default=False)
    party_heard = models.BooleanField("已告知当事人并听取陈述申辩（当场处罚）", default=False)

    next_deadline = models.DateField("下一期限", null=True, blank=True, db_index=True)
    next_deadline_label = models.CharField("下一期限事项", max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Penalties decided beside the amounts (each stated in every document that states the penalty):
    # the list of illegal property confiscated (没收非法财物清单) and the period of a suspension,
    # business suspension or occupational ban (暂扣许可证件、责令停产停业、限制从业等的期限).
    confiscated_property = models.TextField("没收非法财物清单", blank=True)
    penalty_period = models.CharField("暂扣、停产停业或限制的期限", max_length=60, blank=True)
    # Penalties other than money are executed by their own acts (收缴许可证件、查封停业、
    # 无害化处理没收物品…): recorded once, stated in the closing report.
    other_execution = models.TextField("其他处罚种类的执行情况", blank=True)
    other_executed_on = models.DateField("其他处罚种类执行日期", null=True, blank=True)
    # Limitation (追责时效, 处罚法第三十六条): the period runs from the act or, for a continuing act
    # (连续或者继续状态), from the day it ended; five years instead of two where the violation involves
    # citizens' life, health and safety or financial security and had harmful consequences.
    violation_ended_on = models.DateField("违法行为终了日期", null=True, blank=True,
                                          help_text="违法行为有连续或者继续状态的，填写行为终了之日。")
    violation_continuing = models.BooleanField("违法行为仍在持续", default=False)
    grave_safety_harm = models.BooleanField("涉及公民生命健康安全、金融安全且有危害后果", default=False)
    # Stored dates counted before their year's holidays were entered (e.g. ["statement_deadline"]):
    # shown as 待确认 and recounted when an administrator enters the year (workdays.recount).
    provisional_dates = models.JSONField("按未录入节假日暂算的日期", default=list, blank=True)
    # The list search (列表检索) reads one column: number, cause and the party's name, lower-cased
    # (``search_text_for``), kept by ``save`` and by a party's rename (cases.signals); on
    # PostgreSQL a pg_trgm GIN index serves ``LIKE '%q%'`` on it (migration 0006).
    search_text = models.TextField("检索文本", blank=True, default="", editable=False)

    scope_area = "cases"
    scope_paths = ("agency__tree_path",)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "stage"]),
            models.Index(fields=["unit", "next_deadline"]),
            # The list order (newest first) for wide scopes, and per agency for narrow ones:
            # a page is read in index order and stops after its rows (issue #14).
            models.Index(fields=["-registered_on", "-id"], name="cases_case_newest"),
            models.Index(fields=["agency", "-registered_on", "-id"], name="cases_case_agency_newest"),
            # The supervisor's cockpit lists (驾驶舱下钻) read decided cases newest decision first,
            # for a scope or one agency (zhifa.supervision.cockpit.services.drill_rows).
            models.Index(fields=["-decided_on", "-id"], name="cases_case_decided"),
            models.Index(fields=["agency", "-decided_on", "-id"], name="cases_case_agency_decided"),
            # The desk's "偏离裁量基准" alert counts the open cases in reach whose penalty is
            # outside the benchmark (cases.dashboard.case_alerts): a few, found here, instead of a
            # pass over every open case (328 ms for a city supervisor at 1M cases on SQLite).
            models.Index(fields=["agency"], name="cases_case_open_deviating",
                         condition=models.Q(within_benchmark=False, closed_on__isnull=True, archived_on__isnull=True)),
            # Open cases only, by agency and deadline: the desk's "办理中案件" and overdue counts,
            # the dashboard's workload and the overdue page read the cases still being handled —
            # a number that follows the year's workload — not every case ever registered in reach
            # (the city supervisor's desk count: 0.45 s at 1M cases on SQLite, 75 ms from here).
            models.Index(fields=["agency", "next_deadline"], name="cases_case_open",
                         condition=models.Q(closed_on__isnull=True, archived_on__isnull=True)),
        ]

    def __str__(self):
        return f"{self.number or '（未立案）'} {self.cause}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SEARCHED_FIELDS.intersection(update_fields):
            self.search_text = search_text_for(self.number, self.cause, self._party_name())
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cases:case_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, path: str):
        """Cases of the agencies under ``path``, as a list of agency ids.

        The ids are read first from the small agency table, so the planner sees constants:
        one agency becomes ``agency_id = N`` (read in the order of ``cases_case_agency_newest``),
        several a short list it checks while walking ``cases_case_newest`` — a page of a
        scoped list stops after its rows instead of collecting and sorting every case in
        scope (issue #14). A scope of more agencies than ``SCOPE_ID_LIST_MAX`` keeps the
        subquery (such a scope is most of the table: the walk finds its rows at once).
        """
        from zhifa.orgs.models import Agency

        ids = ids_under(Agency, path)
        if ids is None:
            return super().scope_q(user, path)
        if len(ids) > 1 and connection.vendor == "sqlite":
            # SQLite's planner would read several agencies' cases through the agency index and
            # sort them all (growing with the scope); ``agency_id + 0`` cannot use that index, so
            # it walks ``cases_case_newest`` and stops after a page, as PostgreSQL does. Only in an
            # ordered query: the capped count (unordered) reads the scope through the index.
            return models.Q(In(UnindexedWhenOrdered(models.F("agency_id")), ids))
        return models.Q(agency_id__in=ids)

    def _party_name(self) -> str:
        if not self.party_id:
            return ""
        if Case.party.is_cached(self):
            return self.party.name
        from zhifa.parties.models import Party

        return Party._base_manager.filter(pk=self.party_id).values_list("name", flat=True).first() or ""

    @property
    def stream_key(self) -> str:
        """The key of this case's hash-chained record."""
        return f"case:{self.pk}"

    @property
    def is_read_only(self) -> bool:
        """Archived case files are read-only (REC-3)."""
        return self.archived_on is not None

    @property
    def is_overdue(self) -> bool:
        return bool(self.next_deadline and self.next_deadline < clock.today())

    @property
    def procedure_definition(self):
        from .procedures import procedure_for

        return procedure_for(self.procedure)

    @property
    def stage_name(self) -> str:
        return self.procedure_definition.stage(self.stage).name

    def lead_officer(self):
        for assignment in self.assignments.all():
            if assignment.role == "lead":
                return assignment.officer
        return None


class CaseOfficer(models.Model):
    """An officer handling a case (办案人员)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    officer = models.ForeignKey("people.Officer", verbose_name="执法人员", on_delete=models.PROTECT, related_name="case_assignments")
    role = models.CharField("角色", max_length=10, choices=choices.OFFICER_ROLE_CHOICES, default="assistant")
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)

    class Meta:
        verbose_name = "办案人员"
        verbose_name_plural = "办案人员"
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="cases_officer_once_per_case")]

    def __str__(self):
        return f"{self.officer.name}（{self.get_role_display()}）"


class Evidence(models.Model):
    """A piece of evidence (证据), most often a photo or an audio/video recording (音像记录),
    stored content-addressed in ``records.StoredFile`` with who, when, where and how."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    number = models.PositiveIntegerField("证据序号")
    kind = models.CharField("证据种类", max_length=20, choices=choices.EVIDENCE_KIND_CHOICES)
    title = models.CharField("证据名称", max_length=200)
    description = models.TextField("证明内容", blank=True)
    file = models.ForeignKey("records.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    device = models.CharField("采集设备", max_length=100, blank=True)
    # The registered device (执法装备登记, zhifa.inspections) that recorded it, checked against the register.
    registered_device = models.ForeignKey(
        "inspections.Device", verbose_name="登记的采集设备", null=True, blank=True, on_delete=models.PROTECT,
        related_name="evidence",
    )
    officer = models.ForeignKey(
        "people.Officer", verbose_name="采集人员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    captured_at = models.DateTimeField("采集时间")
    place_text = models.CharField("采集地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    late_upload = models.BooleanField("超过24小时上传", default=False)

    LATE_AFTER = datetime.timedelta(hours=24)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="cases_evidence_number_unique")]

    def __str__(self):
        return f"证据{self.number} {self.title}"

    @property
    def is_recording(self) -> bool:
        """An audio or video recording (音像记录), by the detected content type."""
        return (self.file.content_type or "").split("/")[0] in ("video", "audio")


class Inspection(models.Model):
    """An on-site inspection (现场检查), producing the 现场检查笔录."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="inspections")
    time = models.DateTimeField("检查时间")
    place = models.CharField("检查地点", max_length=200)
    content = models.TextField("检查内容")
    findings = models.TextField("检查情况")
    recording = models.ForeignKey(Evidence, verbose_name="音像记录", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "现场检查"
        verbose_name_plural = "现场检查"
        ordering = ["time"]

    def __str__(self):
        return f"现场检查 {self.place}"


class Interview(models.Model):
    """An interview (询问), producing the 询问笔录. Interviews in the case-handling room
    (办案场所) must be fully recorded on video (国办发〔2018〕118号)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interviews")
    interviewee = models.CharField("被询问人", max_length=100)
    time = models.DateTimeField("询问时间")
    place = models.CharField("询问地点", max_length=200)
    in_interview_room = models.BooleanField("在办案场所（询问室）进行", default=False)
    questions = models.JSONField("问答", default=list)
    recording = models.ForeignKey(Evidence, verbose_name="音像记录", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "询问"
        verbose_name_plural = "询问"
        ordering = ["time"]

    def __str__(self):
        return f"询问 {self.interviewee}"


class Statement(models.Model):
    """A point of the party's statement and defence (陈述申辩) and the agency's answer;
    the decision answers each one (说理式文书)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="statements")
    received_on = models.DateField("提出日期")
    point = models.TextField("陈述申辩意见")
    answer = models.TextField("复核意见", blank=True)
    accepted = models.BooleanField("是否采纳", null=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "陈述申辩"
        verbose_name_plural = "陈述申辩"
        ordering = ["received_on", "id"]

    def __str__(self):
        return self.point[:30]


class Hearing(models.Model):
    """A hearing (听证) requested by the party within 5 working days of the notice."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="hearing")
    requested_on = models.DateField("申请日期")
    notified_on = models.DateField("听证通知日期", null=True, blank=True)
    scheduled_for = models.DateTimeField("听证时间", null=True, blank=True)
    place = models.CharField("听证地点", max_length=200, blank=True)
    presiding = models.ForeignKey(
        "people.Officer", verbose_name="主持人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("举行日期", null=True, blank=True)
    record = models.TextField("听证笔录", blank=True)
    party_absent = models.BooleanField("当事人无正当理由未出席（视为放弃）", default=False)

    class Meta:
        verbose_name = "听证"
        verbose_name_plural = "听证"

    def __str__(self):
        return f"听证（{self.requested_on}申请）"

    @property
    def concluded(self) -> bool:
        return self.held_on is not None or self.party_absent


class Payment(models.Model):
    """A payment made by the party at the bank (罚缴分离): the system records the bank's
    reference, never money."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField("缴款日期")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    surcharge = models.DecimalField("其中加处罚款（元）", max_digits=14, decimal_places=2, default=Decimal("0"))
    bank = models.CharField("代收银行", max_length=100)
    bank_reference = models.CharField("银行缴款凭证号", max_length=60, unique=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    # What the payment pays: the party names it, or it is allocated in the stated order (the
    # fine and its surcharge first, then the confiscated illegal income); amount = the parts.
    purpose = models.CharField("缴纳款项", max_length=16, choices=choices.PAYMENT_PURPOSE_CHOICES, blank=True)
    fine_part = models.DecimalField("其中罚款（元）", max_digits=14, decimal_places=2, default=Decimal("0"))
    income_part = models.DecimalField("其中没收违法所得（元）", max_digits=14, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = "缴款记录"
        verbose_name_plural = "缴款记录"
        ordering = ["paid_on", "id"]

    def __str__(self):
        return f"{self.paid_on} {numbers.format_yuan(self.amount)}"


class CaseDocument(GeneratedDocument):
    """A generated enforcement document (执法文书), stored as DOCX and PDF and hashed into the record
    (the PDF by the job of ``zhifa.cases.documents.convert_pending_documents``)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    pdf_status = models.CharField("PDF状态", max_length=10, choices=GeneratedDocument.PDF_STATUS_CHOICES,
                                  default=GeneratedDocument.PDF_READY, db_index=True)
    template_version = models.PositiveIntegerField("模板版本", default=0)
    generated_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta(GeneratedDocument.Meta):
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"


class Extension(models.Model):
    """An approved extension of the time limit for deciding (延长办案期限)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveIntegerField("延长天数")
    reason = models.TextField("理由")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("批准日期", default=clock.today)

    class Meta:
        verbose_name = "延长办案期限"
        verbose_name_plural = "延长办案期限"

    def __str__(self):
        return f"延长{self.days}日"


class Remedy(models.Model):
    """An administrative reconsideration (行政复议) or lawsuit (行政诉讼) against the decision,
    and its result; a result that revokes or changes the decision triggers the withdrawal
    or annotation of its publication (PUB-3)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="remedies")
    kind = models.CharField("救济途径", max_length=20, choices=choices.REMEDY_KIND_CHOICES)
    body = models.CharField("复议机关或人民法院", max_length=100)
    filed_on = models.DateField("申请（起诉）日期")
    result = models.CharField("结果", max_length=20, choices=choices.REMEDY_RESULT_CHOICES, default=choices.REMEDY_PENDING)
    result_number = models.CharField("复议决定书或裁判文书文号", max_length=80, blank=True)
    decided_on = models.DateField("作出结果日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "复议诉讼"
        verbose_name_plural = "复议诉讼"
        ordering = ["filed_on", "id"]
        # The 复议诉讼纠错率 (KPI and cockpit) counts the remedies decided in a year or month:
        # read from here, remedies first, rather than every case of the region probed for one.
        indexes = [models.Index(fields=["decided_on"], name="cases_remedy_decided")]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.get_result_display()}）"

    @property
    def affects_decision(self) -> bool:
        return self.result in choices.REMEDY_RESULTS_AFFECTING_DECISION


class CaseSequence(models.Model):
    """Per agency, year and kind: the last number issued (案号、决定书文号)."""

    agency = models.ForeignKey("orgs.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year", "kind"], name="cases_sequence_unique")]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class PaymentPlan(models.Model):
    """Deferral (延期缴纳) or instalments (分期缴纳) of a fine, applied for by a party in real
    economic difficulty and approved by the agency head (处罚法第六十六条第二款). Each instalment
    has its own due date; the late surcharge runs per instalment from that date."""

    DEFERRAL = "deferral"
    INSTALMENTS = "instalments"
    KIND_CHOICES = [(DEFERRAL, "延期缴纳"), (INSTALMENTS, "分期缴纳")]

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_plans")
    kind = models.CharField("方式", max_length=12, choices=KIND_CHOICES)
    applied_on = models.DateField("当事人申请日期")
    reason = models.TextField("经济困难情况")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准负责人", on_delete=models.PROTECT,
                                    related_name="+")
    approved_on = models.DateField("批准日期", default=clock.today)

    class Meta:
        verbose_name = "延期或分期缴纳罚款"
        verbose_name_plural = "延期或分期缴纳罚款"
        ordering = ["approved_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.approved_on}批准）"


class PaymentInstalment(models.Model):
    """One part of an approved plan: the amount and the day it is due."""

    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveIntegerField("期数")
    due_on = models.DateField("缴款期限")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "分期缴款"
        verbose_name_plural = "分期缴款"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="cases_instalment_number_unique")]

    def __str__(self):
        return f"第{self.number}期 {self.due_on} {numbers.format_yuan(self.amount)}"


from .coercion.models import CoercionPower, CoerciveMeasure, Enforcement, MeasureTesting  # noqa: E402, F401  行政强制
from .signing.models import DocumentSignature  # noqa: E402, F401  文书签名
