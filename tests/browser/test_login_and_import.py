"""Browser tests at phone size (375 px) in headless Chromium."""


from openpyxl import Workbook

from tests.browser.conftest import login
from zhifa.core.testing import PASSWORD
from zhifa.orgs.models import Unit


def _xlsx(tmp_path, headers, rows, name="import.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def test_login_menu_and_scoped_list_on_a_phone(page, users, tree):
    """An officer logs in on a phone, opens the menu, and sees only their own agency."""
    login(page, "admin_a", PASSWORD)
    assert page.locator("h1").inner_text() == "工作台"
    page.click("label.nav-toggle-label")
    page.click("nav.mainnav >> text=执法主体")
    page.wait_for_url("**/orgs/agencies/")
    body = page.locator("table.list").inner_text()
    assert "云岭县市场监督管理局" in body and "青石县市场监督管理局" not in body
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"页面在手机宽度下横向溢出：{width}px"


def test_import_units_through_the_ui(page, users, tree, tmp_path):
    """Upload an xlsx through the import page; errors are listed, then a good file imports."""
    login(page, "admin_a", PASSWORD)
    headers = ["执法主体", "名称", "类型", "办公地址", "联系电话", "职责", "有效"]
    bad = _xlsx(tmp_path, headers, [["云岭县市场监督管理局", "浏览器中队", "错误类型", "", "", "", ""]], "bad.xlsx")
    page.goto("/data/units/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("form.edit button[type=submit]")
    assert "所有数据均未导入" in page.locator(".errors").inner_text()
    assert "第2行" in page.locator("table.import-errors").inner_text()
    good = _xlsx(tmp_path, headers, [["云岭县市场监督管理局", "浏览器中队", "执法中队", "", "", "", ""]], "good.xlsx")
    page.set_input_files("input[type=file]", str(good))
    page.click("form.edit button[type=submit]")
    assert "导入成功，共 1 条" in page.locator("p.ok").inner_text()
    page.goto("/orgs/units/?q=浏览器")
    assert "浏览器中队" in page.locator("table.list").inner_text()
    assert Unit.objects.filter(name="浏览器中队").exists()
