"""Deferral and instalments of a fine (延期、分期缴纳罚款, 处罚法第六十六条第二款): on the party's
application, for real economic difficulty, approved by the agency head. The late surcharge then
runs per instalment from its own due date (``rules.instalment_status``)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.core import numbers

from .. import rules
from ..models import Case, PaymentInstalment, PaymentPlan
from .actions import check_payment_plan
from .common import _event, _today, refresh_deadline


@transaction.atomic
def approve_payment_plan(case: Case, *, actor, kind: str, applied_on: datetime.date, reason: str,
                         instalments) -> PaymentPlan:
    """Record an approved deferral (one later due date for the whole fine) or instalment plan
    (two or more due dates whose amounts add up to the fine).

    ``instalments`` is a list of ``(due_on, amount)``. Payments already made count towards the
    earliest instalments. A later plan replaces an earlier one.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_payment_plan(case, actor)
    if kind not in dict(PaymentPlan.KIND_CHOICES):
        raise ValidationError({"kind": "请选择延期缴纳或分期缴纳。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写当事人确有经济困难的情况。"})
    today = _today()
    if applied_on > today or (case.served_on and applied_on < case.served_on):
        raise ValidationError({"applied_on": "申请日期应在决定书送达之后、今天之前。"})
    parts = sorted(((due, Decimal(amount)) for due, amount in instalments), key=lambda p: p[0])
    _check_parts(case, kind, parts, today)
    plan = PaymentPlan.objects.create(case=case, kind=kind, applied_on=applied_on, reason=reason.strip(),
                                      approved_by=actor, approved_on=today)
    PaymentInstalment.objects.bulk_create([
        PaymentInstalment(plan=plan, number=number, due_on=due, amount=amount)
        for number, (due, amount) in enumerate(parts, start=1)
    ])
    refresh_deadline(case)
    case.save(update_fields=["next_deadline", "next_deadline_label", "updated_at"])
    label = plan.get_kind_display()
    _event(case, "payment_plan", f"批准{label}罚款（{len(parts)}期，最后一期{parts[-1][0]:%Y年%m月%d日}）", actor, payload={
        "plan": plan.pk, "kind": kind, "applied_on": applied_on.isoformat(), "reason": plan.reason,
        "instalments": [{"due_on": due.isoformat(), "amount": str(amount)} for due, amount in parts],
    })
    return plan


def _check_parts(case: Case, kind: str, parts, today) -> None:
    if not parts:
        raise ValidationError({"instalments": "请填写缴款期限和金额。"})
    if kind == PaymentPlan.DEFERRAL and len(parts) != 1:
        raise ValidationError({"instalments": "延期缴纳只有一个新的缴款期限。"})
    if kind == PaymentPlan.INSTALMENTS and len(parts) < 2:
        raise ValidationError({"instalments": "分期缴纳至少分为两期。"})
    if any(amount <= 0 for _, amount in parts):
        raise ValidationError({"instalments": "每期金额必须大于零。"})
    if len({due for due, _ in parts}) != len(parts):
        raise ValidationError({"instalments": "各期缴款期限不能相同。"})
    if parts[-1][0] <= today:
        raise ValidationError({"instalments": "最后一期缴款期限应晚于今天。"})
    if kind == PaymentPlan.DEFERRAL and case.payment_due_on and parts[0][0] <= case.payment_due_on:
        raise ValidationError({"instalments": f"延期后的缴款期限应晚于原期限（{case.payment_due_on:%Y年%m月%d日}）。"})
    total = sum((amount for _, amount in parts), Decimal("0"))
    if total != case.fine_amount:
        raise ValidationError({"instalments": f"各期金额合计{numbers.format_yuan(total)}，应等于罚款金额{numbers.format_yuan(case.fine_amount)}。"})


def instalment_schedule(case: Case, on: datetime.date | None = None) -> list[rules.InstalmentStatus]:
    """The parts of the fine with their due dates, payment and surcharge on ``on`` (today)."""
    return rules.instalment_status(case, on or _today())
