"""The one write path of 双随机、一公开 (INS-1, INS-2): list entries, the inspector register, conflict
declarations, annual plans and draws. Web pages and the API call these functions and nothing else.

A draw runs in three steps, each a transaction that appends an event to the record stream
``draw:<id>`` (hash-chained, ``zhifa.records``):

1. ``freeze``: the population (parties of the draw's region and target kinds, with their credit/risk
   class), the eligible inspectors of each agency group (on the register, ``may_act`` on every item of
   the group on the draw date) and the conflict exclusions are written as canonical JSON
   (``algorithm.canonical_json``), stored content-addressed, hashed (SHA-256) and published with the
   commitment ``H(secret)`` of a secret the server generates — no person chooses it;
2. ``add_witness`` / ``set_lottery``: values entered after the commitment was published;
3. ``complete``: the secret is revealed, ``seed = H(inputs digest ‖ secret ‖ witnesses ‖ lottery)``,
   the algorithm runs on the frozen bytes, the result is stored, published and turned into
   ``DrawPairing`` rows.

Identifiers in the published inputs: an organisation by its unified social credit code (public by law);
a party without one by ``ZF`` + 16 hex characters of HMAC-SHA256 under a random per-draw key (the
mapping stays in the database, the key is discarded); an inspector by the number of the certificate
that covers the items (public on the portal, PUB-2).
"""

import datetime
import hashlib
import hmac
import io
import json
import secrets
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.catalog.models import Item
from zhifa.core import clock
from zhifa.core.scoping import ensure_in_scope
from zhifa.inspections.models.draws import (
    PUBLISHED,
    TARGET_PARTY_KINDS,
    WITHDRAWN,
    ConflictDeclaration,
    Draw,
    DrawPairing,
    DrawWitness,
    InspectionListEntry,
    InspectionPlan,
    InspectorEntry,
    PlanItem,
)
from zhifa.parties.models import Party
from zhifa.people.models import Certificate, Officer
from zhifa.people.services import may_act
from zhifa.records import services as records

from . import algorithm

CLASS_OF = {"A": "A", "B": "B", "C": "C", "D": "D"}  # a party's credit_class → algorithm class ("" → "N")


# -- 随机抽查事项清单 -------------------------------------------------------------------------------

def inspectable_reasons(entry: InspectionListEntry, on: datetime.date | None = None) -> list[str]:
    """Why the entry's item cannot be inspected (or drawn) on ``on``; empty when it can.

    国办发〔2024〕54号: an inspection item not published may not be inspected — the list entry must be
    published and its catalog item be public (in force, of an active agency) on that day."""
    on = on or clock.today()
    reasons = []
    if entry.status != PUBLISHED:
        reasons.append("该抽查事项未公布，不得实施检查")
    if not Item.objects.public().filter(pk=entry.item_id).exists() or not entry.item.is_in_force(on):
        reasons.append("该检查事项未在执法事项目录中公布或已失效")
    if not entry.item.is_competent(entry.agency_id, on):
        reasons.append("检查主体无权实施该检查事项")
    return reasons


def may_inspect(entry: InspectionListEntry, on: datetime.date | None = None) -> bool:
    """Whether the entry's item may be inspected on ``on`` (for the inspection act, INS-5)."""
    return not inspectable_reasons(entry, on)


def _check_entry(entry: InspectionListEntry) -> None:
    errors = {}
    if entry.item_id and entry.item.kind != "inspection":
        errors["item"] = "只能选择“行政检查”类执法事项。"
    elif entry.item_id and entry.agency_id and not entry.item.is_competent(entry.agency_id):
        errors["item"] = "该检查事项不属于检查主体的职权（或赋权）范围。"
    if not (entry.population_rule or "").strip():
        errors["population_rule"] = "请填写检查对象范围。"
    if errors:
        raise ValidationError(errors)


def save_entry(entry: InspectionListEntry, actor) -> InspectionListEntry:
    """Create or change a list entry (the legal basis defaults to the item's current citation).
    A published entry keeps its status; its changes are in the audit trail."""
    _check_entry(entry)
    if not (entry.legal_basis or "").strip():
        version = entry.item.current_version
        entry.legal_basis = version.citation if version else ""
    with transaction.atomic():
        entry.save()
        ensure_in_scope(entry, actor)
    return entry


