"""How each table would be placed on a Citus cluster (分布式部署) when one PostgreSQL primary is
not enough, and whether its unique constraints and foreign keys survive that placement.

Read from the models, so ``docs/scale.md`` (whose table is this module's output, compared by a
test) stays true as the schema grows: a new model must be placed here or the test fails.

Placement:

- **distributed** by ``region_code`` — the county-level GB/T 2260 code (区县代码, the third
  segment of the organisation path ``/610000/619900/619921/…``): cases and everything hanging
  off a case, parties, the record streams of cases. A county's data is one shard group, so a
  county user's query (scope at or below a county) goes to one worker; a city or province
  supervisor's fans out in parallel.
- **distributed** by ``hash`` — stored files (content-addressed; their own colocation group).
- **reference** — small tables every query joins (organisation tree, catalog, officers, users,
  calendar, templates): a copy on every worker.
- **local** — tables written by one serial job or one global chain (audit trail, checkpoints,
  sessions, uploads in progress): a Citus local table on the coordinator.

Citus rules checked (docs: "Table Management", "Distributed data modelling"):

- a unique constraint (primary key included) of a distributed table must contain its
  distribution column: a constraint over a column that already determines the county (a
  foreign key to a county's row, an agency, a case …) keeps its meaning once ``region_code``
  is added; any other constraint would silently become "unique per county" — flagged;
- a foreign key between two distributed tables must include the distribution column on both
  sides and join co-located tables (a composite key ``(region_code, x_id)``);
- a distributed table may reference a reference table; a reference or local table may not
  reference a distributed one; tables in different colocation groups cannot reference each
  other — flagged (the database constraint is then dropped, the application keeps the rule).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

REGION_KEY = "region_code"

#: models distributed by the county code; the rest of an app is reference unless listed
DISTRIBUTED_BY_REGION = {
    "cases.*", "parties.Party", "parties.CreditRating", "records.Stream", "records.Event", "records.AccessLog",
    "review.MajorFlag", "review.Review", "review.ReviewFinding", "review.ReviewAnswer",
    "review.CollectiveDiscussion", "publicity.*",
    # supervision of cases and agencies (alerts, actions, evaluations, cockpit aggregates)
    "supervision.Alert", "supervision.SupervisionAction", "supervision.Campaign", "supervision.CampaignLink",
    "supervision.ProblemList", "supervision.ProblemItem", "supervision.EvaluationPlan", "supervision.CaseEvaluation",
    "supervision.Finding", "supervision.ReEvaluationRequest", "supervision.EvaluationNotice",
    "supervision.AgencyMonthStat", "supervision.CockpitDirty",
    # what lower-level instances pushed: the source's region is the county's
    "exchange.Source", "exchange.InboundEvent", "exchange.MirroredCase",
    # the transfer of a suspected crime belongs to its case
    "coordination.CriminalTransfer",
    # grid dispatch: a county's tasks and patrol reports (the grids themselves are few: reference)
    "coordination.DispatchTask", "coordination.GridReport",
    # transfers between agencies, jurisdiction disputes and clue referrals belong to their case
    # (an accepted transfer moves the case to another county: its rows follow the new agency)
    "coordination.CaseTransfer", "coordination.JurisdictionDispute", "coordination.ClueReferral",
    # 双随机 (inspections, draws part): rows that point at a county's parties
    "inspections.ConflictDeclaration", "inspections.DrawPairing",
    # the inspection act (行政检查): inspections of a county's enterprises and what hangs off them
    "inspections.Inspection", "inspections.InspectionChecklistLine", "inspections.SupervisionCode",
    "inspections.InspectionEvaluation", "inspections.InspectionEvidence", "inspections.InspectionDocument",
    # the 三项制度 assessment of an agency or region and the task ledgers of a region's plans
    "supervision.Assessment", "supervision.AssessmentItem", "supervision.AssessmentEvidence",
    "supervision.WorkPlan", "supervision.LedgerTask",
    "supervision.ProgressReport",
    # non-site records (非现场执法记录) belong to a county's agency and open its cases
    "inspections.DeviceRecord",
    # complaints and their complainants (投诉举报) belong to the county where the matter happened
    "supervision.Complaint", "supervision.Complainant",
    # 掌上执法: what a phone captured for a county's case
    "mobile.Capture",
    # a signature printed on a case document (文书签名) belongs to its case (also matched by "cases.*")
    "cases.DocumentSignature",
    # 掌上执法: numbers of a county agency's on-the-spot series reserved for a phone, and the party's
    # one-time download links of a county's decisions
    "mobile.ReservedNumber", "mobile.DocumentLink",
}
DISTRIBUTED_BY_HASH = {"records.StoredFile", "records.FileVerification"}
LOCAL = {
    "core.ChangeLog", "sessions.Session", "records.Upload", "records.Checkpoint", "records.CheckpointHead",
    "records.CheckpointPush", "records.IntegrityCheck",
    # the outbox is written and delivered on the coordinator, beside the task queue
    "core.OutboxReceiver", "core.OutboxStream", "core.OutboxMessage", "exchange.Uplink",
    # the task queue (django-q2's broker, schedules and run records) stays on the coordinator
    "django_q.*",
    # a person's messages, reminder records and settings: written by the reminder job, read by their owner
    "workspace.*",
    # a person's exports built by a worker (数据导出任务): written by the job, read by their owner
    "core.DataExport",
}
#: reference tables (replicated to every worker)
REFERENCE = {
    "accounts.*", "auth.*", "authtoken.*", "contenttypes.*", "otp_totp.*", "otp_static.*", "orgs.*", "people.*",
    "catalog.*", "workdays.*", "documents.*", "portal.*", "statistics.*", "review.ReviewSettings",
    "review.MajorDecisionCatalog",
    "inspections.InspectionCap", "inspections.InspectionSequence",  # per agency, small
    # problem models and score sheets are small, read everywhere, edited by the supervising bureau
    "supervision.ProblemModel", "supervision.RegionSetting", "supervision.ScoreSheet", "supervision.ScoreItem",
    # 双随机 (inspections, draws part): lists, registers, plans and draws are small and read everywhere
    "inspections.InspectionListEntry", "inspections.InspectorEntry", "inspections.InspectionPlan",
    "inspections.PlanItem", "inspections.Draw", "inspections.DrawWitness",
    "supervision.Indicator",
    # the equipment register: a few devices per officer, read by evidence checks everywhere
    "inspections.Device", "inspections.DeviceIssue",
    # hotline systems and complaint deadline rules: a few rows per region, read by every intake
    "supervision.HotlineSystem", "supervision.DeadlineRule",
    # patrol grids (网格): a few per township, read by every dispatch and report
    "coordination.Grid",
}
#: a model in none of these sets is "unplaced": the test fails until it is placed here
UNPLACED = "unplaced"

#: foreign-key targets whose value fixes the county of the row that refers to them
REGION_DETERMINING = {"orgs.Agency", "orgs.Unit", "orgs.Region"}


@dataclass
class Finding:
    """One unique constraint or foreign key and what happens to it on Citus."""

    kind: str  # "unique" | "fk"
    what: str
    ok: bool
    verdict: str


@dataclass
class TablePlan:
    label: str
    table: str
    placement: str  # "distributed(region_code)", "distributed(hash)", "reference", "local"
    findings: list[Finding] = field(default_factory=list)

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if not f.ok]


def _matches(label: str, patterns: set[str]) -> bool:
    return label in patterns or f"{label.split('.')[0]}.*" in patterns


def placement(model) -> str:
    """Where ``model``'s table goes on a Citus cluster."""
    if model._meta.auto_created:  # a many-to-many table follows the model that declares it
        owner = next(f.related_model for f in model._meta.concrete_fields if f.is_relation)
        return placement(owner)
    label = model._meta.label
    if _matches(label, DISTRIBUTED_BY_REGION):
        return f"distributed({REGION_KEY})"
    if label in DISTRIBUTED_BY_HASH:
        return "distributed(hash)"
    if _matches(label, LOCAL):
        return "local"
    if _matches(label, REFERENCE):
        return "reference"
    return UNPLACED


