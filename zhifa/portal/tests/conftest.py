"""Shared data of the portal tests: two counties' agencies with items, a benchmark, officers
(one auxiliary), certificates, a major-decision catalog row and service guides."""

import datetime
from types import SimpleNamespace

import pytest

from zhifa.catalog import services as catalog
from zhifa.core import clock
from zhifa.core.testing import fields
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate
from zhifa.portal import services as portal
from zhifa.portal.models import ServiceGuide
from zhifa.review.models import MajorDecisionCatalog

FOOD = "《中华人民共和国食品安全法》"
OFFICER_ID = "610113199003071237"
OFFICER_PHONE = "13900001111"
AUX_ID = "440524198001010013"


def make_item(agency, code, kind="penalty", law=FOOD, article=125, valid_from=datetime.date(2020, 1, 1), name=None):
    f = fields()
    version = {"name": name or f"事项{code}", "law_name": law, "article": article}
    if kind == "penalty":
        version.update(penalty_basis=f"{law}第{article}条", violated_provision=f"{law}第34条")
    return catalog.create_item(agency=agency, code=code, kind=kind, field=f["SCJG"], valid_from=valid_from,
                               version=version)


def make_officer(agency, name, id_number, number=None, phone="", kind=Officer.KIND_OFFICER, **extra):
    officer = Officer.objects.create(name=name, id_number=id_number, home_agency=agency, phone=phone, kind=kind,
                                     post="科员", **extra)
    cert = None
    if number:
        today = clock.today()
        cert = issue_certificate(officer, number=number, fields=[fields()["SCJG"]], issuing_authority="秦川市人民政府",
                                 issued_on=today - datetime.timedelta(days=30),
                                 expires_on=today + datetime.timedelta(days=1000))
    return officer, cert


@pytest.fixture
def data(tree, users):
    d = SimpleNamespace(tree=tree, users=users)
    tree.market.address, tree.market.phone = "云岭县人民路66号", "0919-6215315"
    tree.market.review_body, tree.market.court = "云岭县人民政府", "云岭县人民法院"
    tree.market.save()
    d.item = make_item(tree.market, "SCJG-CF-0125", name="对经营标签不符合规定的食品的行政处罚")
    d.inspection = make_item(tree.market, "SCJG-JC-0001", kind="inspection", name="食品经营者监督检查",
                             law=FOOD, article=110)
    d.other_item = make_item(tree.other_market, "SCJG-CF-0125", name="青石县食品标签处罚")
    d.benchmark = catalog.issue_benchmark(
        d.item, {"valid_from": datetime.date(2020, 1, 1), "review_due": datetime.date(2027, 1, 1),
                 "document": "秦市监规〔2020〕1号", "statutory_min": 5000, "statutory_max": 50000},
        catalog.banded_tiers(5000, 50000),
    )
    d.officer, d.cert = make_officer(tree.market, "李明", OFFICER_ID, number="61992120240001", phone=OFFICER_PHONE,
                                     unit=tree.market_unit)
    d.auxiliary, _ = make_officer(tree.market, "赵协管", AUX_ID, kind=Officer.KIND_AUXILIARY, phone="13900002222")
    d.other_officer, d.other_cert = make_officer(tree.other_market, "王青", "110101199003070011", number="61992220240009")
    d.major = MajorDecisionCatalog.objects.create(agency=tree.market, criterion="after_hearing",
                                                  description="经过听证程序的行政处罚决定")
    d.guide = portal.save_guide(ServiceGuide(agency=tree.market, title="投诉举报受理", phone="0919-6215315"), None)
    d.other_guide = portal.save_guide(ServiceGuide(agency=tree.other_market, title="青石县投诉举报受理"), None)
    return d
