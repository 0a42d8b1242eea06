"""A world to inspect in: 云岭县市场监管局 (two certified officers, an auxiliary, the head) and
云岭县综合执法局 (two certified officers), an inspection item of each and a penalty item of the
market bureau, an enterprise of 云岭县 and one of 青石县 (with 青石县's own officer)."""

import datetime
from types import SimpleNamespace

import pytest

from zhifa.accounts import roles
from zhifa.catalog import services as catalog
from zhifa.core.testing import fields, fix_today, make_user
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate

D = datetime.date
TODAY = D(2026, 11, 2)  # a Monday inside the seeded calendar


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Rules run on a fixed date; tests move it with ``move_to(date)``."""
    return fix_today(monkeypatch, TODAY, hour=7)


def _item(agency, code, kind, field, name, **version):
    return catalog.create_item(agency=agency, code=code, kind=kind, field=field, valid_from=D(2019, 1, 1),
                               version={"name": name, "law_name": "《中华人民共和国食品安全法》", "article": 87,
                                        "basis_text": name, **version})


def _officer(name, id_number, agency, user, number, field, kind=Officer.KIND_OFFICER):
    officer = Officer.objects.create(name=name, id_number=id_number, home_agency=agency, user=user, kind=kind)
    if kind == Officer.KIND_OFFICER:
        issue_certificate(officer, number=number, fields=[field], issuing_authority="秦川市人民政府",
                          issued_on=D(2026, 1, 10), expires_on=D(2031, 1, 9))
    return officer


@pytest.fixture
def world(tree, users):
    f = fields()
    w = SimpleNamespace(tree=tree, users=users, fields=f)
    w.item = _item(tree.market, "SCJG-JC-0031", "inspection", f["SCJG"], "对食品经营者贮存食品情况的检查")
    w.city_item = _item(tree.comprehensive, "CSGL-JC-0005", "inspection", f["CSGL"], "对门前责任区市容环境卫生的检查")
    w.penalty_item = _item(
        tree.market, "SCJG-CF-0124", "penalty", f["SCJG"], "对经营超过保质期的食品的行政处罚",
        penalty_basis="《中华人民共和国食品安全法》第一百二十四条", violated_provision="《中华人民共和国食品安全法》第三十四条",
    )
    w.head = users.head_a
    w.officer_user = users.officer_a
    w.officer2_user = make_user("officer_a2", roles.OFFICER, agency=tree.market, display_name="周强")
    w.city_user = make_user("city_officer", roles.OFFICER, agency=tree.comprehensive, display_name="孙城")
    w.city_user2 = make_user("city_officer2", roles.OFFICER, agency=tree.comprehensive, display_name="钱管")
    w.o1 = _officer("李明", "610113199003071237", tree.market, users.officer_a, "61992120240001", f["SCJG"])
    w.o2 = _officer("周强", "440524198001010013", tree.market, w.officer2_user, "61992120240002", f["SCJG"])
    w.aux = _officer("赵协", "11010519491231002X", tree.market, users.auxiliary_a, "", f["SCJG"],
                     kind=Officer.KIND_AUXILIARY)
    w.c1 = _officer("孙城", "110101199003074477", tree.comprehensive, w.city_user, "61992120240011", f["CSGL"])
    w.c2 = _officer("钱管", "110101199003078690", tree.comprehensive, w.city_user2, "61992120240012", f["CSGL"])
    w.company = Party.objects.create(
        kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L", legal_representative="李四",
        address="云岭县人民路1号", region=tree.county, agency=tree.market,
    )
    w.other_company = Party.objects.create(
        kind=Party.LEGAL, name="青石县青山食品有限公司", credit_code="91110108551385082Q", address="青石县青山路9号",
        region=tree.other_county, agency=tree.other_market,
    )
    return w


@pytest.fixture
def inspect(world):
    """Create an inspection of the company by the market bureau with both officers."""
    from zhifa.inspections.acts import services

    def _create(**extra):
        data = {
            "actor": world.officer_user, "agency": world.tree.market, "party": world.company,
            "items": [world.item], "officers": [world.o1, world.o2], "planned_on": TODAY,
            "place": "云岭县人民路1号", "subject": "食品经营日常检查",
        }
        data.update(extra)
        return services.create_inspection(**data)

    return _create


@pytest.fixture
def on_site(world, inspect):
    """An approved, notified inspection the officers entered by scanning the code."""
    from zhifa.inspections.acts import services

    def _go(**extra):
        inspection = inspect(**extra)
        services.perform(inspection, "approve", actor=world.head, opinion="同意")
        services.perform(inspection, "notify", actor=world.officer_user, method="on_site")
        code = services.code_for(world.company).code
        return services.perform(inspection, "arrive", actor=world.officer_user, code=code, method="scan",
                                place="云岭县人民路1号", latitude=34.1, longitude=108.9)

    return _go
