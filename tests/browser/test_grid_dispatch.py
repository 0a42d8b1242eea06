"""On a phone (375 px, Chromium): an officer of the township team accepts a dispatched task, arrives
(the page reads the phone's position and time) and reports back with a photo; the command centre
sees it on the dispatch board."""

import pytest

from tests.browser.conftest import assert_fits_phone, login
from zhifa.coordination.grid import models as m
from zhifa.coordination.grid.models import GridReport
from zhifa.coordination.grid.tests.conftest import PNG, dispatch, grid_world  # noqa: F401  (fixture)
from zhifa.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_officer_accepts_arrives_and_reports_with_a_photo_on_a_phone(page, grid_world, tmp_path):  # noqa: F811
    w = grid_world
    task = dispatch(w, assignees=[w.officer])
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 34.261234, "longitude": 108.942345})
    login(page, w.officer.username, PASSWORD)
    page.goto(f"/coordination/grid/tasks/{task.pk}/")
    assert_fits_phone(page, "调度任务页面")
    page.click("button[value=accept]")
    page.wait_for_selector("button[value=arrive]")
    page.click("button[value=arrive]")  # locate.js fills the position and the device time, then submits
    page.wait_for_selector("button[value=report]")
    task.refresh_from_db()
    assert task.status == m.ARRIVED and str(task.arrived_latitude) == "34.261234" and task.arrived_at is not None
    assert_fits_phone(page, "反馈表单")
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    page.select_option("select[name=report-category]", "street_occupation")
    page.fill("textarea[name=report-text]", "正街早市三处占道经营，已劝离。")
    page.fill("input[name=report-place]", "正街12号")
    page.check("input[name=report-problem_found]")
    page.set_input_files("input[name=report-photos]", str(photo))
    page.click("button[value=report]")
    page.wait_for_selector("text=已反馈，待办结")
    report = GridReport.objects.get(task=task)
    assert report.photos.count() == 1 and report.latitude is not None
    page.click("text=查看上报与照片")
    page.wait_for_selector(".grid-photos img")
    page.wait_for_function("() => document.querySelector('.grid-photos img').complete")  # loaded, not only in the page
    assert page.evaluate("document.querySelector('.grid-photos img').naturalWidth") == 1
    assert_fits_phone(page, "上报详情")

    page.context.clear_cookies()
    login(page, w.commander.username, PASSWORD)
    page.goto("/coordination/grid/board/")
    assert "云岭镇第一网格" in page.content() and "正街12号" not in page.content()
    # the charts are drawn by board.js from the site's own ECharts (no inline script), fitting the phone
    for chart in ("reports-by-day", "tasks-by-status"):
        page.wait_for_selector(f"#chart-{chart}[data-rendered='1'] canvas")
        assert page.evaluate(f"document.querySelector('#chart-{chart} canvas').getBoundingClientRect().width") <= 375
    assert_fits_phone(page, "指挥调度台")
