"""Full-text search of published decisions (PUB-3 search).

Chinese text is segmented with jieba (``tokens_for``) when a publication's public text is
made; the space-separated tokens are what the database indexes.
"""

import jieba

jieba.setLogLevel(60)


def segment(text: str) -> list[str]:
    """Search-mode segmentation: words and their meaningful sub-words (食品安全 → 食品 安全 食品安全)."""
    return [token.strip() for token in jieba.cut_for_search(text or "") if token.strip()]


def tokens_for(publication) -> str:
    """The indexed text of a publication: only its public fields, segmented."""
    parts = [
        publication.decision_number, publication.title, publication.public_party_name, publication.public_facts,
        publication.public_legal_basis, publication.public_result, getattr(publication.agency, "name", ""),
    ]
    return " ".join(segment(" ".join(p for p in parts if p)))
