"""Training compliance (ORG-5) and staffing checks (ORG-6) on known data."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.orgs.models import Agency
from zhifa.people import services
from zhifa.people.models import Officer, TrainingRecord

from .conftest import make_id_number

pytestmark = pytest.mark.django_db

YEAR = 2025
_seq = iter(range(501, 999, 2))


def person(name, agency, **extra):
    return Officer.objects.create(name=name, id_number=make_id_number(seq=next(_seq)), home_agency=agency, **extra)


def certify(officer, fields):
    services.issue_certificate(
        officer, number=f"C-{officer.pk}", fields=[fields["CSGL"]], issuing_authority="云岭县人民政府",
        issued_on=datetime.date(2024, 1, 2), expires_on=datetime.date(2030, 1, 1),
        last_review_on=datetime.date(2025, 2, 1),
    )


def train(officer, *sessions):
    """sessions: (kind, hours, days)."""
    for i, (kind, hours, days) in enumerate(sessions):
        TrainingRecord.objects.create(officer=officer, date=datetime.date(YEAR, 1 + i, 10), title=f"培训{i}",
                                      kind=kind, hours=Decimal(hours), days=Decimal(days))


@pytest.fixture
def known(tree, fields):
    """The data of the worked example in the module docstring of this test."""
    k = {}
    k["m1"] = person("m1", tree.market)
    train(k["m1"], ("public_law", 8, 1), ("public_law", 8, 1), ("public_law", 8, 1), ("professional", 24, 3),
          ("practice", 16, 2))
    TrainingRecord.objects.create(officer=k["m1"], date=datetime.date(YEAR - 1, 5, 1), title="去年", kind="public_law",
                                  hours=100)
    k["m2"] = person("m2", tree.market)
    train(k["m2"], ("public_law", 12, 1), ("professional", 60, 6))
    k["m3"] = person("m3", tree.market)
    train(k["m3"], ("public_law", 20, 2), ("professional", 20, 2))
    k["m4"] = person("m4", tree.market, is_legal_reviewer=True, reviewer_kind="in_house")
    person("m5-adviser", tree.market, is_legal_reviewer=True, reviewer_kind="legal_adviser",
           legal_qualification="A20106101000001")
    person("m6-aux", tree.market, kind="auxiliary")
    k["c1"] = person("c1", tree.comprehensive)
    train(k["c1"], ("public_law", 20, 2), ("professional", 40, 4))
    k["c2"] = person("c2", tree.comprehensive)
    k["d1"] = person("d1", tree.comprehensive, dispatched_to=tree.township_team,
                     dispatched_from=datetime.date(2024, 6, 1))
    train(k["d1"], ("public_law", 24, 3), ("professional", 40, 13))
    k["t1"] = person("t1", tree.township_office, is_legal_reviewer=True, reviewer_kind="in_house", has_law_degree=True)
    train(k["t1"], ("public_law", 24, 3), ("professional", 40, 12))
    k["t2"] = person("t2", tree.township_office)
    train(k["t2"], ("public_law", 24, 3), ("professional", 40, 4))
    for key in ("d1", "t1", "t2"):
        certify(k[key], fields)
    for i in range(10):
        person(f"aux{i}", tree.township_office, kind="auxiliary")
    person("inactive", tree.market, is_active=False)
    k["other"] = person("other", tree.other_market)
    return k


def test_training_compliance_numbers(known, tree):
    """Hours, public-law hours and days per officer for the year; shortfalls by rule; township
    staff (home or dispatched) need 15 days; advisers, auxiliaries and inactive people are not rows."""
    report = services.training_compliance(Agency.objects.filter(region__path__startswith=tree.county.path), YEAR)
    rows = {r.name: r for r in report.training}
    assert set(rows) == {"m1", "m2", "m3", "m4", "c1", "c2", "d1", "t1", "t2"}
    assert (rows["m1"].total_hours, rows["m1"].public_law_hours, rows["m1"].days) == (64, 24, 8)
    assert rows["m1"].compliant  # last year's 100 hours do not count
    assert rows["m2"].shortfalls == ["公共法律知识12学时，不足20学时"]
    assert rows["m3"].shortfalls == ["全年培训40学时，不足60学时"]
    assert len(rows["m4"].shortfalls) == 2
    assert rows["c1"].compliant  # exactly 60 and 20
    assert rows["d1"].township and rows["d1"].compliant
    assert rows["t1"].township and rows["t1"].compliant  # exactly 15 days
    assert rows["t2"].shortfalls == ["乡镇执法人员全年培训7天，不足15天"]
    assert not rows["c1"].township
    assert {r.name for r in report.shortfalls} == {"m2", "m3", "m4", "c2", "t2"}
    assert report.compliant_count == 4
    assert report.as_of == datetime.date(YEAR, 12, 31)


def test_reviewer_staffing_numbers(known, tree):
    """Staff reviewers ≥5% of officers and ≥50% of them qualified, per agency (advisers not counted)."""
    report = services.training_compliance(Agency.objects.filter(region__path__startswith=tree.county.path), YEAR)
    rows = {r.agency: r for r in report.reviewers}
    assert "云岭县司法局" not in rows  # supervision agency
    market = rows["云岭县市场监督管理局"]
    assert (market.officers, market.reviewers, market.qualified, market.advisers, market.required) == (4, 1, 0, 1, 1)
    assert market.problems == ["具有法律职业资格或法学学历的审核人员0名，不足审核人员1名的50%"]
    comprehensive = rows["云岭县综合行政执法局"]
    assert (comprehensive.officers, comprehensive.reviewers) == (3, 0)
    assert len(comprehensive.problems) == 2
    township = rows["云岭镇综合行政执法办公室"]
    assert (township.officers, township.reviewers, township.qualified) == (2, 1, 1)
    assert township.compliant


def test_township_staffing_numbers(known, tree):
    """A township needs ≥6 certified officers (dispatched ones count) and at most 3 auxiliaries per officer."""
    report = services.training_compliance(Agency.objects.filter(region__path__startswith=tree.county.path), YEAR)
    assert len(report.townships) == 1
    township = report.townships[0]
    assert (township.township, township.certified, township.auxiliaries) == ("云岭镇", 3, 10)
    assert township.problems == [
        "持证执法人员3名，少于6名", "执法辅助人员10名，超过持证执法人员3名的3倍",
        # ORG-6's device rule, registered by the equipment register (zhifa.inspections.devices.staffing)
        "执法记录仪、执法终端0台，少于持证执法人员3名所需的2台（每两人至少1台）",
    ]


def test_township_staffing_passes_with_enough_people(known, tree, fields):
    """Three more certified officers make 6 and allow up to 18 auxiliaries; with three body cameras
    (one per two officers, the equipment register's rule) the township complies."""
    from django.apps import apps

    for i in range(3):
        certify(person(f"extra{i}", tree.township_office), fields)
    device = apps.get_model("inspections", "Device")
    for i in range(3):
        device.objects.create(kind="camera", serial=f"YLZ-JLY-{i}", agency=tree.township_office,
                              in_service_on=datetime.date(YEAR, 1, 1))
    report = services.training_compliance(Agency.objects.filter(pk=tree.township_office.pk), YEAR)
    assert report.townships[0].certified == 6
    assert report.townships[0].compliant


def test_compliance_page_api_and_xlsx(client, api_client, known, users, tree, django_assert_max_num_queries):
    """The page, the API and the download show the same numbers within the user's scope."""
    client.force_login(users.supervisor_a)
    url = reverse("people:compliance_report")
    with django_assert_max_num_queries(12):
        response = client.get(url, {"year": YEAR})
    page = response.content.decode()
    assert response.status_code == 200
    assert "在岗执法人员 9 名，达标 4 名，未达标 5 名" in page
    assert "other" not in [r.name for r in response.context["report"].training]
    response = client.get(url, {"year": YEAR, "agency": tree.market.pk})
    assert [r.name for r in response.context["report"].training] == ["m1", "m2", "m3", "m4"]
    assert client.get(url, {"agency": tree.other_market.pk}).status_code == 404

    api_client.force_authenticate(users.supervisor_a)
    body = api_client.get("/api/people/compliance/", {"year": YEAR}).json()
    assert (body["officers"], body["compliant"]) == (9, 4)
    assert body["townships"][0]["certified"] == 3

    response = client.get(reverse("people:compliance_report_xlsx"), {"year": YEAR})
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [f"{YEAR}年培训学时", "培训未达标人员", "法制审核人员配备", "乡镇执法力量", "规则说明"]
    assert wb["培训未达标人员"].max_row == 6  # header + 5
    assert api_client.get("/api/people/compliance/xlsx/", {"year": YEAR}).status_code == 200


def test_compliance_report_needs_reports_capability(client, api_client, known, users):
    """Roles without ("reports", "view") are refused."""
    client.force_login(users.officer_a)
    assert client.get(reverse("people:compliance_report")).status_code == 403
    api_client.force_authenticate(users.officer_a)
    assert api_client.get("/api/people/compliance/").status_code == 403
