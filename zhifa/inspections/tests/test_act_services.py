"""The inspection act's rules (INS-3, INS-4, INS-5; 国办发〔2024〕54号), through its services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.accounts import roles
from zhifa.catalog import choices as cc
from zhifa.core.testing import make_user
from zhifa.inspections.acts import services
from zhifa.inspections.models import Inspection, InspectionCap
from zhifa.people.models import Officer
from zhifa.records.services import events_for, verify_stream
from zhifa.supervision.complaints.services import find_by_query_code
from zhifa.supervision.models.complaints import Complaint

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_request_produces_approval_form_and_record(world, inspect):
    """Registering an inspection numbers it, puts it before the head and writes the 行政检查审批表 into its record."""
    inspection = inspect()
    assert inspection.stage == "requested"
    assert inspection.number == "云岭县市场监管局检〔2026〕1号"
    assert list(inspection.documents.values_list("code", flat=True)) == ["inspection_approval"]
    events = list(events_for(inspection.stream_key))
    assert [e.kind for e in events] == ["request"]
    assert events[0].files[0]["hash"] == inspection.documents.get().docx.hash
    assert verify_stream(inspection.stream_key).ok


def test_unpublished_item_cannot_be_inspected(world, inspect):
    """An item not published on the portal (cancelled) cannot be inspected."""
    world.item.status = cc.CANCELLED
    world.item.save()
    with pytest.raises(ValidationError, match="未在门户公布"):
        inspect()


def test_penalty_item_is_not_an_inspection_item(world, inspect):
    with pytest.raises(ValidationError, match="不是行政检查事项"):
        inspect(items=[world.penalty_item])


def test_two_certified_officers_never_auxiliaries(world, inspect):
    """Fewer than two officers, or an auxiliary in the team, is refused; so is an officer of another field."""
    with pytest.raises(ValidationError, match="不得少于两人"):
        inspect(officers=[world.o1])
    with pytest.raises(ValidationError, match="执法辅助人员"):
        inspect(officers=[world.o1, world.aux])
    with pytest.raises(ValidationError, match="两名以上持有效执法证件"):
        inspect(officers=[world.o1, world.c1])


def test_auxiliary_cannot_register(world, inspect):
    with pytest.raises(PermissionDenied):
        inspect(actor=world.users.auxiliary_a)


def test_annual_cap_refuses_unless_lawful_exception(world, inspect):
    """The published cap refuses one inspection too many; a complaint-triggered 个案检查 with its basis is outside it."""
    services.set_cap(actor=world.head, agency=world.tree.market, year=2026, max_per_enterprise=1)
    inspect()
    with pytest.raises(ValidationError, match="年度检查次数上限为1次"):
        inspect()
    with pytest.raises(ValidationError, match="个案检查"):
        inspect(cap_exception="complaint", cap_exception_reason="12345-2026-0099")
    second = inspect(kind="case", origin_kind="complaint", cap_exception="complaint",
                     cap_exception_reason="12345工单2026-0099")
    assert second.cap_exception == "complaint"
    assert InspectionCap.objects.public().filter(agency=world.tree.market).exists()


def test_refused_inspection_does_not_count(world, inspect):
    services.set_cap(actor=world.head, agency=world.tree.market, year=2026, max_per_enterprise=1)
    first = inspect()
    services.perform(first, "refuse", actor=world.head, opinion="本季度已检查")
    inspect()  # the refused one was never carried out


def test_full_procedure_scan_record_correction_review_publish(world, on_site, fixed_today):
    """Approve → notify → scan in → record → 责令改正 → 复查 → publish, each step in the chain."""
    inspection = on_site()
    assert inspection.stage == "on_site" and inspection.scan_method == "scan" and inspection.started_at
    line = inspection.lines.get()
    with pytest.raises(ValidationError, match="尚未制作现场检查笔录"):
        services.perform(inspection, "order_correction", actor=world.officer_user, requirements="整改",
                         due_on=TODAY + datetime.timedelta(days=7))
    services.perform(inspection, "record", actor=world.officer_user, findings="冷藏柜内有过期食品。",
                     lines={line.pk: ("problem", "过期鸡翅8千克")})
    with pytest.raises(ValidationError, match="有发现问题的事项"):
        services.perform(inspection, "conclude", actor=world.officer_user)
    inspection = services.perform(inspection, "order_correction", actor=world.officer_user,
                                  requirements="下架销毁过期食品", due_on=TODAY + datetime.timedelta(days=7))
    assert inspection.stage == "correcting"
    fixed_today(TODAY + datetime.timedelta(days=9))
    inspection = services.perform(inspection, "review", actor=world.officer_user, corrected=True, note="已销毁")
    assert inspection.stage == "concluded" and inspection.review_result == "corrected"
    assert inspection.publication_due_on == datetime.date(2026, 12, 9)  # 20 working days after 11-11
    inspection = services.perform(inspection, "publish", actor=world.officer_user, summary="责令改正，已改正。")
    assert inspection.stage == "published"
    assert Inspection.objects.public().filter(pk=inspection.pk).exists()
    codes = list(inspection.documents.values_list("code", flat=True))
    assert codes == ["inspection_approval", "inspection_site_record", "inspection_correction_notice",
                     "inspection_review_record"]
    kinds = [e.kind for e in events_for(inspection.stream_key)]
    assert kinds == ["request", "approve", "notify", "arrive", "record", "order_correction", "review", "publish"]
    assert verify_stream(inspection.stream_key).ok


def test_wrong_code_refused_and_unscanned_entry_recorded(world, inspect):
    inspection = inspect()
    services.perform(inspection, "approve", actor=world.head)
    services.perform(inspection, "notify", actor=world.officer_user)
    with pytest.raises(ValidationError, match="监管码与被检查企业不符"):
        services.perform(inspection, "arrive", actor=world.officer_user, code="WRONGCODE234")
    inspection = services.perform(inspection, "enter_unscanned", actor=world.officer_user, reason="企业未张贴监管码")
    assert inspection.scan_missing
    code = services.code_for(world.company).code
    inspection = services.perform(inspection, "scan", actor=world.officer_user, code=code.lower(), method="typed")
    assert not inspection.scan_missing and inspection.scan_method == "typed"


def test_only_head_approves_and_only_team_officers_act(world, inspect):
    inspection = inspect()
    with pytest.raises(ValidationError, match="只有机关负责人"):
        services.perform(inspection, "approve", actor=world.officer_user)
    services.perform(inspection, "approve", actor=world.head)
    with pytest.raises(PermissionDenied):
        services.perform(inspection, "notify", actor=world.city_user)  # another agency: not even in scope
    outsider = make_user("officer_a3", roles.OFFICER, agency=world.tree.market)
    Officer.objects.create(name="吴外", id_number="110101199003070038", home_agency=world.tree.market, user=outsider)
    services.perform(inspection, "notify", actor=world.officer_user)
    with pytest.raises(ValidationError, match="只有本次检查的检查人员"):
        services.perform(inspection, "arrive", actor=outsider, code=services.code_for(world.company).code)


def test_emergency_flagged_until_approval_made_up(world, inspect):
    inspection = inspect(emergency=True, emergency_reason="群众举报现场正在销售过期食品")
    assert inspection.stage == "on_site" and inspection.approval_missing
    line = inspection.lines.get()
    services.perform(inspection, "record", actor=world.officer_user, findings="未发现问题。",
                     lines={line.pk: ("compliant", "")})
    services.perform(inspection, "conclude", actor=world.officer_user)
    with pytest.raises(ValidationError, match="尚未补办审批"):
        services.perform(inspection, "publish", actor=world.officer_user)
    services.perform(inspection, "confirm", actor=world.head, opinion="同意")
    inspection.refresh_from_db()
    assert not inspection.approval_missing and inspection.stage == "concluded"
    assert services.perform(inspection, "publish", actor=world.officer_user).stage == "published"


def test_finding_opens_case_carrying_record_and_evidence(world, on_site):
    """A finding opens a penalty case (source 监督检查发现) with the 现场检查笔录 and the inspection's evidence."""
    from django.core.files.base import ContentFile

    from zhifa.records.services import store_file

    inspection = on_site()
    photo = store_file(ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 64), "photo.png")
    services.add_evidence(inspection, photo, actor=world.users.auxiliary_a, kind="audiovisual", title="冷藏柜照片",
                          captured_at=TODAY and inspection.started_at)
    line = inspection.lines.get()
    services.perform(inspection, "record", actor=world.officer_user, findings="发现过期食品。",
                     lines={line.pk: ("problem", "过期鸡翅")})
    line.refresh_from_db()
    inspection = services.perform(inspection, "open_case", actor=world.officer_user, line=line,
                                  penalty_item=world.penalty_item)
    case = inspection.case
    assert inspection.stage == "concluded" and inspection.result == "case"
    assert case.source == "inspection" and case.item == world.penalty_item and case.party == world.company
    assert case.inspections.get().findings == "发现过期食品。"
    evidence = case.evidence.get()
    assert evidence.file_id == photo.pk and "证据1" in evidence.description
    assert set(case.assignments.values_list("officer__name", flat=True)) == {"李明", "周强"}


