"""Demo of case-file evaluation (案卷评查) and the cockpit (驾驶舱) for 云岭县.

Earlier files of this year (decided and archived, written directly: their procedure is the
cases demo's business) give the county a population to sample from and the cockpit a year of
figures — some decided after the 90-day period, some outside the benchmark, one reversed on
reconsideration. A finished plan follows: drawn with a recorded seed, cross-evaluated
(the market bureau's reviewer scores the comprehensive bureau's files, the county supervisor the
others), with findings, an automatic-fail file, the notices (通报), a rectification reported and
one confirmed, and a pending re-evaluation request. The cockpit's table is then refreshed.
"""

import datetime
from decimal import Decimal

from zhifa.cases import choices
from zhifa.cases.models import Case, Remedy
from zhifa.catalog.choices import FINE
from zhifa.core import clock

from .cockpit.services import refresh_cockpit
from .evaluation import services
from .evaluation.sheets import install_standard_sheets
from .models import Finding, ScoreSheet

AGENCIES = ["云岭县市场监督管理局", "云岭县综合行政执法局", "云岭县生态环境分局", "云岭县应急管理局"]
CAUSES = ["经营标签不符合规定的食品案", "未按规定设置户外广告案", "超标排放大气污染物案", "未按规定开展安全生产培训案",
          "占道经营案", "销售过期食品案"]


def _month_days(today: datetime.date, count: int) -> list[datetime.date]:
    days, month = [], today.replace(day=1)
    for _ in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        days.append(month + datetime.timedelta(days=9))
    return list(reversed(days))


def _past_files(ctx) -> list[Case]:
    """Files of the past eleven months, three or four per agency, decided and archived."""
    rng = ctx.rng
    created = []
    number = 0
    parties = list(getattr(ctx, "parties", []))
    for agency_name in AGENCIES:
        agency = ctx.agencies.get(agency_name)
        items = [i for i in ctx.items if i.agency_id == getattr(agency, "pk", None)] or list(ctx.items)
        if agency is None or not items or not parties:
            continue
        for decided in _month_days(ctx.today, 11)[rng.randrange(0, 3)::3]:
            number += 1
            overdue = rng.random() < 0.25
            filed = decided - datetime.timedelta(days=118 if overdue else rng.randrange(20, 80))
            archived = min(decided + datetime.timedelta(days=40), ctx.today - datetime.timedelta(days=20))
            case = Case.objects.create(
                agency=agency, item=rng.choice(items), party=rng.choice(parties), cause=rng.choice(CAUSES),
                occurred_on=filed - datetime.timedelta(days=5), place="云岭县城区", procedure="general",
                number=f"{agency.short_name or agency.name}罚〔{decided.year}〕{100 + number}号", stage="archived",
                registered_on=filed - datetime.timedelta(days=3), filed_on=filed, decided_on=decided, outcome=choices.OUTCOME_PENALTY,
                decision_number=f"{agency.short_name or agency.name}罚决〔{decided.year}〕{100 + number}号",
                served_on=decided + datetime.timedelta(days=2), executed_on=decided + datetime.timedelta(days=15),
                closed_on=decided + datetime.timedelta(days=20), archived_on=archived,
                within_benchmark=rng.random() > 0.2, fine_amount=Decimal(rng.choice([2000, 5000, 8000, 20000])),
                penalty_kinds=[FINE], facts="经查，当事人存在违法行为。",
            )
            created.append(case)
    if created:
        reversed_case = created[1]
        Remedy.objects.create(case=reversed_case, kind=choices.RECONSIDERATION, body="云岭县人民政府",
                              filed_on=reversed_case.decided_on + datetime.timedelta(days=20), result="revoked",
                              decided_on=reversed_case.decided_on + datetime.timedelta(days=70),
                              result_number="云政复决〔2026〕3号", recorded_by=ctx.users["supervisor"])
    return created


def load(ctx) -> None:
    install_standard_sheets()
    _past_files(ctx)
    supervisor, reviewer = ctx.users["supervisor"], ctx.users["market_reviewer"]
    county = ctx.regions["云岭县"]
    today = ctx.today
    plan = services.create_plan(
        supervisor, region=county, title=f"{today.year}年度云岭县行政处罚案卷交叉评查", sheet=ScoreSheet.objects.get(code="guangdong_100"),
        archived_from=datetime.date(today.year, 1, 1), archived_to=today, sample_rate=Decimal(30), sample_minimum=2,
    )
    plan = services.draw_sample(plan, supervisor, seed=f"yunling-{today.year}-evaluation")
    services.assign_round_robin(plan, [reviewer, supervisor], supervisor)
    items = {item.title: item for item in plan.sheet.items.all()}
    problems = [
        [{"item": items["执法程序"], "deduction": Decimal(12), "note": "事先告知书送达后未满五个工作日即作出处罚决定。"},
         {"item": items["文书送达"], "deduction": Decimal(3), "note": "送达回证未注明送达方式。"}],
        [{"item": items["行政裁量权行使"], "deduction": Decimal(8), "note": "决定书未说明裁量基准的适用理由。"},
         {"item": items["事实认定与证据"], "deduction": Decimal(10), "note": "现场检查笔录未附照片，证据链不完整。"}],
        [{"item": items["立卷归档"], "deduction": Decimal(1), "note": "卷内目录缺少页码。"}],
        [{"item": items["执法程序"], "deduction": Decimal(10), "note": "调查询问仅一名执法人员签名。"},
         {"item": items["违反法定程序"], "triggered": True, "note": "调查取证执法人员少于两人。"}],
        [],
    ]
    for index, evaluation in enumerate(plan.evaluations.select_related("evaluator").order_by("agency_id", "draw_rank")):
        if evaluation.evaluator is None:
            services.assign_evaluator(evaluation, supervisor, supervisor)
            evaluation.refresh_from_db()
        services.open_case_file(evaluation, evaluation.evaluator)
        services.submit_score(evaluation, evaluation.evaluator, problems[index % len(problems)],
                              "案卷基本规范。" if index % len(problems) == 4 else "")
    issued = today - datetime.timedelta(days=4)
    services.finish_plan(plan, supervisor, issued_on=issued)
    plan.refresh_from_db()
    market = ctx.agencies["云岭县市场监督管理局"]
    findings = list(Finding.objects.filter(evaluation__plan=plan, evaluation__agency=market).order_by("pk"))
    if findings:
        services.report_rectification(findings[0], ctx.users["market_head"], "已组织全体执法人员学习事先告知程序，并建立决定前期限核对。")
        services.accept_rectification(findings[0], supervisor)
    if len(findings) > 1:
        services.report_rectification(findings[1], ctx.users["market_head"], "已补正送达回证送达方式。")
    failed = plan.evaluations.filter(agency=market, grade="fail").first() or plan.evaluations.filter(agency=market).last()
    if failed is not None and clock.today() <= services.reevaluation_deadline(plan):
        services.request_reevaluation(failed, ctx.users["market_head"],
                                      "询问笔录第二名执法人员已在补充笔录中签名，请复查。", on=clock.today())
    refresh_cockpit(full=True)
