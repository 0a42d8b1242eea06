"""Problem models of inspections (行政检查问题模型), registered with supervision's registry
(``zhifa.supervision.problems.registry``): each is one set-based query, or a small candidate set
selected in SQL and confirmed exactly; each finding names the inspection and its leading agency.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Q

from zhifa.supervision.problems.registry import Finding, register

from ..models.inspection import Inspection, InspectionCap, InspectionChecklistLine

LAW = "《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）"
CATEGORY = "涉企行政检查"


def _d(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _inspections(ctx):
    return Inspection.objects.filter(ctx.agency_q()).exclude(stage="refused")


def _finding(row, summary, **facts) -> Finding:
    facts.setdefault("检查编号", row["number"])
    facts.setdefault("被检查企业", row["party__name"])
    return Finding("inspection", row["pk"], row["agency_id"], summary, facts)


FIELDS = ("pk", "agency_id", "number", "party__name")


@register("INSP_PUBLICATION_OVERDUE", name="检查结果超期未公示", category=CATEGORY, target="inspection",
          legal_basis="《企业信息公示暂行条例》第六条、第七条（二十个工作日内）；" + LAW)
def publication_overdue(ctx):
    """检查结束后超过二十个工作日仍未在门户公示检查结果。"""
    rows = _inspections(ctx).filter(published_on__isnull=True, publication_due_on__lt=ctx.today)
    for row in rows.values(*FIELDS, "publication_due_on"):
        yield _finding(row, f"检查结果应于{_d(row['publication_due_on'])}前公示，至今未公示",
                       公示期限=_d(row["publication_due_on"]))


@register("INSP_WITHOUT_APPROVAL", name="紧急检查未补办审批", category=CATEGORY, target="inspection",
          legal_basis=LAW + "（检查前报机关负责人审批，紧急情况事后补办）", severity="high")
def without_approval(ctx):
    """以紧急情况实施的检查，事后仍未补办审批手续。"""
    rows = _inspections(ctx).filter(emergency=True, approved_at__isnull=True).exclude(stage="requested")
    for row in rows.values(*FIELDS, "started_at"):
        yield _finding(row, "紧急检查尚未补办审批手续",
                       进场时间=_d(row["started_at"].date()) if row["started_at"] else "")


@register("INSP_WITHOUT_SCAN", name="未扫码入企", category=CATEGORY, target="inspection",
          legal_basis=LAW + "（扫码入企，每次检查留痕）")
def without_scan(ctx):
    """已进场检查，但未扫描企业的涉企行政执法监督码。"""
    rows = _inspections(ctx).filter(started_at__isnull=False, scanned_at__isnull=True)
    for row in rows.values(*FIELDS, "scan_missing_reason"):
        yield _finding(row, "进场检查未扫描企业监管码", 未扫码原因=row["scan_missing_reason"] or "未说明")


@register("INSP_REPEATED", name="多头重复检查", category=CATEGORY, target="inspection",
          legal_basis=LAW + "（能合并的不得重复检查，能联合的不得多头检查）", params={"days": 30})
def repeated(ctx):
    """同一企业在规定天数内被两个以上执法主体分别检查，且未纳入联合检查（综合查一次）。"""
    days = int(ctx.params["days"])
    since = ctx.today - datetime.timedelta(days=365 + days)
    # candidates: enterprises visited by two or more agencies in separate (not joint) inspections
    base = Inspection.objects.exclude(stage="refused").filter(joint=False, planned_on__gte=since)
    parties = (base.values("party_id").annotate(n=Count("agency", distinct=True)).filter(n__gte=2)
               .values("party_id"))
    visits = defaultdict(list)
    for row in base.filter(party_id__in=parties).values(*FIELDS, "party_id", "planned_on", "agency__name"):
        visits[row["party_id"]].append(row)
    in_scope = set(_inspections(ctx).filter(party_id__in=list(visits)).values_list("pk", flat=True))
    for rows in visits.values():
        for row in rows:
            if row["pk"] not in in_scope:
                continue
            others = [o for o in rows if o["agency_id"] != row["agency_id"]
                      and abs((o["planned_on"] - row["planned_on"]).days) <= days]
            if others:
                names = "、".join(sorted({o["agency__name"] for o in others}))
                yield _finding(row, f"{days}日内该企业还被{names}分别检查，未实行联合检查",
                               检查日期=_d(row["planned_on"]), 其他检查=", ".join(o["number"] for o in others))


@register("INSP_OVER_CAP", name="超过年度检查频次上限", category=CATEGORY, target="inspection",
          legal_basis=LAW + "（公布同一企业年度检查次数上限）", severity="high")
def over_cap(ctx):
    """同一执法主体对同一企业的年度检查次数超过其公布的上限（投诉引发的个案检查、上级部署的专项检查除外）。"""
    caps = {(c.agency_id, c.year): c.max_per_enterprise for c in InspectionCap.objects.all()}
    if not caps:
        return
    years = {year for _, year in caps}
    lines = (InspectionChecklistLine.objects
             .filter(inspection__in=_inspections(ctx).filter(cap_exception="", planned_on__year__in=years))
             .values("agency_id", "inspection__party_id", "inspection__planned_on__year")
             .annotate(n=Count("inspection", distinct=True)))
    over = {(r["agency_id"], r["inspection__party_id"], r["inspection__planned_on__year"])
            for r in lines if r["n"] > caps.get((r["agency_id"], r["inspection__planned_on__year"]), 10**6)}
    if not over:
        return
    party_ids = {p for _, p, _ in over}
    rows = (InspectionChecklistLine.objects
            .filter(inspection__party_id__in=party_ids, inspection__cap_exception="")
            .exclude(inspection__stage="refused")
            .filter(Q(inspection__in=_inspections(ctx)))
            .values("agency_id", "inspection_id", "inspection__party_id", "inspection__planned_on",
                    "inspection__number", "inspection__party__name", "inspection__agency_id")
            .order_by("inspection__planned_on", "inspection_id").distinct())
    seen = defaultdict(int)
    flagged = set()
    for row in rows:
        key = (row["agency_id"], row["inspection__party_id"], row["inspection__planned_on"].year)
        if key not in over:
            continue
        seen[key] += 1
        if seen[key] > caps[(key[0], key[2])] and row["inspection_id"] not in flagged:
            flagged.add(row["inspection_id"])
            yield Finding("inspection", row["inspection_id"], row["inspection__agency_id"],
                          f"{key[2]}年第{seen[key]}次检查该企业，超过公布的上限{caps[(key[0], key[2])]}次",
                          {"检查编号": row["inspection__number"], "被检查企业": row["inspection__party__name"]})
