"""Excel import/export of officers, certificates and training (ORG-7): atomic, row+column errors."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.core.excel import REGISTRY, run_import, template_workbook
from zhifa.core.testing import spec_headers, xlsx_file
from zhifa.people.models import Certificate, CertificateEvent, Officer, TrainingRecord

from .conftest import make_id_number

pytestmark = pytest.mark.django_db


def workbook(spec_key, rows, user):
    """An xlsx file in the template's layout with ``rows`` (dicts keyed by header)."""
    spec = REGISTRY[spec_key](user)
    return spec, xlsx_file(spec_headers(spec), rows)


def officer_row(n, agency="云岭县市场监督管理局", **extra):
    birth = f"19{70 + n % 25:02d}{1 + n % 12:02d}{1 + n % 28:02d}"
    return {"姓名": f"测试{n}", "公民身份号码": make_id_number(birth=birth, seq=n % 1000), "人员类别": "执法人员",
            "所属执法主体": agency, "所属执法机构": "稽查大队", "在岗": "是", **extra}


def test_templates_have_chinese_headers(users):
    """Each people template opens with the Chinese headers of its spec."""
    for key, first in (("officers", "姓名"), ("certificates", "证号"), ("training", "身份证号码")):
        wb = load_workbook(io.BytesIO(template_workbook(REGISTRY[key](users.head_a))))
        assert wb["数据"]["A1"].value == first


def test_officers_import(tree, users):
    """Good rows are all created, with derived gender and birth date, and audit entries."""
    rows = [officer_row(1), officer_row(2, 性别="女"),
            officer_row(3, 法制审核人员="是", 审核人员类别="公职律师", 法律职业资格证书编号="A20186101123456")]
    rows[1]["公民身份号码"] = make_id_number(seq=2)  # even sequence: female
    spec, f = workbook("officers", rows, users.head_a)
    result = run_import(spec, f)
    assert result.ok, result.errors
    assert result.created == 3
    reviewer = Officer.objects.get(name="测试3")
    assert reviewer.is_legal_reviewer and reviewer.reviewer_kind == "public_lawyer"
    assert reviewer.unit == tree.market_unit
    assert Officer.objects.get(name="测试2").gender == "F"


def test_one_bad_row_among_1000_imports_nothing(tree, users):
    """Atomic import: one bad identity number among 1,000 rows imports nothing, and the error
    names that row (Excel numbering) and column."""
    rows = [officer_row(n) for n in range(1000)]
    rows[499]["公民身份号码"] = rows[499]["公民身份号码"][:17] + ("0" if rows[499]["公民身份号码"][17] != "0" else "1")
    spec, f = workbook("officers", rows, users.head_a)
    before = Officer.objects.count()
    result = run_import(spec, f)
    assert not result.ok
    assert [(e.row, e.column, e.message) for e in result.errors] == [(501, "公民身份号码", "身份证号码校验位错误。")]
    assert Officer.objects.count() == before


def test_duplicates_refused_within_file_and_against_database(tree, users):
    """A number twice in the file, or already on the roster, is refused."""
    Officer.objects.create(name="已有", id_number=make_id_number(seq=901), home_agency=tree.market)
    rows = [officer_row(1), officer_row(1), officer_row(901)]
    rows[2]["公民身份号码"] = make_id_number(seq=901)
    spec, f = workbook("officers", rows, users.head_a)
    result = run_import(spec, f)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "公民身份号码", "与第2行重复。"),
        (4, "公民身份号码", "系统中已存在相同记录。"),
    ]


def test_officer_import_checks_references_and_scope(tree, users):
    """Unknown or out-of-scope agency, unit of another agency, and gender against the number are reported by column."""
    rows = [
        officer_row(1, 所属执法主体="青石县市场监督管理局"),
        officer_row(2, 所属执法机构="云岭镇执法队"),
        officer_row(3, 性别="女"),
        officer_row(4, 派驻执法机构="云岭镇执法队"),
    ]
    rows[2]["公民身份号码"] = make_id_number(seq=3)  # odd: male
    spec, f = workbook("officers", rows, users.head_a)
    result = run_import(spec, f)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "所属执法主体"), (3, "所属执法机构"), (4, "性别"), (5, "派驻执法主体"),
    ]
    assert "不存在或不在您的管辖范围内" in result.errors[0].message


