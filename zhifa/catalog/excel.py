"""Excel import/export of the item catalog, benchmarks and the four lists (ORG-7).

- ``items``: one row per item with its current version's content (an export re-imports).
- ``benchmarks``: one row per tier; rows with the same item and version form one benchmark.
- ``special_lists``: one row per entry of the four lists / 免罚轻罚 list.

Rows are checked in memory against lookups loaded once in ``prepare`` and saved with
``bulk_create`` in batches, so files of thousands of rows import in seconds.
"""

from django.core.exceptions import ValidationError

from zhifa.core.audit import log_bulk_create
from zhifa.core.excel import (
    Column,
    ImportSpec,
    parse_date,
    parse_decimal,
    parse_int,
    parse_list,
    parse_text,
    register,
)
from zhifa.orgs.models import Agency, EnforcementField

from . import choices, services
from .models import Benchmark, BenchmarkTier, Item, ItemVersion, SpecialListEntry
from .numerals import parse_numeral

BATCH = 1000


def _parse_choices_list(allowed, label):
    def parse(raw):
        values = parse_list(raw)
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise ValidationError(f"不是可选的{label}：" + "、".join(unknown) + "。")
        return values

    return parse


parse_kinds = _parse_choices_list(choices.PENALTY_KINDS, "处罚种类")
parse_conditions = _parse_choices_list(choices.CONDITIONS, "适用条件")


def _clean(instance, exclude=()):
    """Field and model checks without per-row database queries (uniqueness is checked in bulk)."""
    instance.clean_fields(exclude=list(exclude))
    instance.clean()


def _load_items(user):
    """Items the user may change, by (agency name, code), with their agency loaded."""
    qs = Item.objects.restrict(user, "change").select_related("agency").only(
        "id", "code", "name", "kind", "agency_id", "agency__name", "agency__tree_path"
    )
    return {(item.agency.name, item.code): item for item in qs.iterator(chunk_size=5000)}


def _item_of(items, values):
    item = items.get((values["agency"], values["code"]))
    if item is None:
        raise ValidationError({"code": f"实施主体“{values['agency']}”下没有编码为 {values['code']} 的事项，或不在您的管辖范围内。"})
    return item


def _item_columns(prefix):
    return [
        Column("实施主体", "agency", required=True, parse=parse_text(100), export=f"{prefix}agency.name",
               example="云岭县市场监督管理局"),
        Column("事项编码", "code", required=True, parse=parse_text(40), export=f"{prefix}code", example="SCJG-CF-0001"),
    ]


@register
class ItemSpec(ImportSpec):
    """执法事项 with the content of the current version."""

    key = "items"
    title = "执法事项"
    model = Item
    unique_together = ("code", "agency")
    columns = [
        Column("实施主体", "agency", required=True, parse=parse_text(100), export="agency.name",
               example="云岭县市场监督管理局", help="执法主体全称。"),
        Column("事项编码", "code", required=True, parse=parse_text(40), example="SCJG-CF-0001",
               help="同一实施主体内唯一。"),
        Column("事项名称", "name", required=True, parse=parse_text(200), export="current_version.name",
               example="对生产经营不符合食品安全标准的食品的行政处罚"),
        Column("事项类型", "kind", required=True, choices=choices.ITEM_KIND_CHOICES),
        Column("执法领域", "field", required=True, parse=parse_text(50), export="field.name", example="市场监管",
               help="执法领域名称或代码。"),
        Column("状态", "status", choices=choices.ITEM_STATUS_CHOICES, help="留空为有效。"),
        Column("状态变更日期", "status_since", parse=parse_date),
        Column("版本号", "number", parse=parse_int, export="current_version.number", help="留空为1。"),
        Column("生效日期", "valid_from", required=True, parse=parse_date, export="current_version.valid_from",
               example="2021-04-29"),
        Column("法律法规名称", "law_name", required=True, parse=parse_text(200), export="current_version.law_name",
               example="《中华人民共和国食品安全法》"),
        Column("条", "article", parse=parse_numeral, export="current_version.article", example="124",
               help="数字或中文数字均可。"),
        Column("款", "paragraph", parse=parse_numeral, export="current_version.paragraph", example="1"),
        Column("项", "item_no", parse=parse_numeral, export="current_version.item_no", example="1"),
        Column("依据条文", "basis_text", parse=parse_text(5000), export="current_version.basis_text"),
        Column("违法依据", "violated_provision", parse=parse_text(5000), export="current_version.violated_provision",
               help="处罚类事项必填。"),
        Column("处罚依据", "penalty_basis", parse=parse_text(5000), export="current_version.penalty_basis",
               help="处罚类事项必填。"),
        Column("修订原因", "change_reason", parse=parse_text(200), export="current_version.change_reason"),
    ]

    def prepare(self):
        self.agencies = {a.name: a for a in Agency.objects.restrict(self.user, "view")}
        self.fields = {}
        for field in EnforcementField.objects.all():
            self.fields[field.name] = field
            self.fields[field.code] = field

    def existing_keys(self, keys):
        codes = {k[0] for k in keys}
        found = set()
        code_list = list(codes)
        for start in range(0, len(code_list), 500):
            rows = Item._base_manager.filter(code__in=code_list[start : start + 500]).values_list("code", "agency__name")
            found.update(tuple(r) for r in rows)
        return found & keys

    def build(self, values, row):
        agency = self.agencies.get(values["agency"])
        if agency is None:
            raise ValidationError({"agency": f"执法主体“{values['agency']}”不存在或不在您的管辖范围内。"})
        field = self.fields.get(values["field"])
        if field is None:
            raise ValidationError({"field": f"执法领域“{values['field']}”不存在。"})
        item = Item(
            agency=agency, code=values["code"], name=values["name"], kind=values["kind"], field=field,
            status=values.get("status") or choices.IN_FORCE, status_since=values.get("status_since"),
        )
        version = ItemVersion(
            item=item, number=values.get("number") or 1, valid_from=values["valid_from"],
            **{k: values.get(k) if k in ("article", "paragraph", "item_no") else (values.get(k) or "")
               for k in ItemVersion.CONTENT_FIELDS},
            change_reason=values.get("change_reason") or "",
        )
        _clean(item, exclude=["agency", "field"])
        _clean(version, exclude=["item"])
        services.check_penalty_elements(item.kind, version)
        item._first_version = version
        return item

    def save(self, instances):
        items = Item.objects.bulk_create(instances, batch_size=BATCH)
        versions = []
        for item in items:
            version = item._first_version
            version.item = item
            versions.append(version)
        ItemVersion.objects.bulk_create(versions, batch_size=BATCH)
        log_bulk_create(versions, note=f"Excel导入：{self.title}")
        return items

    def export_queryset(self):
        return Item.objects.restrict(self.user, "view").select_related("agency", "field").with_current_version()


