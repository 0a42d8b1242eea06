"""The general procedure, end to end and at each gate (CASE-2, CASE-3, CASE-5, CASE-6, REC-1)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import rules, services
from zhifa.cases.procedures import GENERAL_PROCEDURE
from zhifa.catalog import choices as cc
from zhifa.records.services import events_for, store_file, verify_stream

# the documents' PDFs are converted at once, as after a commit (conftest.py jobs_at_once)
pytestmark = pytest.mark.usefixtures("jobs_at_once")

D = datetime.date


def _photo(name="现场照片.jpg"):
    import io

    # a minimal JPEG header is enough for type detection
    return store_file(io.BytesIO(b"\xff\xd8\xff\xe0" + b"JFIF" + bytes(2000)), name)


def _video(name="询问录像.mp4"):
    import io

    return store_file(io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + bytes(4000)), name)


def _investigate(world, case):
    services.perform_transition(case, "file", actor=world.unit_head)
    services.perform_transition(case, "investigate", actor=world.officer_user)
    services.add_evidence(case, _photo(), actor=world.officer_user, kind="audiovisual", title="货架照片",
                          captured_at=datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC))
    services.record_inspection(case, actor=world.officer_user, time=datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC),
                               place="店内", content="检查预包装食品标签", findings="12袋饼干无生产日期")


def test_filing_without_two_certified_officers_is_refused_naming_what_is_missing(world, open_general):
    """立案 needs two officers who may act; the refusal names the missing one and why."""
    case = open_general(officers=[world.o1, world.aux])
    with pytest.raises(services.TransitionRefused) as exc:
        services.perform_transition(case, "file", actor=world.unit_head)
    message = " ".join(exc.value.missing)
    assert "不足两名" in message and "赵协" in message and "执法辅助人员不能独立执法" in message
    case.refresh_from_db()
    assert case.stage == "clue" and case.number == ""


def test_transition_out_of_order_and_by_the_wrong_role(world, open_general):
    case = open_general()
    with pytest.raises(ValidationError, match="线索登记"):
        services.perform_transition(case, "decide", actor=world.head)
    with pytest.raises(PermissionDenied, match="承办机构负责人、机关负责人"):
        services.perform_transition(case, "file", actor=world.officer_user)


def test_auxiliary_cannot_sign_or_decide(world, open_general):
    """An auxiliary may record evidence but never sign: discretion, answers and transitions are refused."""
    case = open_general()
    services.perform_transition(case, "file", actor=world.unit_head)
    with pytest.raises(PermissionDenied, match="承办机构负责人|执法人员"):
        services.perform_transition(case, "investigate", actor=world.users.auxiliary_a)
    services.perform_transition(case, "investigate", actor=world.officer_user)
    evidence = services.add_evidence(case, _photo(), actor=world.users.auxiliary_a, kind="audiovisual",
                                     title="协助拍摄", captured_at=datetime.datetime(2026, 11, 2, 8, tzinfo=datetime.UTC))
    assert evidence.uploaded_by == world.users.auxiliary_a
    with pytest.raises(PermissionDenied, match="执法辅助人员不能签署"):
        services.set_discretion(case, actor=world.users.auxiliary_a, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                fine_amount=8000)


def test_penalty_outside_benchmark_needs_a_written_reason_and_is_flagged(world, open_general):
    case = open_general()
    _investigate(world, case)
    result = services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                     fine_amount=40000)
    assert result.within_benchmark is False and result.findings
    with pytest.raises(services.TransitionRefused) as exc:
        services.perform_transition(case, "propose", actor=world.officer_user)
    assert any("书面理由" in m for m in exc.value.missing)
    services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                            fine_amount=40000, deviation_reason="经集体讨论，当事人拒不改正，情节特殊。")
    case = services.perform_transition(case, "propose", actor=world.officer_user)
    assert case.stage == "discretion" and case.within_benchmark is False
    assert any(e.kind == "discretion" and "偏离裁量基准" in e.summary for e in events_for(case.stream_key))


def test_special_lists_are_suggested(world, open_general):
    from zhifa.catalog.models import SpecialListEntry

    SpecialListEntry.objects.create(
        list_kind=cc.NO_PENALTY_LIST, item=world.item, circumstances="首次违法且危害后果轻微并及时改正",
        conditions=["首次违法", "危害后果轻微", "及时改正"], legal_basis="《中华人民共和国行政处罚法》第三十三条第一款",
        valid_from=D(2022, 1, 1),
    )
    case = open_general()
    _investigate(world, case)
    result = services.set_discretion(case, actor=world.officer_user, level=cc.MINOR, penalty_kinds=[],
                                     outcome="no_penalty", fact_tags=["首次违法", "危害后果轻微", "及时改正"])
    assert [s.legal_basis for s in result.suggestions] == ["《中华人民共和国行政处罚法》第三十三条第一款"]
    with pytest.raises(services.TransitionRefused, match="教育"):
        services.perform_transition(case, "propose", actor=world.officer_user)


def test_interview_in_the_interview_room_needs_its_recording(world, open_general):
    case = open_general()
    services.perform_transition(case, "file", actor=world.unit_head)
    services.perform_transition(case, "investigate", actor=world.officer_user)
    when = datetime.datetime(2026, 11, 2, 14, tzinfo=datetime.UTC)
    questions = [{"q": "你是否知道标签不合格？", "a": "不知道。"}]
    with pytest.raises(ValidationError, match="全程音像记录"):
        services.record_interview(case, actor=world.officer_user, interviewee="李四", time=when, place="询问室",
                                  questions=questions, in_interview_room=True)
    photo = services.add_evidence(case, _photo(), actor=world.officer_user, kind="audiovisual", title="照片", captured_at=when)
    with pytest.raises(ValidationError, match="录音或录像"):
        services.record_interview(case, actor=world.officer_user, interviewee="李四", time=when, place="询问室",
                                  questions=questions, in_interview_room=True, recording=photo)
    video = services.add_evidence(case, _video(), actor=world.officer_user, kind="audiovisual", title="询问录像",
                                  captured_at=when)
    interview = services.record_interview(case, actor=world.officer_user, interviewee="李四", time=when, place="询问室",
                                          questions=questions, in_interview_room=True, recording=video)
    assert interview.recording == video
    assert case.documents.filter(code="interview_record").exists()


def test_seizure_needs_a_full_recording(world, open_general):
    case = open_general()
    services.perform_transition(case, "file", actor=world.unit_head)
    from zhifa.cases.coercion import services as coercion

    with pytest.raises(ValidationError, match="当场实施查封、扣押必须全程音像记录"):
        coercion.start_measure(case, actor=world.officer_user, kind="seize", emergency=True, reasons="饼干无生产日期。",
                               basis="《中华人民共和国食品安全法》第一百一十条第（四）项",
                               started_at=datetime.datetime.now(datetime.UTC),
                               inventory=[{"name": "饼干", "quantity": "12"}], officers=[world.o1, world.o2], recording=None)


def test_late_upload_is_flagged(world, open_general):
    case = open_general()
    evidence = services.add_evidence(case, _photo(), actor=world.officer_user, kind="audiovisual", title="两天前的照片",
                                     captured_at=datetime.datetime(2026, 10, 30, 10, tzinfo=datetime.UTC))
    assert evidence.late_upload
    assert "超过24小时上传" in list(events_for(case.stream_key))[-1].summary


def test_full_general_procedure_with_statement_payment_and_archive(world, open_general, fixed_today):
    """线索 → 立案 → 调查 → 裁量 → 告知 → 陈述申辩 → 决定 → 送达 → 缴款 → 结案 → 归档, with every
    step in the hash chain and every document stored."""
    case = open_general()
    _investigate(world, case)
    services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE], fine_amount=8000,
                            reasoning="当事人积极配合调查。")
    services.perform_transition(case, "propose", actor=world.officer_user)
    case = services.perform_transition(case, "notify", actor=world.officer_user)
    assert case.statement_deadline == D(2026, 11, 9)  # 5 working days after Monday 2 November
    assert not case.hearing_right  # 8,000 yuan for an organisation is below the hearing threshold
    statement = services.record_statement(case, actor=world.officer_user, point="初次违法，已下架全部问题商品。")
    with pytest.raises(services.TransitionRefused) as exc:
        services.perform_transition(case, "decide", actor=world.head)
    assert any("尚未届满" in m for m in exc.value.missing) and any("尚未复核答复" in m for m in exc.value.missing)
    services.answer_statement(statement, actor=world.officer_user, answer="已在裁量中考虑，维持从轻处罚。", accepted=False)
    fixed_today(D(2026, 11, 10))
    with pytest.raises(PermissionDenied):
        services.perform_transition(case, "decide", actor=world.unit_head)  # the agency head decides
    case = services.perform_transition(case, "decide", actor=world.head)
    assert case.stage == "decision" and case.decision_number.startswith("云岭县市场监管局罚决〔2026〕")
    codes = set(case.documents.values_list("code", flat=True))
    assert {"penalty_decision", "credit_repair_notice", "payment_notice"} <= codes  # 两书同达
    assert case.next_deadline == D(2026, 11, 19)  # service within 7 working days
    case = services.perform_transition(case, "serve", actor=world.officer_user, data={
        "served_on": D(2026, 11, 10), "service_method": "direct", "service_recipient": "李四"})
    assert case.payment_due_on == D(2026, 11, 25) and case.stage == "execution"
    fixed_today(D(2026, 11, 27))  # two days late: 3% a day
    assert rules.amount_due(case, D(2026, 11, 27)) == Decimal("8480.00")
    services.record_payment(case, actor=world.officer_user, paid_on=D(2026, 11, 27), amount=Decimal("8480.00"),
                            bank="秦川市农商银行", bank_reference="NS20261127001")
    case.refresh_from_db()
    assert case.executed_on == D(2026, 11, 27)
    case = services.perform_transition(case, "close", actor=world.unit_head)
    case = services.perform_transition(case, "archive", actor=world.unit_head)
    assert case.is_read_only
    with pytest.raises(PermissionDenied, match="只读"):
        services.record_statement(case, actor=world.officer_user, point="补充")
    result = verify_stream(case.stream_key)
    assert result.ok and result.checked_events >= 14 and result.checked_files >= 16
    assert [e.kind for e in events_for(case.stream_key) if e.kind != "document"][:3] == ["opened", "transition:file", "transition:investigate"]


def test_hearing_right_deadline_and_presiding_officer(world, open_general, fixed_today):
    case = open_general()
    _investigate(world, case)
    services.set_discretion(case, actor=world.officer_user, level=cc.GRAVE, penalty_kinds=[cc.FINE, cc.SUSPEND_BUSINESS],
                            fine_amount=48000)
    services.perform_transition(case, "propose", actor=world.officer_user)
    case = services.perform_transition(case, "notify", actor=world.officer_user)
    assert case.hearing_right and case.documents.filter(code="hearing_notice").exists()
    fixed_today(D(2026, 11, 10))  # after the 5 working days
    with pytest.raises(ValidationError, match="超过期限"):
        services.request_hearing(case, actor=world.officer_user, requested_on=D(2026, 11, 10))
    hearing = services.request_hearing(case, actor=world.officer_user, requested_on=D(2026, 11, 6))
    with pytest.raises(ValidationError, match="主持人不能是本案的调查人员"):
        services.schedule_hearing(case, actor=world.officer_user, notified_on=D(2026, 11, 10),
                                  scheduled_for=datetime.datetime(2026, 11, 25, 9, tzinfo=datetime.UTC), place="听证室",
                                  presiding=world.o1)
    with pytest.raises(services.TransitionRefused, match="尚未举行听证"):
        services.perform_transition(case, "decide", actor=world.head)
    assert hearing.pk


def test_decision_deadline_across_national_day_2026(world, open_general):
    """90 days from filing on 5 July 2026 end on 3 October, a holiday: the deadline moves to 8 October."""
    case = open_general()
    case.filed_on = D(2026, 7, 5)
    assert rules.decision_deadline(case) == D(2026, 10, 8)
    case.extension_days = 30
    assert rules.decision_deadline(case) == D(2026, 11, 2)


def test_statement_period_counts_working_days_around_national_day(world, open_general, fixed_today):
    """Notice served on 29 September 2026: 30 Sep, 8, 9, 10 (make-up Saturday) and 12 October."""
    case = open_general()
    _investigate(world, case)
    services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE], fine_amount=8000)
    services.perform_transition(case, "propose", actor=world.officer_user)
    case = services.perform_transition(case, "notify", actor=world.officer_user, data={"served_on": D(2026, 9, 29)})
    assert case.statement_deadline == D(2026, 10, 12)


@pytest.mark.parametrize(
    ("fine", "days_late", "expected"),
    [("1000", 0, "0.00"), ("1000", 1, "30.00"), ("1000", 10, "300.00"), ("1000", 34, "1000.00"), ("1000", 400, "1000.00")],
)
def test_late_surcharge_is_three_percent_a_day_capped_at_the_fine(fine, days_late, expected):
    due = D(2026, 3, 2)
    assert rules.late_surcharge(Decimal(fine), due, due + datetime.timedelta(days=days_late)) == Decimal(expected)


def test_flow_chart_comes_from_the_same_definition():
    flow = GENERAL_PROCEDURE.flow()
    assert [s["name"] for s in flow][:3] == ["线索登记", "已立案", "调查取证"]
    filing = flow[0]["transitions"][0]
    assert filing["name"] == "批准立案" and "两名以上持有效执法证、可办理该事项的执法人员" in filing["requires"]


def test_decision_prints_the_agencys_bank_and_remedies(world, open_general, fixed_today):
    """The payment bank and remedy bodies come from the agency's record, not from code."""
    from zhifa.cases.documents import build_context

    agency = world.tree.market
    agency.fine_bank, agency.fine_account_name, agency.fine_account = "云岭县农村信用合作联社", "云岭县财政局非税专户", "2710 0001"
    agency.review_body, agency.court = "云岭县人民政府", "云岭县人民法院"
    agency.save()
    case = open_general()
    context = build_context(case, "penalty_decision")
    assert context["payment"]["bank"] == "云岭县农村信用合作联社" and context["payment"]["account"] == "2710 0001"
    assert context["remedies"]["review_body"] == "云岭县人民政府" and context["remedies"]["litigation_court"] == "云岭县人民法院"
    agency.fine_bank = ""
    agency.save()
    case.refresh_from_db()
    assert "未登记" in build_context(case, "penalty_decision")["payment"]["bank"]


def test_hearing_threshold_is_the_agencys_own_when_set(world, open_general):
    """An agency's 较大数额 replaces the platform default (处罚法第六十三条)."""
    case = open_general()
    case.penalty_kinds, case.fine_amount = [cc.FINE], Decimal("20000")
    assert not rules.has_hearing_right(case)  # default for organisations: 50,000
    world.tree.market.hearing_fine_organisation = Decimal("10000")
    world.tree.market.save()
    assert rules.has_hearing_right(case)
    case.party = world.person
    case.fine_amount = Decimal("3000")
    assert not rules.has_hearing_right(case)  # default for citizens: 5,000
