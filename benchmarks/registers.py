"""Officer, party and item lists at 10k → 100k rows (issue #14) — prints numbers, asserts nothing.

    python -m benchmarks.registers                         # SQLite under var/bench-registers/
    python -m benchmarks.registers --pg postgres://…/db    # PostgreSQL (an empty database)
    python -m benchmarks.registers --sizes 10000,100000 --party-sizes 10000,100000,1000000

For each size it prints, per user (an officer of one agency, a county supervisor, a city
supervisor) and per list (officers, parties, items) and request kind (the API list, the API with
``?q=`` of a common word, ``?q=`` of one rare full name, the HTML list): median and p95 latency
of the whole request, its SQL statements, and median / p95 of the page's own SELECT run raw;
then the growth of every median from the first size to the last.

Rows are cloned by ``INSERT … SELECT`` over a recursive sequence from a few thousand rows made by
``generate_synthetic`` (whose identity and phone numbers are really encrypted, so a cloned row
decrypts like a real one; a clone's identity-number blind index is set to ``'bench' || n`` so the
unique index holds, and its phone index is left empty, so clones are not found by those lookups). Names are
built from pools: officers of a surname and two given characters (9 million combinations), parties
of a place, a trade word and a company form, items of an action and an object; posts from twelve.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

from benchmarks.caselist import Recorder, percentile, raw_time, setup

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国志红玉兰文斌辉鹏飞宇浩然子轩涵博睿思雨欣怡晨梓萱佳琪")
POSTS = ["执法队员", "执法中队长", "执法大队长", "法制审核员", "综合科科员", "稽查科科长", "副局长", "执法辅助人员",
         "监督科科员", "执法支队长", "办公室主任", "执法科科员"]
PLACES = ["长安", "未央", "雁塔", "碑林", "莲湖", "灞桥", "临潼", "阎良", "高陵", "鄠邑", "蓝田", "周至", "新城", "曲江",
          "浐灞", "沣东", "航天", "高新", "经开", "港务"]
TRADES = ["食品", "餐饮", "建材", "五金", "医药", "电子", "服装", "物流", "农资", "汽修", "美容", "印刷", "化工", "家具",
          "茶叶", "粮油", "水产", "烟酒", "文具", "通讯"]
FORMS = ["商贸有限公司", "有限责任公司", "经营部", "门市部", "个体工商户", "专业合作社", "连锁店", "批发部", "加工厂", "服务中心"]
ACTIONS = ["对未取得许可", "对违反规定", "对拒不改正", "对擅自", "对超标准", "对未按规定"]
OBJECTS = ["生产经营食品的行政处罚", "排放污染物的行政处罚", "使用计量器具的行政处罚", "设置广告的行政处罚",
           "占用道路的行政处罚", "运输危险货物的行政检查", "销售农药的行政强制", "收费行为的行政处罚"]

COMMON = {"officers": "执法", "parties": "食品", "items": "行政处罚"}


def prepare_world(counties=40):
    """Synthetic organisation, templates (2,000 officers and parties, 480 items) and pools."""
    import io

    from django.core.management import call_command
    from django.db import connection

    from zhifa.orgs.models import Agency

    call_command("generate_synthetic", counties=counties, people=2000, catalog=counties * 12, parties=2000,
                 stdout=io.StringIO())
    agencies = list(Agency.objects.filter(region__code__startswith="6299").exclude(kind="supervision")
                    .order_by("pk").values_list("pk", "region_id", "region__path"))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_reg_slot (k integer PRIMARY KEY, agency_id bigint, region_id bigint, "
                       "region_path text)")
        cursor.executemany("INSERT INTO bench_reg_slot VALUES (%s, %s, %s, %s)",
                           [(k, a, r, p) for k, (a, r, p) in enumerate(agencies)])
        for table, pool in (("bench_sur", SURNAMES), ("bench_giv", GIVEN), ("bench_post", POSTS),
                            ("bench_place", PLACES), ("bench_trade", TRADES), ("bench_form", FORMS),
                            ("bench_action", ACTIONS), ("bench_object", OBJECTS)):
            cursor.execute(f"CREATE TABLE {table} (k integer PRIMARY KEY, v text)")
            cursor.executemany(f"INSERT INTO {table} VALUES (%s, %s)", list(enumerate(pool)))
        for table, model_table in (("bench_t_officer", "people_officer"), ("bench_t_party", "parties_party"),
                                   ("bench_t_item", "catalog_item")):
            cursor.execute(f"CREATE TABLE {table} (k integer PRIMARY KEY, id bigint)")
            cursor.execute(f"SELECT id FROM {model_table} ORDER BY id")
            ids = [row[0] for row in cursor.fetchall()]
            cursor.executemany(f"INSERT INTO {table} VALUES (%s, %s)", list(enumerate(ids)))
    return agencies


def _count(table):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def clone(model, first, last, overrides, joins):
    """Insert rows ``first``…``last`` of ``model``, each copying a template row (``t``) but for
    ``overrides`` (column → SQL expression over ``s.n`` and the pools ``joins`` bring in)."""
    from django.db import connection, transaction

    table = model._meta.db_table
    template_table = {"people_officer": "bench_t_officer", "parties_party": "bench_t_party",
                      "catalog_item": "bench_t_item"}[table]
    templates = _count(template_table)
    columns, exprs = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        exprs.append(overrides.get(field.column, f"t.{connection.ops.quote_name(field.column)}"))
    step = 50_000
    for low in range(first, last + 1, step):
        high = min(low + step - 1, last)
        sql = (
            f"WITH RECURSIVE s(n) AS (SELECT {low} UNION ALL SELECT n + 1 FROM s WHERE n < {high}) "
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} FROM s "
            f"JOIN {template_table} tt ON tt.k = s.n % {templates} JOIN {table} t ON t.id = tt.id "
            f"JOIN bench_reg_slot sl ON sl.k = s.n % (SELECT COUNT(*) FROM bench_reg_slot) {joins}"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def grow(kind, first, last):
    from zhifa.catalog.models import Item
    from zhifa.parties.models import Party
    from zhifa.people.models import Officer

    if kind == "officers":
        clone(Officer, first, last, {
            "name": "(su.v || g1.v || g2.v)", "post": "po.v", "home_agency_id": "sl.agency_id", "unit_id": "NULL",
            "dispatched_to_id": "NULL", "user_id": "NULL", "id_number_index": "('bench' || s.n)",
            "phone_index": "''",
        }, "JOIN bench_sur su ON su.k = s.n % 100 JOIN bench_giv g1 ON g1.k = (s.n / 100) % 48 "
           "JOIN bench_giv g2 ON g2.k = (s.n / 4800) % 48 JOIN bench_post po ON po.k = (s.n / 7) % 12")
    elif kind == "parties":
        clone(Party, first, last, {
            "name": "(pl.v || tr.v || (s.n / 400) || fo.v)", "region_id": "sl.region_id",
            "region_path": "sl.region_path", "agency_id": "sl.agency_id",
            "credit_code": "CASE WHEN t.credit_code = '' THEN '' ELSE ('B' || (10000000000000000 + s.n)) END",
            "id_number_index": "CASE WHEN t.id_number_index = '' THEN '' ELSE ('bench' || s.n) END",
            "phone_index": "''",
        }, "JOIN bench_place pl ON pl.k = s.n % 20 JOIN bench_trade tr ON tr.k = (s.n / 20) % 20 "
           "JOIN bench_form fo ON fo.k = (s.n / 3) % 10")
    else:
        clone(Item, first, last, {
            "agency_id": "sl.agency_id", "code": "('BENCH-' || s.n)", "name": "(ac.v || ob.v || '（' || s.n || '）')",
        }, "JOIN bench_action ac ON ac.k = s.n % 6 JOIN bench_object ob ON ob.k = (s.n / 6) % 8")


LISTS = {
    "officers": ("people_officer", "/api/people/officers/", "/people/officers/"),
    "parties": ("parties_party", "/api/parties/parties/", "/parties/"),
    "items": ("catalog_item", "/api/catalog/items/", "/catalog/items/"),
}


def page_statement(statements, table):
    for sql, params in statements:
        text = sql.upper()
        if f'FROM "{table.upper()}"' in text and "ORDER BY" in text and "LIMIT" in text and "COUNT(" not in text:
            return sql, params
    return None, None


def rare_query(kind, user):
    """One row's full name in the user's scope (a rare text of three characters or more)."""
    from zhifa.catalog.models import Item
    from zhifa.parties.models import Party
    from zhifa.people.models import Officer

    model = {"officers": Officer, "parties": Party, "items": Item}[kind]
    return model.objects.restrict(user).order_by("-pk").values_list("name", flat=True).first()


def measure(kind, users, repeats):
    from django.db import connection

    from zhifa.accounts.testing import VerifiedClient
    from zhifa.core.runtime import settle_web_process

    table, api, page = LISTS[kind]
    settle_web_process()  # as a web process does after loading (zhifa.wsgi)
    results = {}
    for who, user in users.items():
        client = VerifiedClient()
        client.force_login(user)
        rare = rare_query(kind, user)
        requests = [("API 列表", api, {}), (f"API ?q={COMMON[kind]}", api, {"q": COMMON[kind]}),
                    ("API ?q=<一行的名称>", api, {"q": rare}), ("网页列表", page, {})]
        for label, url, params in requests:
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                client.get(url, params)
                samples.append((time.perf_counter() - started) * 1000)
            recorder = Recorder()
            with connection.execute_wrapper(recorder):
                client.get(url, params)
            sql, sql_params = page_statement(recorder.statements, table)
            raw = raw_time(sql, sql_params, repeats) if sql else [float("nan")]
            results[(who, label)] = (statistics.median(samples), percentile(samples, 0.95), len(recorder.statements),
                                     statistics.median(raw), percentile(raw, 0.95))
    return results


def explain(kind, user, q=""):
    from django.db import connection
    from django.test import RequestFactory

    from zhifa.catalog.filters import ItemFilterSet
    from zhifa.catalog.models import Item
    from zhifa.parties.filters import PartyFilterSet
    from zhifa.parties.models import Party
    from zhifa.people.filters import OfficerFilterSet
    from zhifa.people.models import Officer

    model, filterset = {"officers": (Officer, OfficerFilterSet), "parties": (Party, PartyFilterSet),
                        "items": (Item, ItemFilterSet)}[kind]
    request = RequestFactory().get("/")
    request.user = user
    qs = filterset({"q": q} if q else {}, queryset=model.objects.restrict(user), request=request).qs
    sql, params = qs[:51].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql, params)
        return [_short(row[0].strip()) for row in cursor.fetchall()]


def _short(line: str) -> str:
    """A plan line with long id lists and blind-index values shortened."""
    line = re.sub(r"'\{([0-9,]+)\}'", lambda m: f"'{{{m.group(1).count(',') + 1} 个编号}}'", line)
    return re.sub(r"'[0-9]{8}-[0-9a-f]{4}\$[0-9a-f]{64}'", "'<盲索引>'", line)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default="", help="an empty PostgreSQL database (default: SQLite under var/bench-registers/)")
    parser.add_argument("--sizes", default="10000,100000", help="officers and items")
    parser.add_argument("--party-sizes", default="", help="parties (default: --sizes)")
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--lists", default="officers,parties,items")
    args = parser.parse_args(argv)
    setup(args.pg or None, Path(__file__).resolve().parent.parent / "var" / "bench-registers")

    from django.db import connection

    from zhifa.accounts import roles
    from zhifa.accounts.models import User
    from zhifa.core.management.commands.analyze_db import analyze
    from zhifa.orgs.models import Agency

    load = os.getloadavg()
    print(f"名录列表基准：{connection.vendor}；Python {sys.version.split()[0]}；"
          f"负载 {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    agencies = prepare_world()
    agency = Agency.objects.get(pk=agencies[0][0])
    users = {
        "执法人员": User.objects.create(username="bench_officer", role=roles.OFFICER, agency=agency),
        "县级监督": User.objects.create(username="bench_county", role=roles.SUPERVISOR, region=agency.region),
        "市级监督": User.objects.create(username="bench_city", role=roles.SUPERVISOR, region=agency.region.parent),
    }
    sizes = {kind: [int(s) for s in args.sizes.split(",")] for kind in ("officers", "items")}
    sizes["parties"] = [int(s) for s in (args.party_sizes or args.sizes).split(",")]
    for kind in args.lists.split(","):
        table = LISTS[kind][0]
        medians = {}
        for size in sizes[kind]:
            have = _count(table)
            started = time.perf_counter()
            if size > have:
                grow(kind, have, size - 1)
            seconds = time.perf_counter() - started
            analyzed = analyze()
            print(f"{kind}：增至 {size:,} 行，插入 {seconds:.1f} 秒，ANALYZE {analyzed:.1f} 秒")
            results = measure(kind, users, args.repeats)
            print(f"  {'用户':<8}{'请求':<24}{'中位 ms':>9}{'p95 ms':>9}{'查询':>5}{'原始SQL中位':>12}{'原始SQL p95':>12}")
            for (who, label), (median, p95, queries, raw_median, raw_p95) in results.items():
                print(f"  {who:<8}{label:<24}{median:9.1f}{p95:9.1f}{queries:5d}{raw_median:12.2f}{raw_p95:12.2f}")
            load = os.getloadavg()
            print(f"  负载 {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
            medians[size] = results
        for who, user in users.items():
            print(f"  执行计划（{kind}，{who}，第一页）：{' / '.join(explain(kind, user))}")
            print(f"  执行计划（{kind}，{who}，?q=<名称>）：{' / '.join(explain(kind, user, rare_query(kind, user)))}")
        first, last = min(medians), max(medians)
        if first != last:
            print(f"  增长 {first:,} → {last:,}（中位数之比）：")
            for key, (median, *_rest) in medians[last].items():
                print(f"    {key[0]:<8}{key[1]:<24}{median / medians[first][key][0]:5.2f}×")


if __name__ == "__main__":
    main()
