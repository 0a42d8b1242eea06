"""Task ledgers (SUP-6): Excel import in the local-government shape with row errors and nothing
half-imported, export, progress reports with attachments, overdue reminders on the task layer,
completion per unit, scoping. Action-plan KPIs (SUP-5): the registry on crafted data, the cockpit
panel and the export."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhifa.core import jobs
from zhifa.supervision import kpis
from zhifa.supervision.ledgers import services
from zhifa.supervision.models import LedgerTask, WorkPlan

from .conftest import D

pytestmark = pytest.mark.django_db
HEADERS = ["序号", "工作任务", "具体内容", "牵头单位", "配合单位", "完成时限", "目标", "进展情况", "完成状态"]


def ledger_file(rows, title="云岭县法治政府建设工作任务台账"):
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "台账.xlsx"
    return buffer


@pytest.fixture
def plan(aw):
    return services.create_plan(aw.supervisor, region=aw.tree.county, title="行政执法三年行动方案", year=2026,
                                document="云政办发〔2024〕3号")


GOOD_ROWS = [
    [1, "全面落实行政执法三项制度", "制定重大执法决定法制审核目录清单", "云岭县市场监督管理局", "云岭县综合行政执法局",
     "2026年6月底", "目录清单100%覆盖", "", "推进中"],
    [2, "开展案卷评查", "每年评查不少于5%的案卷", "云岭县综合执法局", "", "2026-12-31", "评查合格率≥90%", "", "未启动"],
]


def test_import_reads_the_ledger_shape(aw, plan):
    created, updated, errors = services.import_ledger(plan, aw.supervisor, ledger_file(GOOD_ROWS))
    assert (created, updated, errors) == (2, 0, [])
    first = plan.tasks.get(number=1)
    assert first.deadline == D(2026, 6, 30) and first.lead_agency == aw.tree.market
    assert list(first.co_agencies.all()) == [aw.tree.comprehensive] and first.status == "in_progress"
    assert plan.tasks.get(number=2).lead_agency == aw.tree.comprehensive  # matched by short name
    # re-import updates by 序号
    rows = [GOOD_ROWS[0][:8] + ["已完成"]]
    assert services.import_ledger(plan, aw.supervisor, ledger_file(rows))[:2] == (0, 1)
    assert plan.tasks.get(number=1).status == "done"


def test_import_with_errors_saves_nothing(aw, plan):
    rows = [GOOD_ROWS[0], [1, "", "", "青石县市场监督管理局", "", "明年", "", "", "差不多"]]
    created, updated, errors = services.import_ledger(plan, aw.supervisor, ledger_file(rows))
    assert created == updated == 0 and not plan.tasks.exists()
    found = {(e.row, e.column) for e in errors}
    assert {(4, "工作任务"), (4, "牵头单位"), (4, "完成时限"), (4, "完成状态"), (4, "序号")} <= found
    assert any("青石县市场监督管理局" in e.message for e in errors)


def test_export_round_trips(aw, plan, client):
    services.import_ledger(plan, aw.supervisor, ledger_file(GOOD_ROWS))
    client.force_login(aw.supervisor)
    response = client.get(reverse("supervision:ledger_export", args=[plan.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["工作任务台账"]
    assert [c.value for c in ws[2]] == HEADERS
    assert ws.cell(3, 2).value == "全面落实行政执法三项制度" and ws.cell(3, 5).value == "云岭县综合行政执法局"
    assert wb["各单位完成情况"].max_row == 3
    # the exported file imports again unchanged
    again = WorkPlan.objects.create(region=aw.tree.county, title="副本", year=2026, created_by=aw.supervisor)
    assert services.import_ledger(again, aw.supervisor, io.BytesIO(response.content))[:2] == (2, 0)


def test_progress_reports_and_completion(aw, plan):
    services.import_ledger(plan, aw.supervisor, ledger_file(GOOD_ROWS))
    task = plan.tasks.get(number=1)
    co_head = aw.users.admin_a  # a system administrator cannot report
    with pytest.raises(PermissionDenied):
        services.report_progress(task, co_head, text="x")
    from zhifa.core.testing import make_user

    comp_head = make_user("comp_head", "agency_head", agency=aw.tree.comprehensive)
    with pytest.raises(ValidationError, match="只有牵头单位"):
        services.report_progress(task, comp_head, text="已配合完成", completed=True)
    report = services.report_progress(task, comp_head, text="已配合梳理事项。", fileobj=io.BytesIO(b"%PDF-1.4 x"),
                                      file_name="梳理表.pdf")
    assert report.agency == aw.tree.comprehensive and report.attachment.original_name == "梳理表.pdf"
    services.report_progress(task, aw.head, text="目录清单已印发。", completed=True)
    task.refresh_from_db()
    assert task.status == "done" and task.completed_on == D(2026, 11, 2) and task.progress == "目录清单已印发。"
    stats = {row["agency"]: row for row in services.unit_statistics(plan.tasks.all())}
    assert stats["云岭县市场监督管理局"]["rate"] == Decimal("100.0")
    assert stats["云岭县市场监督管理局"]["on_time"] == 0  # done after its 2026-06-30 deadline
    assert stats["云岭县综合行政执法局"]["not_started"] == 1


def test_overdue_reminder_job(aw, plan):
    services.import_ledger(plan, aw.supervisor, ledger_file(GOOD_ROWS))
    LedgerTask.objects.filter(number=2).update(deadline=D(2026, 11, 6))
    assert "supervision.ledger_reminders" in {job.name for job in jobs.registered()}
    counts = jobs.run("supervision.ledger_reminders")  # the daily job on the task layer
    assert counts == {"reminded": 1, "overdue": 1}
    assert plan.tasks.get(number=1).overdue_since == D(2026, 7, 1)
    assert services.remind_overdue() == {"reminded": 0, "overdue": 0}  # once a day


def test_open_tasks_are_desk_todos_with_reminders_and_escalation(aw, plan):
    """The lead and co-operating units find their open tasks on the desk (待办), so the workspace
    reminder job warns before the deadline, tells them once it has passed and escalates it; another
    county's heads never see them; a task done leaves the desk."""
    from zhifa.core.testing import make_user
    from zhifa.workspace import reminders
    from zhifa.workspace.models import Message
    from zhifa.workspace.todos import todos_for

    services.import_ledger(plan, aw.supervisor, ledger_file(GOOD_ROWS))
    LedgerTask.objects.filter(number=2).update(deadline=D(2026, 11, 3))
    comp_head = make_user("comp_head", "agency_head", agency=aw.tree.comprehensive)

    def ledger_items(user):
        return [i for i in todos_for(user).items if i.kind == "ledger_task"]

    market = ledger_items(aw.head)
    assert [i.title for i in market] == [f"{plan.title}：1. 全面落实行政执法三项制度"]
    assert market[0].deadline == D(2026, 6, 30) and "本单位牵头" in market[0].detail
    comp = ledger_items(comp_head)  # co-operating on task 1, leading task 2 (due tomorrow)
    assert [(i.title.split("：")[1], i.detail.split("；")[0]) for i in comp] == [
        ("1. 全面落实行政执法三项制度", "本单位配合"), ("2. 开展案卷评查", "本单位牵头")]
    assert ledger_items(aw.head_b) == [] and ledger_items(aw.supervisor) == []

    sent = reminders.run_reminders()
    assert sent[Message.OVERDUE] >= 2 and sent[Message.REMINDER] >= 1
    texts = list(Message.objects.filter(user=comp_head).values_list("title", flat=True))
    assert any("工作任务台账" in t and "开展案卷评查" in t and "到期" in t for t in texts)
    assert any("全面落实行政执法三项制度已超过期限" in t for t in texts)
    assert reminders.run_reminders()[Message.OVERDUE] == 0  # once per task and deadline

    services.report_progress(plan.tasks.get(number=1), aw.head, text="目录清单已印发。", completed=True)
    assert ledger_items(aw.head) == []


