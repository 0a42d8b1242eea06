"""The only code that changes case-file evaluations (案卷评查, SUP-2).

Sampling (抽取), reproducible by anyone who has the seed and the list of archived files:

1. The population of an agency is every case of that agency in stage ``archived`` whose
   ``archived_on`` lies in the plan's period, ordered by case id.
2. The population digest is SHA-256 over the lines ``"<agency id>:<case id>\\n"`` of all agencies
   of the plan, agencies by id, cases by id; it is recorded with the seed.
3. Each case gets the key ``HMAC-SHA256(seed, "<agency id>:<case id>")`` (hex); the sample of an
   agency is its ``n`` cases with the smallest keys, ``n = min(N, max(minimum, ceil(N × rate / 100)))``.

The same seed and population always give the same sample; another seed gives another one;
``verify_sample`` re-draws and compares. Cross-evaluation: no evaluator scores a file of their
own agency (``check_not_own_agency``), checked when assigned and again when scoring.
"""

import datetime
import hashlib
import hmac
import itertools
import math
import operator
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg

from zhifa.core import clock
from zhifa.documents.formatting import format_date
from zhifa.records.services import log_access
from zhifa.workdays.services import add_working_days

from ..models import (
    CaseEvaluation,
    EvaluationNotice,
    EvaluationPlan,
    Finding,
    ReEvaluationRequest,
    ScoreSheet,
)
from ..models.evaluation import EXCELLENT, FAIL, GOOD, PASS, POINTS, VETO

REEVALUATION_WORKING_DAYS = 10  # 广东省行政执法案卷评查办法第十二条


# ---------------------------------------------------------------------------------------
# Scores and grades
# ---------------------------------------------------------------------------------------


def grade_for(sheet: ScoreSheet, total: Decimal, failed: bool = False) -> str:
    """The grade (等次) of ``total`` on ``sheet``: 不合格 below ``pass_from`` or when an
    automatic-fail or veto item was met; 合格, 良好 from ``good_from``, 优秀 from ``excellent_from``."""
    if failed or total < sheet.pass_from:
        return FAIL
    if total >= sheet.excellent_from:
        return EXCELLENT
    if total >= sheet.good_from:
        return GOOD
    return PASS


@dataclass
class Result:
    """What a set of findings comes to on a sheet."""

    total: Decimal
    grade: str
    failed_by: list[str]


def compute_result(sheet: ScoreSheet, findings: list[dict]) -> Result:
    """Total and grade from findings ``{"item": ScoreItem, "deduction": Decimal, "triggered": bool}``:
    the sheet's full points less the deductions; a veto item met sets the total to zero (一票否决),
    an automatic-fail item met makes the grade 不合格 whatever the points (直接评为不合格)."""
    total = Decimal(sheet.total_points)
    failed_by = []
    vetoed = False
    for finding in findings:
        item = finding["item"]
        if item.kind == POINTS:
            total -= Decimal(finding.get("deduction") or 0)
        elif finding.get("triggered"):
            failed_by.append(item.title)
            vetoed = vetoed or item.kind == VETO
    total = Decimal(0) if vetoed else max(total, Decimal(0))
    return Result(total, grade_for(sheet, total, failed=bool(failed_by)), failed_by)


# ---------------------------------------------------------------------------------------
# Sampling
# ---------------------------------------------------------------------------------------


def _population_rows(plan: EvaluationPlan):
    """``(agency id, case id)`` of the archived cases of the plan's region and period, ordered
    by agency and case (both ascending)."""
    from zhifa.cases.models import Case
    from zhifa.orgs.models import Agency

    agencies = Agency._base_manager.filter(tree_path__startswith=plan.region.path)
    return (Case._base_manager.filter(agency__in=agencies.values("pk"), stage="archived",
                                      archived_on__range=(plan.archived_from, plan.archived_to))
            .order_by("agency_id", "pk").values_list("agency_id", "pk"))


def population(plan: EvaluationPlan) -> dict[int, list[int]]:
    """Archived case ids per agency id (both ascending) of the plan's region and period."""
    result: dict[int, list[int]] = {}
    for agency_id, case_id in _population_rows(plan):
        result.setdefault(agency_id, []).append(case_id)
    return result


