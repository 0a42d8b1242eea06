"""Sign-in (等保 三级 身份鉴别): password rules, lock-out, second factor, sessions, tokens,
and the audit of every sign-in event. These tests drive the real sign-in (pages and token
endpoint) with a plain test client and TOTP codes computed from the enrolled secret."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.accounts import roles, services
from zhifa.accounts.models import SignInState, User
from zhifa.accounts.signals import LAST_SEEN_KEY
from zhifa.accounts.testing import VerifiedClient, code_from_secret, ensure_totp_device, totp_code
from zhifa.core.models import ChangeLog
from zhifa.core.testing import PASSWORD

NEW_PASSWORD = "Qinchuan-2027"


def events(user, action):
    return ChangeLog.objects.filter(action=action, object_id=str(user.pk)).order_by("pk")


def sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


# --------------------------------------------------------------------------------------
# Passwords
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("password, accepted", [
    ("yunlingxian", False),  # lower case only (accepted before 等保 work)
    ("yunling2026", False),  # two classes
    ("Yl-26", False),  # three classes, too short
    ("yunling-2026", True),  # lower, digits, other
    ("Yunling2026", True),  # upper, lower, digits
])
def test_password_needs_three_character_classes_and_a_length_floor(password, accepted):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if accepted:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_password_history_refuses_recent_passwords_through_the_api(users):
    """Changing one's password via the API: the rules and the history apply; tokens end."""
    api = APIClient()
    token = api.post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    simple = api.post("/api/accounts/me/password/", {"old_password": PASSWORD, "new_password": "abcdefghij"},
                      format="json")
    assert simple.status_code == 400 and "new_password" in simple.json()["error"]["fields"]
    assert api.post("/api/accounts/me/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
                    format="json").status_code == 204
    assert api.get("/api/accounts/me/").status_code == 401  # the token was revoked with the change
    users.officer_a.refresh_from_db()
    assert users.officer_a.check_password(NEW_PASSWORD)
    with pytest.raises(Exception, match="最近"):
        services.change_own_password(users.officer_a, old_password=NEW_PASSWORD, new_password=PASSWORD)
    assert events(users.officer_a, "token_revoke").exists() and events(users.officer_a, "password").exists()


def test_expired_password_must_be_changed_before_anything_else(users, settings):
    settings.ZHIFA_PASSWORD_MAX_AGE_DAYS = 90
    SignInState.objects.filter(user=users.officer_a).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91))
    client = Client()
    sign_in(client, "officer_a")
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password/")
    page = client.get("/accounts/password/").content.decode()
    assert "90 天未修改" in page
    refused = APIClient().post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "password_change_required"
    changed = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                  "new_password2": NEW_PASSWORD})
    assert changed.status_code == 302
    assert client.get("/cases/").status_code == 200


# --------------------------------------------------------------------------------------
# Lock-out and the audit of sign-in events
# --------------------------------------------------------------------------------------


def test_sign_in_and_sign_out_are_logged_with_client_address(users):
    client = Client()
    sign_in(client, "officer_a")
    client.post("/accounts/logout/", REMOTE_ADDR="10.1.2.3")
    login, = events(users.officer_a, "login")
    logout, = events(users.officer_a, "logout")
    assert login.client_address == "10.1.2.3" and login.result == "成功" and login.actor == users.officer_a
    assert logout.client_address == "10.1.2.3" and logout.result == "本人退出"


