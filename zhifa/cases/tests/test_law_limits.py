"""Law the engine enforces at its boundaries: limitation (处罚法第三十六条), mandatory no penalty
(第三十三条), the late surcharge during a remedy and per instalment (第六十六条、第七十二条、第七十三条)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import rules, services
from zhifa.cases.documents import build_context
from zhifa.cases.models import PaymentPlan
from zhifa.catalog import choices as cc

from .test_procedure import _investigate

D = datetime.date
MINOR = ["违法行为轻微", "及时改正", "没有造成危害后果"]


def _refusal(world, case, code="file", actor=None):
    with pytest.raises(services.TransitionRefused) as exc:
        services.perform_transition(case, code, actor=actor or world.unit_head)
    return " ".join(exc.value.missing)


# --- Limitation ------------------------------------------------------------------------------


def test_filing_exactly_two_years_after_the_act_is_allowed(world, open_general):
    """Discovered (registered) on 2 November 2026, an act of 2 November 2024 is still within two years."""
    case = open_general(occurred_on=D(2024, 11, 2))
    assert rules.limitation_ends_on(case) == D(2026, 11, 2)
    case = services.perform_transition(case, "file", actor=world.unit_head)
    assert case.stage == "filed"


def test_filing_one_day_beyond_two_years_is_refused_citing_article_36(world, open_general):
    case = open_general(occurred_on=D(2024, 11, 1))
    message = _refusal(world, case)
    assert "二年内未被发现" in message and "第三十六条第一款" in message and "不予立案" in message
    case.refresh_from_db()
    assert case.stage == "clue"


def test_a_continuing_violation_runs_from_the_day_it_ended(world, open_general):
    """第三十六条第二款: a continuing act has no limitation running; one that ended runs from its end."""
    still = open_general(occurred_on=D(2019, 5, 1), violation_continuing=True)
    assert rules.limitation_ends_on(still) is None and rules.check_within_limitation(still) is None
    ended = open_general(occurred_on=D(2019, 5, 1), violation_ended_on=D(2024, 11, 2))
    assert rules.check_within_limitation(ended) is None
    too_old = open_general(occurred_on=D(2019, 5, 1), violation_ended_on=D(2024, 11, 1))
    assert "违法行为终了之日（2024年11月1日）" in _refusal(world, too_old)


def test_five_years_where_life_health_or_financial_safety_was_harmed(world, open_general):
    within = open_general(occurred_on=D(2021, 11, 2), grave_safety_harm=True)
    assert rules.limitation_ends_on(within) == D(2026, 11, 2)
    assert services.perform_transition(within, "file", actor=world.unit_head).stage == "filed"
    beyond = open_general(occurred_on=D(2021, 11, 1), grave_safety_harm=True)
    assert "五年内未被发现" in _refusal(world, beyond)


def test_leap_day_limitation_ends_on_28_february():
    assert rules.add_years(D(2024, 2, 29), 2) == D(2026, 2, 28)


def test_violation_period_is_checked(world, open_general):
    with pytest.raises(ValidationError, match="不能早于发生日期"):
        open_general(occurred_on=D(2026, 10, 1), violation_ended_on=D(2026, 9, 1))
    with pytest.raises(ValidationError, match="不填写终了日期"):
        open_general(occurred_on=D(2026, 10, 1), violation_ended_on=D(2026, 10, 2), violation_continuing=True)


def test_limitation_found_after_filing_leads_to_no_penalty_citing_the_article(world, open_general, fixed_today):
    """Filed as continuing; the investigation finds it ended long ago: a penalty is refused,
    a decision of no penalty cites 第三十六条 in the document."""
    case = open_general(occurred_on=D(2019, 5, 1), violation_continuing=True)
    _investigate(world, case)
    services.record_violation_period(case, actor=world.officer_user, violation_ended_on=D(2023, 6, 30))
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="第三十六条第一款"):
        services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                fine_amount=8000)
    services.set_discretion(case, actor=world.officer_user, level=cc.MINOR, penalty_kinds=[], outcome="no_penalty",
                            education_record="已对当事人进行食品安全法律法规教育。")
    services.perform_transition(case, "propose", actor=world.officer_user)
    case = services.perform_transition(case, "notify", actor=world.officer_user)
    fixed_today(D(2026, 11, 10))
    case = services.perform_transition(case, "decide", actor=world.head, data={"outcome": "no_penalty"})
    assert list(case.documents.values_list("code", flat=True)).count("no_penalty_decision") == 1
    context = build_context(case, "no_penalty_decision")
    assert context["case"]["penalty_basis"] == "《中华人民共和国行政处罚法》第三十六条第一款"
    assert "违法行为终了之日（2023年6月30日）起二年内未被发现（2026年11月2日发现）。" in context["penalty"]["discretion_reasoning"]


# --- Mandatory no penalty (第三十三条) --------------------------------------------------------


def test_minor_corrected_harmless_violation_must_not_be_penalised(world, open_general):
    case = open_general()
    _investigate(world, case)
    with pytest.raises(ValidationError) as exc:
        services.set_discretion(case, actor=world.officer_user, level=cc.MINOR, penalty_kinds=[cc.WARNING],
                                fact_tags=MINOR)
    assert "依据《中华人民共和国行政处罚法》第三十三条第一款，不予行政处罚" in str(exc.value)
    result = services.set_discretion(case, actor=world.officer_user, level=cc.MINOR, penalty_kinds=[],
                                     fact_tags=MINOR, outcome="no_penalty", education_record="已当场教育。")
    assert [(g.code, g.mandatory) for g in result.grounds] == [("minor", True)]
    assert services.perform_transition(case, "propose", actor=world.officer_user).stage == "discretion"


def test_no_fault_proven_must_not_be_penalised(world, open_general):
    case = open_general()
    _investigate(world, case)
    with pytest.raises(ValidationError, match="第三十三条第二款"):
        services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                fine_amount=6000, fact_tags=["没有主观过错"])


def test_first_violation_stays_a_suggestion_with_its_reason(world, open_general):
    case = open_general()
    _investigate(world, case)
    result = services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                     fine_amount=6000, fact_tags=["首次违法", "危害后果轻微", "及时改正"])
    ground = result.grounds[0]
    assert not ground.mandatory and "可以不予行政处罚" in ground.sentence and "初次违法" in ground.sentence
    assert services.perform_transition(case, "propose", actor=world.officer_user).stage == "discretion"


def test_a_penalty_with_mandatory_facts_recorded_is_refused_at_every_later_step(world, open_general):
    """Facts recorded behind the service's back (e.g. imported) still stop the penalty at the gate."""
    case = open_general()
    _investigate(world, case)
    services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE], fine_amount=6000)
    case.refresh_from_db()
    case.fact_tags = MINOR
    case.save(update_fields=["fact_tags"])
    assert "第三十三条第一款，不予行政处罚" in _refusal(world, case, "propose", world.officer_user)


