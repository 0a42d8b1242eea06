"""Demo and synthetic data load against the standard tree."""

import datetime
import random
from types import SimpleNamespace

import pytest

from zhifa.catalog import demo, synthetic
from zhifa.catalog.models import Benchmark, Delegation, Item, ItemVersion, SpecialListEntry
from zhifa.core.testing import fields
from zhifa.orgs.models import Agency, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(tree):
    """A demo context like the demo command's: the tree plus the remaining 1+5+3 agencies."""
    for code, name in (("619921002", "青川镇"), ("619921003", "白石镇")):
        Region.objects.create(code=code, name=name, parent=tree.county)
    for name in ("云岭县生态环境分局", "云岭县自然资源局", "云岭县农业农村局", "云岭县应急管理局"):
        Agency.objects.create(name=name, region=tree.county)
    Agency.objects.create(name="青石县综合行政执法局", region=tree.other_county, kind="comprehensive")
    for code, name in (("619921002", "青川镇综合行政执法办公室"), ("619921003", "白石镇综合行政执法办公室")):
        Agency.objects.create(name=name, region=Region.objects.get(code=code), kind="comprehensive",
                              legal_status="authorised")
    return SimpleNamespace(
        rng=random.Random(7), today=datetime.date(2025, 6, 1),
        regions={r.name: r for r in Region.objects.all()}, agencies={a.name: a for a in Agency.objects.all()},
        units={}, fields=fields(),
    )


def test_demo_load_builds_a_realistic_catalog(ctx):
    """100+ items; every penalty item has a benchmark of 3–5 tiers; delegations, amended
    items and list entries exist; ctx.items is set."""
    demo.load(ctx)
    assert len(ctx.items) >= 100
    assert Item.objects.count() == len(ctx.items)
    penalty = Item.objects.filter(kind="penalty")
    assert Benchmark.objects.filter(item__in=penalty).count() == penalty.count()
    for bench in Benchmark.objects.prefetch_related("tiers"):
        assert 3 <= len(bench.tiers.all()) <= 5
    assert Delegation.objects.values("agency").distinct().count() == 3
    amended = ItemVersion.objects.filter(number=2)
    assert amended.count() >= 5
    safety = amended.get(item__name__startswith="对未按照规定设置安全生产管理机构")
    assert safety.item.version_on(datetime.date(2020, 1, 1)).article == 94 and safety.article == 97
    entries = list(SpecialListEntry.objects.all())
    assert any("首次违法" in e.conditions for e in entries)
    assert {e.list_kind for e in entries} >= {"no_penalty", "exempt_or_light", "no_coercion", "lighter"}
    town = ctx.agencies["青川镇综合行政执法办公室"]
    delegated = Item.objects.filter(delegations__agency=town).first()
    assert delegated.is_competent(town, ctx.today)


def test_synthetic_generate_bulk_creates_items_with_versions(ctx, django_assert_max_num_queries):
    """generate() bulk-inserts items and versions (every tenth amended) and reports the rows."""
    with django_assert_max_num_queries(60):
        created = synthetic.generate(ctx, 600)
    assert created == 600 + 600 + 60
    assert Item.objects.filter(code__startswith="SYN-").count() == 600
    sample = Item.objects.filter(code__startswith="SYN-").order_by("id")[10]
    assert sample.versions.count() == 2
    assert sample.version_on(datetime.date(2021, 6, 1)).number == 2
    assert synthetic.generate(ctx, 10) == 10 + 10 + 1


def test_synthetic_accepts_agencies_as_a_list(ctx):
    """The generate_synthetic command passes agencies as a list."""
    ctx.agencies = list(ctx.agencies.values())
    assert synthetic.generate(ctx, 20) == 20 + 20 + 2
