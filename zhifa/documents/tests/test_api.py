"""REST API of document templates: kinds, list, upload, download, activation, preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhifa.documents import services
from zhifa.documents.kinds import DOCUMENT_KINDS
from zhifa.documents.models import DocumentTemplate

from .conftest import make_docx

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(*paragraphs, name="模板.docx"):
    return SimpleUploadedFile(name, make_docx(*paragraphs), content_type=DOCX)


def test_kinds(api_client, users):
    """The kinds come in case-file order with their Chinese titles."""
    api_client.force_authenticate(users.officer_a)
    data = api_client.get("/api/documents/kinds/").json()
    assert data[0] == {"code": "filing_approval", "title": "立案审批表", "order": 0}
    codes = [k["code"] for k in data]
    assert codes == [code for code, _ in DOCUMENT_KINDS] and codes.index("penalty_decision") > codes.index("advance_notice")
    assert {"code": "legal_review_opinion", "title": "法制审核意见书", "order": codes.index("legal_review_opinion")} in data
    api_client.force_authenticate(users.auditor_a)
    assert api_client.get("/api/documents/kinds/").status_code == 403


def test_list_is_scoped_and_flat(api_client, tree, users, root_admin, django_assert_max_num_queries):
    """The list holds the defaults and the user's own subtree's templates only, in flat queries."""
    for code in ("penalty_decision", "service_receipt", "payment_notice"):
        services.upload_template(code=code, data=make_docx("{{ party.name }}"), agency=tree.market, user=users.admin_a)
        services.upload_template(code=code, data=make_docx("{{ party.name }}"), agency=tree.other_market,
                                 user=users.admin_b)
    services.upload_template(code="penalty_decision", data=make_docx("{{ party.name }}"), agency=None, user=root_admin)
    api_client.force_authenticate(users.officer_b)
    with django_assert_max_num_queries(6):
        data = api_client.get("/api/documents/templates/").json()
    assert data["count"] == 4
    assert {r["agency_name"] for r in data["results"]} == {"青石县市场监督管理局", None}
    data = api_client.get("/api/documents/templates/?code=penalty_decision&default=true").json()
    assert data["count"] == 1 and data["results"][0]["title"] == "行政处罚决定书"


def test_admin_uploads_versions(api_client, tree, users):
    """POST multipart creates version 1, then 2; the old one is kept and no longer active."""
    api_client.force_authenticate(users.admin_a)
    first = api_client.post("/api/documents/templates/", {
        "code": "penalty_decision", "agency": tree.market.pk, "file": _file("{{ party.name }}"), "note": "初版",
    }, format="multipart")
    assert first.status_code == 201, first.content
    second = api_client.post("/api/documents/templates/", {
        "code": "penalty_decision", "agency": tree.market.pk, "file": _file("{{ party.name }}{{ case.cause }}"),
    }, format="multipart")
    assert second.status_code == 201
    assert (first.json()["version"], second.json()["version"]) == (1, 2)
    assert list(DocumentTemplate.objects.order_by("version").values_list("is_active", flat=True)) == [False, True]
    download = api_client.get(second.json()["download_url"])
    assert download.status_code == 200 and download.content.startswith(b"PK")
    assert services.resolve_template("penalty_decision", tree.market).pk == second.json()["id"]


def test_invalid_upload_is_refused(api_client, tree, users):
    """An undefined template field or a non-DOCX file is a 400 with the reason in Chinese."""
    api_client.force_authenticate(users.admin_a)
    response = api_client.post("/api/documents/templates/", {
        "code": "penalty_decision", "agency": tree.market.pk, "file": _file("{{ case.judge }}"),
    }, format="multipart")
    assert response.status_code == 400
    assert "case.judge" in response.json()["error"]["fields"]["file"][0]
    response = api_client.post("/api/documents/templates/", {
        "code": "penalty_decision", "agency": tree.market.pk,
        "file": SimpleUploadedFile("x.docx", b"%PDF-1.4", content_type=DOCX),
    }, format="multipart")
    assert response.status_code == 400 and "不是 Word" in response.json()["error"]["fields"]["file"][0]
    assert not DocumentTemplate.objects.exists()


def test_upload_permissions(api_client, tree, users):
    """Officers cannot upload (403); an administrator cannot upload for another county's agency
    or replace the defaults."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.post("/api/documents/templates/", {
        "code": "penalty_decision", "agency": tree.market.pk, "file": _file("{{ party.name }}"),
    }, format="multipart")
    assert response.status_code == 403
    api_client.force_authenticate(users.admin_b)
    response = api_client.post("/api/documents/templates/", {
        "code": "penalty_decision", "agency": tree.market.pk, "file": _file("{{ party.name }}"),
    }, format="multipart")
    assert response.status_code == 400  # the agency is not even selectable
    response = api_client.post("/api/documents/templates/", {
        "code": "penalty_decision", "agency": "", "file": _file("{{ party.name }}"),
    }, format="multipart")
    assert response.status_code == 403 and "默认模板" in response.json()["error"]["message"]
    assert not DocumentTemplate.objects.exists()


def test_activate_deactivate_and_hidden_rows(api_client, tree, users):
    """Versions are switched through the API; another county's rows are 404."""
    v1 = services.upload_template(code="closing_report", data=make_docx("一{{ party.name }}"), agency=tree.market,
                                  user=users.admin_a)
    services.upload_template(code="closing_report", data=make_docx("二{{ party.name }}"), agency=tree.market,
                             user=users.admin_a)
    api_client.force_authenticate(users.admin_a)
    response = api_client.post(f"/api/documents/templates/{v1.pk}/activate/")
    assert response.status_code == 200 and response.json()["is_active"] is True
    assert services.resolve_template("closing_report", tree.market) == v1
    assert api_client.post(f"/api/documents/templates/{v1.pk}/deactivate/").json()["is_active"] is False
    api_client.force_authenticate(users.admin_b)
    assert api_client.get(f"/api/documents/templates/{v1.pk}/download/").status_code == 404
    api_client.force_authenticate(users.officer_a)
    assert api_client.post(f"/api/documents/templates/{v1.pk}/activate/").status_code == 403


def test_preview(api_client, tree, users, fake_pdf):
    """POST {code} returns the PDF of the sample case; an unknown code is a 400."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.post("/api/documents/preview/", {"code": "credit_repair_notice"}, format="json")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert api_client.post("/api/documents/preview/", {"code": "nope"}, format="json").status_code == 400


def test_preview_reports_render_failure(api_client, users, monkeypatch):
    """When the PDF cannot be produced the API answers 422 with the reason."""
    monkeypatch.setenv("ZHIFA_SOFFICE", "/nonexistent/soffice")
    api_client.force_authenticate(users.officer_a)
    response = api_client.post("/api/documents/preview/", {"code": "payment_notice"}, format="json")
    assert response.status_code == 422 and "LibreOffice" in response.json()["error"]["message"]