def test_web_lock_out_after_repeated_failures_and_unlock_by_security_admin(users, settings):
    settings.ZHIFA_LOGIN_MAX_FAILURES = 5
    client = Client()
    for _ in range(5):
        response = sign_in(client, "officer_a", "wrong-Pass-1")
        assert response.status_code == 200
    assert "已被锁定" in response.content.decode()
    failures = events(users.officer_a, "login_failed")
    assert failures.count() == 5 and all(f.client_address == "10.1.2.3" for f in failures)
    assert "连续第 5 次" in failures.last().result
    assert events(users.officer_a, "lockout").count() == 1
    # The right password does not help while locked; nor does the API.
    locked = sign_in(client, "officer_a")
    assert locked.status_code == 200 and "已被锁定" in locked.content.decode()
    api = APIClient().post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json")
    assert api.status_code == 400 and api.json()["error"]["code"] == "locked"
    # Failed sign-ins of unknown accounts are logged too.
    sign_in(client, "nobody", "x")
    assert ChangeLog.objects.filter(action="login_failed", object_repr="nobody").exists()

    admin = VerifiedClient()
    admin.force_login(users.security_a)
    detail = admin.get(f"/accounts/users/{users.officer_a.pk}/").content.decode()
    assert "解除锁定" in detail
    assert admin.post(f"/accounts/users/{users.officer_a.pk}/unlock/").status_code == 302
    unlock, = events(users.officer_a, "unlock")
    assert unlock.actor == users.security_a and "security_a" in unlock.note
    assert sign_in(client, "officer_a").status_code == 302


