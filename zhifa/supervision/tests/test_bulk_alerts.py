"""Alerts written set-based (``alerts.bulk``: COPY on PostgreSQL, bulk_create elsewhere) are
the same as alerts written one by one: each has its row and its own verified stream whose
first event says why; the raise is one row per agency in the chained audit trail, naming
every alert; closing many at once records the reason in each stream and, once per agency and
run, in the audit trail."""

import pytest

from zhifa.core.models import ChangeLog
from zhifa.records.services import events_for, verify_stream
from zhifa.supervision import problems
from zhifa.supervision.models import Alert

pytestmark = pytest.mark.django_db


def test_many_alerts_raised_and_closed_with_their_records(world, make_case):
    cases = [make_case(within_benchmark=False) for _ in range(30)]
    result = problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    assert (result.found, result.raised) == (30, 30)
    alerts = list(Alert.objects.filter(problem_model__code="BENCHMARK_DEVIATION_NO_REASON").order_by("pk"))
    assert {x.case_id for x in alerts} == {c.pk for c in cases}
    for alert in alerts:
        assert alert.is_open and alert.status == "raised" and alert.agency_id == world.tree.market.pk
        [event] = events_for(alert.stream_key)
        assert event.kind == "raised" and event.payload["facts"]["案号"] == alert.case.number
        assert verify_stream(alert.stream_key).ok
    # The raise is in the chained audit trail once per agency: the model, the count, the ids.
    row = ChangeLog.objects.get(action="create", note="问题模型 BENCHMARK_DEVIATION_NO_REASON 预警")
    assert row.content_type.model == "alert" and row.scope_path == world.tree.market.tree_path
    assert row.after["count"] == 30 and row.after["problem_model"] == "BENCHMARK_DEVIATION_NO_REASON"
    assert [pk for first, last in row.after["alert_ids"] for pk in range(first, last + 1)] == [x.pk for x in alerts]
    assert "30" in row.object_repr and world.tree.market.name in row.object_repr
    assert verify_stream("audit:changelog").ok

    # The condition goes away for all of them: closed at once, the reason in every stream.
    from zhifa.cases.models import Case

    Case.objects.filter(pk__in=[c.pk for c in cases]).update(deviation_reason="已在决定书中说明理由")
    result = problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    assert (result.found, result.raised, result.closed) == (0, 0, 30)
    for alert in Alert.objects.filter(pk__in=[x.pk for x in alerts]):
        assert not alert.is_open and alert.auto_closed and "问题条件已消除" in alert.close_reason
        assert [e.kind for e in events_for(alert.stream_key)] == ["raised", "auto_closed"]
        assert verify_stream(alert.stream_key).ok
    # The closing is in the audit trail once per agency and run (not a row per alert): the model,
    # the reason, the count and every alert's id.
    assert not ChangeLog.objects.filter(content_type=row.content_type, object_id__in=[str(x.pk) for x in alerts])
    [closed_row] = ChangeLog.objects.filter(action="update", note="问题模型 BENCHMARK_DEVIATION_NO_REASON 自动办结")
    assert closed_row.content_type.model == "alert" and closed_row.scope_path == world.tree.market.tree_path
    assert closed_row.after["count"] == 30 and "问题条件已消除" in closed_row.after["reason"]
    assert closed_row.after["status"] == "closed" and closed_row.after["auto_closed"] is True
    assert [pk for first, last in closed_row.after["alert_ids"] for pk in range(first, last + 1)] == [x.pk for x in alerts]
    assert "自动办结预警30条" in closed_row.object_repr
    assert verify_stream("audit:changelog").ok
    # A second run changes nothing (idempotent) and raises nothing again.
    assert problems.evaluate("BENCHMARK_DEVIATION_NO_REASON").raised == 0


def test_raised_in_several_agencies_and_batches(world, make_case, monkeypatch):
    """Batches smaller than the findings: every alert still gets its stream, and each agency one
    audit row (scoped to it) listing exactly its alerts."""
    from zhifa.supervision.alerts import bulk

    monkeypatch.setattr(bulk, "BATCH", 7)
    market = [make_case(within_benchmark=False) for _ in range(12)]
    other = [make_case(within_benchmark=False, agency=world.tree.other_market) for _ in range(5)]
    result = problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    assert result.raised == len(market) + len(other)
    alerts = Alert.objects.filter(problem_model__code="BENCHMARK_DEVIATION_NO_REASON")
    for alert in alerts:
        assert verify_stream(alert.stream_key).ok
        assert events_for(alert.stream_key)[0].payload["object"] == f"case:{alert.case_id}"
    rows = ChangeLog.objects.filter(action="create", note="问题模型 BENCHMARK_DEVIATION_NO_REASON 预警")
    by_path = {row.scope_path: row for row in rows}
    assert len(by_path) == rows.count() == 2
    for agency, cases in ((world.tree.market, market), (world.tree.other_market, other)):
        row = by_path[agency.tree_path]
        ids = [pk for first, last in row.after["alert_ids"] for pk in range(first, last + 1)]
        assert sorted(ids) == sorted(alerts.filter(agency=agency).values_list("pk", flat=True))
        assert row.after["count"] == len(cases)
    assert verify_stream("audit:changelog").ok


def test_id_ranges():
    from zhifa.supervision.alerts.bulk import id_ranges

    assert id_ranges([5, 3, 4, 9, 11, 10, 1]) == [[1, 1], [3, 5], [9, 11]]
    assert id_ranges([]) == []


def test_closed_in_several_agencies_and_batches_one_audit_row_each(world, make_case, monkeypatch):
    """Closing more alerts than a batch holds, in two agencies: one audit row per agency for the
    whole run, listing exactly that agency's alerts; every stream gets its "auto_closed" event."""
    from zhifa.cases.models import Case
    from zhifa.supervision.alerts import bulk

    monkeypatch.setattr(bulk, "BATCH", 4)
    market = [make_case(within_benchmark=False) for _ in range(9)]
    other = [make_case(within_benchmark=False, agency=world.tree.other_market) for _ in range(3)]
    problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    Case.objects.filter(pk__in=[c.pk for c in market + other]).update(deviation_reason="已说明理由")
    assert problems.evaluate("BENCHMARK_DEVIATION_NO_REASON").closed == 12
    rows = ChangeLog.objects.filter(action="update", note="问题模型 BENCHMARK_DEVIATION_NO_REASON 自动办结")
    by_path = {row.scope_path: row for row in rows}
    assert len(by_path) == rows.count() == 2
    alerts = Alert.objects.filter(problem_model__code="BENCHMARK_DEVIATION_NO_REASON")
    for agency, cases in ((world.tree.market, market), (world.tree.other_market, other)):
        row = by_path[agency.tree_path]
        ids = [pk for first, last in row.after["alert_ids"] for pk in range(first, last + 1)]
        assert sorted(ids) == sorted(alerts.filter(agency=agency).values_list("pk", flat=True))
        assert row.after["count"] == len(cases) and row.after["agency_id"] == agency.pk
    for alert in alerts:
        assert [e.kind for e in events_for(alert.stream_key)] == ["raised", "auto_closed"]
        assert verify_stream(alert.stream_key).ok
    assert verify_stream("audit:changelog").ok
