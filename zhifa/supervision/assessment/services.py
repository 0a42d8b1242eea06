"""The only code that changes 三项制度 assessments (年度考评, SUP-5).

Who does what:

- a supervisor (执法监督人员) creates the assessment of an agency in their region, or of a region
  strictly below their own (a county is assessed by its city), recomputes it while it is a draft,
  scores every indicator with reasons and publishes the result;
- the assessed side self-assesses (自评): for an agency its heads and legal reviewers, for a region
  the supervisors of that region itself — a score and a note per indicator, evidence files
  (stored content-addressed through ``zhifa.records``), then submits;
- every write is audited (``AuditedModel``); multi-step changes are one transaction.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from zhifa.core import clock
from zhifa.core.scoping import ensure_in_scope

from ..models import Assessment, AssessmentEvidence, AssessmentItem, Indicator
from ..models.assessment import COMPUTED, EVIDENCED
from . import indicators

AGREED_REASON = "与平台计算结果一致。"


# ---------------------------------------------------------------------------------------
# Who may act
# ---------------------------------------------------------------------------------------


def _scope(actor) -> str | None:
    return "" if actor.is_superuser else actor.scope_path


def _check_supervisor(actor, path: str, *, strictly_above: bool = False) -> None:
    """The actor supervises ``path`` (an agency's or region's tree path)."""
    scope = _scope(actor)
    if not actor.has_capability("assessment", "change") or scope is None:
        raise PermissionDenied("只有执法监督人员可以组织考评和评分。")
    if not path.startswith(scope) or (strictly_above and path == scope and not actor.is_superuser):
        raise PermissionDenied("只能考评本级监督范围内的执法主体或下级行政区划。")


def may_supervise(assessment: Assessment, actor) -> bool:
    try:
        _check_supervisor(actor, assessment.subject_path, strictly_above=assessment.region_id is not None)
    except PermissionDenied:
        return False
    return True


def _check_self(assessment: Assessment, actor) -> None:
    """The actor speaks for the assessed agency (its heads, legal reviewers) or region (its own
    supervisors)."""
    scope = _scope(actor)
    if not actor.has_capability("assessment", "self") or scope is None:
        raise PermissionDenied("您的角色不能填报自评。")
    if assessment.agency_id:
        ok = bool(scope) and scope.startswith(assessment.agency.tree_path) and actor.role != "supervisor"
    else:
        ok = actor.role == "supervisor" and scope == assessment.region.path
    if not ok and not actor.is_superuser:
        raise PermissionDenied("只有被考评单位可以填报自评。")


def may_self_assess(assessment: Assessment, actor) -> bool:
    try:
        _check_self(assessment, actor)
    except PermissionDenied:
        return False
    return True


# ---------------------------------------------------------------------------------------
# Creating and computing
# ---------------------------------------------------------------------------------------


def subject_for(assessment: Assessment) -> indicators.Subject:
    """The agencies the assessment's indicators are computed over: the agency and the bodies
    below it, or every agency of the region (supervision agencies excluded)."""
    from zhifa.orgs.models import Agency

    path = assessment.subject_path
    ids = list(Agency._base_manager.filter(tree_path__startswith=path).exclude(kind="supervision")
               .order_by("pk").values_list("pk", flat=True))
    return indicators.Subject(ids, assessment.year, assessment.subject_name)


def _fill_items(assessment: Assessment, actor=None) -> None:
    """Compute every computed indicator into its item. A new assessment's 170 items are inserted
    in one statement and written to the audit trail together; a recomputation saves each item."""
    from zhifa.core.audit import acting_as, log_bulk_create

    subject = subject_for(assessment)
    existing = {item.indicator_id: item for item in assessment.items.all()}
    new = []
    for indicator in Indicator.objects.order_by("number"):
        item = existing.get(indicator.pk) or AssessmentItem(assessment=assessment, indicator=indicator)
        if indicator.number in indicators.REGISTRY:
            definition = indicators.REGISTRY[indicator.number]
            outcome = definition.function(subject, indicator.points)
            item.method, item.rule = COMPUTED, definition.rule
            item.figure, item.computed_score = outcome.figure[:200], outcome.score
            item.basis, item.basis_count = outcome.rows, outcome.count
        else:
            item.method = EVIDENCED
        if item.pk:
            item.save()
        else:
            new.append(item)
    if new:
        created = AssessmentItem.objects.bulk_create(new)
        with acting_as(actor):
            log_bulk_create(created, note="建立年度考评")
    assessment.computed_at = clock.now()


@transaction.atomic
def create_assessment(actor, *, year: int, agency=None, region=None) -> Assessment:
    """A new assessment of ``agency`` or ``region`` for ``year``, computed at once."""
    if (agency is None) == (region is None):
        raise ValidationError("请选择被考评的执法主体或行政区划（二选一）。")
    if not (2000 <= int(year) <= clock.today().year):
        raise ValidationError({"year": "考评年度应在2000年至今年之间。"})
    path = agency.tree_path if agency is not None else region.path
    _check_supervisor(actor, path, strictly_above=region is not None)
    if agency is not None and agency.kind == "supervision":
        raise ValidationError({"agency": "司法行政部门不是被考评的执法主体。"})
    duplicate = Assessment.objects.filter(year=year, agency=agency) if agency else Assessment.objects.filter(
        year=year, region=region)
    if duplicate.exists():
        raise ValidationError(f"{(agency or region).name}{year}年度的考评已经建立。")
    assessment = Assessment.objects.create(year=year, agency=agency, region=region, created_by=actor)
    ensure_in_scope(assessment, actor, "view")
    _fill_items(assessment, actor)
    assessment.save(update_fields=["computed_at"])
    return assessment


@transaction.atomic
def recompute(assessment: Assessment, actor) -> Assessment:
    """Recompute the computed indicators from today's data (before scoring)."""
    assessment = _locked(assessment)
    _check_supervisor(actor, assessment.subject_path, strictly_above=assessment.region_id is not None)
    if assessment.status not in (Assessment.DRAFT, Assessment.SELF_ASSESSED):
        raise ValidationError("已评分的考评不能重新计算。")
    _fill_items(assessment)
    assessment.save(update_fields=["computed_at"])
    return assessment


