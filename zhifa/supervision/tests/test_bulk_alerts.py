"""Alerts written set-based (``alerts.bulk``: COPY on PostgreSQL, bulk_create elsewhere) are
the same as alerts written one by one: each has its row, its audit row in the chained audit
trail and its own verified stream whose first event says why; closing many at once records
the reason in each stream and the audit trail."""

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
    logged = ChangeLog.objects.filter(action="create", object_id__in=[str(x.pk) for x in alerts],
                                      note="问题模型 BENCHMARK_DEVIATION_NO_REASON 预警")
    assert logged.count() == 30
    row = logged.get(object_id=str(alerts[0].pk))
    assert row.after["summary"] == alerts[0].summary and row.scope_path == world.tree.market.tree_path
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
    assert ChangeLog.objects.filter(action="update", object_id=str(alerts[0].pk)).get().after["is_open"] is False
    assert verify_stream("audit:changelog").ok
    # A second run changes nothing (idempotent) and raises nothing again.
    assert problems.evaluate("BENCHMARK_DEVIATION_NO_REASON").raised == 0