def test_joint_inspection_one_checklist_visible_to_both_agencies(world, inspect):
    """综合查一次: two agencies' items on one checklist, one team; the joined agency sees it."""
    inspection = inspect(items=[world.item, world.city_item], officers=[world.o1, world.o2, world.c1, world.c2])
    assert inspection.joint
    assert set(inspection.lines.values_list("agency__name", flat=True)) == {"云岭县市场监督管理局", "云岭县综合行政执法局"}
    assert Inspection.objects.restrict(world.city_user).filter(pk=inspection.pk).exists()
    assert not Inspection.objects.restrict(world.users.officer_b).filter(pk=inspection.pk).exists()


def test_enterprise_view_and_evaluation(world, on_site):
    inspection = on_site()
    code = services.code_for(world.company).code
    assert services.find_enterprise(world.company.credit_code, ("Y" if code[0] == "X" else "X") + code[1:]) is None
    party = services.find_enterprise(world.company.credit_code.lower(), code)
    assert party == world.company
    assert list(services.enterprise_inspections(party)) == [inspection]
    with pytest.raises(ValidationError, match="投诉请写明"):
        services.evaluate(party, inspection.pk, rating=1, is_complaint=True)
    with pytest.raises(ValidationError, match="联系电话"):
        services.evaluate(party, inspection.pk, rating=1, comment="检查时间过长", is_complaint=True, contact_name="王经理")
    services.evaluate(party, inspection.pk, rating=5, comment="检查规范")
    assert not Complaint.objects.exists()  # an evaluation is no complaint
    evaluation = services.evaluate(party, inspection.pk, rating=2, comment="检查时间过长", is_complaint=True,
                                   contact_name="王经理", contact_phone="13800000001")
    assert inspection.evaluations.filter(is_complaint=True).count() == 1
    # 投诉 enters the complaints app: about enforcement, from the portal, against the leading agency,
    # unrouted (the supervisor routes it, never the agency complained about), with a query code.
    complaint = Complaint.objects.get()
    assert evaluation.complaint == complaint
    assert (complaint.kind, complaint.source, complaint.reported_agency, complaint.agency) == (
        "enforcement", "portal", inspection.agency, None)
    assert inspection.number in complaint.subject and "检查时间过长" in complaint.content
    assert complaint.complainant.name == "王经理" and complaint.complainant.phone == "13800000001"
    assert evaluation.query_code and find_by_query_code(evaluation.query_code) == complaint
    assert complaint.number in list(events_for(inspection.stream_key))[-1].summary
    with pytest.raises(ValidationError, match="未找到"):
        services.evaluate(world.other_company, inspection.pk, rating=5)


