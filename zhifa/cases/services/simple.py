"""The simple procedure (简易程序, 当场处罚) in one call: register the case, propose the
penalty, attach the photo and decide on the spot — one transaction, so a refusal leaves
nothing half-written. The web form and ``POST /api/cases/cases/on-the-spot/`` both call it."""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.catalog import choices as catalog_choices
from zhifa.core import clock
from zhifa.core.scoping import ensure_in_scope

from .. import choices
from ..models import Case
from .common import _event, _prefix, cause_from_item, check_not_future, officer_of
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
                       party_heard: bool = False, photo=None, service_recipient: str = "",
                       reserved_number: str = "", decided_on: datetime.date | None = None, captured_at=None,
                       latitude=None, longitude=None, device: str = "", signature=None) -> Case:
    """当场处罚: a warning or a small fine decided by the officer at the scene (处罚法第五十一条).

    ``party`` is a registered Party, or an unsaved one registered at the scene (it is saved
    here, inside the transaction). ``photo`` is an optional StoredFile recorded as evidence.
    Every refusal (``TransitionRefused`` naming each missing requirement, ``ValidationError``,
    ``PermissionDenied``) undoes everything.

    A decision filled in on a pre-numbered form with no network (掌上执法, ``zhifa.mobile``)
    passes ``reserved_number`` (a number of the agency's own on-the-spot series reserved
    beforehand — the caller keeps the reservation), ``decided_on`` (the day it was made on site,
    not the day it arrived), and the device's ``captured_at``/``latitude``/``longitude``: the
    same rules apply, and the case record gets a 备案 event naming the number, the device time
    and position (第五十二条第三款). ``signature`` is the StoredFile of the party's signature drawn
    on the phone, recorded as evidence 电子数据 before the decision.
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
    agency = actor.agency or officer.home_agency
    day = decided_on or clock.today()
    check_not_future(day, "decided_on", "决定日期")
    if reserved_number:
        _check_reserved_number(agency, reserved_number, day)
    if party.pk is None:
        party = _save_new_party(party, actor)
    unit = actor.unit if actor.unit_id and actor.unit.agency_id == agency.pk else None
    case = open_case(
        actor=actor, agency=agency, unit=unit, item=item, party=party, cause=(cause or "").strip() or cause_from_item(item),
        occurred_on=day, place=place.strip(), facts=facts.strip(), procedure=choices.SIMPLE,
        source="inspection", officers=[officer],
    )
    set_discretion(case, actor=actor, level=level, penalty_kinds=kinds, fine_amount=fine_amount,
                   deviation_reason=deviation_reason or "")
    if photo is not None:
        add_evidence(case, photo, actor=actor, kind="audiovisual", title="现场照片", captured_at=clock.now(),
                     place_text=place.strip(), device="手机")
    if signature is not None:
        add_evidence(case, signature, actor=actor, kind="electronic", title=f"当事人签名：{party.name}"[:200],
                     captured_at=captured_at or clock.now(), place_text=place.strip(), device=device or "手机",
                     latitude=latitude, longitude=longitude)
    data = {"certificate_shown": bool(certificate_shown), "party_heard": bool(party_heard)}
    if service_recipient:
        data["service_recipient"] = service_recipient
    if reserved_number:
        data.update(decision_number=reserved_number, decided_on=day)
    case = perform_transition(case, "decide_on_spot", actor=actor, data=data)
    if reserved_number:
        place_record = {"text": place.strip(), "latitude": latitude, "longitude": longitude}
        _event(case, "spot_decision_filed",
               f"当场处罚决定备案：预编号决定书{reserved_number}，离线填写于{day.isoformat()}（处罚法第五十二条第三款）",
               actor, place=place_record,
               payload={"decision_number": reserved_number, "decided_on": day.isoformat(), "offline": True,
                        "captured_at": captured_at.isoformat() if captured_at else None, "device": device,
                        "latitude": str(latitude) if latitude is not None else None,
                        "longitude": str(longitude) if longitude is not None else None})
    return case


def _check_reserved_number(agency, number: str, day: datetime.date) -> None:
    """A reserved number must be of this agency's on-the-spot series of the decision's year and
    not yet on any case."""
    pattern = re.escape(f"{_prefix(agency)}当罚〔{day.year}〕") + r"\d+号"
    if not re.fullmatch(pattern, number):
        raise ValidationError({"decision_number": f"预编号“{number}”不属于{agency.name}{day.year}年度的当场处罚决定书编号。"})
    if Case.objects.filter(decision_number=number).exists():
        raise ValidationError({"decision_number": f"决定书编号“{number}”已被使用。"})
