"""网格调度的规则：任务状态机、办理人、期限、上报（照片存证）、转案件线索、问题模型和待办。"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.core import clock
from zhifa.records.services import events_for, verify_stream
from zhifa.supervision.problems.registry import CheckContext, get_check
from zhifa.workspace.todos import label_of

from .. import models as m
from .. import services
from ..todos import dispatch_tasks
from .conftest import dispatch, stored_photo

pytestmark = pytest.mark.django_db


def test_a_task_runs_from_dispatch_to_close_and_every_step_is_in_the_grid_record(grid_world):
    w = grid_world
    task = dispatch(w, priority=m.URGENT)
    assert task.status == m.DISPATCHED and task.team == w.tree.township_team
    assert task.accept_due_at - task.dispatched_at == datetime.timedelta(hours=1)
    assert task.number.startswith("调") and task.number.endswith(f"{task.pk:06d}")
    task = services.accept(task, actor=w.officer)
    assert task.status == m.ACCEPTED and task.accepted_by == w.officer
    device_time = clock.now() - datetime.timedelta(minutes=1)
    task = services.arrive(task, actor=w.officer, latitude="34.123456", longitude="108.654321",
                           device_time=device_time, place="正街口")
    assert task.status == m.ARRIVED and task.arrived_at == device_time
    report = services.file_report(actor=w.officer, grid=w.grid, task=task, text="早市三处占道，已劝离。",
                                  place="正街12号", category="street_occupation", problem_found=True,
                                  photos=stored_photo())
    task.refresh_from_db()
    assert task.status == m.REPORTED and report.task == task and report.photos.count() == 1
    task = services.close(task, actor=w.commander, note="处置到位")
    assert task.status == m.CLOSED
    events = list(events_for(w.grid.stream_key))
    assert [e.kind for e in events][-5:] == ["dispatch:dispatched", "dispatch:accepted", "dispatch:arrived",
                                            "dispatch:reported", "dispatch:closed"]
    arrived = events[-3]
    assert str(arrived.latitude) == "34.123456" and arrived.payload["device_time"] == device_time.isoformat()
    assert events[-2].files and events[-2].files[0]["hash"] == report.photos.get().hash
    assert verify_stream(w.grid.stream_key).ok


def test_steps_out_of_order_are_refused(grid_world):
    w = grid_world
    task = dispatch(w)
    with pytest.raises(ValidationError, match="不能办理这一步"):
        services.arrive(task, actor=w.officer, latitude=34, longitude=108)
    with pytest.raises(ValidationError, match="不能办理这一步"):
        services.close(task, actor=w.commander)
    services.accept(task, actor=w.officer)
    with pytest.raises(ValidationError, match="不能办理这一步"):
        services.accept(task, actor=w.colleague)
    with pytest.raises(ValidationError, match="定位"):
        services.arrive(task, actor=w.officer, latitude=None, longitude=None)
    with pytest.raises(ValidationError, match="设备时间"):
        services.arrive(task, actor=w.officer, latitude=34, longitude=108,
                        device_time=clock.now() + datetime.timedelta(hours=2))


def test_wrong_actors_are_refused(grid_world):
    w = grid_world
    with pytest.raises(PermissionDenied, match="指挥中心"):
        services.dispatch(
            actor=w.officer, grid=w.grid, kind="patrol", title="t", description="d",
            due_at=clock.now() + datetime.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.dispatch(actor=w.other_commander, grid=w.grid, kind="patrol", title="t", description="d",
                          due_at=clock.now() + datetime.timedelta(days=1))
    task = dispatch(w, assignees=[w.officer])
    with pytest.raises(PermissionDenied, match="指定的人员"):
        services.accept(task, actor=w.colleague)  # same team, but the task names someone else
    with pytest.raises(PermissionDenied):
        services.accept(task, actor=w.market_officer)
    with pytest.raises(PermissionDenied):
        services.accept(task, actor=w.other_officer)
    services.accept(task, actor=w.officer)
    with pytest.raises(PermissionDenied, match="指挥中心"):
        services.reassign(task, actor=w.officer, reason="忙")


def test_unnamed_task_is_for_the_team_and_the_grid_workers(grid_world):
    w = grid_world
    task = dispatch(w)
    assert services.may_work(task, w.colleague) and services.may_work(task, w.worker)
    assert not services.may_work(task, w.market_officer)
    assert services.available_steps(task, w.worker) == ["accept", "send_back"]
    assert services.available_steps(task, w.commander) == ["reassign"]


def test_send_back_and_reassign_with_reasons(grid_world):
    w = grid_world
    task = dispatch(w)
    with pytest.raises(ValidationError, match="必填"):
        services.send_back(task, actor=w.officer, reason=" ")
    task = services.send_back(task, actor=w.officer, reason="本队今日全员参加专项整治")
    assert task.status == m.RETURNED
    with pytest.raises(ValidationError, match="责任队伍"):
        services.reassign(task, actor=w.commander, reason="改派", team=w.tree.market_unit)
    task = services.reassign(task, actor=w.commander, reason="改派镇执法队刘执法", assignees=[w.colleague])
    assert task.status == m.DISPATCHED and list(task.assignees.all()) == [w.colleague]
    assert task.accepted_at is None
    services.accept(task, actor=w.colleague)


def test_dispatch_rules(grid_world):
    w = grid_world
    with pytest.raises(ValidationError, match="晚于现在"):
        dispatch(w, due_at=clock.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="投诉举报"):
        dispatch(w, kind=m.COMPLAINT)
    with pytest.raises(ValidationError, match="网格员"):
        dispatch(w, assignees=[w.market_officer])


def test_grid_rules(grid_world):
    w, t = grid_world, grid_world.tree
    base = {"township": t.township, "agency": t.comprehensive, "team": t.township_team, "name": "二网格",
            "bounds": "河西"}
    with pytest.raises(ValidationError, match="12位"):
        services.save_grid(None, actor=w.commander, code="61992100101", **base)
    with pytest.raises(ValidationError, match="开头"):
        services.save_grid(None, actor=w.commander, code="619921002001", **base)
    with pytest.raises(ValidationError, match="已被使用"):
        services.save_grid(None, actor=w.commander, code="619921001001", **base)
    with pytest.raises(ValidationError, match="Polygon"):
        services.save_grid(None, actor=w.commander, code="619921001002", polygon='{"type": "Point"}', **base)
    with pytest.raises(ValidationError, match="网格员"):
        services.save_grid(None, actor=w.commander, code="619921001002", workers=[w.other_officer], **base)
    with pytest.raises(PermissionDenied):
        services.save_grid(None, actor=w.officer, code="619921001002", **base)
    ring = [[108.1, 34.1], [108.2, 34.1], [108.2, 34.2], [108.1, 34.1]]
    grid = services.save_grid(None, actor=w.commander, code="619921001002",
                              polygon='{"type": "Polygon", "coordinates": %s}' % str([ring]), **base)
    assert grid.code == "619921001002"
    with pytest.raises(PermissionDenied):  # another county's head cannot change it
        services.save_grid(grid, actor=w.other_commander, code="619921001002", **base)


def test_a_patrol_report_without_a_task_becomes_a_case_lead(grid_world, world, open_general):
    w = grid_world
    with pytest.raises(PermissionDenied, match="网格员"):
        services.file_report(actor=w.market_officer, grid=w.grid, text="x", place="y")
    report = services.file_report(actor=w.worker, grid=w.grid, text="河道边有人倾倒建筑垃圾", place="滨河路",
                                  category="environment", problem_found=True, photos=stored_photo())
    assert report.task is None and report.agency == w.tree.comprehensive
    case = open_general()  # a case of 云岭县市场监管局: not the grid's agencies
    with pytest.raises(PermissionDenied, match="管辖范围"):  # the market bureau cannot reach the grid's report
        services.start_case(report, actor=world.head, case=case)
    with pytest.raises(PermissionDenied, match="无权办理该案件"):  # nor the grid's commander the market's case
        services.start_case(report, actor=w.commander, case=case)
    report.refresh_from_db()
    assert report.follow_up == "" and report.case is None


def test_only_images_are_photos(grid_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="不是图片"):
        services.store_photos([SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
                                                  content_type="application/pdf")])


def test_overdue_tasks_raise_the_problem_model_and_wait_on_the_desks(grid_world):
    w = grid_world
    late = dispatch(w, priority=m.URGENT, title="紧急：燃气泄漏排查")
    fine = dispatch(w, title="日常巡查")
    later = clock.now() + datetime.timedelta(hours=2)
    with clock.at(later):
        findings = list(get_check("GRID_TASK_OVERDUE").func(CheckContext(today=clock.today(), params={})))
        items = list(dispatch_tasks(w.commander))
    assert [f.object_id for f in findings] == [late.pk]
    assert findings[0].agency_id == w.tree.township_office.pk and "未签收" in findings[0].summary
    assert any(i.subject == f"dispatch:{late.pk}" and "超期" in i.detail for i in items)
    mine = {i.subject for i in dispatch_tasks(w.officer)}
    assert {f"dispatch:{late.pk}", f"dispatch:{fine.pk}"} <= mine
    assert not list(dispatch_tasks(w.market_officer))
    assert label_of("dispatch") == "网格调度任务"


def test_a_report_with_a_problem_is_linked_to_the_case_registered_from_it(grid_world, world, open_general):
    """A grid managed by the county's market bureau: its officer reports, the case registered from the report
    (source 监督检查发现) is linked once; the link is in the grid's record."""
    t = grid_world.tree
    grid = services.save_grid(None, actor=world.head, township=t.township, agency=t.market, team=t.market_unit,
                              code="619921001009", name="人民路市场网格", bounds="人民路全段")
    report = services.file_report(actor=world.officer_user, grid=grid, text="某超市销售标签不符的食品",
                                  place="人民路1号", category="market", problem_found=True)
    case = open_general(source="inspection")
    report = services.start_case(report, actor=world.officer_user, case=case)
    assert report.follow_up == m.FOLLOW_CASE and report.case == case
    with pytest.raises(ValidationError, match="已转为案件线索"):
        services.start_case(report, actor=world.officer_user, case=case)
    assert events_for(grid.stream_key).last().kind == "grid:case"
    quiet = services.file_report(actor=world.officer_user, grid=grid, text="巡查无异常", place="人民路")
    with pytest.raises(ValidationError, match="不需要后续处置"):
        services.start_case(quiet, actor=world.officer_user, case=case)