def test_ledger_pages_and_scoping(aw, plan, client, api_client):
    services.import_ledger(plan, aw.supervisor, ledger_file(GOOD_ROWS))
    task = plan.tasks.get(number=1)
    client.force_login(aw.head)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "全面落实行政执法三项制度" in page and "各单位完成情况" in page
    upload = SimpleUploadedFile("进展.pdf", b"%PDF-1.4 p", content_type="application/pdf")
    response = client.post(reverse("supervision:ledger_task", args=[task.pk]), {"text": "推进中", "attachment": upload})
    assert response.status_code == 302 and task.reports.get().attachment is not None
    # 青石县 sees nothing
    client.force_login(aw.supervisor_b)
    assert client.get(plan.get_absolute_url()).status_code == 404
    api_client.force_authenticate(aw.head_b)
    assert api_client.post(f"/api/supervision/ledger-tasks/{task.pk}/report/", {"text": "x"},
                           format="json").status_code in (403, 404)
    assert api_client.get("/api/supervision/work-plans/").json()["count"] == 0
    api_client.force_authenticate(aw.head)  # the agency sees the tasks it is on only
    stats = api_client.get(f"/api/supervision/work-plans/{plan.pk}/statistics/").json()
    assert {row["agency"] for row in stats} == {"云岭县市场监督管理局"}
    api_client.force_authenticate(aw.supervisor)
    stats = api_client.get(f"/api/supervision/work-plans/{plan.pk}/statistics/").json()
    assert {row["agency"] for row in stats} == {"云岭县市场监督管理局", "云岭县综合行政执法局"}


