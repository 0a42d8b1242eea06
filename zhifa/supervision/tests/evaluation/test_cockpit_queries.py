"""The cockpit's drill-down lists (驾驶舱下钻清单) stay flat: every list behind a figure — each
metric, numerator and denominator, one agency or the whole scope — makes the same number of
queries for N rows of each source as for 3N (more than a page of 50)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.supervision.cockpit import services

D = datetime.date
pytestmark = pytest.mark.django_db
N = 20


def _fill(ev, count: int) -> None:
    """``count`` decided cases of the market bureau in September 2026, every one in every
    source: half of them late and off the benchmark, each flagged major (the others reviewed and
    agreed), published (half late) and challenged (half revoked)."""
    from zhifa.cases.models import Remedy
    from zhifa.publicity.models import Publication
    from zhifa.review.models import MajorFlag, Review

    for index in range(count):
        late = index % 2 == 0
        case = ev.case(ev.tree.market, filed_on=D(2026, 5, 1) if late else D(2026, 8, 20),
                       decided_on=D(2026, 9, 1) + datetime.timedelta(days=index % 28), within_benchmark=not late)
        MajorFlag.objects.create(case=case, kind="serious", reason="情节严重", actor=ev.head_market,
                                 created_at=datetime.datetime(2026, 8, 30, 9, tzinfo=datetime.UTC))
        if not late:
            Review.objects.create(case=case, agency=case.agency, submitted_by=ev.head_market,
                                  submitted_at=datetime.datetime(2026, 8, 28, 9, tzinfo=datetime.UTC),
                                  deadline=D(2026, 9, 10), result="agree", status="agree")
        Publication.objects.create(kind="penalty", agency=case.agency, case=case, decision_number=f"云市监罚〔2026〕{case.pk}号",
                                   title="行政处罚", party_kind="legal", party_name="云岭鑫达商贸有限公司", result="罚款",
                                   decided_on=case.decided_on, due_on=case.decided_on + datetime.timedelta(days=9),
                                   published_on=case.decided_on + datetime.timedelta(days=20 if late else 3),
                                   status="published")
        Remedy.objects.create(case=case, kind="reconsideration", body="云岭县人民政府", filed_on=D(2026, 9, 10),
                              result="revoked" if late else "upheld", decided_on=D(2026, 10, 1) + datetime.timedelta(days=index % 28),
                              recorded_by=ev.supervisor)
    services.refresh_cockpit(full=True)


def _urls(ev) -> list[str]:
    return [f"/supervision/cockpit/list/?metric={code}&part={part}&months=12{agency}"
            for code in services.METRICS for part in ("num", "den")
            for agency in ("", f"&agency={ev.tree.market.pk}")]


def _measure(client, urls) -> dict[str, tuple[int, int]]:
    """For each list: (queries, rows shown)."""
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = (len(ctx.captured_queries), len(response.context["rows"]))
    return counts


def test_drill_down_lists_make_the_same_queries_at_n_and_3n(ev, client):
    client.force_login(ev.supervisor)
    urls = _urls(ev)
    assert len(urls) == 4 * len(services.METRICS)
    _fill(ev, N)
    small = _measure(client, urls)
    _fill(ev, 2 * N)
    large = _measure(client, urls)
    # the lists are not empty: every denominator lists all the rows (a page of 50 at 3N)
    for url in urls:
        if "part=den" in url:
            assert (small[url][1], large[url][1]) == (N, 50), url
    empty = [url for url, (_, rows) in large.items() if rows == 0]
    assert not empty, f"lists without rows prove nothing: {empty}"
    grew = {url: (small[url][0], large[url][0]) for url in urls if small[url][0] != large[url][0]}
    assert not grew, f"queries grew with the rows: {grew}"
    # and the number is small: the scope, the figure, the page and its one extra row
    assert max(queries for queries, _ in large.values()) <= 12


def test_drill_down_list_of_another_county_is_not_readable(ev, client):
    """The flat lists are still scoped: county B's supervisor gets 404 for county A's agency
    and none of its rows in their own whole-scope list."""
    _fill(ev, 3)
    client.force_login(ev.supervisor_b)
    response = client.get(f"/supervision/cockpit/list/?metric=overdue&part=den&months=12&agency={ev.tree.market.pk}")
    assert response.status_code == 404
    response = client.get("/supervision/cockpit/list/?metric=overdue&part=den&months=12")
    assert response.status_code == 200 and response.context["rows"] == [] and response.context["count"] == 0
