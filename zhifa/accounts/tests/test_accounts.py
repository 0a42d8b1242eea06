"""Log-in, roles, the separated administrators (三员) and token authentication."""

from zhifa.accounts import roles
from zhifa.accounts.models import User
from zhifa.core.testing import PASSWORD


def test_login_page_is_chinese_and_logs_in(client, users):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page and 'lang="zh-CN"' in page
    response = client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    wrong = client.post("/accounts/login/", {"username": "officer_a", "password": "nope"})
    assert "请输入一个正确的" in wrong.content.decode()


def test_anonymous_users_are_sent_to_login(client, db):
    assert client.get("/orgs/agencies/")["Location"].startswith("/accounts/login/")


def test_three_administrators_are_separated(client, users):
    """System admin: data, not accounts or logs; security admin: accounts only; auditor: logs only."""
    client.login(username="admin_a", password=PASSWORD)
    assert client.get("/orgs/agencies/").status_code == 200
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/audit/").status_code == 403
    client.login(username="security_a", password=PASSWORD)
    assert client.get("/accounts/users/").status_code == 200
    assert client.get("/orgs/agencies/").status_code == 200  # reads the tree to place accounts
    assert client.get("/orgs/agencies/new/").status_code == 403
    assert client.get("/audit/").status_code == 403
    client.login(username="auditor_a", password=PASSWORD)
    assert client.get("/audit/").status_code == 200
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/orgs/agencies/").status_code == 403


def test_security_admin_manages_accounts_of_their_county_only(client, users, tree):
    client.login(username="security_a", password=PASSWORD)
    listing = client.get("/accounts/users/").content.decode()
    assert "officer_a" in listing and "officer_b" not in listing
    assert client.get(f"/accounts/users/{users.officer_b.pk}/").status_code == 404
    response = client.post("/accounts/users/new/", {
        "username": "new_officer", "display_name": "新人", "role": roles.OFFICER,
        "agency": tree.market.pk, "is_active": "on", "password": "Yunling-2026!",
    })
    assert response.status_code == 302, response.content.decode()
    assert User.objects.get(username="new_officer").check_password("Yunling-2026!")
    refused = client.post("/accounts/users/new/", {
        "username": "outsider", "role": roles.OFFICER, "agency": tree.other_market.pk,
        "is_active": "on", "password": "Yunling-2026!",
    })
    assert refused.status_code == 200 and not User.objects.filter(username="outsider").exists()


def test_token_authentication_and_me(api_client, users):
    response = api_client.post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json")
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/accounts/me/").json()
    assert me["username"] == "officer_a" and me["role_display"] == "执法人员"
    api_client.credentials(HTTP_AUTHORIZATION="Token wrong")
    error = api_client.get("/api/accounts/me/").json()["error"]
    assert error["status"] == 401 and error["message"] == "认证令牌无效。"


def test_unauthenticated_api_error_is_structured(api_client, db):
    response = api_client.get("/api/orgs/agencies/")
    assert response.status_code in (401, 403)
    body = response.json()["error"]
    assert body["status"] == response.status_code and body["message"]


def test_capability_table_is_consistent():
    """Every capability names known roles; audit and users belong to their admins only."""
    known = {r for r, _ in roles.ROLE_CHOICES}
    for allowed in roles.CAPABILITIES.values():
        assert allowed <= known
    assert roles.CAPABILITIES[("audit", "view")] == {roles.AUDIT_ADMIN}
    assert roles.CAPABILITIES[("users", "change")] == {roles.SECURITY_ADMIN}


def test_demo_password_meets_the_password_rules(db):
    """`make demo` creates its accounts with DEMO_PASSWORD: it must pass every validator."""
    from django.contrib.auth.password_validation import validate_password

    from zhifa.core.demo import DEMO_PASSWORD, USERS

    for username, display, *_ in USERS:
        validate_password(DEMO_PASSWORD, User(username=username, display_name=display))