# ---------------------------------------------------------------------------------------
# Self-assessment
# ---------------------------------------------------------------------------------------


def _score(value, indicator: Indicator, field: str) -> Decimal:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: "请填写数字分值。"}) from None
    if score < 0 or score > indicator.points:
        raise ValidationError({field: f"分值应在0至{indicator.points}分之间。"})
    return score


def _lock(item: AssessmentItem) -> AssessmentItem:
    return AssessmentItem.objects.select_for_update(of=("self",)).select_related("assessment__agency", "assessment__region",
                                                                      "indicator").get(pk=item.pk)


@transaction.atomic
def self_assess_item(item: AssessmentItem, actor, *, score, note: str = "") -> AssessmentItem:
    """The assessed side's score and note for one indicator (while the assessment is a draft)."""
    item = _lock(item)
    _check_self(item.assessment, actor)
    if item.assessment.status != Assessment.DRAFT:
        raise ValidationError("自评已提交，不能修改。")
    item.self_score = _score(score, item.indicator, "score")
    item.self_note = (note or "").strip()
    item.save()
    return item


@transaction.atomic
def add_evidence(item: AssessmentItem, actor, fileobj, name: str, note: str = "") -> AssessmentEvidence:
    """Attach an evidence file (佐证材料) to one indicator; stored through ``zhifa.records``."""
    from zhifa.records.services import store_file

    item = _lock(item)
    _check_self(item.assessment, actor)
    if item.assessment.status != Assessment.DRAFT:
        raise ValidationError("自评已提交，不能再上传佐证材料。")
    return attach_evidence(item, actor, store_file(fileobj, name), note)


@transaction.atomic
def attach_evidence(item: AssessmentItem, actor, stored, note: str = "") -> AssessmentEvidence:
    """Attach an already stored file (an upload of the actor's, through the records API) as evidence."""
    item = _lock(item)
    _check_self(item.assessment, actor)
    if item.assessment.status != Assessment.DRAFT:
        raise ValidationError("自评已提交，不能再上传佐证材料。")
    return AssessmentEvidence.objects.create(item=item, file=stored, note=(note or "").strip()[:200], uploaded_by=actor)


