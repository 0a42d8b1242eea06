"""Problem models over many cases — print numbers, assert nothing.

    ZHIFA_DATABASE_URL=postgres://…/empty_db python -m benchmarks.problem_models --cases 100000,1000000

Generates the synthetic organisation, officers, items and parties (``generate_synthetic``),
then bulk-inserts cases (with two officers each) in a realistic mix of states — some of them
overdue, off the benchmark, decided without notice, fined far from their peers — up to each
size in turn, and at each size times:

1. ``run_all()`` the first time (every model; raising the alerts, with their chained first event);
2. ``run_all()`` again (steady state: nothing new, the scheduled job's usual work);
3. the incremental evaluation after a write to one case (``run_for_cases``), median of 20.

Uses a fresh SQLite database under ``var/bench-problems/`` unless ZHIFA_DATABASE_URL is set.
"""

import argparse
import datetime
import os
import random
import statistics
import time
from decimal import Decimal
from pathlib import Path


def _cases(start: int, count: int, ctx, rng, batch: int = 10000) -> None:
    from zhifa.cases.models import Case, CaseOfficer

    today = datetime.date.today()
    for offset in range(start, start + count, batch):
        rows = []
        for n in range(offset, min(offset + batch, start + count)):
            agency_id = rng.choice(ctx.agency_ids)
            items = ctx.items.get(agency_id) or ctx.any_items
            filed = today - datetime.timedelta(days=rng.randint(1, 700))
            state = rng.random()
            decided = filed + datetime.timedelta(days=rng.randint(5, 80)) if state < 0.75 else None
            if decided and decided > today:
                decided = None
            fine = Decimal(rng.choice((500, 1000, 2000, 5000, 10000, 20000, 50000))) * Decimal(rng.uniform(0.8, 1.2))
            if rng.random() < 0.002:
                fine *= 8  # an outlier
            rows.append(Case(
                number=f"合成立〔{filed.year}〕{n}号", procedure="general",
                stage="closed" if decided and state < 0.6 else "decision" if decided else "investigation",
                agency_id=agency_id, item_id=rng.choice(items), party_id=rng.choice(ctx.party_ids),
                cause="合成案件", occurred_on=filed - datetime.timedelta(days=rng.randint(1, 60)), place="合成地点",
                registered_on=filed - datetime.timedelta(days=2), filed_on=filed, decided_on=decided,
                outcome="penalty" if decided else "", fine_amount=fine.quantize(Decimal("1")) if decided else None,
                served_on=decided + datetime.timedelta(days=2) if decided and rng.random() < 0.97 else None,
                notice_served_on=filed + datetime.timedelta(days=3) if decided and rng.random() < 0.99 else None,
                closed_on=decided + datetime.timedelta(days=20) if decided and state < 0.6 else None,
                executed_on=decided + datetime.timedelta(days=15) if decided and state < 0.59 else None,
                within_benchmark=rng.random() > 0.03 if decided else None, discretion_level="general",
                hearing_right=True,
            ))
        created = Case.objects.bulk_create(rows, batch_size=5000)
        officers = []
        for case in created:
            pool = ctx.officers.get(case.agency_id) or ctx.any_officers
            for officer_id in rng.sample(pool, min(2, len(pool))):
                officers.append(CaseOfficer(case_id=case.pk, officer_id=officer_id, role="assistant"))
        CaseOfficer.objects.bulk_create(officers, batch_size=10000)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default="100000", help="comma-separated sizes, e.g. 100000,1000000")
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--existing", action="store_true",
                        help="keep the cases already in ZHIFA_DATABASE_URL (a previous run's data) and only add "
                             "cases up to each size of --cases (none when it already holds as many)")
    parser.add_argument("--generate-only", action="store_true", help="generate the data, measure nothing")
    parser.add_argument("--copy-fill", action="store_true",
                        help="reach each size by copying the cases already generated (with their officers) inside "
                             "PostgreSQL — the same mix of states, minutes instead of an hour for 1,000,000")
    parser.add_argument("--queries-only", action="store_true",
                        help="time only each model's query over the whole population (what a run costs before "
                             "any alert is written), no alert is raised")
    parser.add_argument("--first-run", action="store_true",
                        help="before measuring, remove the alerts of earlier runs (with their streams and audit "
                             "rows) so that the first evaluation raises them all again")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.cases.split(",")]

    from benchmarks.__main__ import setup

    if args.existing:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
        import django

        django.setup()
    else:
        setup(Path("var/bench-problems"))
    from django.conf import settings
    from django.core.management import call_command

    settings.ZHIFA_PROBLEM_MODELS_INCREMENTAL = False
    from zhifa.cases.models import Case
    from zhifa.catalog.models import Item
    from zhifa.core.audit import acting_as
    from zhifa.parties.models import Party
    from zhifa.people.models import Officer
    from zhifa.supervision import problems
    from zhifa.supervision.models import Alert

    if not args.existing:
        started = time.perf_counter()
        call_command("generate_synthetic", counties=args.counties, people=args.counties * 120, catalog=2000,
                     parties=50000, verbosity=0)
        print(f"合成机构、人员、事项、当事人：{time.perf_counter() - started:.1f} 秒")
    rng = random.Random(args.seed + Case.objects.count())

    class Ctx:
        pass

    ctx = Ctx()
    ctx.officers, ctx.items = {}, {}
    for pk, agency_id in Officer.objects.filter(kind="officer").values_list("pk", "home_agency_id"):
        ctx.officers.setdefault(agency_id, []).append(pk)
    for pk, agency_id in Item.objects.values_list("pk", "agency_id"):
        ctx.items.setdefault(agency_id, []).append(pk)
    ctx.agency_ids = sorted(ctx.officers)
    ctx.any_officers = [pk for pks in ctx.officers.values() for pk in pks]
    ctx.any_items = [pk for pks in ctx.items.values() for pk in pks]
    ctx.party_ids = list(Party.objects.values_list("pk", flat=True)[:50000])
    done = Case.objects.count()
    for size in sizes:
        if size > done:
            started = time.perf_counter()
            if args.copy_fill:
                _copy_cases(done, size)
            else:
                _cases(done, size - done, ctx, rng)
            seconds = time.perf_counter() - started
            print(f"\n== {size:,} 件案件 ==\n生成案件 {size - done:,} 件（含办案人员）：{seconds:.1f} 秒", flush=True)
            done = size
        if args.queries_only:
            _measure_queries(done)
        elif not args.generate_only:
            if args.first_run:
                _forget_alerts()
            _measure(done, problems, Alert, call_command, acting_as)


