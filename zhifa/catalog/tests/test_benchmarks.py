"""Discretion benchmarks (ORG-3): validation, check(), banding and versions."""

import datetime
import decimal

import pytest
from django.core.exceptions import ValidationError

from zhifa.catalog import choices, services
from zhifa.catalog.models import Benchmark, BenchmarkTier

D = datetime.date
pytestmark = pytest.mark.django_db


def test_band_fine_with_minimum_splits_the_span():
    """从轻 = lowest 30 % of the span, 一般 = 30–70 %, 从重 = top 30 %, 减轻 below the minimum."""
    bands = services.band_fine(5000, 50000)
    assert bands[choices.LIGHTER] == (5000, 18500)
    assert bands[choices.STANDARD] == (18500, 36500)
    assert bands[choices.HEAVIER] == (36500, 50000)
    assert bands[choices.REDUCED] == (0, 5000)


def test_band_fine_with_only_a_maximum_uses_shares_of_the_maximum():
    """Only a maximum: 减轻 <10 %, 从轻 10–30 %, 一般 30–70 %, 从重 70–100 %."""
    bands = services.band_fine(None, 5000)
    assert bands[choices.REDUCED] == (0, 500)
    assert bands[choices.LIGHTER] == (500, 1500)
    assert bands[choices.STANDARD] == (1500, 3500)
    assert bands[choices.HEAVIER] == (3500, 5000)
    with pytest.raises(ValidationError):
        services.band_fine(100, None)


def test_banded_tiers_prefill_four_or_five_tiers():
    """Pre-filled tiers: minor → no penalty, light/ordinary/serious by band, grave with extra kinds."""
    tiers = services.banded_tiers(10000, 100000, kinds=(choices.WARNING,), grave_kinds=(choices.REVOKE_LICENCE,))
    assert [t.level for t in tiers] == [choices.MINOR, choices.LIGHT, choices.ORDINARY, choices.SERIOUS, choices.GRAVE]
    assert tiers[0].outcome == choices.NO_PENALTY and tiers[0].penalty_kinds == []
    assert choices.FINE in tiers[1].penalty_kinds
    assert tiers[3].fine_min == 73000
    assert choices.REVOKE_LICENCE in tiers[4].penalty_kinds
    assert len(services.banded_tiers(0, 500)) == 4


def test_tier_validation_messages():
    """min ≤ max, kinds from the Art. 9 list, no kinds for 不予处罚, a fine range needs 罚款."""
    bench = Benchmark(statutory_min=decimal.Decimal(1000), statutory_max=decimal.Decimal(10000))
    cases = [
        (dict(fine_min=5000, fine_max=1000, penalty_kinds=[choices.FINE]), "fine_max"),
        (dict(penalty_kinds=["打板子"]), "penalty_kinds"),
        (dict(outcome=choices.NO_PENALTY, penalty_kinds=[choices.WARNING]), "penalty_kinds"),
        (dict(fine_min=1000, fine_max=2000, penalty_kinds=[choices.WARNING]), "penalty_kinds"),
        (dict(fine_min=1000, fine_max=20000, penalty_kinds=[choices.FINE]), "fine_max"),
        (dict(fine_min=500, fine_max=2000, penalty_kinds=[choices.FINE]), "fine_min"),
    ]
    for values, key in cases:
        tier = BenchmarkTier(benchmark=bench, level=choices.LIGHT, outcome=values.pop("outcome", choices.LIGHTER),
                             description="情形", **values)
        with pytest.raises(ValidationError) as exc:
            tier.clean()
        assert key in exc.value.message_dict, values
    reduced = BenchmarkTier(benchmark=bench, level=choices.LIGHT, outcome=choices.REDUCED, description="减轻",
                            penalty_kinds=[choices.FINE], fine_min=500, fine_max=1000)
    reduced.clean()


