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
    # the local stylesheet is served and applied (blue top bar), nothing from the internet
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor") == "rgb(31, 78, 140)"
    page.click("label.nav-toggle-label")
    page.click("nav.mainnav details.navgroup summary:has-text('清单')")  # the menu is grouped by domain
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


def test_import_officers_xlsx_and_find_the_officer(page, users, tree, tmp_path):
    """The issue's browser test: log in, import an officers xlsx through the UI, find the officer."""
    from zhifa.people.models import Officer

    login(page, "admin_a", PASSWORD)
    page.goto("/people/officers/")
    page.click("text=导入 Excel")
    page.wait_for_url("**/data/officers/import/")
    with page.expect_download() as download:
        page.click("text=下载执法人员模板")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    from openpyxl import load_workbook

    wb = load_workbook(template)
    ws = wb["数据"]
    headers = [c.value for c in ws[1]]
    row = {"姓名": "欧阳明远", "公民身份号码": "610113199003071237", "人员类别": "执法人员",
           "所属执法主体": "云岭县市场监督管理局", "职务": "科员", "在岗": "是"}
    ws.append([row.get(h) for h in headers])
    filled = tmp_path / "officers.xlsx"
    wb.save(filled)
    page.set_input_files("input[type=file]", filled)
    page.click("form.edit button[type=submit]")
    assert "导入成功，共 1 条" in page.locator("p.ok").inner_text()
    page.goto("/people/officers/")
    page.fill("input[name=q]", "欧阳明远")
    page.click("form.filters button[type=submit]")
    table = page.locator("table.list").inner_text()
    assert "欧阳明远" in table
    assert "610113199003071237" not in page.content()  # masked in the list
    page.click("table.list >> text=欧阳明远")
    assert "云岭县市场监督管理局" in page.locator("dl.fields").inner_text()
    officer = Officer.objects.get(name="欧阳明远")
    assert officer.home_agency == tree.market and officer.gender == "M"
