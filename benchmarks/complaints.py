"""Complaints benchmark (投诉举报, SUP-3) — print numbers, assert nothing.

    python -m benchmarks.complaints                         # 2,000 then 20,000 complaints
    python -m benchmarks.complaints --sizes 1000 10000
    ZHIFA_DATABASE_URL=postgres://…/db python -m benchmarks.complaints

Uses a fresh SQLite database under var/bench-complaints/ unless ZHIFA_DATABASE_URL is set (then it
must be empty). Prints:

1. intake rate through ``services.receive`` (one transaction each: complaint, encrypted
   complainant, hash-chained event, audit rows) and through the signed hotline API (with the
   repeated push of the same work order answered from the existing row);
2. at each size: median latency and SQL query count of the complaint list (HTML and API) for a
   county supervisor and for the handling agency's officer, the overdue filter, and the time of
   the overdue and repeated-complaint problem models — so flatness is visible.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time

from benchmarks.fresh import setup_django


def setup():
    setup_django("complaints", ZHIFA_PROBLEM_MODELS_INCREMENTAL=False)


def world():
    from zhifa.accounts import roles
    from zhifa.core.testing import make_user, org_tree
    from zhifa.parties.models import Party
    from zhifa.supervision.models.complaints import HotlineSystem

    tree = org_tree()
    users = {
        "supervisor": make_user("bench_supervisor", roles.SUPERVISOR, region=tree.county),
        "officer": make_user("bench_officer", roles.OFFICER, agency=tree.market),
    }
    hotline = HotlineSystem.objects.create(code="12345-619900", name="12345", source="hotline_12345",
                                           region=tree.city, secret="bench-secret", receiver="hotline-12345")
    shops = [Party.objects.create(kind=Party.LEGAL, name=f"云岭某商贸有限公司{n}", region=tree.county, agency=tree.market)
             for n in range(20)]
    return tree, users, hotline, shops


def fill(tree, shops, total: int, have: int):
    """Bulk rows up to ``total`` (complaints of the past 200 days, mixed agencies and states)."""
    from zhifa.core import clock
    from zhifa.supervision.complaints import procedure as proc
    from zhifa.supervision.models.complaints import Complaint

    agencies = [tree.market, tree.comprehensive, tree.township_office, tree.other_market]
    statuses = [proc.RECEIVED, proc.ACCEPTED, proc.DECIDED, proc.REPLIED, proc.CLOSED]
    today = clock.today()
    rows = []
    for n in range(have, total):
        agency = agencies[n % 4]
        day = today - datetime.timedelta(days=n % 200)
        region = tree.other_county if agency == tree.other_market else tree.county
        status = statuses[n % 5]
        due = day + datetime.timedelta(days=10)
        rows.append(Complaint(
            number=f"TSB{n:09d}", kind="complaint", source=("portal", "phone", "letter", "hotline_12345")[n % 4],
            region=region, agency=agency, subject=f"第{n}件 投诉事由", content="内容" * 20, status=status,
            received_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC), received_on=day,
            acknowledge_due=due, reply_due=due + datetime.timedelta(days=20),
            next_due=due if status in proc.OPEN_STATUSES else None, anonymous=True,
            reported_party=shops[n % len(shops)] if n % 3 == 0 else None))
    Complaint.objects.bulk_create(rows, batch_size=2000)


def timed_get(client, url, repeats=7):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times = []
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
    assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(ctx.captured_queries)


def intake(tree, hotline, count: int):
    from rest_framework.test import APIClient

    from zhifa.supervision.complaints import services
    from zhifa.supervision.complaints.hotline import signed_headers

    started = time.perf_counter()
    for n in range(count):
        services.receive(source="phone", region=tree.county, agency=tree.market, subject=f"来电{n}", content="内容",
                         complainant={"name": "张三", "phone": "13900000000"})
    direct = count / (time.perf_counter() - started)
    client = APIClient()

    def push(number):
        body = json.dumps({"work_order_number": number, "region_code": "619921", "subject": "工单",
                           "content": "内容", "anonymous": True}).encode()
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v
                   for k, v in signed_headers(hotline.code, "bench-secret", body).items()}
        return client.generic("POST", "/api/supervision/hotline/work-orders/", body, content_type="application/json",
                              **headers)

    started = time.perf_counter()
    for n in range(count):
        assert push(f"BENCH-{n}").status_code == 201
    api_new = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for n in range(count):
        assert push(f"BENCH-{n}").status_code == 200
    api_again = count / (time.perf_counter() - started)
    print(f"  登记 services.receive：{direct:,.0f} 件/秒；热线接口新工单 {api_new:,.0f} 件/秒，"
          f"重复推送 {api_again:,.0f} 件/秒（{count} 件）")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000])
    parser.add_argument("--intake", type=int, default=200, help="complaints registered one by one for the rates")
    args = parser.parse_args(argv)
    setup()
    from django.db import connection

    from zhifa.accounts.testing import VerifiedClient
    from zhifa.supervision.problems import evaluate

    load = os.getloadavg()
    print(f"Python {sys.version.split()[0]}；CPU {os.cpu_count()} 核；负载 {load[0]:.1f} / {load[1]:.1f} / "
          f"{load[2]:.1f}；数据库 {connection.vendor}")
    tree, users, hotline, shops = world()
    print("1. 登记速率")
    intake(tree, hotline, args.intake)
    print("2. 列表与问题模型（中位数毫秒 / SQL 条数）")
    have = 0
    for size in sorted(args.sizes):
        fill(tree, shops, size, have)
        have = size
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        line = [f"  {size:>8,} 件："]
        for who in ("supervisor", "officer"):
            client = VerifiedClient()
            client.force_login(users[who])
            for label, url in (("HTML", "/supervision/complaints/"), ("HTML超期", "/supervision/complaints/?overdue=true"),
                               ("API", "/api/supervision/complaints/")):
                ms, queries = timed_get(client, url)
                line.append(f"{who}{label} {ms:.0f}ms/{queries}条")
        print("；".join(line))
        for code in ("COMPLAINT_ACK_OVERDUE", "COMPLAINT_REPLY_OVERDUE", "COMPLAINT_REPEATED_PARTY"):
            result = evaluate(code)
            print(f"    问题模型 {code}：{result.seconds:.2f} 秒，发现 {result.found} 条")
    load = os.getloadavg()
    print(f"  结束时负载 {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")


if __name__ == "__main__":
    main()