def _unique_sets(model) -> list[tuple[tuple[str, ...], bool]]:
    """Unique column sets of ``model`` (primary key first) and whether each is partial."""
    opts = model._meta
    sets = [((opts.pk.column,), False)]
    sets += [((f.column,), False) for f in opts.concrete_fields if f.unique and not f.primary_key]
    sets += [(tuple(opts.get_field(n).column for n in names), False) for names in opts.unique_together]
    for constraint in opts.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append((tuple(opts.get_field(n).column for n in constraint.fields), constraint.condition is not None))
    return sets


def _fk_columns(model) -> dict[str, object]:
    return {f.column: f.related_model for f in model._meta.concrete_fields if f.is_relation and f.many_to_one
            or f.is_relation and f.one_to_one}


def analyse(model) -> TablePlan:
    """The plan of one model's table with its findings."""
    where = placement(model)
    plan = TablePlan(model._meta.label, model._meta.db_table, where)
    fks = _fk_columns(model)
    if where == UNPLACED:
        plan.findings.append(Finding("placement", model._meta.label, False,
                                     "未指定放置方式：在 zhifa/core/distribution.py 中归入分布表、参考表或本地表"))
        return plan
    for columns, partial in _unique_sets(model):
        what = "(" + ", ".join(columns) + ")" + ("（部分索引）" if partial else "")
        if not where.startswith("distributed"):
            plan.findings.append(Finding("unique", what, True, "不分片：约束不变"))
            continue
        if where == "distributed(hash)":
            ok = columns == ("hash",) or "hash" in columns or columns == (model._meta.pk.column,)
            verdict = "含分布列 hash" if "hash" in columns else "主键改为 (hash, id)；id 由序列生成，仍全局唯一"
            plan.findings.append(Finding("unique", what, ok, verdict))
            continue
        if columns == (model._meta.pk.column,):
            plan.findings.append(Finding("unique", what, True, f"主键改为 ({REGION_KEY}, id)；id 由序列生成，仍全局唯一"))
            continue
        determining = [c for c in columns if c in fks and (
            placement(fks[c]).startswith(f"distributed({REGION_KEY})") or fks[c]._meta.label in REGION_DETERMINING)]
        if determining:
            plan.findings.append(Finding("unique", what, True,
                                         f"加上 {REGION_KEY}：{determining[0]} 已决定所属区县，含义不变"))
        else:
            plan.findings.append(Finding("unique", what, False,
                                         f"加上 {REGION_KEY} 后只在区县内唯一：全局唯一须由应用或参考表保证"))
    for column, target in fks.items():
        target_where = placement(target)
        what = f"{column} → {target._meta.db_table}"
        if target_where == "reference":
            plan.findings.append(Finding("fk", what, True, "引用参考表：允许"))
        elif where == target_where == f"distributed({REGION_KEY})":
            plan.findings.append(Finding("fk", what, True,
                                         f"同组分片：改为复合外键 ({REGION_KEY}, {column})"))
        elif where == target_where == "local":
            plan.findings.append(Finding("fk", what, True, "同为协调节点本地表：允许"))
        elif where == "reference":
            plan.findings.append(Finding("fk", what, False, "参考表不能引用分布表或本地表：去掉数据库约束，由应用保证"))
        else:
            plan.findings.append(Finding("fk", what, False,
                                         f"{where} → {target_where} 不同分片组：去掉数据库约束（文件只增不删，由应用保证）"))
    return plan