# --- Surcharge and payment plans -------------------------------------------------------------


def _in_execution(world, open_general, fixed_today, fine=Decimal("10000")):
    case = open_general()
    _investigate(world, case)
    services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE], fine_amount=fine)
    services.perform_transition(case, "propose", actor=world.officer_user)
    services.perform_transition(case, "notify", actor=world.officer_user)
    fixed_today(D(2026, 11, 10))
    services.perform_transition(case, "decide", actor=world.head)
    case = services.perform_transition(case, "serve", actor=world.officer_user, data={
        "served_on": D(2026, 11, 10), "service_method": "direct", "service_recipient": "李四"})
    assert case.payment_due_on == D(2026, 11, 25)
    return case


def test_surcharge_does_not_run_while_a_reconsideration_is_pending(world, open_general, fixed_today):
    """Due 25 November; reconsideration filed 27 November, decided 7 December: the 10 days
    between are not counted (第七十三条第三款); capped at the fine."""
    case = _in_execution(world, open_general, fixed_today)
    fixed_today(D(2026, 11, 27))
    remedy = services.record_remedy(case, actor=world.officer_user, kind="reconsideration", body="云岭县人民政府",
                                    filed_on=D(2026, 11, 27))
    # Pending: 26 November counts, 27 November onwards does not.
    assert rules.surcharge(case, D(2026, 12, 5)) == Decimal("300.00")
    fixed_today(D(2026, 12, 7))
    services.record_remedy_result(remedy, actor=world.officer_user, result="upheld", decided_on=D(2026, 12, 7))
    # 26 Nov + 7, 8, 9 Dec = 4 days.
    assert rules.surcharge(case, D(2026, 12, 9)) == Decimal("1200.00")
    assert rules.amount_due(case, D(2027, 6, 1)) == Decimal("20000.00")  # never more than the fine


