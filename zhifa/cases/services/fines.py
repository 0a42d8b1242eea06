"""Time limits and fines (CASE-2, CASE-6): extensions and payments (罚缴分离)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import rules
from ..models import (
    Case,
    Extension,
    Payment,
)
from .actions import MAX_EXTENSION_DAYS, check_extension, check_payment
from .common import _check_can_change, _event, _today, refresh_deadline


@transaction.atomic
def approve_extension(case: Case, *, actor, days: int, reason: str) -> Extension:
    """The agency head extends the time limit for deciding (经负责人批准延长)."""
    check_extension(case, actor)
    if days <= 0 or not reason.strip():
        raise ValidationError("请填写延长天数和理由。")
    if days > MAX_EXTENSION_DAYS:
        raise ValidationError({"days": f"延长天数不能超过{MAX_EXTENSION_DAYS}日。"})
    extension = Extension.objects.create(case=case, days=days, reason=reason.strip(), approved_by=actor)
    case.extension_days += days
    refresh_deadline(case)
    case.save(update_fields=["extension_days", "next_deadline", "next_deadline_label", "updated_at"])
    _event(case, "extension", f"批准延长办案期限{days}日", actor, payload={"days": days, "reason": reason})
    return extension


@transaction.atomic
def record_payment(case: Case, *, actor, paid_on, amount, bank: str, bank_reference: str) -> Payment:
    """Record the bank's confirmation of a payment (罚缴分离: the system never holds money)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_can_change(case, actor)
    if Payment.objects.filter(bank_reference=bank_reference).exists():
        raise ValidationError({"bank_reference": "该银行缴款凭证号已登记。"})
    check_payment(case, actor)
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": "缴款金额必须大于零。"})
    if paid_on > _today() or (case.served_on and paid_on < case.served_on):
        raise ValidationError({"paid_on": "缴款日期应在送达之后、今天之前。"})
    already = rules.amount_paid(case)
    fine = case.fine_amount
    surcharge_part = max(Decimal("0"), already + amount - fine) - max(Decimal("0"), already - fine)
    payment = Payment.objects.create(case=case, paid_on=paid_on, amount=amount, surcharge=surcharge_part, bank=bank,
                                     bank_reference=bank_reference, recorded_by=actor)
    due = rules.amount_due(case, paid_on)
    if rules.amount_paid(case) >= due:
        case.executed_on = paid_on
    refresh_deadline(case)
    case.save()
    _event(case, "payment", f"登记缴款{amount}元（凭证号{bank_reference}）", actor, payload={
        "paid_on": paid_on.isoformat(), "amount": str(amount), "bank": bank, "bank_reference": bank_reference,
        "due": str(due), "executed": case.executed_on is not None,
    })
    return payment
