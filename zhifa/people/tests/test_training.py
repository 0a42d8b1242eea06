"""Training records (ORG-5) through the UI and the API, and the workbench."""

import datetime

import pytest
from django.urls import reverse

from zhifa.core.dashboard import alerts_for, cards_for
from zhifa.people import services
from zhifa.people.models import TrainingRecord

from .conftest import issue

pytestmark = pytest.mark.django_db


def test_training_create_and_list(client, roster, users, today, django_assert_max_num_queries):
    """An agency head records training through the form; the list stays flat."""
    client.force_login(users.head_a)
    response = client.post(reverse("people:training_create"), {
        "officer": roster.market_officer.pk, "date": str(today), "title": "行政处罚法专题培训",
        "kind": "public_law", "hours": "8", "days": "1", "provider": "云岭县司法局",
    })
    assert response.status_code == 302
    for i in range(20):
        TrainingRecord.objects.create(officer=roster.market_officer, date=today - datetime.timedelta(days=i + 1),
                                      title=f"培训{i}", kind="practice", hours=4)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:training_list"))
    assert "行政处罚法专题培训" in response.content.decode()


def test_training_form_refuses_future_date_and_other_county(client, roster, users, today):
    """A training cannot be dated in the future, nor recorded for another county's officer."""
    client.force_login(users.head_a)
    data = {"officer": roster.market_officer.pk, "date": str(today + datetime.timedelta(days=3)), "title": "未来",
            "kind": "other", "hours": "2", "days": "0"}
    response = client.post(reverse("people:training_create"), data)
    assert response.status_code == 200 and not TrainingRecord.objects.exists()
    response = client.post(reverse("people:training_create"), {**data, "date": str(today),
                                                                "officer": roster.other_officer.pk})
    assert response.status_code == 200 and not TrainingRecord.objects.exists()


def test_training_api(api_client, roster, users, today, django_assert_max_num_queries):
    """Create through the API; other county's officer is "does not exist"; list is flat and scoped."""
    api_client.force_authenticate(users.head_a)
    payload = {"officer": roster.market_officer.pk, "date": str(today), "title": "执法文书规范", "kind": "practice",
               "hours": "6.5", "days": "1"}
    assert api_client.post("/api/people/training/", payload, format="json").status_code == 201
    response = api_client.post("/api/people/training/", {**payload, "officer": roster.other_officer.pk}, format="json")
    assert response.status_code == 400 and "officer" in response.json()["error"]["fields"]
    TrainingRecord.objects.create(officer=roster.other_officer, date=today, title="青石县培训", kind="other", hours=1)
    with django_assert_max_num_queries(5):
        body = api_client.get("/api/people/training/").json()
    assert [r["title"] for r in body["results"]] == ["执法文书规范"]


def test_workbench_cards_and_alerts(roster, users, fields, today):
    """Cards count the user's people and usable certificates; alerts name certificates expiring
    soon, and only roles that may change people see them."""
    issue(roster.market_officer, [fields["SCJG"]], "SOON-1", issued=today - datetime.timedelta(days=2000),
          expires=today + datetime.timedelta(days=10))
    cards = {c["label"]: c["count"] for c in cards_for(users.head_a)}
    assert cards["执法人员"] == 2  # the market officer and the auxiliary
    assert cards["可用执法证"] == 2
    alerts = [a["text"] for a in alerts_for(users.head_a)]
    assert "1本执法证将在30天内到期" in alerts
    assert not any("执法证" in a["text"] for a in alerts_for(users.officer_a))
    services.suspend(roster.market_cert, users.head_a, "理由")
    assert {c["label"]: c["count"] for c in cards_for(users.head_a)}["可用执法证"] == 1
