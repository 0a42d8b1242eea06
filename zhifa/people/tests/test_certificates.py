"""Certificate status rules (ORG-4): every transition allowed or refused, events, expiry and annual review."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.people import services
from zhifa.people.models import Certificate, CertificateEvent, Officer

from .conftest import issue, make_id_number

pytestmark = pytest.mark.django_db

ACTIONS = {
    "suspend": lambda c, u: services.suspend(c, u, "理由"),
    "revoke": lambda c, u: services.revoke(c, u, "理由"),
    "cancel": lambda c, u: services.cancel(c, u, "理由"),
    "restore": lambda c, u: services.restore(c, u, "理由"),
    "review_pass": lambda c, u: services.record_annual_review(c, True, u, ""),
    "review_fail": lambda c, u: services.record_annual_review(c, False, u, "不合格"),
}
# (starting status, action) -> resulting status, or None when refused.
TRANSITIONS = {
    ("valid", "suspend"): "suspended",
    ("valid", "revoke"): "revoked",
    ("valid", "cancel"): "cancelled",
    ("valid", "restore"): None,
    ("valid", "review_pass"): "valid",
    ("valid", "review_fail"): "suspended",
    ("suspended", "suspend"): None,
    ("suspended", "revoke"): "revoked",
    ("suspended", "cancel"): "cancelled",
    ("suspended", "restore"): "valid",
    ("suspended", "review_pass"): "suspended",
    ("suspended", "review_fail"): "suspended",
    **{("revoked", a): None for a in ACTIONS},
    **{("cancelled", a): None for a in ACTIONS},
}


def _into(cert, status, user):
    if status == "suspended":
        services.suspend(cert, user, "准备")
    elif status == "revoked":
        services.revoke(cert, user, "准备")
    elif status == "cancelled":
        services.cancel(cert, user, "准备")
    return cert


@pytest.mark.parametrize(("start", "action"), sorted(TRANSITIONS))
def test_every_transition_is_allowed_or_refused(roster, users, start, action):
    """Each status change from each status either gives the expected status (and one event)
    or is refused with a Chinese message and changes nothing. Revoked and cancelled are final."""
    cert = _into(roster.market_cert, start, users.head_a)
    events_before = cert.events.count()
    expected = TRANSITIONS[(start, action)]
    if expected is None:
        with pytest.raises(ValidationError):
            ACTIONS[action](cert, users.head_a)
        cert.refresh_from_db()
        assert cert.status == start
        assert cert.events.count() == events_before
    else:
        ACTIONS[action](cert, users.head_a)
        cert.refresh_from_db()
        assert cert.status == expected
        assert cert.events.count() == events_before + 1
        event = cert.events.order_by("-id").first()
        assert (event.from_status, event.to_status) == (start, expected)
        assert event.actor == users.head_a
        assert event.actor_name == "head_a"


def test_status_change_needs_a_reason(roster, users):
    """Suspension, revocation, cancellation, restoration and a failed review need a written reason."""
    for action in (services.suspend, services.revoke, services.cancel):
        with pytest.raises(ValidationError) as exc:
            action(roster.market_cert, users.head_a, "  ")
        assert exc.value.message_dict == {"reason": ["请填写理由。"]}
    with pytest.raises(ValidationError):
        services.record_annual_review(roster.market_cert, False, users.head_a, "")


def test_event_records_reason_actor_and_date(roster, users, today):
    """The event row keeps who did it, when it takes effect and why."""
    on = today - datetime.timedelta(days=3)
    services.suspend(roster.market_cert, users.head_a, "涉嫌违法执法，调查期间暂扣", on=on)
    event = roster.market_cert.events.get(kind="suspend")
    assert event.reason == "涉嫌违法执法，调查期间暂扣"
    assert event.effective_on == on
    assert event.actor_name == "head_a"


def test_effective_date_cannot_be_in_the_future(roster, users, today):
    """A status change cannot be dated in the future (nor before the issue date)."""
    with pytest.raises(ValidationError):
        services.suspend(roster.market_cert, users.head_a, "理由", on=today + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.suspend(roster.market_cert, users.head_a, "理由",
                         on=roster.market_cert.issued_on - datetime.timedelta(days=1))


def test_events_are_append_only(roster):
    """Certificate events cannot be changed or deleted."""
    event = roster.market_cert.events.first()
    event.reason = "改写"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        CertificateEvent.objects.all().update(reason="x")
    with pytest.raises(PermissionError):
        CertificateEvent.objects.all().delete()


def test_auxiliary_cannot_hold_a_certificate(roster, fields, today):
    """Issuing a certificate to an auxiliary is refused."""
    with pytest.raises(ValidationError) as exc:
        issue(roster.auxiliary, [fields["SCJG"]], "AUX-1")
    assert exc.value.message_dict["officer"] == ["执法辅助人员不能持有行政执法证。"]
    assert not Certificate.objects.filter(number="AUX-1").exists()


def test_certificate_holder_cannot_become_auxiliary(roster):
    """An officer holding a live certificate cannot be turned into an auxiliary."""
    roster.market_officer.kind = Officer.KIND_AUXILIARY
    with pytest.raises(ValidationError) as exc:
        roster.market_officer.full_clean()
    assert "kind" in exc.value.message_dict


def test_issue_refuses_bad_input(roster, fields, today):
    """Duplicate number, term ending before it starts and no field are refused."""
    with pytest.raises(ValidationError) as exc:
        services.issue_certificate(
            roster.market_officer, number=roster.market_cert.number, fields=[], issuing_authority="县政府",
            issued_on=today, expires_on=today - datetime.timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"number", "fields", "expires_on"}


def test_issue_writes_event(roster):
    """Issuing writes an "issue" event (and a passed review when one is registered)."""
    kinds = list(roster.market_cert.events.values_list("kind", flat=True))
    assert kinds == ["issue", "review_passed"]


def test_failed_review_suspends_and_restore_needs_expiry_in_future(roster, users):
    """A failed annual review suspends; restoring is then possible while in term."""
    services.record_annual_review(roster.market_cert, False, users.head_a, "未参加考试")
    assert roster.market_cert.status == "suspended"
    assert roster.market_cert.last_review_passed is False
    services.restore(roster.market_cert, users.head_a, "补考合格")
    assert roster.market_cert.status == "valid"


def test_expired_certificate_cannot_be_restored_or_reviewed(tree, fields, today, users):
    """An expired certificate is not restored or reviewed: it must be re-issued."""
    officer = Officer.objects.create(name="孙敏", id_number=make_id_number(seq=242), home_agency=tree.market)
    cert = issue(officer, [fields["SCJG"]], "EXP-2", issued=today - datetime.timedelta(days=2200),
                 expires=today - datetime.timedelta(days=10), reviewed=False)
    services.suspend(cert, users.head_a, "理由", on=today - datetime.timedelta(days=20))
    with pytest.raises(ValidationError, match="已过期"):
        services.restore(cert, users.head_a, "恢复")
    with pytest.raises(ValidationError, match="已过期"):
        services.record_annual_review(cert, True, users.head_a, "")


def test_expiry_is_derived_and_matches_queryset(tree, fields, today):
    """An expired certificate is not valid even though its status says valid; the Python rule
    and the queryset filter agree."""
    officer = Officer.objects.create(name="郑芳", id_number=make_id_number(seq=244), home_agency=tree.market)
    cert = issue(officer, [fields["SCJG"]], "EXP-3", issued=today - datetime.timedelta(days=2000),
                 expires=today - datetime.timedelta(days=1))
    assert cert.status == "valid"
    assert cert.problems_on(today) == ["执法证已过期"]
    assert cert.effective_status == "已过期"
    assert not Certificate.objects.usable_on(today).filter(pk=cert.pk).exists()
    assert Certificate.objects.usable_on(cert.expires_on).filter(pk=cert.pk).exists()
    assert Certificate.objects.expired_on(today).filter(pk=cert.pk).exists()


def test_annual_review_overdue_after_deadline(tree, fields, users):
    """A certificate issued before this year needs a passed review of this year after 31 March."""
    officer = Officer.objects.create(name="韩伟", id_number=make_id_number(seq=246), home_agency=tree.market)
    cert = services.issue_certificate(
        officer, number="REV-1", fields=[fields["SCJG"]], issuing_authority="云岭县人民政府",
        issued_on=datetime.date(2023, 5, 1), expires_on=datetime.date(2029, 4, 30),
        last_review_on=datetime.date(2024, 2, 1),
    )
    march, april = datetime.date(2025, 3, 31), datetime.date(2025, 4, 1)
    assert cert.problems_on(march) == []
    assert cert.problems_on(april) == ["执法证未按期通过年度审验"]
    usable = Certificate.objects.filter(pk=cert.pk)
    assert usable.usable_on(march).exists() and not usable.usable_on(april).exists()
    assert usable.review_overdue_on(april).exists()
    services.record_annual_review(cert, True, users.head_a, "", on=datetime.date(2025, 3, 15))
    cert.refresh_from_db()
    assert cert.problems_on(april) == []
    assert usable.usable_on(april).exists()


def test_certificate_issued_this_year_needs_no_review_yet(tree, fields):
    """A certificate issued during the year is exempt from that year's review."""
    officer = Officer.objects.create(name="唐静", id_number=make_id_number(seq=248), home_agency=tree.market)
    cert = services.issue_certificate(
        officer, number="REV-2", fields=[fields["SCJG"]], issuing_authority="云岭县人民政府",
        issued_on=datetime.date(2025, 1, 10), expires_on=datetime.date(2031, 1, 9),
    )
    assert cert.problems_on(datetime.date(2025, 6, 1)) == []
    assert cert.problems_on(datetime.date(2026, 6, 1)) == ["执法证未按期通过年度审验"]


