"""A world for the supervision tests: 云岭县市场监管局 (county A) and 青石县市场监管局 (county B),
each with a certified officer, an item, a party; cases are created directly as rows in the
state a check looks at (the case services are tested in their own app)."""

import datetime
from types import SimpleNamespace

import pytest

from zhifa.accounts import roles
from zhifa.cases.models import Case, CaseOfficer
from zhifa.catalog import services as catalog
from zhifa.core.testing import FOOD_LABEL_VERSION, fields, fix_today, food_label_item, make_user
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate

D = datetime.date
TODAY = D(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch, settings):
    """The checks run on a fixed date; ``move_to(date)`` moves it. Incremental runs are off
    unless a test turns them on (they are tested on their own)."""
    settings.ZHIFA_PROBLEM_MODELS_INCREMENTAL = False
    return fix_today(monkeypatch, TODAY)


@pytest.fixture
def world(tree, users):
    f = fields()
    w = SimpleNamespace(tree=tree, users=users, today=TODAY)
    w.head_b = make_user("head_b", roles.AGENCY_HEAD, agency=tree.other_market)
    w.supervisor_b = make_user("supervisor_b", roles.SUPERVISOR, region=tree.other_county)
    w.supervisor_city = make_user("supervisor_city", roles.SUPERVISOR, region=tree.city)
    w.head_comprehensive = make_user("head_c", roles.AGENCY_HEAD, agency=tree.comprehensive)
    # County B's item is the same food-label item under another code, so that findings and
    # summaries tell the two counties' cases apart by the item code.
    w.items = {tree.market.pk: food_label_item(tree.market),
               tree.other_market.pk: catalog.create_item(agency=tree.other_market, code="SCJG-CF-9125", kind="penalty",
                                                         field=f["SCJG"], valid_from=D(2019, 1, 1),
                                                         version=dict(FOOD_LABEL_VERSION))}
    w.o1 = Officer.objects.create(name="李明", id_number="610113199003071237", home_agency=tree.market)
    w.o2 = Officer.objects.create(name="周强", id_number="440524198001010013", home_agency=tree.market)
    w.ob = Officer.objects.create(name="冯青", id_number="11010519491231002X", home_agency=tree.other_market)
    w.aux = Officer.objects.create(name="赵协", id_number="110101199003074477", home_agency=tree.market,
                                   kind=Officer.KIND_AUXILIARY)
    for officer, number in ((w.o1, "61992120240001"), (w.o2, "61992120240002"), (w.ob, "61992220240003")):
        issue_certificate(officer, number=number, fields=[f["SCJG"]], issuing_authority="秦川市人民政府",
                          issued_on=D(2026, 1, 10), expires_on=D(2031, 1, 9), last_review_on=D(2026, 1, 10))
    w.company = Party.objects.create(
        kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L", legal_representative="李四",
        address="云岭县人民路1号", region=tree.county, agency=tree.market,
    )
    w.company_b = Party.objects.create(
        kind=Party.LEGAL, name="青石县某商贸有限公司", credit_code="91610000MA6TG1XB4X", legal_representative="王五",
        address="青石县解放路1号", region=tree.other_county, agency=tree.other_market,
    )
    return w


@pytest.fixture
def make_case(world):
    """A case row in a given state; by default a general-procedure case of county A, filed
    with both officers."""
    counter = {"n": 0}

    def _make(agency=None, officers=None, **values):
        counter["n"] += 1
        agency = agency or world.tree.market
        party = world.company if agency == world.tree.market else world.company_b
        data = {"number": f"云市监立〔2026〕{counter['n']}号", "procedure": "general", "stage": "investigation",
                "agency": agency, "item": world.items[agency.pk], "party": party, "cause": "经营标签不符合规定的食品案",
                "occurred_on": D(2026, 9, 1), "place": "人民路1号", "registered_on": D(2026, 9, 2),
                "filed_on": D(2026, 9, 3)}
        data.update(values)
        case = Case.objects.create(**data)
        if officers is None:
            officers = [world.o1, world.o2] if agency == world.tree.market else [world.ob]
        for index, officer in enumerate(officers):
            CaseOfficer.objects.create(case=case, officer=officer, role="lead" if index == 0 else "assistant")
        return case

    return _make