def test_inspections_count_in_the_annual_statistics(world, on_site, inspect):
    """纳入年度统计 (国办发〔2024〕54号): an inspection carried out counts in the annual statistics (行政执法统计年报)
    of every agency on its checklist; one not carried out does not; the 现场检查笔录 it copies into the case it
    opened is not counted a second time."""
    from zhifa.statistics.rendering import summary_rows
    from zhifa.statistics.services import compute

    on_site(items=[world.item, world.city_item], officers=[world.o1, world.o2, world.c1, world.c2])
    inspect()  # requested, never carried out
    alone = on_site()
    line = alone.lines.get()
    services.perform(alone, "record", actor=world.officer_user, findings="发现过期食品。",
                     lines={line.pk: ("problem", "过期鸡翅")})
    line.refresh_from_db()
    assert services.perform(alone, "open_case", actor=world.officer_user, line=line,
                            penalty_item=world.penalty_item).case.inspections.count() == 1
    market = compute(world.tree.market, 2026)
    city = compute(world.tree.comprehensive, 2026)["counts"]
    counts = market["counts"]
    assert (counts["inspection"], counts["inspection_act"], counts["inspection_on_site"]) == (2, 2, 0)
    assert (city["inspection"], city["inspection_act"]) == (1, 1)
    assert compute(world.tree.market, 2025)["counts"]["inspection_act"] == 0
    row = next(r for r in summary_rows(market) if r["key"] == "inspection_act")
    assert row["label"].startswith("其中：实施的行政检查") and row["number"] == 2