def test_surcharge_days_exclude_only_the_remedy_period():
    due = D(2026, 3, 1)
    assert rules.surcharge_days(due, D(2026, 3, 11), [(D(2026, 3, 4), D(2026, 3, 8))]) == 6
    assert rules.surcharge_days(due, D(2026, 3, 11), [(D(2026, 2, 1), D(2026, 3, 3))]) == 9
    assert rules.surcharge_days(due, D(2026, 3, 11), []) == 10


def test_instalments_need_the_agency_head_and_add_up_to_the_fine(world, open_general, fixed_today):
    case = _in_execution(world, open_general, fixed_today)
    parts = [(D(2026, 12, 25), Decimal("5000")), (D(2027, 1, 25), Decimal("5000"))]
    with pytest.raises(PermissionDenied, match="机关负责人批准"):
        services.approve_payment_plan(case, actor=world.officer_user, kind="instalments", applied_on=D(2026, 11, 10),
                                      reason="经营困难", instalments=parts)
    with pytest.raises(ValidationError, match="应等于罚款金额"):
        services.approve_payment_plan(case, actor=world.head, kind="instalments", applied_on=D(2026, 11, 10),
                                      reason="经营困难", instalments=parts[:1] + [(D(2027, 1, 25), Decimal("4000"))])
    with pytest.raises(ValidationError, match="至少分为两期"):
        services.approve_payment_plan(case, actor=world.head, kind="instalments", applied_on=D(2026, 11, 10),
                                      reason="经营困难", instalments=[(D(2026, 12, 25), Decimal("10000"))])


def test_instalment_plan_due_dates_and_surcharge_per_instalment(world, open_general, fixed_today):
    case = _in_execution(world, open_general, fixed_today)
    plan = services.approve_payment_plan(
        case, actor=world.head, kind="instalments", applied_on=D(2026, 11, 10), reason="受灾停业，确有经济困难",
        instalments=[(D(2026, 12, 25), Decimal("4000")), (D(2027, 1, 25), Decimal("6000"))])
    assert [(i.number, i.due_on, i.amount) for i in plan.instalments.all()] == [
        (1, D(2026, 12, 25), Decimal("4000.00")), (2, D(2027, 1, 25), Decimal("6000.00"))]
    case.refresh_from_db()
    assert case.next_deadline == D(2026, 12, 25) and "缴纳罚款" in case.next_deadline_label
    # The original due date no longer counts: nothing is owed on 1 December.
    assert rules.surcharge(case, D(2026, 12, 1)) == Decimal("0.00")
    fixed_today(D(2026, 12, 27))  # first instalment two days late: 3% of 4,000 × 2
    services.record_payment(case, actor=world.officer_user, paid_on=D(2026, 12, 27), amount=Decimal("4240"),
                            bank="秦川市农商银行", bank_reference="FQ-1")
    case.refresh_from_db()
    assert case.executed_on is None and case.next_deadline == D(2027, 1, 25)
    schedule = services.instalment_schedule(case, D(2026, 12, 27))
    assert [(row.paid_on, row.surcharge) for row in schedule] == [(D(2026, 12, 27), Decimal("240.00")), (None, Decimal("0.00"))]
    # Second instalment one day late: 3% of 6,000.
    assert rules.amount_due(case, D(2027, 1, 26)) == Decimal("10420.00")


def test_deferral_moves_the_single_due_date(world, open_general, fixed_today):
    case = _in_execution(world, open_general, fixed_today)
    with pytest.raises(ValidationError, match="应晚于原期限"):
        services.approve_payment_plan(case, actor=world.head, kind=PaymentPlan.DEFERRAL, applied_on=D(2026, 11, 10),
                                      reason="资金周转困难", instalments=[(D(2026, 11, 20), Decimal("10000"))])
    services.approve_payment_plan(case, actor=world.head, kind=PaymentPlan.DEFERRAL, applied_on=D(2026, 11, 10),
                                  reason="资金周转困难", instalments=[(D(2027, 2, 1), Decimal("10000"))])
    assert rules.surcharge(case, D(2027, 2, 1)) == Decimal("0.00")
    assert rules.surcharge(case, D(2027, 2, 3)) == Decimal("600.00")
