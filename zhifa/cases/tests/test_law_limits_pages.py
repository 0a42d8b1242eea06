"""The limitation, no-penalty grounds and payment plans through the web pages and the API."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case, PaymentPlan
from zhifa.catalog import choices as cc

from .test_law_limits import MINOR, _in_execution
from .test_procedure import _investigate

D = datetime.date


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def test_registering_a_case_records_the_limitation_facts_and_the_page_shows_the_expiry(client, world):
    client.force_login(world.officer_user)
    form = {
        "agency": world.tree.market.pk, "item": world.item.pk, "party": world.company.pk, "cause": "经营标签不符合规定的食品案",
        "source": "inspection", "occurred_on": "2019-05-01", "violation_ended_on": "2024-10-31",
        "place": "店内", "facts": "经营标签不符合规定的食品。", "lead": world.o1.pk, "assistants": [world.o2.pk],
    }
    response = client.post(reverse("cases:case_create"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.violation_ended_on == D(2024, 10, 31) and not case.grave_safety_harm
    html = client.get(case.get_absolute_url()).content.decode()
    assert "二年内未被发现" in html and "第三十六条第一款" in html and "2026年10月31日" in html
    # The filing button is refused with the article.
    client.force_login(world.unit_head)
    response = client.post(reverse("cases:transition", args=[case.pk, "file"]))
    case.refresh_from_db()
    assert case.stage == "clue"


def test_violation_period_form_and_api(client, api_client, world, open_general):
    case = open_general(occurred_on=D(2019, 5, 1), violation_continuing=True)
    services.perform_transition(case, "file", actor=world.unit_head)
    client.force_login(world.officer_user)
    url = reverse("cases:violation_period", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"violation_ended_on": "2023-06-30"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.violation_ended_on == D(2023, 6, 30) and not case.violation_continuing
    api_client.force_authenticate(world.officer_user)
    body = api_client.post(f"/api/cases/cases/{case.pk}/violation-period/",
                           {"violation_ended_on": "2025-01-01", "grave_safety_harm": True}, format="json")
    assert body.status_code == 200 and body.json()["limitation_ends_on"] == "2030-01-01"
    bad = api_client.post(f"/api/cases/cases/{case.pk}/violation-period/",
                          {"violation_ended_on": "2025-01-01", "violation_continuing": True}, format="json")
    assert bad.status_code == 400 and "violation_ended_on" in bad.json()["error"]["fields"]
    api_client.force_authenticate(world.users.officer_b)
    assert api_client.post(f"/api/cases/cases/{case.pk}/violation-period/", {}, format="json").status_code in (403, 404)


def test_discretion_page_refuses_a_penalty_on_mandatory_facts_and_shows_the_ground(client, api_client, world,
                                                                                   open_general):
    case = open_general()
    _investigate(world, case)
    client.force_login(world.officer_user)
    url = reverse("cases:discretion", args=[case.pk])
    response = client.post(url, {"level": cc.MINOR, "outcome": "penalty", "penalty_kinds": [cc.WARNING],
                                 "fact_tags": MINOR})
    html = response.content.decode()
    assert response.status_code == 200 and "第三十三条第一款，不予行政处罚" in html
    assert Case.objects.get(pk=case.pk).discretion_level == ""
    preview = client.post(url, {"level": cc.MINOR, "outcome": "penalty", "penalty_kinds": [cc.WARNING],
                                "fact_tags": MINOR, "preview": "1"}).content.decode()
    assert "应当不予处罚" in preview
    api_client.force_authenticate(world.officer_user)
    body = api_client.post(f"/api/cases/cases/{case.pk}/discretion/", {
        "level": cc.LIGHT, "penalty_kinds": [cc.FINE], "fine_amount": "6000",
        "fact_tags": ["首次违法", "危害后果轻微", "及时改正"]}, format="json").json()
    assert body["no_penalty_grounds"][0]["mandatory"] is False and "可以不予行政处罚" in body["no_penalty_grounds"][0]["text"]
    refused = api_client.post(f"/api/cases/cases/{case.pk}/discretion/", {
        "level": cc.LIGHT, "penalty_kinds": [cc.FINE], "fine_amount": "6000", "fact_tags": ["没有主观过错"]},
        format="json")
    assert refused.status_code == 400 and "第三十三条第二款" in str(refused.json()["error"])


def test_payment_plan_page_for_the_agency_head_and_the_api(client, api_client, world, open_general, fixed_today):
    case = _in_execution(world, open_general, fixed_today)
    url = reverse("cases:payment_plan", args=[case.pk])
    client.force_login(world.officer_user)
    assert client.get(url).status_code == 403
    client.force_login(world.head)
    bad = client.post(url, {"kind": "instalments", "applied_on": "2026-11-10", "reason": "经营困难",
                            "schedule": "2026-12-25 4000\n明年 6000"})
    assert "第2行应为" in bad.content.decode()
    response = client.post(url, {"kind": "instalments", "applied_on": "2026-11-10", "reason": "经营困难",
                                 "schedule": "2026-12-25 4000\n2027-01-25 6000"})
    assert response.status_code == 302
    html = client.get(case.get_absolute_url()).content.decode()
    assert "批准分期缴纳" in html and "第2期" in html and "2027-01-25" in html
    api_client.force_authenticate(world.head)
    listed = api_client.get(f"/api/cases/cases/{case.pk}/payment-plans/").json()
    assert [i["due_on"] for i in listed[0]["instalments"]] == ["2026-12-25", "2027-01-25"]
    created = api_client.post(f"/api/cases/cases/{case.pk}/payment-plans/", {
        "kind": "deferral", "applied_on": "2026-11-10", "reason": "资金周转困难",
        "instalments": [{"due_on": "2027-02-01", "amount": "10000.00"}]}, format="json")
    assert created.status_code == 201 and PaymentPlan.objects.filter(case=case).count() == 2
    api_client.force_authenticate(world.officer_user)
    refused = api_client.post(f"/api/cases/cases/{case.pk}/payment-plans/", {
        "kind": "deferral", "applied_on": "2026-11-10", "reason": "x",
        "instalments": [{"due_on": "2027-03-01", "amount": "10000.00"}]}, format="json")
    assert refused.status_code == 403 and "机关负责人" in refused.json()["error"]["message"]
    assert Decimal(api_client.get(f"/api/cases/cases/{case.pk}/").json()["fine_amount"]) == Decimal("10000")


def test_provisional_case_deadline_is_recounted_when_an_administrator_enters_the_year(
        client, api_client, world, open_general, fixed_today, django_capture_on_commit_callbacks):
    """Registered on Monday 21 December 2026, the 15 working days to decide on filing reach 2027:
    counted Monday to Friday (11 January) and labelled 待确认 until 2027 is entered; entered with
    New Year's Day as a holiday, the deadline becomes 12 January and the label goes."""
    fixed_today(D(2026, 12, 21))
    case = open_general()
    assert case.next_deadline == D(2027, 1, 11) and "日期待确认" in case.next_deadline_label
    client.force_login(world.officer_user)
    assert "日期待确认" in client.get(case.get_absolute_url()).content.decode()
    client.force_login(world.users.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/workdays/2027/", {"schedule": "元旦 01-01", "published_note": "通知", "complete": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.next_deadline == D(2027, 1, 12) and case.next_deadline_label == "决定是否立案"
    client.force_login(world.officer_user)
    assert "日期待确认" not in client.get(case.get_absolute_url()).content.decode()


def test_recount_through_the_api_covers_cases_and_publications(api_client, world, open_general, fixed_today,
                                                                django_capture_on_commit_callbacks):
    from zhifa.publicity.models import Publication
    from zhifa.workdays import recount

    assert {"cases", "publicity", "review"} <= set(recount.registered())
    fixed_today(D(2026, 12, 21))
    case = open_general()
    publication = Publication.objects.create(
        agency=world.tree.market, decision_number="测试罚决〔2026〕99号", title="测试", party_kind="legal",
        party_name="云岭鑫达商贸有限公司", result="罚款", decided_on=D(2026, 12, 30), due_on=D(2027, 1, 8),
        due_provisional=True)
    api_client.force_authenticate(world.users.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/workdays/years/", {"year": 2027, "schedule_text": "元旦 01-01",
                                                            "complete": True}, format="json")
    assert response.status_code == 201, response.content
    case.refresh_from_db()
    publication.refresh_from_db()
    assert "待确认" not in case.next_deadline_label and case.next_deadline == D(2027, 1, 12)
    assert not publication.due_provisional and publication.due_on == D(2027, 1, 11)


