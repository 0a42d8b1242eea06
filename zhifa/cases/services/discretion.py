"""Discretion (裁量, CASE-3): the proposed penalty against the item's benchmark."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.catalog.services import suggest_special_lists

from .. import choices, rules
from ..models import (
    Case,
)
from .common import _check_can_change, _check_signer, _event, _today


@dataclass
class DiscretionResult:
    within_benchmark: bool | None
    findings: list[str]
    suggestions: list  # SpecialListEntry rows matching the facts
    benchmark: object = None
    # 不予处罚 grounds the recorded facts meet (处罚法第三十三条、第三十六条): binding ones refuse a penalty,
    # 首违不罚 stays a suggestion with its reason.
    grounds: list = dataclass_field(default_factory=list)


def assess_discretion(case: Case, level: str, penalty_kinds, fine_amount, fact_tags=()) -> DiscretionResult:
    """Compare a proposed penalty with the item's benchmark and suggest special-list entries."""
    on = case.occurred_on
    benchmark = case.item.benchmark_on(on) or case.item.benchmark_on(_today())
    if benchmark is None:
        findings = ["该事项没有有效的裁量基准。"]
        within = None
    else:
        within, findings = benchmark.check_penalty(level, list(penalty_kinds), fine_amount)
    suggestions = suggest_special_lists(case.item, set(fact_tags), on) if fact_tags else []
    grounds = rules.no_penalty_grounds(case, fact_tags)
    return DiscretionResult(within, list(findings), list(suggestions), benchmark, grounds)


@transaction.atomic
def set_discretion(case: Case, *, actor, level: str, penalty_kinds, fine_amount=None, confiscation_amount=None,
                   fact_tags=(), deviation_reason="", reasoning="", outcome=choices.OUTCOME_PENALTY,
                   education_record="") -> DiscretionResult:
    """Record the proposed penalty; outside the benchmark it needs a written reason and is flagged."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_can_change(case, actor)
    _check_signer(case, actor)
    if case.stage not in ("investigation", "discretion", "on_site"):
        raise ValidationError(f"“{case.stage_name}”环节不能修改处罚意见。")
    if outcome == choices.OUTCOME_NO_PENALTY:
        penalty_kinds, fine_amount = [], None
    if fine_amount is not None and Decimal(fine_amount) < 0:
        raise ValidationError({"fine_amount": "罚款金额不能为负数。"})
    result = assess_discretion(case, level, penalty_kinds, fine_amount, fact_tags)
    binding = next((g for g in result.grounds if g.mandatory), None)
    if outcome != choices.OUTCOME_NO_PENALTY and binding is not None:
        raise ValidationError({"outcome": binding.sentence + "请将处理结果改为“不予行政处罚”并记录教育情况。"})
    if outcome == choices.OUTCOME_NO_PENALTY:
        result.within_benchmark, result.findings = True, []
    case.discretion_level = level
    case.penalty_kinds = list(penalty_kinds)
    case.fine_amount = Decimal(fine_amount) if fine_amount is not None else None
    case.confiscation_amount = Decimal(confiscation_amount) if confiscation_amount is not None else None
    case.fact_tags = list(fact_tags)
    case.benchmark = result.benchmark
    case.within_benchmark = result.within_benchmark
    case.benchmark_findings = result.findings
    case.deviation_reason = deviation_reason.strip()
    case.discretion_reasoning = reasoning.strip()
    case.outcome = outcome
    case.education_record = education_record.strip()
    case.save()
    flagged = result.within_benchmark is False
    _event(case, "discretion", "拟定处罚意见" + ("（偏离裁量基准，已提示监督）" if flagged else ""), actor, payload={
        "level": level, "penalty_kinds": list(penalty_kinds), "fine_amount": str(fine_amount) if fine_amount is not None else None,
        "fact_tags": list(fact_tags), "within_benchmark": result.within_benchmark, "findings": result.findings,
        "deviation_reason": deviation_reason, "benchmark": getattr(result.benchmark, "pk", None), "outcome": outcome,
        "suggested_lists": [s.pk for s in result.suggestions],
        "no_penalty_grounds": [g.code for g in result.grounds],
    })
    return result
