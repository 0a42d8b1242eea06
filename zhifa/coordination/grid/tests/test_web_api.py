"""网格调度的页面与接口：按组织范围隔离（另一县的网格、任务、上报看不到也改不了），指挥调度台的查询数不随数据量增长。"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.core import clock

from .. import models as m
from .. import services
from ..models import DispatchTask, GridReport
from .conftest import dispatch, png

pytestmark = pytest.mark.django_db


def _due():
    return (clock.now() + datetime.timedelta(days=1)).isoformat()


def test_another_countys_grid_task_and_report_are_invisible_and_unchangeable_via_api(grid_world, api_client):
    w = grid_world
    task = dispatch(w)
    report = services.file_report(actor=w.worker, grid=w.grid, text="井盖缺失", place="正街", problem_found=True)
    api_client.force_login(w.other_commander)
    assert api_client.get("/api/coordination/grids/").json()["results"][0]["id"] == w.other_grid.pk
    assert api_client.get(f"/api/coordination/grids/{w.grid.pk}/").status_code == 404
    assert api_client.get(f"/api/coordination/dispatch-tasks/{task.pk}/").status_code == 404
    assert api_client.get("/api/coordination/dispatch-tasks/").json()["count"] == 0
    assert api_client.get(f"/api/coordination/grid-reports/{report.pk}/").status_code == 404
    assert api_client.post(f"/api/coordination/dispatch-tasks/{task.pk}/reassign/", {"reason": "x"},
                           format="json").status_code == 404
    assert api_client.put(f"/api/coordination/grids/{w.grid.pk}/", {
        "township": w.tree.township.pk, "agency": w.tree.comprehensive.pk, "team": w.tree.township_team.pk,
        "code": "619921001001", "name": "改名", "bounds": "x"}, format="json").status_code == 404
    response = api_client.post("/api/coordination/dispatch-tasks/", {
        "grid": w.grid.pk, "kind": "patrol", "title": "越权", "description": "x", "due_at": _due()}, format="json")
    assert response.status_code == 400 and "grid" in response.json()["error"]["fields"]
    api_client.force_login(w.other_officer)
    assert api_client.post(f"/api/coordination/dispatch-tasks/{task.pk}/accept/", format="json").status_code == 404
    task.refresh_from_db()
    assert task.status == m.DISPATCHED and task.title == "正街占道经营巡查"
    # the same county's market bureau is another agency: the grid is not theirs either
    api_client.force_login(w.market_officer)
    assert api_client.get(f"/api/coordination/dispatch-tasks/{task.pk}/").status_code == 404
    # the county's supervisor reads everything in the county
    api_client.force_login(w.supervisor)
    assert api_client.get(f"/api/coordination/dispatch-tasks/{task.pk}/").status_code == 200


def test_the_whole_task_through_the_api(grid_world, api_client):
    w = grid_world
    api_client.force_login(w.commander)
    response = api_client.post("/api/coordination/dispatch-tasks/", {
        "grid": w.grid.pk, "kind": "special", "priority": "high", "title": "燃气安全专项检查",
        "description": "检查沿街餐饮燃气。", "due_at": _due(), "assignees": [w.officer.pk]}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == m.DISPATCHED
    # JSON only
    assert api_client.post(f"/api/coordination/dispatch-tasks/{pk}/close/", "note=x",
                           content_type="application/x-www-form-urlencoded").status_code == 415
    api_client.force_login(w.colleague)
    refused = api_client.post(f"/api/coordination/dispatch-tasks/{pk}/accept/", format="json")
    assert refused.status_code == 403 and "指定的人员" in refused.json()["error"]["message"]
    api_client.force_login(w.officer)
    assert api_client.post(f"/api/coordination/dispatch-tasks/{pk}/accept/", format="json").status_code == 200
    bad = api_client.post(f"/api/coordination/dispatch-tasks/{pk}/arrive/", {"latitude": 134, "longitude": 108},
                          format="json")
    assert bad.status_code == 400
    assert api_client.post(f"/api/coordination/dispatch-tasks/{pk}/arrive/", {
        "latitude": "34.1", "longitude": "108.2", "device_time": clock.now().isoformat()},
        format="json").json()["status"] == m.ARRIVED
    not_mine = api_client.post(f"/api/coordination/dispatch-tasks/{pk}/report/", {
        "text": "x", "place": "y", "photos": ["00000000-0000-0000-0000-000000000000"]}, format="json")
    assert not_mine.status_code == 400 and "photos" in not_mine.json()["error"]["fields"]
    response = api_client.post(f"/api/coordination/dispatch-tasks/{pk}/report/", {
        "text": "12家餐饮燃气软管老化，已责令更换。", "place": "正街", "category": "safety", "problem_found": True},
        format="json")
    assert response.status_code == 201 and response.json()["task"] == pk
    api_client.force_login(w.commander)
    assert api_client.post(f"/api/coordination/dispatch-tasks/{pk}/close/", {"note": "好"},
                           format="json").json()["status"] == m.CLOSED


def test_pages_are_scoped(grid_world, client):
    w = grid_world
    task = dispatch(w)
    report = services.file_report(actor=w.worker, grid=w.grid, text="井盖缺失", place="正街", problem_found=True)
    client.force_login(w.other_commander)
    for url in (w.grid.get_absolute_url(), task.get_absolute_url(), report.get_absolute_url(),
                reverse("coordination:grid_edit", args=[w.grid.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(task.get_absolute_url(), {"step": "reassign", "reassign-reason": "x"}).status_code == 404
    listing = client.get(reverse("coordination:task_list")).content.decode()
    assert task.number not in listing
    board = client.get(reverse("coordination:board")).content.decode()
    assert w.grid.name not in board and task.number not in board
    client.force_login(w.commander)
    assert task.number in client.get(reverse("coordination:task_list")).content.decode()


def test_an_officer_accepts_arrives_and_reports_with_a_photo_on_the_page(grid_world, client):
    w = grid_world
    task = dispatch(w)
    client.force_login(w.officer)
    page = client.get(task.get_absolute_url()).content.decode()
    assert 'value="accept"' in page and "reassign" not in page
    assert client.post(task.get_absolute_url(), {"step": "accept"}).status_code == 302
    client.post(task.get_absolute_url(), {"step": "arrive", "arrive-latitude": "34.2", "arrive-longitude": "108.9",
                                          "arrive-device_time": ""})
    response = client.post(task.get_absolute_url(), {
        "step": "report", "report-category": "street_occupation", "report-text": "早市占道已劝离",
        "report-place": "正街", "report-problem_found": "on", "report-photos": [png()]})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == m.REPORTED
    report = GridReport.objects.get(task=task)
    assert report.photos.count() == 1
    detail = client.get(report.get_absolute_url()).content.decode()
    assert report.photos.get().hash in detail
    # a step the officer may not take is refused
    assert client.post(task.get_absolute_url(), {"step": "close"}).status_code == 403


def _load(w, n):
    for i in range(n):
        task = dispatch(w, title=f"巡查{i}", priority=[m.URGENT, m.NORMAL][i % 2])
        if i % 3 == 0:
            services.accept(task, actor=w.officer)
        services.file_report(actor=w.worker, grid=w.grid, text=f"上报{i}", place="正街", problem_found=i % 2 == 0)


def _board_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("coordination:board"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_board_query_count_is_flat(grid_world, client):
    w = grid_world
    client.force_login(w.commander)
    _load(w, 3)
    small, page = _board_queries(client)
    assert "云岭镇第一网格" in page
    _load(w, 12)
    large, page = _board_queries(client)
    assert large == small, (small, large)
    assert DispatchTask.objects.count() == 15
    partial = client.get(reverse("coordination:board") + "?partial=1").content.decode()
    assert "各网格任务" in partial and "<html" not in partial


def test_list_pages_query_count_is_flat(grid_world, client):
    w = grid_world
    client.force_login(w.commander)
    _load(w, 2)
    counts = []
    for n in (0, 8):
        _load(w, n)
        row = []
        for name in ("coordination:task_list", "coordination:report_list", "coordination:grid_list"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            row.append(len(queries))
        counts.append(row)
    assert counts[0] == counts[1], counts


def test_board_charts_figures_are_scoped_and_flat_in_queries(grid_world, client):
    """The board's charts: reports per day over the last 30 days (problems found among them),
    every task in reach by state, overdue tasks per grid and per team — another county's tasks and
    reports never counted; the page's queries do not grow with the data (two sizes)."""
    import json

    from .. import board

    w = grid_world
    client.force_login(w.commander)
    _load(w, 2)
    services.file_report(actor=w.other_officer, grid=w.other_grid, text="他县上报", place="解放路")
    other_task = services.dispatch(actor=w.other_commander, grid=w.other_grid, kind="patrol", title="他县任务",
                                   description="x", due_at=clock.now() + datetime.timedelta(days=1))
    small, _ = _board_queries(client)
    _load(w, 9)
    # two reports 3 days ago and one 40 days ago (outside the window); two of this county's tasks overdue
    old = list(GridReport.objects.filter(grid=w.grid).order_by("pk")[:3])
    GridReport.objects.filter(pk__in=[old[0].pk, old[1].pk]).update(reported_at=clock.now() - datetime.timedelta(days=3))
    GridReport.objects.filter(pk=old[2].pk).update(reported_at=clock.now() - datetime.timedelta(days=40))
    late = list(DispatchTask.objects.filter(grid=w.grid, status=m.DISPATCHED).order_by("pk")[:2])
    DispatchTask.objects.filter(pk__in=[t.pk for t in late]).update(
        accept_due_at=clock.now() - datetime.timedelta(hours=2), due_at=clock.now() - datetime.timedelta(hours=1))
    DispatchTask.objects.filter(pk=other_task.pk).update(accept_due_at=clock.now() - datetime.timedelta(hours=2))
    large, page = _board_queries(client)
    assert large == small, (small, large)

    charts = board.build(w.commander)["charts"]
    mine = GridReport.objects.filter(grid=w.grid)
    day = charts["reports_by_day"]
    assert len(day["days"]) == board.CHART_DAYS == 30 and day["days"][-1] == f"{clock.today():%m-%d}"
    assert sum(day["reports"]) == mine.count() - 1  # the one 40 days ago is outside
    assert day["reports"][-4] == 2 and day["reports"][-1] == mine.count() - 3
    assert sum(day["problems"]) == mine.filter(problem_found=True).exclude(pk=old[2].pk).count()
    by_status = {s["name"]: s["value"] for s in charts["tasks_by_status"]}
    assert list(by_status) == [label for _, label in m.STATUS_CHOICES]
    assert sum(by_status.values()) == DispatchTask.objects.filter(grid=w.grid).count() == 11
    assert by_status["已签收，待到场"] == DispatchTask.objects.filter(grid=w.grid, status=m.ACCEPTED).count()
    assert charts["overdue_by_grid"] == {"names": [w.grid.name], "values": [2]}
    assert charts["overdue_by_team"]["values"] == [2] and w.grid.team.name in charts["overdue_by_team"]["names"][0]
    # the page carries the same figures for board.js (json_script, no inline script)
    start = page.index('id="board-charts"')
    data = json.loads(page[page.index(">", start) + 1:page.index("</script>", start)])
    assert data["overdue_by_grid"]["values"] == [2] and sum(data["reports_by_day"]["reports"]) == sum(day["reports"])
    assert 'id="chart-reports-by-day"' in page and 'id="chart-overdue-by-team"' in page
    assert "vendor/echarts/echarts.min.js" in page
    # another county's commander sees only its own task and report
    theirs = board.build(w.other_commander)["charts"]
    assert sum(s["value"] for s in theirs["tasks_by_status"]) == 1 and sum(theirs["reports_by_day"]["reports"]) == 1
    assert theirs["overdue_by_grid"] == {"names": [w.other_grid.name], "values": [1]}
