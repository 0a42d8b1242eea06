"""Case list at 10k → 100k → 1M cases (issue #14) — prints numbers, asserts nothing.

    python -m benchmarks.caselist                         # SQLite under var/bench-caselist/
    python -m benchmarks.caselist --pg postgres://…/db    # PostgreSQL (an empty database)

``make bench`` runs it on SQLite, and on PostgreSQL too when ``ZHIFA_BENCH_PG_URL`` names an
empty database.
    python -m benchmarks.caselist --sizes 10000,100000 --repeats 15

For each size it prints, per user (an officer of one agency, a county supervisor over six
agencies, a city supervisor over all of them) and per request kind (the API list, the API
with ``?q=`` for a common word of causes, for one party's name and for one case's number, the
HTML ``/cases/``): median and p95 latency of the whole request, the SQL statements it ran,
median / p95 of the page's own SELECT run raw through the cursor, and the median of all the
request's statements run raw in turn (the p95 printed as a multiple of it); then the same
requests through gunicorn as deployed, over HTTP (``measure_served``; ``--no-served`` leaves it
out); then the growth 100k → 1M of every median.

Cases are inserted by ``INSERT … SELECT`` over a recursive sequence (hundreds of thousands of
rows a second on SQLite, no Python per row), spread over 240 agencies in 40 synthetic
counties (``generate_synthetic``), 2,000 synthetic parties, 53 causes and five years of
registration dates. The party whose name is searched is one more: it is the party of the
officer's agency's cases among the first 10,000 inserted (45 on SQLite; PostgreSQL numbers the
rows of the insert in another order, 50 there), the same cases at every size, as a real party's cases do not
multiply when the province's data grows (each of the 2,000 others has a case in every 2,000,
500 at 1M: their names' trigrams stay as common as they would be among millions of parties). Every column the model has is filled (its default where the case does
not vary), the search text exactly as ``Case.save`` makes it.
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

CAUSES = [
    "未取得食品经营许可从事食品经营活动", "销售超过保质期的食品", "使用未经检定的计量器具", "虚假宣传商品功能",
    "未按规定公示营业执照", "生产不符合安全标准的产品", "无证排放污水", "违规堆放建筑垃圾", "占道经营",
    "擅自改变土地用途", "销售假劣农药", "未按规定建立进货查验记录", "超范围经营", "违法发布医疗广告",
    "拒不改正违法行为", "未落实安全生产责任制", "噪声超标排放", "非法采砂", "未经许可运输危险化学品",
    "擅自砍伐林木", "违规使用农业投入品", "无照经营", "价格欺诈", "销售不合格电线电缆", "违规处置危险废物",
    "油烟超标排放", "未按规定办理排污许可", "违法占用耕地", "违规设置户外广告", "销售未经检疫的肉品",
    "冒用他人厂名厂址", "短斤缺两", "违规销售电子烟", "未配备食品安全管理人员", "使用过期原料生产食品",
    "擅自开挖道路", "违规经营旅游业务", "未按规定标注能效标识", "销售侵犯注册商标专用权的商品", "违规收费",
    "未按规定报送统计资料", "违规饲养犬只", "违规焚烧秸秆", "非法捕捞", "违规销售烟花爆竹", "特种设备未经检验",
    "未按规定进行消防检查", "违规经营网吧", "违法建设", "违规排放扬尘", "出售野生动物制品", "违规停放车辆",
    "校外培训违规收费",
]
STAGES = ["clue", "filed", "investigation", "discretion", "notice", "decision", "execution", "closed"]
COMMON_WORD = "食品"  # in 6 of the 53 causes (about one case in nine)
DAYS = 1826  # registration dates over five years
OPEN_DAYS = 120  # the cases registered in the last this many days are still open (6.6 % at 1M)
SEARCHED_PARTY_AMONG = 10_000  # the searched party's cases: the officer's agency's among the first this many
NUMBERED_CASE = 4480  # case n = 4480 is slot 480, the first agency's (480 % 240 == 0): its number is searched


def setup(pg_url: str | None, db_dir: Path):
    if pg_url:
        os.environ["ZHIFA_DATABASE_URL"] = pg_url
    else:
        os.environ.pop("ZHIFA_DATABASE_URL", None)
        shutil.rmtree(db_dir, ignore_errors=True)
        db_dir.mkdir(parents=True)
        os.environ["ZHIFA_VAR_DIR"] = str(db_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if pg_url and connection.introspection.table_names():
        sys.exit("--pg 须指向一个空数据库（基准测试会写入大量合成数据）。")
    call_command("migrate", verbosity=0)


def prepare_world(counties=40, parties=2000):
    """Synthetic organisations, items, parties; the slot table the insert reads them from."""
    import io

    from django.core.management import call_command
    from django.db import connection

    from zhifa.catalog.models import Item
    from zhifa.orgs.models import Agency
    from zhifa.parties.models import Party

    call_command("generate_synthetic", counties=counties, catalog=counties * 6 * 2, parties=parties + 1,
                 stdout=io.StringIO())
    agencies = list(Agency.objects.filter(region__code__startswith="6299").exclude(kind="supervision")
                    .order_by("pk").values_list("pk", flat=True))
    items = {}
    for item_id, agency_id in Item.objects.filter(agency_id__in=agencies).values_list("pk", "agency_id"):
        items.setdefault(agency_id, item_id)
    fallback = Item.objects.order_by("pk").values_list("pk", flat=True).first()
    party_rows = list(Party.objects.order_by("pk").values_list("pk", "name")[:parties + 1])
    searched = party_rows.pop()  # not in the slots: its cases are set by ``give_searched_party``
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_slot (k integer PRIMARY KEY, agency_id bigint, item_id bigint, "
                       "party_id bigint, party_name text)")
        cursor.execute("CREATE TABLE bench_cause (k integer PRIMARY KEY, cause text, stage text)")
        rows = []
        for k, (party_id, name) in enumerate(party_rows):
            agency_id = agencies[k % len(agencies)]
            rows.append((k, agency_id, items.get(agency_id, fallback), party_id, name))
        cursor.executemany("INSERT INTO bench_slot VALUES (%s, %s, %s, %s, %s)", rows)
        cursor.executemany("INSERT INTO bench_cause VALUES (%s, %s, %s)",
                           [(k, cause, STAGES[k % len(STAGES)]) for k, cause in enumerate(CAUSES)])
    return agencies, len(party_rows), searched


def give_searched_party(party, agency_id, first_cases=SEARCHED_PARTY_AMONG):
    """Make ``party`` the party of ``agency_id``'s cases among the first ``first_cases`` (their
    search text as ``Case.save`` writes it); returns how many."""
    from django.db import connection, transaction

    from zhifa.cases.models import SEARCH_SEPARATOR

    party_id, name = party
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET party_id = %s, search_text = lower(number || %s || cause || %s || %s) "
            "WHERE agency_id = %s AND id <= %s",
            [party_id, SEARCH_SEPARATOR, SEARCH_SEPARATOR, name, agency_id, first_cases],
        )
        return cursor.rowcount


def _insert(columns, exprs, first, last, slots, now):
    from django.db import connection, transaction

    from zhifa.cases.models import SEARCH_SEPARATOR, Case

    values = []
    fields = [field for field in Case._meta.concrete_fields if not field.primary_key]
    for field, expr in zip(fields, exprs, strict=True):
        if field.column == "search_text":
            values += [SEARCH_SEPARATOR, SEARCH_SEPARATOR]
        if expr != "%s":
            continue
        if field.name in ("created_at", "updated_at"):
            value = now
        else:
            value = field.get_default()  # "" for a text field without a default, None where nullable
        values.append(field.get_db_prep_save(value, connection))
    step = 100_000
    for low in range(first, last + 1, step):
        high = min(low + step - 1, last)
        sql = (
            f"WITH RECURSIVE s(n) AS (SELECT {low} UNION ALL SELECT n + 1 FROM s WHERE n < {high}) "
            f"INSERT INTO cases_case ({', '.join(columns)}) "
            f"SELECT {', '.join(exprs)} FROM s "
            f"JOIN bench_slot sl ON sl.k = s.n %% {slots} "
            f"JOIN bench_cause c ON c.k = s.n %% {len(CAUSES)}"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, values)


class Recorder:
    """An execute wrapper keeping the SQL statements of a request."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