def test_evidence_names_the_registered_device_that_recorded_it(world, on_site):
    """Evidence of an inspection names the registered device (执法装备登记): a body camera issued at capture
    time to one of the inspection's officers; a camera held by no one, or another county's device, is refused;
    the case the finding opens keeps the device with the evidence."""
    from django.core.files.base import ContentFile

    from zhifa.inspections.devices import services as device_services
    from zhifa.inspections.models import Device
    from zhifa.records.services import store_file

    camera = Device.objects.create(kind="camera", serial="YL-JLY-09", agency=world.tree.market,
                                   in_service_on=datetime.date(2026, 1, 1))
    idle = Device.objects.create(kind="camera", serial="YL-JLY-10", agency=world.tree.market,
                                 in_service_on=datetime.date(2026, 1, 1))
    foreign = Device.objects.create(kind="camera", serial="QS-JLY-01", agency=world.tree.other_market,
                                    in_service_on=datetime.date(2026, 1, 1))
    inspection = on_site()
    device_services.issue_device(camera, world.o2, actor=world.head,
                                 issued_at=inspection.started_at - datetime.timedelta(hours=1))
    photo = store_file(ContentFile(b"\x89PNG\r\n\x1a\n" + b"1" * 64), "photo.png")
    data = {"actor": world.officer_user, "kind": "audiovisual", "title": "执法记录仪视频",
            "captured_at": inspection.started_at}
    with pytest.raises(ValidationError, match="未领用给任何人员"):
        services.add_evidence(inspection, photo, device=idle, **data)
    with pytest.raises(ValidationError, match="不属于本次检查的执法主体"):
        services.add_evidence(inspection, photo, device=foreign, **data)
    evidence = services.add_evidence(inspection, photo, device=camera, **data)
    assert evidence.device == camera and not inspection.evidence.exclude(pk=evidence.pk).exists()
    assert "执法记录仪 YL-JLY-09采集" in list(events_for(inspection.stream_key))[-1].summary
    line = inspection.lines.get()
    services.perform(inspection, "record", actor=world.officer_user, findings="发现过期食品。",
                     lines={line.pk: ("problem", "过期鸡翅")})
    line.refresh_from_db()
    case = services.perform(inspection, "open_case", actor=world.officer_user, line=line,
                            penalty_item=world.penalty_item).case
    carried = case.evidence.get()
    assert carried.registered_device == camera and carried.device == "执法记录仪 YL-JLY-09"
