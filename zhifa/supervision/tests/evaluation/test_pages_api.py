"""Evaluation pages, exports and API: the whole path through web and API, logged openings,
structured errors, and another county's or agency's data out of reach."""

import datetime
import io
import subprocess

import pytest
from openpyxl import load_workbook

from zhifa.records.models import AccessLog
from zhifa.supervision.evaluation import services
from zhifa.supervision.models import CaseEvaluation, EvaluationPlan, ScoreSheet

D = datetime.date
pytestmark = pytest.mark.django_db


def _population(ev):
    for _ in range(4):
        ev.case(ev.tree.market)
    for _ in range(3):
        ev.case(ev.tree.comprehensive)


def _web_plan(ev, client):
    client.force_login(ev.supervisor)
    sheet = ScoreSheet.objects.get(code="guangdong_100")
    response = client.post("/supervision/evaluation/plans/new/", {
        "title": "2026年度案卷评查", "region": ev.tree.county.pk, "sheet": sheet.pk, "archived_from": "2026-01-01",
        "archived_to": "2026-12-31", "sample_rate": "10", "sample_minimum": "2"})
    assert response.status_code == 302, response.content.decode()
    plan = EvaluationPlan.objects.get()
    assert client.post(f"/supervision/evaluation/plans/{plan.pk}/draw/", {"seed": "web-seed"}).status_code == 302
    return EvaluationPlan.objects.get(pk=plan.pk)


def test_web_plan_draw_verify_and_cross_assignment(ev, client):
    _population(ev)
    plan = _web_plan(ev, client)
    assert plan.seed == "web-seed" and plan.evaluations.count() == 4
    page = client.get(f"/supervision/evaluation/plans/{plan.pk}/?verify=1").content.decode()
    assert "web-seed" in page and plan.population_digest in page and "核验通过" in page
    response = client.post(f"/supervision/evaluation/plans/{plan.pk}/assign/",
                           {"evaluators": [ev.reviewer_market.pk, ev.reviewer_comp.pk]})
    assert response.status_code == 302
    for evaluation in plan.evaluations.select_related("evaluator"):
        assert evaluation.evaluator.agency_id != evaluation.agency_id


def test_plan_page_lists_the_sampled_files_a_page_at_a_time(ev, client, monkeypatch):
    """A city-wide plan samples thousands of case files: the plan page lists them
    ``EVALUATIONS_PER_PAGE`` at a time, with the total in the heading."""
    from zhifa.supervision.evaluation import views

    _population(ev)
    plan = _web_plan(ev, client)
    monkeypatch.setattr(views, "EVALUATIONS_PER_PAGE", 3)
    first = client.get(f"/supervision/evaluation/plans/{plan.pk}/")
    html = first.content.decode()
    assert len(first.context["evaluations"]) == 3 and "抽取的案卷（4）" in html and "page=2" in html
    second = client.get(f"/supervision/evaluation/plans/{plan.pk}/?page=2")
    shown = [*first.context["evaluations"], *second.context["evaluations"]]
    assert sorted(e.pk for e in shown) == sorted(plan.evaluations.values_list("pk", flat=True))


def test_scoring_beside_the_case_file_is_logged(ev, client):
    _population(ev)
    plan = _web_plan(ev, client)
    evaluation = plan.evaluations.filter(agency=ev.tree.market).first()
    services.assign_evaluator(evaluation, ev.reviewer_comp, ev.supervisor)
    client.force_login(ev.reviewer_comp)
    before = AccessLog.objects.filter(stream_key=evaluation.case.stream_key).count()
    page = client.get(f"/supervision/evaluation/{evaluation.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "案卷目录" in html and "保存评分" in html and "违反法定程序" in html
    assert AccessLog.objects.filter(stream_key=evaluation.case.stream_key, user=ev.reviewer_comp).count() == before + 1
    items = {i.title: i for i in plan.sheet.items.all()}
    data = {f"d_{items['执法程序'].pk}": "25", f"n_{items['执法程序'].pk}": "x"}
    bad = client.post(f"/supervision/evaluation/{evaluation.pk}/", data)
    assert bad.status_code == 200 and "20.0" in bad.content.decode()
    data = {f"d_{items['执法程序'].pk}": "5", f"n_{items['执法程序'].pk}": "送达超期。",
            f"t_{items['超越职权或者滥用职权'].pk}": "", "comment": "基本规范"}
    assert client.post(f"/supervision/evaluation/{evaluation.pk}/", data).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.total, evaluation.grade) == (95, "excellent")
    # The evaluated agency's own reviewer cannot open it, nor another agency's head.
    client.force_login(ev.reviewer_market)
    assert client.get(f"/supervision/evaluation/{evaluation.pk}/").status_code == 404


def _finished(ev):
    _population(ev)
    plan = services.create_plan(ev.supervisor, region=ev.tree.county, title="2026年度案卷评查",
                                sheet=ScoreSheet.objects.get(code="sector_20_80"), archived_from=D(2026, 1, 1),
                                archived_to=D(2026, 12, 31), sample_rate=10, sample_minimum=2)
    plan = services.draw_sample(plan, ev.supervisor, "s")
    items = {i.title: i for i in plan.sheet.items.all()}
    for evaluation in plan.evaluations.all():
        services.assign_evaluator(evaluation, ev.supervisor, ev.supervisor)
        services.submit_score(evaluation, ev.supervisor, [
            {"item": items["页码连续"], "deduction": 2, "note": "卷内页码不连续。"}])
    services.finish_plan(plan, ev.supervisor, issued_on=D(2026, 10, 30))
    return EvaluationPlan.objects.get(pk=plan.pk)