def test_other_county_gets_no_ledger_export_task_attachment_or_kpis(aw, plan, client, api_client):
    """青石县's supervisor cannot download 云岭县's ledger workbook, open a task or its report's
    attachment, nor read the tasks through the API; its KPI page counts only its own county."""
    services.import_ledger(plan, aw.supervisor, ledger_file(GOOD_ROWS))
    task = plan.tasks.get(number=1)
    report = services.report_progress(task, aw.head, text="推进中", fileobj=io.BytesIO(b"%PDF-1.4 r"),
                                      file_name="进展.pdf")
    client.force_login(aw.supervisor_b)
    for url in (reverse("supervision:ledger_export", args=[plan.pk]), reverse("supervision:ledger_task", args=[task.pk]),
                reverse("supervision:ledger_attachment", args=[report.pk]),
                reverse("supervision:ledger_import", args=[plan.pk])):
        assert client.get(url).status_code == 404, url
    api_client.force_authenticate(aw.supervisor_b)
    assert api_client.get(f"/api/supervision/ledger-tasks/{task.pk}/").status_code == 404
    assert api_client.get(f"/api/supervision/work-plans/{plan.pk}/statistics/").status_code == 404
    client.force_login(aw.supervisor)
    assert client.get(reverse("supervision:ledger_export", args=[plan.pk])).status_code == 200


