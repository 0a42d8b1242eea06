"""Fixtures of the parties tests: one party at each level of the standard tree."""

from types import SimpleNamespace

import pytest

from zhifa.parties.identifiers import USCC_ENTERPRISE, make_uscc
from zhifa.parties.models import Party

# Real-format test vectors (legal-rules.md §8).
PERSON_ID = "11010519491231002X"
COMPANY_CODE = "91110000600037341L"
OTHER_CODE = "91350100M000100Y43"
PERSON_PHONE = "13812345678"


@pytest.fixture
def parties(tree):
    """A natural person of 云岭县, a company of 云岭镇 (township), a company of 青石县 and
    a company registered at city level (秦川市)."""
    return SimpleNamespace(
        person=Party.objects.create(
            kind=Party.NATURAL, name="张三", id_number=PERSON_ID, phone=PERSON_PHONE,
            address="云岭县云岭镇人民路1号", region=tree.county, agency=tree.market,
        ),
        township_company=Party.objects.create(
            kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code=COMPANY_CODE, legal_representative="李四",
            phone="0919-6123456", region=tree.township, agency=tree.township_office,
        ),
        other_company=Party.objects.create(
            kind=Party.LEGAL, name="青石华盛建材有限公司", credit_code=OTHER_CODE, legal_representative="王五",
            region=tree.other_county, agency=tree.other_market,
        ),
        city_company=Party.objects.create(
            kind=Party.LEGAL, name="秦川恒通物流有限公司",
            credit_code=make_uscc(USCC_ENTERPRISE, "619900", "MA6CX0T1"), legal_representative="赵六",
            region=tree.city,
        ),
    )


@pytest.fixture
def login(client):
    """Log a user in to the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
