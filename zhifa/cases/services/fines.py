"""Time limits and fines (CASE-2, CASE-6): extensions and payments (罚缴分离)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.core import numbers

from .. import choices, rules
from ..models import (
    Case,
    Extension,
    Payment,
)
from .actions import MAX_EXTENSION_DAYS, check_extension, check_other_execution, check_payment
from .common import _event, check_not_future, refresh_deadline


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
def record_payment(case: Case, *, actor, paid_on, amount, bank: str, bank_reference: str, purpose: str = "") -> Payment:
    """Record the bank's confirmation of a payment (罚缴分离: the system never holds money).

    ``purpose`` says what it pays (``choices.PAY_FINE``: the fine and its late surcharge;
    ``choices.PAY_ILLEGAL_INCOME``: the confiscated illegal income); left blank, the payment is
    allocated in that order — the fine's outstanding amount (surcharge included) first, then
    the illegal income. Paying more than is outstanding is refused. The case is executed when
    every money amount of the decision is paid.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if Payment.objects.filter(bank_reference=bank_reference).exists():
        raise ValidationError({"bank_reference": "该银行缴款凭证号已登记。"})
    check_payment(case, actor)
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": "缴款金额必须大于零。"})
    check_not_future(paid_on, "paid_on", "缴款日期")
    if case.served_on and paid_on < case.served_on:
        raise ValidationError({"paid_on": "缴款日期不能早于决定书送达日期。"})
    items = {item.code: item for item in rules.money_items(case, paid_on)}
    if purpose and purpose not in dict(choices.PAYMENT_PURPOSE_CHOICES):
        raise ValidationError({"purpose": "缴纳款项无效。"})
    if purpose and purpose not in items:
        raise ValidationError({"purpose": f"本案决定没有“{dict(choices.PAYMENT_PURPOSE_CHOICES)[purpose]}”。"})
    order = [purpose] if purpose else [code for code, _ in choices.PAYMENT_PURPOSE_CHOICES if code in items]
    outstanding = sum((items[code].outstanding for code in order), Decimal("0"))
    if amount > outstanding:
        what = items[purpose].label if purpose else "罚没款"
        raise ValidationError({"amount": f"缴款金额{numbers.format_yuan(amount)}超过{what}尚欠的{numbers.format_yuan(outstanding)}。"})
    parts, rest = {}, amount
    for code in order:
        part = min(rest, items[code].outstanding)
        parts[code], rest = part, rest - part
    fine_part = surcharge_part = Decimal("0")
    if parts.get(choices.PAY_FINE):
        fine = items[choices.PAY_FINE]
        already = fine.paid
        paying = parts[choices.PAY_FINE]
        # What goes beyond the fine's principal is the surcharge (第七十二条).
        surcharge_part = max(Decimal("0"), already + paying - fine.principal) - max(Decimal("0"), already - fine.principal)
        fine_part = paying - surcharge_part
    payment = Payment.objects.create(
        case=case, paid_on=paid_on, amount=amount, surcharge=surcharge_part, fine_part=fine_part,
        income_part=parts.get(choices.PAY_ILLEGAL_INCOME, Decimal("0")), purpose=purpose, bank=bank,
        bank_reference=bank_reference, recorded_by=actor,
    )
    remaining = [item for item in rules.money_items(case, paid_on) if item.outstanding > 0]
    if not remaining and not rules.other_execution_pending(case):
        case.executed_on = max(paid_on, case.other_executed_on or paid_on)
    refresh_deadline(case)
    case.save()
    _event(case, "payment", f"登记缴款{numbers.format_yuan(amount)}（{payment_summary(payment)}；凭证号{bank_reference}）", actor, payload={
        "paid_on": paid_on.isoformat(), "amount": str(amount), "bank": bank, "bank_reference": bank_reference,
        "purpose": purpose, "fine_part": str(payment.fine_part), "surcharge": str(payment.surcharge),
        "income_part": str(payment.income_part), "executed": case.executed_on is not None,
    })
    return payment


def payment_summary(payment: Payment) -> str:
    """What a payment paid, in words: "罚款1,500.00 元、加处罚款15.00 元、没收违法所得300.00 元"."""
    parts = [(choices_label, value) for choices_label, value in (
        ("罚款", payment.fine_part), ("加处罚款", payment.surcharge), ("没收违法所得", payment.income_part)) if value]
    return "、".join(f"{label}{numbers.format_yuan(value)}" for label, value in parts) or numbers.format_yuan(payment.amount)


@transaction.atomic
def record_other_execution(case: Case, *, actor, executed_on, text: str) -> Case:
    """Record how the penalties other than money were executed (收缴吊销的许可证件、
    责令停产停业的执行、没收物品的处理…), stated in the closing report."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_other_execution(case, actor)
    others = [item for item in rules.penalty_items(case) if item.needs_own_act]
    check_not_future(executed_on, "executed_on", "执行日期")
    if case.served_on and executed_on < case.served_on:
        raise ValidationError({"executed_on": "执行日期不能早于决定书送达日期。"})
    if not text.strip():
        raise ValidationError({"text": "请填写执行情况。"})
    case.other_execution, case.other_executed_on = text.strip(), executed_on
    if not any(item.outstanding > 0 for item in rules.money_items(case, executed_on)):
        last_paid = max((p.paid_on for p in case.payments.all()), default=executed_on)
        case.executed_on = max(executed_on, last_paid)
    refresh_deadline(case)
    case.save()
    _event(case, "other_execution", "登记" + "、".join(i.kind for i in others) + "的执行情况", actor,
           payload={"executed_on": executed_on.isoformat(), "text": case.other_execution})
    return case
