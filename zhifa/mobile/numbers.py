"""Pre-numbered on-the-spot decision forms (预编号当场处罚决定书) — the rules.

处罚法第五十二条 asks for a pre-printed, serially numbered decision form handed over on the spot.
An officer who may lose the network reserves a block of numbers for the phone beforehand
(``reserve``): each number is taken from the agency's own on-the-spot series, the same counter
``cases.services.common.decision_number(simple=True)`` draws from, so an offline number can
never collide with one issued online. A reserved number is used once (``use``, by the sync of a
decision captured offline), voided with a reason (``void``, kept and shown), or returned unused
with its block (``return_block``, kept: the series explains every gap). The API and the web
pages call these functions and nothing else.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.accounts import roles
from zhifa.cases.services.common import decision_number, officer_of
from zhifa.core import clock

from . import models as m
from .models import ReservedNumber

MAX_BLOCK = 20  # numbers per reservation
MAX_OPEN = 40  # unused numbers one officer may hold at a time
HEADS = (roles.UNIT_HEAD, roles.AGENCY_HEAD)


def visible_numbers(user):
    """Numbers the user may see: their own; a unit or agency head sees the agency's (scoped)."""
    qs = ReservedNumber.objects.restrict(user, "view")
    if not (user.is_superuser or user.role in HEADS):
        qs = qs.filter(owner=user)
    return qs.select_related("owner", "case").order_by("-id")


def available_for(user):
    """The user's reserved numbers not used, voided, returned or flagged, oldest first (the app
    takes them in this order)."""
    return (ReservedNumber.objects.restrict(user, "view")
            .filter(owner=user, state=m.NUMBER_RESERVED, flag="").order_by("id"))


@transaction.atomic
def reserve(*, actor, count: int = 10, device_label: str = "") -> list[ReservedNumber]:
    """Reserve ``count`` consecutive numbers of the actor's agency's on-the-spot series for
    their device. Only a registered officer with case-handling rights may reserve."""
    if not actor.has_capability("cases", "change"):
        raise PermissionDenied("没有办案权限，不能领用预编号决定书。")
    officer = officer_of(actor)
    if officer is None:
        raise PermissionDenied("您未登记为执法人员，不能领用预编号当场处罚决定书。")
    agency = actor.agency or officer.home_agency
    if agency is None:
        raise PermissionDenied("您不属于任何执法机关，不能领用预编号决定书。")
    try:
        count = int(count)
    except (TypeError, ValueError):
        raise ValidationError({"count": "领用数量必须是整数。"}) from None
    if not 1 <= count <= MAX_BLOCK:
        raise ValidationError({"count": f"每次领用1至{MAX_BLOCK}个编号。"})
    held = ReservedNumber.objects.filter(owner=actor, state=m.NUMBER_RESERVED).count()
    if held + count > MAX_OPEN:
        raise ValidationError({"count": f"您手中尚有{held}个未使用的预编号，合计不能超过{MAX_OPEN}个；请先使用、作废或退回。"})
    year = clock.today().year
    block = uuid.uuid4()
    label = (device_label or "").strip()[:100]
    return [ReservedNumber.objects.create(agency=agency, owner=actor, block=block, device_label=label, year=year,
                                          number=decision_number(agency, year, simple=True))
            for _ in range(count)]


def _lock(number: ReservedNumber) -> ReservedNumber:
    return ReservedNumber.objects.select_for_update().get(pk=number.pk)


def _check_may_handle(number: ReservedNumber, actor) -> None:
    if actor.pk != number.owner_id and not (actor.is_superuser or actor.role in HEADS):
        raise PermissionDenied("只有领用人或其负责人可以处理该预编号。")
    if not ReservedNumber.objects.restrict(actor, "change").filter(pk=number.pk).exists():
        raise PermissionDenied("该预编号不在您的管辖范围内。")


@transaction.atomic
def void(number: ReservedNumber, *, actor, reason: str) -> ReservedNumber:
    """作废 a reserved (possibly flagged) number with a written reason; it stays listed."""
    _check_may_handle(number, actor)
    number = _lock(number)
    if number.state != m.NUMBER_RESERVED:
        raise ValidationError(f"预编号{number.number}{number.get_state_display()}，不能作废。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明作废理由。"})
    number.state, number.reason = m.NUMBER_VOIDED, reason
    number.closed_at, number.closed_by = clock.now(), actor
    number.save()
    return number


@transaction.atomic
def return_block(block, *, actor) -> int:
    """退回 every unused, unflagged number of a block; returns how many. Flagged numbers (a
    decision refused at sync) stay with the officer until voided or used."""
    numbers = list(ReservedNumber.objects.restrict(actor, "change").select_for_update()
                   .filter(block=block, state=m.NUMBER_RESERVED, flag="").order_by("id"))
    if not numbers:
        raise ValidationError("该批次没有可退回的未使用编号。")
    for number in numbers:
        _check_may_handle(number, actor)
        number.state, number.reason = m.NUMBER_RETURNED, "未使用，整批退回"
        number.closed_at, number.closed_by = clock.now(), actor
        number.save()
    return len(numbers)


def lock_for_use(user, number_id) -> ReservedNumber:
    """The user's own reserved number, locked, ready to be used by a decision; refuses one used,
    voided or returned (a number is used at most once)."""
    number = (ReservedNumber.objects.restrict(user, "change").select_for_update()
              .filter(owner=user, pk=number_id).first())
    if number is None:
        raise ValidationError({"reserved_number": "预编号不存在或不是您领用的。"})
    if number.state != m.NUMBER_RESERVED:
        raise ValidationError({"reserved_number": f"预编号{number.number}{number.get_state_display()}，不能再次使用。"})
    return number


def mark_used(number: ReservedNumber, case, *, actor) -> None:
    """The decision with this number is on ``case`` (inside the caller's transaction)."""
    number.state, number.case, number.flag = m.NUMBER_USED, case, ""
    number.closed_at, number.closed_by = clock.now(), actor
    number.save()


def flag(number_id, reason: str) -> None:
    """A decision with this number was refused at sync: keep it reserved, flagged with why."""
    ReservedNumber.objects.filter(pk=number_id, state=m.NUMBER_RESERVED).update(flag=reason[:2000])