def page_statement(statements):
    """The SELECT reading the page's cases (the one with ORDER BY … LIMIT on cases_case)."""
    for sql, params in statements:
        text = sql.upper()
        if 'FROM "CASES_CASE"' in text and "ORDER BY" in text and "LIMIT" in text and "COUNT(" not in text:
            return sql, params
    return None, None


def raw_time(sql, params, repeats):
    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeats):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def raw_time_all(statements, repeats):
    """Every statement of a request run raw, one after another: the request's SQL alone (ms)."""
    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeats):
            started = time.perf_counter()
            for sql, params in statements:
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def request_kinds(party_name, number):
    """(label, address) of every request timed."""
    return [
        ("API 列表", "/api/cases/cases/"),
        (f"API ?q={COMMON_WORD}", f"/api/cases/cases/?q={quote(COMMON_WORD)}"),
        ("API ?q=当事人名称", f"/api/cases/cases/?q={quote(party_name)}"),
        ("API ?q=案号", f"/api/cases/cases/?q={quote(number)}"),
        ("网页 /cases/", "/cases/"),
    ]


def measure(users, party_name, number, repeats):
    """{(who, kind): (median, p95, queries, raw median, raw p95, all statements raw median)} for
    every user and request kind."""
    from django.db import connection

    from zhifa.accounts.testing import VerifiedClient
    from zhifa.core.runtime import settle_web_process

    kinds = request_kinds(party_name, number)
    settle_web_process()  # as a web process does after loading (zhifa.wsgi)
    results = {}
    for who, user in users.items():
        client = VerifiedClient()  # force_login completes the second factor supervisors need
        client.force_login(user)
        for kind, url in kinds:
            response = client.get(url)  # warm
            assert response.status_code == 200, (url, response.status_code)
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
            recorder = Recorder()
            with connection.execute_wrapper(recorder):
                client.get(url)
            sql, params = page_statement(recorder.statements)
            raw = raw_time(sql, params, repeats) if sql else [float("nan")]
            every = raw_time_all(recorder.statements, repeats)
            results[(who, kind)] = (statistics.median(samples), percentile(samples, 0.95), len(recorder.statements),
                                    statistics.median(raw), percentile(raw, 0.95), statistics.median(every))
    return results


