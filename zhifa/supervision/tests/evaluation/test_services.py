"""Case-file evaluation (案卷评查, SUP-2): sampling, cross-evaluation, score sheets, grades,
re-evaluation within 10 working days, rectification and scoping."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.records.models import AccessLog
from zhifa.supervision.evaluation import services
from zhifa.supervision.models import CaseEvaluation, EvaluationPlan, Finding, ScoreSheet

D = datetime.date
pytestmark = pytest.mark.django_db


def _plan(ev, **extra):
    data = {"region": ev.tree.county, "title": "2026年度云岭县行政处罚案卷评查", "sheet": ScoreSheet.objects.get(code="guangdong_100"),
            "archived_from": D(2026, 1, 1), "archived_to": D(2026, 12, 31), "sample_rate": Decimal(10), "sample_minimum": 2}
    data.update(extra)
    return services.create_plan(ev.supervisor, **data)


def _population(ev, market=12, comprehensive=5):
    cases = [ev.case(ev.tree.market) for _ in range(market)]
    cases += [ev.case(ev.tree.comprehensive) for _ in range(comprehensive)]
    ev.case(ev.tree.market, archived_on=D(2025, 12, 31))  # outside the period
    ev.case(ev.tree.market, stage="closed", archived_on=None)  # not archived
    ev.case(ev.tree.other_market)  # another county
    return cases


def _items(sheet):
    return {item.title: item for item in sheet.items.all()}


def test_standard_sheets_are_data():
    """Both schemes are installed by the migration: 100 points each, with their special items."""
    gd = ScoreSheet.objects.get(code="guangdong_100")
    sector = ScoreSheet.objects.get(code="sector_20_80")
    assert sum(i.points for i in gd.items.filter(kind="points")) == 100
    assert gd.items.filter(kind="auto_fail").count() == 5
    assert sum(i.points for i in sector.items.filter(kind="points", section__startswith="卷面")) == 20
    assert sum(i.points for i in sector.items.filter(kind="points", section__startswith="内容")) == 80
    assert sector.items.filter(kind="veto").count() == 7


def test_sample_is_reproducible_and_changes_with_seed(ev):
    """The same seed over the same population gives the same files; the digest and seed are
    recorded; verify_sample re-draws and agrees; another seed gives another sample."""
    _population(ev)
    plan = services.draw_sample(_plan(ev), ev.supervisor, seed="2026-评查")
    plan.refresh_from_db()
    drawn = list(plan.evaluations.order_by("agency_id", "draw_rank").values_list("agency_id", "case_id"))
    # 12 files × 10% = 1.2 → 2; 5 files × 10% → minimum 2.
    assert [a for a, _ in drawn].count(ev.tree.market.pk) == 2
    assert [a for a, _ in drawn].count(ev.tree.comprehensive.pk) == 2
    assert plan.seed == "2026-评查" and plan.population_size == 17 and len(plan.population_digest) == 64
    check = services.verify_sample(plan)
    assert check.ok and check.expected == drawn

    pop = services.population(plan)
    assert services.select(pop, "2026-评查", plan.sample_rate, 2) == services.select(pop, "2026-评查", plan.sample_rate, 2)
    others = {tuple((a, c) for a, c, _, _ in services.select(pop, f"seed-{n}", plan.sample_rate, 2)) for n in range(5)}
    assert len(others) > 1
    assert tuple(drawn) not in others or len(others) > 1


def test_the_one_pass_scan_gives_the_digest_and_sample_of_the_whole_population(ev):
    """``scan`` reads the population once, one agency at a time; its digest, size and sample are
    those of the documented algorithm over the whole population (a re-run outside zhifa agrees)."""
    _population(ev)
    plan = _plan(ev, sample_rate=Decimal(30))
    pop = services.population(plan)
    assert sorted(pop) == sorted([ev.tree.market.pk, ev.tree.comprehensive.pk])
    for seed in ("2026-评查", "x", "另一个种子"):
        drawn = services.scan(plan, seed)
        assert drawn.digest == services.population_digest(pop)
        assert drawn.size == 17
        assert drawn.chosen == services.select(pop, seed, plan.sample_rate, plan.sample_minimum)
        assert len(drawn.chosen) == 4 + 2  # 12 × 30% → 4; 5 × 30% → 2


def test_sample_check_detects_a_changed_population(ev):
    """A file archived later (or removed) changes the digest: the check says so."""
    _population(ev)
    plan = services.draw_sample(_plan(ev), ev.supervisor, seed="abc")
    ev.case(ev.tree.market)
    check = services.verify_sample(EvaluationPlan.objects.get(pk=plan.pk))
    assert not check.digest_matches


def test_sample_key_is_hmac_sha256():
    """The algorithm as documented: HMAC-SHA256(seed, "agency:case"), smallest keys first."""
    import hashlib
    import hmac

    assert services.draw_key("s", 3, 14) == hmac.new(b"s", b"3:14", hashlib.sha256).hexdigest()
    assert services.sample_size(100, Decimal(5), 3) == 5
    assert services.sample_size(10, Decimal(5), 3) == 3
    assert services.sample_size(2, Decimal(5), 3) == 2


def test_cross_evaluation_refuses_own_agency(ev):
    """No evaluator scores a file of their own agency — neither when assigned nor when scoring."""
    _population(ev)
    plan = services.draw_sample(_plan(ev), ev.supervisor, seed="x")
    own = plan.evaluations.filter(agency=ev.tree.market).first()
    with pytest.raises(ValidationError, match="交叉评查"):
        services.assign_evaluator(own, ev.reviewer_market, ev.supervisor)
    services.assign_evaluator(own, ev.reviewer_comp, ev.supervisor)
    assert CaseEvaluation.objects.get(pk=own.pk).evaluator == ev.reviewer_comp
    # Forced past the assignment: scoring still refuses.
    CaseEvaluation.objects.filter(pk=own.pk).update(evaluator=ev.reviewer_market)
    with pytest.raises(ValidationError, match="交叉评查"):
        services.submit_score(CaseEvaluation.objects.get(pk=own.pk), ev.reviewer_market, [])


def test_round_robin_skips_own_agency(ev):
    _population(ev)
    plan = services.draw_sample(_plan(ev), ev.supervisor, seed="x")
    assert services.assign_round_robin(plan, [ev.reviewer_market, ev.reviewer_comp], ev.supervisor) == 4
    for evaluation in plan.evaluations.select_related("evaluator"):
        assert evaluation.evaluator.agency_id != evaluation.agency_id


def test_guangdong_auto_fail_item_fails_a_high_score(ev):
    """Guangdong Art. 17: an automatic-fail item met makes the file 不合格 whatever its points."""
    sheet = ScoreSheet.objects.get(code="guangdong_100")
    items = _items(sheet)
    result = services.compute_result(sheet, [
        {"item": items["文书送达"], "deduction": Decimal(2)},
        {"item": items["违反法定程序"], "triggered": True},
    ])
    assert result.total == Decimal(98) and result.grade == "fail" and result.failed_by == ["违反法定程序"]


def test_sector_veto_item_sets_total_to_zero(ev):
    """Sector scheme: a veto item (一票否决) makes the total zero."""
    sheet = ScoreSheet.objects.get(code="sector_20_80")
    items = _items(sheet)
    result = services.compute_result(sheet, [{"item": items["调查取证执法人员少于2人"], "triggered": True}])
    assert result.total == 0 and result.grade == "fail"
    clean = services.compute_result(sheet, [{"item": items["页码连续"], "deduction": Decimal(3)}])
    assert clean.total == Decimal(97) and clean.grade == "excellent"


@pytest.mark.parametrize(("total", "grade"), [
    ("59.9", "fail"), ("60", "pass"), ("74.9", "pass"), ("75", "good"), ("89.9", "good"), ("90", "excellent"),
])
def test_grade_thresholds(total, grade):
    """<60 不合格, 60–74 合格, 75–89 良好, ≥90 优秀 (广东省办法第十六条), at each boundary."""
    assert services.grade_for(ScoreSheet.objects.get(code="guangdong_100"), Decimal(total)) == grade


def test_score_validation_messages(ev):
    _population(ev)
    plan = services.draw_sample(_plan(ev), ev.supervisor, seed="x")
    evaluation = plan.evaluations.filter(agency=ev.tree.market).first()
    services.assign_evaluator(evaluation, ev.reviewer_comp, ev.supervisor)
    items = _items(plan.sheet)
    with pytest.raises(ValidationError) as exc:
        services.submit_score(evaluation, ev.reviewer_comp, [{"item": items["文书送达"], "deduction": 8, "note": "x"},
                                                             {"item": items["执行"], "deduction": 1}])
    assert "“文书送达”扣分应在0至5.0分之间。" in exc.value.messages
    assert "“执行”扣分或触发时须写明问题。" in exc.value.messages
    with pytest.raises(PermissionDenied):
        services.submit_score(evaluation, ev.supervisor, [])


NOTICE_DAY = D(2026, 9, 28)


def _finished(ev, issued_on=NOTICE_DAY):
    _population(ev, market=3, comprehensive=2)
    plan = services.draw_sample(_plan(ev), ev.supervisor, seed="x")
    items = _items(plan.sheet)
    for evaluation in plan.evaluations.all():
        evaluator = ev.reviewer_comp if evaluation.agency_id == ev.tree.market.pk else ev.reviewer_market
        services.assign_evaluator(evaluation, evaluator, ev.supervisor)
        services.submit_score(evaluation, evaluator, [
            {"item": items["执法程序"], "deduction": Decimal(12), "note": "未在法定期限内送达处罚决定书。"}])
    services.finish_plan(plan, ev.supervisor, issued_on=issued_on)
    return EvaluationPlan.objects.get(pk=plan.pk)


def test_finish_issues_notices_per_agency(ev):
    plan = _finished(ev)
    assert plan.status == EvaluationPlan.FINISHED
    notices = {n.agency_id: n for n in plan.notices.all()}
    assert set(notices) == {ev.tree.market.pk, ev.tree.comprehensive.pk}
    assert notices[ev.tree.market.pk].average == Decimal("88.0")
    assert "未在法定期限内送达处罚决定书" in notices[ev.tree.market.pk].summary


def test_reevaluation_on_tenth_and_eleventh_working_day_across_national_day(ev, fixed_today):
    """Notice on Mon 2026-09-28; the National Day holiday (10-01…10-07) and the working
    Saturday 10-10 are counted by the calendar: the 10th working day is 10-16, the 11th 10-19."""
    plan = _finished(ev)
    evaluation = plan.evaluations.filter(agency=ev.tree.market).first()
    assert services.reevaluation_deadline(plan) == D(2026, 10, 16)
    with pytest.raises(ValidationError) as exc:
        services.request_reevaluation(evaluation, ev.head_market, "扣分依据不足。", on=D(2026, 10, 19))
    assert "复查申请期限已于2026年10月16日届满" in exc.value.messages[0]
    request = services.request_reevaluation(evaluation, ev.head_market, "扣分依据不足。", on=D(2026, 10, 16))
    assert request.deadline == D(2026, 10, 16)
    items = _items(plan.sheet)
    services.decide_reevaluation(request, ev.supervisor, "部分扣分依据不足，改为扣6分。",
                                 [{"item": items["执法程序"], "deduction": 6, "note": "送达超期。"}])
    evaluation.refresh_from_db()
    assert evaluation.total == Decimal(94) and evaluation.grade == "excellent"


def test_reevaluation_only_by_the_evaluated_agency(ev):
    plan = _finished(ev)
    evaluation = plan.evaluations.filter(agency=ev.tree.market).first()
    with pytest.raises(PermissionDenied):
        services.request_reevaluation(evaluation, ev.head_comp, "理由", on=D(2026, 10, 9))


def test_rectification_reported_and_accepted(ev):
    """Findings feed rectification: the agency reports, the organiser confirms."""
    plan = _finished(ev)
    finding = Finding.objects.filter(evaluation__plan=plan, evaluation__agency=ev.tree.market).first()
    with pytest.raises(PermissionDenied):
        services.report_rectification(finding, ev.head_comp, "已整改")
    services.report_rectification(finding, ev.head_market, "已组织送达程序培训，补正送达回证。")
    services.accept_rectification(Finding.objects.get(pk=finding.pk), ev.supervisor)
    assert Finding.objects.get(pk=finding.pk).rectification == Finding.ACCEPTED


def test_scoping_county_and_agency(ev):
    """A county supervisor never sees another county's plans; the evaluated agency sees its own
    evaluations and findings only after the notice, and never another agency's."""
    plan = _finished(ev)
    assert EvaluationPlan.objects.restrict(ev.supervisor_b).count() == 0
    assert CaseEvaluation.objects.restrict(ev.supervisor_b).count() == 0
    assert Finding.objects.restrict(ev.supervisor_b).count() == 0
    assert EvaluationPlan.objects.restrict(ev.supervisor_city).filter(pk=plan.pk).exists()
    own = CaseEvaluation.objects.restrict(ev.head_market)
    assert own.count() == plan.evaluations.filter(agency=ev.tree.market).count() > 0
    assert set(own.values_list("agency_id", flat=True)) == {ev.tree.market.pk}
    assert set(Finding.objects.restrict(ev.head_market).values_list("evaluation__agency_id", flat=True)) == {ev.tree.market.pk}
    # The other county's supervisor cannot run the plan either.
    with pytest.raises(PermissionDenied):
        services.accept_rectification(Finding.objects.filter(evaluation__plan=plan).first(), ev.supervisor_b)


def test_agency_sees_nothing_before_the_notice(ev):
    _population(ev)
    services.draw_sample(_plan(ev), ev.supervisor, seed="x")
    assert CaseEvaluation.objects.restrict(ev.head_market).count() == 0


def test_opening_the_case_file_is_logged(ev):
    """Each opening of a case file by its evaluator is written to the access log and counted."""
    _population(ev)
    plan = services.draw_sample(_plan(ev), ev.supervisor, seed="x")
    evaluation = plan.evaluations.filter(agency=ev.tree.market).first()
    services.assign_evaluator(evaluation, ev.reviewer_comp, ev.supervisor)
    services.open_case_file(evaluation, ev.reviewer_comp)
    services.open_case_file(evaluation, ev.reviewer_comp)
    assert AccessLog.objects.filter(user=ev.reviewer_comp, stream_key=evaluation.case.stream_key).count() == 2
    assert CaseEvaluation.objects.get(pk=evaluation.pk).openings == 2
    with pytest.raises(PermissionDenied):
        services.open_case_file(evaluation, ev.reviewer_market)
