"""The public portal's middleware (rate limit, cache invalidated by changes, security
headers) and the scoping door ``.public()``."""

import pytest
from django.core.cache import cache

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core.models import ChangeLog
from zhifa.orgs.models import Agency
from zhifa.parties.models import Party

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_abusive_client_is_rate_limited_with_a_chinese_page_and_a_structured_api_error(client, settings, tree):
    settings.ZHIFA_PUBLIC_RATE_LIMIT = "3/60"
    for _ in range(3):
        assert client.get("/public/").status_code == 200
    response = client.get("/public/")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "请求过于频繁" in response.content.decode()
    response = client.get("/api/public/publications/")
    assert response.status_code == 429
    assert response.json() == {"error": {"status": 429, "code": "throttled", "message": "请求过于频繁，请稍后再试。"}}
    # Another client is not affected; internal pages are not counted.
    assert client.get("/public/", REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_client_address_behind_a_trusted_proxy(client, settings, tree):
    settings.ZHIFA_PUBLIC_RATE_LIMIT = "1/60"
    settings.ZHIFA_TRUSTED_PROXY_COUNT = 1
    assert client.get("/public/", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    assert client.get("/public/", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 200
    assert client.get("/public/", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 429


def test_public_pages_are_cached_until_public_data_changes(client, tree):
    first = client.get("/public/decisions/")
    assert first["X-Cache"] == "miss"
    assert client.get("/public/decisions/")["X-Cache"] == "hit"
    Party.objects.create(kind=Party.LEGAL, name="某公司", credit_code="91110000600037341L", region=tree.county)
    assert client.get("/public/decisions/")["X-Cache"] == "hit"  # parties are not on the portal
    tree.market.phone = "0919-6215316"
    tree.market.save()  # any change of public data reaches the portal at once
    assert client.get("/public/decisions/")["X-Cache"] == "miss"


def test_pages_setting_cookies_are_not_cached_and_staff_sessions_do_not_leak(client, tree, users):
    client.force_login(users.officer_a)
    staff_view = client.get("/public/decisions/").content.decode()
    assert "officer_a" not in staff_view
    client.logout()
    assert "officer_a" not in client.get("/public/decisions/").content.decode()


def test_security_headers_on_public_responses(client, tree):
    response = client.get("/public/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    api = client.get("/api/public/publications/")
    assert api["Access-Control-Allow-Origin"] == "*" and api.status_code == 200
    assert "Access-Control-Allow-Origin" not in client.get("/healthz")


def test_only_models_that_declare_public_rows_have_any(tree, users):
    Party.objects.create(kind=Party.LEGAL, name="某公司", credit_code="91110000600037341L", region=tree.county)
    assert Party.objects.count() == 1 and not Party.objects.public().exists()
    assert ChangeLog.objects.exists() and not hasattr(ChangeLog.objects, "public")  # no door at all
    assert not User.objects.public().exists()
    assert not Case.objects.public().exists()
    assert Agency.objects.public().exists()
