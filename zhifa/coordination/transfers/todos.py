"""Desk to-dos (待办) of case transfers and jurisdiction disputes: incoming transfers to sign or
answer for the receiving agency, open disputes to decide for the coordination office's
supervisors. Registered from ``CoordinationConfig.ready`` (docs/workspace.md)."""

from zhifa.accounts import roles
from zhifa.workspace.todos import LIMIT, TodoItem, register_provider

from .. import models as m
from ..models import CaseTransfer, JurisdictionDispute
from . import services


def incoming_transfers(user):
    """Transfers sent to the user's agency awaiting 签收 or an answer (one bounded query)."""
    if not user.has_capability("cases", "change") or user.role == roles.AUXILIARY:
        return
    path = user.scope_path if not user.is_superuser else ""
    rows = (CaseTransfer.objects.restrict(user, "view")
            .filter(status__in=m.CASE_TRANSFER_OPEN, to_agency__tree_path__startswith=path or "")
            .select_related("case", "from_agency", "to_agency").order_by("answer_due", "id")[:LIMIT])
    for t in rows:
        what = "待签收" if t.status == m.SENT else "已签收，待接收或退回"
        yield TodoItem(kind="case_transfer", title=f"{t.case.number or '（未立案）'} {t.case.cause}",
                       url=t.get_absolute_url(), deadline=t.answer_due, key=f"case-transfer:{t.pk}:{t.status}",
                       subject=f"case:{t.case_id}", detail=f"{t.from_agency.name}移送的案件{what}",
                       agency_id=t.to_agency_id)


def disputes_to_decide(user):
    """Open jurisdiction disputes whose coordination office the supervisor covers."""
    if not (user.is_superuser or user.role == roles.SUPERVISOR):
        return
    path = user.scope_path if not user.is_superuser else ""
    if path is None:
        return
    rows = (JurisdictionDispute.objects.restrict(user, "view")
            .filter(status=m.DISPUTE_OPEN, office__tree_path__startswith=path)
            .select_related("case", "raised_by_agency", "other_agency", "office").order_by("decision_due", "id")[:LIMIT])
    for d in rows:
        if not services.may_decide(d, user):
            continue
        yield TodoItem(kind="jurisdiction_dispute", title=f"{d.case.number or '（未立案）'} {d.case.cause}",
                       url=d.get_absolute_url(), deadline=d.decision_due, key=f"dispute:{d.pk}",
                       subject=f"case:{d.case_id}",
                       detail=f"{d.raised_by_agency.name}与{d.other_agency.name}管辖争议，待指定管辖",
                       agency_id=d.office_id)


register_provider("case_transfer", "案件移送", incoming_transfers, area="cases",
                  list_url="coordination:case_transfer_list")
register_provider("jurisdiction_dispute", "管辖争议", disputes_to_decide, area="cases",
                  list_url="coordination:dispute_list")