def publish_entry(entry: InspectionListEntry, actor, on: datetime.date | None = None) -> InspectionListEntry:
    """Publish the entry on the portal's 随机抽查事项清单."""
    if entry.status == PUBLISHED:
        raise ValidationError("该抽查事项已公布。")
    if not Item.objects.public().filter(pk=entry.item_id).exists():
        raise ValidationError("检查事项未在执法事项目录中公布（已暂停、取消或实施主体无效），不能列入抽查事项清单。")
    with transaction.atomic():
        entry.status, entry.published_on = PUBLISHED, on or clock.today()
        entry.save(update_fields=["status", "published_on"])
        ensure_in_scope(entry, actor)
    return entry


def withdraw_entry(entry: InspectionListEntry, actor) -> InspectionListEntry:
    """Withdraw a published entry: it can no longer be drawn or inspected."""
    if entry.status != PUBLISHED:
        raise ValidationError("只有已公布的抽查事项可以撤回。")
    with transaction.atomic():
        entry.status = WITHDRAWN
        entry.save(update_fields=["status"])
        ensure_in_scope(entry, actor)
    return entry


# -- 执法检查人员名录 and 回避关系 ---------------------------------------------------------------------

def register_inspector(entry: InspectorEntry, actor) -> InspectorEntry:
    """Put an officer on an agency's inspector register (执法检查人员名录)."""
    errors = {}
    officer = entry.officer
    if officer.kind != Officer.KIND_OFFICER:
        errors["officer"] = "执法辅助人员不能列入执法检查人员名录。"
    elif entry.agency_id not in {a.pk for a in officer.acting_agencies(clock.today())}:
        errors["officer"] = "该人员不属于本检查主体（或未派驻到本检查主体）。"
    if entry.home_region_id and entry.home_region.level != "township":
        errors["home_region"] = "户籍或居住地请选择乡镇（街道）级行政区划。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry.save()
        ensure_in_scope(entry, actor)
    return entry


def declare_conflict(declaration: ConflictDeclaration, actor) -> ConflictDeclaration:
    """Record a declared relation (回避关系): the officer is never drawn for that party."""
    if declaration.valid_until and declaration.valid_until < declaration.declared_on:
        raise ValidationError({"valid_until": "有效期不能早于申报日期。"})
    with transaction.atomic():
        declaration.save()
        ensure_in_scope(declaration, actor)
    return declaration


# -- 年度抽查计划 -------------------------------------------------------------------------------------

def save_plan(plan: InspectionPlan, actor, participants=None) -> InspectionPlan:
    """Create or change a plan (participants: the other agencies of a joint plan)."""
    if plan.status == PUBLISHED and plan.pk:
        raise ValidationError("已公布的计划不能修改。")
    with transaction.atomic():
        plan.save()
        if participants is not None:
            plan.participants.set([a for a in participants if a.pk != plan.agency_id])
        ensure_in_scope(plan, actor)
    return plan


def plan_agency_ids(plan) -> set:
    return {plan.agency_id, *plan.participants.values_list("pk", flat=True)}


def add_plan_item(plan: InspectionPlan, entry: InspectionListEntry, actor, quarter: int = 0, note: str = "") -> PlanItem:
    """Add a list entry to a plan: an entry of the lead agency or of a participant."""
    if plan.status == PUBLISHED:
        raise ValidationError("已公布的计划不能修改。")
    if entry.agency_id not in plan_agency_ids(plan):
        raise ValidationError({"entry": "只能列入牵头单位或联合检查单位的抽查事项。"})
    if PlanItem.objects.filter(plan=plan, entry=entry).exists():
        raise ValidationError({"entry": "该抽查事项已在计划中。"})
    with transaction.atomic():
        row = PlanItem.objects.create(plan=plan, entry=entry, quarter=quarter, note=note)
        ensure_in_scope(plan, actor)
    return row


def publish_plan(plan: InspectionPlan, actor, on: datetime.date | None = None) -> InspectionPlan:
    """Publish the plan on the portal; it needs at least one item, all of them published."""
    if plan.status == PUBLISHED:
        raise ValidationError("该计划已公布。")
    items = list(plan.plan_items.select_related("entry"))
    if not items:
        raise ValidationError("计划中还没有抽查事项。")
    unpublished = [str(row.entry) for row in items if row.entry.status != PUBLISHED]
    if unpublished:
        raise ValidationError(f"以下抽查事项尚未公布：{'、'.join(unpublished)}。")
    with transaction.atomic():
        plan.status, plan.published_on = PUBLISHED, on or clock.today()
        plan.save(update_fields=["status", "published_on"])
        ensure_in_scope(plan, actor)
    return plan


