"""Demo of the 三项制度 assessment and the task ledger (SUP-5, SUP-6): the city bureau's scored and
published assessment of 云岭县 for this year (computed from the demo cases, self-assessed by the
county bureau with evidence), the county bureau's assessment of 县市场监管局 waiting for the
agency's self-assessment, and the county's action-plan ledger in progress (tasks done, in progress,
overdue; progress reports with an attachment; reminders run)."""

import datetime
import io
from decimal import Decimal

from zhifa.core import clock

from .assessment import services as assessment
from .ledgers import services as ledgers

COUNTY = "云岭县"
MARKET = "云岭县市场监督管理局"

TASKS = [
    ("全面推行行政执法公示制度", "行政许可、行政处罚决定7个工作日内公示；撤销、变更的决定3个工作日内撤下或注明。",
     "云岭县市场监督管理局", ["云岭县综合行政执法局"], -150, "按期公示率100%"),
    ("制定重大执法决定法制审核目录清单", "各执法主体制定并公布目录清单，配齐专职法制审核人员（不少于执法人员5%）。",
     "云岭县综合行政执法局", ["云岭县市场监督管理局"], -20, "目录清单全覆盖"),
    ("开展行政执法案卷评查", "按不少于5%的比例抽取已归档案卷开展交叉评查，通报结果并督促整改。",
     "云岭县市场监督管理局", [], 45, "案卷评查合格率≥90%"),
    ("推行执法全过程音像记录", "查封扣押、强制拆除和询问室询问全程音像记录，配齐执法记录仪。",
     "云岭县综合行政执法局", ["云岭镇综合行政执法办公室"], 5, "重点环节音像记录全覆盖"),
    ("行政执法人员全员培训", "执法人员每年培训不少于60学时，其中公共法律知识不少于20学时。",
     "云岭县市场监督管理局", ["云岭县综合行政执法局"], 120, "培训达标率100%"),
    ("投诉举报件办理满意率提升", "12345、12348涉执法投诉举报按期办结并回访。",
     "云岭县综合行政执法局", ["云岭县市场监督管理局"], 200, "满意率≥95%"),
]


def _agencies(ctx, names):
    return [ctx.agencies[n] for n in names if n in ctx.agencies]


def _ledger(ctx) -> None:
    supervisor = ctx.users["supervisor"]
    county = ctx.regions[COUNTY]
    today = clock.today()
    plan = ledgers.create_plan(supervisor, region=county, title="云岭县提升行政执法质量三年行动方案（2024—2026年）",
                               year=today.year, document="云政办发〔2024〕7号")
    tasks = []
    for title, content, lead, co, days, target in TASKS:
        if lead not in ctx.agencies:
            continue
        tasks.append(ledgers.add_task(plan, supervisor, title=title, content=content, lead_agency=ctx.agencies[lead],
                                      co_agencies=_agencies(ctx, co), deadline=today + datetime.timedelta(days=days),
                                      target=target))
    head = ctx.users["market_head"]
    if tasks:
        ledgers.report_progress(tasks[0], head, text="已建立公示审核发布机制，本年度处罚决定全部按期公示。", completed=True,
                                fileobj=io.BytesIO("公示情况统计表\n按期公示率100%\n".encode()), file_name="公示情况统计表.txt",
                                on=today - datetime.timedelta(days=160))
    if len(tasks) > 2:
        ledgers.report_progress(tasks[2], head, text="评查方案已印发，已抽取案卷并分配评查人。")
    ledgers.remind_overdue()


def _assessments(ctx) -> None:
    year = clock.today().year
    county, city_supervisor, supervisor = ctx.regions[COUNTY], ctx.users["city_supervisor"], ctx.users["supervisor"]
    result = assessment.create_assessment(city_supervisor, year=year, region=county)
    evidence_for = {1: "云岭县行政执法公示办法.pdf", 136: "三项制度工作部署会议纪要.pdf"}
    for item in result.items.filter(computed_score__isnull=True).select_related("indicator"):
        number = item.indicator.points
        score = number if item.indicator.number % 7 else (number / 2).quantize(Decimal("0.01"))
        assessment.self_assess_item(item, supervisor, score=score, note="已落实，见佐证材料。")
        name = evidence_for.get(item.indicator.number)
        if name:
            assessment.add_evidence(item, supervisor, io.BytesIO(f"{name}（示例）".encode()), name.replace(".pdf", ".txt"),
                                    "县政府印发文件")
    assessment.submit_self_assessment(result, supervisor, "三项制度全面推行，公示、记录、审核均已在平台运行。")
    assessment.adopt_computed_scores(result, city_supervisor)
    for item in result.items.filter(final_score__isnull=True).select_related("indicator"):
        full = item.self_score == item.indicator.points
        assessment.score_item(item, city_supervisor, score=item.self_score,
                              reason="佐证材料齐全。" if full else "佐证材料不完整，按自评扣分。")
    assessment.finish_scoring(result, city_supervisor)
    assessment.publish(result, city_supervisor)
    if MARKET in ctx.agencies:
        assessment.create_assessment(supervisor, year=year, agency=ctx.agencies[MARKET])


def load(ctx) -> None:
    """A published regional assessment, an agency's assessment in draft, a ledger in progress."""
    if COUNTY not in ctx.regions:
        return
    _ledger(ctx)
    _assessments(ctx)