@dataclass
class Scan:
    """One pass over a plan's population: what ``population_digest`` and ``select`` give for
    ``population(plan)``, and its size."""

    digest: str
    size: int
    chosen: list[tuple[int, int, int, str]]


def scan(plan: EvaluationPlan, seed: str) -> Scan:
    """Digest, size and sample of the plan's population in one pass over the ordered rows,
    holding one agency's case ids at a time (a province's year of archived files is millions of
    ids; ``population`` would hold them all). The same results as ``population_digest`` and
    ``select`` over ``population(plan)``."""
    digest = hashlib.sha256()
    size, chosen = 0, []
    rows = _population_rows(plan).iterator(chunk_size=10_000)
    for agency_id, group in itertools.groupby(rows, key=operator.itemgetter(0)):
        case_ids = [case_id for _agency, case_id in group]
        for case_id in case_ids:
            digest.update(f"{agency_id}:{case_id}\n".encode())
        size += len(case_ids)
        chosen += _select_one(agency_id, case_ids, seed, plan.sample_rate, plan.sample_minimum)
    return Scan(digest.hexdigest(), size, chosen)


def population_digest(pop: dict[int, list[int]]) -> str:
    """SHA-256 (hex) of ``"<agency id>:<case id>\\n"`` lines, agencies and cases ascending."""
    digest = hashlib.sha256()
    for agency_id in sorted(pop):
        for case_id in sorted(pop[agency_id]):
            digest.update(f"{agency_id}:{case_id}\n".encode())
    return digest.hexdigest()


def draw_key(seed: str, agency_id: int, case_id: int) -> str:
    """HMAC-SHA256(seed, "<agency id>:<case id>") in hex: the case's place in the draw."""
    return hmac.new(seed.encode(), f"{agency_id}:{case_id}".encode(), hashlib.sha256).hexdigest()


def sample_size(count: int, rate: Decimal, minimum: int) -> int:
    """How many of ``count`` files are drawn: the rate (percent, rounded up), at least
    ``minimum``, at most all of them."""
    return min(count, max(minimum, math.ceil(Decimal(count) * Decimal(rate) / 100)))


def select(pop: dict[int, list[int]], seed: str, rate: Decimal, minimum: int) -> list[tuple[int, int, int, str]]:
    """The sample: ``(agency id, case id, rank, key)`` ordered by agency and rank."""
    chosen = []
    for agency_id in sorted(pop):
        chosen += _select_one(agency_id, pop[agency_id], seed, rate, minimum)
    return chosen


def _select_one(agency_id: int, case_ids, seed: str, rate: Decimal, minimum: int) -> list[tuple[int, int, int, str]]:
    """One agency's part of the sample: its files with the smallest draw keys."""
    keyed = sorted((draw_key(seed, agency_id, case_id), case_id) for case_id in case_ids)
    return [(agency_id, case_id, rank, key)
            for rank, (key, case_id) in enumerate(keyed[: sample_size(len(keyed), rate, minimum)], start=1)]


def _plan_in_reach(plan, actor) -> None:
    """The plan's region lies within the actor's own region (evaluating a file or being
    evaluated does not make a plan the actor's to run)."""
    path = "" if actor.is_superuser else (actor.scope_path or None)
    if path is None or not EvaluationPlan.objects.restrict(actor, "change").filter(
            pk=plan.pk, region__path__startswith=path).exists():
        raise PermissionDenied("该评查方案不在您的管辖范围内。")


def _check_organiser(plan, actor) -> None:
    """Only a supervisor of the plan's region (or above) runs the plan."""
    if not actor.has_capability("evaluation", "change"):
        raise PermissionDenied("只有执法监督人员可以组织案卷评查。")
    _plan_in_reach(plan, actor)


