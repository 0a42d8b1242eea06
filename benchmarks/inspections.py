"""Inspections at scale: ``python -m benchmarks.inspections [--inspections N]``.

A fresh SQLite database under ``var/bench-inspections/`` (or ``ZHIFA_DATABASE_URL``, which must be
empty; with ``--existing`` a database already holding the demo data) gets the demo data set and then N inspections (one checklist line each, a tenth joint with a
second line) spread over 云岭县's agencies and enterprises and over the last year, then prints, at a
tenth and at the full size: the median time and query count of the inspection list (HTML and API) for
an officer and for the county's supervisor, the time of the problem models ``INSP_REPEATED`` and
``INSP_PUBLICATION_OVERDUE``, and the query plan of the officer's list page. Prints numbers, asserts nothing.
"""

import argparse
import datetime
import random
import statistics
import time
from pathlib import Path

from benchmarks.__main__ import setup


def fill(count, seed):
    from zhifa.accounts.models import User
    from zhifa.catalog.models import Item
    from zhifa.core import clock
    from zhifa.inspections.models import Inspection, InspectionChecklistLine
    from zhifa.orgs.models import Agency
    from zhifa.parties.models import Party

    rnd = random.Random(seed)
    today = clock.today()
    agencies = list(Agency._base_manager.filter(region__path__startswith="/610000/619900/619921/"))
    items = {}
    for item in Item._base_manager.filter(kind="inspection", agency__in=agencies):
        items.setdefault(item.agency_id, item)
    agencies = [a for a in agencies if a.pk in items]
    parties = list(Party._base_manager.filter(region_path__startswith="/610000/619900/619921/")
                   .values_list("pk", flat=True)[:5000])
    user_id = User.objects.order_by("pk").values_list("pk", flat=True).first()
    stages = ["published"] * 6 + ["concluded"] * 2 + ["on_site", "requested"]
    rows, lines = [], []
    for i in range(count):
        agency = rnd.choice(agencies)
        day = today - datetime.timedelta(days=rnd.randint(0, 365))
        stage = rnd.choice(stages)
        rows.append(Inspection(number=f"合成检〔{seed}〕{i}号", stage=stage, agency=agency, party_id=rnd.choice(parties),
                               place="合成数据", planned_on=day, subject="合成数据", created_by_id=user_id,
                               joint=i % 10 == 0, publication_due_on=day + datetime.timedelta(days=28)
                               if stage in ("published", "concluded") else None,
                               published_on=day + datetime.timedelta(days=10) if stage == "published" else None))
    Inspection.objects.bulk_create(rows, batch_size=5000)
    for row in rows:
        lines.append(InspectionChecklistLine(inspection=row, agency=row.agency, item=items[row.agency_id]))
        if row.joint:
            other = rnd.choice(agencies)
            if other.pk != row.agency_id:
                lines.append(InspectionChecklistLine(inspection=row, agency=other, item=items[other.pk]))
    InspectionChecklistLine.objects.bulk_create(lines, batch_size=5000)


def measure(users, repeats=9):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhifa.accounts.testing import VerifiedClient

    for label, user in users:
        for kind, url in (("HTML", "/inspections/acts/"), ("API", "/api/inspections/acts/")):
            client = VerifiedClient() if user.role == "supervisor" else Client()
            client.force_login(user)
            times = []
            for _ in range(repeats):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
            print(f"    {label} {kind}: median {statistics.median(times):.1f} ms, {len(queries)} queries, "
                  f"status {response.status_code}")


def models():
    from zhifa.supervision.problems import evaluate

    for code in ("INSP_REPEATED", "INSP_PUBLICATION_OVERDUE"):
        started = time.perf_counter()
        result = evaluate(code)
        print(f"    {code}: {(time.perf_counter() - started) * 1000:.0f} ms, {result.found} findings")


def plan(user):
    from django.db import connection

    from zhifa.inspections.models import Inspection

    qs = Inspection.objects.restrict(user).select_related("agency", "party").order_by("-planned_on", "-id")[:51]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        for row in cursor.fetchall():
            print("    " + " ".join(str(c) for c in row))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=100_000)
    parser.add_argument("--existing", action="store_true",
                        help="use ZHIFA_DATABASE_URL as it is (migrated, demo data loaded) instead of a fresh database")
    args = parser.parse_args(argv)
    if args.existing:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
        django.setup()
    else:
        setup(Path("var/bench-inspections"))
    from zhifa.accounts.models import User
    from zhifa.core.demo import load_demo

    if not args.existing:
        started = time.perf_counter()
        load_demo()
        print(f"演示数据：{time.perf_counter() - started:.0f} s")
    users = [("执法人员 market_officer", User.objects.get(username="market_officer")),
             ("监督人员 supervisor", User.objects.get(username="supervisor"))]
    tenth = args.inspections // 10
    fill(tenth, 1)
    print(f"{tenth} 次检查：")
    measure(users)
    models()
    fill(args.inspections - tenth, 2)
    print(f"{args.inspections} 次检查：")
    measure(users)
    models()
    print("执法人员检查列表的查询计划：")
    plan(users[0][1])


if __name__ == "__main__":
    main()