@register
class BenchmarkSpec(ImportSpec):
    """裁量基准, one row per tier; rows of the same item and version are one benchmark."""

    key = "benchmarks"
    title = "裁量基准"
    model = BenchmarkTier
    unique_together = ("level", "agency", "code", "version")
    columns = _item_columns("benchmark.item.") + [
        Column("基准版本", "version", required=True, parse=parse_int, export="benchmark.version", example="1"),
        Column("生效日期", "valid_from", required=True, parse=parse_date, export="benchmark.valid_from",
               example="2023-01-01"),
        Column("复审日期", "review_due", required=True, parse=parse_date, export="benchmark.review_due",
               example="2026-01-01"),
        Column("发布文件", "document", required=True, parse=parse_text(200), export="benchmark.document",
               example="云市监规〔2023〕3号"),
        Column("法定罚款下限", "statutory_min", parse=parse_decimal, export="benchmark.statutory_min",
               help="单位：元。"),
        Column("法定罚款上限", "statutory_max", parse=parse_decimal, export="benchmark.statutory_max",
               help="单位：元。"),
        Column("情节档次", "level", required=True, choices=choices.LEVEL_CHOICES),
        Column("裁量结果", "outcome", required=True, choices=choices.OUTCOME_CHOICES),
        Column("处罚种类", "penalty_kinds", parse=parse_kinds, example="警告、罚款",
               help="以顿号分隔，取自行政处罚法第九条。"),
        Column("罚款下限", "fine_min", parse=parse_decimal, help="单位：元。"),
        Column("罚款上限", "fine_max", parse=parse_decimal, help="单位：元。"),
        Column("违法情形", "description", required=True, parse=parse_text(2000)),
    ]
    HEADER_KEYS = ("valid_from", "review_due", "document", "statutory_min", "statutory_max")

    def prepare(self):
        self.items = _load_items(self.user)
        self.existing_versions = set()
        self.open_from = {}
        for item_id, version, valid_from, valid_to in Benchmark.objects.restrict(self.user, "change").values_list(
            "item_id", "version", "valid_from", "valid_to"
        ):
            self.existing_versions.add((item_id, version))
            if valid_to is None:
                self.open_from[item_id] = valid_from
        self.groups = {}  # (item id, version) -> (benchmark, first row)
        self.starts = {}  # (item id, valid_from) -> row

    def existing_keys(self, keys):
        return set()  # checked per benchmark in ``build`` with a clearer message

    def build(self, values, row):
        item = _item_of(self.items, values)
        group_key = (item.pk, values["version"])
        if group_key in self.existing_versions:
            raise ValidationError({"version": f"该事项已有第{values['version']}版裁量基准。"})
        group = self.groups.get(group_key)
        if group is None:
            benchmark = Benchmark(item=item, version=values["version"],
                                  **{k: values.get(k) for k in self.HEADER_KEYS})
            benchmark.document = benchmark.document or ""
            _clean(benchmark, exclude=["item", "valid_to"])
            open_from = self.open_from.get(item.pk)
            if open_from is not None and benchmark.valid_from <= open_from:
                raise ValidationError(
                    {"valid_from": f"生效日期必须晚于现行基准的生效日期（{open_from:%Y-%m-%d}）。"}
                )
            start_key = (item.pk, benchmark.valid_from)
            if start_key in self.starts:
                raise ValidationError({"valid_from": f"与第{self.starts[start_key]}行的基准生效日期相同。"})
            self.starts[start_key] = row
            self.groups[group_key] = (benchmark, row)
        else:
            benchmark, first_row = group
            for key in self.HEADER_KEYS:
                given = values.get(key)
                if given is not None and given != getattr(benchmark, key):
                    raise ValidationError({key: f"同一基准各行的该列应一致（与第{first_row}行不同）。"})
        tier = BenchmarkTier(
            benchmark=benchmark, level=values["level"], outcome=values["outcome"],
            penalty_kinds=values.get("penalty_kinds") or [], fine_min=values.get("fine_min"),
            fine_max=values.get("fine_max"), description=values["description"],
            position=choices.LEVEL_ORDER[values["level"]] + 1,
        )
        _clean(tier, exclude=["benchmark"])
        return tier

    def save(self, instances):
        benchmarks = list({id(t.benchmark): t.benchmark for t in instances}.values())
        by_item = {}
        for benchmark in benchmarks:
            by_item.setdefault(benchmark.item_id, []).append(benchmark)
        for item_benchmarks in by_item.values():
            item_benchmarks.sort(key=lambda b: b.valid_from)
            for earlier, later in zip(item_benchmarks, item_benchmarks[1:], strict=False):
                earlier.valid_to = later.valid_from - services.ONE_DAY
        for current in Benchmark.objects.filter(item_id__in=list(by_item), valid_to__isnull=True):
            current.valid_to = by_item[current.item_id][0].valid_from - services.ONE_DAY
            current.save(update_fields=["valid_to"])
        Benchmark.objects.bulk_create(benchmarks, batch_size=BATCH)
        tiers = BenchmarkTier.objects.bulk_create(instances, batch_size=BATCH)
        log_bulk_create(benchmarks, note=f"Excel导入：{self.title}")
        return tiers

    def export_queryset(self):
        return (
            BenchmarkTier.objects.restrict(self.user, "view")
            .select_related("benchmark__item__agency")
            .order_by("benchmark__item__code", "benchmark__version", "position", "id")
        )


