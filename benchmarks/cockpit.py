"""Cockpit (驾驶舱) benchmark on PostgreSQL — prints numbers, asserts nothing.

    ZHIFA_DATABASE_URL=postgres://postgres@127.0.0.1:54340/zhifa_bench python -m benchmarks.cockpit --sizes 100000 1000000

The database is migrated and its cases, cockpit tables and benchmark organisations replaced.
A city of 10 counties × 20 agencies gets decided cases spread over 24 months (one in seven
outside the benchmark, about a fifth decided after the 90-day period), inserted by PostgreSQL
itself (``generate_series``) from one template case. At each size it measures:

1. the full refresh of the per agency and month table (``refresh_cockpit(full=True)``);
2. an incremental refresh after one case changed (one dirty bucket);
3. the cockpit page for the city supervisor and a county supervisor, and drill-down list
   pages (first and fifth page, a rare and a common figure, one agency): median, 95th
   percentile and worst of 20 requests, the number of queries per request, and the
   PostgreSQL plan of the drill-down page (``EXPLAIN ANALYZE``); ``uptime`` is printed with
   them (the machine may be shared).
"""

import argparse
import os
import statistics
import time

COUNTIES, AGENCIES_PER_COUNTY = 10, 20


def setup():
    if not os.environ.get("ZHIFA_DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("ZHIFA_DATABASE_URL must name a PostgreSQL database (the benchmark inserts with generate_series).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def organisations():
    """The benchmark city (619800) with its counties, agencies, supervisors, one item and party."""
    import datetime

    from zhifa.accounts import roles
    from zhifa.catalog import services as catalog
    from zhifa.core.testing import fields, make_user
    from zhifa.orgs.models import Agency, Region
    from zhifa.parties.models import Party

    province = Region.objects.get_or_create(code="610000", defaults={"name": "陕西省"})[0]
    city = Region.objects.create(code="619800", name="基准市", parent=province)
    agencies = []
    counties = []
    for c in range(COUNTIES):
        county = Region.objects.create(code=f"6198{c + 21:02d}", name=f"基准{c + 1}县", parent=city)
        counties.append(county)
        for a in range(AGENCIES_PER_COUNTY):
            agencies.append(Agency.objects.create(name=f"基准{c + 1}县第{a + 1}执法局", short_name=f"{c + 1}县{a + 1}局",
                                                  region=county))
    f = fields()
    item = catalog.create_item(
        agency=agencies[0], code="BENCH-0001", kind="penalty", field=f["SCJG"], valid_from=datetime.date(2019, 1, 1),
        version={"name": "基准事项", "law_name": "《中华人民共和国食品安全法》", "article": 125, "paragraph": 1,
                 "item_no": 2, "basis_text": "基准。", "penalty_basis": "第一百二十五条", "violated_provision": "第七十一条"},
    )
    party = Party.objects.create(kind=Party.LEGAL, name="基准商贸有限公司", credit_code="91110000600037341L", region=city,
                                 agency=agencies[0])
    city_supervisor = make_user("bench_city_supervisor", roles.SUPERVISOR, region=city)
    county_supervisor = make_user("bench_county_supervisor", roles.SUPERVISOR, region=counties[0])
    return agencies, item, party, city_supervisor, county_supervisor


def insert_cases(template_id: int, agency_ids: list[int], start: int, count: int) -> float:
    """Insert ``count`` decided cases copied from the template row; returns seconds."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_case WHERE id = %s", [template_id])
        columns = [c.name for c in cursor.description if c.name != "id"]
        values = {
            "agency_id": "(%s::bigint[])[1 + g %% %s]",
            "number": "'BENCH-' || g", "decision_number": "'BENCH-D-' || g", "stage": "'archived'",
            "filed_on": "(current_date - 730 + (g %% 700))",
            "decided_on": "(current_date - 730 + (g %% 700) + 20 + (g %% 90) + (CASE WHEN g %% 5 = 0 THEN 40 ELSE 0 END))",
            "archived_on": "(current_date - 650 + (g %% 640))",
            "within_benchmark": "(g %% 7 <> 0)", "extension_days": "0",
        }
        select = ", ".join(values.get(c, f"t.{c}") for c in columns)
        sql = (f"INSERT INTO cases_case ({', '.join(columns)}) SELECT {select} "
               f"FROM cases_case t, generate_series(%s, %s) g WHERE t.id = %s")
        started = time.perf_counter()
        cursor.execute(sql, ["{" + ",".join(map(str, agency_ids)) + "}", len(agency_ids), start, start + count - 1,
                             template_id])
        cursor.execute("ANALYZE cases_case")
    return time.perf_counter() - started


def measure_page(client, url: str, runs: int = 20) -> tuple[float, float, float, int]:
    """Median, 95th percentile and worst of ``runs`` requests after a warm-up, and the queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, max(times), len(queries)


def explain_drill_down(user, agency_id=None):
    """The PostgreSQL plan of the first drill-down page (overdue numerator, 12 months)."""
    from django.db import connection

    from zhifa.supervision.cockpit import services

    qs = services.drill_rows(user, services.METRICS["overdue"], "num", services.months_back(12), agency_id)[:51]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--pages-only", action="store_true",
                        help="measure the pages again on a database this benchmark already filled")
    args = parser.parse_args(argv)
    setup()
    from django.db import connection

    from zhifa.cases.models import Case
    from zhifa.supervision.cockpit.services import refresh_cockpit
    from zhifa.supervision.models import AgencyMonthStat, CockpitDirty

    if args.pages_only:
        from zhifa.accounts.models import User

        print(f"cockpit pages on the existing benchmark data: {Case.objects.count():,} cases")
        measure_pages(User.objects.get(username="bench_city_supervisor"),
                      User.objects.get(username="bench_county_supervisor"))
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        if cursor.fetchone()[0]:
            raise SystemExit("The database already holds cases: give the benchmark an empty database "
                             "(or --pages-only to measure again).")
    agencies, item, party, city_supervisor, county_supervisor = organisations()
    import datetime

    template = Case.objects.create(agency=agencies[0], item=item, party=party, cause="基准案件", place="基准市",
                                   occurred_on=datetime.date(2025, 1, 1), stage="archived", procedure="general")
    agency_ids = [a.pk for a in agencies]
    print(f"cockpit benchmark: {len(agency_ids)} agencies in {COUNTIES} counties, PostgreSQL")
    inserted = 0
    for size in sorted(args.sizes):
        seconds = insert_cases(template.pk, agency_ids, inserted + 1, size - inserted)
        print(f"\n== {size:,} decided cases (inserted {size - inserted:,} in {seconds:.1f} s)")
        inserted = size
        started = time.perf_counter()
        buckets = refresh_cockpit(full=True)
        print(f"full refresh: {buckets:,} agency-month rows in {time.perf_counter() - started:.2f} s")
        case = Case.objects.filter(number="BENCH-1").first()
        case.save()  # marks its (agency, month) dirty, as any save does
        started = time.perf_counter()
        written = refresh_cockpit()
        print(f"incremental refresh after one change: {written} bucket(s) in {(time.perf_counter() - started) * 1000:.0f} ms "
              f"(dirty rows left: {CockpitDirty.objects.count()}, table rows: {AgencyMonthStat.objects.count():,})")
        measure_pages(city_supervisor, county_supervisor)