def test_api_lock_out_and_unlock_through_the_api(users, settings, api_client):
    settings.ZHIFA_LOGIN_MAX_FAILURES = 3
    anonymous = APIClient()
    for _ in range(3):
        wrong = anonymous.post("/api/auth/token/", {"username": "officer_a", "password": "bad"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "locked"
    assert "已被锁定" in wrong.json()["error"]["message"]
    assert events(users.officer_a, "lockout").exists()
    api_client.force_login(users.security_a)
    assert api_client.post(f"/api/accounts/users/{users.officer_a.pk}/unlock/").status_code == 204
    ok = anonymous.post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json")
    assert ok.status_code == 200 and ok.json()["token"]


# --------------------------------------------------------------------------------------
# Second factor
# --------------------------------------------------------------------------------------


def test_supervisor_signs_in_with_a_computed_totp_code(users):
    """Password, then the code: until then every page leads to the code page."""
    device = ensure_totp_device(users.supervisor_a)
    client = Client()
    response = sign_in(client, "supervisor_a")
    assert response.status_code == 302
    blocked = client.get("/cases/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/accounts/login/otp/")
    assert client.get("/api/cases/cases/").json()["error"]["code"] == "otp_required"
    wrong = client.post("/accounts/login/otp/", {"token": "000000", "next": "/cases/"})
    assert "不正确" in wrong.content.decode()
    assert "失败" in events(users.supervisor_a, "otp").last().result
    done = client.post("/accounts/login/otp/", {"token": totp_code(device), "next": "/cases/"})
    assert done.status_code == 302 and done["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    assert events(users.supervisor_a, "otp").last().result == "成功：动态口令"


def test_administrator_enrols_at_first_sign_in_and_can_use_recovery_codes(users):
    client = Client()
    sign_in(client, "auditor_a")
    assert client.get("/audit/")["Location"].startswith("/accounts/security/otp/")
    page = client.get("/accounts/security/otp/").content.decode()
    assert "<svg" in page and "必须使用双因素认证" in page
    secret = re.search(r'class="otp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert "不正确" in client.post("/accounts/security/otp/", {"token": "123456"}).content.decode()
    enrolled = client.post("/accounts/security/otp/", {"token": code_from_secret(secret)})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", enrolled.content.decode())
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert client.get("/audit/").status_code == 200
    client.post("/accounts/logout/")
    # A recovery code replaces the phone once.
    sign_in(client, "auditor_a")
    assert client.post("/accounts/login/otp/", {"token": codes[0]}).status_code == 302
    assert client.get("/audit/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, "auditor_a")
    assert "不正确" in client.post("/accounts/login/otp/", {"token": codes[0]}).content.decode()


def test_second_factor_is_optional_per_role_by_setting(users, settings):
    client = Client()
    sign_in(client, "officer_a")
    assert client.get("/cases/").status_code == 200
    settings.ZHIFA_OTP_ROLES = [roles.OFFICER]
    client = Client()
    sign_in(client, "officer_a")
    assert client.get("/cases/")["Location"].startswith("/accounts/security/otp/")


def test_api_token_needs_the_second_factor(users):
    api = APIClient()
    url = "/api/auth/token/"
    creds = {"username": "supervisor_a", "password": PASSWORD}
    not_enrolled = api.post(url, creds, format="json")
    assert not_enrolled.status_code == 403 and not_enrolled.json()["error"]["code"] == "otp_enrolment_required"
    device = ensure_totp_device(users.supervisor_a)
    assert api.post(url, creds, format="json").json()["error"]["code"] == "otp_required"
    assert api.post(url, {**creds, "otp_token": "999999"}, format="json").json()["error"]["code"] == "otp_invalid"
    ok = api.post(url, {**creds, "otp_token": totp_code(device)}, format="json")
    assert ok.status_code == 200 and ok.json()["expires"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {ok.json()['token']}")
    assert api.get("/api/accounts/me/").json()["username"] == "supervisor_a"
    issue = events(users.supervisor_a, "token_issue").get()
    assert issue.result == "已签发新令牌" and issue.client_address == "127.0.0.1"
    assert api.delete(url).status_code == 204
    assert api.get("/api/accounts/me/").status_code == 401
    assert events(users.supervisor_a, "token_revoke").exists()


# --------------------------------------------------------------------------------------
# Sessions and tokens
# --------------------------------------------------------------------------------------


def test_idle_session_is_signed_out_and_logged(users, settings):
    settings.ZHIFA_SESSION_IDLE_MINUTES = 30
    client = Client()
    sign_in(client, "officer_a")
    assert client.get("/cases/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] -= 31 * 60
    session.save()
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "空闲超过 30 分钟" in events(users.officer_a, "logout").get().result
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")


def test_api_token_expires(users, settings):
    settings.ZHIFA_API_TOKEN_HOURS = 12
    api = APIClient()
    token = api.post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json").json()["token"]
    Token.objects.filter(key=token).update(created=timezone.now() - datetime.timedelta(hours=13))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/accounts/me/")
    assert response.status_code == 401 and "已过期" in response.json()["error"]["message"]
    assert not Token.objects.filter(key=token).exists()


def test_password_reset_by_security_admin_ends_tokens_and_sessions(users, api_client):
    api = APIClient()
    token = api.post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json").json()["token"]
    officer_browser = Client()
    sign_in(officer_browser, "officer_a")
    assert officer_browser.get("/cases/").status_code == 200
    api_client.force_login(users.security_a)
    reset = api_client.patch(f"/api/accounts/users/{users.officer_a.pk}/", {"password": NEW_PASSWORD}, format="json")
    assert reset.status_code == 200, reset.content
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/accounts/me/").status_code == 401
    assert officer_browser.get("/cases/")["Location"].startswith("/accounts/login/")
    # The owner must choose a new password at the next sign-in.
    sign_in(officer_browser, "officer_a", NEW_PASSWORD)
    assert officer_browser.get("/cases/")["Location"].startswith("/accounts/password/")
    assert "管理员重置" in officer_browser.get("/accounts/password/").content.decode()
    revoke = events(users.officer_a, "token_revoke").get()
    assert revoke.actor == users.security_a


def test_role_change_and_deactivation_revoke_tokens(users, api_client):
    api = APIClient()
    api.post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json")
    api_client.force_login(users.security_a)
    api_client.patch(f"/api/accounts/users/{users.officer_a.pk}/", {"role": roles.UNIT_HEAD}, format="json")
    assert not Token.objects.filter(user=users.officer_a).exists()
    assert events(users.officer_a, "token_revoke").get().note == "角色已变更"


def test_identity_reveal_is_logged_with_client_address(users, tree, api_client):
    from zhifa.parties.models import Party

    person = Party.objects.create(kind=Party.NATURAL, name="张三", id_number="11010519491231002X",
                                  region=tree.county, agency=tree.market)
    api_client.force_login(users.officer_a)
    response = api_client.post(f"/api/parties/parties/{person.pk}/reveal/", REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    entry = ChangeLog.objects.get(action="reveal", object_id=str(person.pk))
    assert entry.client_address == "10.9.8.7" and entry.actor == users.officer_a


def test_user_page_shows_security_state_and_own_security_page(users):
    client = VerifiedClient()
    client.force_login(users.supervisor_a)
    page = client.get("/accounts/security/").content.decode()
    assert "已绑定身份验证器" in page and "修改密码" in page
    codes = client.post("/accounts/security/recovery-codes/").content.decode()
    assert len(re.findall(r"<li><code>", codes)) == services.RECOVERY_CODE_COUNT
    assert services.recovery_codes_left(User.objects.get(username="supervisor_a")) == services.RECOVERY_CODE_COUNT


@pytest.mark.django_db
def test_the_signed_in_user_is_read_with_their_organisation_node(users):
    """A session's user comes with the agency (or region) their scope is read from, in the
    statement that reads the user: a scoped request does not fetch it again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for user, node in ((users.officer_a, "orgs_agency"), (users.supervisor_a, "orgs_region")):
        client = VerifiedClient()
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/cases/cases/").status_code == 200
        statements = [q["sql"] for q in queries.captured_queries]
        reads_user = [sql for sql in statements if 'FROM "accounts_user"' in sql]
        assert len(reads_user) == 1 and f'JOIN "{node}"' in reads_user[0], reads_user
        assert not any(sql.startswith(f'SELECT "{node}"."id"') and f'WHERE "{node}"."id" =' in sql
                       for sql in statements), statements


def test_sessions_are_cached_only_in_a_cache_every_web_process_shares():
    from zhifa.settings import cache_setting, session_engine

    assert session_engine(cache_setting("locmem://")) == "django.contrib.sessions.backends.db"
    assert session_engine(cache_setting("file:///var/cache/zhifa")) == "django.contrib.sessions.backends.cached_db"
    assert session_engine(cache_setting("redis://127.0.0.1:6379/0")) == "django.contrib.sessions.backends.cached_db"


@pytest.mark.django_db
def test_with_a_shared_cache_a_request_reads_no_session_row_and_sign_out_ends_it_everywhere(users, tmp_path):
    """Two clients holding one session cookie stand for two web processes sharing a file cache:
    the session is read from the cache (no ``django_session`` statement), and signing out in
    one ends it for the other."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    from zhifa.settings import cache_setting

    shared = {"default": cache_setting(f"file://{tmp_path}")}
    with override_settings(CACHES=shared, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        first = VerifiedClient()
        first.force_login(users.officer_a)
        second = VerifiedClient()
        second.cookies = first.cookies
        assert second.get("/api/cases/cases/").status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert second.get("/api/cases/cases/").status_code == 200
        assert not [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]
        first.post("/accounts/logout/")
        assert second.get("/api/cases/cases/").status_code in (401, 403)


def test_a_token_request_reads_the_user_node_and_lock_state_with_the_token(users):
    """One statement authenticates a token: the token, its user, the user's agency and sign-in
    state; the lock-out still applies from what that statement read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = APIClient()
    token = api.post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/cases/cases/").status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    assert 'FROM "authtoken_token"' in statements[0] and 'JOIN "orgs_agency"' in statements[0]
    assert not [sql for sql in statements if 'FROM "accounts_signinstate"' in sql]
    assert not [sql for sql in statements if sql.startswith('SELECT "orgs_agency"."id"') and 'WHERE "orgs_agency"."id" =' in sql]
    SignInState.objects.update_or_create(user=users.officer_a,
                                         defaults={"locked_until": timezone.now() + datetime.timedelta(minutes=5)})
    assert api.get("/api/cases/cases/").status_code == 401
    assert APIClient().get("/api/cases/cases/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401
