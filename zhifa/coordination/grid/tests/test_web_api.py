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
