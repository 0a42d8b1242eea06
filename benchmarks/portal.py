"""Portal benchmark — print numbers, assert nothing.

    python -m benchmarks.portal                          # 1,000,000 publications (builds once, ~15 min)
    python -m benchmarks.portal --publications 100000 --duration 5
    python -m benchmarks.portal --skip-http              # search latency only

Builds (or reuses, keyed by size and token format) SQLite databases under
var/bench-portal/<size>-f<FORMAT>/ holding
generated publications across a synthetic organisation tree (20 counties, 120 agencies);
while building the largest, copies are kept at 10,000 and 100,000 rows. Measures:

1. search latency — the portal's first page (21 rows fetched, as ``public_list`` does) for a
   fixed set of 1–3 word queries through ``public_search``, without and with filters (agency,
   kind + dates, amount range, all together), median and p95 at each size; the same ORM
   filters without the index's filter terms, and the list without a query, for comparison;
   the query plans; on PostgreSQL too when ``ZHIFA_BENCH_PG_URL`` is set (an
   empty database; the rows are copied from the largest SQLite database);
2. requests per second through gunicorn (2 workers, production settings: ``ZHIFA_DEBUG``
   unset, rate limit off) on a free loopback port for ``/healthz`` (the minimal Django view),
   a public decision page, the same with the portal cache off
   (``ZHIFA_PUBLIC_CACHE_SECONDS=0``), and the search page, from a small threaded
   keep-alive client on the same machine for a fixed duration.
"""

import argparse
import http.client
import os
import random
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import serving
from benchmarks.serving import get

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench-portal"
CHECKPOINTS = (10_000, 100_000, 1_000_000)
COUNTIES = 20

# 1–3 word queries, from very common to rare (a party brand, a rare good).
QUERIES = [
    "罚款", "食品安全", "无证经营", "化妆品", "超过保质期 食品", "消防通道", "虚假广告", "婴幼儿配方乳粉",
    "燃气灶具 安全", "计量器具 检定", "秦川 粮油", "未取得 食品经营许可 猪肉", "危险化学品经营许可", "电动自行车 不合格",
    "重大安全隐患 整改", "耕地 仓库",
]


def filter_sets(agency_id, today):
    """The portal's filter forms (cleaned data of ``PublicSearchForm``) that are timed."""
    import datetime
    from decimal import Decimal

    year_ago = today - datetime.timedelta(days=365)
    amounts = {"min_amount": Decimal(1000), "max_amount": Decimal(10000)}
    return [
        ("无筛选", {}),
        ("机关", {"agency": agency_id}),
        ("类别+近一年", {"kind": "penalty", "since": year_ago, "until": today}),
        ("罚款1千–1万", amounts),
        ("全部筛选", {"agency": agency_id, "kind": "penalty", "since": year_ago, **amounts}),
    ]


# --- building the databases -------------------------------------------------------------

def bench_dir(size: int) -> Path:
    """The cache of one size, keyed by the token format too (a new format means a new build)."""
    from benchmarks.publications import FORMAT

    return BENCH_DIR / f"{size}-f{FORMAT}"


def db_path(size: int) -> Path:
    return bench_dir(size) / "zhifa.sqlite3"


def complete(size: int) -> bool:
    return (bench_dir(size) / "complete").exists()


def setup_django(size: int):
    os.environ.pop("ZHIFA_DATABASE_URL", None)
    os.environ["ZHIFA_VAR_DIR"] = str(bench_dir(size))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()


def build(size: int) -> None:
    """The database of ``size`` publications, with copies at the smaller checkpoints."""
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import publications
    from zhifa.core.management.commands.analyze_db import analyze
    from zhifa.core.management.commands.generate_synthetic import synthetic_orgs
    from zhifa.orgs.models import Agency

    print(f"生成数据库 {db_path(size)}")
    call_command("migrate", verbosity=0)
    synthetic_orgs(COUNTIES, random.Random(7))
    agencies = list(Agency.objects.filter(region__code__startswith="6299").order_by("pk"))
    started = time.perf_counter()
    done = 0
    for target in [c for c in CHECKPOINTS if c < size] + [size]:
        done += publications.generate(agencies, target - done, start=done)
        analyze()
        if target < size and not complete(target):
            copy = db_path(target)
            shutil.rmtree(copy.parent, ignore_errors=True)
            copy.parent.mkdir(parents=True)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(copy)])
            if (bench_dir(size) / "secret_key").exists():
                shutil.copy(bench_dir(size) / "secret_key", copy.parent / "secret_key")
            (copy.parent / "complete").write_text(str(target))
            print(f"  已保存 {target:,} 条的副本：{copy}")
    seconds = time.perf_counter() - started
    same = publications.check_tokens(50)
    print(f"  共 {size:,} 条，{seconds:.0f} 秒（{size / seconds:,.0f} 条/秒）；抽查 50 条分词与 tokens_for 一致：{same} 条")
    size_mb = db_path(size).stat().st_size / 1e6
    print(f"  数据库文件 {size_mb:,.0f} MB")
    (bench_dir(size) / "complete").write_text(str(size))


