"""双随机 draws at province scale — print numbers, assert nothing.

    python -m benchmarks.draws                       # 1,000,000 targets in memory + the re-run script
    python -m benchmarks.draws --targets 200000 --db-targets 100000   # also end to end from the database

1. In memory (``zhifa.inspections.draws.algorithm``, no database): canonical inputs and their SHA-256,
   the draw (per-class sampling, minimum top-up, two inspectors per target and group with exclusions),
   the canonical result — over ``--targets`` targets (default 1,000,000), three agency groups of
   ``--inspectors`` inspectors each, 1% of the targets with an exclusion.
2. The re-run: the open-data document is written to ``var/bench-draws/<n>-targets/draw.json`` and
   ``scripts/rerun_draw.py`` runs on it as a subprocess (its own interpreter, standard library only);
   its recomputed result is compared with the server's byte for byte.
3. With ``--db-targets N``: a fresh SQLite database under ``var/bench-draws/`` (or ZHIFA_DATABASE_URL, an
   empty database), N parties bulk-inserted, and ``services.freeze`` + ``services.complete`` timed end to
   end (population query, eligibility, stored inputs, the draw, stored result, pairings).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench-draws"


def _inputs(n_targets: int, n_inspectors: int, rng: random.Random, algorithm) -> dict:
    classes = "AABBBBBCCDN"
    targets = [[f"91619921{i:09d}X", classes[rng.randrange(len(classes))], f"6199210{rng.randint(1, 30):02d}"]
               for i in range(n_targets)]
    groups = []
    for g in range(3):
        inspectors = [[f"61992{g}2026{j:05d}", f"6199210{rng.randint(1, 30):02d}" if j % 4 == 0 else ""]
                      for j in range(n_inspectors)]
        groups.append({"agency": f"合成局{g}", "items": [{"code": f"X-JC-{g}", "name": "合成检查事项"}],
                       "inspectors": inspectors})
    exclusions = sorted({(f"61992{rng.randrange(3)}2026{rng.randrange(n_inspectors):05d}", targets[rng.randrange(n_targets)][0])
                         for _ in range(n_targets // 100)})
    return {"format": algorithm.INPUTS_FORMAT, "draw": {"number": "合成〔2026〕1号", "date": "2026-11-29"},
            "rules": {"ratios": {"A": 300, "B": 500, "C": 1000, "D": 3000, "N": 500}, "min_ratio": 500,
                      "inspectors_per_target": 2, "repeat_days": 365},
            "targets": targets, "groups": groups, "exclusions": [list(p) for p in exclusions]}


def in_memory(n_targets: int, n_inspectors: int) -> None:
    from zhifa.inspections.draws import algorithm

    rng = random.Random(2026)
    inputs = _inputs(n_targets, n_inspectors, rng, algorithm)
    t = time.perf_counter()
    data = algorithm.canonical_json(inputs)
    digest = algorithm.sha256_hex(data)
    t_inputs = time.perf_counter() - t
    secret = "5a" * 32
    witnesses = [{"name": "见证人", "value": "4729"}]
    lottery = {"name": "中国福利彩票3D", "issue": "2026320", "value": "581"}
    seed = algorithm.compute_seed(digest, secret, witnesses, lottery)
    t, cpu = time.perf_counter(), time.process_time()
    result = algorithm.run_draw(inputs, seed, digest)
    t_draw, cpu_draw = time.perf_counter() - t, time.process_time() - cpu
    t = time.perf_counter()
    result_bytes = algorithm.canonical_json(result)
    t_result = time.perf_counter() - t
    print(f"== in memory: {n_targets:,} targets, 3 groups × {n_inspectors} inspectors, "
          f"{len(inputs['exclusions']):,} exclusions ==")
    print(f"canonical inputs + SHA-256: {t_inputs:.2f} s ({len(data) / 1e6:.1f} MB)")
    print(f"draw: {t_draw:.2f} s wall, {cpu_draw:.2f} s CPU — {result['selected_count']:,} targets drawn, "
          f"{result['incomplete_teams']} incomplete teams")
    print(f"canonical result: {t_result:.2f} s ({len(result_bytes) / 1e6:.1f} MB)")
    out = OUT / f"{n_targets}-targets"
    out.mkdir(parents=True, exist_ok=True)
    head = {"format": algorithm.OPEN_DATA_FORMAT, "status": "completed", "inputs_sha256": digest,
            "commitment": algorithm.commitment(secret), "witnesses": witnesses, "lottery": lottery, "secret": secret,
            "seed": seed, "result_sha256": algorithm.sha256_hex(result_bytes)}
    document = out / "draw.json"
    document.write_bytes(json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "inputs": ' + data
                         + b', "result": ' + result_bytes + b"}")
    recomputed = out / "recomputed.json"
    t, before = time.perf_counter(), os.times()
    done = subprocess.run([sys.executable, "-I", str(ROOT / "scripts" / "rerun_draw.py"), str(document),
                           "--result", str(recomputed)], capture_output=True, text=True)
    t_rerun, after = time.perf_counter() - t, os.times()
    cpu_rerun = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    same = recomputed.exists() and recomputed.read_bytes() == result_bytes
    print(f"re-run script (subprocess, reads {document.stat().st_size / 1e6:.1f} MB): {t_rerun:.2f} s wall, "
          f"{cpu_rerun:.2f} s CPU, "
          f"exit {done.returncode}, byte for byte identical: {'yes' if same else 'NO'}")


def from_database(n_targets: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    if not os.environ.get("ZHIFA_DATABASE_URL"):
        OUT.mkdir(parents=True, exist_ok=True)
        db = OUT / "bench.sqlite3"
        if db.exists():
            db.unlink()
        os.environ["ZHIFA_DATABASE_URL"] = f"sqlite:///{db}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from zhifa.accounts import roles
    from zhifa.core import clock
    from zhifa.core.audit import acting_as
    from zhifa.core.testing import make_user, org_tree
    from zhifa.inspections.draws import services
    from zhifa.inspections.models import InspectionListEntry, InspectionPlan
    from zhifa.inspections.tests.draws.conftest import officer
    from zhifa.parties.models import Party
    from zhifa.parties.synthetic import _credit_code

    tree = org_tree()
    from zhifa.catalog import services as catalog
    from zhifa.core.testing import fields

    field = fields()["SCJG"]
    item = catalog.create_item(agency=tree.market, code="SCJG-JC-0001", kind="inspection", field=field,
                               valid_from=clock.today().replace(year=2020),
                               version={"name": "食品经营者监督检查", "law_name": "《中华人民共和国食品安全法》", "article": 110})
    head = make_user("bench_head", roles.AGENCY_HEAD, agency=tree.market)
    with acting_as(head):
        for i in range(1, 41):
            officer(tree.market, f"检查员{i}", i, field)
        t = time.perf_counter()
        classes = "AABBBBBCCD "
        rng = random.Random(1)
        for start in range(0, n_targets, 20000):
            rows = []
            for n in range(start, min(start + 20000, n_targets)):
                region = tree.township if n % 3 == 0 else tree.county
                rows.append(Party(kind="legal", name=f"合成企业{n}", credit_code=_credit_code("91", "619921", n),
                                  region=region, region_path=region.path,
                                  credit_class=classes[rng.randrange(len(classes))].strip()))
            Party.objects.bulk_create(rows, batch_size=5000)
        print(f"== end to end from the database: {n_targets:,} parties inserted in {time.perf_counter() - t:.1f} s ==")
        entry = services.save_entry(InspectionListEntry(agency=tree.market, item=item, population_rule="全县企业"), head)
        services.publish_entry(entry, head)
        plan = services.save_plan(InspectionPlan(year=clock.today().year, title="基准计划", agency=tree.market), head)
        services.add_plan_item(plan, entry, head)
        services.publish_plan(plan, head)
        draw = services.create_draw(plan, head, number="基准〔2026〕1号", title="基准抽取", entries=[entry],
                                    draw_date=clock.today())
        t = time.perf_counter()
        draw = services.freeze(draw, head)
        t_freeze = time.perf_counter() - t
        services.add_witness(draw, head, name="见证人", value="1")
        t = time.perf_counter()
        draw = services.complete(draw, head)
        t_complete = time.perf_counter() - t
    print(f"freeze (population query, eligibility, canonical inputs stored): {t_freeze:.2f} s")
    print(f"complete (secret, seed, draw, result stored, {draw.selected_count:,} pairings written): {t_complete:.2f} s")


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--inspectors", type=int, default=200)
    parser.add_argument("--db-targets", type=int, default=0, help="also time a draw end to end from the database")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    print(_load())
    in_memory(args.targets, args.inspectors)
    if args.db_targets:
        from_database(args.db_targets)
    print(_load())


if __name__ == "__main__":
    main()
