"""Shared data of the draw tests: a published inspection list of two agencies of 云岭县, their
inspector registers, enterprises of every credit/risk class, and a published joint annual plan."""

import datetime
from types import SimpleNamespace

import pytest

from zhifa.accounts import roles
from zhifa.catalog import services as catalog
from zhifa.core import clock
from zhifa.core.testing import fields, make_user
from zhifa.inspections.draws import services
from zhifa.inspections.models import InspectionListEntry, InspectionPlan, InspectorEntry
from zhifa.parties.models import Party
from zhifa.parties.synthetic import _credit_code
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate

FIRST = datetime.date(2020, 1, 1)


def officer(agency, name, n, field, *, number=None, kind=Officer.KIND_OFFICER, home=None, register=True,
            expires_in=1000):
    """An officer of ``agency`` with a certificate covering ``field`` (none for an auxiliary)."""
    id_first17 = f"61992119900101{n:03d}"
    from zhifa.core.validators import id_number_check_char

    person = Officer.objects.create(name=name, id_number=id_first17 + id_number_check_char(id_first17),
                                    home_agency=agency, kind=kind)
    if kind == Officer.KIND_OFFICER:
        today = clock.today()
        issue_certificate(person, number=number or f"6199212026{n:04d}", fields=[field], issuing_authority="秦川市人民政府",
                          issued_on=today - datetime.timedelta(days=30),
                          expires_on=today + datetime.timedelta(days=expires_in))
    if register:
        InspectorEntry.objects.create(agency=agency, officer=person, home_region=home)
    return person


def enterprise(region, n, credit_class, kind=Party.LEGAL):
    """An enterprise (or individual business without credit code) of ``region``."""
    code = _credit_code("92" if kind == Party.INDIVIDUAL_BUSINESS else "91", region.code[:6], n)
    party = Party(kind=kind, name=f"测试企业{n}", credit_code="" if kind == Party.INDIVIDUAL_BUSINESS else code,
                  region=region, credit_class=credit_class)
    party.save()
    return party


@pytest.fixture
def world(tree, users):
    w = SimpleNamespace(tree=tree, users=users)
    f = fields()
    w.market_item = catalog.create_item(agency=tree.market, code="SCJG-JC-0001", kind="inspection", field=f["SCJG"],
                                        valid_from=FIRST, version={"name": "食品经营者监督检查",
                                                                   "law_name": "《中华人民共和国食品安全法》", "article": 110})
    w.city_item = catalog.create_item(agency=tree.comprehensive, code="CSGL-JC-0001", kind="inspection",
                                      field=f["CSGL"], valid_from=FIRST,
                                      version={"name": "户外广告设施监督检查", "law_name": "《城市市容和环境卫生管理条例》",
                                               "article": 11})
    w.other_item = catalog.create_item(agency=tree.other_market, code="SCJG-JC-0001", kind="inspection",
                                       field=f["SCJG"], valid_from=FIRST,
                                       version={"name": "食品经营者监督检查", "law_name": "《中华人民共和国食品安全法》",
                                                "article": 110})
    w.head_city = make_user("head_city", roles.AGENCY_HEAD, agency=tree.comprehensive)
    w.head_other = make_user("head_other", roles.AGENCY_HEAD, agency=tree.other_market)
    head = users.head_a
    w.entry = services.save_entry(InspectionListEntry(
        agency=tree.market, item=w.market_item, population_rule="本县食品经营企业", target_kind="all"), head)
    services.publish_entry(w.entry, head)
    w.city_entry = services.save_entry(InspectionListEntry(
        agency=tree.comprehensive, item=w.city_item, population_rule="本县设置户外广告的企业"), w.head_city)
    services.publish_entry(w.city_entry, w.head_city)
    w.other_entry = services.save_entry(InspectionListEntry(
        agency=tree.other_market, item=w.other_item, population_rule="青石县食品经营企业"), w.head_other)
    services.publish_entry(w.other_entry, w.head_other)
    # inspectors: four of the market bureau (one living in 云岭镇), an auxiliary, three of the city bureau
    w.m = [officer(tree.market, f"市场{i}", i, f["SCJG"], home=tree.township if i == 1 else None) for i in range(1, 5)]
    w.aux = officer(tree.market, "协管", 9, f["SCJG"], kind=Officer.KIND_AUXILIARY, register=False)
    w.c = [officer(tree.comprehensive, f"城管{i}", 10 + i, f["CSGL"]) for i in range(1, 4)]
    w.q = [officer(tree.other_market, f"青石{i}", 20 + i, f["SCJG"]) for i in range(1, 3)]
    # targets: 40 enterprises of 云岭县 (some in 云岭镇), 3 individual businesses, 5 of 青石县
    classes = "AABBBBCCDN"
    w.parties = [enterprise(tree.township if i % 4 == 0 else tree.county, i, classes[i % 10].replace("N", ""))
                 for i in range(1, 41)]
    w.individuals = [enterprise(tree.county, 100 + i, "B", Party.INDIVIDUAL_BUSINESS) for i in range(3)]
    w.other_parties = [enterprise(tree.other_county, 200 + i, "C") for i in range(5)]
    w.plan = services.save_plan(InspectionPlan(year=clock.today().year, title="联合双随机抽查计划", agency=tree.market),
                                head, participants=[tree.comprehensive])
    services.add_plan_item(w.plan, w.entry, head, quarter=0)
    services.add_plan_item(w.plan, w.city_entry, head, quarter=2)
    services.publish_plan(w.plan, head)
    return w


@pytest.fixture
def make_draw(world):
    counter = {"n": 0}

    def make(entries=None, number=None, **rules):
        counter["n"] += 1
        draw = services.create_draw(world.plan, world.users.head_a, number=number or f"云市监抽〔2026〕{counter['n']}号",
                                    title="食品经营与户外广告联合抽查", entries=entries or [world.entry],
                                    draw_date=clock.today())
        if rules:
            services.set_rules(draw, world.users.head_a, **rules)
        return draw

    return make


def run(draw, actor, witnesses=(("企业代表张三", "8341"),), lottery=None):
    """Freeze, enter the witnesses' values (and a lottery result), complete."""
    draw = services.freeze(draw, actor)
    for name, value in witnesses:
        services.add_witness(draw, actor, name=name, value=value)
    if lottery:
        services.set_lottery(draw, actor, **lottery)
    return services.complete(draw, actor)