# -- 双随机抽取 ---------------------------------------------------------------------------------------

def create_draw(plan: InspectionPlan, actor, *, number: str, title: str, entries, draw_date: datetime.date,
                region=None, inspectors_per_target: int = 2) -> Draw:
    """Prepare a draw under a published plan for some of its entries (all inspectable on the draw date).
    The ratios start from the plan's; the participants are the other agencies whose entries are drawn."""
    if plan.status != PUBLISHED:
        raise ValidationError("年度抽查计划公布后才能组织抽取。")
    entries = list(entries)
    if not entries:
        raise ValidationError({"entries": "请选择抽查事项。"})
    planned = set(plan.plan_items.values_list("entry_id", flat=True))
    errors = []
    for entry in entries:
        if entry.pk not in planned:
            errors.append(f"“{entry}”不在该年度抽查计划中")
        errors.extend(f"“{entry}”：{reason}" for reason in inspectable_reasons(entry, draw_date))
    if errors:
        raise ValidationError({"entries": errors})
    region = region or plan.agency.region
    if not region.path.startswith(plan.agency.region.path):
        raise ValidationError({"region": "检查对象所在区域须在牵头单位所在行政区划内。"})
    if inspectors_per_target < 1:
        raise ValidationError({"inspectors_per_target": "每个对象至少1名检查人员。"})
    draw = Draw(plan=plan, number=number.strip(), title=title.strip(), agency=plan.agency, region=region,
                draw_date=draw_date, inspectors_per_target=inspectors_per_target,
                **{f: getattr(plan, f) for f in ("ratio_a", "ratio_b", "ratio_c", "ratio_d", "ratio_n", "min_ratio",
                                                 "repeat_days")})
    if Draw.objects.filter(number=draw.number).exists():
        raise ValidationError({"number": "该抽取编号已使用。"})
    with transaction.atomic():
        draw.save()
        draw.entries.set(entries)
        draw.participants.set({e.agency_id for e in entries} - {plan.agency_id})
        ensure_in_scope(draw, actor)
        records.append_event(draw.stream_key, "draw_prepared", f"准备抽取：{draw.number}", actor=actor,
                             payload={"number": draw.number, "plan": plan.pk,
                                      "entries": sorted(e.pk for e in entries)})
    return draw


def set_rules(draw: Draw, actor, **values) -> Draw:
    """Change the ratios or the avoidance period while the draw is still being prepared."""
    if draw.status != Draw.PREPARED:
        raise ValidationError("输入数据冻结后不能再修改抽取规则。")
    allowed = {"ratio_a", "ratio_b", "ratio_c", "ratio_d", "ratio_n", "min_ratio", "repeat_days",
               "inspectors_per_target"}
    for name, value in values.items():
        if name not in allowed:
            raise ValidationError(f"不能修改 {name}。")
        if name.startswith(("ratio", "min_ratio")) and not 0 <= int(value) <= 10000:
            raise ValidationError({name: "比例应在0至10000（万分比）之间。"})
        setattr(draw, name, int(value))
    with transaction.atomic():
        draw.save()
        ensure_in_scope(draw, actor)
    return draw


def _groups(draw: Draw) -> list[dict]:
    """One group per agency with entries in the draw (organiser first, then by agency id)."""
    by_agency = defaultdict(list)
    for entry in draw.entries.select_related("agency", "item", "item__agency").order_by("id"):
        by_agency[entry.agency_id].append(entry)
    order = sorted(by_agency, key=lambda pk: (pk != draw.agency_id, pk))
    return [{"agency": by_agency[pk][0].agency, "entries": by_agency[pk]} for pk in order]


def eligible_inspectors(agency, entries, on: datetime.date) -> list[tuple[str, str, int]]:
    """``(certificate number, home township code, officer id)`` of the agency's registered inspectors
    who may act on every entry's item on ``on``, sorted by certificate number."""
    rows = []
    register = (InspectorEntry.objects.filter(agency=agency, is_active=True)
                .select_related("officer__home_agency", "officer__dispatched_to__agency", "home_region")
                .prefetch_related("officer__certificates__fields"))
    items = [e.item for e in entries]
    for reg in register:
        officer = reg.officer
        if not all(may_act(officer, item, on).allowed for item in items):
            continue
        fields = {item.field_id for item in items}
        covering = sorted(c.number for c in officer.certificates.all()
                          if c.is_usable(on) and fields <= {f.id for f in c.fields.all()})
        if covering:
            rows.append((covering[0], reg.home_region.code if reg.home_region_id else "", officer.pk))
    rows.sort()
    return rows