# --- through the UI and the API ------------------------------------------------------------

def test_status_change_form(client, roster, users):
    """The web form changes status through the service, and refuses without a reason."""
    client.force_login(users.head_a)
    url = reverse("people:certificate_action", args=[roster.market_cert.pk, "suspend"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "请填写理由。" in response.content.decode()
    response = client.post(url, {"reason": "调查期间暂扣"})
    assert response.status_code == 302
    roster.market_cert.refresh_from_db()
    assert roster.market_cert.status == "suspended"
    response = client.post(reverse("people:certificate_action", args=[roster.market_cert.pk, "suspend"]),
                           {"reason": "再次"})
    assert "只有状态为" in response.content.decode()


def test_review_form_records_result(client, roster, users):
    """The annual review form records pass/fail; failing suspends."""
    client.force_login(users.head_a)
    url = reverse("people:certificate_action", args=[roster.market_cert.pk, "review"])
    response = client.post(url, {"passed": "0", "reason": "审验不合格"})
    assert response.status_code == 302
    roster.market_cert.refresh_from_db()
    assert roster.market_cert.status == "suspended"


def test_officer_role_cannot_change_status(client, api_client, roster, users):
    """An officer (no people/change capability) can neither open the form nor call the API."""
    client.force_login(users.officer_a)
    assert client.get(reverse("people:certificate_action", args=[roster.market_cert.pk, "suspend"])).status_code == 403
    api_client.force_authenticate(users.officer_a)
    response = api_client.post(f"/api/people/certificates/{roster.market_cert.pk}/suspend/", {"reason": "x"})
    assert response.status_code == 403


def test_api_status_actions(api_client, roster, users):
    """POST actions change status; a refused transition is 409; a missing reason is 400."""
    api_client.force_authenticate(users.head_a)
    base = f"/api/people/certificates/{roster.market_cert.pk}"
    response = api_client.post(f"{base}/suspend/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["reason"] == ["请填写理由。"]
    response = api_client.post(f"{base}/suspend/", {"reason": "调查"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "suspended"
    assert response.json()["usable_today"] is False
    response = api_client.post(f"{base}/suspend/", {"reason": "再次"}, format="json")
    assert response.status_code == 409
    assert "只有状态为" in response.json()["error"]["message"]
    response = api_client.post(f"{base}/review/", {"passed": True}, format="json")
    assert response.status_code == 200
    response = api_client.post(f"{base}/restore/", {"reason": "调查结束"}, format="json")
    assert response.json()["status"] == "valid"
    events = api_client.get(f"{base}/events/").json()
    assert [e["kind"] for e in events] == ["issue", "review_passed", "suspend", "review_passed", "restore"]


def test_api_cannot_write_status_directly(api_client, roster, users):
    """PATCH of status is ignored (read-only); number and holder cannot be changed after issue."""
    api_client.force_authenticate(users.head_a)
    url = f"/api/people/certificates/{roster.market_cert.pk}/"
    response = api_client.patch(url, {"status": "revoked"}, format="json")
    assert response.status_code == 200
    roster.market_cert.refresh_from_db()
    assert roster.market_cert.status == "valid"
    response = api_client.patch(url, {"number": "NEW"}, format="json")
    assert response.status_code == 400


def test_api_issue_refuses_auxiliary(api_client, roster, users, fields, today):
    """Creating a certificate through the API goes through issue_certificate (auxiliary refused)."""
    api_client.force_authenticate(users.head_a)
    payload = {"number": "API-1", "officer": roster.auxiliary.pk, "fields": [fields["SCJG"].pk],
               "issuing_authority": "云岭县人民政府", "issued_on": str(today - datetime.timedelta(days=1)),
               "expires_on": str(today + datetime.timedelta(days=3650))}
    response = api_client.post("/api/people/certificates/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["officer"] == ["执法辅助人员不能持有行政执法证。"]
    payload["officer"] = roster.market_officer.pk
    response = api_client.post("/api/people/certificates/", payload, format="json")
    assert response.status_code == 201
    assert Certificate.objects.get(number="API-1").events.get().kind == "issue"


def test_issue_form_through_ui(client, roster, users, fields, today):
    """The web issue form creates a valid certificate with an issue event."""
    client.force_login(users.head_a)
    response = client.post(reverse("people:certificate_create"), {
        "officer": roster.market_officer.pk, "number": "UI-1", "fields_": [fields["SCJG"].pk],
        "issuing_authority": "云岭县人民政府", "issued_on": str(today), "expires_on": str(today.replace(year=today.year + 5)),
    })
    assert response.status_code == 302
    cert = Certificate.objects.get(number="UI-1")
    assert cert.status == "valid" and cert.events.get().kind == "issue"


def test_certificate_list_and_api_query_counts(client, api_client, roster, users, fields,
                                               django_assert_max_num_queries):
    """Certificate list page and API list stay flat as certificates grow."""
    for i in range(20):
        officer = Officer.objects.create(name=f"测试{i}", id_number=make_id_number(seq=300 + i),
                                         home_agency=roster.market_officer.home_agency)
        issue(officer, [fields["SCJG"], fields["CSGL"]], f"BULK-{i}")
    client.force_login(users.head_a)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("people:certificate_list"))
    assert response.status_code == 200
    assert "BULK-19" in response.content.decode()
    api_client.force_authenticate(users.head_a)
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/people/certificates/")
    assert response.json()["count"] == 21
