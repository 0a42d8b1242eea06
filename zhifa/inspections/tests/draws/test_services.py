"""The draw's rules (INS-1, INS-2): only published items are drawn; inputs are frozen and
published before the draw; nobody chooses the seed; ratios by class and the minimum hold;
conflicted inspectors are never drawn; every pairing names two inspectors able to act."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from zhifa.catalog import choices as catalog_choices
from zhifa.core import clock
from zhifa.inspections.draws import algorithm, services
from zhifa.inspections.models import ConflictDeclaration, Draw, DrawPairing
from zhifa.people.services import may_act
from zhifa.records.services import events_for, verify_stream

from .conftest import run

pytestmark = pytest.mark.django_db


def test_unpublished_entry_cannot_be_inspected_or_drawn(world, make_draw):
    """国办发〔2024〕54号: an item not published may not be inspected — a withdrawn entry is refused."""
    assert services.may_inspect(world.entry)
    services.withdraw_entry(world.entry, world.users.head_a)
    assert services.inspectable_reasons(world.entry) == ["该抽查事项未公布，不得实施检查"]
    with pytest.raises(ValidationError, match="该抽查事项未公布"):
        make_draw()


def test_suspended_catalog_item_cannot_be_inspected(world):
    """The list entry follows its catalog item: a suspended item is no longer public."""
    world.market_item.status = catalog_choices.SUSPENDED
    world.market_item.save()
    assert "该检查事项未在执法事项目录中公布或已失效" in services.inspectable_reasons(world.entry)


def test_list_entry_needs_an_inspection_item_of_the_agency(world):
    """Only 行政检查 items within the agency's competence go on its list."""
    from zhifa.inspections.models import InspectionListEntry

    with pytest.raises(ValidationError) as exc:
        services.save_entry(InspectionListEntry(agency=world.tree.market, item=world.other_item,
                                                population_rule="x"), world.users.head_a)
    assert "职权" in str(exc.value)


def test_freeze_publishes_inputs_and_commitment_without_result(world, make_draw):
    """Freezing writes canonical inputs whose digest is published with the commitment; the secret stays hidden."""
    draw = services.freeze(make_draw(), world.users.head_a)
    assert draw.status == Draw.FROZEN
    document = json.loads(services.open_data_bytes(draw))
    assert document["secret"] is None and "result" not in document
    assert algorithm.inputs_digest(document["inputs"]) == draw.inputs_sha256 == document["inputs_sha256"]
    assert algorithm.commitment(draw.secret) == document["commitment"]
    ids = [t[0] for t in document["inputs"]["targets"]]
    assert ids == sorted(ids) and len(ids) == 43  # 40 enterprises + 3 individual businesses, not 青石县's
    assert world.parties[0].credit_code in ids
    assert not any(p.name in json.dumps(document, ensure_ascii=False) for p in world.individuals)
    assert all(i.startswith("ZF") for i in ids if not i.startswith("91"))
    certs = [row[0] for row in document["inputs"]["groups"][0]["inspectors"]]
    assert len(certs) == 4  # the auxiliary is not on the register and could not be drawn


def test_draw_cannot_complete_without_an_outside_value(world, make_draw):
    """The operator's secret alone never decides: a witness value or a lottery result is required."""
    draw = services.freeze(make_draw(), world.users.head_a)
    with pytest.raises(ValidationError, match="见证人"):
        services.complete(draw, world.users.head_a)


def test_lottery_must_be_drawn_after_the_freeze(world, make_draw):
    draw = services.freeze(make_draw(), world.users.head_a)
    with pytest.raises(ValidationError):
        services.set_lottery(draw, world.users.head_a, name="中国福利彩票3D", issue="2026001", value="123",
                             date=clock.today() - datetime.timedelta(days=1))


def test_completed_draw_reproduces_and_is_recorded(world, make_draw):
    """The published document re-runs byte for byte; the record stream verifies."""
    draw = run(make_draw(), world.users.head_a,
               lottery={"name": "中国福利彩票3D", "issue": "2026320", "value": "5 8 1", "date": clock.today()})
    document = json.loads(services.open_data_bytes(draw))
    ok, lines, result = algorithm.verify_open_data(document)
    assert ok, lines
    assert algorithm.sha256_hex(algorithm.canonical_json(result)) == draw.result_sha256
    assert [e.kind for e in events_for(draw.stream_key)] == [
        "draw_prepared", "draw_frozen", "draw_witness", "draw_lottery", "draw_completed"]
    assert verify_stream(draw.stream_key).ok


