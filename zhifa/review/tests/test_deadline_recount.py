"""A legal-review deadline that reaches a year whose holidays are not entered is counted Monday to
Friday and shown as 待确认; when an administrator enters that year (web page or API) it is recounted
with the holidays and 待确认 disappears, on the review page and in the API (issue #9/#10 gap)."""

import datetime

import pytest

from zhifa.core.testing import PASSWORD
from zhifa.review import services
from zhifa.workdays.models import CalendarYear

D = datetime.date
SCHEDULE_2027 = "元旦 01-01\n春节 02-06至02-12；调休上班 02-14\n国庆节 10-01至10-07；调休上班 09-26, 10-09"


@pytest.mark.parametrize("entered_through", ["web", "api"])
def test_entering_next_years_holidays_recounts_a_provisional_review_deadline(
        rw, notice_case, world, fixed_today, client, api_client, django_capture_on_commit_callbacks, entered_through):
    """Submitted Monday 2026-12-28 with 5 working days: counted without 2027's holidays the deadline
    is Monday 2027-01-04 (待确认); once 2027 is entered, 元旦 (01-01) is skipped: Tuesday 2027-01-05."""
    assert not CalendarYear.objects.filter(year=2027).exists()
    case = notice_case(50000)
    fixed_today(D(2026, 12, 28))
    review = services.submit_for_review(case, world.officer_user)
    assert (review.deadline, review.deadline_provisional) == (D(2027, 1, 4), True)

    client.force_login(rw.reviewer)
    assert "日期待确认" in client.get(review.get_absolute_url()).content.decode()
    api_client.force_authenticate(rw.reviewer)
    body = api_client.get(f"/api/review/reviews/{review.pk}/").json()
    assert (body["deadline"], body["deadline_provisional"]) == ("2027-01-04", True)

    with django_capture_on_commit_callbacks(execute=True):
        if entered_through == "web":
            assert client.login(username=world.users.admin_a.username, password=PASSWORD)
            response = client.post("/workdays/2027/", {"schedule": SCHEDULE_2027, "complete": "on",
                                                       "published_note": "国务院办公厅关于2027年部分节假日安排的通知"})
            assert response.status_code == 302
        else:
            api_client.force_authenticate(world.users.admin_a)
            created = api_client.post("/api/workdays/years/", {"year": 2027, "schedule_text": SCHEDULE_2027,
                                                               "complete": True}, format="json")
            assert created.status_code == 201, created.json()

    review.refresh_from_db()
    assert (review.deadline, review.deadline_provisional) == (D(2027, 1, 5), False)
    client.force_login(rw.reviewer)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "2027-01-05" in page and "待确认" not in page
    api_client.force_authenticate(rw.reviewer)
    body = api_client.get(f"/api/review/reviews/{review.pk}/").json()
    assert (body["deadline"], body["deadline_provisional"]) == ("2027-01-05", False)