def test_dispatch_import(tree, users):
    """A county administrator imports an officer dispatched to the township team."""
    row = officer_row(5, 所属执法主体="云岭县综合行政执法局", 派驻执法主体="云岭镇综合行政执法办公室",
                      派驻执法机构="云岭镇执法队", 派驻起始日期="2025-03-01")
    del row["所属执法机构"]
    spec, f = workbook("officers", [row], users.admin_a)
    result = run_import(spec, f)
    assert result.ok, result.errors
    assert Officer.objects.get(name="测试5").dispatched_to == tree.township_team


def test_certificates_import(roster, users, fields):
    """Certificates are registered with their fields and events; auxiliaries and non-valid status are refused."""
    rows = [
        {"证号": "IMP-1", "持证人身份证号码": roster.market_officer.id_number, "持证人姓名": "李明远",
         "执法领域": "市场监管、CSGL", "发证机关": "云岭县人民政府", "发证日期": "2023-03-01",
         "有效期至": "2029-02-28", "最近年度审验合格日期": "2025-02-01"},
    ]
    spec, f = workbook("certificates", rows, users.head_a)
    result = run_import(spec, f)
    assert result.ok, result.errors
    cert = Certificate.objects.get(number="IMP-1")
    assert {f.code for f in cert.fields.all()} == {"SCJG", "CSGL"}
    assert list(cert.events.values_list("kind", flat=True)) == ["issue", "review_passed"]
    assert cert.last_review_passed is True

    bad = [
        {**rows[0], "证号": "IMP-2", "持证人身份证号码": roster.auxiliary.id_number, "持证人姓名": None},
        {**rows[0], "证号": "IMP-3", "状态": "暂扣"},
        {**rows[0], "证号": "IMP-4", "执法领域": "不存在的领域"},
        {**rows[0], "证号": "IMP-5", "持证人身份证号码": roster.other_officer.id_number, "持证人姓名": None},
        {**rows[0], "证号": "IMP-1"},
    ]
    spec, f = workbook("certificates", bad, users.head_a)
    events_before = CertificateEvent.objects.count()
    result = run_import(spec, f)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "持证人身份证号码"), (3, "状态"), (4, "执法领域"), (5, "持证人身份证号码"), (6, "证号"),
    ]
    assert result.errors[0].message == "执法辅助人员不能持有行政执法证。"
    assert CertificateEvent.objects.count() == events_before


def test_training_import(roster, users):
    """Training rows are created; a duplicate of an existing record is refused."""
    rows = [
        {"身份证号码": roster.market_officer.id_number, "培训日期": "2025-05-20", "培训名称": "行政处罚法专题培训",
         "培训类别": "公共法律知识", "学时": 8, "天数": 1, "培训机构": "云岭县司法局"},
        {"身份证号码": roster.market_officer.id_number, "培训日期": "2025-06-20", "培训名称": "执法文书规范",
         "培训类别": "执法实务", "学时": "6.5"},
    ]
    spec, f = workbook("training", rows, users.head_a)
    result = run_import(spec, f)
    assert result.ok, result.errors
    assert TrainingRecord.objects.filter(officer=roster.market_officer).count() == 2
    spec, f = workbook("training", rows[:1], users.head_a)
    result = run_import(spec, f)
    assert [(e.row, e.column, e.message) for e in result.errors] == [(2, "身份证号码", "系统中已存在相同记录。")]


def test_import_page_reports_errors(client, tree, users):
    """Through the web page, a bad file is answered 400 with the row and column."""
    rows = [officer_row(1), officer_row(2, 人员类别="临时工")]
    _, f = workbook("officers", rows, users.head_a)
    client.force_login(users.head_a)
    f.name = "officers.xlsx"
    response = client.post(reverse("core:data_import", args=["officers"]), {"file": f})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第3行" in page and "人员类别" in page
    assert not Officer.objects.filter(name="测试1").exists()


def test_export_masks_identity_numbers(client, roster, users):
    """Exports are in scope and never carry a full identity number."""
    client.force_login(users.head_a)
    response = client.get(reverse("core:data_export", args=["officers"]))
    ws = load_workbook(io.BytesIO(response.content))["数据"]
    values = [cell.value for row in ws.iter_rows(min_row=2) for cell in row]
    assert roster.market_officer.masked_id_number in values
    assert roster.market_officer.id_number not in values
    assert "冯丽" not in values  # 青石县
    for key in ("certificates", "training"):
        assert client.get(reverse("core:data_export", args=[key])).status_code == 200