@transaction.atomic
def create_plan(actor, *, region, title, sheet, archived_from, archived_to, sample_rate=Decimal(5),
                sample_minimum=3) -> EvaluationPlan:
    """A new plan (评查方案) of ``region`` (within the actor's reach), not drawn yet."""
    from zhifa.orgs.models import Region

    if not actor.has_capability("evaluation", "change"):
        raise PermissionDenied("只有执法监督人员可以组织案卷评查。")
    if not Region.objects.restrict(actor, "view").filter(pk=region.pk, path__startswith=actor.scope_path or "").exists():
        raise PermissionDenied("只能在本级及下级行政区划组织案卷评查。")
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写方案名称。"
    if archived_from > archived_to:
        errors["archived_to"] = "归档日期止不能早于归档日期自。"
    if not (Decimal(0) < Decimal(sample_rate) <= Decimal(100)):
        errors["sample_rate"] = "抽取比例应大于0且不超过100。"
    if not sheet.is_active:
        errors["sheet"] = "该评分标准已停用。"
    if errors:
        raise ValidationError(errors)
    return EvaluationPlan.objects.create(
        region=region, title=title.strip(), sheet=sheet, archived_from=archived_from, archived_to=archived_to,
        sample_rate=sample_rate, sample_minimum=sample_minimum, created_by=actor,
    )


@transaction.atomic
def draw_sample(plan: EvaluationPlan, actor, seed: str = "") -> EvaluationPlan:
    """Draw the sample (抽取案卷) with ``seed`` (a fresh random one when empty), recording the
    seed, the population digest and size; one ``CaseEvaluation`` per drawn file. Returns the plan."""
    _check_organiser(plan, actor)
    plan = EvaluationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != EvaluationPlan.DRAFT:
        raise ValidationError("该方案已抽取案卷，不能重新抽取；可用“核验抽样”复核。")
    seed = (seed or "").strip() or secrets.token_hex(16)
    drawn = scan(plan, seed)
    if not drawn.size:
        raise ValidationError("该方案的行政区划和归档期间内没有已归档案卷。")
    chosen = drawn.chosen
    plan.seed, plan.population_digest, plan.population_size = seed, drawn.digest, drawn.size
    plan.drawn_at, plan.status = clock.now(), EvaluationPlan.SAMPLED
    plan.save()
    rows = [CaseEvaluation(plan=plan, agency_id=a, case_id=c, draw_rank=rank, draw_key=key)
            for a, c, rank, key in chosen]
    for row in rows:
        row.save()
    return plan


@dataclass
class SampleCheck:
    """The outcome of re-drawing a plan's sample."""

    digest_matches: bool
    sample_matches: bool
    digest_now: str
    expected: list[tuple[int, int]]
    recorded: list[tuple[int, int]]

    @property
    def ok(self) -> bool:
        return self.digest_matches and self.sample_matches


def verify_sample(plan: EvaluationPlan) -> SampleCheck:
    """Re-draw the sample from the recorded seed over today's population and compare it with
    the recorded one (both the population digest and the drawn files)."""
    drawn = scan(plan, plan.seed)
    expected = [(a, c) for a, c, _, _ in drawn.chosen]
    recorded = list(CaseEvaluation.objects.filter(plan=plan).order_by("agency_id", "draw_rank")
                    .values_list("agency_id", "case_id"))
    return SampleCheck(drawn.digest == plan.population_digest, expected == recorded, drawn.digest, expected, recorded)


# ---------------------------------------------------------------------------------------
# Evaluators (cross-evaluation)
# ---------------------------------------------------------------------------------------


def evaluator_agency_paths(user) -> list[str]:
    """Tree paths of the agencies the user belongs to (their own agency and unit's agency)."""
    paths = []
    if user.agency_id:
        paths.append(user.agency.tree_path)
    if user.unit_id:
        paths.append(user.unit.agency.tree_path)
    return paths


def check_not_own_agency(evaluation: CaseEvaluation, evaluator) -> None:
    """Cross-evaluation (交叉评查): refuse an evaluator who belongs to the evaluated agency
    (or to an agency above it in the tree)."""
    agency_path = evaluation.agency.tree_path
    if any(agency_path.startswith(path) for path in evaluator_agency_paths(evaluator)):
        raise ValidationError({"evaluator": f"交叉评查：{evaluator}属于被评查单位{evaluation.agency}，不能评查本单位案卷。"})


@transaction.atomic
def assign_evaluator(evaluation: CaseEvaluation, evaluator, actor) -> CaseEvaluation:
    """Assign the evaluator (评查人) of one file."""
    _check_organiser(evaluation.plan, actor)
    if evaluation.plan.status != EvaluationPlan.SAMPLED:
        raise ValidationError("方案不在评查阶段，不能分配评查人。")
    if evaluation.status == CaseEvaluation.SUBMITTED:
        raise ValidationError("该案卷已评分，不能更换评查人。")
    if evaluator is None or not evaluator.is_active or not evaluator.has_capability("evaluation", "score"):
        raise ValidationError({"evaluator": "评查人须为执法监督人员或法制审核人员。"})
    check_not_own_agency(evaluation, evaluator)
    evaluation.evaluator = evaluator
    evaluation.save(update_fields=["evaluator"])
    return evaluation


