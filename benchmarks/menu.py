"""Every page of the main menu for the case-list benchmark's users — prints numbers, asserts nothing.

    python -m benchmarks.caselist --sizes 1000000 --no-served   # builds var/bench-caselist/ first
    python -m benchmarks.menu [--pg postgres://…/db] [--top 12]

Reads the database ``benchmarks.caselist`` left (SQLite under ``var/bench-caselist/``, or the
PostgreSQL database it was given) and, for its officer, county supervisor and city supervisor,
requests the desk, every address of the main menu and the pages the desk's alerts link to
(``LINKED``) through the test client: the second of two
requests is timed, with its SQL statements counted. The slowest pages are printed first. A page
the role may not open answers 403 and is left out.
"""

import argparse
import logging
import os
import sys
import time
from pathlib import Path

USERS = {"执法人员": "bench_officer", "县级监督": "bench_county", "市级监督": "bench_city"}
# pages the desk links to that are not in the menu: the overdue alert's two targets
LINKED = ["/cases/overdue/", "/cases/?overdue=true"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default="", help="the PostgreSQL database benchmarks.caselist filled")
    parser.add_argument("--top", type=int, default=12, help="how many of the slowest pages to print per user")
    args = parser.parse_args(argv)
    if args.pg:
        os.environ["ZHIFA_DATABASE_URL"] = args.pg
    else:
        os.environ.setdefault("ZHIFA_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench-caselist"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifa.accounts.models import User
    from zhifa.accounts.testing import VerifiedClient
    from zhifa.cases.models import Case
    from zhifa.core import navigation
    from zhifa.core.runtime import settle_web_process

    if not User.objects.filter(username__in=USERS.values()).exists():
        sys.exit("先运行 python -m benchmarks.caselist（同一数据库），再运行本基准。")
    settle_web_process()
    load = os.getloadavg()
    print(f"主菜单各页：{connection.vendor}，{Case.objects.count():,} 件案件；负载 {load[0]:.1f}")
    addresses = list(dict.fromkeys(["/", *(url for url in navigation.addresses(navigation.MENU_NAMES) if url),
                                    *LINKED]))
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a role's 403s are expected, not news
    for who, username in USERS.items():
        client = VerifiedClient(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        rows = []
        for url in addresses:
            client.get(url)  # warm
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 403:
                rows.append(((time.perf_counter() - started) * 1000, len(queries), response.status_code, url))
        rows.sort(reverse=True)
        print(f"  {who}（{len(rows)} 页，最慢的 {args.top} 页）：")
        for ms, count, status, url in rows[:args.top]:
            print(f"    {ms:9.1f} ms {count:4d} 条SQL  {status}  {url}")


if __name__ == "__main__":
    main()
