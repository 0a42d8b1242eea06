"""三项制度 assessment benchmark on PostgreSQL — prints numbers, asserts nothing.

    ZHIFA_DATABASE_URL=postgres://postgres@127.0.0.1:54340/zhifa_assessment_bench python -m benchmarks.assessment --sizes 100000

Reuses the cockpit benchmark's city (10 counties × 20 agencies) and its case insertion
(``generate_series`` from one template case). At each size it measures the computation of the
39 computed indicators (``assessment.services.create_assessment``) for one agency, for one county
(20 agencies) and for the city (200 agencies), the slowest indicators of the city run, and the
action-plan KPIs of the city over five years.
"""

import argparse
import datetime
import time

from benchmarks.cockpit import COUNTIES, insert_cases, organisations, setup


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    args = parser.parse_args(argv)
    setup()
    from zhifa.cases.models import Case
    from zhifa.orgs.models import Region
    from zhifa.supervision import kpis
    from zhifa.supervision.assessment import indicators, services
    from zhifa.supervision.models import Assessment, Indicator

    if Case.objects.exists():
        raise SystemExit("The database already holds cases: give the benchmark an empty database.")
    agencies, item, party, city_supervisor, county_supervisor = organisations()
    template = Case.objects.create(agency=agencies[0], item=item, party=party, cause="基准案件", place="基准市",
                                   occurred_on=datetime.date(2025, 1, 1), stage="archived", procedure="general")
    agency_ids = [a.pk for a in agencies]
    city = Region.objects.get(code="619800")
    county = Region.objects.get(code="619821")
    province_supervisor_region = city.parent
    from zhifa.accounts import roles
    from zhifa.core.testing import make_user

    province_supervisor = make_user("bench_province_supervisor", roles.SUPERVISOR, region=province_supervisor_region)
    year = datetime.date.today().year
    print(f"assessment benchmark: {len(agency_ids)} agencies in {COUNTIES} counties, PostgreSQL, year {year}")
    inserted = 0
    for size in sorted(args.sizes):
        seconds = insert_cases(template.pk, agency_ids, inserted + 1, size - inserted)
        print(f"\n== {size:,} decided cases (inserted {size - inserted:,} in {seconds:.1f} s)")
        inserted = size
        Assessment.objects.all().delete()
        for label, actor, target in (("one agency", county_supervisor, {"agency": agencies[0]}),
                                     ("one county (20 agencies)", city_supervisor, {"region": county}),
                                     ("the city (200 agencies)", province_supervisor, {"region": city})):
            started = time.perf_counter()
            services.create_assessment(actor, year=year, **target)
            print(f"create and compute ({label}): {time.perf_counter() - started:.2f} s")
        subject = indicators.Subject(agency_ids, year)
        timings = []
        points = {i.number: i.points for i in Indicator.objects.all()}
        for number, definition in indicators.REGISTRY.items():
            started = time.perf_counter()
            definition.function(subject, points[number])
            timings.append((time.perf_counter() - started, number, definition.name))
        timings.sort(reverse=True)
        print("slowest indicators (city): " + ", ".join(f"{n} {name} {s * 1000:.0f} ms" for s, n, name in timings[:5]))
        started = time.perf_counter()
        kpis.evaluate(city.path, year)
        print(f"KPIs of the city over {kpis.TREND_YEARS} years: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
