"""The equipment register and non-site records: Art. 41 of the penalty law as service rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import services as case_services
from zhifa.inspections.devices import services
from zhifa.inspections.models.devices import ACCEPTED, MONITOR, PASSED, REJECTED, Device, DeviceRecord
from zhifa.records.services import events_for, verify_stream

from .conftest import UTC, D, photo

pytestmark = pytest.mark.django_db


def _accept(record, world):
    return services.review_record(record, actor=world.head, is_true=True, is_clear=True, is_complete=True,
                                  is_accurate=True)


def test_location_cannot_be_published_before_both_reviews_pass(world, devices):
    """第四十一条第一款: a monitoring device's location is published only after legal and technical review."""
    device = devices.unreviewed
    device.published = True
    with pytest.raises(ValidationError) as err:
        services.save_device(device, actor=world.head)
    assert "未通过法制审核和技术审核" in str(err.value)
    device.legal_review_on, device.legal_reviewer, device.legal_review_conclusion = D(2026, 2, 1), "张法制", PASSED
    device.technical_review_on, device.technical_reviewer = D(2026, 2, 2), "计量所"
    device.technical_review_conclusion = PASSED
    services.save_device(device, actor=world.head)
    device.refresh_from_db()
    assert device.published and device.published_on == D(2026, 11, 2)
    assert set(Device.objects.public().values_list("serial", flat=True)) == {"YL-JK-001", "YL-JK-002", "QS-JK-001"}


def test_register_rules_are_reported_by_field(world, devices):
    """A monitoring device needs a location; a conclusion needs a date and a reviewer; cameras publish nothing."""
    device = Device(kind=MONITOR, serial="YL-JK-009", agency=world.tree.market, legal_review_conclusion=PASSED)
    with pytest.raises(ValidationError) as err:
        services.save_device(device, actor=world.head)
    assert set(err.value.message_dict) == {"location", "legal_review_on"}
    devices.camera1.published = True
    with pytest.raises(ValidationError, match="不公布设置地点"):
        services.save_device(devices.camera1, actor=world.head)
    duplicate = Device(kind="camera", serial="YL-JLY-01", agency=world.tree.market)
    with pytest.raises(ValidationError, match="相同编号"):
        services.save_device(duplicate, actor=world.head)


def test_an_officer_cannot_change_the_register(world, devices):
    with pytest.raises(PermissionDenied):
        services.save_device(devices.camera1, actor=world.officer_user)


def test_records_of_an_unreviewed_or_unpublished_device_are_refused(world, devices, capture):
    """A device not reviewed or not published cannot produce usable records."""
    with pytest.raises(ValidationError) as err:
        capture(device=devices.unreviewed)
    message = str(err.value)
    assert "未通过法制审核" in message and "未通过技术审核" in message and "未向社会公布" in message
    with pytest.raises(ValidationError, match="未向社会公布"):
        capture(captured_at=datetime.datetime(2026, 1, 8, 9, 0, tzinfo=UTC))  # reviewed, published on 01-10


def test_review_is_by_someone_else_and_a_rejection_states_its_reason(world, capture):
    """第四十一条第二款: 真实、清晰、完整、准确; the person who entered the record does not review it."""
    record = capture()
    assert record.number.startswith("FX2026") and record.place == "云岭县人民路与解放路交叉口"
    with pytest.raises(PermissionDenied, match="登记人不能审核"):
        services.review_record(record, actor=world.officer_user, is_true=True, is_clear=True, is_complete=True,
                               is_accurate=True)
    with pytest.raises(ValidationError, match="写明理由"):
        services.review_record(record, actor=world.head, is_true=True, is_clear=False, is_complete=True,
                               is_accurate=True)
    record = services.review_record(record, actor=world.head, is_true=True, is_clear=False, is_complete=True,
                                    is_accurate=True, reason="号牌被遮挡，无法辨认")
    assert record.status == REJECTED and record.is_clear is False
    with pytest.raises(ValidationError, match="只有审核通过"):
        services.notify_party(record, actor=world.officer_user, channel="sms", to="13800000000")


