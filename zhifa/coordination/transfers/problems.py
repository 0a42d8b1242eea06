"""Supervision problem models of case transfers and jurisdiction disputes (registered with the
supervision app's registry from ``CoordinationConfig.ready``)."""

from zhifa.supervision.problems.registry import Finding, register

from .. import models as m
from ..models import CaseTransfer, JurisdictionDispute


@register("CASE_TRANSFER_ANSWER_OVERDUE", name="受移送案件逾期未答复", category="协调衔接", target="case",
          legal_basis="《中华人民共和国行政处罚法》第二十二条至第二十五条；答复期限为平台默认七个工作日"
                      "（ZHIFA_CASE_TRANSFER_ANSWER_DAYS）", severity="medium")
def case_transfer_answer_overdue(ctx):
    """移送的案件超过答复期限，受移送机关仍未接收或退回（责任机关为受移送机关）。"""
    rows = (CaseTransfer.objects.filter(ctx.agency_q("to_agency"), ctx.cases_q("case"))
            .filter(status__in=m.CASE_TRANSFER_OPEN, answer_due__lt=ctx.today)
            .values("pk", "case_id", "to_agency_id", "case__number", "from_agency__name", "answer_due", "status"))
    for row in rows:
        yield Finding("case", row["case_id"], row["to_agency_id"],
                      f"{row['from_agency__name']}移送的案件超过答复期限仍未接收或退回",
                      {"案号": row["case__number"] or "（未立案）", "答复期限": row["answer_due"].isoformat(),
                       "状态": dict(m.CASE_TRANSFER_STATUS_CHOICES)[row["status"]]}, case_id=row["case_id"])


@register("JURISDICTION_DISPUTE_OVERDUE", name="管辖争议逾期未指定管辖", category="协调衔接", target="case",
          legal_basis="《中华人民共和国行政处罚法》第二十五条；指定期限为平台默认七个工作日"
                      "（ZHIFA_JURISDICTION_DECISION_DAYS）", severity="medium")
def jurisdiction_dispute_overdue(ctx):
    """提请的管辖争议超过期限仍未指定管辖（责任机关为协调机关）。"""
    rows = (JurisdictionDispute.objects.filter(ctx.agency_q("office"), ctx.cases_q("case"))
            .filter(status=m.DISPUTE_OPEN, decision_due__lt=ctx.today)
            .values("pk", "case_id", "office_id", "case__number", "decision_due"))
    for row in rows:
        yield Finding("case", row["case_id"], row["office_id"], "管辖争议超过期限仍未指定管辖",
                      {"案号": row["case__number"] or "（未立案）", "指定期限": row["decision_due"].isoformat()},
                      case_id=row["case_id"])
