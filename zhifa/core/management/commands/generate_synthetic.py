"""``zhifa generate_synthetic`` — large synthetic data sets for benchmarks.

Example: ``zhifa generate_synthetic --counties 50 --people 100000 --catalog 100000 --parties 1000000``.
Everything is bulk-inserted (no per-row audit entries: this is benchmark data, never production).
"""

import importlib
import random
import time
from types import SimpleNamespace

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from zhifa.core.testing import fields
from zhifa.orgs.models import Agency, Region, Unit


def synthetic_orgs(counties: int, rng) -> list:
    """A synthetic province 62 with one city and ``counties`` counties of six agencies each."""
    province, _ = Region.objects.get_or_create(code="620000", defaults={"name": "合成省"})
    city, _ = Region.objects.get_or_create(code="629900", defaults={"name": "合成市", "parent": province})
    agencies = []
    existing = set(Region.objects.filter(code__startswith="6299").values_list("code", flat=True))
    for i in range(1, counties + 1):
        code = f"6299{i:02d}" if i < 100 else None
        if code is None:
            break
        if code in existing:
            continue
        county = Region.objects.create(code=code, name=f"合成{i}县", parent=city)
        township = Region.objects.create(code=f"{code}001", name=f"合成{i}镇", parent=county)
        for name in ("市场监督管理局", "综合行政执法局", "生态环境分局", "自然资源局", "农业农村局"):
            agency = Agency.objects.create(name=f"合成{i}县{name}", region=county)
            Unit.objects.create(agency=agency, name="执法大队", kind="squad")
            agencies.append(agency)
        agencies.append(Agency.objects.create(name=f"合成{i}镇综合行政执法办公室", region=township, kind="comprehensive"))
    return agencies


class Command(BaseCommand):
    help = "生成用于性能测试的大规模合成数据（不要在生产库上运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, default=20)
        parser.add_argument("--people", type=int, default=0, help="执法人员数量")
        parser.add_argument("--catalog", type=int, default=0, help="执法事项数量")
        parser.add_argument("--parties", type=int, default=0, help="当事人数量")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, counties, seed, **options):
        rng = random.Random(seed)
        with transaction.atomic():
            synthetic_orgs(counties, rng)
        ctx = SimpleNamespace(
            rng=rng, today=timezone.localdate(), fields=fields(),
            agencies=list(Agency.objects.filter(region__code__startswith="6299")),
        )
        for app in ("people", "catalog", "parties"):
            scale = options[app]
            if not scale:
                continue
            started = time.perf_counter()
            created = importlib.import_module(f"zhifa.{app}.synthetic").generate(ctx, scale)
            seconds = time.perf_counter() - started
            self.stdout.write(f"{app}: {created} 行，{seconds:.1f} 秒（{created / max(seconds, 1e-9):,.0f} 行/秒）")
        from .analyze_db import analyze

        self.stdout.write(f"ANALYZE：{analyze():.1f} 秒")