def _target_kinds(entries) -> set:
    kinds = set()
    for entry in entries:
        kinds.update(TARGET_PARTY_KINDS[entry.target_kind])
    return kinds


def build_inputs(draw: Draw) -> tuple[dict, dict, dict]:
    """The canonical inputs of ``draw`` as of now, with the private maps ``{target id: party id}``
    (pseudonymous ids only) and ``{certificate number: officer id}``."""
    groups = _groups(draw)
    entries = [e for g in groups for e in g["entries"]]
    key = secrets.token_bytes(32)  # per-draw pseudonym key, discarded after the freeze
    pseudonyms = {}
    targets = []
    parties = (Party.objects.filter(region_path__startswith=draw.region.path, kind__in=_target_kinds(entries))
               .values_list("pk", "credit_code", "credit_class", "region__code").iterator(chunk_size=20000))
    party_of = {}
    for pk, code, cls, region_code in parties:
        if code:
            target_id = code
        else:
            target_id = "ZF" + hmac.new(key, str(pk).encode(), hashlib.sha256).hexdigest()[:16].upper()
            pseudonyms[target_id] = pk
        party_of[pk] = target_id
        targets.append([target_id, CLASS_OF.get(cls, "N"), region_code])
    targets.sort()
    officers = {}
    group_docs = []
    for group in groups:
        inspectors = eligible_inspectors(group["agency"], group["entries"], draw.draw_date)
        officers.update({cert: officer for cert, _home, officer in inspectors})
        group_docs.append({
            "agency": group["agency"].name,
            "items": [{"code": e.item.code, "name": e.item.name} for e in group["entries"]],
            "inspectors": [[cert, home] for cert, home, _officer in inspectors],
        })
    cert_of = {officer: cert for cert, officer in officers.items()}
    exclusions = set()
    declared = ConflictDeclaration.objects.filter(officer_id__in=cert_of, declared_on__lte=draw.draw_date).exclude(
        valid_until__lt=draw.draw_date).values_list("officer_id", "party_id")
    for officer_id, party_id in declared:
        if party_id in party_of:
            exclusions.add((cert_of[officer_id], party_of[party_id]))
    since = draw.draw_date - datetime.timedelta(days=draw.repeat_days)
    recent = (DrawPairing.objects.filter(draw__status=Draw.COMPLETED, draw__draw_date__gte=since,
                                         draw__draw_date__lte=draw.draw_date)
              .exclude(draw=draw).values_list("inspector_1_id", "inspector_2_id", "party_id"))
    for first, second, party_id in recent:
        for officer_id in (first, second):
            if officer_id in cert_of and party_id in party_of:
                exclusions.add((cert_of[officer_id], party_of[party_id]))
    inputs = {
        "format": algorithm.INPUTS_FORMAT,
        "draw": {
            "number": draw.number, "title": draw.title, "date": draw.draw_date.isoformat(),
            "organiser": draw.agency.name, "plan": str(draw.plan),
            "region": {"code": draw.region.code, "name": draw.region.name},
        },
        "rules": {"ratios": draw.ratios(), "min_ratio": draw.min_ratio,
                  "inspectors_per_target": draw.inspectors_per_target, "repeat_days": draw.repeat_days},
        "targets": targets,
        "groups": group_docs,
        "exclusions": [list(pair) for pair in sorted(exclusions)],
    }
    return inputs, pseudonyms, officers


def _locked(draw: Draw) -> Draw:
    return Draw.objects.select_for_update().get(pk=draw.pk)


def _store_json(data: bytes, name: str):
    return records.store_file(io.BytesIO(data), name, "application/json")


