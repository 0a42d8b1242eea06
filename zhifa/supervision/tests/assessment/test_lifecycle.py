"""The yearly assessment's lifecycle (draft → self-assessment → scoring → published), who may do
each step, scoping between counties, the pages, the API and the exports (SUP-5)."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.core.models import ChangeLog
from zhifa.supervision.assessment import indicators, services
from zhifa.supervision.models import Assessment, AssessmentItem

from .conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(aw):
    aw.case(decided_on=D(2025, 3, 1), within_benchmark=True)
    aw.case(decided_on=D(2025, 3, 1), within_benchmark=False)
    return services.create_assessment(aw.supervisor, year=2025, agency=aw.tree.market)


def _self_assess_all(assessment, actor):
    """Self scores for the evidenced items and the computed ones without data (no computed score)."""
    for item in assessment.items.filter(computed_score__isnull=True).select_related("indicator"):
        services.self_assess_item(item, actor, score=item.indicator.points, note="已落实。")


def test_create_computes_every_indicator_and_is_audited(aw, assessment):
    assert assessment.items.count() == 170
    assert assessment.items.filter(method="computed").count() == 47
    item = assessment.items.get(indicator__number=145)
    assert item.figure == "1/2（50.00%）" and item.computed_score == Decimal("0.10")
    assert item.basis_count == 2 and item.basis[0]["ok"] is False
    assert ChangeLog.objects.filter(object_repr=str(assessment), action="create").exists()
    with pytest.raises(ValidationError, match="已经建立"):
        services.create_assessment(aw.supervisor, year=2025, agency=aw.tree.market)


def test_who_may_create(aw):
    with pytest.raises(PermissionDenied):
        services.create_assessment(aw.supervisor_b, year=2025, agency=aw.tree.market)  # another county
    with pytest.raises(PermissionDenied):
        services.create_assessment(aw.head, year=2025, agency=aw.tree.market)  # the agency itself
    with pytest.raises(PermissionDenied):  # a county is assessed by the level above
        services.create_assessment(aw.supervisor, year=2025, region=aw.tree.county)
    region = services.create_assessment(aw.supervisor_city, year=2025, region=aw.tree.county)
    assert region.items.count() == 170


def test_full_lifecycle(aw, assessment):
    # the agency self-assesses with evidence; an evidenced item without a self score blocks submission
    item = assessment.items.get(indicator__number=1)
    evidence = services.add_evidence(item, aw.head, io.BytesIO(b"%PDF-1.4 rules"), "执法公示规定.pdf", "本局规定")
    assert evidence.file.original_name == "执法公示规定.pdf" and len(evidence.file.hash) == 64
    with pytest.raises(ValidationError, match="未自评"):
        services.submit_self_assessment(assessment, aw.head)
    _self_assess_all(assessment, aw.head)
    with pytest.raises(PermissionDenied):
        services.self_assess_item(item, aw.supervisor, score=0)  # the supervisor does not self-assess an agency
    with pytest.raises(ValidationError, match="分值应在0至0.50分之间"):
        services.self_assess_item(item, aw.head, score=1)
    assessment = services.submit_self_assessment(assessment, aw.head, "全面落实。")
    assert assessment.status == Assessment.SELF_ASSESSED and assessment.self_total is not None
    with pytest.raises(ValidationError):
        services.self_assess_item(item, aw.head, score=0)
    # scoring: a deduction needs a reason; agreeing with the computed score does not
    with pytest.raises(ValidationError, match="评分理由"):
        services.score_item(item, aw.supervisor, score=Decimal("0.2"))
    services.score_item(item, aw.supervisor, score=Decimal("0.2"), reason="规定未与政府信息公开条例衔接。")
    computed = assessment.items.get(indicator__number=145)
    services.score_item(computed, aw.supervisor, score=computed.computed_score)
    computed.refresh_from_db()
    assert computed.reason == services.AGREED_REASON
    with pytest.raises(ValidationError, match="未评分"):
        services.finish_scoring(assessment, aw.supervisor)
    assert services.adopt_computed_scores(assessment, aw.supervisor) > 0
    for rest in assessment.items.filter(final_score__isnull=True).select_related("indicator"):
        services.score_item(rest, aw.supervisor, score=rest.self_score or 0, reason="按佐证材料评定。")
    with pytest.raises(PermissionDenied):
        services.finish_scoring(assessment, aw.supervisor_b)
    assessment = services.finish_scoring(assessment, aw.supervisor)
    total = sum(i.final_score for i in assessment.items.all())
    assert assessment.final_total == total
    assessment = services.publish(assessment, aw.supervisor)
    assert assessment.status == Assessment.PUBLISHED and assessment.published_on == D(2026, 11, 2)


def test_other_county_cannot_read_or_change(aw, assessment, client, api_client):
    """青石县's supervisor and agency see nothing of 云岭县's assessment, by page or API."""
    assert not Assessment.objects.restrict(aw.supervisor_b).filter(pk=assessment.pk).exists()
    assert not AssessmentItem.objects.restrict(aw.head_b).filter(assessment=assessment).exists()
    client.force_login(aw.supervisor_b)
    assert client.get(assessment.get_absolute_url()).status_code == 404
    item = assessment.items.first()
    assert client.post(reverse("supervision:assessment_item", args=[item.pk]),
                       {"form": "score", "score-score": "0", "score-reason": "x"}).status_code == 404
    api_client.force_authenticate(aw.head_b)
    assert api_client.get(f"/api/supervision/assessments/{assessment.pk}/").status_code == 404
    assert api_client.post(f"/api/supervision/assessment-items/{item.pk}/self_assess/", {"score": "0"},
                           format="json").status_code == 404
    assert api_client.get("/api/supervision/assessments/").json()["count"] == 0


def test_other_county_gets_no_export_item_page_or_evidence(aw, assessment, client, api_client):
    """The workbook, the PDF, an item's page (figure and rows) and an evidence file of 云岭县's
    assessment answer 404 to 青石县's supervisor, whether by page or API."""
    evidenced = assessment.items.get(indicator__number=29)
    evidence = services.add_evidence(evidenced, aw.head, io.BytesIO(b"%PDF-1.4 photo"), "照片.pdf", note="公示牌")
    client.force_login(aw.supervisor_b)
    for url in (reverse("supervision:assessment_export", args=[assessment.pk, "xlsx"]),
                reverse("supervision:assessment_export", args=[assessment.pk, "pdf"]),
                reverse("supervision:assessment_item", args=[evidenced.pk]),
                reverse("supervision:assessment_evidence", args=[evidence.pk])):
        assert client.get(url).status_code == 404, url
    api_client.force_authenticate(aw.supervisor_b)
    assert api_client.get(f"/api/supervision/assessments/{assessment.pk}/items/").status_code == 404
    assert api_client.get(f"/api/supervision/assessment-items/{evidenced.pk}/").status_code == 404
    client.force_login(aw.supervisor_city)  # the city above sees it
    assert client.get(reverse("supervision:assessment_export", args=[assessment.pk, "xlsx"])).status_code == 200


