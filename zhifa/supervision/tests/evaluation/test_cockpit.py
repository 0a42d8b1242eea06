"""The cockpit (驾驶舱, AI-2): figures on crafted data, drill-down lists equal to their
figures, incremental and idempotent refresh, scoping, the page and the API."""

import datetime
import json
import re

import pytest

from zhifa.supervision.cockpit import services
from zhifa.supervision.models import AgencyMonthStat, CockpitDirty

D = datetime.date
pytestmark = pytest.mark.django_db
MONTHS = services.months_back(12, D(2026, 11, 2))


@pytest.fixture
def crafted(ev):
    """September 2026: the market bureau decides 4 cases (one after 100 days, one outside the
    benchmark), the comprehensive bureau 2; the other county's market bureau 3, all late."""
    m = ev.tree.market
    ev.case(m, filed_on=D(2026, 6, 1), decided_on=D(2026, 9, 9), within_benchmark=True)  # 100 days: overdue
    ev.case(m, filed_on=D(2026, 6, 12), decided_on=D(2026, 9, 10), within_benchmark=False)  # 90 days: on time
    ev.case(m, filed_on=D(2026, 6, 1), decided_on=D(2026, 9, 9), extension_days=30, within_benchmark=True)  # extended
    ev.case(m, filed_on=D(2026, 8, 1), decided_on=D(2026, 9, 20))
    ev.case(ev.tree.comprehensive, filed_on=D(2026, 8, 1), decided_on=D(2026, 9, 2), within_benchmark=True)
    ev.case(ev.tree.comprehensive, filed_on=D(2026, 8, 1), decided_on=D(2026, 10, 2), within_benchmark=True)
    for _ in range(3):
        ev.case(ev.tree.other_market, filed_on=D(2026, 1, 1), decided_on=D(2026, 9, 1))
    services.refresh_cockpit(full=True)
    return ev


def _row(data, agency):
    return next(r for r in data["rows"] if r.agency.pk == agency.pk)


def test_figures_on_crafted_data(crafted):
    """Overdue is counted against 90 days plus the approved extension, in the decision month."""
    data = services.cockpit_data(crafted.supervisor, MONTHS)
    overdue, deviation = services.METRICS["overdue"], services.METRICS["deviation"]
    market = _row(data, crafted.tree.market)
    assert (market.counts["overdue"], market.counts["decided"]) == (1, 4)
    assert market.rate(overdue) == 25.0
    assert (market.counts["benchmark_deviations"], market.counts["benchmark_checked"]) == (1, 3)
    assert market.rate(deviation) == 33.3
    comprehensive = _row(data, crafted.tree.comprehensive)
    assert comprehensive.rate(overdue) == 0.0 and comprehensive.counts["decided"] == 2
    assert data["per_month"][D(2026, 9, 1)]["decided"] == 5
    assert data["per_month"][D(2026, 10, 1)]["decided"] == 1
    # the alert panels are registered by the supervision app and show the (here: no) real alerts
    assert data["alerts_by_model"] == [] and data["has_alerts"] and market.open_alerts == 0


def test_boundary_ninety_days_is_not_overdue(crafted):
    """Decided on the 90th day after filing: on time; on the 91st: overdue."""
    m = crafted.tree.market
    crafted.case(m, filed_on=D(2026, 7, 1), decided_on=D(2026, 9, 29))  # 90 days
    crafted.case(m, filed_on=D(2026, 7, 1), decided_on=D(2026, 9, 30))  # 91 days
    services.refresh_cockpit()
    counts = _row(services.cockpit_data(crafted.supervisor, MONTHS), m).counts
    assert (counts["overdue"], counts["decided"]) == (2, 6)


def test_drill_down_lists_match_their_figures(crafted):
    for metric in services.METRICS.values():
        data = services.cockpit_data(crafted.supervisor, MONTHS)
        for row in data["rows"]:
            num = services.drill_rows(crafted.supervisor, metric, "num", MONTHS, row.agency.pk).count()
            den = services.drill_rows(crafted.supervisor, metric, "den", MONTHS, row.agency.pk).count()
            assert (num, den) == (row.counts[metric.numerator], row.counts[metric.denominator]), (metric.code, row.agency)


def test_county_supervisor_sees_only_the_county(crafted):
    rows_a = services.cockpit_data(crafted.supervisor, MONTHS)["rows"]
    assert crafted.tree.other_market.pk not in {r.agency.pk for r in rows_a}
    rows_b = services.cockpit_data(crafted.supervisor_b, MONTHS)["rows"]
    assert {r.agency.pk for r in rows_b} == {crafted.tree.other_market.pk}
    assert _row(services.cockpit_data(crafted.supervisor_b, MONTHS), crafted.tree.other_market).counts["overdue"] == 3
    overdue = services.METRICS["overdue"]
    assert services.drill_rows(crafted.supervisor_b, overdue, "num", MONTHS, crafted.tree.market.pk).count() == 0
    city = services.cockpit_data(crafted.supervisor_city, MONTHS)["per_month"][D(2026, 9, 1)]
    assert city["decided"] == 8


