"""生成检查任务: a completed draw's pairings become inspections (the bridge between the draws part
and the inspection act).

One inspection per drawn target: in a joint draw every participating agency's team and items join
one visit with one checklist (综合查一次), led by the draw's organising agency. Each inspection is
created through ``acts.services.create_inspection`` (so every rule of the act applies: published
items, two certified officers per item, the annual cap) with ``origin_kind="draw"`` and the
reference ``<draw number>#<party id>``, which also makes the step idempotent: running it again
creates only what is missing. A target whose team is incomplete, or whose inspection the act
refuses, is reported with the reason and left for the organiser to handle by hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .acts import services as act_services
from .models import Draw, DrawPairing, Inspection


@dataclass
class DrawTasks:
    created: list = field(default_factory=list)
    existing: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (target, reason)


def reference_for(draw: Draw, party_id: int) -> str:
    return f"{draw.number}#{party_id}"


def create_inspections_from_draw(draw: Draw, actor, *, planned_on) -> DrawTasks:
    """Create the inspections of a completed draw (see the module docstring)."""
    if draw.status != Draw.COMPLETED:
        raise ValidationError("抽取开奖后才能生成检查任务。")
    if not Draw.objects.restrict(actor, "change").filter(pk=draw.pk).exists():
        raise PermissionDenied("您无权为该抽取生成检查任务。")
    pairings = (DrawPairing.objects.filter(draw=draw).select_related("party", "agency", "inspector_1", "inspector_2")
                .prefetch_related("items").order_by("party_id", "id"))
    by_party: dict[int, list[DrawPairing]] = {}
    for pairing in pairings:
        by_party.setdefault(pairing.party_id, []).append(pairing)
    existing = set(Inspection.objects.filter(origin_kind="draw", origin_reference__startswith=f"{draw.number}#")
                   .values_list("origin_reference", flat=True))
    result = DrawTasks()
    for party_id, group in by_party.items():
        party = group[0].party
        reference = reference_for(draw, party_id)
        if reference in existing:
            result.existing += 1
            continue
        if any(not p.complete or p.inspector_1 is None or p.inspector_2 is None for p in group):
            result.skipped.append((party.name, "检查人员未配齐，请另行指派"))
            continue
        lead = next((p.agency for p in group if p.agency_id == draw.agency_id), group[0].agency)
        items = list({item.pk: item for p in group for item in p.items.all()}.values())
        officers = list({o.pk: o for p in group for o in (p.inspector_1, p.inspector_2)}.values())
        try:
            with transaction.atomic():
                inspection = act_services.create_inspection(
                    actor=actor, agency=lead, party=party, items=items, officers=officers, planned_on=planned_on,
                    place=party.address or party.name, subject=f"{draw.title}（{draw.number}）",
                    kind=draw.plan.kind, origin_kind="draw", origin_reference=reference)
        except (ValidationError, PermissionDenied) as exc:
            reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            result.skipped.append((party.name, reason))
            continue
        result.created.append(inspection)
    return result
