"""Rules of the catalog, used by the web pages, the API, the Excel import and other apps.

- ``create_item`` / ``revise_item``: items are never overwritten; a revision closes the
  current version the day before the new one takes effect (one transaction).
- ``issue_benchmark`` / ``replace_tiers`` / ``validate_tiers``: discretion benchmarks.
- ``band_fine`` / ``banded_tiers``: numeric banding of a statutory fine range
  (legal-rules.md §6: 从轻 lowest 30 % of the span, 一般 30–70 %, 从重 top 30 %).
- ``suggest_special_lists``: entries of the four lists / 免罚轻罚 list matching a case's facts.
"""

import contextlib
import datetime
import decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhifa.core.audit import acting_as
from zhifa.core.scoping import ensure_in_scope

from . import choices
from .models import Benchmark, BenchmarkTier, Item, ItemVersion

VERSION_FIELDS = ItemVersion.CONTENT_FIELDS
ITEM_FIELDS = ("kind", "field", "status", "status_since")
ONE_DAY = datetime.timedelta(days=1)


@contextlib.contextmanager
def _acting(actor):
    if actor is None:
        yield
    else:
        with acting_as(actor):
            yield


def check_penalty_elements(kind: str, version: ItemVersion) -> None:
    """A penalty item (处罚) must state its penalty basis (处罚依据) and violated provision (违法依据)."""
    if kind != "penalty":
        return
    errors = {}
    if not (version.penalty_basis or "").strip():
        errors["penalty_basis"] = "处罚类事项必须填写处罚依据。"
    if not (version.violated_provision or "").strip():
        errors["violated_provision"] = "处罚类事项必须填写违法依据。"
    if errors:
        raise ValidationError(errors)


def _set_item_fields(item: Item, values: dict) -> None:
    for key in ITEM_FIELDS:
        if key not in values:
            continue
        value = values[key]
        if key == "field" and not hasattr(value, "pk"):
            item.field_id = value
        else:
            setattr(item, key, value)


def create_item(*, agency, code: str, kind: str, field, valid_from: datetime.date, version: dict,
                actor=None, status: str = choices.IN_FORCE, status_since=None) -> Item:
    """Create an item with its first version (version content in ``version``)."""
    unknown = set(version) - set(VERSION_FIELDS)
    if unknown:
        raise ValidationError("不能识别的事项内容：" + "、".join(sorted(unknown)) + "。")
    with transaction.atomic(), _acting(actor):
        item = Item(agency=agency, code=(code or "").strip(), kind=kind, status=status, status_since=status_since,
                    name=version.get("name") or "")
        _set_item_fields(item, {"field": field})
        item.full_clean()
        first = ItemVersion(number=1, valid_from=valid_from, **version)
        first.full_clean(exclude=["item"])
        check_penalty_elements(kind, first)
        item.save()
        first.item = item
        first.save()
        if actor is not None:
            ensure_in_scope(item, actor)
    return item


