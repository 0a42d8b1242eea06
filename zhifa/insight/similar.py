"""Similar decided cases (类案推送): like cases should get like penalties (同案同罚).

Candidates are the decided cases of the same enforcement item that the officer may read (their
scope), newest first, at most ``CANDIDATES``. Each is compared with the case at hand on the text
of its facts and cause, segmented by jieba (the maintained Chinese segmenter) and weighted by
TF-IDF with jieba's own inverse document frequencies, as a cosine similarity; recorded
circumstances (裁量情节) shared and the same benchmark tier add to the score. Every result says why
it was found: the shared terms, the shared circumstances, the tier."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

import jieba
import jieba.analyse

from zhifa.catalog import choices as catalog_choices

CANDIDATES = 300
TEXT_WEIGHT, TAG_WEIGHT, LEVEL_WEIGHT = 0.7, 0.2, 0.1
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# words that occur in nearly every case's facts and say nothing about the conduct
STOP_WORDS = frozenset("当事人 经查 本局 违法 行为 规定 进行 存在 相关 其中 以及 以上 上述 我局 发现 检查 执法 人员 现场 情况".split())


def _idf() -> tuple[dict, float]:
    table = jieba.analyse.default_tfidf.idf_freq
    return table, jieba.analyse.default_tfidf.median_idf


def terms(text: str) -> Counter:
    """The words of a text worth comparing: jieba's segments of two or more characters, no stop words."""
    words = (w.strip() for w in jieba.lcut(text or ""))
    return Counter(w for w in words if len(w) >= 2 and _WORD.search(w) and w not in STOP_WORDS)


def weights(counts: Counter) -> dict[str, float]:
    idf, median_idf = _idf()
    return {w: n * idf.get(w, median_idf) for w, n in counts.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


@dataclass
class SimilarCase:
    """One similar decided case and why it was found."""

    case: object
    score: float
    text_similarity: float
    shared_terms: list[str]
    shared_tags: list[str]
    same_level: bool

    @property
    def level_label(self) -> str:
        return dict(catalog_choices.LEVEL_CHOICES).get(self.case.discretion_level, "未记录")

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.shared_terms:
            reasons.append("事实相近：" + "、".join(self.shared_terms))
        if self.shared_tags:
            reasons.append("相同情节：" + "、".join(self.shared_tags))
        if self.same_level:
            reasons.append(f"同一裁量档次（{self.level_label}）")
        return reasons or ["同一执法事项"]


@dataclass
class LikeCases:
    """The similar cases of one case, with the penalties of the same item and tier at a glance."""

    results: list[SimilarCase] = field(default_factory=list)
    compared: int = 0
    same_level_fines: list[Decimal] = field(default_factory=list)

    @property
    def fine_range(self) -> tuple[Decimal, Decimal, Decimal] | None:
        fines = sorted(self.same_level_fines)
        return (fines[0], median(fines), fines[-1]) if fines else None


def text_of(case) -> str:
    return f"{case.cause}。{case.facts}"


def similar_cases(case, user, *, limit: int = 5) -> LikeCases:
    """Decided cases of the same item within the user's scope, most similar first."""
    from zhifa.cases.models import Case

    candidates = list(
        Case.objects.restrict(user, "view")
        .filter(item_id=case.item_id, decided_on__isnull=False).exclude(pk=case.pk)
        .select_related("agency", "party").order_by("-decided_on", "-pk")[:CANDIDATES]
    )
    mine_terms = terms(text_of(case))
    mine = weights(mine_terms)
    mine_tags = set(case.fact_tags or ())
    found = LikeCases(compared=len(candidates))
    for other in candidates:
        other_terms = terms(text_of(other))
        text = cosine(mine, weights(other_terms))
        other_tags = set(other.fact_tags or ())
        union = mine_tags | other_tags
        tag_score = len(mine_tags & other_tags) / len(union) if union else 0.0
        same_level = bool(case.discretion_level) and case.discretion_level == other.discretion_level
        score = TEXT_WEIGHT * text + TAG_WEIGHT * tag_score + LEVEL_WEIGHT * same_level
        shared = sorted(set(mine_terms) & set(other_terms), key=lambda w: -mine.get(w, 0))[:6]
        found.results.append(SimilarCase(other, round(score, 4), round(text, 4), shared,
                                         sorted(mine_tags & other_tags), same_level))
        if same_level and other.fine_amount is not None:
            found.same_level_fines.append(other.fine_amount)
    found.results.sort(key=lambda r: (-r.score, -r.case.pk))
    found.results = [r for r in found.results if r.score > 0][:limit]
    return found