def test_check_accepts_a_penalty_inside_the_tier(catalog):
    """check() is ok inside the tier's kinds and range and explains every departure."""
    bench = Benchmark.objects.prefetch_related("tiers").get(pk=catalog.benchmark.pk)
    assert bench.tier_for(choices.LIGHT).fine_max == 18500
    assert bench.check_penalty(choices.LIGHT, [choices.FINE], 8000) == (True, [])
    ok, reasons = bench.check_penalty(choices.LIGHT, [choices.FINE], 30000)
    assert not ok and "高于本档次上限" in reasons[0]
    ok, reasons = bench.check_penalty(choices.ORDINARY, [choices.FINE, choices.REVOKE_LICENCE], 20000)
    assert not ok and "吊销许可证件" in reasons[0]
    ok, reasons = bench.check_penalty(choices.MINOR, [choices.WARNING], None)
    assert not ok and "不予处罚" in reasons[0]
    assert bench.check_penalty(choices.MINOR, [], None) == (True, [])
    ok, reasons = bench.check_penalty(choices.SERIOUS, [choices.FINE], None)
    assert not ok and "未填写罚款金额" in reasons[0]
    ok, reasons = bench.check_penalty(choices.SERIOUS, [choices.CONFISCATE_GAINS], 40000)
    assert not ok and "没有“罚款”" in reasons[0]
    assert bench.check_penalty(choices.GRAVE, [choices.FINE, choices.SUSPEND_BUSINESS], "50000") == (True, [])


def test_check_reports_missing_level(catalog):
    """A level the benchmark does not define is a departure."""
    bench = catalog.benchmark
    bench.tiers.filter(level=choices.GRAVE).delete()
    ok, reasons = Benchmark.objects.get(pk=bench.pk).check_penalty(choices.GRAVE, [choices.FINE], 1)
    assert not ok and "情节严重" in reasons[0]


def test_issue_benchmark_versions_and_closes_previous(catalog):
    """A new benchmark is the next version; the previous one ends the day before."""
    second = services.issue_benchmark(
        catalog.item_a,
        {"valid_from": D(2024, 1, 1), "review_due": D(2027, 1, 1), "document": "云市监规〔2024〕1号",
         "statutory_min": 5000, "statutory_max": 50000},
        [{"level": choices.ORDINARY, "outcome": choices.STANDARD, "description": "一般情形",
          "penalty_kinds": [choices.FINE], "fine_min": 5000, "fine_max": 50000}],
    )
    catalog.benchmark.refresh_from_db()
    assert second.version == 2
    assert catalog.benchmark.valid_to == D(2023, 12, 31)
    assert catalog.item_a.benchmark_on(D(2023, 6, 1)) == catalog.benchmark
    assert catalog.item_a.benchmark_on(D(2024, 6, 1)) == second
    assert catalog.item_a.benchmark_on(D(2020, 1, 1)) is None
    with pytest.raises(ValidationError, match="必须晚于"):
        services.issue_benchmark(catalog.item_a, {"valid_from": D(2024, 1, 1), "review_due": D(2027, 1, 1),
                                                  "document": "x"}, [{"level": choices.LIGHT,
                                                                      "outcome": choices.LIGHTER, "description": "x"}])
    assert catalog.item_a.benchmarks.count() == 2


def test_duplicate_levels_and_empty_tiers_are_refused(catalog):
    """Tiers are validated together: one per level, at least one; nothing is saved otherwise."""
    data = {"valid_from": D(2024, 1, 1), "review_due": D(2027, 1, 1), "document": "云市监规〔2024〕1号"}
    tier = {"level": choices.LIGHT, "outcome": choices.LIGHTER, "description": "x", "penalty_kinds": [choices.WARNING]}
    with pytest.raises(ValidationError, match="重复"):
        services.issue_benchmark(catalog.item_a, data, [tier, dict(tier)])
    with pytest.raises(ValidationError, match="至少"):
        services.issue_benchmark(catalog.item_a, data, [])
    catalog.benchmark.refresh_from_db()
    assert catalog.benchmark.valid_to is None
    assert catalog.item_a.benchmarks.count() == 1