@register
class SpecialListSpec(ImportSpec):
    """四张清单与免罚轻罚清单 entries."""

    key = "special_lists"
    title = "四张清单与免罚轻罚清单"
    model = SpecialListEntry
    unique_together = ("circumstances", "agency", "code", "list_kind")
    columns = _item_columns("item.") + [
        Column("清单类型", "list_kind", required=True, choices=choices.LIST_KIND_CHOICES),
        Column("违法情形", "circumstances", required=True, parse=parse_text(2000)),
        Column("适用条件", "conditions", required=True, parse=parse_conditions, example="首次违法、危害后果轻微、及时改正",
               help="以顿号分隔；案件事实全部满足时提示适用。"),
        Column("法律依据", "legal_basis", required=True, parse=parse_text(2000),
               example="《中华人民共和国行政处罚法》第三十三条第一款"),
        Column("发布文件", "document", parse=parse_text(200)),
        Column("生效日期", "valid_from", required=True, parse=parse_date),
        Column("失效日期", "valid_to", parse=parse_date),
        Column("复审日期", "review_due", parse=parse_date),
        Column("最近复审日期", "reviewed_on", parse=parse_date),
    ]

    def prepare(self):
        self.items = _load_items(self.user)

    def existing_keys(self, keys):
        codes = list({k[2] for k in keys})
        found = set()
        for start in range(0, len(codes), 500):
            rows = SpecialListEntry._base_manager.filter(item__code__in=codes[start : start + 500]).values_list(
                "circumstances", "item__agency__name", "item__code", "list_kind"
            )
            found.update(tuple(r) for r in rows)
        return found & keys

    def build(self, values, row):
        item = _item_of(self.items, values)
        entry = SpecialListEntry(
            item=item, list_kind=values["list_kind"], circumstances=values["circumstances"],
            conditions=values["conditions"], legal_basis=values["legal_basis"], document=values.get("document") or "",
            valid_from=values["valid_from"], valid_to=values.get("valid_to"), review_due=values.get("review_due"),
            reviewed_on=values.get("reviewed_on"),
        )
        _clean(entry, exclude=["item"])
        return entry

    def save(self, instances):
        return SpecialListEntry.objects.bulk_create(instances, batch_size=BATCH)

    def export_queryset(self):
        return SpecialListEntry.objects.restrict(self.user, "view").select_related("item__agency")