def _copy_cases(have: int, size: int) -> None:
    """Copy the cases generated so far (and their officers) until there are ``size``: new ids
    are the old ones plus a multiple of the largest id, case numbers get a suffix."""
    from django.db import connection, transaction

    from zhifa.cases.models import Case

    columns = [f.column for f in Case._meta.concrete_fields if f.column != "id"]
    select = ", ".join("c.number || '-' || %(k)s" if col == "number" else f"c.{col}" for col in columns)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM cases_case")
        top = cursor.fetchone()[0]
        k = 1
        while have < size:
            take = min(top, size - have)
            with transaction.atomic():
                cursor.execute(f"INSERT INTO cases_case (id, {', '.join(columns)}) "
                               f"SELECT c.id + %(shift)s, {select} FROM cases_case c WHERE c.id <= %(top)s "
                               f"ORDER BY c.id LIMIT %(take)s", {"k": k, "shift": k * top, "top": top, "take": take})
                cursor.execute("INSERT INTO cases_caseofficer (role, assigned_at, case_id, officer_id) "
                               "SELECT o.role, o.assigned_at, o.case_id + %(shift)s, o.officer_id FROM cases_caseofficer o "
                               "WHERE o.case_id + %(shift)s IN (SELECT id FROM cases_case WHERE id > %(shift)s "
                               "AND id <= %(shift)s + %(top)s)", {"shift": k * top, "top": top})
            have += take
            k += 1
            print(f"  复制至 {have:,} 件", flush=True)
        cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case))")
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_caseofficer")