def freeze(draw: Draw, actor) -> Draw:
    """Freeze and publish the draw's inputs with the commitment of a fresh server-made secret."""
    with transaction.atomic():
        draw = _locked(draw)
        if draw.status != Draw.PREPARED:
            raise ValidationError("该抽取的输入数据已冻结。")
        inputs, pseudonyms, _officers = build_inputs(draw)
        if not inputs["targets"]:
            raise ValidationError("检查对象名录为空：所选区域内没有符合抽查事项对象类型的经营主体。")
        short = [g["agency"] for g in inputs["groups"] if len(g["inspectors"]) < draw.inspectors_per_target]
        if short:
            raise ValidationError(f"以下单位可抽取的执法检查人员少于{draw.inspectors_per_target}名：{'、'.join(short)}。")
        data = algorithm.canonical_json(inputs)
        stored = _store_json(data, f"draw-{draw.pk}-inputs.txt")
        draw.inputs_file = stored
        draw.inputs_sha256 = algorithm.sha256_hex(data)
        draw.secret = secrets.token_hex(32)
        draw.commitment = algorithm.commitment(draw.secret)
        draw.target_count = len(inputs["targets"])
        draw.inspector_count = sum(len(g["inspectors"]) for g in inputs["groups"])
        draw.status, draw.frozen_at = Draw.FROZEN, clock.now()
        draw.save()
        ensure_in_scope(draw, actor)
        _save_pseudonyms(draw, pseudonyms)
        records.append_event(
            draw.stream_key, "draw_frozen", f"冻结并公布抽取输入：{draw.target_count}个对象，{draw.inspector_count}名检查人员",
            actor=actor, files=[stored],
            payload={"inputs_sha256": draw.inputs_sha256, "commitment": draw.commitment,
                     "targets": draw.target_count, "inspectors": draw.inspector_count},
        )
    return draw


def _save_pseudonyms(draw: Draw, pseudonyms: dict) -> None:
    """Keep the private map of pseudonymous target ids (never published) beside the draw."""
    stored = records.store_file(io.BytesIO(algorithm.canonical_json(pseudonyms)), f"draw-{draw.pk}-ids.txt",
                                "application/json")
    Draw.objects.filter(pk=draw.pk).update(pseudonyms_file=stored)
    draw.pseudonyms_file = stored


