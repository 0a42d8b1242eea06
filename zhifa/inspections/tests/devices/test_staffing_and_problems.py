"""ORG-6 device staffing per township and the problem models of the register."""

import datetime

import pytest

from zhifa.cases import services as case_services
from zhifa.inspections.devices import services
from zhifa.inspections.devices.staffing import required_devices
from zhifa.inspections.models.devices import CAMERA, TERMINAL, Device
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate, township_staffing, training_compliance
from zhifa.supervision.problems.registry import CheckContext, get_check

from .conftest import UTC, D, photo

pytestmark = pytest.mark.django_db


TODAY = D(2026, 11, 2)


def _findings(code, today=TODAY, **params):
    check = get_check(code)
    return list(check.func(CheckContext(today=today, params={**check.params, **params})))


@pytest.fixture
def township(world):
    """云岭镇: three certified officers of the township office (needs two devices), one camera."""
    office = world.tree.township_office
    people = []
    for index, id_number in enumerate(("110105194912310011", "110105194912310029", "110105194912310045")):
        officer = Officer.objects.create(name=f"镇执法{index}", id_number=id_number, home_agency=office)
        issue_certificate(officer, number=f"6199210019{index:04d}", fields=[world.fields["CSGL"]],
                          issuing_authority="秦川市人民政府", issued_on=D(2026, 1, 10), expires_on=D(2031, 1, 9))
        people.append(officer)
    camera = Device.objects.create(kind=CAMERA, serial="YLZ-JLY-01", agency=office, in_service_on=D(2026, 1, 1))
    return office, people, camera


def test_required_devices_rounds_up():
    assert [required_devices(n) for n in (0, 1, 2, 3, 6, 7)] == [0, 1, 1, 2, 3, 4]


def test_township_below_ratio_is_reported_and_flagged(world, township):
    office, people, camera = township
    rows = township_staffing(type(office).objects.filter(pk=office.pk), D(2026, 11, 2))
    row = rows[0]
    assert (row.certified, row.extra["devices"], row.extra["devices_required"]) == (3, 1, 2)
    assert any("执法记录仪、执法终端1台" in p for p in row.problems)
    [finding] = _findings("TOWNSHIP_DEVICE_RATIO_LOW")
    assert finding.object_type == "township" and finding.object_id == world.tree.township.pk
    assert finding.agency_id == office.pk and finding.facts["应配设备"] == 2

    Device.objects.create(kind=TERMINAL, serial="YLZ-ZD-01", agency=office, in_service_on=D(2026, 1, 1))
    assert _findings("TOWNSHIP_DEVICE_RATIO_LOW") == []
    report = training_compliance(type(office).objects.filter(pk=office.pk), 2026)
    assert report.townships[0].extra == {"devices": 2, "devices_required": 2}
    assert report.as_dict()["townships"][0]["devices"] == 2
    assert any("每两名持证执法人员至少配备1台" in text for text in report.as_dict()["rules"])


def test_retired_devices_do_not_count_and_dispatched_holders_count_where_they_work(world, township):
    office, people, camera = township
    camera.status, camera.retired_on = "retired", D(2026, 6, 1)
    camera.save()
    [finding] = _findings("TOWNSHIP_DEVICE_RATIO_LOW")
    assert finding.facts["在用设备"] == 0
    # a county officer dispatched to the township team, holding a county camera, counts for the township
    county_officer = Officer.objects.create(name="派驻甲", id_number="110105194912310061",
                                            home_agency=world.tree.market, dispatched_to=world.tree.township_team,
                                            dispatched_from=D(2026, 1, 1))
    for serial in ("YL-JLY-11", "YL-JLY-12"):
        device = Device.objects.create(kind=CAMERA, serial=serial, agency=world.tree.market, in_service_on=D(2026, 1, 1))
        device.holder = county_officer
        device.save()
    assert _findings("TOWNSHIP_DEVICE_RATIO_LOW") == []


def test_page_of_the_compliance_report_shows_the_device_figure(world, township, client):
    client.force_login(world.users.supervisor_a)
    page = client.get("/people/compliance/?year=2026")
    text = page.content.decode()
    assert page.status_code == 200 and "执法记录仪、终端（应配）" in text and "1（2）" in text


def test_monitor_in_use_without_reviews_or_publication_is_flagged(world, devices):
    findings = {f.object_id: f for f in _findings("MONITOR_NOT_PUBLISHED")}
    assert set(findings) == {devices.unreviewed.pk}
    assert "未通过法制审核、未通过技术审核、设置地点未公布" in findings[devices.unreviewed.pk].summary


def test_evidence_of_a_monitor_without_reviewed_record_is_flagged(world, devices, capture, open_general):
    """Evidence naming a monitoring device must be backed by an accepted non-site record of the case."""
    case = open_general()
    evidence = case_services.add_evidence(case, photo(b"m"), actor=world.officer_user, kind="audiovisual",
                                          title="监控抓拍", registered_device=devices.reviewed,
                                          captured_at=datetime.datetime(2026, 10, 30, 9, 0, tzinfo=UTC))
    [finding] = _findings("DEVICE_EVIDENCE_UNREVIEWED")
    assert (finding.object_type, finding.object_id, finding.case_id) == ("evidence", evidence.pk, case.pk)

    record = capture()
    services.review_record(record, actor=world.head, is_true=True, is_clear=True, is_complete=True, is_accurate=True)
    services.notify_party(record, actor=world.officer_user, channel="sms", to="13800000000")
    opened = services.open_case_from_record(record, actor=world.officer_user, officers=[world.o1, world.o2])
    flagged = {f.case_id for f in _findings("DEVICE_EVIDENCE_UNREVIEWED")}
    assert case.pk in flagged and opened.pk not in flagged


def test_accepted_record_not_notified_in_time_is_flagged(world, capture):
    record = capture()
    services.review_record(record, actor=world.head, is_true=True, is_clear=True, is_complete=True, is_accurate=True)
    assert _findings("DEVICE_RECORD_NOT_NOTIFIED") == []
    [finding] = _findings("DEVICE_RECORD_NOT_NOTIFIED", today=D(2026, 11, 20))
    assert finding.object_type == "device_record" and finding.object_id == record.pk
    services.notify_party(record, actor=world.officer_user, channel="sms", to="13800000000")
    assert _findings("DEVICE_RECORD_NOT_NOTIFIED", today=D(2026, 11, 20)) == []


def test_problem_models_sync_as_rows(world):
    from zhifa.supervision.models import ProblemModel
    from zhifa.supervision.problems import sync_models

    sync_models()
    rows = dict(ProblemModel.objects.filter(category__in=("非现场监管", "队伍建设")).values_list("code", "target"))
    assert rows["TOWNSHIP_DEVICE_RATIO_LOW"] == "township" and rows["MONITOR_NOT_PUBLISHED"] == "device"
    assert ProblemModel.objects.get(code="DEVICE_RECORD_NOT_NOTIFIED").get_target_display() == "非现场执法记录"
