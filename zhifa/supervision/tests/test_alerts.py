"""Alerts worked to closure: raised by the models, the lifecycle with its hash-chained record,
self-closing, one open alert per model and object, reminders and 黄牌/红牌, regional settings,
incremental evaluation after writes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zhifa.cases.models import Case
from zhifa.records.services import events_for, verify_stream
from zhifa.supervision import problems
from zhifa.supervision.alerts import services
from zhifa.supervision.models import Alert, ProblemModel
from zhifa.supervision.models import alerts as a
from zhifa.supervision.problems.settings import set_region_setting

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def deviating(world, make_case):
    """A case of county A whose penalty leaves the benchmark without a reason, and its alert."""
    case = make_case(within_benchmark=False)
    problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    return case, Alert.objects.get(case=case, problem_model__code="BENCHMARK_DEVIATION_NO_REASON")


def test_evaluation_raises_once_and_is_idempotent(deviating):
    """A finding raises one alert with its facts and a first chained event; running again raises nothing new."""
    case, alert = deviating
    assert alert.status == a.RAISED and alert.is_open and alert.agency_id == case.agency_id
    assert "偏离裁量基准" in alert.summary and alert.facts["案号"] == case.number
    result = problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    assert (result.found, result.raised, result.closed) == (1, 0, 0)
    assert Alert.objects.filter(case=case).count() == 1
    assert [e.kind for e in events_for(alert.stream_key)] == ["raised"]
    assert verify_stream(alert.stream_key).ok


def test_one_open_alert_per_model_and_object_is_a_database_constraint(deviating):
    _, alert = deviating
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(problem_model=alert.problem_model, object_type=alert.object_type,
                             object_id=alert.object_id, agency=alert.agency, summary="重复", severity="high")


def test_full_lifecycle_to_closure_in_a_verified_chain(world, deviating, fixed_today):
    """raised → assigned → explained → confirmed (rectification deadline) → rectified →
    re-check failed → rectified again → re-check passed → closed; every step chained."""
    case, alert = deviating
    supervisor, head = world.users.supervisor_a, world.users.head_a
    alert = services.assign(alert, supervisor, reply_due_on=D(2026, 11, 9))
    assert alert.status == a.ASSIGNED
    with pytest.raises(PermissionDenied):
        services.explain(alert, supervisor, explanation="…")
    alert = services.explain(alert, head, explanation="承办人员未录入偏离理由，已补充说明。")
    with pytest.raises(ValidationError):
        services.confirm(alert, supervisor, reason="理由不成立", rectify_due_on=D(2026, 11, 1))  # in the past
    alert = services.confirm(alert, supervisor, reason="偏离基准未说明理由属实。", rectify_due_on=D(2026, 11, 20))
    assert alert.status == a.RECTIFYING
    alert = services.report_rectification(alert, head, rectification="已组织学习裁量基准。")
    alert = services.recheck(alert, supervisor, passed=False, note="未补充书面理由。", rectify_due_on=D(2026, 11, 27))
    assert alert.status == a.RECTIFYING and alert.is_open
    alert = services.report_rectification(alert, head, rectification="已补正书面理由。")
    Case.objects.filter(pk=case.pk).update(deviation_reason="")  # still uncured: closed by the supervisor
    alert = services.recheck(alert, supervisor, passed=True, note="整改到位。")
    assert alert.status == a.CLOSED and not alert.is_open and not alert.auto_closed
    kinds = [e.kind for e in events_for(alert.stream_key)]
    assert kinds == ["raised", "assigned", "explained", "confirmed", "rectified", "rechecked", "rectified", "rechecked"]
    assert verify_stream(alert.stream_key).ok
    # a supervisor's decision is final: the still-present condition does not raise it again
    assert problems.evaluate("BENCHMARK_DEVIATION_NO_REASON").raised == 0


def test_cured_condition_closes_the_alert_with_its_reason(world, deviating):
    case, alert = deviating
    services.assign(alert, world.users.supervisor_a)
    Case.objects.filter(pk=case.pk).update(deviation_reason="依法减轻处罚的理由……")
    result = problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    alert.refresh_from_db()
    assert result.closed == 1 and alert.status == a.CLOSED and alert.auto_closed
    assert "问题条件已消除" in alert.close_reason
    assert [e.kind for e in events_for(alert.stream_key)][-1] == "auto_closed"
    # a new occurrence later is a new alert (the old one is closed, not reopened)
    Case.objects.filter(pk=case.pk).update(deviation_reason="")
    assert problems.evaluate("BENCHMARK_DEVIATION_NO_REASON").raised == 1
    assert Alert.objects.filter(case=case, is_open=True).count() == 1


def test_dismissal_needs_a_reason_and_closes(world, deviating):
    _, alert = deviating
    with pytest.raises(ValidationError):
        services.dismiss(alert, world.users.supervisor_a, reason=" ")
    alert = services.dismiss(alert, world.users.supervisor_a, reason="理由已在决定书中载明。")
    assert alert.status == a.DISMISSED and not alert.is_open and "理由已在决定书中载明" in alert.close_reason


def test_out_of_order_steps_are_refused(world, deviating):
    _, alert = deviating
    with pytest.raises(ValidationError, match="不能"):
        services.recheck(alert, world.users.supervisor_a, passed=True, note="x")
    with pytest.raises(PermissionDenied):
        services.assign(alert, world.users.head_a)


def test_other_county_supervisor_and_other_agency_cannot_act(world, deviating):
    _, alert = deviating
    with pytest.raises(PermissionDenied):
        services.assign(alert, world.supervisor_b)
    services.assign(alert, world.users.supervisor_a)
    with pytest.raises(PermissionDenied):
        services.explain(alert, world.head_b, explanation="不是我们的案件")
    with pytest.raises(PermissionDenied):
        services.explain(alert, world.head_comprehensive, explanation="同县另一机关")


def test_reminders_then_yellow_then_red_cards(world, deviating, fixed_today):
    """Two days before the deadline a reminder; 5 days overdue a yellow card; 15 days a red one
    (periods from the model's parameters, here changed to 3 and 6)."""
    _, alert = deviating
    services.assign(alert, world.users.supervisor_a, reply_due_on=D(2026, 11, 9))
    fixed_today(D(2026, 11, 7))
    assert services.remind_and_escalate()["reminded"] == 1
    assert services.remind_and_escalate()["reminded"] == 0  # once a day
    fixed_today(D(2026, 11, 14))
    assert services.remind_and_escalate()["yellow"] == 1
    alert.refresh_from_db()
    assert alert.card == "yellow"
    model = ProblemModel.objects.get(code="BENCHMARK_DEVIATION_NO_REASON")
    model.params = {**model.params, "yellow_after_days": 3, "red_after_days": 6}
    model.save()
    fixed_today(D(2026, 11, 15))
    assert services.remind_and_escalate()["red"] == 1
    alert.refresh_from_db()
    assert alert.card == "red"
    assert [e.kind for e in events_for(alert.stream_key)][-3:] == ["reminded", "card_yellow", "card_red"]


def test_region_setting_switches_off_and_changes_thresholds(world, make_case):
    """County B switches the model off (its alerts are not raised); county A changes a threshold."""
    case_a = make_case(within_benchmark=False)
    case_b = make_case(agency=world.tree.other_market, within_benchmark=False)
    problems.sync_models()
    model = ProblemModel.objects.get(code="BENCHMARK_DEVIATION_NO_REASON")
    with pytest.raises(PermissionDenied):
        set_region_setting(model, world.supervisor_b, region=world.tree.county, enabled=False, params={})
    set_region_setting(model, world.supervisor_b, region=world.tree.other_county, enabled=False, params={})
    problems.evaluate(model.code)
    assert set(Alert.objects.values_list("case_id", flat=True)) == {case_a.pk}
    assert case_b.pk
    hearing = ProblemModel.objects.get(code="HEARING_RIGHT_NOT_NOTIFIED")
    with pytest.raises(ValidationError):
        set_region_setting(hearing, world.users.supervisor_a, region=world.tree.county, enabled=True,
                           params={"unknown": 1})
    set_region_setting(hearing, world.users.supervisor_a, region=world.tree.county, enabled=True,
                       params={"organisation": 30000})
    from decimal import Decimal

    fined = make_case(decided_on=D(2026, 10, 20), outcome="penalty", notice_served_on=D(2026, 10, 1),
                      fine_amount=Decimal("30000"))
    fined_b = make_case(agency=world.tree.other_market, decided_on=D(2026, 10, 20), outcome="penalty",
                        notice_served_on=D(2026, 10, 1), fine_amount=Decimal("30000"))
    problems.evaluate("HEARING_RIGHT_NOT_NOTIFIED")
    flagged = set(Alert.objects.filter(problem_model=hearing).values_list("case_id", flat=True))
    assert flagged == {fined.pk} and fined_b.pk not in flagged


def test_scoped_run_leaves_other_counties_alone(world, make_case):
    case_a = make_case(within_benchmark=False)
    case_b = make_case(agency=world.tree.other_market, within_benchmark=False)
    problems.evaluate("BENCHMARK_DEVIATION_NO_REASON", scope=world.tree.county.path)
    assert set(Alert.objects.values_list("case_id", flat=True)) == {case_a.pk}
    problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    assert set(Alert.objects.values_list("case_id", flat=True)) == {case_a.pk, case_b.pk}


def test_write_triggers_incremental_evaluation_of_that_case(world, make_case, settings,
                                                            django_capture_on_commit_callbacks):
    """Saving a case re-runs its case models for that case only, after commit."""
    settings.ZHIFA_PROBLEM_MODELS_INCREMENTAL = True
    other = make_case(within_benchmark=False)
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(within_benchmark=False)
    assert Alert.objects.filter(case=case, problem_model__code="BENCHMARK_DEVIATION_NO_REASON").exists()
    with django_capture_on_commit_callbacks(execute=True):
        case.deviation_reason = "书面理由"
        case.save()
    assert not Alert.objects.filter(case=case, is_open=True, problem_model__code="BENCHMARK_DEVIATION_NO_REASON").exists()
    assert Alert.objects.filter(case=case, auto_closed=True).exists()
    assert other.pk  # created while the callbacks were not executed: no alert for it yet


def test_run_all_and_command(world, make_case):
    from io import StringIO

    from django.core.management import call_command

    make_case(within_benchmark=False)
    out = StringIO()
    call_command("run_problem_models", stdout=out)
    assert "BENCHMARK_DEVIATION_NO_REASON" in out.getvalue() and "个问题模型" in out.getvalue()
    assert Alert.objects.filter(problem_model__code="BENCHMARK_DEVIATION_NO_REASON").count() == 1


def test_metrics_for_the_cockpit(world, make_case):
    from zhifa.supervision.alerts.metrics import alerts_by_model, open_alerts_by_agency

    make_case(within_benchmark=False)
    make_case(within_benchmark=False)
    make_case(agency=world.tree.other_market, within_benchmark=False)
    problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    by_agency = open_alerts_by_agency(world.tree.county.path)
    assert by_agency == [{"agency_id": world.tree.market.pk, "agency": world.tree.market.name, "open": 2, "red": 0,
                          "yellow": 0}]
    by_model = alerts_by_model(world.tree.city.path)
    assert by_model[0]["code"] == "BENCHMARK_DEVIATION_NO_REASON" and by_model[0]["open"] == 3


def test_cockpit_shows_real_alerts_and_jobs_are_scheduled(world, make_case):
    """The integration: the cockpit's alert panels read the alerts through the registered
    adapters, and the problem-model run and the cockpit refresh are declared periodic jobs."""
    from zhifa.core import jobs as core_jobs
    from zhifa.supervision import jobs
    from zhifa.supervision.cockpit import services as cockpit

    make_case(within_benchmark=False)
    make_case(within_benchmark=False)
    make_case(agency=world.tree.other_market, within_benchmark=False)
    jobs.run_problem_models()
    assert cockpit.PANELS["open_alerts_by_agency"] is jobs.cockpit_open_alerts
    from zhifa.supervision.models import Alert

    expected = {world.tree.market.pk: Alert.objects.filter(is_open=True, agency=world.tree.market).count()}
    assert jobs.cockpit_open_alerts(world.tree.county.path) == expected and expected[world.tree.market.pk] >= 2
    panel = {row["code"]: row for row in jobs.cockpit_alerts_by_model(world.tree.city.path)}
    deviation = panel["BENCHMARK_DEVIATION_NO_REASON"]
    assert deviation["count"] == 3 and "?problem_model=" in deviation["url"]
    declared = {job.name: job for job in core_jobs.registered()}
    assert declared["supervision.problem_models"].daily_at and declared["supervision.cockpit_refresh"].every_minutes
