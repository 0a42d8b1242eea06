"""The calendar pages and API: administrators enter a year, everyone else reads."""

import datetime

import pytest

from zhifa.core.models import ChangeLog
from zhifa.core.testing import PASSWORD
from zhifa.workdays.models import CalendarDay, CalendarYear
from zhifa.workdays.services import CalendarNotCovered, add_working_days

SCHEDULE_2027 = "元旦 01-01\n春节 02-06至02-12；调休上班 02-14\n国庆节 10-01至10-07；调休上班 09-26, 10-09"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_year_list_is_flat_and_warns_about_missing_years(client, users, django_assert_max_num_queries):
    """The year list shows the seeded years in a fixed number of queries and flags 2027."""
    login(client, users.officer_a)
    with django_assert_max_num_queries(10):
        response = client.get("/workdays/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026年" in body and "已完整录入" in body


def test_year_page_shows_month_grids(client, users, django_assert_max_num_queries):
    """The 2026 page shows twelve months with National Day marked, without a form for officers."""
    login(client, users.officer_a)
    with django_assert_max_num_queries(10):
        response = client.get("/workdays/2026/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="wd-month"') == 12
    assert "2026-10-01 法定节假日（国庆节）" in body
    assert "2026-10-10 调休上班（国庆节）" in body
    assert "<textarea" not in body


def test_admin_enters_2027_through_the_page(client, users):
    """2027 raises until the administrator saves its schedule on /workdays/2027/; then it works,
    and the change is in the audit trail."""
    with pytest.raises(CalendarNotCovered):
        add_working_days(datetime.date(2027, 9, 30), 1)
    login(client, users.admin_a)
    page = client.get("/workdays/2027/")
    assert "工作日历未覆盖2027年" in page.content.decode() and "<textarea" in page.content.decode()
    response = client.post("/workdays/2027/", {
        "schedule": SCHEDULE_2027, "published_note": "国务院办公厅关于2027年部分节假日安排的通知", "complete": "on",
    })
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).complete
    assert add_working_days(datetime.date(2027, 9, 30), 1) == datetime.date(2027, 10, 8)
    assert add_working_days(datetime.date(2027, 2, 13), 1) == datetime.date(2027, 2, 14)  # make-up Sunday
    assert ChangeLog.objects.filter(object_repr="2027年", action="create").exists()
    again = client.get("/workdays/2027/").content.decode()
    assert "已完整录入" in again and "国庆节 10-01至10-07；调休上班 09-26, 10-09" in again


def test_admin_sees_errors_and_nothing_is_saved(client, users):
    """A make-up day on a weekday is refused with the line number; no day is written."""
    login(client, users.admin_a)
    response = client.post("/workdays/2027/", {"schedule": "国庆节 10-01至10-07；调休上班 09-22", "complete": "on"})
    assert response.status_code == 200
    assert "第1行" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_only_administrators_change_the_calendar(client, users):
    """Officers and supervisors read the calendar but cannot post; anonymous users must log in."""
    assert client.get("/workdays/").status_code == 302
    for user in (users.officer_a, users.supervisor_a, users.auditor_a):
        login(client, user)
        assert client.get("/workdays/2026/").status_code == 200
        assert client.post("/workdays/2027/", {"schedule": "元旦 01-01", "complete": "on"}).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_api_lists_years_and_days_flat(api_client, users, django_assert_max_num_queries):
    """The year and day lists are paginated and flat; ?year= selects one year."""
    api_client.force_authenticate(users.officer_a)
    with django_assert_max_num_queries(6):
        years = api_client.get("/api/workdays/years/")
    assert years.status_code == 200 and years.json()["count"] == 23
    with django_assert_max_num_queries(6):
        days = api_client.get("/api/workdays/days/?year=2026&page_size=500")
    data = days.json()
    assert data["count"] == 365
    national = [d for d in data["results"] if d["date"] == "2026-10-01"][0]
    assert national == {"date": "2026-10-01", "is_working_day": False, "kind": "holiday",
                        "kind_display": "法定节假日", "note": "国庆节"}
    holidays = api_client.get("/api/workdays/days/?year=2026&month=10&kind=holiday").json()
    assert holidays["count"] == 7


def test_api_deadline(api_client, users):
    """GET /api/workdays/add/ returns the deadline, and a clear 400 outside the calendar."""
    api_client.force_authenticate(users.officer_a)
    working = api_client.get("/api/workdays/add/?start=2026-09-28&days=5&kind=working")
    assert working.status_code == 200
    assert working.json()["deadline"] == "2026-10-10"
    natural = api_client.get("/api/workdays/add/?start=2026-09-28&days=5&kind=natural").json()
    assert natural["deadline"] == "2026-10-08" and "顺延至2026-10-08" in natural["explanation"]
    uncovered = api_client.get("/api/workdays/add/?start=2026-12-28&days=10")
    assert uncovered.status_code == 400
    assert uncovered.json()["error"]["message"] == "工作日历未覆盖2027年，请管理员先录入该年度节假日安排。"
    assert api_client.get("/api/workdays/add/?start=bad&days=5").status_code == 400


def test_api_changes_are_for_administrators(api_client, users):
    """Officers cannot change days or years through the API; the administrator can."""
    api_client.force_authenticate(users.officer_a)
    assert api_client.patch("/api/workdays/days/2026-06-01/", {"kind": "holiday"}, format="json").status_code == 403
    assert api_client.post("/api/workdays/years/", {"year": 2027, "schedule_text": "元旦 01-01"},
                           format="json").status_code == 403
    api_client.force_authenticate(users.admin_a)
    day = api_client.patch("/api/workdays/days/2026-06-01/", {"kind": "holiday", "note": "临时放假"}, format="json")
    assert day.status_code == 200 and day.json()["is_working_day"] is False
    bad = api_client.patch("/api/workdays/days/2026-06-02/", {"kind": "makeup_workday"}, format="json")
    assert bad.status_code == 400 and "调休上班" in bad.json()["error"]["fields"]["kind"][0]
    created = api_client.post("/api/workdays/years/", {"year": 2027, "schedule_text": SCHEDULE_2027,
                                                       "complete": True}, format="json")
    assert created.status_code == 201, created.json()
    assert api_client.get("/api/workdays/add/?start=2027-09-30&days=1").json()["deadline"] == "2027-10-08"
    invalid = api_client.put("/api/workdays/years/2027/", {"year": 2027, "schedule_text": "调休上班 09-22"},
                             format="json")
    assert invalid.status_code == 400 and "星期三" in str(invalid.json())


def test_workbench_alert_for_administrators(users, settings):
    """Administrators are told when the current year is not covered."""
    from zhifa.workdays.dashboard import calendar_alerts

    CalendarYear.objects.filter(year=datetime.date.today().year).update(complete=False)
    assert calendar_alerts(users.admin_a)
    assert calendar_alerts(users.officer_a) == []
