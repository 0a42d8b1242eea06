"""Complaint handling (SUP-3): intake, routing, deadlines in working days, the procedure's
moves, the case's outcome flowing back, reminders and escalation, problem models, statistics."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.records.services import events_for, verify_stream
from zhifa.supervision.complaints import procedure as proc
from zhifa.supervision.complaints import services, stats
from zhifa.supervision.complaints.deadlines import limits_for
from zhifa.supervision.models import Alert
from zhifa.supervision.models.complaints import Complaint, DeadlineRule
from zhifa.supervision.problems import evaluate

from .conftest import D, accept

pytestmark = pytest.mark.django_db


def test_deadlines_count_working_days_from_receipt_per_source(cw, complaint):
    """Received on Monday 2 November 2026 by phone: acknowledge within 7 working days (11 November),
    reply within 30 working days (14 December); a hotline work order gets 1 and 15."""
    assert complaint.received_on == D(2026, 11, 2)
    assert complaint.acknowledge_due == D(2026, 11, 11)
    assert complaint.reply_due == D(2026, 12, 14)
    assert complaint.next_due == complaint.acknowledge_due
    hotline, _ = services.receive(source="hotline_12345", region=cw.tree.county, subject="噪音", content="夜间施工噪音",
                                  anonymous=True, hotline_system=cw.hotline, work_order_number="WO-1")
    assert (hotline.acknowledge_due, hotline.reply_due) == (D(2026, 11, 3), D(2026, 11, 23))


def test_a_region_rule_overrides_the_default_and_the_nearest_region_wins(cw):
    """A city rule applies to its counties; the county's own rule wins over the city's."""
    services.set_deadline_rule(cw.supervisor_city, region=cw.tree.city, source="phone", acknowledge_days=3,
                               decide_days=10, reply_days=20)
    assert limits_for("phone", cw.tree.county).acknowledge_days == 3
    services.set_deadline_rule(cw.supervisor, region=cw.tree.county, source="phone", acknowledge_days=2,
                               decide_days=10, reply_days=20)
    assert limits_for("phone", cw.tree.township).acknowledge_days == 2
    assert limits_for("phone", cw.tree.other_county).acknowledge_days == 3
    with pytest.raises(PermissionDenied):  # a county supervisor cannot set the other county's limits
        services.set_deadline_rule(cw.supervisor, region=cw.tree.other_county, source="phone", acknowledge_days=1,
                                   decide_days=1, reply_days=1)
    with pytest.raises(PermissionDenied):  # an agency cannot set limits
        services.set_deadline_rule(cw.market_head, region=cw.tree.county, source="phone", acknowledge_days=1,
                                   decide_days=1, reply_days=1)
    assert DeadlineRule.objects.count() == 2


def test_routing_by_item_and_region_finds_the_county_bureau(cw):
    """A complaint naming the market item in county A goes to county A's market bureau; in county B
    to county B's (the same item code is exercised by each county's bureau); unknown item: unrouted."""
    item_a = cw.items[cw.tree.market.pk]
    c, _ = services.receive(source="letter", region=cw.tree.township, item=item_a, subject="标签", content="标签不符",
                            anonymous=True)
    assert c.agency == cw.tree.market
    item_b = services.item_for_code(item_a.code, cw.tree.other_county)
    assert item_b is None  # county B's bureau uses another code in the test world
    c2, _ = services.receive(source="letter", region=cw.tree.other_county, subject="x", content="y", anonymous=True)
    assert c2.agency is None and c2.status == proc.RECEIVED


def test_named_complaint_needs_name_and_phone(cw):
    with pytest.raises(ValidationError) as err:
        services.receive(source="phone", region=cw.tree.county, subject="a", content="b", complainant={"name": "某"})
    assert "姓名和联系电话" in str(err.value)


def test_the_procedure_from_intake_to_closure_with_its_record(cw, complaint, make_case):
    """accept → decide (open a case) → reply → close; each move is an event of the hash chain;
    moves out of order or by the wrong role are refused with the reason."""
    with pytest.raises(ValidationError, match="不能作出处理决定"):
        services.perform(complaint, "decide", actor=cw.market_officer, decision="no_case", reason="x")
    with pytest.raises(PermissionDenied):
        services.perform(complaint, "accept", actor=cw.comp_officer)  # another agency
    with pytest.raises(PermissionDenied):
        services.perform(complaint, "close", actor=cw.market_officer)  # officers do not close
    c = accept(complaint, cw.market_officer)
    assert c.status == proc.ACCEPTED and c.decide_due == D(2026, 11, 23)
    assert list(c.handlers.all()) == [cw.market_officer]
    case = make_case(source="complaint", stage="clue")
    other = make_case(agency=cw.tree.other_market, source="complaint")
    with pytest.raises(ValidationError, match="承办执法主体"):
        services.perform(c, "decide", actor=cw.market_officer, decision="open_case", case=other)
    c = services.perform(c, "decide", actor=cw.market_officer, decision="open_case", case=case)
    assert c.case == case and c.next_due == c.reply_due
    c = services.perform(c, "reply", actor=cw.market_officer, reply="已立案调查。")
    c = services.perform(c, "close", actor=cw.market_head)
    assert c.status == proc.CLOSED and c.closed_at is not None
    kinds = [e.kind for e in events_for(c.stream_key)]
    assert kinds == ["received", "accept", "decide", "reply", "close"]
    assert verify_stream(c.stream_key, check_files=False).ok


def test_transfer_and_return(cw, complaint):
    """A bureau not competent transfers to the competent one (the new acknowledge limit runs from
    today) or returns it to the supervisor, who routes it again; the transferring bureau then no
    longer sees it."""
    with pytest.raises(ValidationError, match="转办理由"):
        services.perform(complaint, "transfer", actor=cw.market_head, agency=cw.tree.comprehensive, reason="")
    with pytest.raises(ValidationError, match="管辖范围"):
        services.perform(complaint, "transfer", actor=cw.market_head, agency=cw.tree.other_market, reason="不属本局")
    c = services.perform(complaint, "transfer", actor=cw.market_head, agency=cw.tree.comprehensive,
                         reason="占道经营属综合执法")
    assert c.agency == cw.tree.comprehensive and c.transfer_count == 1 and c.status == proc.RECEIVED
    assert not Complaint.objects.restrict(cw.market_head).filter(pk=c.pk).exists()
    assert Complaint.objects.restrict(cw.comp_officer).filter(pk=c.pk).exists()
    head_c = cw.head_comprehensive
    c = services.perform(c, "return", actor=head_c, reason="也不属本局")
    assert c.agency is None
    with pytest.raises(PermissionDenied):
        services.perform(c, "route", actor=cw.market_head, agency=cw.tree.market)
    c = services.perform(c, "route", actor=cw.supervisor, agency=cw.tree.market)
    assert c.agency == cw.tree.market
    assert [e.kind for e in events_for(c.stream_key)] == ["received", "transfer", "return", "route"]


def test_case_outcome_flows_back_to_the_complaint(cw, complaint, make_case):
    """When the case opened from the complaint is decided, the complaint records the outcome."""
    from zhifa.cases.services.common import _publish

    c = accept(complaint, cw.market_officer)
    case = make_case(source="complaint", stage="decision", outcome="penalty", decision_number="云市监罚〔2026〕8号",
                     fine_amount=5000, decided_on=D(2026, 11, 2))
    services.perform(c, "decide", actor=cw.market_officer, decision="open_case", case=case)
    _publish("transition:decide", case, cw.market_head)
    c.refresh_from_db()
    assert "给予行政处罚" in c.case_outcome and "云市监罚〔2026〕8号" in c.case_outcome and "5,000.00" in c.case_outcome
    assert events_for(c.stream_key).last().kind == "case_outcome"


def test_satisfaction_once_after_the_reply(cw, complaint):
    c = accept(complaint, cw.market_officer)
    with pytest.raises(ValidationError, match="答复之后"):
        services.record_satisfaction(c, "satisfied", channel="portal")
    c = services.perform(c, "decide", actor=cw.market_officer, decision="handled", reason="已责令下架")
    c = services.perform(c, "reply", actor=cw.market_officer, reply="已责令下架过期食品。")
    c = services.record_satisfaction(c, "basic", channel="phone", actor=cw.market_officer)
    assert c.satisfaction == "basic"
    with pytest.raises(ValidationError, match="已评价"):
        services.record_satisfaction(c, "dissatisfied", channel="portal")


def test_reminders_and_escalation_are_idempotent(cw, complaint, fixed_today):
    """Two working days before the limit the agency is reminded once; after it the complaint is
    escalated once, and the overdue problem model raises an alert to the handling agency."""
    fixed_today(D(2026, 11, 9))  # limit 11 November, two working days ahead
    assert services.remind_and_escalate()["reminded"] == 1
    assert services.remind_and_escalate()["reminded"] == 0
    fixed_today(D(2026, 11, 12))
    assert services.remind_and_escalate()["escalated"] == 1
    assert services.remind_and_escalate()["escalated"] == 0
    result = evaluate("COMPLAINT_ACK_OVERDUE")
    assert result.raised == 1
    alert = Alert.objects.get(problem_model__code="COMPLAINT_ACK_OVERDUE")
    assert alert.agency == cw.tree.market and alert.object_id == complaint.pk and "张" not in alert.summary
    accept(complaint, cw.market_officer)
    assert evaluate("COMPLAINT_ACK_OVERDUE").closed == 1


def test_repeated_complaints_about_one_enterprise_and_one_agency(cw):
    for n in range(3):
        services.receive(source="portal", region=cw.tree.county, agency=cw.tree.market, subject=f"第{n}次",
                         content="同一企业", reported_party=cw.company, anonymous=True)
        services.receive(source="portal", region=cw.tree.county, agency=None,
                         subject=f"执法{n}", content="执法人员态度粗暴", kind="enforcement",
                         reported_agency=cw.tree.comprehensive, anonymous=True)
    assert evaluate("COMPLAINT_REPEATED_PARTY").raised == 1
    assert evaluate("COMPLAINT_REPEATED_AGENCY").raised == 1
    party_alert = Alert.objects.get(problem_model__code="COMPLAINT_REPEATED_PARTY")
    assert party_alert.object_type == "party" and party_alert.object_id == cw.company.pk
    agency_alert = Alert.objects.get(problem_model__code="COMPLAINT_REPEATED_AGENCY")
    assert agency_alert.agency == cw.tree.comprehensive and "3次" in agency_alert.summary


def test_statistics_for_the_kpis(cw, complaint):
    assert stats.complaints_per_year(cw.tree.county.path, 2026) == 1
    assert stats.complaints_per_year(cw.tree.other_county.path, 2026) == 0
    assert stats.complaints_per_year(cw.tree.county.path, 2025) == 0
    assert stats.satisfaction_rate(cw.tree.county.path, 2026) is None
    c = accept(complaint, cw.market_officer)
    c = services.perform(c, "decide", actor=cw.market_officer, decision="handled", reason="已处理")
    c = services.perform(c, "reply", actor=cw.market_officer, reply="已处理")
    services.record_satisfaction(c, "satisfied", channel="phone")
    assert stats.satisfaction_rate(cw.tree.city.path, 2026) == 1.0