def ensure_databases(size: int) -> None:
    if complete(size):
        print(f"复用已有数据库 {db_path(size)}")
        return
    for suffix in ("", "-wal", "-shm"):  # an unfinished build (the secret key stays)
        Path(str(db_path(size)) + suffix).unlink(missing_ok=True)
    build(size)


def add_alias(alias: str, settings_dict: dict) -> None:
    from django.db import connections

    connections.settings[alias] = {**connections.settings["default"], **settings_dict}


# --- search latency -----------------------------------------------------------------------

def with_terms(queryset, data, text):
    """What the portal and the API run: ``public_search`` (ORM filters + filter terms)."""
    from zhifa.publicity.filters import public_search

    return public_search(queryset, {**data, "q": text})


def without_terms(queryset, data, text):
    """For comparison: the same ORM filters, the search without filter terms (as before)."""
    from zhifa.publicity import search
    from zhifa.publicity.filters import public_search

    return search.search(public_search(queryset, data), text)


def first_page(queryset):
    """What ``public_list`` fetches: 21 rows with their agency, the columns it shows."""
    from zhifa.publicity.views import PUBLIC_LIST_FIELDS

    return list(queryset.select_related("agency").only(*PUBLIC_LIST_FIELDS)[:21])


def time_search(alias: str, strategy, repeats: int = 3, queries=None):
    """{filter label: [ms, …]} and {query: (ms median, matches)} on one database;
    ``strategy(queryset, filter data, text)``."""
    from zhifa.core import clock
    from zhifa.orgs.models import Agency
    from zhifa.publicity.models import Publication

    agency_id = Agency.objects.using(alias).filter(region__code__startswith="6299").order_by("pk").values_list(
        "pk", flat=True).first()
    by_filter, by_query = {}, {}
    for label, filters in filter_sets(agency_id, clock.today()):
        samples = []
        for text in QUERIES if queries is None else queries:
            first_page(strategy(Publication.objects.using(alias).public(), filters, text))  # warm
            runs = []
            for _ in range(repeats):  # what a request runs: the search (built anew) and its first page
                started = time.perf_counter()
                first_page(strategy(Publication.objects.using(alias).public(), filters, text))
                runs.append((time.perf_counter() - started) * 1000)
            samples.extend(runs)
            if label == "无筛选":
                by_query[text] = statistics.median(runs)
        by_filter[label] = samples
    return by_filter, by_query


def p95(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(len(ordered) * 0.95)) - 1)]


def match_counts(alias: str) -> dict:
    from zhifa.publicity import search
    from zhifa.publicity.models import Publication

    return {text: search.search(Publication.objects.using(alias).filter(status="published"), text, window=0)
            .order_by().count() for text in QUERIES}


def print_search_table(title, results, sizes, runs=None):
    runs = runs or f"每个查询 {len(QUERIES)} 条 × 3 次"
    print(f"  {title}（首页 21 行，{runs}；毫秒，中位 / p95）")
    print("  " + f"{'筛选':<12}" + "".join(f"{f'{s:,} 条':>22}" for s in sizes))
    labels = list(next(iter(results.values()))[0])
    for label in labels:
        cells = "".join(
            f"{statistics.median(results[s][0][label]):>12.1f} / {p95(results[s][0][label]):>6.1f}" for s in sizes)
        print(f"  {label:<12}{cells}")


