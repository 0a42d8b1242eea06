"""Crafted data for the evaluation and cockpit tests: archived and decided cases of three
agencies in two counties, written directly (the case procedure itself is tested in cases)."""

import datetime
import itertools
from types import SimpleNamespace

import pytest

from zhifa.accounts import roles
from zhifa.core.testing import fix_today, food_label_item, make_user
from zhifa.parties.models import Party

D = datetime.date
TODAY = D(2026, 11, 2)
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Rules run on a fixed date; tests move it with ``move_to(date)``."""
    return fix_today(monkeypatch, TODAY)


@pytest.fixture
def ev(tree, users):
    """Two counties' agencies, their people and a maker of cases."""
    w = SimpleNamespace(tree=tree, users=users)
    w.item = food_label_item(tree.market)
    w.party = Party.objects.create(kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L",
                                   legal_representative="李四", address="云岭县人民路1号", region=tree.county,
                                   agency=tree.market)
    w.supervisor = users.supervisor_a
    w.supervisor_b = make_user("supervisor_b", roles.SUPERVISOR, region=tree.other_county)
    w.supervisor_city = make_user("supervisor_city", roles.SUPERVISOR, region=tree.city)
    w.reviewer_market = make_user("reviewer_market", roles.LEGAL_REVIEWER, agency=tree.market)
    w.reviewer_comp = make_user("reviewer_comp", roles.LEGAL_REVIEWER, agency=tree.comprehensive)
    w.head_market = users.head_a
    w.head_comp = make_user("head_comp", roles.AGENCY_HEAD, agency=tree.comprehensive)

    def case(agency, **extra):
        from zhifa.cases.models import Case

        data = {"agency": agency, "item": w.item, "party": w.party, "cause": "经营标签不符合规定的食品案",
                "occurred_on": D(2026, 1, 5), "place": "云岭县人民路1号", "stage": "archived",
                "number": f"云市监罚〔2026〕{next(_numbers)}号", "filed_on": D(2026, 1, 10),
                "decided_on": D(2026, 3, 1), "archived_on": D(2026, 4, 1)}
        data.update(extra)
        return Case.objects.create(**data)

    w.case = case
    return w
