"""Excel import/export of items, benchmarks and list entries (ORG-7)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from zhifa.catalog import choices
from zhifa.catalog.excel import BenchmarkSpec, ItemSpec, SpecialListSpec
from zhifa.catalog.models import Benchmark, BenchmarkTier, Delegation, Item, ItemVersion, SpecialListEntry
from zhifa.core.excel import export_workbook, run_import
from zhifa.core.models import ChangeLog
from zhifa.core.testing import spec_headers, xlsx_file

D = datetime.date
pytestmark = pytest.mark.django_db


def _workbook(spec, rows):
    return xlsx_file(spec_headers(spec), rows)


def _item_row(n, agency="云岭县市场监督管理局"):
    return {
        "实施主体": agency, "事项编码": f"SCJG-CF-{n + 1000:05d}", "事项名称": f"对第{n}类违法行为的行政处罚",
        "事项类型": "行政处罚", "执法领域": "市场监管", "生效日期": "2021-04-29",
        "法律法规名称": "《中华人民共和国食品安全法》", "条": "第一百二十五条", "款": 1, "项": "2",
        "依据条文": "条文", "违法依据": "《中华人民共和国食品安全法》第七十一条", "处罚依据": "第一百二十五条",
    }


def test_import_of_a_thousand_items_with_one_bad_row_saves_nothing(catalog, users):
    """One bad cell among 1,000 rows: nothing is saved and the error names row and column."""
    rows = [_item_row(n) for n in range(1000)]
    rows[536]["执法领域"] = "不存在的领域"
    result = run_import(ItemSpec(users.admin_a), _workbook(ItemSpec, rows))
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(538, "执法领域")]
    assert "不存在" in result.errors[0].message
    assert Item.objects.count() == 3


def test_import_checks_duplicates_scope_and_penalty_elements(catalog, users):
    """Duplicates in the file or the database, other counties' agencies and missing penalty
    basis are all reported by row and column."""
    rows = [_item_row(1), _item_row(1), _item_row(2, agency="青石县市场监督管理局"), _item_row(3), _item_row(4)]
    rows[3]["处罚依据"] = ""
    rows[4]["事项编码"] = "SCJG-CF-0001"
    result = run_import(ItemSpec(users.admin_a), _workbook(ItemSpec, rows))
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(3, "事项编码"), (4, "实施主体"), (5, "处罚依据"), (6, "事项编码")}


def test_bulk_import_of_two_thousand_items_is_flat(catalog, users, django_assert_max_num_queries):
    """A large import uses batched inserts: far fewer queries than rows (each row writes an
    item, a version and two audit entries; SQLite caps a batch at 999 parameters)."""
    rows = [_item_row(n) for n in range(2000)]
    with django_assert_max_num_queries(150):
        result = run_import(ItemSpec(users.admin_a), _workbook(ItemSpec, rows))
    assert result.ok and result.created == 2000
    assert ItemVersion.objects.filter(item__code="SCJG-CF-01999", article=125, item_no=2).exists()
    assert ChangeLog.objects.filter(note__startswith="Excel导入").count() == 4000


def _wipe():
    BenchmarkTier.objects.all().delete()
    Benchmark.objects.all().delete()
    SpecialListEntry.objects.all().delete()
    Delegation.objects.all().delete()
    ItemVersion.objects.all().delete()
    Item.objects.all().delete()


def test_exports_reimport_into_an_empty_catalog(catalog, users, tree):
    """Exports of items, benchmarks and list entries import back into an empty catalog."""
    from zhifa.catalog import services

    services.revise_item(catalog.item_a, {"article": 126}, users.admin_a, D(2021, 4, 29), "法律修正")
    SpecialListEntry.objects.create(list_kind=choices.EXEMPT_OR_LIGHT_LIST, item=catalog.item_a,
                                    circumstances="首违不罚", conditions=["首次违法", "及时改正"],
                                    legal_basis="《中华人民共和国行政处罚法》第三十三条第一款", valid_from=D(2023, 1, 1))
    user = users.admin_a
    files = {spec: io.BytesIO(export_workbook(spec(user))) for spec in (ItemSpec, BenchmarkSpec, SpecialListSpec)}
    header = [c.value for c in next(load_workbook(files[ItemSpec]).active.iter_rows(max_row=1))]
    assert header[:3] == ["实施主体", "事项编码", "事项名称"]
    files[ItemSpec].seek(0)
    _wipe()
    for spec in (ItemSpec, BenchmarkSpec, SpecialListSpec):
        result = run_import(spec(user), files[spec])
        assert result.ok, [e.as_dict() for e in result.errors]
    item = Item.objects.get(agency=tree.market, code="SCJG-CF-0001")
    version = item.current_version
    assert (version.number, version.article, version.valid_from) == (2, 126, D(2021, 4, 29))
    assert Item.objects.count() == 2  # 青石县's item is outside admin_a's scope
    bench = item.benchmarks.get()
    assert bench.tiers.count() == 5
    assert bench.tier_for(choices.LIGHT).fine_max == 18500
    assert bench.tier_for(choices.GRAVE).penalty_kinds == ["罚款", "没收违法所得", "责令停产停业"]
    assert SpecialListEntry.objects.get().conditions == ["首次违法", "及时改正"]


def test_benchmark_import_groups_rows_and_closes_current(catalog, users):
    """Rows of one item and version form one benchmark; a later one closes the current."""
    base = {"实施主体": "云岭县市场监督管理局", "事项编码": "SCJG-CF-0001", "基准版本": 2, "生效日期": "2024-01-01",
            "复审日期": "2027-01-01", "发布文件": "云市监规〔2024〕1号", "法定罚款下限": 5000, "法定罚款上限": 50000}
    rows = [
        {**base, "情节档次": "情节较轻", "裁量结果": "从轻处罚", "处罚种类": "警告、罚款", "罚款下限": 5000,
         "罚款上限": 18500, "违法情形": "初次违法"},
        {**base, "情节档次": "情节一般", "裁量结果": "一般处罚", "处罚种类": "罚款", "罚款下限": 18500,
         "罚款上限": 36500, "违法情形": "一般"},
    ]
    bad = [dict(rows[0]), {**rows[1], "罚款下限": 40000}, {**rows[1], "情节档次": "情节较重", "复审日期": "2028-01-01"}]
    result = run_import(BenchmarkSpec(users.admin_a), _workbook(BenchmarkSpec, bad))
    assert {(e.row, e.column) for e in result.errors} == {(3, "罚款上限"), (4, "复审日期")}
    result = run_import(BenchmarkSpec(users.admin_a), _workbook(BenchmarkSpec, rows))
    assert result.ok and result.created == 2
    catalog.benchmark.refresh_from_db()
    assert catalog.benchmark.valid_to == D(2023, 12, 31)
    new = Benchmark.objects.get(item=catalog.item_a, version=2)
    assert new.tier_for(choices.LIGHT).penalty_kinds == ["警告", "罚款"]
    again = run_import(BenchmarkSpec(users.admin_a), _workbook(BenchmarkSpec, rows))
    assert not again.ok and again.errors[0].column == "基准版本"