@transaction.atomic
def assign_round_robin(plan: EvaluationPlan, evaluators: list, actor) -> int:
    """Assign every unassigned file of the plan to the evaluators in turn, skipping those of
    the evaluated agency; a file no evaluator may take is left unassigned. Returns how many
    were assigned."""
    _check_organiser(plan, actor)
    if not evaluators:
        raise ValidationError({"evaluators": "请选择评查人。"})
    assigned, turn = 0, 0
    for evaluation in plan.evaluations.filter(evaluator__isnull=True).select_related("agency").order_by("agency_id", "draw_rank"):
        for step in range(len(evaluators)):
            candidate = evaluators[(turn + step) % len(evaluators)]
            try:
                assign_evaluator(evaluation, candidate, actor)
            except ValidationError:
                continue
            turn += step + 1
            assigned += 1
            break
    return assigned


# ---------------------------------------------------------------------------------------
# Scoring beside the case file
# ---------------------------------------------------------------------------------------


def _check_evaluator(evaluation: CaseEvaluation, actor) -> None:
    if not actor.has_capability("evaluation", "score"):
        raise PermissionDenied("您的角色不能评查案卷。")
    if evaluation.evaluator_id != actor.pk:
        raise PermissionDenied("只有分配的评查人可以评分。")
    check_not_own_agency(evaluation, actor)


def may_open_case_file(evaluation: CaseEvaluation, user) -> bool:
    """The assigned evaluator and the supervisors of the plan's region may open the file."""
    if evaluation.evaluator_id == user.pk:
        return True
    return user.has_capability("evaluation", "change") and EvaluationPlan.objects.restrict(user, "change").filter(
        pk=evaluation.plan_id, region__path__startswith=user.scope_path or "").exists()


def open_case_file(evaluation: CaseEvaluation, user, request=None, action: str = "view") -> None:
    """Log one opening of the evaluated case file (调阅, REC-4) and count it."""
    from django.db.models import F

    if not may_open_case_file(evaluation, user):
        raise PermissionDenied("只有该案卷的评查人或组织评查的监督人员可以调阅案卷。")
    log_access(user, action, evaluation.case.stream_key, request=request)
    CaseEvaluation.objects.filter(pk=evaluation.pk).update(openings=F("openings") + 1)


def _clean_findings(sheet, entries) -> list[dict]:
    items = {item.pk: item for item in sheet.items.all()}
    cleaned, errors = [], []
    seen = set()
    for entry in entries:
        item = entry.get("item")
        item = items.get(getattr(item, "pk", item))
        if item is None:
            errors.append("评查项目不属于该评分标准。")
            continue
        if item.pk in seen:
            errors.append(f"评查项目“{item.title}”重复。")
            continue
        seen.add(item.pk)
        deduction = Decimal(entry.get("deduction") or 0)
        triggered = bool(entry.get("triggered"))
        note = (entry.get("note") or "").strip()
        if item.kind == POINTS:
            if triggered:
                errors.append(f"“{item.title}”是扣分项，不能勾选直接不合格或否决。")
            if deduction < 0 or deduction > item.points:
                errors.append(f"“{item.title}”扣分应在0至{item.points}分之间。")
        elif deduction:
            errors.append(f"“{item.title}”是{item.get_kind_display()}，不扣分，请勾选是否触发。")
        if (deduction > 0 or triggered) and not note:
            errors.append(f"“{item.title}”扣分或触发时须写明问题。")
        if deduction == 0 and not triggered:
            continue
        cleaned.append({"item": item, "deduction": deduction, "triggered": triggered, "note": note})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _write_findings(evaluation, cleaned, comment):
    result = compute_result(evaluation.plan.sheet, cleaned)
    evaluation.findings.all().delete()
    for entry in cleaned:
        Finding.objects.create(evaluation=evaluation, item=entry["item"], deduction=entry["deduction"],
                               triggered=entry["triggered"], note=entry["note"])
    evaluation.total, evaluation.grade = result.total, result.grade
    evaluation.failed_by = "；".join(result.failed_by)[:300]
    evaluation.comment = (comment or "").strip()
    return result