def test_exports_open(ev, client):
    """The xlsx opens in openpyxl with every file; the PDFs carry the Chinese text."""
    plan = _finished(ev)
    client.force_login(ev.supervisor)
    response = client.get(f"/supervision/evaluation/plans/{plan.pk}/export.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["方案", "评查结果", "发现问题", "各单位"]
    assert wb["评查结果"].max_row == 1 + plan.evaluations.count()
    assert wb["方案"]["B7"].value == "s"
    assert wb["发现问题"]["F2"].value == "卷内页码不连续。"
    pdf = client.get(f"/supervision/evaluation/plans/{plan.pk}/export.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "2026年度案卷评查" in text and "卷内页码不连续" in text
    notice = plan.notices.get(agency=ev.tree.market)
    notice_pdf = client.get(f"/supervision/evaluation/notices/{notice.pk}/pdf/")
    text = subprocess.run(["pdftotext", "-", "-"], input=notice_pdf.content, capture_output=True, check=True).stdout.decode()
    assert "行政执法案卷评查结果通报" in text and "云岭县市场监督管理局" in text
    assert client.get(f"/supervision/evaluation/plans/{plan.pk}/export.csv").status_code == 404


def test_agency_pages_show_own_results_only(ev, client, fixed_today):
    plan = _finished(ev)
    fixed_today(D(2026, 11, 2))
    client.force_login(ev.head_market)
    listing = client.get("/supervision/evaluation/").content.decode()
    assert "本单位评查结果" in listing
    own = plan.evaluations.filter(agency=ev.tree.market).first()
    other = plan.evaluations.filter(agency=ev.tree.comprehensive).first()
    assert client.get(f"/supervision/evaluation/{own.pk}/").status_code == 200
    assert client.get(f"/supervision/evaluation/{other.pk}/").status_code == 404
    other_notice = plan.notices.get(agency=ev.tree.comprehensive)
    assert client.get(f"/supervision/evaluation/notices/{other_notice.pk}/").status_code == 404
    finding = own.findings.first()
    response = client.post(f"/supervision/evaluation/findings/{finding.pk}/rectify/", {"report": "已重新编页。"})
    assert response.status_code == 302
    response = client.post(f"/supervision/evaluation/{own.pk}/reevaluate/", {"reason": "页码已连续。"})
    assert response.status_code == 302 and own.reevaluations.count() == 1
    client.force_login(ev.supervisor_b)
    assert client.get(f"/supervision/evaluation/plans/{plan.pk}/").status_code == 404


def test_api_flow_and_errors(ev, api_client):
    _population(ev)
    api_client.force_authenticate(ev.supervisor)
    sheet = ScoreSheet.objects.get(code="guangdong_100")
    response = api_client.post("/api/supervision/evaluation-plans/", {
        "region": ev.tree.county.pk, "title": "接口评查", "sheet": sheet.pk, "archived_from": "2026-01-01",
        "archived_to": "2026-12-31", "sample_rate": "10", "sample_minimum": 2}, format="json")
    assert response.status_code == 201, response.json()
    plan_id = response.json()["id"]
    drawn = api_client.post(f"/api/supervision/evaluation-plans/{plan_id}/draw/", {"seed": "api"}, format="json").json()
    assert drawn["seed"] == "api" and drawn["status"] == "sampled"
    assert api_client.get(f"/api/supervision/evaluation-plans/{plan_id}/verify/").json()["ok"] is True
    own = CaseEvaluation.objects.filter(plan_id=plan_id, agency=ev.tree.market).first()
    refused = api_client.post(f"/api/supervision/evaluations/{own.pk}/assign/", {"evaluator": ev.reviewer_market.pk},
                              format="json")
    assert refused.status_code == 400 and "交叉评查" in refused.json()["error"]["fields"]["evaluator"][0]
    assert api_client.post(f"/api/supervision/evaluations/{own.pk}/assign/", {"evaluator": ev.reviewer_comp.pk},
                           format="json").status_code == 200
    api_client.force_authenticate(ev.reviewer_comp)
    veto = sheet.items.get(title="执法主体不合法或者执法人员不具备执法资格")
    scored = api_client.post(f"/api/supervision/evaluations/{own.pk}/score/", {
        "findings": [{"item": veto.pk, "triggered": True, "note": "询问人无执法证。"}], "comment": ""}, format="json")
    assert scored.status_code == 200 and scored.json()["grade"] == "fail" and scored.json()["total"] == "100.0"
    # Another county sees nothing of it.
    api_client.force_authenticate(ev.supervisor_b)
    assert api_client.get(f"/api/supervision/evaluation-plans/{plan_id}/").status_code == 404
    assert api_client.get("/api/supervision/evaluations/").json()["count"] == 0
    # Form-encoded writes are refused: the API takes JSON only.
    api_client.force_authenticate(ev.supervisor)
    assert api_client.post(f"/api/supervision/evaluation-plans/{plan_id}/draw/", {"seed": "x"},
                           format="multipart").status_code == 415
