"""三员分立: no account gives an administrator role, or changes or resets an administrator's
account (its own included), through the application — API or web. The console command on the
server does it, and is logged."""

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.accounts import roles, services
from zhifa.accounts.models import SignInState, User
from zhifa.accounts.testing import VerifiedClient, ensure_totp_device, totp_code
from zhifa.core.models import ChangeLog
from zhifa.core.testing import PASSWORD


@pytest.fixture
def security_api(users, api_client):
    api_client.force_login(users.security_a)
    return api_client


def test_security_admin_cannot_make_the_auditor_role_for_itself_or_anyone(users, security_api):
    me = security_api.patch(f"/api/accounts/users/{users.security_a.pk}/", {"role": roles.AUDIT_ADMIN}, format="json")
    assert me.status_code == 403 and "自己" in me.json()["error"]["message"]
    other = security_api.patch(f"/api/accounts/users/{users.officer_a.pk}/", {"role": roles.AUDIT_ADMIN},
                               format="json")
    assert other.status_code == 400 and "role" in other.json()["error"]["fields"]
    new = security_api.post("/api/accounts/users/", {
        "username": "fake_auditor", "role": roles.SECURITY_ADMIN, "region": users.security_a.region_id,
        "password": "Yunling-2026!",
    }, format="json")
    assert new.status_code == 400 and not User.objects.filter(username="fake_auditor").exists()
    for user in (users.security_a, users.officer_a):
        user.refresh_from_db()
    assert users.security_a.role == roles.SECURITY_ADMIN and users.officer_a.role == roles.OFFICER
    assert security_api.get("/api/core/changelog/").status_code == 403


def test_security_admin_cannot_take_over_the_auditors_credentials(users, security_api):
    """No password reset, second-factor reset, deactivation or unlock of another 三员 account;
    the auditor's token survives untouched."""
    token = Token.objects.create(user=users.auditor_a)
    url = f"/api/accounts/users/{users.auditor_a.pk}/"
    for body in ({"password": "Takeover-2026!"}, {"is_active": False}, {"display_name": "x"}):
        response = security_api.patch(url, body, format="json")
        assert response.status_code == 403 and "控制台" in response.json()["error"]["message"]
    assert security_api.post(url + "reset-otp/").status_code == 403
    assert security_api.post(url + "unlock/").status_code == 403
    users.auditor_a.refresh_from_db()
    assert users.auditor_a.check_password(PASSWORD) and users.auditor_a.is_active
    assert Token.objects.filter(key=token.key).exists()
    # The system administrator's account is just as closed.
    assert security_api.patch(f"/api/accounts/users/{users.admin_a.pk}/", {"password": "Takeover-2026!"},
                              format="json").status_code == 403


def test_web_account_pages_keep_the_three_administrators_apart(users, tree):
    client = VerifiedClient()
    client.force_login(users.security_a)
    assert client.get(f"/accounts/users/{users.auditor_a.pk}/edit/").status_code == 403
    assert client.get(f"/accounts/users/{users.security_a.pk}/edit/").status_code == 403
    detail = client.get(f"/accounts/users/{users.auditor_a.pk}/").content.decode()
    assert "控制台" in detail and "重置密码" not in detail
    form = client.get(f"/accounts/users/{users.officer_a.pk}/edit/").content.decode()
    assert 'value="officer"' in form and 'value="audit_admin"' not in form and 'value="security_admin"' not in form
    refused = client.post(f"/accounts/users/{users.officer_a.pk}/edit/", {
        "username": "officer_a", "role": roles.AUDIT_ADMIN, "agency": tree.market.pk, "is_active": "on",
    })
    assert refused.status_code == 200
    users.officer_a.refresh_from_db()
    assert users.officer_a.role == roles.OFFICER
    assert client.post(f"/accounts/users/{users.auditor_a.pk}/reset-otp/").status_code == 403


def test_security_admin_resets_an_ordinary_account_on_the_web(users, tree):
    client = VerifiedClient()
    client.force_login(users.security_a)
    response = client.post(f"/accounts/users/{users.officer_a.pk}/edit/", {
        "username": "officer_a", "display_name": "officer_a", "role": roles.OFFICER, "agency": tree.market.pk,
        "unit": tree.market_unit.pk, "is_active": "on", "password": "Reset-2026-a",
    })
    assert response.status_code == 302, response.content.decode()
    users.officer_a.refresh_from_db()
    assert users.officer_a.check_password("Reset-2026-a")
    assert SignInState.objects.get(user=users.officer_a).must_change_password
    entry = ChangeLog.objects.filter(action="password", object_id=str(users.officer_a.pk), result="密码已重置").get()
    assert entry.actor == users.security_a
    ensure_totp_device(users.officer_a)
    assert client.post(f"/accounts/users/{users.officer_a.pk}/reset-otp/").status_code == 302
    assert not services.has_second_factor(users.officer_a)


def test_console_command_creates_and_resets_administrators_and_is_logged(users, tree, capsys):
    call_command("admin_account", "create", "auditor_new", "--role", roles.AUDIT_ADMIN, "--region", "619921",
                 "--name", "新审计员")
    out = capsys.readouterr().out
    password = out.split("一次性密码：")[1].split()[0]
    auditor = User.objects.get(username="auditor_new")
    assert auditor.role == roles.AUDIT_ADMIN and auditor.check_password(password)
    created = ChangeLog.objects.get(action="password", object_id=str(auditor.pk))
    assert "控制台（操作系统用户" in created.note and "已创建账户" in created.result
    # First sign-in: new password, then the authenticator.
    client = Client()
    client.post("/accounts/login/", {"username": "auditor_new", "password": password})
    assert client.get("/audit/")["Location"].startswith("/accounts/security/otp/")

    token = Token.objects.create(user=users.auditor_a)
    call_command("admin_account", "reset-password", "auditor_a")
    new_password = capsys.readouterr().out.split("一次性密码：")[1].split()[0]
    users.auditor_a.refresh_from_db()
    assert users.auditor_a.check_password(new_password)
    assert not Token.objects.filter(key=token.key).exists()
    assert ChangeLog.objects.filter(action="token_revoke", object_id=str(users.auditor_a.pk)).exists()

    device = ensure_totp_device(users.auditor_a)
    call_command("admin_account", "reset-otp", "auditor_a")
    assert not type(device).objects.filter(pk=device.pk).exists()


def test_console_unlocks_a_locked_administrator(users, settings):
    settings.ZHIFA_LOGIN_MAX_FAILURES = 2
    device = ensure_totp_device(users.auditor_a)
    api = APIClient()
    for _ in range(2):
        api.post("/api/auth/token/", {"username": "auditor_a", "password": PASSWORD, "otp_token": "000000"},
                 format="json")
    assert services.locked_until(users.auditor_a) is not None  # wrong codes lock too
    call_command("admin_account", "unlock", "auditor_a")
    assert services.locked_until(users.auditor_a) is None
    ok = api.post("/api/auth/token/", {"username": "auditor_a", "password": PASSWORD,
                                       "otp_token": totp_code(device)}, format="json")
    assert ok.status_code == 200
    assert ChangeLog.objects.filter(action="unlock", object_id=str(users.auditor_a.pk), note__contains="控制台").exists()