@transaction.atomic
def submit_self_assessment(assessment: Assessment, actor, note: str = "") -> Assessment:
    """Submit the self-assessment: every indicator needs a self score; computed indicators without
    one take their computed score."""
    assessment = _locked(assessment)
    _check_self(assessment, actor)
    if assessment.status != Assessment.DRAFT:
        raise ValidationError("自评已提交。")
    for item in assessment.items.filter(method=COMPUTED, self_score__isnull=True, computed_score__isnull=False):
        item.self_score = item.computed_score
        item.save()
    missing = list(assessment.items.filter(self_score__isnull=True).order_by("indicator__number")
                   .values_list("indicator__number", flat=True))
    if missing:
        shown = "、".join(str(n) for n in missing[:10]) + ("等" if len(missing) > 10 else "")
        raise ValidationError(f"还有{len(missing)}项指标未自评（序号{shown}）。")
    assessment.self_total = _total(assessment.items, "self_score")
    assessment.self_note = (note or "").strip()
    assessment.status, assessment.self_assessed_at, assessment.self_assessed_by = (
        Assessment.SELF_ASSESSED, clock.now(), actor)
    assessment.save()
    return assessment


# ---------------------------------------------------------------------------------------
# Supervisor scoring and publication
# ---------------------------------------------------------------------------------------


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update(of=("self",)).select_related("agency", "region").get(pk=assessment.pk)


def _total(queryset, field: str) -> Decimal:
    return Decimal(queryset.aggregate(t=Sum(field))["t"] or 0).quantize(Decimal("0.01"))


def _check_scoring(assessment: Assessment, actor) -> None:
    _check_supervisor(actor, assessment.subject_path, strictly_above=assessment.region_id is not None)
    if assessment.status != Assessment.SELF_ASSESSED:
        raise ValidationError("只有已提交自评、尚未完成评分的考评可以评分。")


@transaction.atomic
def score_item(item: AssessmentItem, actor, *, score, reason: str = "") -> AssessmentItem:
    """The supervisor's score of one indicator. A reason is required unless the score equals the
    computed score (the reason then records the agreement)."""
    item = _lock(item)
    _check_scoring(item.assessment, actor)
    score = _score(score, item.indicator, "score")
    reason = (reason or "").strip()
    if not reason:
        if item.computed_score is not None and score == item.computed_score:
            reason = AGREED_REASON
        else:
            raise ValidationError({"reason": "请写明评分理由。"})
    item.final_score, item.reason = score, reason
    item.save()
    return item


@transaction.atomic
def adopt_computed_scores(assessment: Assessment, actor) -> int:
    """Score every computed indicator that has a computed score and no score yet with that score."""
    assessment = _locked(assessment)
    _check_scoring(assessment, actor)
    count = 0
    for item in assessment.items.filter(method=COMPUTED, computed_score__isnull=False, final_score__isnull=True):
        item.final_score, item.reason = item.computed_score, AGREED_REASON
        item.save()
        count += 1
    return count


@transaction.atomic
def finish_scoring(assessment: Assessment, actor) -> Assessment:
    """Close the scoring once every indicator is scored; the total is the sum of the scores."""
    assessment = _locked(assessment)
    _check_scoring(assessment, actor)
    missing = assessment.items.filter(final_score__isnull=True).count()
    if missing:
        raise ValidationError(f"还有{missing}项指标未评分。")
    assessment.final_total = _total(assessment.items, "final_score")
    assessment.status, assessment.scored_at, assessment.scored_by = Assessment.SCORED, clock.now(), actor
    assessment.save()
    return assessment


@transaction.atomic
def publish(assessment: Assessment, actor) -> Assessment:
    """Publish the result (公布考评结果); the assessed side then sees the scores and reasons."""
    assessment = _locked(assessment)
    _check_supervisor(actor, assessment.subject_path, strictly_above=assessment.region_id is not None)
    if assessment.status != Assessment.SCORED:
        raise ValidationError("只有已完成评分的考评可以公布。")
    assessment.status, assessment.published_on = Assessment.PUBLISHED, clock.today()
    assessment.save()
    return assessment


def summary(assessment: Assessment) -> list[dict]:
    """Points, self and final scores per level-1 heading, in the order of the indicator system."""
    rows: dict[str, dict] = {}
    for item in assessment.items.select_related("indicator").order_by("indicator__number"):
        ind = item.indicator
        row = rows.setdefault(ind.level1, {"level1": ind.level1, "points": ind.level1_points, "computed": 0,
                                           "self": Decimal(0), "final": Decimal(0)})
        row["computed"] += item.method == COMPUTED
        row["self"] += item.self_score or 0
        row["final"] += item.final_score or 0
    return list(rows.values())