def query_plan(alias: str, data: dict, text: str) -> list[str]:
    from django.db import connections

    from zhifa.publicity.filters import public_search
    from zhifa.publicity.models import Publication

    qs = public_search(Publication.objects.using(alias).public(), {**data, "q": text} if text else data)
    sql, params = qs.select_related("agency")[:21].query.sql_with_params()
    with connections[alias].cursor() as cursor:
        if connections[alias].vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def list_without_query(queryset, data, text):
    """The portal's list without a query (``public_search`` without ``q``): newest first."""
    from zhifa.publicity.filters import public_search

    return public_search(queryset, data)


def plans(alias: str) -> None:
    from zhifa.orgs.models import Agency

    agency_id = Agency.objects.using(alias).filter(region__code__startswith="6299").order_by("pk").values_list(
        "pk", flat=True).first()
    for title, data, text in [("食品安全 猪肉，机关+类别", {"agency": agency_id, "kind": "penalty"}, "食品安全 猪肉"),
                              ("无检索词，机关", {"agency": agency_id}, "")]:
        print(f"  执行计划（{title}）：")
        for line in query_plan(alias, data, text):
            print(f"    {line}")


def bench_search(sizes):
    from zhifa.publicity import search

    print("1. 全文检索延迟（SQLite FTS5）")
    results = {s: time_search(f"s{s}", with_terms) for s in sizes}
    print_search_table(f"public_search()：筛选条件亦作索引词，在最新 {search.SEARCH_WINDOW} 条命中内按相关度再按最新",
                       results, sizes)
    other = {s: time_search(f"s{s}", without_terms) for s in sizes}
    print_search_table("对照：同样的 ORM 筛选，检索不带筛选索引词", other, sizes)
    listed = {s: time_search(f"s{s}", list_without_query, repeats=10, queries=[""]) for s in sizes}
    print_search_table("无检索词的列表（按最新）", listed, sizes, runs="10 次")
    largest = sizes[-1]
    counts = match_counts(f"s{largest}")
    print(f"  各查询（无筛选）的中位延迟，及 {largest:,} 条中已公示的命中数：")
    for text in QUERIES:
        cells = "".join(f"{results[s][1][text]:>9.1f}" for s in sizes)
        print(f"    {text:<16}{cells} ms   命中 {counts[text]:>9,}")
    plans(f"s{largest}")
    return results, counts


def bench_search_postgres(url: str, size: int):
    """Copy the rows of the largest SQLite database into an empty PostgreSQL and time search."""
    import dj_database_url
    from django.core.management import call_command
    from django.db import connections

    from zhifa.accounts.models import User  # noqa: F401  (models loaded)
    from zhifa.orgs.models import Agency, Region
    from zhifa.publicity.models import Publication

    print(f"1b. PostgreSQL 全文检索（{size:,} 条，自 SQLite 复制）")
    add_alias("pg", {"OPTIONS": {}, "CONN_MAX_AGE": 0, **dj_database_url.parse(url)})
    call_command("migrate", database="pg", verbosity=0)
    source = f"s{size}"
    if not Publication.objects.using("pg").exists():
        started = time.perf_counter()
        for model in (Region, Agency):
            rows = list(model.objects.using(source).order_by("pk"))
            for r in rows:
                r._state.db = None
            if model is Region:  # parents first
                rows.sort(key=lambda r: len(r.code))
            model.objects.using("pg").bulk_create(rows, batch_size=1000)
        last = 0
        while True:
            batch = list(Publication.objects.using(source).filter(pk__gt=last).order_by("pk")[:5000])
            if not batch:
                break
            last = batch[-1].pk
            Publication.objects.using("pg").bulk_create(batch)
        with connections["pg"].cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"  复制 {time.perf_counter() - started:.0f} 秒")
    by_filter, _ = time_search("pg", with_terms)
    print("  " + "；".join(f"{label} {statistics.median(v):.1f} / {p95(v):.1f} ms" for label, v in by_filter.items()))
    listed, _ = time_search("pg", list_without_query, repeats=10, queries=[""])
    print("  无检索词的列表：" + "；".join(
        f"{label} {statistics.median(v):.1f} / {p95(v):.1f} ms" for label, v in listed.items()))
    plans("pg")
    return by_filter


# --- HTTP throughput ------------------------------------------------------------------------

def portal_server(size: int, **env) -> serving.Server:
    """gunicorn with 2 workers on the benchmark database, production settings."""
    return serving.Server({"ZHIFA_VAR_DIR": str(bench_dir(size)), "ZHIFA_PUBLIC_RATE_LIMIT": "0", **env},
                          "--workers", "2")