def measure_pages(city_supervisor, county_supervisor):
    import subprocess

    from zhifa.accounts.testing import VerifiedClient
    from zhifa.orgs.models import Agency

    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    agency = Agency.objects.filter(region__code="619821").order_by("pk").first()
    for label, user in (("city supervisor (200 agencies)", city_supervisor),
                        ("county supervisor (20 agencies)", county_supervisor)):
        client = VerifiedClient()
        client.force_login(user)
        for page, url in (("cockpit, 12 months", "/supervision/cockpit/?months=12"),
                          ("cockpit, 24 months", "/supervision/cockpit/?months=24"),
                          ("drill-down (overdue, page 1)", "/supervision/cockpit/list/?metric=overdue&part=num&months=12"),
                          ("drill-down (overdue, page 5)",
                           "/supervision/cockpit/list/?metric=overdue&part=num&months=12&page=5"),
                          ("drill-down (decided, 24 months)", "/supervision/cockpit/list/?metric=overdue&part=den&months=24"),
                          ("drill-down (deviation)", "/supervision/cockpit/list/?metric=deviation&part=num&months=12"),
                          ("drill-down (one agency)",
                           f"/supervision/cockpit/list/?metric=overdue&part=num&months=12&agency={agency.pk}")):
            median, p95, worst, queries = measure_page(client, url)
            print(f"{label:<32} {page:<34} median {median * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  "
                  f"worst {worst * 1000:7.1f} ms  {queries} queries", flush=True)
    print("\nplan of the drill-down page, city supervisor:")
    print("\n".join("  " + line for line in explain_drill_down(city_supervisor)[:12]))
    print("plan of the drill-down page, one agency:")
    print("\n".join("  " + line for line in explain_drill_down(city_supervisor, agency.pk)[:12]))


if __name__ == "__main__":
    main()
