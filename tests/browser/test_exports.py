"""我的导出 on a phone: an export with more rows than a request builds is made by a worker, the
person is sent to 我的导出 and downloads the file there."""

import io

from openpyxl import load_workbook

from tests.browser.conftest import assert_fits_phone, login
from zhifa.core.testing import PASSWORD


def test_a_large_export_is_downloaded_from_my_exports_on_a_phone(page, users, tree, settings):
    settings.ZHIFA_EXPORT_INLINE_ROWS = 1  # county A has two units: more than a request builds
    login(page, "admin_a", PASSWORD)
    page.goto("/data/")
    page.click("tr:has-text('执法机构') >> text=导出")
    page.wait_for_url("**/data/exports/")
    assert "已转入后台生成" in page.locator("ul.messages").inner_text()
    row = page.locator("table.list tbody tr").first
    assert "执法机构" in row.inner_text() and "已完成" in row.inner_text()  # the worker ran (at once in tests)
    assert_fits_phone(page, "我的导出")
    with page.expect_download() as download:
        row.locator("text=下载").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))["数据"]
    assert sorted(r[1] for r in sheet.iter_rows(min_row=2, values_only=True)) == ["云岭镇执法队", "稽查大队"]
    page.goto("/workspace/messages/")
    assert "执法机构导出已完成" in page.locator("main").inner_text()