def revise_item(item: Item, changes: dict, actor, valid_from: datetime.date, reason: str) -> ItemVersion:
    """Revise an item: close its current version the day before ``valid_from`` and create a
    new version with ``changes`` applied (content fields; ``kind``/``field``/``status`` change
    the item itself). All or nothing; returns the new version."""
    changes = dict(changes or {})
    unknown = set(changes) - set(VERSION_FIELDS) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError("不能识别的修改项：" + "、".join(sorted(unknown)) + "。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"change_reason": "请填写修订原因（例如法律修正）。"})
    if valid_from is None:
        raise ValidationError({"valid_from": "请填写新版本的生效日期。"})
    with transaction.atomic(), _acting(actor):
        locked = Item.objects.select_for_update().get(pk=item.pk)
        current = locked.versions.filter(valid_to__isnull=True).first()
        if current is not None and valid_from <= current.valid_from:
            raise ValidationError(
                {"valid_from": f"新版本的生效日期必须晚于现行版本的生效日期（{current.valid_from:%Y-%m-%d}）。"}
            )
        content = {f: getattr(current, f) for f in VERSION_FIELDS} if current is not None else {}
        content.update({k: v for k, v in changes.items() if k in VERSION_FIELDS})
        last = locked.versions.aggregate(n=Max("number"))["n"] or 0
        if current is not None:
            current.valid_to = valid_from - ONE_DAY
            current.save(update_fields=["valid_to"])
        new = ItemVersion(item=locked, number=last + 1, valid_from=valid_from, change_reason=reason, **content)
        _set_item_fields(locked, changes)
        new.full_clean()
        check_penalty_elements(locked.kind, new)
        locked.name = new.name
        locked.full_clean()
        new.save()
        locked.save()
        if actor is not None:
            ensure_in_scope(locked, actor)
    item.refresh_from_db()
    item.__dict__.pop("current_versions", None)  # a stale ``with_current_version`` prefetch
    return new


# -- benchmarks -------------------------------------------------------------------

def validate_tiers(benchmark: Benchmark, tiers: list[BenchmarkTier]) -> None:
    """Check a benchmark's tiers together: at least one, one per level, each valid."""
    if not tiers:
        raise ValidationError({"tiers": "裁量基准至少应有一个档次。"})
    seen = set()
    for index, tier in enumerate(tiers, start=1):
        if tier.level in seen:
            raise ValidationError({"tiers": f"第{index}档的情节档次“{tier.get_level_display()}”重复。"})
        seen.add(tier.level)
        tier.benchmark = benchmark
        try:
            tier.full_clean(exclude=["benchmark", "position"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            messages = "；".join(f"{m}" for msgs in exc.message_dict.values() for m in msgs)
            raise ValidationError({"tiers": f"第{index}档：{messages}"}) from None


def replace_tiers(benchmark: Benchmark, tiers: list) -> list[BenchmarkTier]:
    """Replace the benchmark's tiers by ``tiers`` (dicts or unsaved tiers), ordered by level."""
    objs = [t if isinstance(t, BenchmarkTier) else BenchmarkTier(**t) for t in tiers]
    validate_tiers(benchmark, objs)
    objs.sort(key=lambda t: choices.LEVEL_ORDER[t.level])
    benchmark.tiers.all().delete()
    for position, tier in enumerate(objs, start=1):
        tier.pk = None
        tier.benchmark = benchmark
        tier.position = position
        tier.save()
    return objs


def next_benchmark_version(item: Item) -> int:
    """The version number a new benchmark of ``item`` gets."""
    return (item.benchmarks.aggregate(n=Max("version"))["n"] or 0) + 1


def issue_benchmark(item: Item, data: dict, tiers: list, actor=None) -> Benchmark:
    """Issue a new benchmark version for ``item`` (closing the current one the day before)."""
    with transaction.atomic(), _acting(actor):
        benchmark = Benchmark(item=item, version=next_benchmark_version(item), **data)
        benchmark.full_clean(exclude=["valid_to"], validate_constraints=False)
        close_current_benchmark(item, benchmark.valid_from)
        benchmark.save()
        replace_tiers(benchmark, tiers)
        if actor is not None:
            ensure_in_scope(benchmark, actor)
    return benchmark


def close_current_benchmark(item: Item, valid_from: datetime.date) -> None:
    """End the item's current benchmark the day before a new one takes effect."""
    current = item.benchmarks.select_for_update().filter(valid_to__isnull=True).first()
    if current is None:
        return
    if valid_from <= current.valid_from:
        raise ValidationError(
            {"valid_from": f"新基准的生效日期必须晚于现行基准的生效日期（{current.valid_from:%Y-%m-%d}）。"}
        )
    current.valid_to = valid_from - ONE_DAY
    current.save(update_fields=["valid_to"])


def _yuan(value) -> decimal.Decimal:
    return decimal.Decimal(value).quantize(decimal.Decimal("1"), rounding=decimal.ROUND_HALF_UP)


def band_fine(statutory_min, statutory_max) -> dict[str, tuple[decimal.Decimal, decimal.Decimal]]:
    """Fine ranges per outcome from a statutory range (legal-rules.md §6, rounded to yuan).

    With a minimum: 减轻 below the minimum, 从轻 the lowest 30 % of the span, 一般 30–70 %,
    从重 the top 30 %. With only a maximum (minimum empty or 0): 减轻 below 10 % of the
    maximum, 从轻 10–30 %, 一般 30–70 %, 从重 70–100 %.
    """
    if statutory_max is None:
        raise ValidationError({"statutory_max": "自动分档需要法定罚款上限。"})
    high = decimal.Decimal(statutory_max)
    low = decimal.Decimal(statutory_min or 0)
    if low > high:
        raise ValidationError({"statutory_max": "法定罚款上限不能低于下限。"})
    if low > 0:
        span = high - low
        cut30, cut70 = _yuan(low + span * decimal.Decimal("0.3")), _yuan(low + span * decimal.Decimal("0.7"))
        return {
            choices.REDUCED: (decimal.Decimal(0), _yuan(low)),
            choices.LIGHTER: (_yuan(low), cut30),
            choices.STANDARD: (cut30, cut70),
            choices.HEAVIER: (cut70, _yuan(high)),
        }
    cut10, cut30, cut70 = (_yuan(high * decimal.Decimal(p)) for p in ("0.1", "0.3", "0.7"))
    return {
        choices.REDUCED: (decimal.Decimal(0), cut10),
        choices.LIGHTER: (cut10, cut30),
        choices.STANDARD: (cut30, cut70),
        choices.HEAVIER: (cut70, _yuan(high)),
    }


def banded_tiers(statutory_min, statutory_max, kinds=(choices.FINE,), grave_kinds=()) -> list[BenchmarkTier]:
    """Unsaved tiers pre-filled from a statutory fine range: 情节轻微 → 不予处罚, 较轻 → 从轻,
    一般 → 一般, 较重 → 从重, and 严重 → 从重 with ``grave_kinds`` added (when given)."""
    bands = band_fine(statutory_min, statutory_max)
    kinds = list(kinds)
    if choices.FINE not in kinds:
        kinds.insert(0, choices.FINE)
    tiers = [
        BenchmarkTier(level=choices.MINOR, outcome=choices.NO_PENALTY, penalty_kinds=[],
                      description="违法行为轻微并及时改正，没有造成危害后果的。"),
        BenchmarkTier(level=choices.LIGHT, outcome=choices.LIGHTER, penalty_kinds=kinds,
                      fine_min=bands[choices.LIGHTER][0], fine_max=bands[choices.LIGHTER][1],
                      description="初次违法，危害后果较轻，积极配合调查的。"),
        BenchmarkTier(level=choices.ORDINARY, outcome=choices.STANDARD, penalty_kinds=kinds,
                      fine_min=bands[choices.STANDARD][0], fine_max=bands[choices.STANDARD][1],
                      description="不具有从轻、减轻或者从重情节的。"),
        BenchmarkTier(level=choices.SERIOUS, outcome=choices.HEAVIER, penalty_kinds=kinds,
                      fine_min=bands[choices.HEAVIER][0], fine_max=bands[choices.HEAVIER][1],
                      description="违法行为持续时间长、涉及范围广，或者拒不改正的。"),
    ]
    if grave_kinds:
        tiers.append(BenchmarkTier(
            level=choices.GRAVE, outcome=choices.HEAVIER, penalty_kinds=kinds + [k for k in grave_kinds if k not in kinds],
            fine_min=bands[choices.HEAVIER][0], fine_max=bands[choices.HEAVIER][1],
            description="造成严重危害后果、屡查屡犯，或者妨碍、抗拒执法的。",
        ))
    for position, tier in enumerate(tiers, start=1):
        tier.position = position
    return tiers


# -- the four lists ---------------------------------------------------------------

def suggest_special_lists(item: Item, facts: set[str], on: datetime.date | None = None) -> list:
    """Entries of the four lists / 免罚轻罚 list of ``item`` in force on ``on`` whose every
    condition is among ``facts`` (e.g. {"首次违法", "危害后果轻微", "及时改正"})."""
    on = on or timezone.localdate()
    facts = set(facts or ())
    entries = [e for e in item.special_entries.valid_on(on) if e.matches(facts)]
    entries.sort(key=lambda e: (choices.LIST_KIND_ORDER[e.list_kind], e.pk))
    return entries
