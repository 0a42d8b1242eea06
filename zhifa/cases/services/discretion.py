"""Discretion (裁量, CASE-3): the proposed penalty against the item's benchmark."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.catalog import choices as catalog_choices
from zhifa.catalog.services import suggest_special_lists

from .. import choices, rules
from ..models import (
    Case,
)
from .actions import check_discretion
from .common import _event, _today


@dataclass
class DiscretionResult:
    within_benchmark: bool | None
    findings: list[str]
    suggestions: list  # SpecialListEntry rows matching the facts
    benchmark: object = None
    # 不予处罚 grounds the recorded facts meet (处罚法第三十三条、第三十六条): binding ones refuse a penalty,
    # 首违不罚 stays a suggestion with its reason.
    grounds: list = dataclass_field(default_factory=list)


def assess_discretion(case: Case, level: str, penalty_kinds, fine_amount, fact_tags=(),
                      no_fault_exception=None) -> DiscretionResult:
    """Compare a proposed penalty with the item's benchmark and suggest special-list entries."""
    on = case.occurred_on
    benchmark = case.item.benchmark_on(on) or case.item.benchmark_on(_today())
    if benchmark is None:
        findings = ["该事项没有有效的裁量基准。"]
        within = None
    else:
        within, findings = benchmark.check_penalty(level, list(penalty_kinds), fine_amount)
    suggestions = suggest_special_lists(case.item, set(fact_tags), on) if fact_tags else []
    grounds = rules.no_penalty_grounds(case, fact_tags, no_fault_exception)
    return DiscretionResult(within, list(findings), list(suggestions), benchmark, grounds)


def _check_discretion_values(level, penalty_kinds, fact_tags, outcome) -> None:
    """The choices the web form offers, refused the same way for every caller."""
    if level not in dict(catalog_choices.LEVEL_CHOICES):
        raise ValidationError({"level": "请选择违法情节（裁量档次）。"})
    if outcome not in dict(choices.OUTCOME_CHOICES):
        raise ValidationError({"outcome": "处理结果无效。"})
    unknown = [k for k in penalty_kinds if k not in dict(catalog_choices.PENALTY_KIND_CHOICES)]
    if unknown:
        raise ValidationError({"penalty_kinds": "处罚种类无效：" + "、".join(map(str, unknown)) + "。"})
    unknown = [t for t in fact_tags if t not in dict(catalog_choices.CONDITION_CHOICES)]
    if unknown:
        raise ValidationError({"fact_tags": "裁量情节无效：" + "、".join(map(str, unknown)) + "。"})
def check_penalties(penalty_kinds, fine_amount, confiscation_amount, confiscated_property) -> None:
    """Every decided penalty is stated completely: a fine with its amount, confiscated illegal
    income with its amount, confiscated illegal property with its list — and no amount without
    its kind. Raises ``ValidationError`` naming each field in Chinese."""
    kinds = set(penalty_kinds or [])
    errors = {}
    for field, value, kind, label in (
        ("fine_amount", fine_amount, catalog_choices.FINE, "罚款金额"),
        ("confiscation_amount", confiscation_amount, catalog_choices.CONFISCATE_GAINS, "没收违法所得金额"),
    ):
        if value is not None and Decimal(value) < 0:
            errors[field] = f"{label}不能为负数。"
        elif kind in kinds and (value is None or Decimal(value) <= 0):
            errors[field] = f"选择了“{kind}”，请填写{label}。"
        elif kind not in kinds and value is not None and Decimal(value) > 0:
            errors[field] = f"填写了{label}，请在处罚种类中选择“{kind}”。"
    if catalog_choices.CONFISCATE_PROPERTY in kinds and not (confiscated_property or "").strip():
        errors["confiscated_property"] = "选择了“没收非法财物”，请逐项填写没收的财物（名称、数量）。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_discretion(case: Case, *, actor, level: str, penalty_kinds, fine_amount=None, confiscation_amount=None,
                   fact_tags=(), deviation_reason="", reasoning="", outcome=choices.OUTCOME_PENALTY,
                   education_record="", confiscated_property="", penalty_period="",
                   no_fault_exception="") -> DiscretionResult:
    """Record the proposed penalty — every kind with its amount, property list or period (see
    ``check_penalties``); outside the benchmark it needs a written reason and is flagged. A party
    without fault (第三十三条第二款) is penalised only where ``no_fault_exception`` cites the law or
    administrative regulation that provides otherwise."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_discretion(case, actor)
    _check_discretion_values(level, penalty_kinds, fact_tags, outcome)
    no_fault_exception = (no_fault_exception or "").strip()
    problem = rules.no_fault_exception_problem(fact_tags, no_fault_exception)
    if problem:
        raise ValidationError({"no_fault_exception": problem})
    if outcome == choices.OUTCOME_NO_PENALTY:
        penalty_kinds, fine_amount, confiscation_amount, confiscated_property, penalty_period = [], None, None, "", ""
    check_penalties(penalty_kinds, fine_amount, confiscation_amount, confiscated_property)
    kinds = set(penalty_kinds)
    if not kinds & rules.PERIOD_KINDS:
        penalty_period = ""
    if catalog_choices.CONFISCATE_PROPERTY not in kinds:
        confiscated_property = ""
    result = assess_discretion(case, level, penalty_kinds, fine_amount, fact_tags, no_fault_exception)
    binding = next((g for g in result.grounds if g.mandatory), None)
    if outcome != choices.OUTCOME_NO_PENALTY and binding is not None:
        raise ValidationError({"outcome": binding.sentence + "请将处理结果改为“不予行政处罚”并记录教育情况。"})
    if outcome == choices.OUTCOME_NO_PENALTY:
        result.within_benchmark, result.findings = True, []
    case.discretion_level = level
    case.penalty_kinds = list(penalty_kinds)
    case.fine_amount = Decimal(fine_amount) if fine_amount is not None else None
    case.confiscation_amount = Decimal(confiscation_amount) if confiscation_amount else None
    case.confiscated_property = (confiscated_property or "").strip()
    case.penalty_period = (penalty_period or "").strip()
    case.fact_tags = list(fact_tags)
    case.no_fault_exception = no_fault_exception
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
        "confiscation_amount": str(confiscation_amount) if confiscation_amount else None,
        "confiscated_property": case.confiscated_property, "penalty_period": case.penalty_period,
        "fact_tags": list(fact_tags), "no_fault_exception": no_fault_exception, "within_benchmark": result.within_benchmark, "findings": result.findings,
        "deviation_reason": deviation_reason, "benchmark": getattr(result.benchmark, "pk", None), "outcome": outcome,
        "suggested_lists": [s.pk for s in result.suggestions],
        "no_penalty_grounds": [g.code for g in result.grounds],
    })
    return result