def add_witness(draw: Draw, actor, *, name: str, value: str) -> DrawWitness:
    """Enter a witness's value (after the commitment, before the draw)."""
    name, value = (name or "").strip(), (value or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写见证人。"
    if not value:
        errors["value"] = "请填写见证人给出的随机值。"
    elif len(value) > 64:
        errors["value"] = "随机值不超过64个字符。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        draw = _locked(draw)
        if draw.status != Draw.FROZEN:
            raise ValidationError("只能在输入数据冻结公布之后、开奖之前录入见证人随机值。")
        position = draw.witnesses.count() + 1
        witness = DrawWitness.objects.create(draw=draw, position=position, name=name, value=value, entered_by=actor)
        ensure_in_scope(draw, actor)
        records.append_event(draw.stream_key, "draw_witness", f"见证人{name}录入随机值", actor=actor,
                             payload={"position": position, "name": name, "value": value})
    return witness


def set_lottery(draw: Draw, actor, *, name: str, issue: str, value: str, date: datetime.date) -> Draw:
    """Enter a named public lottery result drawn on or after the day the inputs were frozen."""
    errors = {}
    for field, text in (("lottery_name", name), ("lottery_issue", issue), ("lottery_value", value)):
        if not (text or "").strip():
            errors[field] = "请填写完整的开奖信息。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        draw = _locked(draw)
        if draw.status != Draw.FROZEN:
            raise ValidationError("只能在输入数据冻结公布之后、开奖之前录入公开开奖结果。")
        if draw.lottery_value:
            raise ValidationError("已录入公开开奖结果，不能更改。")
        if date < timezone.localtime(draw.frozen_at).date():
            raise ValidationError({"lottery_date": "公开开奖须在输入数据冻结公布之后进行。"})
        draw.lottery_name, draw.lottery_issue, draw.lottery_value = name.strip(), issue.strip(), value.strip()
        draw.lottery_date = date
        draw.save()
        ensure_in_scope(draw, actor)
        records.append_event(draw.stream_key, "draw_lottery", f"录入公开开奖结果：{draw.lottery_name}第{draw.lottery_issue}期",
                             actor=actor, payload=lottery_of(draw) | {"date": date.isoformat()})
    return draw


def witnesses_of(draw: Draw) -> list[dict]:
    return [{"name": w.name, "value": w.value} for w in draw.witnesses.order_by("position")]


def lottery_of(draw: Draw) -> dict | None:
    if not draw.lottery_value:
        return None
    return {"name": draw.lottery_name, "issue": draw.lottery_issue, "value": draw.lottery_value}


def read_stored(stored) -> bytes:
    with records.open_stored(stored) as handle:
        return handle.read()


def complete(draw: Draw, actor) -> Draw:
    """Reveal the secret, compute the seed, run the algorithm on the frozen inputs, publish the
    result and write the pairings."""
    with transaction.atomic():
        draw = _locked(draw)
        if draw.status != Draw.FROZEN:
            raise ValidationError("只有已冻结公布的抽取可以开奖。")
        witnesses = witnesses_of(draw)
        lottery = lottery_of(draw)
        if not witnesses and lottery is None:
            raise ValidationError("开奖前须至少录入一名见证人的随机值或一个公开开奖结果，以免任何人（包括操作员）决定结果。")
        inputs = json.loads(read_stored(draw.inputs_file))
        draw.seed = algorithm.compute_seed(draw.inputs_sha256, draw.secret, witnesses, lottery)
        result = algorithm.run_draw(inputs, draw.seed, draw.inputs_sha256)
        data = algorithm.canonical_json(result)
        stored = _store_json(data, f"draw-{draw.pk}-result.txt")
        draw.result_file, draw.result_sha256 = stored, algorithm.sha256_hex(data)
        draw.selected_count, draw.incomplete_teams = result["selected_count"], result["incomplete_teams"]
        draw.status, draw.completed_at = Draw.COMPLETED, clock.now()
        draw.save()
        ensure_in_scope(draw, actor)
        _write_pairings(draw, inputs, result)
        records.append_event(
            draw.stream_key, "draw_completed", f"开奖：抽中{draw.selected_count}个检查对象", actor=actor, files=[stored],
            payload={"secret": draw.secret, "seed": draw.seed, "result_sha256": draw.result_sha256,
                     "selected": draw.selected_count, "incomplete_teams": draw.incomplete_teams},
        )
    return draw


def _write_pairings(draw: Draw, inputs: dict, result: dict) -> None:
    groups = _groups(draw)
    pseudonyms = json.loads(read_stored(draw.pseudonyms_file)) if draw.pseudonyms_file_id else {}
    selected = result["selected"]
    codes = [row["id"] for row in selected if row["id"] not in pseudonyms]
    party_ids = {}
    for start in range(0, len(codes), 5000):  # bounded IN lists (SQLite's variable limit)
        party_ids.update(Party.objects.filter(credit_code__in=codes[start:start + 5000]).values_list("credit_code", "pk"))
    party_ids.update(pseudonyms)
    certs = {c for row in selected for team in row["inspectors"] for c in team}
    officer_ids = dict(Certificate.objects.filter(number__in=certs).values_list("number", "officer_id"))
    rows = []
    for row in selected:
        for index, team in enumerate(row["inspectors"]):
            officers = [officer_ids[c] for c in team] + [None, None]
            rows.append(DrawPairing(
                draw=draw, party_id=party_ids[row["id"]], agency=groups[index]["agency"],
                inspector_1_id=officers[0], inspector_2_id=officers[1], target_class=row["class"],
                reason=row["reason"], complete=len(team) >= draw.inspectors_per_target,
            ))
    DrawPairing.objects.bulk_create(rows, batch_size=2000)
    through = DrawPairing.items.through
    links = []
    for pairing in rows:
        group = groups[[g["agency"].pk for g in groups].index(pairing.agency_id)]
        links.extend(through(drawpairing_id=pairing.pk, item_id=e.item_id) for e in group["entries"])
    through.objects.bulk_create(links, batch_size=5000)


# -- open data -----------------------------------------------------------------------------------

def open_data_bytes(draw: Draw) -> bytes:
    """The published document of a frozen or completed draw (``algorithm.OPEN_DATA_FORMAT``): the
    inputs and the result are inserted as their stored canonical bytes."""
    if not draw.is_public:
        raise PermissionDenied("该抽取尚未公布。")
    head = {
        "format": algorithm.OPEN_DATA_FORMAT,
        "number": draw.number,
        "title": draw.title,
        "status": draw.status,
        "frozen_at": draw.frozen_at.isoformat() if draw.frozen_at else None,
        "inputs_sha256": draw.inputs_sha256,
        "commitment": draw.commitment,
        "witnesses": witnesses_of(draw),
        "lottery": lottery_of(draw),
        "secret": draw.secret if draw.status == Draw.COMPLETED else None,
        "seed": draw.seed or None,
        "result_sha256": draw.result_sha256 or None,
        "completed_at": draw.completed_at.isoformat() if draw.completed_at else None,
    }
    parts = [json.dumps(head, ensure_ascii=False)[:-1].encode("utf-8"), b', "inputs": ', read_stored(draw.inputs_file)]
    if draw.status == Draw.COMPLETED:
        parts += [b', "result": ', read_stored(draw.result_file)]
    parts.append(b"}")
    return b"".join(parts)