def test_full_path_from_capture_to_case(world, capture, client):
    """Capture → review → notice with a code → the party states on the portal → answer → a case whose
    evidence names the device; every step is an event of the record's hash chain."""
    record = _accept(capture(), world)
    with pytest.raises(ValidationError, match="请先告知当事人"):
        services.open_case_from_record(record, actor=world.officer_user, officers=[world.o1, world.o2])
    record = services.notify_party(record, actor=world.officer_user, channel="sms", to="13800000000")
    assert len(record.access_code) == 8 and record.access_code in record.notice_text
    assert services.find_for_party(record.number, "WRONGCOD") is None
    assert services.find_for_party(record.number.lower(), record.access_code.lower()).pk == record.pk

    url = f"/public/device-records/?number={record.number}&code={record.access_code}"
    page = client.get(url)
    assert page.status_code == 200 and "当事人在人民路店外占道堆放货物" in page.content.decode()
    response = client.post(url, {"text": "货物是临时卸货，十分钟内已搬离。", "contact": "13800000000"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.statement.startswith("货物是临时卸货") and record.contested
    with pytest.raises(ValidationError, match="尚未复核"):
        services.open_case_from_record(record, actor=world.officer_user, officers=[world.o1, world.o2])
    services.answer_statement(record, actor=world.head, answer="视频显示货物堆放超过两小时，申辩不成立。",
                              accepted=False)

    case = services.open_case_from_record(record, actor=world.officer_user, officers=[world.o1, world.o2])
    record.refresh_from_db()
    assert record.case == case and case.source == "monitoring" and case.party == world.company
    evidence = case.evidence.get()
    assert evidence.registered_device == record.device and evidence.file in record.files.all()
    kinds = [e.kind for e in events_for(record.stream_key)]
    assert kinds == ["captured", "reviewed", "notified", "statement", "statement_answered", "case_opened"]
    assert verify_stream(record.stream_key).ok
    with pytest.raises(ValidationError, match="已立案"):
        services.open_case_from_record(record, actor=world.officer_user, officers=[world.o1])


def test_an_accepted_defence_sets_the_record_aside(world, capture):
    record = services.notify_party(_accept(capture(), world), actor=world.officer_user, channel="mail",
                                   to="云岭县人民路1号")
    services.submit_statement(record, code=record.access_code, text="车辆为执行任务的救护车。")
    with pytest.raises(ValidationError, match="已提交"):
        services.submit_statement(record, code=record.access_code, text="再次申辩")
    with pytest.raises(PermissionDenied):
        services.submit_statement(record, code="AAAAAAAA", text="冒名申辩")
    record = services.answer_statement(record, actor=world.head, answer="核实为救护车执行任务。", accepted=True)
    assert record.status == REJECTED and "陈述、申辩成立" in record.review_reason
    with pytest.raises(ValidationError, match="只有审核通过"):
        services.open_case_from_record(record, actor=world.officer_user, officers=[world.o1, world.o2])


def test_camera_issue_and_return_keep_one_holder(world, devices):
    camera = devices.camera1
    services.issue_device(camera, world.o1, actor=world.head)
    camera.refresh_from_db()
    assert camera.holder == world.o1
    with pytest.raises(ValidationError, match="正由李明领用"):
        services.issue_device(camera, world.o2, actor=world.head)
    with pytest.raises(ValidationError, match="只有执法记录仪和执法终端"):
        services.issue_device(devices.reviewed, world.o2, actor=world.head)
    services.return_device(camera, actor=world.head)
    camera.refresh_from_db()
    assert camera.holder is None and camera.issues.get().returned_at is not None


def test_a_camera_is_not_issued_to_another_agencys_officer(world, devices):
    from zhifa.people.models import Officer

    stranger = Officer.objects.create(name="孙外", id_number="110105194912310037", home_agency=world.tree.other_market)
    with pytest.raises(ValidationError, match="不是云岭县市场监督管理局的人员"):
        services.issue_device(devices.camera2, stranger, actor=world.head)


def test_evidence_names_a_camera_issued_to_a_case_officer_at_capture_time(world, devices, open_general):
    """Strict: a body camera's evidence is accepted only if, when it recorded, the camera was issued to
    one of the case's officers or to the collecting officer."""
    case = open_general()
    services.issue_device(devices.camera1, world.o1, actor=world.head,
                          issued_at=datetime.datetime(2026, 10, 1, 8, 0, tzinfo=UTC))
    at = datetime.datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
    evidence = case_services.add_evidence(case, photo(b"c"), actor=world.officer_user, kind="audiovisual",
                                          title="执法记录仪视频", captured_at=at, registered_device=devices.camera1)
    assert evidence.registered_device == devices.camera1 and evidence.device == "执法记录仪 YL-JLY-01"
    with pytest.raises(ValidationError, match="未领用给任何人员"):
        case_services.add_evidence(case, photo(b"d"), actor=world.officer_user, kind="audiovisual", title="视频",
                                   captured_at=at, registered_device=devices.camera2)
    with pytest.raises(ValidationError, match="未领用给任何人员"):  # before it was issued
        case_services.add_evidence(case, photo(b"e"), actor=world.officer_user, kind="audiovisual", title="视频",
                                   captured_at=datetime.datetime(2026, 9, 1, tzinfo=UTC),
                                   registered_device=devices.camera1)
    with pytest.raises(ValidationError, match="未通过法制审核"):
        case_services.add_evidence(case, photo(b"f"), actor=world.officer_user, kind="audiovisual", title="抓拍",
                                   captured_at=at, registered_device=devices.unreviewed)
    with pytest.raises(ValidationError, match="不属于本案办案机关"):
        case_services.add_evidence(case, photo(b"g"), actor=world.officer_user, kind="audiovisual", title="抓拍",
                                   captured_at=at, registered_device=devices.other)


def test_a_camera_held_by_someone_outside_the_case_is_refused(world, devices, open_general):
    from zhifa.people.models import Officer

    case = open_general(officers=[world.o1])
    third = Officer.objects.create(name="钱三", id_number="110105194912310053", home_agency=world.tree.market)
    services.issue_device(devices.camera2, third, actor=world.head,
                          issued_at=datetime.datetime(2026, 10, 1, tzinfo=UTC))
    with pytest.raises(ValidationError, match="由钱三领用"):
        case_services.add_evidence(case, photo(b"h"), actor=world.officer_user, kind="audiovisual", title="视频",
                                   captured_at=datetime.datetime(2026, 11, 1, tzinfo=UTC),
                                   registered_device=devices.camera2)


def test_retired_device_makes_no_evidence(world, devices, open_general):
    case = open_general()
    camera = devices.camera1
    camera.status, camera.retired_on = "retired", D(2026, 6, 1)
    services.save_device(camera, actor=world.head)
    with pytest.raises(ValidationError, match="不在用"):
        case_services.add_evidence(case, photo(b"i"), actor=world.officer_user, kind="audiovisual", title="视频",
                                   captured_at=datetime.datetime(2026, 11, 1, tzinfo=UTC), registered_device=camera)


def test_record_numbers_and_status_survive_in_the_register(world, capture):
    record = _accept(capture(), world)
    assert DeviceRecord.objects.get(pk=record.pk).status == ACCEPTED
