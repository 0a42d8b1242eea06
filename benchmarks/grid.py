"""Grid dispatch benchmark (网格化巡查与指挥调度, COL-3) — print numbers, assert nothing.

    python -m benchmarks.grid                          # 2,000 then 20,000 tasks (as many reports)
    python -m benchmarks.grid --sizes 500 5000
    ZHIFA_DATABASE_URL=postgres://…/db python -m benchmarks.grid

Uses a fresh SQLite database under var/bench-grid/ unless ZHIFA_DATABASE_URL is set (then it must be
empty). At each size prints the median latency and SQL query count of the dispatch board (the command
centre of the county bureau, and a county supervisor), the task list and the report list, and the time
of the ``GRID_TASK_OVERDUE`` problem model — so flatness is visible.
"""

import argparse
import datetime
import statistics
import sys
import time

from benchmarks.fresh import setup_django


def setup():
    setup_django("grid")


def world():
    from zhifa.accounts import roles
    from zhifa.coordination.grid import services
    from zhifa.core.testing import make_user, org_tree

    tree = org_tree()
    users = {"commander": make_user("bench_commander", roles.AGENCY_HEAD, agency=tree.comprehensive),
             "supervisor": make_user("bench_supervisor", roles.SUPERVISOR, region=tree.county),
             "worker": make_user("bench_worker", roles.AUXILIARY, agency=tree.township_office)}
    grids = [services.save_grid(None, actor=users["commander"], township=tree.township, agency=tree.comprehensive,
                                team=tree.township_team, code=f"619921001{n:03d}", name=f"云岭镇第{n}网格",
                                bounds=f"第{n}片区") for n in range(1, 21)]
    return tree, users, grids


def fill(tree, users, grids, total: int, have: int):
    """Bulk tasks and reports up to ``total`` (the past 60 days, every state, some overdue)."""
    from zhifa.coordination.grid import models as m
    from zhifa.core import clock

    now = clock.now()
    statuses = [m.DISPATCHED, m.ACCEPTED, m.ARRIVED, m.REPORTED, m.CLOSED, m.CLOSED, m.CLOSED, m.RETURNED]
    tasks, reports = [], []
    for n in range(have, total):
        grid = grids[n % len(grids)]
        at = now - datetime.timedelta(hours=n % (24 * 60))
        tasks.append(m.DispatchTask(
            number=f"B{n:09d}", grid=grid, agency=tree.comprehensive, township=tree.township, team=tree.township_team,
            kind=m.KIND_CHOICES[n % 4][0], priority=m.PRIORITY_CHOICES[n % 3][0], title=f"巡查任务{n}",
            description="巡查", status=statuses[n % len(statuses)], dispatched_by=users["commander"], dispatched_at=at,
            accept_due_at=at + datetime.timedelta(hours=4), due_at=at + datetime.timedelta(hours=48)))
        reports.append(m.GridReport(
            grid=grid, agency=tree.comprehensive, township=tree.township, team=tree.township_team,
            reporter=users["worker"], category="other", text=f"上报{n}", place="正街", problem_found=n % 4 == 0,
            reported_at=at))
    m.DispatchTask.objects.bulk_create(tasks, batch_size=2000)
    m.GridReport.objects.bulk_create(reports, batch_size=2000)


def timed_get(client, url, repeats=7):
    from django.db import connection

    client.get(url)
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
    assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(seen)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    args = parser.parse_args(argv)
    setup()
    from zhifa.accounts.testing import VerifiedClient
    from zhifa.core import clock
    from zhifa.supervision.problems.registry import CheckContext, get_check

    tree, users, grids = world()
    have = 0
    print(f"{'tasks':>8} {'page':<28} {'ms':>8} {'queries':>8}")
    for size in sorted(args.sizes):
        fill(tree, users, grids, size, have)
        have = size
        for who in ("commander", "supervisor"):
            client = VerifiedClient()
            client.force_login(users[who])
            for label, url in (("board", "/coordination/grid/board/"), ("task list", "/coordination/grid/tasks/"),
                               ("report list", "/coordination/grid/reports/")):
                ms, queries = timed_get(client, url)
                print(f"{size:>8} {who + ' ' + label:<28} {ms:>8.1f} {queries:>8}")
        started = time.perf_counter()
        found = len(list(get_check("GRID_TASK_OVERDUE").func(CheckContext(today=clock.today(), params={}))))
        print(f"{size:>8} {'GRID_TASK_OVERDUE':<28} {(time.perf_counter() - started) * 1000:>8.1f} "
              f"{'(' + str(found) + ' found)':>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