def test_ratios_by_class_and_minimum(world, make_draw):
    """Each class gets ceil(n × ratio); the minimum overall ratio tops it up."""
    draw = run(make_draw(ratio_a=0, ratio_b=0, ratio_c=10000, ratio_d=5000, ratio_n=0, min_ratio=5000),
               world.users.head_a)
    result = json.loads(services.open_data_bytes(draw))["result"]
    population = result["population"]
    assert result["quotas"]["C"] == population["C"] and result["quotas"]["D"] == (population["D"] + 1) // 2
    assert result["selected_count"] == max(result["minimum"], sum(result["quotas"].values()))
    assert result["minimum"] == (43 + 1) // 2
    reasons = {row["reason"] for row in result["selected"]}
    assert reasons == {"ratio", "minimum"}


def test_pairings_have_two_distinct_inspectors_able_to_act(world, make_draw):
    """Two inspectors per target and agency, each may act on the group's items on the draw date."""
    draw = run(make_draw(entries=[world.entry, world.city_entry], min_ratio=10000), world.users.head_a)
    pairings = list(DrawPairing.objects.filter(draw=draw).select_related("agency").prefetch_related("items"))
    assert len(pairings) == 2 * 43
    assert {p.agency for p in pairings} == {world.tree.market, world.tree.comprehensive}
    for p in pairings:
        assert p.inspector_1_id and p.inspector_2_id and p.inspector_1_id != p.inspector_2_id
        for officer in (p.inspector_1, p.inspector_2):
            assert officer.home_agency_id == p.agency_id
            assert all(may_act(officer, item, draw.draw_date).allowed for item in p.items.all())


def test_conflicted_inspector_is_never_drawn(world, make_draw):
    """Declared relations and the home township exclude an inspector, whatever the seed."""
    declared_party = world.parties[1]
    ConflictDeclaration.objects.create(officer=world.m[2], party=declared_party, relation="kin",
                                       declared_on=clock.today())
    township_parties = {p.pk for p in world.parties if p.region_id == world.tree.township.pk}
    for n in range(4):
        draw = run(make_draw(min_ratio=10000), world.users.head_a, witnesses=[("见证人", f"value-{n}")])
        for p in DrawPairing.objects.filter(draw=draw):
            team = {p.inspector_1_id, p.inspector_2_id}
            if p.party_id == declared_party.pk:
                assert world.m[2].pk not in team
            if p.party_id in township_parties:
                assert world.m[0].pk not in team  # lives in 云岭镇
        document = json.loads(services.open_data_bytes(draw))
        assert [world.m[2].certificates.get().number, declared_party.credit_code] in document["inputs"]["exclusions"]


def test_same_inspector_same_target_within_period_is_excluded(world, make_draw):
    """An inspector drawn for a target is excluded from it in the next draws within ``repeat_days``."""
    first = run(make_draw(min_ratio=10000), world.users.head_a)
    pairs = set(DrawPairing.objects.filter(draw=first).values_list("inspector_1_id", "party_id"))
    second = run(make_draw(min_ratio=10000), world.users.head_a, witnesses=[("见证人", "another")])
    for p in DrawPairing.objects.filter(draw=second):
        assert (p.inspector_1_id, p.party_id) not in pairs and (p.inspector_2_id, p.party_id) not in pairs


def test_frozen_draw_refuses_rule_changes(world, make_draw):
    draw = services.freeze(make_draw(), world.users.head_a)
    with pytest.raises(ValidationError, match="冻结"):
        services.set_rules(draw, world.users.head_a, ratio_a=100)


def test_inspector_register_holds_only_officers_whose_certificate_covers_the_item(world):
    """执法检查人员名录 as drawn: an expired or suspended certificate, a certificate of another field or an
    auxiliary is not in the published inspector list; the others are, by certificate number."""
    from zhifa.core.testing import fields
    from zhifa.people.services import suspend

    from .conftest import officer

    f = fields()
    today = clock.today()
    expired = officer(world.tree.market, "过期", 31, f["SCJG"], expires_in=-1)
    suspended = officer(world.tree.market, "暂扣", 32, f["SCJG"])
    other_field = officer(world.tree.market, "城管证", 33, f["CSGL"])
    suspend(suspended.certificates.get(), world.users.head_a, "涉嫌违纪，暂扣执法证", on=today)
    rows = services.eligible_inspectors(world.tree.market, [world.entry], today)
    drawn = {officer_id for _, _, officer_id in rows}
    assert {o.pk for o in world.m} <= drawn
    assert not drawn & {expired.pk, suspended.pk, other_field.pk, world.aux.pk}
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
