"""Opening a case (立案前的登记) and putting officers on it."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.accounts import roles
from zhifa.people.models import Officer

from .. import choices
from ..models import (
    Case,
    CaseOfficer,
)
from ..procedures import procedure_for
from .common import (
    _check_can_change,
    _check_officers_serve,
    _check_unit_of_agency,
    _event,
    _place_payload,
    _today,
    check_not_future,
    refresh_deadline,
)


@transaction.atomic
def open_case(*, actor, agency, item, party, cause, occurred_on, place, facts="", procedure=choices.GENERAL,
              unit=None, source="inspection", officers=(), place_detail=None) -> Case:
    """Register a case (线索登记, or 现场处置 under the simple procedure) with its officers.

    ``officers`` is a list of Officer; the first one leads. The item version in force on the
    day of the act is recorded (处罚法第三十七条).
    """
    if actor.role == roles.AUXILIARY:
        raise PermissionDenied("执法辅助人员不能独立立案或当场处罚。")
    if not actor.has_capability("cases", "change"):
        raise PermissionDenied("您的角色不能办理案件。")
    definition = procedure_for(procedure)
    check_not_future(occurred_on, "occurred_on", "违法行为发生日期")
    _check_unit_of_agency(unit, agency)
    _check_officers_serve(officers, agency)
    case = Case(
        procedure=procedure, stage=definition.initial, agency=agency, unit=unit, item=item,
        item_version=item.version_on(occurred_on), party=party, cause=cause, source=source,
        occurred_on=occurred_on, place=place, facts=facts, created_by=actor, registered_on=_today(),
    )
    case.save()
    for index, officer in enumerate(officers):
        CaseOfficer.objects.create(case=case, officer=officer, role="lead" if index == 0 else "assistant")
    from zhifa.core.scoping import ensure_in_scope

    ensure_in_scope(case, actor)
    refresh_deadline(case)
    case.save(update_fields=["next_deadline", "next_deadline_label"])
    _event(case, "opened", f"登记案件：{cause}", actor, payload={
        "procedure": procedure, "agency": agency.name, "item": item.code, "item_version": getattr(case.item_version, "pk", None),
        "party": party.pk, "occurred_on": occurred_on.isoformat(), "place": place, "facts": facts,
        "officers": [o.name for o in officers],
    }, place=_place_payload(place_detail))
    return case


@transaction.atomic
def assign_officer(case: Case, officer: Officer, *, actor, role="assistant") -> CaseOfficer:
    """Add a handling officer (指定办案人员)."""
    _check_can_change(case, actor)
    if actor.role not in (roles.UNIT_HEAD, roles.AGENCY_HEAD, roles.OFFICER):
        raise PermissionDenied("只有执法人员或负责人可以指定办案人员。")
    if role not in dict(choices.OFFICER_ROLE_CHOICES):
        raise ValidationError({"role": "办案人员角色无效。"})
    if officer.kind != Officer.KIND_OFFICER:
        raise ValidationError({"officer": f"{officer.name}是执法辅助人员，不能作为办案人员。"})
    if not officer.is_active:
        raise ValidationError({"officer": f"{officer.name}已不在岗，不能办理案件。"})
    _check_officers_serve([officer], case.agency, field="officer")
    assignment, created = CaseOfficer.objects.get_or_create(case=case, officer=officer, defaults={"role": role})
    if created:
        _event(case, "officer_assigned", f"指定办案人员：{officer.name}", actor, payload={"officer": officer.pk, "role": role})
    return assignment
