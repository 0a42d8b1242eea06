"""The 行政强制 alerts at scale: ``python -m benchmarks.coercion [--measures N]``.

A fresh SQLite database under ``var/bench-coercion/`` (or ``ZHIFA_DATABASE_URL``, which must be
empty) gets N coercive measures spread over the cases of one county's agencies (stages and
expiry dates mixed, a tenth still running), then prints the median time and the query count of
the workbench's coercion alerts (expiring within 3 days, overdue) for an officer and for the
county's supervisor, at a tenth and at the full size, and the query plan of the expiring count —
it should use the (stage, expires_on) index. Prints numbers, asserts nothing.
"""

import argparse
import datetime
import random
import statistics
import time
from pathlib import Path

from benchmarks.__main__ import setup


def fill(count, start_pk):
    from zhifa.cases.coercion.models import CoerciveMeasure
    from zhifa.cases.models import Case
    from zhifa.core import clock

    cases = list(Case._base_manager.values_list("pk", "agency_id")[:500])
    from zhifa.accounts.models import User

    user_id = User.objects.order_by("pk").values_list("pk", flat=True).first()
    today = clock.today()
    rnd = random.Random(start_pk)
    stages = ["released"] * 6 + ["disposed"] * 3 + ["in_force"]
    rows = []
    for i in range(count):
        case_id, _ = cases[i % len(cases)]
        stage = rnd.choice(stages)
        rows.append(CoerciveMeasure(case_id=case_id, kind="seize", stage=stage, reasons="合成数据", basis="合成数据",
                                    expires_on=today + datetime.timedelta(days=rnd.randint(-60, 60)),
                                    recorded_by_id=user_id))
    CoerciveMeasure.objects.bulk_create(rows, batch_size=5000)


def measure(users, repeats=15):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifa.cases.dashboard import coercion_alerts

    for label, user in users:
        times = []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                alerts = coercion_alerts(user)
                times.append((time.perf_counter() - started) * 1000)
        print(f"    {label}: median {statistics.median(times):.1f} ms, {len(queries)} queries, "
              f"{' / '.join(a['text'] for a in alerts)}")


def plan(user):
    from django.db import connection

    from zhifa.cases.coercion import rules
    from zhifa.cases.coercion.models import CoerciveMeasure
    from zhifa.core import clock

    qs = CoerciveMeasure.objects.restrict(user).filter(rules.expiring_q(clock.today()))
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        for row in cursor.fetchall():
            print("    " + " ".join(str(c) for c in row))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=200_000)
    args = parser.parse_args(argv)
    setup(Path("var/bench-coercion"))
    from zhifa.accounts.models import User
    from zhifa.core.demo import load_demo

    started = time.perf_counter()
    load_demo()
    print(f"演示数据：{time.perf_counter() - started:.0f} s")
    users = [("执法人员 market_officer", User.objects.get(username="market_officer"))]
    supervisor = User.objects.filter(role="supervisor").order_by("pk").first()
    if supervisor is not None:
        users.append((f"监督人员 {supervisor.username}", supervisor))
    tenth = args.measures // 10
    fill(tenth, 1)
    print(f"{tenth} 项强制措施：")
    measure(users)
    fill(args.measures - tenth, 2)
    print(f"{args.measures} 项强制措施：")
    measure(users)
    print("“即将届满”计数的查询计划：")
    plan(users[0][1])


if __name__ == "__main__":
    main()
