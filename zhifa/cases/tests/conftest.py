"""A world to handle cases in: 云岭县市场监管局 with two certified officers, an auxiliary,
a unit head and the agency head; a food-safety item with a benchmark; two parties."""

import datetime
from types import SimpleNamespace

import pytest

from zhifa.accounts import roles
from zhifa.catalog import choices as cc
from zhifa.catalog import services as catalog
from zhifa.core.testing import fields, fix_today, food_label_item, make_user
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate

D = datetime.date
TODAY = D(2026, 11, 2)  # a Monday, well inside the seeded calendar


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Case rules run on a fixed date; tests move it with ``move_to(date)``."""
    return fix_today(monkeypatch, TODAY)


def _officer(name, id_number, agency, user=None, kind=Officer.KIND_OFFICER):
    return Officer.objects.create(name=name, id_number=id_number, home_agency=agency, user=user, kind=kind)


@pytest.fixture
def world(tree, users):
    f = fields()
    w = SimpleNamespace(tree=tree, users=users, fields=f)
    w.item = food_label_item(tree.market)
    w.benchmark = catalog.issue_benchmark(
        w.item,
        {"valid_from": D(2022, 3, 1), "review_due": D(2027, 3, 1), "document": "云市监规〔2022〕3号",
         "statutory_min": 5000, "statutory_max": 50000},
        catalog.banded_tiers(5000, 50000, kinds=(cc.FINE, cc.CONFISCATE_GAINS), grave_kinds=(cc.SUSPEND_BUSINESS,)),
    )
    w.officer_user = users.officer_a
    w.officer2_user = make_user("officer_a2", roles.OFFICER, agency=tree.market, display_name="周强")
    w.unit_head = make_user("unit_head_a", roles.UNIT_HEAD, agency=tree.market, display_name="王队长")
    w.head = users.head_a
    w.o1 = _officer("李明", "610113199003071237", tree.market, users.officer_a)
    w.o2 = _officer("周强", "440524198001010013", tree.market, w.officer2_user)
    w.aux = _officer("赵协", "11010519491231002X", tree.market, users.auxiliary_a, kind=Officer.KIND_AUXILIARY)
    for officer, number in ((w.o1, "61992120240001"), (w.o2, "61992120240002")):
        issue_certificate(officer, number=number, fields=[f["SCJG"]], issuing_authority="秦川市人民政府",
                          issued_on=D(2026, 1, 10), expires_on=D(2031, 1, 9))
    w.company = Party.objects.create(
        kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L", legal_representative="李四",
        address="云岭县人民路1号", region=tree.county, agency=tree.market,
    )
    w.person = Party.objects.create(
        kind=Party.NATURAL, name="张三", id_number="11010519491231002X", address="云岭县人民路2号",
        region=tree.county, agency=tree.market,
    )
    return w


@pytest.fixture
def open_general(world):
    """Open a general-procedure case against the company with both officers."""
    from zhifa.cases import services

    def _open(**extra):
        data = {
            "agency": world.tree.market, "item": world.item, "party": world.company, "cause": "经营标签不符合规定的食品案",
            "occurred_on": D(2026, 10, 20), "place": "云岭县人民路1号店内", "facts": "当事人经营标签不符合规定的预包装食品。",
            "officers": [world.o1, world.o2],
        }
        data.update(extra)
        return services.open_case(actor=world.officer_user, **data)

    return _open