def plans() -> list[TablePlan]:
    """Every table of the schema (many-to-many tables included), in label order."""
    seen, result = set(), []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed or model._meta.db_table in seen:
            continue
        seen.add(model._meta.db_table)
        result.append(analyse(model))
    return sorted(result, key=lambda p: p.label)


def markdown() -> str:
    """The table of ``docs/scale.md``: placement of every table, and every finding that
    needs a change before the schema can run on Citus."""
    rows = plans()
    lines = ["| table | placement | unique constraints | foreign keys | to change for Citus |",
             "|---|---|---|---|---|"]
    for plan in rows:
        uniques = sum(1 for f in plan.findings if f.kind == "unique")
        fks = sum(1 for f in plan.findings if f.kind == "fk")
        todo = "; ".join(f"{f.what}: {f.verdict}" for f in plan.problems) or "—"
        lines.append(f"| `{plan.table}` | {plan.placement} | {uniques} | {fks} | {todo} |")
    total = sum(len(p.findings) for p in rows)
    problems = sum(len(p.problems) for p in rows)
    by_kind = {}
    for plan in rows:
        by_kind[plan.placement] = by_kind.get(plan.placement, 0) + 1
    summary = "，".join(f"{kind} {count} 张" for kind, count in sorted(by_kind.items()))
    lines.append("")
    lines.append(f"共 {len(rows)} 张表（{summary}）；检查了 {total} 个唯一约束和外键，其中 {problems} 个需要改动。")
    return "\n".join(lines) + "\n"
