"""Every path to a decision is gated; the web pages and the API of legal review; the demo."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.cases import services as case_services
from zhifa.review import choices, services
from zhifa.review.models import MajorDecisionCatalog, MajorFlag, Review

from .test_services import findings

# the documents' PDFs are converted at once, as after a commit (conftest.py jobs_at_once)
pytestmark = pytest.mark.usefixtures("jobs_at_once")

D = datetime.date
REASON = "本案属于重大执法决定（罚款50,000.00元达到本机关目录清单标准（对法人或其他组织50,000.00元以上）），尚未通过法制审核：请先提交法制审核。"


def test_major_case_cannot_be_decided_by_any_path_before_review_passes(rw, notice_case, world, client, api_client):
    """Direct service call, the cases API and the web form all refuse the decision with the same
    reason until the review passes (submitted by the web button, reviewed through the API); then
    the web decision goes through. (No management command makes decisions.)"""
    case = notice_case(50000)
    try:
        case_services.perform_transition(case, "decide", actor=world.head)
    except case_services.TransitionRefused as exc:
        assert exc.missing == [REASON]
    else:
        raise AssertionError("decided without legal review")
    api_client.force_authenticate(world.head)
    response = api_client.post(f"/api/cases/cases/{case.pk}/transition/", {"transition": "decide"}, format="json")
    assert response.status_code == 400 and REASON in str(response.json())
    client.force_login(world.head)
    response = client.post(reverse("cases:transition", args=[case.pk, "decide"]), {"outcome": "penalty"})
    assert response.status_code == 200 and "尚未通过法制审核" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "notice" and case.decided_on is None

    client.force_login(world.officer_user)
    page = client.get(reverse("review:case", args=[case.pk])).content.decode()
    assert "提交法制审核" in page and "属于重大执法决定" in page
    response = client.post(reverse("review:submit", args=[case.pk]))
    review = case.reviews.get()
    assert response.status_code == 302 and response.url == review.get_absolute_url()

    api_client.force_authenticate(rw.reviewer)
    response = api_client.post(f"/api/review/reviews/{review.pk}/assign/", {"reviewer": world.officer_user.pk},
                               format="json")
    assert response.status_code == 403 and "不是法制审核人员" in response.json()["error"]["message"]
    response = api_client.post(f"/api/review/reviews/{review.pk}/assign/", {"reviewer": rw.reviewer.pk}, format="json")
    assert response.status_code == 200 and response.json()["status"] == choices.IN_REVIEW
    response = api_client.post(f"/api/review/reviews/{review.pk}/opinion/",
                               {"findings": findings(), "result": choices.AGREE}, format="json")
    body = response.json()
    assert response.status_code == 200 and body["result"] == choices.AGREE and len(body["findings"]) == 10
    status = api_client.get(f"/api/review/case-status/{case.pk}/").json()
    assert status["legal_review_gate"] is None and status["major"]

    client.force_login(world.head)
    response = client.post(reverse("cases:transition", args=[case.pk, "decide"]), {"outcome": "penalty"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "decision"
    pdf = client.get(reverse("review:opinion_file", args=[review.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def _reviews(world, open_general, n):
    now = timezone.now()
    for i in range(n):
        case = open_general()
        Review.objects.create(case=case, agency=case.agency, submitted_by=world.officer_user, submitted_at=now,
                              deadline=D(2026, 10, 28) if i % 2 else D(2026, 11, 20), package={"case": {}},
                              major_reasons=["罚款达到标准"])


def test_queue_lists_open_reviews_with_overdue_in_red_and_stays_flat(rw, world, open_general, client,
                                                                     django_assert_max_num_queries):
    """The queue shows open reviews by deadline, overdue ones in red; queries do not grow with rows."""
    _reviews(world, open_general, 3)
    client.force_login(rw.reviewer)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("review:queue"))
    _reviews(world, open_general, 5)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("review:queue")).content.decode()
    assert first.status_code == 200
    assert page.count('class="overdue"') == 3 and "已超期5天" in page and "剩余18天" in page
    overdue = client.get(reverse("review:queue") + "?overdue=true").content.decode()
    assert overdue.count("第1轮") == 3
    client.force_login(world.users.officer_b)  # another county
    assert "没有待处理的法制审核" in client.get(reverse("review:queue")).content.decode()


def test_queue_is_filtered_by_case_id_without_listing_cases(rw, world, open_general, client, api_client):
    """``?case=<id>`` (a case's reviews) filters by id: the form holds it in a hidden field instead
    of a ``<select>`` of every case in reach (1,000,000 for a city supervisor took 40 s); another
    county's case gives an empty list, a malformed id an error in Chinese (API: 400)."""
    _reviews(world, open_general, 3)
    wanted = Review.objects.order_by("pk").first()
    client.force_login(rw.reviewer)
    page = client.get(reverse("review:queue") + f"?case={wanted.case_id}").content.decode()
    assert page.count("第1轮") == 1 and wanted.case.number in page
    assert f'<input type="hidden" name="case" value="{wanted.case_id}"' in page
    assert '<select name="case"' not in client.get(reverse("review:queue")).content.decode()
    bad = client.get(reverse("review:queue") + "?case=x").content.decode()
    assert "案件：输入整数" in bad
    api_client.force_login(rw.reviewer)
    listed = api_client.get(f"/api/review/reviews/?case={wanted.case_id}").json()
    assert [row["id"] for row in listed["results"]] == [wanted.pk]
    assert api_client.get("/api/review/reviews/?case=x").status_code == 400
    api_client.force_login(world.users.officer_b)  # another county: the id finds nothing
    assert api_client.get(f"/api/review/reviews/?case={wanted.case_id}").json()["results"] == []


def test_review_api_list_is_scoped_and_flat(rw, world, open_general, api_client, django_assert_max_num_queries):
    """GET /api/review/reviews/ lists the reviews in reach, in a constant number of queries."""
    _reviews(world, open_general, 3)
    api_client.force_authenticate(rw.reviewer)
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/review/reviews/")
    assert response.json()["count"] == 3
    _reviews(world, open_general, 4)
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/review/reviews/").json()["count"] == 7
    api_client.force_authenticate(world.users.officer_b)
    assert api_client.get("/api/review/reviews/").json()["count"] == 0


def test_review_pages_opinion_form_and_refusal_for_a_handler(rw, world, open_general, client):
    """The review page shows the package; the opinion form has the ten points; a handling officer
    who opens it sees why they may not review."""
    _reviews(world, open_general, 1)
    review = Review.objects.get()
    client.force_login(rw.reviewer)
    detail = client.get(review.get_absolute_url()).content.decode()
    assert "领取审核" in detail and "填写审核意见" in detail
    form = client.get(reverse("review:opinion", args=[review.pk])).content.decode()
    for _, label in choices.POINT_CHOICES:
        assert label in form
    client.force_login(world.officer_user)
    assert "是本案的办案人员" in client.get(reverse("review:opinion", args=[review.pk])).content.decode()
    missing = client.post(reverse("review:opinion", args=[review.pk]), {"result": "agree"})
    assert "是本案的办案人员" in missing.content.decode() and not review.findings.exists()


def test_catalog_pages_and_api_need_the_catalog_capability(rw, world, client, api_client, django_assert_max_num_queries):
    """Everyone with review access reads the catalog; only heads, reviewers and administrators edit it."""
    client.force_login(world.officer_user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("review:catalog_list")).content.decode()
    assert "较大数额罚款" in page and "对法人或其他组织罚款50,000.00 元以上" in page and "载入标准目录清单" not in page
    assert client.get(reverse("review:catalog_create")).status_code == 403
    client.force_login(world.head)
    response = client.post(reverse("review:catalog_create"), {
        "agency": world.tree.market.pk, "order": 3, "criterion": choices.AFTER_HEARING,
        "description": "经过听证程序作出的决定", "legal_basis": "处罚法第五十八条", "is_active": "on"})
    assert response.status_code == 302 and MajorDecisionCatalog.objects.count() == 3
    assert client.post(reverse("review:catalog_standard"), {"agency": world.tree.comprehensive.pk}).status_code == 404
    client.force_login(world.users.admin_a)  # the county's system administrator reaches every agency of it
    response = client.post(reverse("review:catalog_standard"), {"agency": world.tree.comprehensive.pk})
    assert response.status_code == 302
    assert MajorDecisionCatalog.objects.filter(agency=world.tree.comprehensive).count() == len(services.STANDARD_CATALOG)
    api_client.force_authenticate(world.officer_user)
    data = {"agency": world.tree.market.pk, "criterion": choices.PENALTY_KIND, "description": "吊销许可证件",
            "penalty_kind": "吊销许可证件", "requires_collective_discussion": True}
    assert api_client.post("/api/review/catalog/", data, format="json").status_code == 403
    api_client.force_authenticate(rw.reviewer)
    assert api_client.post("/api/review/catalog/", data, format="json").status_code == 201
    bad = api_client.post("/api/review/catalog/", {**data, "penalty_kind": ""}, format="json")
    assert bad.status_code == 400 and "penalty_kind" in bad.json()["error"]["fields"]
    with django_assert_max_num_queries(6):
        assert api_client.get("/api/review/catalog/").json()["count"] == 4  # the market bureau only


def test_flag_and_report_through_the_api_and_the_report_page(rw, world, open_general, client, api_client):
    """A flag by hand through the API is recorded with its actor; the report page and API show shares."""
    case = open_general()
    api_client.force_authenticate(world.officer_user)
    response = api_client.post("/api/review/flags/", {"case": case.pk, "kind": choices.FLAG_COMPLEX,
                                                      "reason": "涉及多个违法主体。"}, format="json")
    assert response.status_code == 201 and MajorFlag.objects.get().actor == world.officer_user
    assert services.match_major(case) == ["经认定案情疑难复杂：涉及多个违法主体。"]
    report = api_client.get("/api/review/report/").json()
    assert report["total"] == 0 and "指标（88）" in report["basis"]
    client.force_login(world.head)
    page = client.get(reverse("review:report")).content.decode()
    assert "法律顾问、公职律师协助审核" in page and world.tree.market.name in page


def test_demo_load(rw, notice_case, world):
    """The demo puts the standard catalog in place and reviews in three states."""
    from zhifa.review import demo

    grave = notice_case(20000, kinds=("罚款", "责令停产停业"))
    plain = notice_case(20000)
    users = {"market_head": world.head, "market_officer": world.officer_user, "market_reviewer": rw.reviewer}
    MajorDecisionCatalog.objects.all().delete()
    ctx = SimpleNamespace(users=users, agencies={demo.AGENCY: world.tree.market}, cases=[grave, plain])
    demo.load(ctx)
    assert MajorDecisionCatalog.objects.filter(agency=world.tree.market).count() == len(services.STANDARD_CATALOG)
    states = sorted(r.status for r in ctx.reviews)
    assert states == [choices.PENDING, choices.PROBLEMS]
    assert grave.reviews.get().status == choices.PENDING
