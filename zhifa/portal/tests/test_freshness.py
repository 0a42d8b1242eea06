"""The freshness report (PUB-5): content not updated within 10 working days of a change of law
or 20 working days of a change of duties."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from zhifa.catalog import services as catalog
from zhifa.catalog.models import ItemVersion
from zhifa.core import clock
from zhifa.core.dashboard import alerts_for
from zhifa.core.testing import PASSWORD, make_user
from zhifa.portal import services
from zhifa.portal.models import DutyChange, GuideRevision, LawChange
from zhifa.workdays.services import add_working_days

from .conftest import FOOD, make_item

pytestmark = pytest.mark.django_db
D = datetime.date
CHANGE = D(2026, 9, 28)  # a Monday before the Mid-Autumn/National Day holidays


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _revise(item, created_on, valid_from=CHANGE):
    version = catalog.revise_item(item, {"article": 124}, None, valid_from, "食品安全法修正")
    ItemVersion.objects.filter(pk=version.pk).update(created_at=_at(created_on))
    return version


def test_deadlines_skip_the_national_day_holiday(db):
    """2026-09-28 + 10 working days skips 10-01…10-07 and counts the 10-10 make-up day (as the
    seeded calendar says); + 20 working days for duties."""
    law = LawChange.objects.create(law_name=FOOD, effective_on=CHANGE)
    deadline, provisional = services.law_deadline(law)
    assert deadline == add_working_days(CHANGE, 10) == D(2026, 10, 16) and not provisional
    # A plain weekday count would have ended on 10-12: the holiday moves it.
    assert deadline > CHANGE + datetime.timedelta(days=14)
    duty = DutyChange(effective_on=CHANGE)
    assert services.duty_deadline(duty) == (add_working_days(CHANGE, 20), False) == (D(2026, 10, 30), False)


def test_deadline_beyond_the_calendar_is_provisional(db):
    law = LawChange.objects.create(law_name=FOOD, effective_on=D(2026, 12, 28))
    deadline, provisional = services.law_deadline(law)
    assert provisional and deadline == D(2027, 1, 11)


def test_law_change_rows_and_states(data):
    """Items citing the law need a version taking effect on or after the change, created by the deadline."""
    law = services.record_law_change(law_name="中华人民共和国食品安全法", effective_on=CHANGE, actor=data.users.head_a)
    assert law.law_name == FOOD
    # An item whose citing version ended long before, and one created after the change: not concerned.
    old = make_item(data.tree.market, "SCJG-CF-0001", valid_from=D(2018, 1, 1))
    catalog.revise_item(old, {"law_name": "《中华人民共和国产品质量法》"}, None, D(2019, 1, 1), "改依据")
    make_item(data.tree.market, "SCJG-CF-0002", valid_from=D(2026, 10, 1))
    _revise(data.item, D(2026, 10, 15))

    rows = services.law_rows(law, data.users.admin_a, today=D(2026, 10, 20))
    states = {r.content.split()[1]: r.state for r in rows}
    assert states == {data.item.code: services.ON_TIME, data.inspection.code: services.OVERDUE}
    assert all(r.deadline == D(2026, 10, 16) for r in rows)
    # Before the deadline, the missing update is only pending.
    pending = services.law_rows(law, data.users.admin_a, today=D(2026, 10, 16))
    assert {r.state for r in pending if r.updated_on is None} == {services.PENDING}


def test_update_after_the_deadline_is_late(data):
    law = services.record_law_change(law_name=FOOD, effective_on=CHANGE, actor=None)
    _revise(data.item, D(2026, 10, 19))
    row = next(r for r in services.law_rows(law, data.users.admin_a, D(2026, 11, 1)) if data.item.code in r.content)
    assert row.state == services.LATE and row.updated_on == D(2026, 10, 19)


def test_report_is_scoped_to_the_user(data):
    law = services.record_law_change(law_name=FOOD, effective_on=CHANGE, actor=None)
    a_rows = services.law_rows(law, data.users.admin_a, D(2026, 11, 1))
    b_rows = services.law_rows(law, data.users.admin_b, D(2026, 11, 1))
    assert {r.agency for r in a_rows} == {data.tree.market}
    assert {r.agency for r in b_rows} == {data.tree.other_market}
    services.record_duty_change(agency=data.tree.market, effective_on=CHANGE, description="职责调整",
                                actor=data.users.admin_a)
    assert len(services.freshness_report(data.users.admin_b, since=D(2026, 1, 1)).duty_sections) == 0
    assert len(services.freshness_report(data.users.admin_a, since=D(2026, 1, 1)).duty_sections) == 1


def test_duty_change_outside_reach_is_refused(data):
    with pytest.raises(PermissionDenied):
        services.record_duty_change(agency=data.tree.market, effective_on=CHANGE, description="调整",
                                    actor=data.users.admin_b)
    assert not DutyChange.objects.exists()


def test_duty_change_rows_guides_and_duty_text(data):
    change = services.record_duty_change(agency=data.tree.market, effective_on=CHANGE, description="划入职权",
                                         actor=data.users.head_a)
    GuideRevision.objects.all().update(revised_at=_at(D(2026, 1, 1)))  # written long before
    with clock.at(_at(D(2026, 10, 20))):
        data.guide.materials = "投诉书；身份证明"
        services.save_guide(data.guide, data.users.head_a)
    rows = services.duty_rows(change, today=D(2026, 11, 2))
    by_content = {r.content: r for r in rows}
    assert by_content["办事指南 投诉举报受理"].state == services.ON_TIME
    assert by_content["办事指南 投诉举报受理"].updated_on == D(2026, 10, 20)
    duty_text = next(r for r in rows if r.content.startswith("执法主体职责"))
    assert duty_text.state == services.OVERDUE and duty_text.deadline == D(2026, 10, 30)
    # Not the other county's guide.
    assert not any("青石县" in r.content for r in rows)
    with clock.at(_at(D(2026, 11, 2))):
        services.confirm_duty_text(change, data.users.head_a)
    change.refresh_from_db()
    duty_text = next(r for r in services.duty_rows(change, today=D(2026, 11, 3)) if r.content.startswith("执法主体职责"))
    assert duty_text.state == services.LATE
    with pytest.raises(PermissionDenied):
        services.confirm_duty_text(change, data.users.admin_b)


def test_freshness_page_and_alert(client, data, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: D(2026, 11, 2))
    services.record_law_change(law_name=FOOD, effective_on=CHANGE, actor=None)
    client.login(username="officer_a", password=PASSWORD)
    response = client.get(reverse("portal:freshness"))
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "逾期未更新 2 项" in html and data.item.code in html and "2026-10-16" in html
    assert "青石县食品标签处罚" not in html
    # The workbench alert points at the page.
    alerts = alerts_for(data.users.officer_a)
    assert any("2项公示内容超过更新期限" in a["text"] and reverse("portal:freshness") in a["url"] for a in alerts)
    assert not any("公示内容超过更新期限" in a["text"] for a in alerts_for(make_user("x", "officer",
                                                                              agency=data.tree.justice)))


def test_freshness_page_access(client, data):
    url = reverse("portal:freshness")
    assert client.get(url).status_code == 302
    client.login(username="security_a", password=PASSWORD)
    assert client.get(url).status_code == 403


def test_law_change_forms(client, data):
    client.login(username="head_a", password=PASSWORD)
    response = client.post(reverse("portal:law_change_create"),
                           {"law_name": "中华人民共和国广告法", "effective_on": "2026-09-28", "document": "", "description": ""})
    assert response.status_code == 302
    law = LawChange.objects.get()
    assert law.law_name == "《中华人民共和国广告法》" and law.recorded_by == data.users.head_a
    make_user("head_b", "agency_head", agency=data.tree.other_market)
    client.login(username="head_b", password=PASSWORD)
    assert client.get(reverse("portal:law_change_edit", args=[law.pk])).status_code == 403
    client.login(username="officer_a", password=PASSWORD)
    assert client.get(reverse("portal:law_change_create")).status_code == 403


def test_duty_change_form_offers_only_agencies_in_reach(client, data):
    client.login(username="admin_b", password=PASSWORD)
    response = client.post(reverse("portal:duty_change_create"), {
        "agency": data.tree.market.pk, "effective_on": "2026-09-28", "description": "越权登记", "document": ""})
    assert response.status_code == 200 and not DutyChange.objects.exists()
    response = client.post(reverse("portal:duty_change_create"), {
        "agency": data.tree.other_market.pk, "effective_on": "2026-09-28", "description": "划入职权", "document": ""})
    assert response.status_code == 302 and DutyChange.objects.get().agency == data.tree.other_market
