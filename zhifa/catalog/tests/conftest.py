"""Fixtures of the catalog tests: items of both counties, a delegation, a benchmark."""

import datetime
from types import SimpleNamespace

import pytest

from zhifa.accounts import roles
from zhifa.catalog import choices, services
from zhifa.core.testing import fields, make_user

D = datetime.date

FOOD = "《中华人民共和国食品安全法》"
FIRST_DAY = D(2019, 1, 1)


def version_content(name="对生产经营标签不符合规定的食品的行政处罚", article=125, **extra):
    """Content of a penalty item's version."""
    data = {
        "name": name, "law_name": FOOD, "article": article, "paragraph": 1, "item_no": 2,
        "basis_text": "生产经营无标签的预包装食品、食品添加剂或者标签、说明书不符合本法规定的食品。",
        "penalty_basis": f"{FOOD}第一百二十五条第一款第（二）项", "violated_provision": f"{FOOD}第七十一条第一款",
    }
    data.update(extra)
    return data


def make_item(agency, code, field, *, kind="penalty", valid_from=FIRST_DAY, **content):
    """An item with one version."""
    return services.create_item(agency=agency, code=code, kind=kind, field=field, valid_from=valid_from,
                                version=version_content(**content))


@pytest.fixture
def catalog(tree, users):
    """Items of 云岭县 (market, comprehensive) and 青石县, one delegated to 云岭镇."""
    f = fields()
    c = SimpleNamespace(fields=f)
    c.item_a = make_item(tree.market, "SCJG-CF-0001", f["SCJG"])
    c.item_comp = make_item(tree.comprehensive, "CSGL-CF-0001", f["CSGL"],
                            name="对随意倾倒、抛撒、堆放生活垃圾的行政处罚", article=34)
    c.item_b = make_item(tree.other_market, "SCJG-CF-0001", f["SCJG"])
    from zhifa.catalog.models import Delegation

    c.delegation = Delegation.objects.create(
        item=c.item_comp, agency=tree.township_office, start_date=D(2022, 1, 1), end_date=D(2030, 12, 31),
        document_number="云政发〔2021〕38号",
    )
    c.benchmark = services.issue_benchmark(
        c.item_a,
        {"valid_from": D(2022, 3, 1), "review_due": D(2025, 3, 1), "document": "云市监规〔2022〕3号",
         "statutory_min": 5000, "statutory_max": 50000},
        services.banded_tiers(5000, 50000, kinds=(choices.FINE, choices.CONFISCATE_GAINS),
                              grave_kinds=(choices.SUSPEND_BUSINESS,)),
    )
    c.township_officer = make_user("town_officer", roles.OFFICER, agency=tree.township_office)
    c.township_head = make_user("town_head", roles.AGENCY_HEAD, agency=tree.township_office)
    c.reviewer_b = make_user("reviewer_b", roles.LEGAL_REVIEWER, agency=tree.other_market)
    return c