def test_refresh_is_incremental_and_idempotent(crafted):
    """A decided case marks its (agency, month) dirty; the refresh recomputes that bucket only,
    and running it again changes nothing."""
    assert not CockpitDirty.objects.exists()
    crafted.case(crafted.tree.market, filed_on=D(2026, 5, 1), decided_on=D(2026, 9, 15))
    assert CockpitDirty.objects.count() == 1
    before = dict(AgencyMonthStat.objects.filter(agency=crafted.tree.comprehensive).values_list("month", "refreshed_at"))
    assert services.refresh_cockpit() == 1
    assert services.refresh_cockpit() == 0
    counts = _row(services.cockpit_data(crafted.supervisor, MONTHS), crafted.tree.market).counts
    assert (counts["overdue"], counts["decided"]) == (2, 5)
    after = dict(AgencyMonthStat.objects.filter(agency=crafted.tree.comprehensive).values_list("month", "refreshed_at"))
    assert before == after
    snapshot = list(AgencyMonthStat.objects.order_by("agency_id", "month").values_list("agency_id", "month", "overdue", "decided"))
    services.refresh_cockpit(full=True)
    assert snapshot == list(AgencyMonthStat.objects.order_by("agency_id", "month").values_list("agency_id", "month", "overdue", "decided"))


def test_reversal_rate_counts_remedies_by_result_month(crafted):
    from zhifa.cases.models import Case, Remedy

    case = Case.objects.filter(agency=crafted.tree.market).first()
    Remedy.objects.create(case=case, kind="reconsideration", body="云岭县人民政府", filed_on=D(2026, 9, 20),
                          result="revoked", decided_on=D(2026, 10, 20), recorded_by=crafted.supervisor)
    Remedy.objects.create(case=case, kind="litigation", body="云岭县人民法院", filed_on=D(2026, 9, 20),
                          result="upheld", decided_on=D(2026, 10, 21), recorded_by=crafted.supervisor)
    services.refresh_cockpit()
    market = _row(services.cockpit_data(crafted.supervisor, MONTHS), crafted.tree.market)
    assert market.rate(services.METRICS["reversal"]) == 50.0


def test_alert_panels_show_only_when_registered(crafted, monkeypatch):
    monkeypatch.setattr(services, "PANELS", {})
    services.register_panel("open_alerts_by_agency", lambda path: {crafted.tree.market.pk: 3})
    services.register_panel("alerts_by_model", lambda path: [{"code": "overdue", "name": "办案超期", "count": 3}])
    data = services.cockpit_data(crafted.supervisor, MONTHS)
    assert _row(data, crafted.tree.market).open_alerts == 3 and _row(data, crafted.tree.comprehensive).open_alerts == 0
    assert data["alerts_by_model"][0]["count"] == 3
    with pytest.raises(ValueError):
        services.register_panel("made_up", lambda path: {})


def test_page_and_drill_down_page(crafted, client, fixed_today):
    fixed_today(D(2026, 11, 2))
    client.force_login(crafted.supervisor)
    page = client.get("/supervision/cockpit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "超期办案率" in html and "vendor/echarts/echarts.min.js" in html and "supervision/cockpit.js" in html
    data = json.loads(re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data["months"][-1] == "2026-11" and data["decided"][data["months"].index("2026-09")] == 5
    assert "青石县市场监督管理局" not in html
    listing = client.get(f"/supervision/cockpit/list/?metric=overdue&part=num&months=12&agency={crafted.tree.market.pk}")
    assert listing.status_code == 200
    assert re.search(r'class="drill-count">1<', listing.content.decode())
    client.force_login(crafted.supervisor_b)
    assert client.get(f"/supervision/cockpit/list/?metric=overdue&part=num&agency={crafted.tree.market.pk}").status_code == 404
    client.force_login(crafted.head_market)
    assert client.get("/supervision/cockpit/").status_code == 403


def test_api(crafted, api_client, fixed_today):
    fixed_today(D(2026, 11, 2))
    api_client.force_authenticate(crafted.supervisor)
    response = api_client.get("/api/supervision/cockpit/?months=12")
    assert response.status_code == 200
    market = next(r for r in response.json() if r["agency"] == crafted.tree.market.pk)
    overdue = next(m for m in market["metrics"] if m["code"] == "overdue")
    assert (overdue["numerator"], overdue["denominator"], overdue["rate"]) == (1, 4, 25.0)
    assert {r["agency"] for r in response.json()}.isdisjoint({crafted.tree.other_market.pk})
    assert api_client.get("/api/supervision/cockpit/?months=7").json()["error"]["status"] == 400
