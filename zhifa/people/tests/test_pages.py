"""Every people page renders for a user who may see it, and the OpenAPI schema covers the API."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_render(client, roster, users):
    """List, detail, edit, issue, status-change and report pages answer 200 for an agency head."""
    client.force_login(users.head_a)
    training = roster.market_officer.trainings.create(date=roster.market_cert.issued_on, title="岗前培训",
                                                      kind="practice", hours=8)
    urls = [
        reverse("people:officer_list"), reverse("people:officer_create"),
        reverse("people:officer_detail", args=[roster.market_officer.pk]),
        reverse("people:officer_edit", args=[roster.market_officer.pk]),
        reverse("people:certificate_list"), reverse("people:certificate_create") + f"?officer={roster.market_officer.pk}",
        reverse("people:certificate_detail", args=[roster.market_cert.pk]),
        reverse("people:certificate_edit", args=[roster.market_cert.pk]),
        reverse("people:certificate_action", args=[roster.market_cert.pk, "review"]),
        reverse("people:training_list"), reverse("people:training_create"),
        reverse("people:training_detail", args=[training.pk]),
        reverse("people:training_edit", args=[training.pk]),
        reverse("people:compliance_report"), reverse("people:compliance_report_xlsx"),
        reverse("people:certificate_list") + "?state=expiring", reverse("people:certificate_list") + "?state=usable",
        reverse("people:certificate_list") + "?state=review_overdue", reverse("people:certificate_list") + "?state=expired",
        reverse("home"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("people:certificate_action", args=[roster.market_cert.pk, "explode"])).status_code == 404


def test_certificate_edit_does_not_touch_status(client, roster, users, fields):
    """The edit form changes fields and term only; status stays as the services left it."""
    client.force_login(users.head_a)
    cert = roster.market_cert
    response = client.post(reverse("people:certificate_edit", args=[cert.pk]), {
        "fields": [fields["SCJG"].pk, fields["CSGL"].pk], "issuing_authority": "秦川市人民政府",
        "issued_on": str(cert.issued_on), "expires_on": str(cert.expires_on), "status": "revoked",
    })
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == "valid" and cert.fields.count() == 2


def test_openapi_schema_lists_people_routes(client, users):
    """The API schema includes the officer reveal, certificate actions and compliance report."""
    client.force_login(users.admin_a)
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/people/officers/{id}/reveal/", "/api/people/certificates/{id}/suspend/",
                 "/api/people/certificates/{id}/review/", "/api/people/compliance/", "/api/people/training/"):
        assert path in paths, path
