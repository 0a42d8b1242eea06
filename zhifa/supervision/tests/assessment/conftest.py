"""Crafted data for the assessment, ledger and KPI tests: 云岭县市场监管局 (county A) and
青石县市场监管局 (county B) with officers, a party, an item and a maker of case rows written directly
(the procedures that produce them are tested in their own apps)."""

import datetime
import io
import itertools
from types import SimpleNamespace

import pytest

from zhifa.accounts import roles
from zhifa.core.testing import fields, fix_today, food_label_item, make_user
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate

D = datetime.date
TODAY = D(2026, 11, 2)  # a Monday
YEAR = 2026
_numbers = itertools.count(1)


def moment(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Rules run on a fixed date; tests move it with ``move_to(date)``."""
    return fix_today(monkeypatch, TODAY)


@pytest.fixture
def aw(tree, users):
    """The assessment world."""
    f = fields()
    w = SimpleNamespace(tree=tree, users=users)
    w.item = food_label_item(tree.market)
    w.party = Party.objects.create(kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L",
                                   legal_representative="李四", address="云岭县人民路1号", region=tree.county,
                                   agency=tree.market)
    w.supervisor = users.supervisor_a
    w.supervisor_b = make_user("supervisor_b", roles.SUPERVISOR, region=tree.other_county)
    w.supervisor_city = make_user("supervisor_city", roles.SUPERVISOR, region=tree.city)
    w.head = users.head_a
    w.reviewer = make_user("reviewer_market", roles.LEGAL_REVIEWER, agency=tree.market)
    w.head_b = make_user("head_b", roles.AGENCY_HEAD, agency=tree.other_market)
    w.o1 = Officer.objects.create(name="李明", id_number="610113199003071237", home_agency=tree.market, gender="M",
                                  post="科员")
    w.o2 = Officer.objects.create(name="周强", id_number="440524198001010013", home_agency=tree.market)
    for officer, number in ((w.o1, "61992120240001"), (w.o2, "61992120240002")):
        issue_certificate(officer, number=number, fields=[f["SCJG"]], issuing_authority="秦川市人民政府",
                          issued_on=D(2026, 1, 10), expires_on=D(2031, 1, 9), last_review_on=D(2026, 1, 10))

    def case(agency=None, **extra):
        from zhifa.cases.models import Case

        data = {"agency": agency or tree.market, "item": w.item, "party": w.party, "cause": "经营标签不符合规定的食品案",
                "occurred_on": D(2026, 1, 5), "place": "云岭县人民路1号", "stage": "investigation",
                "number": f"云市监罚〔2026〕{next(_numbers)}号", "filed_on": D(2026, 1, 10)}
        data.update(extra)
        return Case.objects.create(**data)

    def stored(content: bytes = b"%PDF-1.4 test", name="材料.pdf"):
        from zhifa.records.services import store_file

        return store_file(io.BytesIO(content + str(next(_numbers)).encode()), name)

    w.case = case
    w.stored = stored
    return w
