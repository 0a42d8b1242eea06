"""Excel templates, atomic imports with row/column errors, and exports that re-import."""

import io

from openpyxl import load_workbook

from zhifa.core.audit import acting_as
from zhifa.core.excel import REGISTRY, export_workbook, run_import, template_workbook
from zhifa.core.models import ChangeLog
from zhifa.core.testing import PASSWORD, xlsx_file
from zhifa.orgs.models import Region, Unit

xlsx = xlsx_file


UNIT_HEADERS = ["执法主体", "名称", "类型", "办公地址", "联系电话", "职责", "有效"]


def test_template_has_chinese_headers_help_and_dropdowns(users):
    spec = REGISTRY["units"](users.admin_a)
    wb = load_workbook(io.BytesIO(template_workbook(spec)))
    assert [c.value for c in wb["数据"][1]] == UNIT_HEADERS
    assert wb["数据"]["C1"].comment.text.startswith("必填")
    assert wb["数据"].data_validations.dataValidation
    assert wb["填写说明"]["A2"].value == "执法主体"


def test_import_of_1000_rows_with_one_bad_row_imports_nothing(users, tree):
    """One bad row among 1,000: nothing is saved and the error names row and column."""
    rows = [["云岭县市场监督管理局", f"执法中队{i}", "执法中队", "", "", "", "是"] for i in range(1000)]
    rows[636][2] = "大队"  # not a valid kind -> Excel row 638
    before = Unit.objects.count()
    result = run_import(REGISTRY["units"](users.admin_a), xlsx(UNIT_HEADERS, rows))
    assert not result.ok and result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [(638, "类型")]
    assert "取值应为" in result.errors[0].message
    assert Unit.objects.count() == before


def test_good_import_saves_all_rows_and_audits_them(users, tree):
    rows = [["云岭县市场监督管理局", f"执法中队{i}", "执法中队", "", "", "", ""] for i in range(20)]
    result = run_import(REGISTRY["units"](users.admin_a), xlsx(UNIT_HEADERS, rows))
    assert result.ok and result.created == 20
    assert Unit.objects.filter(name__startswith="执法中队", agency=tree.market).count() == 20
    assert ChangeLog.objects.filter(note="Excel导入：执法机构", actor=users.admin_a).count() == 20


def test_duplicates_references_and_scope_are_checked(users, tree):
    """Duplicates inside the file and against the database, unknown and out-of-scope references."""
    rows = [
        ["云岭县市场监督管理局", "新中队", "执法中队", "", "", "", ""],
        ["云岭县市场监督管理局", "新中队", "执法中队", "", "", "", ""],  # duplicate of row 2
        ["云岭县市场监督管理局", "稽查大队", "执法中队", "", "", "", ""],  # exists already
        ["青石县市场监督管理局", "外县中队", "执法中队", "", "", "", ""],  # other county
        ["", "无主体", "执法中队", "", "", "", ""],  # missing required
    ]
    result = run_import(REGISTRY["units"](users.admin_a), xlsx(UNIT_HEADERS, rows))
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[(3, "执法主体")] == "与第2行重复。"
    assert messages[(4, "执法主体")] == "系统中已存在相同记录。"
    assert "不在您的管辖范围内" in messages[(5, "执法主体")]
    assert messages[(6, "执法主体")] == "必填项不能为空。"
    assert not Unit.objects.filter(name="新中队").exists()


def test_region_import_checks_codes_and_parents_in_file_order(users, tree):
    headers = ["行政区划代码", "名称", "上级行政区划代码"]
    bad = run_import(REGISTRY["regions"](users.admin_a), xlsx(headers, [["619921009", "新镇", "619922"]]))
    assert bad.errors[0].column == "上级行政区划代码"
    bad = run_import(REGISTRY["regions"](users.admin_a), xlsx(headers, [["61992100X", "新镇", "619921"]]))
    assert bad.errors[0].column == "行政区划代码" and "9位" in bad.errors[0].message
    good = run_import(REGISTRY["regions"](users.admin_a), xlsx(headers, [["619921004", "新镇", "619921"]]))
    assert good.ok
    assert Region.objects.get(code="619921004").path == "/610000/619900/619921/619921004/"


def test_export_reimports(users, tree):
    """An export has the template's layout: it re-imports (here: duplicates are reported by name)."""
    spec = REGISTRY["units"](users.admin_a)
    data = export_workbook(spec)
    ws = load_workbook(io.BytesIO(data))["数据"]
    assert [c.value for c in ws[1]] == UNIT_HEADERS
    exported = {row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert exported == {"稽查大队", "云岭镇执法队"}
    result = run_import(spec, io.BytesIO(data))
    assert {e.message for e in result.errors} == {"系统中已存在相同记录。"}


def test_not_an_excel_file(users):
    """Bytes of no known kind are refused by the upload allow-list before openpyxl reads them."""
    result = run_import(REGISTRY["units"](users.admin_a), io.BytesIO(b"not a zip"))
    assert "无法识别的文件格式" in result.errors[0].message


def test_import_page_and_api(client, api_client, users, tree):
    """The web page lists every error; the API answers 400 with the rows, or 201."""
    bad = xlsx(UNIT_HEADERS, [["云岭县市场监督管理局", "甲", "无此类型", "", "", "", ""]])
    client.login(username="admin_a", password=PASSWORD)
    page = client.post("/data/units/import/", {"file": _named(bad)})
    assert page.status_code == 400 and "第2行" in page.content.decode() and "所有数据均未导入" in page.content.decode()
    api_client.force_authenticate(users.admin_a)
    response = api_client.post("/api/core/data/units/import/", {"file": _named(bad)}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["rows"][0] == {"row": 2, "column": "类型", "message": response.json()["error"]["rows"][0]["message"]}
    good = xlsx(UNIT_HEADERS, [["云岭县市场监督管理局", "乙", "执法中队", "", "", "", ""]])
    response = api_client.post("/api/core/data/units/import/", {"file": _named(good)}, format="multipart")
    assert response.status_code == 201 and response.json() == {"created": 1}
    api_client.force_authenticate(users.officer_a)
    assert api_client.post("/api/core/data/units/import/", {"file": _named(good)}, format="multipart").status_code == 403


def _named(buffer):
    buffer.name = "data.xlsx"
    buffer.seek(0)
    return buffer


def test_import_runs_as_the_importing_user(users, tree):
    with acting_as(None):
        rows = [["云岭县市场监督管理局", "丙", "执法中队", "", "", "", ""]]
        run_import(REGISTRY["units"](users.head_a), xlsx(UNIT_HEADERS, rows))
    # head_a is an agency head: may import but orgs changes are for system admins only
    assert not Unit.objects.filter(name="丙").exists()

