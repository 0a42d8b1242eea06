"""Problem models of complaints (投诉举报问题模型), registered with the supervision registry.

- overdue acknowledgement, decision and reply (超期未受理 / 未作出处理决定 / 未答复);
- the same enterprise complained about N times within a period (同一企业被反复投诉举报);
- the same agency complained about N times within a period (同一执法主体被反复投诉).

Findings never carry the complainant's identity: only numbers, dates and subjects.
"""

import datetime

from django.db.models import Count, Max

from ..models.complaints import Complaint
from ..problems.registry import CheckContext, Finding, register
from . import procedure as proc

BASIS = "本地区投诉举报办理时限（司法行政部门按来源渠道设定，工作日；见 docs/complaints.md）"


def _d(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _complaints(ctx: CheckContext):
    return Complaint._base_manager.filter(ctx.agency_q(), agency__isnull=False)


def _overdue(ctx: CheckContext, status: str, field: str, what: str):
    rows = _complaints(ctx).filter(status=status, **{f"{field}__lt": ctx.today})
    for row in rows.values("pk", "agency_id", "number", "subject", field):
        yield Finding("complaint", row["pk"], row["agency_id"],
                      f"投诉举报{row['number']}的{what}期限已于{_d(row[field])}届满",
                      {"编号": row["number"], "事由": row["subject"], "期限": _d(row[field])})


@register("COMPLAINT_ACK_OVERDUE", name="投诉举报超期未受理", category="投诉举报", target="complaint",
          legal_basis=BASIS, severity="medium")
def acknowledge_overdue(ctx):
    """分派给执法主体的投诉举报超过受理时限仍未受理（也未转办、退回）。"""
    yield from _overdue(ctx, proc.RECEIVED, "acknowledge_due", "受理")


@register("COMPLAINT_DECISION_OVERDUE", name="投诉举报超期未作出处理决定", category="投诉举报", target="complaint",
          legal_basis="《市场监督管理行政处罚程序规定》第十八条（十五个工作日）；" + BASIS, severity="high")
def decision_overdue(ctx):
    """受理后超过处理决定时限，仍未决定立案或不予立案。"""
    yield from _overdue(ctx, proc.ACCEPTED, "decide_due", "处理决定")


@register("COMPLAINT_REPLY_OVERDUE", name="投诉举报超期未答复", category="投诉举报", target="complaint",
          legal_basis=BASIS, severity="medium")
def reply_overdue(ctx):
    """超过答复时限仍未答复投诉举报人。"""
    rows = _complaints(ctx).filter(status__in=proc.OPEN_STATUSES, reply_due__lt=ctx.today)
    for row in rows.values("pk", "agency_id", "number", "subject", "reply_due"):
        yield Finding("complaint", row["pk"], row["agency_id"],
                      f"投诉举报{row['number']}的答复期限已于{_d(row['reply_due'])}届满，仍未答复",
                      {"编号": row["number"], "事由": row["subject"], "期限": _d(row["reply_due"])})


@register("COMPLAINT_REPEATED_PARTY", name="同一企业被反复投诉举报", category="投诉举报", target="party",
          legal_basis="国办发〔2015〕58号（对投诉举报多的市场主体加大随机抽查力度）",
          params={"count": 3, "days": 90}, severity="medium")
def repeated_party(ctx):
    """同一企业（当事人）在规定天数内被投诉举报达到规定次数。"""
    count, days = int(ctx.params["count"]), int(ctx.params["days"])
    since = ctx.today - datetime.timedelta(days=days)
    rows = (_complaints(ctx).filter(reported_party__isnull=False, received_on__gt=since)
            .values("reported_party_id", "reported_party__name")
            .annotate(n=Count("pk"), last=Max("pk")).filter(n__gte=count))
    last_agency = dict(Complaint._base_manager.filter(pk__in=[r["last"] for r in rows]).values_list("pk", "agency_id"))
    for row in rows:
        yield Finding("party", row["reported_party_id"], last_agency[row["last"]],
                      f"{row['reported_party__name']}在{days}日内被投诉举报{row['n']}次",
                      {"企业": row["reported_party__name"], "次数": row["n"], "期间（日）": days})


@register("COMPLAINT_REPEATED_AGENCY", name="同一执法主体被反复投诉", category="投诉举报", target="agency",
          legal_basis="行政执法监督（投诉举报集中反映的执法问题）；阈值可由监督机构设定", params={"count": 3, "days": 90}, severity="high",
          recipient="supervisor")
def repeated_agency(ctx):
    """同一执法主体的执法行为在规定天数内被投诉达到规定次数。"""
    count, days = int(ctx.params["count"]), int(ctx.params["days"])
    since = ctx.today - datetime.timedelta(days=days)
    rows = (Complaint._base_manager.filter(ctx.agency_q("reported_agency"), reported_agency__isnull=False,
                                           received_on__gt=since)
            .values("reported_agency_id", "reported_agency__name").annotate(n=Count("pk")).filter(n__gte=count))
    for row in rows:
        yield Finding("agency", row["reported_agency_id"], row["reported_agency_id"],
                      f"{row['reported_agency__name']}在{days}日内被投诉{row['n']}次",
                      {"执法主体": row["reported_agency__name"], "次数": row["n"], "期间（日）": days})