def test_agency_sees_final_scores_only_once_published(aw, assessment, api_client):
    _self_assess_all(assessment, aw.head)
    services.submit_self_assessment(assessment, aw.head)
    services.adopt_computed_scores(assessment, aw.supervisor)
    for rest in assessment.items.filter(final_score__isnull=True):
        services.score_item(rest, aw.supervisor, score=0, reason="未提供佐证材料。")
    services.finish_scoring(assessment, aw.supervisor)
    api_client.force_authenticate(aw.head)
    body = api_client.get(f"/api/supervision/assessments/{assessment.pk}/").json()
    assert body["final_total"] is None
    items = api_client.get(f"/api/supervision/assessments/{assessment.pk}/items/").json()
    assert len(items) == 170 and all(i["final_score"] is None and i["reason"] == "" for i in items)
    services.publish(assessment, aw.supervisor)
    assert api_client.get(f"/api/supervision/assessments/{assessment.pk}/").json()["final_total"] is not None


def test_api_lifecycle_with_json(aw, api_client):
    api_client.force_authenticate(aw.supervisor)
    created = api_client.post("/api/supervision/assessments/", {"year": 2025, "agency": aw.tree.market.pk},
                              format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    again = api_client.post("/api/supervision/assessments/", {"year": 2025, "agency": aw.tree.market.pk}, format="json")
    assert again.status_code == 400 and "已经建立" in again.json()["error"]["message"]
    api_client.force_authenticate(aw.head)
    submitted = api_client.post(f"/api/supervision/assessments/{pk}/submit/", {}, format="json")
    assert submitted.status_code == 400 and "未自评" in submitted.json()["error"]["message"]
    item = AssessmentItem.objects.get(assessment_id=pk, indicator__number=2)
    answer = api_client.post(f"/api/supervision/assessment-items/{item.pk}/self_assess/",
                             {"score": "0.5", "note": "已衔接"}, format="json")
    assert answer.status_code == 200 and answer.json()["self_score"] == "0.50"
    indicators = api_client.get("/api/supervision/indicators/").json()
    assert len(indicators) == 170 and indicators[35]["method"] == "computed"
    assert "平台不保存规范性文件" in indicators[0]["rule"]


def test_pages_and_exports(aw, assessment, client):
    client.force_login(aw.head)
    page = client.get(assessment.get_absolute_url())
    assert page.status_code == 200 and f"平台计算{len(indicators.REGISTRY)}项" in page.content.decode()
    item = assessment.items.get(indicator__number=145)
    detail = client.get(reverse("supervision:assessment_item", args=[item.pk])).content.decode()
    assert "1/2（50.00%）" in detail and "偏离裁量基准且未说明理由" in detail
    upload = SimpleUploadedFile("照片.pdf", b"%PDF-1.4 photo", content_type="application/pdf")
    evidenced = assessment.items.get(indicator__number=29)
    response = client.post(reverse("supervision:assessment_item", args=[evidenced.pk]),
                           {"form": "evidence", "evidence-file": upload, "evidence-note": "公示牌照片"})
    assert response.status_code == 302 and evidenced.evidence.count() == 1
    evidence = evidenced.evidence.get()
    download = client.get(reverse("supervision:assessment_evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    xlsx = client.get(reverse("supervision:assessment_export", args=[assessment.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["指标得分"]
    assert sheet.max_row == 171 and sheet.cell(146, 7).value == "1/2（50.00%）"


def test_published_pdf(aw, assessment, client):
    _self_assess_all(assessment, aw.head)
    services.submit_self_assessment(assessment, aw.head)
    services.adopt_computed_scores(assessment, aw.supervisor)
    for rest in assessment.items.filter(final_score__isnull=True):
        services.score_item(rest, aw.supervisor, score=0, reason="未提供佐证材料。")
    services.finish_scoring(assessment, aw.supervisor)
    services.publish(assessment, aw.supervisor)
    client.force_login(aw.supervisor)
    pdf = client.get(reverse("supervision:assessment_export", args=[assessment.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_list_queries_stay_flat(aw, client):
    """The assessment list and the ledger list make as many queries for 3 rows as for 1."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifa.supervision.ledgers import services as ledgers

    client.force_login(aw.supervisor)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.create_assessment(aw.supervisor, year=2023, agency=aw.tree.market)
    ledgers.create_plan(aw.supervisor, region=aw.tree.county, title="方案1", year=2026)
    one = count(reverse("supervision:assessment_list")), count(reverse("supervision:ledger_list"))
    for year in (2021, 2022):
        services.create_assessment(aw.supervisor, year=year, agency=aw.tree.market)
        ledgers.create_plan(aw.supervisor, region=aw.tree.county, title=f"方案{year}", year=2026)
    three = count(reverse("supervision:assessment_list")), count(reverse("supervision:ledger_list"))
    if one != three:  # show the queries that grew with the rows
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("supervision:assessment_list"))
        print("\n".join(q["sql"][:300] for q in ctx.captured_queries))
    assert one == three
