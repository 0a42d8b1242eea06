"""Publicity tests reuse the case-handling world (云岭县市场监管局, officers, parties) and its
fixed date; publications made outside the case engine come from ``register``."""

import datetime

import pytest
from django.core.cache import cache

from zhifa.accounts import roles
from zhifa.cases.tests import conftest as case_fixtures
from zhifa.core.testing import make_user
from zhifa.publicity import choices, services

D = datetime.date

# The case-handling world and its fixed date, shared with the cases tests.
world = case_fixtures.world
open_general = case_fixtures.open_general
fixed_today = case_fixtures.fixed_today


@pytest.fixture(autouse=True)
def _fresh_cache():
    from zhifa.publicity import search

    cache.clear()
    search._frequencies.clear()  # the words' document frequencies of an earlier test's rows
    search._pg_frequencies.clear()
    search._shares.clear()
    yield
    cache.clear()


@pytest.fixture
def reviewer(world):
    """The market bureau's legal reviewer, who releases publications."""
    return make_user("reviewer_a", roles.LEGAL_REVIEWER, agency=world.tree.market, display_name="孙审核")


@pytest.fixture
def head_b(world):
    return make_user("head_b", roles.AGENCY_HEAD, agency=world.tree.other_market)


@pytest.fixture
def register(world):
    """Register a decision of the market bureau (by default a fine on the natural person 张三)."""

    def _register(**extra):
        data = {
            "agency": world.tree.market, "kind": choices.PENALTY, "decision_number": "云市监罚〔2026〕101号",
            "title": "经营超过保质期的食品案", "decided_on": D(2026, 10, 30), "party": world.person,
            "facts": "当事人张三（身份证号11010519491231002X，电话13812345678，住云岭县人民路2号）销售超过保质期的食品。",
            "legal_basis": "《中华人民共和国食品安全法》第一百二十四条", "result": "罚款人民币5,000.00元。",
        }
        data.update(extra)
        return services.register_decision(actor=world.officer_user, **data)

    return _register
