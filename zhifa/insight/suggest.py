"""Suggestions while deciding (裁量建议): the benchmark tier the recorded circumstances point to,
the articles of the item's version in force on the day of the act, and a draft reasoning
paragraph (说理) the officer edits. Each suggestion cites the rule it comes from; nothing is
applied to the case here.

The tier rules are data (``TIER_RULES``): the recorded circumstances (裁量情节, the fact tags of
the case) a rule needs, the tier it points to and the article it rests on. The first rule whose
circumstances are all recorded wins, in the order of the law: the grounds of 第三十三条 (no
penalty) before the mitigating grounds of 第三十条、第三十二条 and the benchmark's own lighter
circumstances; with none recorded the suggestion is the ordinary tier."""

from __future__ import annotations

from dataclasses import dataclass

from zhifa.cases import rules as case_rules
from zhifa.catalog import choices as catalog_choices
from zhifa.core import numbers


@dataclass(frozen=True)
class TierRule:
    code: str
    needs: frozenset[str]  # every one of these circumstances must be recorded
    any_of: frozenset[str]  # or at least one of these (when ``needs`` is empty)
    level: str
    article: str
    reason: str

    def matches(self, tags: set[str]) -> bool:
        if self.needs:
            return self.needs <= tags
        return bool(self.any_of & tags)


LAW = "《中华人民共和国行政处罚法》"
TIER_RULES: tuple[TierRule, ...] = (
    TierRule("minor", case_rules.MINOR_FACTS, frozenset(), catalog_choices.MINOR, f"{LAW}第三十三条第一款",
             "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚"),
    TierRule("no_fault", case_rules.NO_FAULT_FACTS, frozenset(), catalog_choices.MINOR, f"{LAW}第三十三条第二款",
             "当事人有证据足以证明没有主观过错的，不予行政处罚（法律、行政法规另有规定的除外）"),
    TierRule("first_violation", case_rules.FIRST_VIOLATION_FACTS, frozenset(), catalog_choices.MINOR,
             f"{LAW}第三十三条第一款", "初次违法且危害后果轻微并及时改正的，可以不予行政处罚"),
    TierRule("minor_age", frozenset({"已满十四周岁不满十八周岁"}), frozenset(), catalog_choices.LIGHT,
             f"{LAW}第三十条", "已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚"),
    TierRule("art32", frozenset(), frozenset({"主动消除或者减轻违法行为危害后果", "受他人胁迫或者诱骗",
                                              "主动供述行政机关尚未掌握的违法行为", "配合查处有立功表现"}),
             catalog_choices.LIGHT, f"{LAW}第三十二条", "具有法定从轻或者减轻情节的，应当从轻或者减轻行政处罚"),
    TierRule("benchmark_lighter", frozenset(), frozenset({"涉案货值金额较小", "违法所得数额较小", "主动退赔",
                                                          "社会危害性较小", "在规定期限内改正", "首次违法",
                                                          "危害后果轻微"}),
             catalog_choices.LIGHT, "本事项行政裁量权基准的从轻情形", "具有裁量基准规定的从轻情形"),
)
ORDINARY_REASON = "未记录从轻、减轻或者不予处罚的情节，亦未记录从重情节"


@dataclass
class TierSuggestion:
    level: str
    rule_code: str
    article: str
    reason: str
    matched: list[str]
    tier: object | None  # the benchmark's tier of that level (fine range), when the item has one
    benchmark: object | None

    @property
    def level_label(self) -> str:
        return dict(catalog_choices.LEVEL_CHOICES)[self.level]


def suggest_tier(case) -> TierSuggestion:
    """The tier the recorded circumstances point to, with its rule and the benchmark's range."""
    tags = set(case.fact_tags or ())
    rule = next((r for r in TIER_RULES if r.matches(tags)), None)
    benchmark = case.item.benchmark_on(case.occurred_on)
    if rule is None:
        level, code, article, reason, matched = catalog_choices.ORDINARY, "ordinary", "本事项行政裁量权基准", ORDINARY_REASON, []
    else:
        level, code, article, reason = rule.level, rule.code, rule.article, rule.reason
        matched = sorted((rule.needs or rule.any_of) & tags)
    tier = benchmark.tiers.filter(level=level).first() if benchmark else None
    return TierSuggestion(level, code, article, reason, matched, tier, benchmark)


@dataclass
class Articles:
    version: object | None
    occurred_on: object

    @property
    def lines(self) -> list[tuple[str, str]]:
        v = self.version
        if v is None:
            return []
        rows = [("违法依据", v.violated_provision), ("处罚依据", v.penalty_basis), ("依据条文", v.basis_text)]
        return [(label, text) for label, text in rows if text]


def applicable_articles(case) -> Articles:
    """The item's version in force on the day of the act (处罚法第三十七条: the law at the time of the act)."""
    return Articles(case.item.version_on(case.occurred_on), case.occurred_on)


def _amount(value) -> str:
    return numbers.format_amount(value)


def draft_reasoning(case) -> str:
    """A draft 说理 paragraph from the case's facts, evidence, statements and the benchmark."""
    articles = applicable_articles(case)
    tier = suggest_tier(case)
    parts = []
    facts = (case.facts or case.cause).strip().rstrip("。")
    parts.append(f"经查，{facts}。")
    evidence = [e.title for e in case.evidence.order_by("number")[:8]]
    if evidence:
        parts.append(f"以上事实有{'、'.join(evidence)}等证据证实。")
    statements = list(case.statements.all()[:5])
    if statements:
        answered = [s for s in statements if s.answer]
        parts.append(f"当事人提出陈述申辩意见{len(statements)}项，" + (
            "本局已逐项复核：" + "；".join(f"{s.point.rstrip('。')}——{s.answer.rstrip('。')}" for s in answered) + "。"
            if answered else "本局将逐项复核并在决定书中说明采纳与否的理由。"))
    elif case.rights_waived:
        parts.append("当事人明确表示放弃陈述、申辩和听证的权利。")
    version = articles.version
    if version is not None and version.violated_provision and version.penalty_basis:
        parts.append(f"当事人的上述行为违反了{version.violated_provision.rstrip('。')}的规定，"
                     f"依据{version.penalty_basis.rstrip('。')}，应当予以处理。")
    if tier.matched:
        circumstances = "、".join(tier.matched)
        parts.append(f"鉴于当事人具有{circumstances}的情节，{tier.reason}，依据{tier.article}，")
    else:
        parts.append(f"当事人{tier.reason}，")
    if tier.tier is not None and tier.benchmark is not None:
        band = (f"罚款{_amount(tier.tier.fine_min)}元至{_amount(tier.tier.fine_max)}元"
                if tier.tier.fine_min is not None else dict(catalog_choices.OUTCOME_CHOICES).get(tier.tier.outcome, ""))
        parts.append(f"属于《行政裁量权基准》（{tier.benchmark.document}）规定的“{tier.level_label}”情形（{band}）。")
    else:
        parts.append(f"属于“{tier.level_label}”情形。")
    return "".join(parts)