def measure_served(users, party_name, number, repeats):
    """{(who, kind): (median, p95)} of the same requests through gunicorn as deployed
    (``deploy/gunicorn.conf.py``: one worker of two threads here), one keep-alive client on
    loopback: what the test client leaves out — the WSGI server, HTTP, and a database connection
    per request unless they persist."""
    import http.client

    from django.conf import settings

    from benchmarks import serving
    from zhifa.accounts.testing import VerifiedClient

    env = {"ZHIFA_VAR_DIR": str(settings.VAR_DIR), "ZHIFA_WEB_WORKERS": "1", "ZHIFA_WEB_THREADS": "2"}
    if os.environ.get("ZHIFA_DATABASE_URL"):
        env["ZHIFA_DATABASE_URL"] = os.environ["ZHIFA_DATABASE_URL"]
    results = {}
    with serving.Server(env, "-c", str(serving.ROOT / "deploy" / "gunicorn.conf.py")) as server:
        for who, user in users.items():
            client = VerifiedClient()
            client.force_login(user)  # a session in the database, read by the server
            headers = {"Cookie": "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())}
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            for kind, url in request_kinds(party_name, number):
                samples = []
                for attempt in range(repeats + 3):  # three to warm
                    started = time.perf_counter()
                    connection.request("GET", url, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    assert response.status == 200, (url, response.status)
                    if attempt >= 3:
                        samples.append((time.perf_counter() - started) * 1000)
                results[(who, kind)] = (statistics.median(samples), percentile(samples, 0.95))
            connection.close()
    return results


def print_results(size, results):
    print(f"  —— {size:,} 件案件 ——")
    print(f"  {'用户':<8}{'请求':<22}{'中位 ms':>9}{'p95 ms':>9}{'查询':>5}{'原始SQL中位':>12}{'原始SQL p95':>12}"
          f"{'全部SQL中位':>12}{'p95/全部SQL':>12}")
    for (who, kind), (median, p95, queries, raw_median, raw_p95, every) in results.items():
        print(f"  {who:<8}{kind:<22}{median:9.1f}{p95:9.1f}{queries:5d}{raw_median:12.2f}{raw_p95:12.2f}"
              f"{every:12.2f}{p95 / every:11.1f}×")


def print_served(results, measured):
    print("  经 gunicorn（deploy/gunicorn.conf.py，HTTP 长连接，单客户端）：")
    print(f"  {'用户':<8}{'请求':<22}{'中位 ms':>9}{'p95 ms':>9}{'p95/全部SQL':>12}")
    for (who, kind), (median, p95) in results.items():
        every = measured[(who, kind)][5]
        print(f"  {who:<8}{kind:<22}{median:9.1f}{p95:9.1f}{p95 / every:11.1f}×")


def explain_page(user):
    from django.db import connection

    from zhifa.cases.models import Case

    sql, params = Case.objects.restrict(user).order_by("-registered_on", "-id")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default="",
                        help="an empty PostgreSQL database (default: SQLite under var/bench-caselist/)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-served", dest="served", action="store_false",
                        help="不经 gunicorn 计时（默认两种都测）")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    setup(args.pg or None, Path(__file__).resolve().parent.parent / "var" / "bench-caselist")

    from django.db import connection

    from zhifa.accounts import roles
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case
    from zhifa.core.management.commands.analyze_db import analyze
    from zhifa.orgs.models import Agency

    load = os.getloadavg()
    print(f"案件列表基准：{connection.vendor}；Python {sys.version.split()[0]}；"
          f"负载 {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    agencies, slots, searched_party = prepare_world()
    agency = Agency.objects.get(pk=agencies[0])
    users = {
        "执法人员": User.objects.create(username="bench_officer", role=roles.OFFICER, agency=agency),
        "县级监督": User.objects.create(username="bench_county", role=roles.SUPERVISOR, region=agency.region),
        "市级监督": User.objects.create(username="bench_city", role=roles.SUPERVISOR, region=agency.region.parent),
    }
    party_name = searched_party[1]
    number = None
    done = 0
    medians, served = {}, {}
    for size in sorted(sizes):
        started = time.perf_counter()
        _insert_range(done + 1, size, slots, max(sizes))
        seconds = time.perf_counter() - started
        if not done:
            party_cases = give_searched_party(searched_party, agencies[0], min(size, SEARCHED_PARTY_AMONG))
            print(f"被检索的当事人“{party_name}”：{party_cases} 件案件（各规模相同）")
        analyzed = analyze()
        if connection.vendor == "postgresql":
            # what autovacuum does after a bulk insert: the GIN indexes' pending lists (every search
            # reads them whole) moved into the index
            with connection.cursor() as cursor:
                cursor.execute("VACUUM cases_case")
        print(f"插入 {size - done:,} 件：{seconds:.1f} 秒（{(size - done) / seconds:,.0f} 件/秒），ANALYZE {analyzed:.1f} 秒")
        done = size
        if number is None:  # one case of the officer's agency, in the first 10,000: one match at every size
            number = f"合成罚〔{2021 + NUMBERED_CASE * 5 // max(sizes)}〕{NUMBERED_CASE}号"
            assert Case.objects.filter(number=number, agency=agency).exists(), number
        results = measure(users, party_name, number, args.repeats)
        print_results(size, results)
        medians[size] = results
        if args.served:
            served[size] = measure_served(users, party_name, number, args.repeats)
            print_served(served[size], results)
        load = os.getloadavg()
        print(f"  负载 {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    for who, user in users.items():
        print(f"  执行计划（{who}，第一页）：{' / '.join(explain_page(user))}")
    if 100_000 in medians and 1_000_000 in medians:
        print("  增长 100,000 → 1,000,000（中位数之比）：")
        for key, (median, *_rest) in medians[1_000_000].items():
            base = medians[100_000][key][0]
            print(f"    {key[0]:<8}{key[1]:<22}{median / base:5.2f}×")
    if 100_000 in served and 1_000_000 in served:
        print("  经 gunicorn 的增长 100,000 → 1,000,000（中位数之比）：")
        for key, (median, _p95) in served[1_000_000].items():
            print(f"    {key[0]:<8}{key[1]:<22}{median / served[100_000][key][0]:5.2f}×")


def _insert_range(first, last, slots, total):
    from django.utils import timezone

    columns, exprs = _columns_and_exprs(total)
    _insert(columns, exprs, first, last, slots, timezone.now())


def _columns_and_exprs(total):
    from django.db import connection

    from zhifa.cases.models import Case

    pg = connection.vendor == "postgresql"

    def day(offset_sql):
        if pg:
            return f"(DATE '2021-01-01' + ({offset_sql})::integer)"
        return f"date('2021-01-01', ({offset_sql}) || ' days')"

    registered = f"((s.n * {DAYS}) / {total})"
    number = f"('合成罚〔' || (2021 + (s.n * 5) / {total}) || '〕' || s.n || '号')"
    # Cases registered before the last OPEN_DAYS of the five years were decided and closed, as a
    # real agency's are; the recent ones are still being handled (none at stage "closed").
    old = f"{registered} < {DAYS - OPEN_DAYS}"

    def if_old(then_sql, else_sql):
        return f"(CASE WHEN {old} THEN {then_sql} ELSE {else_sql} END)"

    special = {
        "number": number,
        "stage": if_old("'closed'", "(CASE WHEN c.stage = 'closed' THEN 'execution' ELSE c.stage END)"),
        "decided_on": if_old(day(f"{registered} + 30 + s.n %% 40"), "NULL"),
        "closed_on": if_old(day(f"{registered} + 50 + s.n %% 40"), "NULL"),
        "next_deadline": if_old("NULL", day(f"{registered} + 90")),
        "agency_id": "sl.agency_id",
        "item_id": "sl.item_id",
        "party_id": "sl.party_id",
        "cause": "c.cause",
        "occurred_on": day(f"{registered} - 3"),
        "registered_on": day(registered),
        "place": "('合成路' || (s.n %% 500) || '号')",
        "search_text": f"lower({number} || %s || c.cause || %s || sl.party_name)",
    }
    columns, exprs = [], []
    for field in Case._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        exprs.append(special.get(field.column, "%s"))
    return columns, exprs


if __name__ == "__main__":
    main()
