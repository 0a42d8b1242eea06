"""The problem models' checks (问题模型), one named query each.

Every check is one set-based query over the rows it concerns (no per-case Python loop over
the whole table): where the law counts in calendar years or working days, the query selects
by a date cut-off computed once (``working_cutoff``), or pre-selects candidates in SQL and
confirms the few candidates exactly. Each finding carries the facts that explain it.
"""

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value

from zhifa.cases import choices as case_choices
from zhifa.cases.coercion.models import SHORT_NAMES
from zhifa.cases.models import Case, CaseOfficer, CoerciveMeasure, Evidence, Payment, PaymentPlan, Remedy
from zhifa.catalog.models import Benchmark
from zhifa.orgs.models import Agency
from zhifa.people.models import Certificate, Officer
from zhifa.publicity import choices as pub_choices
from zhifa.publicity.models import Publication, PublicationAction
from zhifa.review import choices as review_choices
from zhifa.review.models import CollectiveDiscussion, MajorFlag, Review
from zhifa.workdays.services import add_working_days

from .registry import CheckContext, Finding, register

PUNISHMENT_LAW = "《中华人民共和国行政处罚法》"
DECIDED_STAGES = ("decision", "execution", "closed", "archived")
OPEN_Q = Q(closed_on__isnull=True, archived_on__isnull=True)
CASE_TRIGGERS = ("cases.Case",)


