"""行政强制 at its boundaries (行政强制法): the measure's 30 days (day 30 vs day 31, a period
ending in the National Day holiday), one extension of at most 30 days, testing excluded, the
24-hour emergency approval, 冻结 only with the power, 催告's ten working days across a holiday,
the remedy periods and the three-month window before the court; refusals cite the article."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import services
from zhifa.cases.coercion import rules
from zhifa.cases.coercion import services as coercion
from zhifa.cases.coercion.models import CoercionPower, CoerciveMeasure
from zhifa.records.services import events_for, store_file

from .test_penalties_and_documents import stored_text

D = datetime.date
UTC = datetime.UTC
BASIS = "《中华人民共和国食品安全法》第一百一十条第（四）项"
INVENTORY = [{"name": "饼干", "spec": "500克/袋", "quantity": "12", "unit": "袋"}]


def _video(world, case):
    stored = store_file(io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + bytes(4000)), "扣押录像.mp4", "video/mp4")
    return services.add_evidence(case, stored, actor=world.officer_user, kind="audiovisual", title="扣押全程录像",
                                 captured_at=datetime.datetime(2026, 11, 2, 1, 0, tzinfo=UTC))


@pytest.fixture
def investigating(world, open_general):
    case = open_general()
    services.perform_transition(case, "file", actor=world.unit_head)
    services.perform_transition(case, "investigate", actor=world.officer_user)
    return case


def _approved(world, case, video, started=datetime.datetime(2026, 11, 2, 15, 0, tzinfo=UTC)):
    """申请 → 批准 → 实施 on 2 November 2026 (a Monday): thirty days end on 2 December."""
    measure = coercion.start_measure(case, actor=world.officer_user, kind="seize", reasons="饼干无生产日期，", basis=BASIS)
    coercion.perform_measure(measure, "approve", actor=world.head)
    return coercion.perform_measure(measure, "execute", actor=world.officer_user, data={
        "started_at": started, "place": "店内", "inventory": INVENTORY, "officers": [world.o1, world.o2],
        "recording": video})


def _refusal(call) -> str:
    with pytest.raises(services.TransitionRefused) as exc:
        call()
    return exc.value.messages[0]


# --- periods, pure ----------------------------------------------------------------------------


def test_thirty_calendar_days_and_a_period_ending_in_the_national_day_holiday(db):
    """Thirty days after 2 November end on 2 December; thirty days after 1 September fall on
    1 October, a holiday, so the period ends on 8 October, the first working day after it."""
    assert rules.calendar_deadline(D(2026, 11, 2), 30) == (D(2026, 12, 2), False)
    assert rules.calendar_deadline(D(2026, 9, 1), 30) == (D(2026, 10, 8), False)


def test_reminder_gives_ten_working_days_counted_across_the_holiday_and_the_swapped_saturday(db):
    """Served Monday 28 September: 29, 30 September, then 8, 9, 10 (a swapped working Saturday),
    12–16 October — the tenth working day is 16 October (第六十九条: ten days or less are working days)."""
    assert rules.reminder_deadline(D(2026, 9, 28)) == (D(2026, 10, 16), False)


def test_remedy_periods_and_the_three_month_court_window(db):
    """Served 10 March: reconsideration ends 9 May (60 days, moved off the weekend to 11 May),
    the lawsuit on 10 September (six months); the court may be asked from 11 September to
    10 December (第五十三条)."""
    assert rules.remedy_lapse(D(2026, 3, 10)) == D(2026, 9, 10)
    assert rules.court_window(D(2026, 3, 10)) == (D(2026, 9, 11), D(2026, 12, 10))


# --- the measure procedure ---------------------------------------------------------------------


def test_day_thirty_is_in_force_day_thirty_one_is_overdue_and_only_release_remains(world, investigating, fixed_today):
    case = investigating
    measure = _approved(world, case, _video(world, case))
    assert (measure.stage, measure.expires_on) == ("in_force", D(2026, 12, 2))
    assert "强决〔2026〕" in measure.decision_number
    fixed_today(D(2026, 12, 2))
    assert rules.state(measure, D(2026, 12, 2), datetime.datetime(2026, 12, 2, 8, tzinfo=UTC)) == "expiring"
    assert not CoerciveMeasure.objects.filter(rules.overdue_q(D(2026, 12, 2), datetime.datetime(2026, 12, 2, tzinfo=UTC)))
    coercion.check_measure(measure, "extend", world.head)  # still possible on day 30
    fixed_today(D(2026, 12, 3))
    assert CoerciveMeasure.objects.filter(rules.overdue_q(D(2026, 12, 3), datetime.datetime(2026, 12, 3, tzinfo=UTC))).get() == measure
    message = _refusal(lambda: coercion.perform_measure(measure, "extend", actor=world.head,
                                                         data={"days": 10, "reasons": "情况复杂"}))
    assert message.startswith("不能延长期限") and "第二十八条" in message
    assert "第二十七条" in _refusal(lambda: coercion.perform_measure(
        measure, "dispose", actor=world.head, data={"end_kind": "destroy", "note": "不符合食品安全标准。"}))
    released = coercion.perform_measure(measure, "release", actor=world.unit_head, data={"reason": "expired"})
    assert released.stage == "released" and released.end_reason == "expired"
    text = stored_text(case.documents.get(code="coercion_release"))
    assert "因查封、扣押期限已经届满，根据《中华人民共和国行政强制法》第十九条、第二十八条的规定，本局决定自2026年12月3日起解除扣押" in text


def test_one_extension_of_at_most_thirty_days_by_the_agency_head_with_a_written_notice(world, investigating, fixed_today):
    case = investigating
    measure = _approved(world, case, _video(world, case))
    with pytest.raises(PermissionDenied, match="机关负责人"):
        coercion.perform_measure(measure, "extend", actor=world.unit_head, data={"days": 10, "reasons": "情况复杂"})
    with pytest.raises(ValidationError, match="不得超过三十日"):
        coercion.perform_measure(measure, "extend", actor=world.head, data={"days": 31, "reasons": "情况复杂"})
    with pytest.raises(ValidationError, match="延长的理由"):
        coercion.perform_measure(measure, "extend", actor=world.head, data={"days": 30, "reasons": ""})
    measure = coercion.perform_measure(measure, "extend", actor=world.head,
                                       data={"days": 30, "reasons": "涉案饼干来源需向外省供货商核查"})
    assert measure.expires_on == D(2027, 1, 1) or measure.expiry_provisional  # 2 December + 30 days
    assert "延长以一次为限" in _refusal(lambda: coercion.perform_measure(
        measure, "extend", actor=world.head, data={"days": 5, "reasons": "再次延长"}))
    text = stored_text(case.documents.get(code="coercion_extension_notice"))
    assert "因涉案饼干来源需向外省供货商核查，情况复杂，经本局负责人批准" in text
    assert "决定将扣押期限延长三十日" in text


def test_testing_days_are_excluded_and_stated_to_the_party(world, investigating, fixed_today):
    """Sent for testing on 5 November, result on 15 November: ten days are not counted, so the
    period ends on 12 December — a Saturday — and therefore on Monday 14 December."""
    case = investigating
    measure = _approved(world, case, _video(world, case))
    fixed_today(D(2026, 11, 5))
    measure = coercion.perform_measure(measure, "start_testing", actor=world.officer_user, data={
        "testing_kind": "inspection", "institution": "秦川市食品检验检测中心", "started_on": D(2026, 11, 5)})
    assert (measure.stage, measure.expires_on) == ("testing", None)
    text = stored_text(case.documents.get(code="coercion_testing_notice"))
    assert "检验的期间不计入扣押期限" in text and "已于2026年11月5日送秦川市食品检验检测中心" in text
    fixed_today(D(2026, 11, 15))
    measure = coercion.perform_measure(measure, "end_testing", actor=world.officer_user,
                                       data={"ended_on": D(2026, 11, 15), "result": "菌落总数超标"})
    assert (measure.stage, measure.expires_on) == ("in_force", D(2026, 12, 14))


def test_emergency_measure_needs_the_heads_approval_within_24_hours_or_release(world, investigating, fixed_today):
    """Carried out at 15:00 on 1 November (now is 15:00 on 2 November): exactly 24 hours is not
    late; a day later it is flagged; the head who disagrees releases it (第十九条)."""
    case = investigating
    video = _video(world, case)
    started = datetime.datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
    with pytest.raises(services.TransitionRefused, match="两名以上"):
        coercion.start_measure(case, actor=world.officer_user, kind="seal", emergency=True, reasons="现场发现变质食品，",
                               basis=BASIS, started_at=started, inventory=INVENTORY, officers=[world.o1], recording=video)
    measure = coercion.start_measure(case, actor=world.officer_user, kind="seal", emergency=True, reasons="现场发现变质食品，",
                                     basis=BASIS, started_at=started, inventory=INVENTORY, officers=[world.o1, world.o2],
                                     recording=video)
    assert measure.stage == "reported" and measure.expires_on == D(2026, 12, 1)
    now = datetime.datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    assert rules.state(measure, D(2026, 11, 2), now) == ""
    late = now + datetime.timedelta(seconds=1)
    assert rules.state(measure, D(2026, 11, 2), late) == "approval_overdue"
    assert list(CoerciveMeasure.objects.filter(rules.overdue_q(D(2026, 11, 2), late))) == [measure]
    decision = stored_text(case.documents.get(code="coercion_decision"))
    assert "依据《中华人民共和国食品安全法》第一百一十条第（四）项的规定，本局决定自" in decision
    assert "实施查封，期限为三十日（自2026年11月1日起算），至2026年12月1日届满" in decision
    inventory = stored_text(case.documents.get(code="coercion_inventory"))
    assert "饼干" in inventory and "500克/袋" in inventory and measure.decision_number in inventory
    with pytest.raises(ValidationError, match="不予批准的理由"):
        coercion.perform_measure(measure, "disapprove", actor=world.head, data={})
    measure = coercion.perform_measure(measure, "disapprove", actor=world.head, data={"opinion": "证据不足，不应查封。"})
    assert (measure.stage, measure.end_reason) == ("released", "not_approved")
    assert "行政机关负责人认为不应当采取行政强制措施" in stored_text(case.documents.get(code="coercion_release"))


def test_freezing_only_where_a_law_gives_the_agency_the_power(world, investigating):
    case = investigating
    video = _video(world, case)
    args = {"kind": "freeze", "reasons": "为防止转移违法所得，", "basis": "《中华人民共和国某法》第某条"}
    assert "第二十九条" in _refusal(lambda: coercion.start_measure(case, actor=world.officer_user, **args))
    CoercionPower.objects.create(agency=world.tree.market, may_freeze=True, freeze_basis="《某法》第某条")
    assert coercion.start_measure(case, actor=world.officer_user, **args).stage == "requested"
    assert video.is_recording


def test_confiscation_needs_the_penalty_decision_and_transfer_names_the_receiver(world, investigating):
    case = investigating
    measure = _approved(world, case, _video(world, case))
    with pytest.raises(ValidationError, match="没收非法财物的行政处罚决定"):
        coercion.perform_measure(measure, "dispose", actor=world.head, data={"end_kind": "confiscate", "note": "依法没收。"})
    with pytest.raises(ValidationError, match="接收移送的机关"):
        coercion.perform_measure(measure, "dispose", actor=world.head, data={"end_kind": "transfer", "note": "涉嫌犯罪。"})
    measure = coercion.perform_measure(measure, "dispose", actor=world.head, data={
        "end_kind": "transfer", "note": "涉案数额较大，涉嫌生产、销售不符合安全标准的食品罪。", "transferred_to": "云岭县公安局"})
    assert measure.stage == "disposed"
    text = stored_text(case.documents.get(code="coercion_disposal"))
    assert "本局在扣押期限内作出如下处理决定：对《扣押清单》所列财物依法予以移送，移送云岭县公安局依法处理" in text
    kinds = [e.kind for e in events_for(case.stream_key)]
    assert {"coercive_measure_requested", "coercive_measure_approve", "coercive_measure_execute",
            "coercive_measure_dispose"} <= set(kinds)


def test_prior_approval_comes_before_execution_and_only_from_the_agency_head(world, investigating):
    case = investigating
    measure = coercion.start_measure(case, actor=world.officer_user, kind="seize", reasons="饼干无生产日期，", basis=BASIS)
    with pytest.raises(ValidationError, match="“待批准”环节不能实施并交付决定书、清单"):
        coercion.perform_measure(measure, "execute", actor=world.officer_user, data={
            "started_at": datetime.datetime(2026, 11, 2, 15, tzinfo=UTC), "inventory": INVENTORY,
            "officers": [world.o1, world.o2], "recording": _video(world, case)})
    with pytest.raises(PermissionDenied, match="机关负责人"):
        coercion.perform_measure(measure, "approve", actor=world.unit_head)
    with pytest.raises(PermissionDenied, match="执法辅助人员不能签署"):
        coercion.start_measure(case, actor=world.users.auxiliary_a, kind="seize", reasons="x", basis=BASIS)


# --- enforcement --------------------------------------------------------------------------------


def test_enforcement_reminder_then_court_only_after_the_remedy_periods_and_within_three_months(
        world, open_general, fixed_today):
    """Decided and served 10 November, fine due 25 November. The 催告书 on 30 November gives ten
    working days (to 14 December); the agency has no power of its own, so it applies to the court
    — not before the remedy periods end on 10 May 2027, and not after 10 August 2027."""
    from .test_law_limits import _in_execution

    case = _in_execution(world, open_general, fixed_today, fine=Decimal("10000"))
    fixed_today(D(2026, 11, 25))
    assert "第三十五条" in _refusal(lambda: coercion.start_enforcement(case, actor=world.officer_user))
    fixed_today(D(2026, 11, 30))
    enforcement = coercion.start_enforcement(case, actor=world.officer_user)
    assert enforcement.compliance_due_on == D(2026, 12, 14) and enforcement.principal == Decimal("10000.00")
    assert enforcement.surcharge == Decimal("1500.00")  # 5 days × 3% × 10,000
    reminder = stored_text(case.documents.get(code="enforcement_reminder"))
    assert "现催告你（单位）于2026年12月14日前履行" in reminder and "加处罚款的数额不超出罚款的数额" in reminder
    assert "第十三条" in _refusal(lambda: coercion.perform_enforcement(enforcement, "decide", actor=world.head,
                                                                      data={"means": "划拨存款"}))
    coercion.perform_enforcement(enforcement, "statement", actor=world.officer_user, data={"statement": "经营困难。"})
    message = _refusal(lambda: coercion.perform_enforcement(enforcement, "apply_court", actor=world.head))
    assert "第三十六条" in message and "第五十三条" in message and "第三十七条、第五十四条" in message
    coercion.perform_enforcement(enforcement, "review", actor=world.officer_user,
                                 data={"review": "未提供证明材料，不予采纳。", "accepted": False})
    fixed_today(D(2027, 5, 10))
    message = _refusal(lambda: coercion.perform_enforcement(enforcement, "apply_court", actor=world.head))
    assert "六十日" in message and "六个月" in message
    fixed_today(D(2027, 8, 11))
    assert "三个月内" in _refusal(lambda: coercion.perform_enforcement(enforcement, "apply_court", actor=world.head))


def test_surcharge_shown_on_the_reminder_never_exceeds_the_fine(world, open_general, fixed_today):
    from .test_law_limits import _in_execution

    case = _in_execution(world, open_general, fixed_today, fine=Decimal("10000"))
    fixed_today(D(2027, 3, 1))  # 96 days late: 288% uncapped
    enforcement = coercion.start_enforcement(case, actor=world.officer_user)
    assert enforcement.surcharge == enforcement.principal == Decimal("10000.00")
    CoercionPower.objects.create(agency=world.tree.market, may_enforce=True, enforce_basis="《某法》第某条")
    fixed_today(D(2027, 3, 16))
    coercion.perform_enforcement(enforcement, "decide", actor=world.head, data={"means": "划拨存款"})
    text = stored_text(case.documents.get(code="enforcement_decision"))
    assert "根据《中华人民共和国行政强制法》第三十七条的规定，本局决定：对你（单位）采取划拨存款的方式强制执行" in text
    assert "罚没款人民币10,000.00元及加处罚款人民币10,000.00元" in text


# --- pages and portal ------------------------------------------------------------------------------


def test_portal_publishes_the_measure_and_enforcement_flow_charts_from_the_same_definition(client, db):
    from django.urls import reverse

    from zhifa.cases.coercion.procedure import PROCEDURES

    html = client.get(reverse("portal:procedure_list")).content.decode()
    for procedure in PROCEDURES:
        assert procedure.name in html
        for stage in procedure.flow():
            assert stage["name"] in html
            for transition in stage["transitions"]:
                assert transition["name"] in html
                for requirement in transition["requires"]:
                    assert requirement in html, requirement


def test_measure_pages_refuse_in_chinese_and_another_county_sees_nothing(client, world, investigating):
    from django.urls import reverse

    case = investigating
    measure = coercion.start_measure(case, actor=world.officer_user, kind="seize", reasons="饼干无生产日期，", basis=BASIS)
    approve = reverse("cases:measure_step", args=[case.pk, measure.pk, "approve"])
    client.force_login(world.users.officer_b)
    assert client.get(approve).status_code == 404
    assert client.post(approve, {"opinion": "同意"}).status_code == 404
    assert client.get(reverse("cases:measure_list")).content.decode().count("扣押财物") == 0
    client.force_login(world.officer_user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "待批准" in page and "批准实施</strong>：批准实施须由机关负责人办理" in page
    refused = client.post(approve, {"opinion": "同意"})
    assert refused.status_code == 403 and "批准实施须由机关负责人办理" in refused.content.decode()
    client.force_login(world.head)
    assert client.post(approve, {"opinion": "同意"}).status_code == 302
    measure.refresh_from_db()
    assert measure.stage == "approved" and measure.approved_by == world.head.display_name or measure.stage == "approved"
    assert "扣押财物" in client.get(reverse("cases:measure_list")).content.decode()
