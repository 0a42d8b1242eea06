"""Demo legal reviews: the market bureau's standard catalog, an overdue review waiting in the
reviewer's queue (a grave penalty after a hearing notice), a case flagged complex by hand whose
opinion found problems awaiting the handling unit's answers, and a passed review followed by the
leadership's collective discussion (its 集体讨论记录 and the opinions are in the case file's 副卷)."""

import datetime

from zhifa.core import clock

from . import choices, services
from .models import ReviewSettings

AGENCY = "云岭县市场监督管理局"


_at = clock.on_day


def _findings(problems=()):
    texts = {
        "subject": "办案机关对该事项具有管辖权，当事人主体资格认定准确。",
        "qualification": "两名办案人员均持有效行政执法证，执法领域覆盖本事项。",
        "procedure": "立案、调查、告知等程序符合规定，期限未超。",
        "facts": "违法事实清楚，时间、地点、情节均有记载。",
        "evidence": "证据取得合法，能够相互印证。",
        "law": "适用法律条款准确，引用完整。",
        "benchmark": "拟处罚在裁量基准相应档次内，说理充分。",
        "competence": "未超越法定职权。",
        "documents": "文书格式规范，送达回证齐全。",
        "crime": "涉案金额未达刑事立案追诉标准，无需移送。",
    }
    problem_texts = {
        "evidence": "现场照片未载明拍摄时间和地点，进货单据来源未核实，证明力不足。",
        "documents": "事先告知书未载明当事人陈述申辩的期限起算日。",
    }
    return {p: {"finding": choices.PROBLEM if p in problems else choices.COMPLIANT,
                "reason": problem_texts.get(p, texts[p]) if p in problems else texts[p]} for p in choices.POINTS}


def load(ctx) -> None:
    """Catalog, deadline setting and three reviews in different states."""
    users = ctx.users
    agency = ctx.agencies[AGENCY]
    head, officer, reviewer = users["market_head"], users["market_officer"], users["market_reviewer"]
    today = clock.today()
    d = lambda days: today - datetime.timedelta(days=days)  # noqa: E731
    with _at(d(30)):
        services.install_standard_catalog(agency, head)
        ReviewSettings.objects.get_or_create(agency=agency, defaults={"deadline_working_days": 5})
    candidates = [c for c in getattr(ctx, "cases", []) if c.agency_id == agency.pk and c.procedure == "general"
                  and c.stage in ("discretion", "notice")]
    candidates.sort(key=lambda c: c.pk)
    reviews = []
    # the gravest one first: matched by the catalog (e.g. 责令停产停业), submitted 8 days ago, now overdue
    matched = [c for c in candidates if services.match_major(c)]
    flagged = [c for c in candidates if c not in matched]
    if matched:
        case = matched[0]
        with _at(d(8)):
            reviews.append(services.submit_for_review(case, officer))
    if flagged:
        case = flagged[0]
        with _at(d(3)):
            services.flag_major(case, officer, "当事人同时涉及食品安全和价格违法两个法律关系，案情较为复杂。",
                                kind=choices.FLAG_MULTI_RELATION)
            review = services.submit_for_review(case, officer)
        with _at(d(1), 15):
            services.assign_reviewer(review, reviewer, reviewer)
            reviews.append(services.record_opinion(review, reviewer, _findings(("evidence", "documents")),
                                                   choices.PROBLEMS))
    if len(flagged) > 1:
        case = flagged[1]
        with _at(d(2)):
            services.flag_major(case, officer, "该案社会关注度高，媒体已有报道，可能造成较大社会影响。",
                                kind=choices.FLAG_PUBLIC_INTEREST)
            review = services.submit_for_review(case, officer)
        with _at(d(1), 11):
            services.assign_reviewer(review, reviewer, reviewer)
            reviews.append(services.record_opinion(review, reviewer, _findings(), choices.AGREE))
        # the leadership then discussed it: the 集体讨论记录 is generated into the case file's 副卷
        with _at(d(1), 16):
            services.record_collective_discussion(
                case, head, d(1), "机关负责人（主持）、分管副局长、执法大队大队长、法制审核人员", head,
                "执法大队汇报了案件事实、证据和拟处罚意见。\n分管副局长：事实清楚，证据充分，同意法制审核意见。\n"
                "法制审核人员：程序合法，适用法律正确，拟处罚在裁量基准幅度内。",
                "同意承办机构拟作出的行政处罚决定，按法制审核意见执行。")
    ctx.reviews = reviews