def test_import_page_shows_row_errors(aw, plan, client):
    client.force_login(aw.supervisor)
    bad = ledger_file([[1, "任务", "", "不存在的局", "", "2026-13-01", "", "", ""]])
    upload = SimpleUploadedFile("台账.xlsx", bad.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    page = client.post(reverse("supervision:ledger_import", args=[plan.pk]), {"file": upload}).content.decode()
    assert "没有保存任何一行" in page and "第3行" in page and not plan.tasks.exists()


# --- KPIs ----------------------------------------------------------------------------------


def test_kpis_on_crafted_data(aw):
    from zhifa.cases.models import Remedy
    from zhifa.supervision.models import ProblemItem, ProblemList

    from .test_indicators import _alert, _evaluation

    path = aw.tree.county.path
    _alert(aw, 1, status="closed", rectify=D(2026, 4, 1))
    _alert(aw, 2, status="rectifying", rectify=D(2026, 4, 1))
    _alert(aw, 3, status="closed", rectify=D(2026, 4, 1), agency=aw.tree.other_market)  # another county
    problems = ProblemList.objects.create(title="突出问题清单", region=aw.tree.county, created_by=aw.supervisor,
                                          created_on=D(2026, 3, 1))
    ProblemItem.objects.create(problem_list=problems, agency=aw.tree.market, description="执法不规范", measure="整改",
                               due_on=D(2026, 6, 1), status=ProblemItem.DONE)
    ProblemItem.objects.create(problem_list=problems, agency=aw.tree.market, description="公示不及时", measure="整改",
                               due_on=D(2026, 6, 1))
    assert kpis.REGISTRY["rectification"].function(path, 2026) == Decimal("50.0")
    _evaluation(aw, "good", 85)
    _evaluation(aw, "fail", 50)
    _evaluation(aw, "good", 90)
    assert kpis.REGISTRY["evaluation_pass"].function(path, 2026) == Decimal("66.7")
    case = aw.case()
    for result in ("revoked", "upheld", "upheld", "upheld"):
        Remedy.objects.create(case=case, kind="reconsideration", body="云岭县人民政府", filed_on=D(2026, 2, 1),
                              result=result, decided_on=D(2026, 4, 1), recorded_by=aw.users.officer_a)
    assert kpis.REGISTRY["reversal"].function(path, 2026) == Decimal("25.0")
    assert kpis.REGISTRY["reversal"].function(aw.tree.other_county.path, 2026) is None
    values = {v.kpi.code: v for v in kpis.evaluate(path, 2026)}
    assert values["rectification"].meets is False and values["rectification"].trend[-1] == (2026, Decimal("50.0"))
    assert [y for y, _ in values["reversal"].trend] == [2022, 2023, 2024, 2025, 2026]
    assert values["complaints_change"].value is None  # no baseline: never a made-up number
    assert values["satisfaction"].connected is True and values["satisfaction"].value is None


def test_complaint_kpis_on_crafted_data(aw, settings):
    """−30 %: valid complaints about enforcement in the year against the baseline year — tips about a
    shop, complaints found unfounded and another county's are not counted; satisfaction: the share
    of evaluated complaints rated 满意 or 基本满意."""
    from zhifa.supervision.models import Complaint

    settings.ZHIFA_KPI_BASELINE_YEAR = 2025
    numbers = iter(range(1, 100))

    def complaint(day, kind="enforcement", region=None, **extra):
        return Complaint.objects.create(number=f"TS{next(numbers)}", source="portal", kind=kind,
                                        region=region or aw.tree.county, subject="执法人员态度粗暴", content="……",
                                        status="received", received_on=day, acknowledge_due=day, reply_due=day,
                                        **extra)

    for _ in range(10):
        complaint(D(2025, 5, 1))
    complaint(D(2025, 5, 1), kind="tip")
    for _ in range(6):
        complaint(D(2026, 5, 1))
    complaint(D(2026, 5, 1), decision="no_case")  # found unfounded
    for _ in range(5):
        complaint(D(2026, 5, 1), kind="tip", satisfaction="satisfied")  # tips about shops
    complaint(D(2026, 5, 1), kind="complaint", satisfaction="dissatisfied")
    for _ in range(3):
        complaint(D(2026, 5, 1), region=aw.tree.other_county)
    path = aw.tree.county.path
    assert kpis.REGISTRY["complaints_change"].function(path, 2026) == Decimal("-40.0")  # 6 against 10
    assert kpis.REGISTRY["satisfaction"].function(path, 2026) == Decimal("83.3")  # 5 of 6 rated
    values = {v.kpi.code: v for v in kpis.evaluate(path, 2026)}
    assert values["complaints_change"].meets is True and values["satisfaction"].meets is False
    assert values["complaints_change"].trend[-1] == (2026, Decimal("-40.0"))
    assert values["complaints_change"].trend[-2] == (2025, Decimal("0.0"))
    assert values["complaints_change"].trend[-3] == (2024, None)  # no complaint at all that year: no figure
    assert kpis.REGISTRY["complaints_change"].function(aw.tree.other_county.path, 2026) is None  # no baseline


def test_kpi_target_direction():
    kpi = kpis.REGISTRY["complaints_change"]
    assert kpi.meets(Decimal("-31")) is True and kpi.meets(Decimal("-10")) is False
    assert kpis.REGISTRY["satisfaction"].meets(Decimal("95")) is True


def test_cockpit_panel_kpi_page_and_export(aw, client, api_client):
    from .test_indicators import _alert

    _alert(aw, 1, status="closed", rectify=D(2026, 4, 1))
    client.force_login(aw.supervisor)
    cockpit = client.get(reverse("supervision:cockpit")).content.decode()
    assert "行动方案目标" in cockpit and "问题整改完成率" in cockpit and "100.0%" in cockpit
    page = client.get(reverse("supervision:kpis") + "?year=2026").content.decode()
    assert "云岭县" in page and "≥95%" in page
    wb = load_workbook(io.BytesIO(client.get(reverse("supervision:kpis_export")).content))
    ws = wb["行动方案目标"]
    labels = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)]
    assert "问题整改完成率" in labels
    row = labels.index("问题整改完成率") + 3
    assert ws.cell(row, 3).value == 100.0 and ws.cell(row, 4).value == "达标"
    api_client.force_authenticate(aw.supervisor)
    body = api_client.get("/api/supervision/kpis/?year=2026").json()
    assert {k["code"] for k in body} >= {"rectification", "evaluation_pass", "reversal", "satisfaction"}
