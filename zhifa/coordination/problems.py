"""Supervision problem models of the transfer of suspected crimes (registered with the supervision
app's registry; the supervising bureau edits thresholds and switches them per region)."""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest

from zhifa.cases.models import Case
from zhifa.supervision.problems.registry import Finding, register

from . import models as m
from .models import CriminalTransfer

RULES = "《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）"


@register("CRIMINAL_TRANSFER_OVERDUE", name="涉嫌犯罪案件移送环节超期", category="两法衔接", target="case",
          legal_basis=RULES + "第五条（三日内决定、二十四小时内移送）、第九条（三日内移交涉案物品）", severity="high")
def criminal_transfer_overdue(ctx):
    """移送报告后三日内未作出决定、批准后二十四小时内未移送，或公安机关立案后三日内未移交涉案物品。"""
    now = datetime.datetime.combine(ctx.today, datetime.time.min, tzinfo=datetime.UTC)
    rows = (CriminalTransfer.objects.filter(ctx.agency_q("case__agency"), ctx.cases_q("case"))
            .filter(Q(status=m.REPORTED, decision_due__lt=ctx.today)
                    | Q(status=m.APPROVED, transfer_due_at__lt=now)
                    | Q(status=m.POLICE_OPENED, handover_due__lt=ctx.today))
            .values("pk", "status", "case_id", "case__agency_id", "case__number", "decision_due", "transfer_due_at",
                    "handover_due", "suspected_offence"))
    for row in rows:
        if row["status"] == m.REPORTED:
            summary, due = "移送报告后超过三日负责人未作出是否移送的决定", row["decision_due"]
        elif row["status"] == m.APPROVED:
            summary, due = "批准移送后超过二十四小时仍未移送公安机关", row["transfer_due_at"].date()
        else:
            summary, due = "公安机关立案后超过三日仍未移交涉案物品和材料", row["handover_due"]
        yield Finding("case", row["case_id"], row["case__agency_id"], f"{summary}（涉嫌{row['suspected_offence']}）",
                      {"案号": row["case__number"] or "（未立案）", "期限": due.isoformat()}, case_id=row["case_id"])


@register("PENALTY_INSTEAD_OF_TRANSFER", name="涉案金额达到刑事追诉标准仅作罚款（以罚代刑）", category="两法衔接",
          target="case", legal_basis=RULES + "第十一条（不得以行政处罚代替移送）", severity="high",
          params={"default_threshold": 50000, "thresholds": {}},
          description="给予行政处罚的案件，罚款或没收金额中较大者达到该事项的刑事追诉金额标准（按事项编码配置，"
                      "未配置的事项用默认标准），而没有涉嫌犯罪移送记录。默认标准 50,000 元参照刑法第一百四十条"
                      "（生产、销售伪劣产品，销售金额五万元以上），由监督机关按事项调整。")
def penalty_instead_of_transfer(ctx):
    """给予行政处罚、涉案金额达到刑事追诉标准而未移送公安机关的案件。"""
    thresholds = {str(k): Decimal(str(v)) for k, v in (ctx.params.get("thresholds") or {}).items()}
    default = ctx.params.get("default_threshold")
    default = Decimal(str(default)) if default not in (None, "") else None
    zero = Decimal("0")
    base = (Case.objects.filter(ctx.agency_q(), ctx.cases_q("pk"), outcome="penalty", decided_on__isnull=False)
            .exclude(criminal_transfers__isnull=False)
            .annotate(top=Greatest(Coalesce("fine_amount", zero), Coalesce("confiscation_amount", zero))))
    floor = min([*thresholds.values(), *([default] if default is not None else [])], default=None)
    if floor is None:
        return
    for row in base.filter(top__gte=floor).values("pk", "agency_id", "number", "item__code", "top"):
        limit = thresholds.get(row["item__code"], default)
        if limit is None or row["top"] < limit:
            continue
        yield Finding("case", row["pk"], row["agency_id"],
                      f"罚没金额{row['top']:,.2f}元达到刑事追诉标准{limit:,.2f}元，未移送公安机关",
                      {"案号": row["number"] or "（未立案）", "事项编码": row["item__code"], "标准": f"{limit:,.2f}"},
                      case_id=row["pk"])
