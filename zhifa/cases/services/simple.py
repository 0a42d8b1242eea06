"""The simple procedure (简易程序, 当场处罚) in one call: register the case, propose the
penalty, attach the photo and decide on the spot — one transaction, so a refusal leaves
nothing half-written. The web form and ``POST /api/cases/cases/on-the-spot/`` both call it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.catalog import choices as catalog_choices
from zhifa.core import clock
from zhifa.core.scoping import ensure_in_scope

from .. import choices
from ..models import Case
from .common import cause_from_item, officer_of
from .discretion import set_discretion
from .evidence import add_evidence
from .opening import open_case
from .transitions import perform_transition


def _save_new_party(party, actor):
    """A party registered at the scene (当场登记): checked like any party, never twice."""
    from zhifa.parties import services as party_services

    party_services.check_not_registered(party, actor)
    party.save()
    ensure_in_scope(party, actor)
    return party


@transaction.atomic
def decide_on_the_spot(*, actor, item, party, place: str, facts: str, level: str, penalty_kinds,
                       fine_amount=None, deviation_reason: str = "", cause: str = "", certificate_shown: bool = False,
                       party_heard: bool = False, photo=None, service_recipient: str = "") -> Case:
    """当场处罚: a warning or a small fine decided by the officer at the scene (处罚法第五十一条).

    ``party`` is a registered Party, or an unsaved one registered at the scene (it is saved
    here, inside the transaction). ``photo`` is an optional StoredFile recorded as evidence.
    Every refusal (``TransitionRefused`` naming each missing requirement, ``ValidationError``,
    ``PermissionDenied``) undoes everything.
    """
    officer = officer_of(actor)
    if officer is None:
        raise PermissionDenied("您未登记为执法人员，不能当场处罚。")
    kinds = list(penalty_kinds or [])
    if not kinds:
        raise ValidationError({"penalty_kinds": "请选择处罚种类（警告或罚款）。"})
    if catalog_choices.FINE in kinds and fine_amount is None:
        raise ValidationError({"fine_amount": "选择了罚款，请填写罚款金额。"})
    if catalog_choices.FINE not in kinds:
        fine_amount = None
    if not (place or "").strip():
        raise ValidationError({"place": "请填写地点。"})
    if not (facts or "").strip():
        raise ValidationError({"facts": "请填写违法事实。"})
    if party.pk is None:
        party = _save_new_party(party, actor)
    agency = actor.agency or officer.home_agency
    unit = actor.unit if actor.unit_id and actor.unit.agency_id == agency.pk else None
    case = open_case(
        actor=actor, agency=agency, unit=unit, item=item, party=party, cause=(cause or "").strip() or cause_from_item(item),
        occurred_on=clock.today(), place=place.strip(), facts=facts.strip(), procedure=choices.SIMPLE,
        source="inspection", officers=[officer],
    )
    set_discretion(case, actor=actor, level=level, penalty_kinds=kinds, fine_amount=fine_amount,
                   deviation_reason=deviation_reason or "")
    if photo is not None:
        add_evidence(case, photo, actor=actor, kind="audiovisual", title="现场照片", captured_at=clock.now(),
                     place_text=place.strip(), device="手机")
    data = {"certificate_shown": bool(certificate_shown), "party_heard": bool(party_heard)}
    if service_recipient:
        data["service_recipient"] = service_recipient
    return perform_transition(case, "decide_on_spot", actor=actor, data=data)
