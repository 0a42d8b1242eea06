"""zhifa benchmarks — print numbers, assert nothing.

    python -m benchmarks                      # default sizes (a few minutes on 2 cores)
    python -m benchmarks --people 100000 --parties 1000000 --catalog 100000

Uses a fresh SQLite database under var/bench/ unless ZHIFA_DATABASE_URL is set (then that
database must be empty). Measures:

1. synthetic data generation rate per app;
2. an Excel import of 10,000 officers (every row checked, one transaction);
3. scoped list latency (median of repeated requests, HTML and API) and the queries each
   request makes, at a small and at the full data size — the numbers should stay flat;
4. the query plan of the scoped officer list, to show the path index is used;
5. personal data at rest: SM4 encrypt/decrypt and blind-index rates, and the lookup of one
   party by identity number (through the blind index) beside the lookup by credit code.
"""

import argparse
import io
import os
import shutil
import statistics
import sys
import time
from pathlib import Path


def setup(db_dir: Path):
    if "ZHIFA_DATABASE_URL" not in os.environ:
        shutil.rmtree(db_dir, ignore_errors=True)
        db_dir.mkdir(parents=True)
        os.environ["ZHIFA_VAR_DIR"] = str(db_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(label, func, *args, **kwargs):
    started = time.perf_counter()
    value = func(*args, **kwargs)
    seconds = time.perf_counter() - started
    return value, seconds


def generate(people, catalog, parties, counties):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("generate_synthetic", counties=counties, people=people, catalog=catalog, parties=parties, stdout=out)
    for line in out.getvalue().splitlines():
        print(f"  生成 {line}")


def officer_workbook(rows: int, agency_name: str) -> io.BytesIO:
    from openpyxl import Workbook

    from zhifa.core.validators import id_number_check_char

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(["姓名", "公民身份号码", "人员类别", "所属执法主体", "职务", "在岗"])
    for i in range(rows):
        body = f"629901199{i % 10}{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i % 1000:03d}"
        ws.append([f"导入{i:05d}", body + id_number_check_char(body), "执法人员", agency_name, "科员", "是"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def bench_import(user, agency):
    from zhifa.core.excel import REGISTRY, run_import
    from zhifa.people.models import Officer

    Officer.objects.filter(name__startswith="导入").delete()
    workbook = officer_workbook(10_000, agency.name)
    result, seconds = timed("import", run_import, REGISTRY["officers"](user), workbook)
    status = f"{result.created} 行" if result.ok else f"失败：{[e.as_dict() for e in result.errors[:3]]}"
    print(f"  Excel 导入 10,000 名执法人员：{seconds:.1f} 秒（{status}）")


class QueryCounter:
    """An execute wrapper counting the SQL statements run."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def sample_numbers():
    """A real party identity number, an officer's and a credit code (for the lookups)."""
    from zhifa.parties.models import Party
    from zhifa.people.models import Officer

    person = Party.objects.filter(kind=Party.NATURAL).order_by("pk").only("id_number").first()
    company = Party.objects.exclude(credit_code="").order_by("pk").only("credit_code").first()
    officer = Officer.objects.order_by("pk").only("id_number").first()
    return person.id_number, officer.id_number, company.credit_code


def bench_lists(users, label, repeats=15):
    from django.db import connection
    from django.test import Client

    urls = [
        ("执法人员列表(网页)", "/people/officers/"),
        ("执法人员列表(API)", "/api/people/officers/"),
        ("执法人员搜索(API)", "/api/people/officers/?q=王"),
        ("执法事项列表(API)", "/api/catalog/items/"),
        ("当事人列表(API)", "/api/parties/parties/"),
        ("当事人按信用代码(API)", "/api/parties/parties/?q=91629901MA00000010"),
    ]
    person_id, officer_id, _ = sample_numbers()
    urls += [
        ("当事人按身份证号(API)", f"/api/parties/parties/?q={person_id}"),
        ("执法人员按身份证号(API)", f"/api/people/officers/?q={officer_id}"),
    ]
    print(f"  —— {label} ——")
    for who, user in users.items():
        client = Client()
        client.force_login(user)
        for name, url in urls:
            client.get(url)  # warm
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
            counter = QueryCounter()
            # count with an execute wrapper: Django clears the debug query log at request start
            with connection.execute_wrapper(counter):
                client.get(url)
            print(f"  {who:<10} {name:<22} 状态 {response.status_code}  中位 {statistics.median(samples):7.1f} ms"
                  f"  p90 {sorted(samples)[int(len(samples) * 0.9) - 1]:7.1f} ms  查询 {counter.count} 条")


def query_plan(user):
    from django.db import connection

    from zhifa.people.models import Officer

    qs = Officer.objects.restrict(user).order_by()[:50]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = [row[-1] for row in cursor.fetchall()]
        else:
            cursor.execute("EXPLAIN " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
    print("  执法人员范围查询的执行计划：")
    for line in plan:
        print(f"    {line}")


def bench_personal_data(label, repeats=200):
    """SM4 and blind-index rates, and one party found among all by ID number vs credit code."""
    from django.db import connection

    from zhifa.core import crypto
    from zhifa.parties.models import Party

    print(f"  —— {label} ——")
    number = "61992119900101123X"
    rounds = 20_000
    started = time.perf_counter()
    stored = [crypto.encrypt(number, "parties.Party.id_number") for _ in range(rounds)]
    encrypt = rounds / (time.perf_counter() - started)
    started = time.perf_counter()
    for value in stored:
        crypto.decrypt(value, "parties.Party.id_number")
    decrypt = rounds / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(rounds):
        crypto.blind_index(number, "identifier")
    index = rounds / (time.perf_counter() - started)
    print(f"  SM4-GCM 加密 {encrypt:,.0f} 个/秒，解密 {decrypt:,.0f} 个/秒，HMAC-SM3 盲索引 {index:,.0f} 个/秒")
    person_id, _, credit_code = sample_numbers()
    total = Party._base_manager.count()
    for name, lookup in (("身份证号（盲索引）", {"id_number": person_id}), ("统一社会信用代码", {"credit_code": credit_code})):
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            found = Party._base_manager.filter(**lookup).first()
            samples.append((time.perf_counter() - started) * 1000)
        assert found is not None
        print(f"  在 {total:,} 个当事人中按{name}查找一个：中位 {statistics.median(samples):.2f} ms，"
              f"p90 {sorted(samples)[int(len(samples) * 0.9) - 1]:.2f} ms")
    sql, params = Party._base_manager.filter(id_number=person_id).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = [row[-1] for row in cursor.fetchall()]
        else:
            cursor.execute("EXPLAIN " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
    print(f"  按身份证号查找的执行计划：{' / '.join(plan)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--catalog", type=int, default=20_000)
    parser.add_argument("--parties", type=int, default=200_000)
    parser.add_argument("--counties", type=int, default=40)
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    setup(root / "var" / "bench")

    from django.db import connection

    from zhifa.accounts import roles
    from zhifa.accounts.models import User
    from zhifa.orgs.models import Agency

    print(f"数据库：{connection.vendor}；Python {sys.version.split()[0]}")
    small = (args.people // 10, args.catalog // 10, args.parties // 10)
    print(f"1. 合成数据（第一批：{small}）")
    generate(*small, counties=args.counties)
    agency = Agency.objects.filter(name__endswith="市场监督管理局", region__code__startswith="6299").order_by("pk").first()
    users = {
        "执法人员": User.objects.create(username="bench_officer", role=roles.OFFICER, agency=agency),
        "县级监督": User.objects.create(username="bench_supervisor", role=roles.SUPERVISOR, region=agency.region),
        "市级监督": User.objects.create(username="bench_city", role=roles.SUPERVISOR, region=agency.region.parent),
    }
    admin = User.objects.create(username="bench_admin", role=roles.SYSTEM_ADMIN, region=agency.region)
    print("3. 列表响应（小规模）")
    bench_lists(users, f"执法人员 {small[0]:,}，事项 {small[1]:,}，当事人 {small[2]:,}")
    rest = tuple(full - part for full, part in zip((args.people, args.catalog, args.parties), small, strict=True))
    print(f"1. 合成数据（第二批：{rest}）")
    generate(*rest, counties=args.counties)
    print("2. Excel 导入")
    bench_import(admin, agency)
    print("3. 列表响应（全规模）")
    bench_lists(users, f"执法人员 {args.people:,}，事项 {args.catalog:,}，当事人 {args.parties:,}")
    print("4. 执行计划")
    query_plan(users["执法人员"])
    print("5. 个人信息加密存储（SM4）与盲索引查找")
    bench_personal_data(f"当事人 {args.parties:,}")


if __name__ == "__main__":
    main()
