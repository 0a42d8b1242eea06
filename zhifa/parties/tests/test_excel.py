"""Excel import of parties: validated, scoped, all-or-nothing, with rating history."""



from zhifa.core.excel import run_import, template_workbook
from zhifa.core.testing import xlsx_file
from zhifa.parties.excel import PartySpec
from zhifa.parties.identifiers import USCC_ENTERPRISE, make_uscc
from zhifa.parties.models import CreditRating, Party

from .conftest import COMPANY_CODE

NEW_CODE = make_uscc(USCC_ENTERPRISE, "619921", "MA6CX0T2")

HEADERS = [c.header for c in PartySpec.columns]


def _xlsx(rows):
    return xlsx_file(HEADERS, rows)


def test_template_has_the_columns(users):
    """The template downloads with the Chinese headers."""
    assert template_workbook(PartySpec(users.head_a))[:2] == b"PK"


def test_import_creates_parties_and_ratings(tree, users):
    """Valid rows are saved with their region path, and a class creates a rating row."""
    result = run_import(PartySpec(users.head_a), _xlsx([
        {"当事人类型": "法人", "姓名/名称": "云岭瑞丰食品有限公司", "统一社会信用代码": COMPANY_CODE,
         "登记地行政区划代码": "619921001", "信用风险分类": "B类（一般风险）", "分类日期": "2024-03-31",
         "分类来源": "市场监管部门企业信用风险分类结果"},
        {"当事人类型": "自然人", "姓名/名称": "周敏", "证件号码": "11010519491231002x", "联系电话": "13912345678",
         "登记地行政区划代码": "619921"},
    ]))
    assert result.ok, result.errors
    assert result.created == 2
    company = Party.objects.get(credit_code=COMPANY_CODE)
    assert company.region_path == tree.township.path and company.credit_class == "B"
    assert CreditRating.objects.get(party=company).source == "市场监管部门企业信用风险分类结果"
    person = Party.objects.get(name="周敏")
    assert (person.id_type, person.id_number, person.gender) == ("resident_id", "11010519491231002X", "F")


def test_import_reports_every_error_and_saves_nothing(parties, tree, users):
    """Bad numbers, duplicates (in the file and in the system) and out-of-scope regions are
    reported by row and column; nothing is imported."""
    result = run_import(PartySpec(users.head_a), _xlsx([
        {"当事人类型": "自然人", "姓名/名称": "错号", "证件号码": "110105194912310021", "登记地行政区划代码": "619921"},
        {"当事人类型": "法人", "姓名/名称": "重复", "统一社会信用代码": COMPANY_CODE, "登记地行政区划代码": "619921"},
        {"当事人类型": "法人", "姓名/名称": "青石公司", "统一社会信用代码": "91110000600037341L",
         "登记地行政区划代码": "619922"},
        {"当事人类型": "法人", "姓名/名称": "好公司", "统一社会信用代码": NEW_CODE,
         "登记地行政区划代码": "619921"},
        {"当事人类型": "法人", "姓名/名称": "好公司二", "统一社会信用代码": NEW_CODE,
         "登记地行政区划代码": "619921"},
    ]))
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert "校验位错误" in errors[(2, "证件号码")]
    assert "已登记为当事人“云岭鑫达商贸有限公司”" in errors[(3, "统一社会信用代码")]
    assert "不在您的管辖范围内" in errors[(4, "登记地行政区划代码")]
    assert not any(row == 5 for row, _ in errors)
    assert errors[(6, "统一社会信用代码")] == "与第5行重复。"
    assert Party.objects.count() == 4


def test_auxiliary_cannot_import(users):
    """Only roles with the import capability may import."""
    result = run_import(PartySpec(users.auxiliary_a), _xlsx([{"当事人类型": "法人"}]))
    assert not result.ok and "没有导入" in result.errors[0].message
