"""The desk (工作台) benchmark — prints numbers, asserts nothing.

    python -m benchmarks.desk --sizes 2000 20000

Uses a fresh SQLite database under var/bench-desk/ unless ZHIFA_DATABASE_URL is set (then an
empty database). Builds the standard test tree (two counties), an officer with 60 open cases of
their own among ``size`` open cases of their agency and as many in the other county, then at each
size measures, median of repeated runs with the number of SQL queries:

1. ``todos_for`` for the officer, the agency head (approvals) and the county supervisor;
2. the desk page (``GET /``) for the officer and the head;
3. the global search (``GET /workspace/search/?q=``) by case number, party name prefix and
   certificate number;
4. one run of the reminder job over every person (``run_reminders``), then a second run (which
   sends nothing: everything was sent once).
"""

import argparse
import datetime
import os
import shutil
import statistics
import time
from pathlib import Path

REPEAT = 7


def setup(db_dir: Path):
    if "ZHIFA_DATABASE_URL" not in os.environ:
        shutil.rmtree(db_dir, ignore_errors=True)
        db_dir.mkdir(parents=True)
        os.environ["ZHIFA_VAR_DIR"] = str(db_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    os.environ.setdefault("ZHIFA_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def world():
    from zhifa.accounts import roles
    from zhifa.catalog import services as catalog
    from zhifa.core.testing import fields, make_user, org_tree
    from zhifa.parties.models import Party
    from zhifa.people.models import Officer
    from zhifa.people.services import issue_certificate
    from zhifa.workdays.testing import ensure_calendar

    ensure_calendar()
    tree = org_tree()
    f = fields()
    item = catalog.create_item(
        agency=tree.market, code="BENCH-0001", kind="penalty", field=f["SCJG"], valid_from=datetime.date(2019, 1, 1),
        version={"name": "基准事项", "law_name": "《中华人民共和国食品安全法》", "article": 125, "paragraph": 1,
                 "item_no": 2, "basis_text": "基准。", "penalty_basis": "第一百二十五条", "violated_provision": "第七十一条"},
    )
    officer_user = make_user("bench_officer", roles.OFFICER, agency=tree.market)
    head = make_user("bench_head", roles.AGENCY_HEAD, agency=tree.market)
    supervisor = make_user("bench_supervisor", roles.SUPERVISOR, region=tree.county)
    officer = Officer.objects.create(name="基准执法", id_number="610113199003071237", home_agency=tree.market,
                                     user=officer_user)
    other = Officer.objects.create(name="他人执法", id_number="440524198001010013", home_agency=tree.market)
    far = Officer.objects.create(name="外县执法", id_number="11010519491231002X", home_agency=tree.other_market)
    issue_certificate(officer, number="61992120249999", fields=[f["SCJG"]], issuing_authority="秦川市人民政府",
                      issued_on=datetime.date(2026, 1, 10), expires_on=datetime.date(2031, 1, 9))
    parties = {agency.pk: Party.objects.create(kind=Party.LEGAL, name=f"基准商贸{agency.pk}有限公司", region=agency.region,
                                               agency=agency) for agency in (tree.market, tree.other_market)}
    return tree, item, parties, (officer_user, head, supervisor), (officer, other, far)


def add_cases(tree, item, parties, officers, start, count):
    """``count`` open cases in each county; the first 60 overall are the benchmark officer's."""
    from zhifa.cases.models import Case, CaseOfficer

    today = datetime.date.today()
    officer, other, far = officers
    rows, links = [], []
    for n in range(start, start + count):
        for agency, handler in ((tree.market, officer if n < 60 else other), (tree.other_market, far)):
            rows.append((Case(stage="investigation", agency=agency, item=item, party=parties[agency.pk],
                              cause=f"基准案件{n}", occurred_on=today, place="人民路", number=f"BENCH-{agency.pk}-{n}",
                              next_deadline=today + datetime.timedelta(days=n % 40 - 5),
                              next_deadline_label="作出处罚决定"), handler))
    Case.objects.bulk_create([case for case, _ in rows], batch_size=2000)
    for case, handler in rows:
        links.append(CaseOfficer(case=case, officer=handler, role="lead"))
    CaseOfficer.objects.bulk_create(links, batch_size=2000)


def measure(label, func):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            func()
            times.append((time.perf_counter() - started) * 1000)
    print(f"  {label:<44} median {statistics.median(times):8.1f} ms  worst {max(times):8.1f} ms  "
          f"{len(queries):3d} queries")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000], help="open cases per county")
    args = parser.parse_args()
    setup(Path("var/bench-desk"))
    from django.test import Client

    from zhifa.accounts.models import User
    from zhifa.core.audit import acting_as
    from zhifa.workspace import reminders
    from zhifa.workspace.todos import todos_for

    with acting_as(None):
        tree, item, parties, (officer_user, head, supervisor), officers = world()
    clients = {}
    for user in (officer_user, head):
        client = Client()
        client.force_login(user)
        clients[user.username] = client
    done = 0
    for size in args.sizes:
        add_cases(tree, item, parties, officers, done, size - done)
        done = size
        from django.db import connection

        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"\n{size:,} open cases per county ({2 * size:,} in all):")
        for user in (officer_user, head, supervisor):
            user = User.objects.get(pk=user.pk)
            measure(f"todos_for({user.username})", lambda u=user: todos_for(u))
        for name, client in clients.items():
            measure(f"GET / ({name})", lambda c=client: c.get("/"))
        officer_client = clients["bench_officer"]
        for query in (f"BENCH-{tree.market.pk}-17", "基准商贸", "61992120249999"):
            measure(f"GET /workspace/search/?q={query}",
                    lambda q=query, c=officer_client: c.get("/workspace/search/", {"q": q}))
        started = time.perf_counter()
        first = reminders.run_reminders()
        middle = time.perf_counter()
        second = reminders.run_reminders()
        print(f"  run_reminders: first run {middle - started:.1f} s sent {first}, "
              f"second run {time.perf_counter() - middle:.1f} s sent {second}")


if __name__ == "__main__":
    main()