@transaction.atomic
def submit_score(evaluation: CaseEvaluation, actor, findings: list[dict], comment: str = "") -> CaseEvaluation:
    """Score one file (评分): findings per item (deductions with the problem described,
    automatic-fail and veto items met), the total and the grade computed from the sheet."""
    evaluation = CaseEvaluation.objects.select_for_update().select_related("plan__sheet", "agency").get(pk=evaluation.pk)
    _check_evaluator(evaluation, actor)
    if evaluation.plan.status != EvaluationPlan.SAMPLED:
        raise ValidationError("评查结果已通报，不能再修改评分；如有异议请申请复查。")
    cleaned = _clean_findings(evaluation.plan.sheet, findings)
    _write_findings(evaluation, cleaned, comment)
    evaluation.status, evaluation.submitted_at = CaseEvaluation.SUBMITTED, clock.now()
    evaluation.save()
    return evaluation


# ---------------------------------------------------------------------------------------
# Results notice, re-evaluation, rectification
# ---------------------------------------------------------------------------------------


def notice_summary(plan: EvaluationPlan, agency, evaluations) -> str:
    """The text of an agency's results notice."""
    lines = [f"根据《{plan.title}》，对{agency.name}{format_date(plan.archived_from)}至{format_date(plan.archived_to)}"
             f"归档的行政执法案卷随机抽取{len(evaluations)}件进行评查，结果如下："]
    for number, ev in enumerate(evaluations, start=1):
        lines.append(f"{number}. {ev.case.number or ev.case.cause}：{ev.total}分，{ev.get_grade_display()}"
                     + (f"（{ev.failed_by}）" if ev.failed_by else ""))
        for finding in ev.findings.all():
            lines.append(f"   —{finding.item.title}：{finding.note}"
                         + (f"（扣{finding.deduction}分）" if finding.deduction else ""))
    lines.append(f"请于收到本通报之日起对发现的问题逐项整改并报告整改情况；对评查结果有异议的，可以在"
                 f"{REEVALUATION_WORKING_DAYS}个工作日内申请复查。")
    return "\n".join(lines)


@transaction.atomic
def finish_plan(plan: EvaluationPlan, actor, issued_on: datetime.date | None = None) -> list[EvaluationNotice]:
    """Issue the results (通报): one notice per evaluated agency; the evaluated agencies then
    see their files' scores and findings, may ask for re-evaluation and report rectification."""
    _check_organiser(plan, actor)
    plan = EvaluationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != EvaluationPlan.SAMPLED:
        raise ValidationError("只有评查中的方案可以通报结果。")
    unscored = plan.evaluations.exclude(status=CaseEvaluation.SUBMITTED).count()
    if unscored:
        raise ValidationError(f"还有{unscored}件案卷未评分，不能通报结果。")
    issued_on = issued_on or clock.today()
    plan.status, plan.results_issued_on = EvaluationPlan.FINISHED, issued_on
    plan.save()
    notices = []
    evaluations = (plan.evaluations.select_related("case", "agency").prefetch_related("findings__item")
                   .order_by("agency__name", "draw_rank"))
    by_agency: dict = {}
    for ev in evaluations:
        by_agency.setdefault(ev.agency, []).append(ev)
    for index, (agency, rows) in enumerate(by_agency.items(), start=1):
        average = sum((ev.total for ev in rows), Decimal(0)) / len(rows)
        notices.append(EvaluationNotice.objects.create(
            plan=plan, agency=agency, number=f"评查通报〔{issued_on.year}〕{plan.pk}-{index}号", issued_on=issued_on,
            average=average.quantize(Decimal("0.1")), summary=notice_summary(plan, agency, rows),
        ))
    return notices


def reevaluation_deadline(plan: EvaluationPlan) -> datetime.date:
    """The last day to ask for re-evaluation: 10 working days after the results notice."""
    return add_working_days(plan.results_issued_on, REEVALUATION_WORKING_DAYS)