def test_statement_period_and_payment_date_are_provisional_then_recounted(world, open_general, fixed_today,
                                                                         django_capture_on_commit_callbacks):
    """A notice served on Monday 28 December 2026: 5 working days reach 2027, counted Monday to
    Friday (4 January) until 2027 is entered with New Year's Day off (5 January). A payment due
    15 days after 17 December falls on 1 January: kept until the year is entered, then moved to
    the next working day."""
    from zhifa.cases import rules
    from zhifa.workdays.services import enter_schedule

    case = open_general()
    _investigate(world, case)
    services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE], fine_amount=8000)
    services.perform_transition(case, "propose", actor=world.officer_user)
    fixed_today(D(2026, 12, 28))
    case = services.perform_transition(case, "notify", actor=world.officer_user, data={"served_on": D(2026, 12, 28)})
    assert case.statement_deadline == D(2027, 1, 4) and case.provisional_dates == ["statement_deadline"]
    other = open_general()
    other.served_on = D(2026, 12, 17)
    rules.set_stored_date(other, "payment_due_on", other.served_on)
    other.save()
    assert other.payment_due_on == D(2027, 1, 1) and other.provisional_dates == ["payment_due_on"]
    with django_capture_on_commit_callbacks(execute=True):
        enter_schedule(2027, "元旦 01-01")
    case.refresh_from_db()
    other.refresh_from_db()
    assert case.statement_deadline == D(2027, 1, 5) and case.provisional_dates == []
    assert other.payment_due_on == D(2027, 1, 4) and other.provisional_dates == []