def load(port: int, paths: list[str], seconds: float, threads: int) -> dict:
    """Requests per second with ``threads`` keep-alive clients for ``seconds``."""
    stop_at = time.perf_counter() + seconds
    counts, statuses, latencies, lock = [0] * threads, {}, [], threading.Lock()

    def worker(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i, mine = n, []
        while time.perf_counter() < stop_at:
            path = paths[i % len(paths)]
            i += threads
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Connection": "keep-alive"})
                response = conn.getresponse()
                response.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
            counts[n] += 1
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    total = sum(counts)
    return {"rps": total / elapsed, "requests": total, "statuses": statuses,
            "median_ms": statistics.median(latencies) * 1000 if latencies else 0.0}


def bench_http(size: int, seconds: float, threads: int):
    from zhifa.publicity.models import Publication

    alias = f"s{size}"
    ids = list(Publication.objects.using(alias).public().filter(status="published").order_by("-pk")
               .values_list("pk", flat=True)[:200])
    decision = f"/public/decisions/{ids[0]}/"
    searches = [f"/public/decisions/?{urlencode({'q': q})}" for q in QUERIES]
    many = [f"/public/decisions/{pk}/" for pk in ids]
    status, body = get_once(size, decision)
    note = "（注意：决定页返回空内容）" if not body.strip() else f"（{len(body):,} 字节）"
    print(f"2. 每秒请求数（gunicorn 2 个同步 worker，生产设置，共用文件缓存，限流关闭；客户端 {threads} 线程同机，"
          f"每项 {seconds:g} 秒；{size:,} 条公示）")
    print(f"  决定页 {decision} 状态 {status} {note}")
    cases = []
    # The two workers share one cache, as docs/portal.md asks of any deployment with more than one
    # web process (a per-process locmem cache makes each worker render and hold its own copy).
    cache_dir = bench_dir(size) / "http-cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    server = portal_server(size, ZHIFA_CACHE_URL=f"file://{cache_dir}")
    try:
        warm_up(server.port, decision, searches[0])
        cases.append(("/healthz（最小 Django 视图）", "/healthz", load(server.port, ["/healthz"], seconds, threads)))
        cases.append(("决定页（门户缓存开）", decision, load(server.port, [decision], seconds, threads)))
        started = time.perf_counter()
        for path in many:  # the first pass renders and stores each page once
            get(server.port, path)
        cold = len(many) / (time.perf_counter() - started)
        print(f"  {len(many)} 个决定页首轮（逐个渲染并写入缓存，单客户端）：{cold:,.1f} 页/秒")
        cases.append((f"{len(many)} 个决定页轮换（缓存开）", "", load(server.port, many, seconds, threads)))
        cases.append(("检索页（缓存开，16 个查询轮换）", "", load(server.port, searches, seconds, threads)))
    finally:
        server.stop()
    server = portal_server(size, ZHIFA_PUBLIC_CACHE_SECONDS="0")
    try:
        warm_up(server.port, decision, searches[0])
        cases.append(("决定页（缓存关）", decision, load(server.port, [decision], seconds, threads)))
        cases.append((f"{len(many)} 个决定页轮换（缓存关）", "", load(server.port, many, seconds, threads)))
        cases.append(("检索页（缓存关，16 个查询轮换）", "", load(server.port, searches, seconds, threads)))
    finally:
        server.stop()
    print(f"  {'请求':<30}{'请求/秒':>10}{'中位延迟':>12}   状态")
    for label, _, result in cases:
        print(f"  {label:<30}{result['rps']:>10,.0f}{result['median_ms']:>10.1f} ms   {result['statuses']}")
    healthz = cases[0][2]["rps"]
    turns = [(label, result["rps"]) for label, _, result in cases if "决定页轮换" in label]
    print("  " + "；".join(f"{label} / healthz = {rps / healthz:.2f}" for label, rps in turns))
    return cases


def profile_page(size: int, requests: int = 200):
    """In this process, without HTTP: median time of ``/healthz`` and of decision pages through
    Django's test client (portal cache on and off), the SQL of one uncached page, and cProfile's
    most expensive functions over 100 uncached pages — what a decision page costs beside
    ``/healthz`` once the server and the client are out of the picture."""
    import cProfile
    import io
    import pstats

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from zhifa.publicity.models import Publication

    ids = list(Publication.objects.public().filter(status="published").order_by("-pk")
               .values_list("pk", flat=True)[:200])
    pages = [f"/public/decisions/{pk}/" for pk in ids]
    client = Client()

    def median_ms(paths):
        samples = []
        for i in range(requests):
            started = time.perf_counter()
            response = client.get(paths[i % len(paths)])
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (paths[i % len(paths)], response.status_code)
        return statistics.median(samples)

    print(f"3. 决定页的开销（本进程内，Django 测试客户端，无 HTTP；各 {requests} 次的中位数）")
    with override_settings(ALLOWED_HOSTS=["*"], ZHIFA_PUBLIC_RATE_LIMIT="0"):
        client.get("/healthz")
        healthz = median_ms(["/healthz"])
        rows = [("/healthz", healthz)]
        with override_settings(ZHIFA_PUBLIC_CACHE_SECONDS=0):
            client.get(pages[0])
            rows.append(("决定页（缓存关）", median_ms(pages[:1])))
            rows.append((f"{len(pages)} 个决定页轮换（缓存关）", median_ms(pages)))
        cache.clear()
        rows.append((f"{len(pages)} 个决定页轮换（缓存开，首轮未命中）", median_ms(pages)))
        rows.append((f"{len(pages)} 个决定页轮换（缓存开，已缓存）", median_ms(pages)))
        for label, ms in rows:
            print(f"  {label:<34}{ms:8.2f} ms   / healthz {healthz / ms:5.2f}")
        cache_options = settings.CACHES["default"]
        print(f"  缓存：{cache_options['BACKEND'].rsplit('.', 1)[-1]}，最多 "
              f"{cache_options.get('OPTIONS', {}).get('MAX_ENTRIES', 300):,} 项")
        with override_settings(ZHIFA_PUBLIC_CACHE_SECONDS=0):
            with CaptureQueriesContext(connections["default"]) as captured:
                client.get(pages[1])
            print(f"  一个未缓存决定页的 SQL：{len(captured.captured_queries)} 条")
            profiler = cProfile.Profile()
            profiler.enable()
            for page in pages[:100]:
                client.get(page)
            profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        print("  cProfile（100 个未缓存决定页，按累计时间）：")
        print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


def warm_up(port: int, *paths: str, rounds: int = 4) -> None:
    """A few untimed requests of each kind, so that every worker has imported the portal's views
    and compiled its templates before the clock runs: at load 18 a worker's first decision page
    took over 5 s, and a 5-second run of one page measured little else."""
    for _ in range(rounds):
        for path in paths:
            get(port, path)


def get_once(size: int, path: str):
    server = portal_server(size)
    try:
        return get(server.port, path)
    finally:
        server.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--publications", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per HTTP measurement")
    parser.add_argument("--threads", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--pg-publications", type=int, default=0,
                        help="with ZHIFA_BENCH_PG_URL: copy this many (10000/100000/…; default all) to PostgreSQL")
    parser.add_argument("--pg-only", action="store_true", help="only the PostgreSQL search timing")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the decision page in this process (no HTTP): medians, SQL, cProfile")
    args = parser.parse_args(argv)
    size = args.publications
    bench_dir(size).mkdir(parents=True, exist_ok=True)
    setup_django(size)
    import sqlite3

    print(f"Python {sys.version.split()[0]}；SQLite {sqlite3.sqlite_version}；CPU {os.cpu_count()} 核")
    ensure_databases(size)
    sizes = [c for c in CHECKPOINTS if c < size and complete(c)] + [size]
    from django.core.management import call_command
    from django.db import connections

    from zhifa.core import fts

    for s in sizes:
        add_alias(f"s{s}", {"NAME": str(db_path(s))})
        call_command("migrate", database=f"s{s}", verbosity=0)  # cached databases get new indexes
        fts.merge_all_segments(connections[f"s{s}"])  # as the nightly analyze_db leaves the indexes
    if not args.skip_search:
        if not args.pg_only:
            bench_search(sizes)
        if os.environ.get("ZHIFA_BENCH_PG_URL"):
            pg_size = args.pg_publications or size
            bench_search_postgres(os.environ["ZHIFA_BENCH_PG_URL"], pg_size if pg_size in sizes else size)
    if not args.skip_http:
        bench_http(size, args.duration, args.threads)
    if args.profile:
        profile_page(size)


if __name__ == "__main__":
    main()