def working_cutoff(today: datetime.date, days: int) -> datetime.date:
    """The latest start date whose period of ``days`` working days ended before ``today``:
    a period that started on or before it is overdue today (the start day is not counted)."""
    day = today - datetime.timedelta(days=1)
    while add_working_days(day, days) >= today:
        day -= datetime.timedelta(days=1)
    return day


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _d(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _cases(ctx: CheckContext):
    return Case.objects.filter(ctx.agency_q(), ctx.cases_q("pk"))


def _case_finding(row, summary, **facts) -> Finding:
    facts.setdefault("案号", row.get("number") or "（未立案）")
    return Finding("case", row["pk"], row["agency_id"], summary, facts, case_id=row["pk"])


CASE_FIELDS = ("pk", "agency_id", "number", "cause")


# ---------------------------------------------------------------------------- 办案期限

@register("CASE_FILING_OVERDUE", name="线索超期未作出立案决定", category="办案期限", target="case",
          legal_basis="《市场监督管理行政处罚程序规定》第十八条（十五个工作日）；" + PUNISHMENT_LAW + "第五十四条",
          params={"working_days": 15}, triggers=CASE_TRIGGERS)
def filing_overdue(ctx):
    """登记线索后超过规定的工作日仍未立案也未作出不予立案决定。"""
    days = int(ctx.params["working_days"])
    cutoff = working_cutoff(ctx.today, days)
    rows = _cases(ctx).filter(OPEN_Q, stage="clue", procedure=case_choices.GENERAL, registered_on__lte=cutoff)
    for row in rows.values(*CASE_FIELDS, "registered_on"):
        yield _case_finding(row, f"线索登记于{_d(row['registered_on'])}，已超过{days}个工作日未作出立案决定",
                            线索登记日期=_d(row["registered_on"]), 期限=f"{days}个工作日")


@register("CASE_DECISION_OVERDUE", name="立案后九十日未作出处罚决定", category="办案期限", target="case",
          legal_basis=PUNISHMENT_LAW + "第六十条", params={"days": 90}, severity="high", triggers=CASE_TRIGGERS)
def decision_overdue(ctx):
    """立案之日起九十日（加经批准延长的天数）内未作出行政处罚决定。"""
    days = int(ctx.params["days"])
    cutoff = ctx.today - datetime.timedelta(days=days)
    base = _cases(ctx).filter(OPEN_Q, procedure=case_choices.GENERAL, filed_on__isnull=False, decided_on__isnull=True)
    rows = base.filter(Q(extension_days=0, filed_on__lt=cutoff) | Q(extension_days__gt=0, filed_on__lt=cutoff))
    for row in rows.values(*CASE_FIELDS, "filed_on", "extension_days"):
        deadline = row["filed_on"] + datetime.timedelta(days=days + row["extension_days"])
        if deadline >= ctx.today:
            continue  # the approved extension still runs (few rows: checked exactly here)
        ext = f"（含经批准延长{row['extension_days']}日）" if row["extension_days"] else "（未经批准延长）"
        yield _case_finding(row, f"{_d(row['filed_on'])}立案，办案期限{_d(deadline)}届满{ext}，仍未作出决定",
                            立案日期=_d(row["filed_on"]), 办案期限届满=_d(deadline), 延长天数=row["extension_days"])


@register("CASE_SERVICE_OVERDUE", name="决定书送达超期", category="办案期限", target="case",
          legal_basis=PUNISHMENT_LAW + "第六十一条（七日内送达，工作日）", params={"working_days": 7},
          triggers=CASE_TRIGGERS)
def service_overdue(ctx):
    """作出决定后超过七个工作日仍未送达决定书。"""
    days = int(ctx.params["working_days"])
    cutoff = working_cutoff(ctx.today, days)
    rows = _cases(ctx).filter(decided_on__isnull=False, decided_on__lte=cutoff, served_on__isnull=True,
                              outcome__in=("penalty", "no_penalty", "exempt", ""))
    for row in rows.values(*CASE_FIELDS, "decided_on"):
        yield _case_finding(row, f"{_d(row['decided_on'])}作出决定，已超过{days}个工作日未送达",
                            决定日期=_d(row["decided_on"]), 期限=f"{days}个工作日")


@register("CASE_INACTIVE", name="案件长期无办理进展", category="办案期限", target="case",
          legal_basis="国办发〔2018〕118号（执法全过程记录）；" + PUNISHMENT_LAW + "第六十条",
          params={"days": 30}, severity="low")
def case_inactive(ctx):
    """未结案件连续三十日没有任何办理记录。"""
    days = int(ctx.params["days"])
    cutoff = datetime.datetime.combine(ctx.today - datetime.timedelta(days=days), datetime.time.min,
                                       tzinfo=datetime.UTC)
    rows = _cases(ctx).filter(OPEN_Q, updated_at__lt=cutoff).exclude(stage__in=("closed", "archived"))
    for row in rows.values(*CASE_FIELDS, "updated_at"):
        yield _case_finding(row, f"自{_d(row['updated_at'].date())}起已超过{days}日无办理记录",
                            最近办理=_d(row["updated_at"].date()))


@register("SEIZURE_OVERDUE", name="查封扣押超过法定期限未解除或处理", category="行政强制", target="coercive_measure",
          legal_basis="《中华人民共和国行政强制法》第二十五条", severity="high", triggers=CASE_TRIGGERS)
def seizure_overdue(ctx):
    """查封、扣押（冻结）的期限届满（三十日，经批准延长的加延长期，检测、检验、检疫、技术鉴定期间
    不计入），仍未解除或者作出处理决定。The end of the period is the measure's stored
    ``expires_on`` (zhifa/cases/coercion/rules.py ``expiry``), recounted on every extension and
    testing period; while a testing period runs the clock stops and nothing is flagged."""
    rows = seizures_running(ctx).filter(expires_on__lt=ctx.today)
    for row in rows.values("pk", "case_id", "case__agency_id", "case__number", "started_at", "kind", "expires_on"):
        started = row["started_at"].date() if row["started_at"] else None
        label = SHORT_NAMES.get(row["kind"], row["kind"])
        yield Finding("coercive_measure", row["pk"], row["case__agency_id"],
                      f"{_d(started)}实施{label}，期限已于{_d(row['expires_on'])}届满，仍未解除或者作出处理决定",
                      {"案号": row["case__number"], "实施日期": _d(started), "期限届满日": _d(row["expires_on"])},
                      case_id=row["case_id"])


def seizures_running(ctx):
    """Measures (查封、扣押、冻结) in force: the coercion procedure's stage "in_force" (实施中);
    a measure awaiting approval, in a testing period, released or disposed of is not running."""
    return CoerciveMeasure.objects.filter(ctx.agency_q("case__agency"), ctx.cases_q("case"), stage="in_force")


# ---------------------------------------------------------------------------- 程序合法

@register("DECISION_WITHOUT_REVIEW", name="重大执法决定未经法制审核", category="程序合法", target="case",
          legal_basis=PUNISHMENT_LAW + "第五十八条", severity="high", triggers=CASE_TRIGGERS)
def decision_without_review(ctx):
    """认定为重大执法决定的案件，作出决定前没有通过的法制审核。"""
    passed = Review.objects.filter(case=OuterRef("pk"), result=review_choices.AGREE)
    rows = (_cases(ctx).filter(decided_on__isnull=False, major_flags__isnull=False)
            .annotate(reviewed=Exists(passed)).filter(reviewed=False).distinct())
    for row in rows.values(*CASE_FIELDS, "decided_on"):
        yield _case_finding(row, f"重大执法决定于{_d(row['decided_on'])}作出，未经法制审核或审核未通过",
                            决定日期=_d(row["decided_on"]))


@register("DECISION_WITHOUT_DISCUSSION", name="情节复杂或重大违法未经集体讨论", category="程序合法", target="case",
          legal_basis=PUNISHMENT_LAW + "第五十七条第二款", severity="high", triggers=CASE_TRIGGERS)
def decision_without_discussion(ctx):
    """人工认定为情节复杂或重大违法（须集体讨论）的案件，作出决定前没有集体讨论记录。"""
    discussed = CollectiveDiscussion.objects.filter(case=OuterRef("pk"))
    serious = MajorFlag.objects.filter(case=OuterRef("pk"), kind=review_choices.FLAG_SERIOUS)
    rows = (_cases(ctx).filter(decided_on__isnull=False)
            .annotate(serious=Exists(serious), discussed=Exists(discussed)).filter(serious=True, discussed=False))
    for row in rows.values(*CASE_FIELDS, "decided_on"):
        yield _case_finding(row, "须经负责人集体讨论的案件未经集体讨论即作出决定", 决定日期=_d(row["decided_on"]))


@register("DECISION_WITHOUT_NOTICE", name="未事先告知即作出处罚决定", category="程序合法", target="case",
          legal_basis=PUNISHMENT_LAW + "第四十四条、第六十二条", severity="high", triggers=CASE_TRIGGERS)
def decision_without_notice(ctx):
    """一般程序作出处罚决定，没有送达事先告知书、当事人也未明确放弃陈述申辩。"""
    rows = _cases(ctx).filter(procedure=case_choices.GENERAL, decided_on__isnull=False, outcome="penalty",
                              notice_served_on__isnull=True, rights_waived=False)
    for row in rows.values(*CASE_FIELDS, "decided_on"):
        yield _case_finding(row, "未向当事人送达行政处罚事先告知书即作出处罚决定", 决定日期=_d(row["decided_on"]))


@register("HEARING_RIGHT_NOT_NOTIFIED", name="应告知听证权利而未告知", category="程序合法", target="case",
          legal_basis=PUNISHMENT_LAW + "第六十三条（较大数额罚款、没收较大数额违法所得或较大价值非法财物、降低资质等级、"
          "吊销许可证件、责令停产停业、责令关闭、限制从业、其他较重的行政处罚）；较大数额标准由省级或部门规定"
          "（执法主体登记的标准优先，否则按本模型阈值，默认公民5000元、法人和其他组织50000元）",
          params={"person": 5000, "organisation": 50000}, severity="high", triggers=CASE_TRIGGERS)
def hearing_right_not_notified(ctx):
    """拟作出适用听证的处罚（较大数额罚款，没收较大数额违法所得或较大价值非法财物，降低资质等级、吊销许可证件，
    责令停产停业、责令关闭、限制从业，限制开展生产经营活动），告知书未告知当事人要求听证的权利。

    The kinds are those of ``cases.rules.HEARING_KINDS`` (the rule the case services apply when
    they send the notice); "较大数额" is the agency's own threshold (``Agency.hearing_fine_*``)
    where it recorded one, else this model's threshold parameters. One query: the kinds are
    matched in SQL where the database can look into JSON arrays (PostgreSQL); elsewhere the
    cases with any penalty kind are pre-selected and confirmed here."""
    from django.db import connection
    from django.db.models.functions import Coalesce

    from zhifa.cases.rules import HEARING_KINDS

    person, organisation = Decimal(str(ctx.params["person"])), Decimal(str(ctx.params["organisation"]))
    natural = Q(party__kind="natural")
    rows = (_cases(ctx).filter(procedure=case_choices.GENERAL, hearing_right=False, outcome="penalty",
                               notice_served_on__isnull=False)
            .annotate(threshold_person=Coalesce("agency__hearing_fine_person", Value(person)),
                      threshold_org=Coalesce("agency__hearing_fine_organisation", Value(organisation))))
    large = (natural & (Q(fine_amount__gte=F("threshold_person")) | Q(confiscation_amount__gte=F("threshold_person")))) | (
        ~natural & (Q(fine_amount__gte=F("threshold_org")) | Q(confiscation_amount__gte=F("threshold_org"))))
    exact = connection.features.supports_json_field_contains
    if exact:
        kinds_q = Q()
        for kind in sorted(HEARING_KINDS):
            kinds_q |= Q(penalty_kinds__contains=[kind])
    else:
        kinds_q = ~Q(penalty_kinds=[])
    rows = rows.filter(large | kinds_q)
    for row in rows.values(*CASE_FIELDS, "fine_amount", "confiscation_amount", "penalty_kinds", "party__kind",
                           "threshold_person", "threshold_org"):
        limit = row["threshold_person"] if row["party__kind"] == "natural" else row["threshold_org"]
        kinds = sorted(set(row["penalty_kinds"] or ()) & HEARING_KINDS)
        reasons = []
        if row["fine_amount"] is not None and row["fine_amount"] >= limit:
            reasons.append(f"罚款{row['fine_amount']}元（较大数额标准{limit}元）")
        if row["confiscation_amount"] is not None and row["confiscation_amount"] >= limit:
            reasons.append(f"没收{row['confiscation_amount']}元（较大数额标准{limit}元）")
        reasons += kinds
        if not reasons:
            continue  # pre-selected by "has a penalty kind" only, none of them carries a hearing
        yield _case_finding(row, f"拟作出{'、'.join(reasons)}，未告知当事人要求听证的权利",
                            罚款金额=str(row["fine_amount"] or ""), 没收金额=str(row["confiscation_amount"] or ""),
                            处罚种类="、".join(row["penalty_kinds"] or ()), 较大数额标准=str(limit),
                            适用听证的情形="；".join(reasons))


@register("TOO_FEW_INVESTIGATORS", name="调查取证执法人员少于两人", category="人员资格", target="case",
          legal_basis=PUNISHMENT_LAW + "第四十二条", severity="high", triggers=CASE_TRIGGERS)
def too_few_investigators(ctx):
    """一般程序立案后，具有执法资格的办案人员少于两人。"""
    officers = Count("assignments", filter=Q(assignments__officer__kind=Officer.KIND_OFFICER))
    rows = (_cases(ctx).filter(procedure=case_choices.GENERAL, filed_on__isnull=False)
            .annotate(officers=officers).filter(officers__lt=2))
    for row in rows.values(*CASE_FIELDS, "officers"):
        yield _case_finding(row, f"办案执法人员仅{row['officers']}人，少于两人", 执法人员人数=row["officers"])


@register("AUXILIARY_IN_ACT", name="执法辅助人员作为办案人员", category="人员资格", target="case_officer",
          legal_basis="国办发〔2018〕118号；执法辅助人员不得从事执法活动、签署执法文书", severity="high",
          triggers=CASE_TRIGGERS)
def auxiliary_in_act(ctx):
    """执法辅助人员被列为案件的主办或协办人员（签署执法文书）。"""
    rows = CaseOfficer.objects.filter(ctx.agency_q("case__agency"), ctx.cases_q("case"),
                                      officer__kind=Officer.KIND_AUXILIARY)
    for row in rows.values("pk", "case_id", "case__agency_id", "case__number", "officer__name"):
        yield Finding("case_officer", row["pk"], row["case__agency_id"],
                      f"执法辅助人员{row['officer__name']}被列为办案人员",
                      {"案号": row["case__number"] or "（未立案）", "人员": row["officer__name"]}, case_id=row["case_id"])


@register("UNCERTIFIED_ACTOR", name="办案人员执法证件无效", category="人员资格", target="case_officer",
          legal_basis=PUNISHMENT_LAW + "第四十二条；国办发〔2018〕118号（持证上岗）", severity="high",
          triggers=CASE_TRIGGERS)
def uncertified_actor(ctx):
    """办案人员在立案之日没有有效的执法证件（未发证、未生效、已过期，或已暂扣、收回、注销）。"""
    valid_on_day = Certificate.objects.filter(
        officer=OuterRef("officer"), issued_on__lte=OuterRef("case__filed_on"),
        expires_on__gte=OuterRef("case__filed_on"),
    ).filter(Q(status=Certificate.VALID) | Q(status_changed_at__date__gt=OuterRef("case__filed_on")))
    rows = (CaseOfficer.objects.filter(ctx.agency_q("case__agency"), ctx.cases_q("case"),
                                       officer__kind=Officer.KIND_OFFICER, case__filed_on__isnull=False)
            .annotate(certified=Exists(valid_on_day)).filter(certified=False))
    for row in rows.values("pk", "case_id", "case__agency_id", "case__number", "case__filed_on", "officer__name"):
        yield Finding("case_officer", row["pk"], row["case__agency_id"],
                      f"{row['officer__name']}在{_d(row['case__filed_on'])}没有有效的执法证件",
                      {"案号": row["case__number"], "人员": row["officer__name"], "立案日期": _d(row["case__filed_on"])},
                      case_id=row["case_id"])


@register("LATE_AV_UPLOAD", name="音像记录超过24小时上传", category="全过程记录", target="evidence",
          legal_basis="国办发〔2018〕118号（执法全过程记录）：音像记录应当及时上传存储", params={"hours": 24},
          severity="low", triggers=CASE_TRIGGERS)
def late_av_upload(ctx):
    """证据上传时间晚于采集时间超过规定小时数。"""
    hours = int(ctx.params["hours"])
    rows = Evidence.objects.filter(ctx.agency_q("case__agency"), ctx.cases_q("case"),
                                   uploaded_at__gt=F("captured_at") + datetime.timedelta(hours=hours))
    for row in rows.values("pk", "case_id", "case__agency_id", "case__number", "title", "captured_at", "uploaded_at"):
        late = row["uploaded_at"] - row["captured_at"]
        yield Finding("evidence", row["pk"], row["case__agency_id"],
                      f"证据“{row['title']}”采集后{late.days * 24 + late.seconds // 3600}小时才上传",
                      {"案号": row["case__number"], "采集时间": row["captured_at"].isoformat(timespec="minutes"),
                       "上传时间": row["uploaded_at"].isoformat(timespec="minutes"), "期限": f"{hours}小时"},
                      case_id=row["case_id"])


@register("FILED_BEYOND_LIMITATION", name="超过追责时效立案", category="程序合法", target="case",
          legal_basis=PUNISHMENT_LAW + "第三十六条（二年；涉及生命健康安全、金融安全且有危害后果的五年）",
          severity="high", triggers=CASE_TRIGGERS)
def filed_beyond_limitation(ctx):
    """违法行为（连续或继续的，自行为终了之日）发生后超过二年（或五年）才立案并作出处罚。"""
    coarse = ctx.today.replace(year=ctx.today.year - 1)  # candidates: act more than a year before filing, in SQL
    rows = _cases(ctx).filter(filed_on__isnull=False, violation_continuing=False, outcome="penalty",
                              occurred_on__lt=coarse)
    for row in rows.values(*CASE_FIELDS, "occurred_on", "violation_ended_on", "filed_on", "grave_safety_harm"):
        start = row["violation_ended_on"] or row["occurred_on"]
        years = 5 if row["grave_safety_harm"] else 2
        if row["filed_on"] <= years_after(start, years):
            continue
        yield _case_finding(row, f"违法行为于{_d(start)}终了，{_d(row['filed_on'])}立案时已超过{years}年追责时效仍予处罚",
                            违法行为日期=_d(start), 立案日期=_d(row["filed_on"]), 时效=f"{years}年")


# ---------------------------------------------------------------------------- 裁量

@register("BENCHMARK_DEVIATION_NO_REASON", name="处罚偏离裁量基准且未说明理由", category="裁量权", target="case",
          legal_basis=PUNISHMENT_LAW + "第三十四条；国办发〔2022〕27号（行政裁量权基准）", severity="high",
          triggers=CASE_TRIGGERS)
def deviation_without_reason(ctx):
    """拟处罚或已决定的处罚超出裁量基准，且没有书面说明理由。"""
    rows = _cases(ctx).filter(within_benchmark=False, deviation_reason="")
    for row in rows.values(*CASE_FIELDS, "fine_amount", "discretion_level"):
        yield _case_finding(row, "处罚偏离裁量基准，未书面说明理由", 罚款金额=str(row["fine_amount"] or ""),
                            违法情节=row["discretion_level"])


@register("BENCHMARK_DEVIATION_WITH_REASON", name="处罚偏离裁量基准（已说明理由）", category="裁量权", target="case",
          legal_basis="国办发〔2022〕27号：适用基准外裁量的应当在文书中说明理由，报备监督", severity="low",
          triggers=CASE_TRIGGERS)
def deviation_with_reason(ctx):
    """处罚超出裁量基准，已书面说明理由（供监督机构审查理由是否成立）。"""
    rows = _cases(ctx).filter(within_benchmark=False).exclude(deviation_reason="")
    for row in rows.values(*CASE_FIELDS, "deviation_reason"):
        yield _case_finding(row, "处罚偏离裁量基准，已说明理由待审查", 理由=row["deviation_reason"][:200])


@register("FINE_OUTLIER", name="同类案件罚款畸轻畸重（同案不同罚）", category="裁量权", target="case",
          legal_basis="国办发〔2022〕27号（同案同罚）；" + PUNISHMENT_LAW + "第五条（过罚相当）",
          params={"robust_z": 3.5, "min_group": 8})
def fine_outlier(ctx):
    """同一执法事项、同一违法情节、同一县级区域的罚款，与中位数的稳健Z值（中位数绝对偏差）超过阈值。

    Runs on the schedule only (an outlier is relative to all its peers, so one case's write
    would mean re-reading its whole group); with ``case_ids`` only those cases are reported."""
    threshold, min_group = float(ctx.params["robust_z"]), int(ctx.params["min_group"])
    rows = (Case.objects.filter(ctx.agency_q(), decided_on__isnull=False, outcome="penalty", fine_amount__gt=0)
            .values_list("pk", "agency_id", "number", "item_id", "discretion_level", "agency__region__path",
                         "fine_amount", "item__code").iterator(chunk_size=20000))
    groups = defaultdict(list)
    for pk, agency_id, number, item_id, level, region_path, fine, item_code in rows:
        county = "/".join(region_path.split("/")[:4])
        groups[(item_id, level, county)].append((pk, agency_id, number, float(fine), item_code))
    for (_, level, _), members in groups.items():
        if len(members) < min_group:
            continue
        fines = [m[3] for m in members]
        median = statistics.median(fines)
        mad = statistics.median([abs(f - median) for f in fines])
        if mad == 0:
            continue
        for pk, agency_id, number, fine, item_code in members:
            z = 0.6745 * (fine - median) / mad
            if abs(z) <= threshold or (ctx.case_ids is not None and pk not in ctx.case_ids):
                continue
            yield Finding("case", pk, agency_id,
                          f"罚款{fine:,.0f}元，同类案件中位数{median:,.0f}元，稳健Z值{z:.1f}（{'畸重' if z > 0 else '畸轻'}）",
                          {"案号": number, "执法事项": item_code, "违法情节": level, "同类案件数": len(members),
                           "罚款金额": f"{fine:.2f}", "中位数": f"{median:.2f}", "中位数绝对偏差": f"{mad:.2f}",
                           "稳健Z值": round(z, 2), "阈值": threshold}, case_id=pk)


@register("FINED_DESPITE_NO_PENALTY", name="符合不予处罚情形仍予处罚", category="裁量权", target="case",
          legal_basis=PUNISHMENT_LAW + "第三十三条；不予处罚清单", severity="high", triggers=CASE_TRIGGERS)
def fined_despite_no_penalty(ctx):
    """记录的裁量情节满足应当不予处罚的条件（违法行为轻微并及时改正且没有造成危害后果，或没有主观过错），仍作出处罚。"""
    from zhifa.cases.rules import MINOR_FACTS, NO_FAULT_FACTS

    rows = _cases(ctx).filter(decided_on__isnull=False, outcome="penalty").exclude(fact_tags=[])
    for row in rows.values(*CASE_FIELDS, "fact_tags"):
        tags = set(row["fact_tags"] or ())
        met = MINOR_FACTS if MINOR_FACTS <= tags else NO_FAULT_FACTS if NO_FAULT_FACTS <= tags else None
        if met:
            yield _case_finding(row, "裁量情节符合应当不予处罚的情形，仍作出行政处罚", 情节="、".join(sorted(met)))


# ---------------------------------------------------------------------------- 罚没款

@register("SURCHARGE_ABOVE_CAP", name="加处罚款超过罚款数额", category="罚没款", target="case",
          legal_basis=PUNISHMENT_LAW + "第七十二条（加处罚款的数额不得超出罚款的数额）", severity="high",
          triggers=CASE_TRIGGERS)
def surcharge_above_cap(ctx):
    """已收缴的加处罚款合计超过罚款数额。"""
    rows = (_cases(ctx).filter(fine_amount__gt=0).annotate(surcharge=Sum("payments__surcharge"))
            .filter(surcharge__gt=F("fine_amount")))
    for row in rows.values(*CASE_FIELDS, "surcharge", "fine_amount"):
        yield _case_finding(row, f"加处罚款{row['surcharge']}元超过罚款数额{row['fine_amount']}元",
                            加处罚款=str(row["surcharge"]), 罚款=str(row["fine_amount"]))


@register("SURCHARGE_MISSING", name="逾期缴纳罚款未加处罚款", category="罚没款", target="payment",
          legal_basis=PUNISHMENT_LAW + "第七十二条（每日按罚款数额的百分之三加处罚款）", triggers=CASE_TRIGGERS)
def surcharge_missing(ctx):
    """缴款日期晚于缴款期限，未加处罚款，也没有批准的延期、分期缴纳。"""
    plans = PaymentPlan.objects.filter(case=OuterRef("case"))
    rows = (Payment.objects.filter(ctx.agency_q("case__agency"), ctx.cases_q("case"), surcharge=0,
                                   case__payment_due_on__isnull=False, paid_on__gt=F("case__payment_due_on"))
            .annotate(planned=Exists(plans)).filter(planned=False))
    for row in rows.values("pk", "case_id", "case__agency_id", "case__number", "paid_on", "case__payment_due_on"):
        yield Finding("payment", row["pk"], row["case__agency_id"],
                      f"缴款期限{_d(row['case__payment_due_on'])}，{_d(row['paid_on'])}缴款，未加处罚款",
                      {"案号": row["case__number"], "缴款期限": _d(row["case__payment_due_on"]),
                       "缴款日期": _d(row["paid_on"])}, case_id=row["case_id"])


@register("CLOSED_WITHOUT_EXECUTION", name="未缴款也未执行即结案", category="罚没款", target="case",
          legal_basis=PUNISHMENT_LAW + "第六十七条、第七十二条；《市场监督管理行政处罚程序规定》第七十七条",
          severity="high", triggers=CASE_TRIGGERS)
def closed_without_execution(ctx):
    """有罚款的案件已结案，但没有缴款记录也没有执行完毕日期。"""
    rows = (_cases(ctx).filter(closed_on__isnull=False, fine_amount__gt=0, executed_on__isnull=True)
            .annotate(payments_count=Count("payments")).filter(payments_count=0))
    for row in rows.values(*CASE_FIELDS, "closed_on", "fine_amount"):
        yield _case_finding(row, f"罚款{row['fine_amount']}元未缴纳也未执行，{_d(row['closed_on'])}即结案",
                            结案日期=_d(row["closed_on"]))


# ---------------------------------------------------------------------------- 公示

@register("PUBLICATION_OVERDUE", name="处罚、许可决定超期未公示", category="执法公示", target="publication",
          legal_basis="国办发〔2018〕118号：行政许可、行政处罚决定自作出之日起7个工作日内公开",
          triggers=("publicity.Publication",))
def publication_overdue(ctx):
    """行政处罚、行政许可决定超过公示期限（7个工作日）仍未公示。"""
    yield from _publication_overdue(ctx, (pub_choices.PENALTY, pub_choices.LICENSE))


@register("PUBLICATION_OTHER_OVERDUE", name="其他执法决定超期未公示", category="执法公示", target="publication",
          legal_basis="国办发〔2018〕118号：其他行政执法决定自作出之日起20个工作日内公开", severity="low",
          triggers=("publicity.Publication",))
def publication_other_overdue(ctx):
    """行政处罚、许可以外的执法决定超过公示期限（20个工作日）仍未公示。"""
    yield from _publication_overdue(ctx, None)


def _publication_overdue(ctx, kinds):
    rows = Publication.objects.filter(ctx.agency_q(), status=pub_choices.PENDING, due_on__lt=ctx.today)
    if ctx.case_ids is not None:
        rows = rows.filter(case__in=ctx.case_ids)
    rows = rows.filter(kind__in=kinds) if kinds else rows.exclude(kind__in=(pub_choices.PENALTY, pub_choices.LICENSE))
    for row in rows.values("pk", "agency_id", "case_id", "decision_number", "decided_on", "due_on"):
        yield Finding("publication", row["pk"], row["agency_id"],
                      f"决定{row['decision_number']}公示期限{_d(row['due_on'])}已过，仍未公示",
                      {"决定书文号": row["decision_number"], "决定日期": _d(row["decided_on"]),
                       "公示期限": _d(row["due_on"])}, case_id=row["case_id"])


@register("PUBLICATION_WITHDRAW_OVERDUE", name="撤销变更的决定超期未撤回公示", category="执法公示",
          target="publication_action", legal_basis=PUNISHMENT_LAW + "第四十八条第二款（三个工作日内撤回）",
          severity="high", triggers=("publicity.Publication",))
def withdraw_overdue(ctx):
    """公示的决定被撤销、变更或确认违法后，超过三个工作日未撤回或更正公示信息。"""
    rows = PublicationAction.objects.filter(ctx.agency_q("publication__agency"), status="pending",
                                            due_on__lt=ctx.today)
    if ctx.case_ids is not None:
        rows = rows.filter(publication__case__in=ctx.case_ids)
    for row in rows.values("pk", "publication__agency_id", "publication__case_id", "publication__decision_number",
                           "occurred_on", "due_on"):
        yield Finding("publication_action", row["pk"], row["publication__agency_id"],
                      f"决定{row['publication__decision_number']}应于{_d(row['due_on'])}前撤回或更正公示，逾期未办",
                      {"决定书文号": row["publication__decision_number"], "撤销变更日期": _d(row["occurred_on"]),
                       "办理期限": _d(row["due_on"])}, case_id=row["publication__case_id"])


# ---------------------------------------------------------------------------- 执法质量

@register("DECISION_REVERSED", name="决定被复议或诉讼撤销、变更、确认违法", category="执法质量", target="remedy",
          legal_basis="《中华人民共和国行政复议法》；《中华人民共和国行政诉讼法》；行政执法责任制", triggers=CASE_TRIGGERS)
def decision_reversed(ctx):
    """行政复议或行政诉讼结果撤销、变更、确认违法或无效、责令重作。"""
    labels = dict(case_choices.REMEDY_RESULT_CHOICES)
    rows = Remedy.objects.filter(ctx.agency_q("case__agency"), ctx.cases_q("case"),
                                 result__in=case_choices.REMEDY_RESULTS_AFFECTING_DECISION)
    for row in rows.values("pk", "case_id", "case__agency_id", "case__number", "kind", "result", "body", "decided_on"):
        kind = dict(case_choices.REMEDY_KIND_CHOICES)[row["kind"]]
        yield Finding("remedy", row["pk"], row["case__agency_id"],
                      f"{kind}结果：{labels[row['result']]}（{row['body']}）",
                      {"案号": row["case__number"], "途径": kind, "结果": labels[row["result"]],
                       "日期": _d(row["decided_on"])}, case_id=row["case_id"])


# ---------------------------------------------------------------------------- 队伍建设

@register("TRAINING_HOURS_SHORT", name="执法人员年度培训学时不足", category="队伍建设", target="officer",
          legal_basis="市级提升行政执法质量三年行动方案（2024—2026年）：每人每年不少于60学时，其中公共法律知识不少于20学时",
          params={"hours": 60}, severity="low")
def training_hours_short(ctx):
    """上一年度培训学时少于规定学时的在岗执法人员（每年1月起计上一年度）。"""
    hours = Decimal(str(ctx.params["hours"]))
    year = ctx.today.year - 1
    total = Sum("trainings__hours", filter=Q(trainings__date__year=year))
    rows = (Officer.objects.filter(ctx.agency_q("home_agency"), is_active=True, kind=Officer.KIND_OFFICER)
            .annotate(total=total).filter(Q(total__lt=hours) | Q(total__isnull=True)))
    for row in rows.values("pk", "home_agency_id", "name", "total"):
        got = row["total"] or Decimal(0)
        yield Finding("officer", row["pk"], row["home_agency_id"], f"{row['name']}{year}年培训{got}学时，少于{hours}学时",
                      {"人员": row["name"], "年度": year, "学时": str(got), "要求": str(hours)})


@register("CERTIFICATE_REVIEW_OVERDUE", name="执法证件逾期未年度审验", category="队伍建设", target="certificate",
          legal_basis="《陕西省行政执法证件管理办法》（年度审验）", params={"months": 12}, severity="low")
def certificate_review_overdue(ctx):
    """有效执法证件自发证或上次审验之日起超过一年未审验。"""
    cutoff = years_after(ctx.today, -1) if int(ctx.params["months"]) == 12 else \
        ctx.today - datetime.timedelta(days=int(ctx.params["months"]) * 30)
    rows = Certificate.objects.filter(ctx.agency_q("officer__home_agency"), status=Certificate.VALID,
                                      expires_on__gte=ctx.today).filter(
        Q(last_review_on__lt=cutoff) | Q(last_review_on__isnull=True, issued_on__lt=cutoff))
    for row in rows.values("pk", "officer__home_agency_id", "number", "officer__name", "issued_on", "last_review_on"):
        since = row["last_review_on"] or row["issued_on"]
        yield Finding("certificate", row["pk"], row["officer__home_agency_id"],
                      f"{row['officer__name']}的执法证{row['number']}自{_d(since)}起超过一年未审验",
                      {"证号": row["number"], "持证人": row["officer__name"], "上次审验或发证": _d(since)})


@register("REVIEWER_RATIO_LOW", name="法制审核人员不足执法人员的5%", category="队伍建设", target="agency",
          legal_basis="国办发〔2018〕118号；陕西“三项制度”指标（法制审核人员原则上不少于执法人员总数的5%）",
          params={"percent": 5, "min_officers": 10}, severity="low")
def reviewer_ratio_low(ctx):
    """执法主体的法制审核人员少于本单位执法人员的规定比例。"""
    percent, minimum = Decimal(str(ctx.params["percent"])), int(ctx.params["min_officers"])
    active = Q(officers__is_active=True, officers__kind=Officer.KIND_OFFICER)
    rows = (Agency.objects.filter(ctx.agency_q(""), is_active=True)
            .annotate(n=Count("officers", filter=active),
                      reviewers=Count("officers", filter=active & Q(officers__is_legal_reviewer=True)))
            .filter(n__gte=minimum, reviewers__lt=F("n") * percent / 100))
    for row in rows.values("pk", "name", "n", "reviewers"):
        yield Finding("agency", row["pk"], row["pk"],
                      f"执法人员{row['n']}人，法制审核人员{row['reviewers']}人，低于{percent}%",
                      {"执法人员": row["n"], "法制审核人员": row["reviewers"], "比例要求": f"{percent}%"})


@register("BENCHMARK_REVIEW_OVERDUE", name="裁量基准逾期未评估复审", category="制度建设", target="benchmark",
          legal_basis="国办发〔2022〕27号（裁量权基准动态调整）", severity="low")
def benchmark_review_overdue(ctx):
    """现行有效的裁量基准已过复审日期。"""
    rows = Benchmark.objects.filter(ctx.agency_q("item__agency"), review_due__lt=ctx.today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=ctx.today))
    for row in rows.values("pk", "item__agency_id", "item__code", "version", "review_due", "document"):
        yield Finding("benchmark", row["pk"], row["item__agency_id"],
                      f"事项{row['item__code']}的裁量基准（第{row['version']}版）应于{_d(row['review_due'])}复审，已逾期",
                      {"事项编码": row["item__code"], "发布文件": row["document"], "复审日期": _d(row["review_due"])})