def _measure_queries(size):
    """Each enabled model's query over the whole population, findings built, nothing written."""
    from zhifa.core import clock
    from zhifa.supervision.models import ProblemModel
    from zhifa.supervision.problems import REGISTRY, effective_runs, sync_models
    from zhifa.supervision.problems.registry import CheckContext

    print(f"\n-- 各模型查询（不写预警）：{size:,} 件案件 --", flush=True)
    sync_models()
    total, found, timings = 0.0, 0, []
    for code, check in REGISTRY.items():
        model = ProblemModel.objects.get(code=code)
        started = time.perf_counter()
        count = 0
        for paths, excluded, params in effective_runs(model, ""):
            ctx = CheckContext(today=clock.today(), params=params, paths=paths, excluded=excluded)
            count += sum(1 for _ in check.func(ctx))
        seconds = time.perf_counter() - started
        total += seconds
        found += count
        timings.append((seconds, code, count))
    print(f"全部{len(timings)}个模型的查询：{total:.1f} 秒，发现 {found:,}")
    print("  最慢模型：" + "；".join(f"{code} {s:.1f}s（{n:,}）" for s, code, n in sorted(timings, reverse=True)[:6]),
          flush=True)


def _forget_alerts():
    """Remove every alert with its stream, events and audit rows (benchmark data only: the
    record's append-only triggers are bypassed for this transaction, PostgreSQL only)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM records_event WHERE stream_id IN "
                       "(SELECT id FROM records_stream WHERE key LIKE 'alert:%%')")
        cursor.execute("DELETE FROM records_stream WHERE key LIKE 'alert:%%'")
        cursor.execute("DELETE FROM core_changelog WHERE content_type_id = "
                       "(SELECT id FROM django_content_type WHERE app_label = 'supervision' AND model = 'alert')")
        cursor.execute("DELETE FROM supervision_alert")


def _measure(size, problems, Alert, call_command, acting_as):
    """Time the full evaluation twice and the incremental one, at the current data size."""
    if True:
        print(f"\n-- 评估 {size:,} 件案件 --")
        call_command("analyze_db") if "analyze_db" in _commands() else None
        with acting_as(None):
            for label in ("首次全量评估（生成预警）", "再次全量评估（稳定状态）"):
                print(f"  {_load()}", flush=True)
                started, cpu, server = time.perf_counter(), time.process_time(), _server_cpu()
                results = problems.run_all()
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                server = _server_cpu() - server if server is not None else None
                print(f"{label}：{seconds:.1f} 秒；发现 {sum(r.found for r in results):,}，新预警 "
                      f"{sum(r.raised for r in results):,}，自动办结 {sum(r.closed for r in results):,}")
                print(f"  CPU：本进程 {cpu:.1f} 秒" + (f"，数据库服务进程 {server:.1f} 秒" if server is not None else "")
                      + f"；{_load()}", flush=True)
                slow = sorted(results, key=lambda r: -r.seconds)[:5]
                print("  最慢模型：" + "；".join(f"{r.code} {r.seconds:.1f}s" for r in slow))
                _verify_sample(Alert)
            from zhifa.cases.models import Case

            ids = list(Case.objects.order_by("?").values_list("pk", flat=True)[:20])
            times = []
            for pk in ids:
                started = time.perf_counter()
                problems.run_for_cases([pk], "cases.Case")
                times.append(time.perf_counter() - started)
            print(f"单案写入后的即时复算（{len(problems.checks_triggered_by('cases.Case'))}个模型）：中位数 "
                  f"{statistics.median(times) * 1000:.0f} 毫秒，最长 {max(times) * 1000:.0f} 毫秒")
        print(f"未办结预警：{Alert.objects.filter(is_open=True).count():,}")


def _load() -> str:
    """The load average as ``uptime`` prints it (the machine is shared)."""
    one, five, fifteen = os.getloadavg()
    return f"负载 {one:.2f} {five:.2f} {fifteen:.2f}"


def _server_cpu():
    """CPU seconds used so far by this connection's PostgreSQL backend (``/proc``: the server on
    this machine), or None when it cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _verify_sample(Alert, count: int = 200) -> None:
    """Verify the hash-chained streams of a random sample of alerts, and the audit chain's head."""
    from zhifa.records.services import verify_stream

    keys = [f"alert:{pk}" for pk in Alert.objects.order_by("?").values_list("pk", flat=True)[:count]]
    started = time.perf_counter()
    failed = [key for key in keys if not verify_stream(key).ok]
    print(f"  抽样核验预警记录链 {len(keys)} 条：{'全部通过' if not failed else '失败 ' + '、'.join(failed[:5])}"
          f"（{time.perf_counter() - started:.1f} 秒）", flush=True)


def _commands():
    from django.core.management import get_commands

    return get_commands()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    main()