def _check_agency_side(evaluation: CaseEvaluation, actor) -> None:
    if not actor.has_capability("evaluation", "rectify"):
        raise PermissionDenied("只有被评查单位的负责人或法制审核人员可以办理。")
    path = actor.scope_path or ""
    if not actor.is_superuser and not (path and evaluation.agency.tree_path.startswith(path)):
        raise PermissionDenied("只能办理本单位的评查结果。")
    if evaluation.plan.status != EvaluationPlan.FINISHED:
        raise ValidationError("评查结果尚未通报。")


@transaction.atomic
def request_reevaluation(evaluation: CaseEvaluation, actor, reason: str,
                         on: datetime.date | None = None) -> ReEvaluationRequest:
    """The evaluated agency asks for re-evaluation (申请复查) within 10 working days of the notice."""
    _check_agency_side(evaluation, actor)
    on = on or clock.today()
    deadline = reevaluation_deadline(evaluation.plan)
    if on > deadline:
        raise ValidationError(f"复查申请期限已于{format_date(deadline)}届满（结果通报之日起{REEVALUATION_WORKING_DAYS}个工作日），"
                              "不能再申请复查。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明申请复查的理由。"})
    if evaluation.reevaluations.filter(status=ReEvaluationRequest.PENDING).exists():
        raise ValidationError("该案卷已有待复查的申请。")
    return ReEvaluationRequest.objects.create(evaluation=evaluation, requested_by=actor, requested_on=on,
                                              deadline=deadline, reason=reason.strip(),
                                              previous_total=evaluation.total)


@transaction.atomic
def decide_reevaluation(request: ReEvaluationRequest, actor, decision: str,
                        findings: list[dict] | None = None) -> ReEvaluationRequest:
    """The organiser decides a re-evaluation: keeps the result (no ``findings``) or re-scores the
    file with ``findings``; the agency's notice average follows."""
    evaluation = request.evaluation
    _check_organiser(evaluation.plan, actor)
    if request.status != ReEvaluationRequest.PENDING:
        raise ValidationError("该复查申请已办结。")
    if not (decision or "").strip():
        raise ValidationError({"decision": "请填写复查意见。"})
    if findings is not None:
        cleaned = _clean_findings(evaluation.plan.sheet, findings)
        _write_findings(evaluation, cleaned, evaluation.comment)
        evaluation.save()
        request.status = ReEvaluationRequest.CHANGED
        average = evaluation.plan.evaluations.filter(agency=evaluation.agency).aggregate(a=Avg("total"))["a"]
        EvaluationNotice.objects.filter(plan=evaluation.plan, agency=evaluation.agency).update(
            average=Decimal(average).quantize(Decimal("0.1")))
    else:
        request.status = ReEvaluationRequest.UPHELD
    request.decision, request.decided_by, request.decided_at = decision.strip(), actor, clock.now()
    request.save()
    return request


@transaction.atomic
def report_rectification(finding: Finding, actor, report: str) -> Finding:
    """The evaluated agency reports how it rectified a finding (整改情况)."""
    finding = Finding.objects.select_for_update().select_related("evaluation__plan", "evaluation__agency").get(pk=finding.pk)
    _check_agency_side(finding.evaluation, actor)
    if finding.rectification == Finding.ACCEPTED:
        raise ValidationError("该问题的整改已确认。")
    if not (report or "").strip():
        raise ValidationError({"report": "请填写整改情况。"})
    finding.rectification, finding.rectification_report = Finding.REPORTED, report.strip()
    finding.reported_at = clock.now()
    finding.save()
    return finding


@transaction.atomic
def accept_rectification(finding: Finding, actor) -> Finding:
    """The organiser confirms a reported rectification (整改确认)."""
    finding = Finding.objects.select_for_update().select_related("evaluation__plan").get(pk=finding.pk)
    _check_organiser(finding.evaluation.plan, actor)
    if finding.rectification != Finding.REPORTED:
        raise ValidationError("单位尚未报告整改情况。")
    finding.rectification, finding.accepted_at = Finding.ACCEPTED, clock.now()
    finding.save()
    return finding


def agency_scores(plans_qs) -> dict[int, Decimal]:
    """Average score per agency over the submitted evaluations of the given plans."""
    rows = (CaseEvaluation.objects.filter(plan__in=plans_qs, status=CaseEvaluation.SUBMITTED)
            .values("agency_id").annotate(avg=Avg("total")))
    return {row["agency_id"]: Decimal(row["avg"]).quantize(Decimal("0.1")) for row in rows}

