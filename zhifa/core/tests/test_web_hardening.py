"""Web hardening (等保 2.0 三级, issue #10 items 10 and 14): the Content-Security-Policy on every
page, the production TLS settings that pass ``check --deploy``, and Chinese error pages."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory

import zhifa
from zhifa.accounts.testing import VerifiedClient
from zhifa.core import errors

ROOT = Path(zhifa.__file__).resolve().parent


def _csp(response) -> dict[str, set[str]]:
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        policy[name] = set(values)
    return policy


# -- Content-Security-Policy ------------------------------------------------------------------


def test_staff_pages_get_the_strict_policy(client, users):
    """A staff page, the log-in page and an API response all carry the one strict policy."""
    client.force_login(users.officer_a)
    for url in ("/", "/parties/", "/api/parties/parties/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _csp(response)
        assert policy["default-src"] == {"'self'"} and policy["script-src"] == {"'self'"}, url
        assert policy["style-src"] == {"'self'"} and policy["object-src"] == {"'none'"}, url
        assert policy["frame-ancestors"] == {"'none'"} and policy["img-src"] == {"'self'", "data:"}, url
    client.logout()
    assert _csp(client.get("/accounts/login/"))["script-src"] == {"'self'"}


def test_portal_policy_is_the_same_on_cache_hits(client, tree):
    """The portal's cached responses get the header too (it is added outside the cache)."""
    first, second = client.get("/public/"), client.get("/public/")
    assert second["X-Cache"] == "hit"
    assert _csp(first) == _csp(second) and "'unsafe-inline'" not in second["Content-Security-Policy"]


def test_swagger_ui_and_browsable_api_allow_inline_style_only(client, users):
    """Swagger UI runs its initialiser from a file (split view) and only gains inline styles;
    the browsable API page likewise."""
    client.force_login(users.officer_a)
    docs = client.get("/api/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200
    assert not re.search(r"<script>(?!\s*</script>)", html) and "?script=" in html
    policy = _csp(docs)
    assert policy["style-src"] == {"'self'", "'unsafe-inline'"} and policy["script-src"] == {"'self'"}
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    browsable = client.get("/api/parties/parties/", HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200 and "'unsafe-inline'" in _csp(browsable)["style-src"]
    assert _csp(client.get("/api/public/docs/"))["script-src"] == {"'self'"}


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style", re.IGNORECASE)


def test_no_template_has_inline_script_style_or_handlers():
    """Every served template keeps behaviour and looks in static files (the CSP would block
    them). The annual report's PDF template is rendered by WeasyPrint, never served."""
    offenders = []
    for template in ROOT.rglob("templates/**/*.html"):
        if template.name == "report_pdf.html":
            continue
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{template.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not offenders, "\n".join(offenders)


# -- TLS and deployment settings --------------------------------------------------------------


PRODUCTION_ENV = {
    "ZHIFA_TLS": "1",
    "ZHIFA_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "ZHIFA_ALLOWED_HOSTS": "zhifa.example.gov.cn",
    "ZHIFA_CSRF_TRUSTED_ORIGINS": "https://zhifa.example.gov.cn",
}


def clean_environment() -> dict[str, str]:
    """This process's environment without zhifa's settings and without the browser tests'
    DJANGO_ALLOW_ASYNC_UNSAFE (never set in production; ``check --deploy`` rightly refuses it)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    """``zhifa check --deploy`` with the environment of docs/deployment.md prints no warning."""
    env = clean_environment()
    env.update(PRODUCTION_ENV, ZHIFA_VAR_DIR=str(tmp_path), ZHIFA_SECRET_KEY=secrets.token_urlsafe(50),
               DJANGO_SETTINGS_MODULE="zhifa.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT.parent, env=env, capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output and "WARNING" not in output
    deployment = (ROOT.parent / "docs" / "deployment.md").read_text(encoding="utf-8")
    for name, value in PRODUCTION_ENV.items():
        assert f"{name}={value}" in deployment, f"docs/deployment.md does not document {name}={value}"


def test_behind_the_tls_proxy(client, settings, tree):
    """With the TLS settings on, plain http is redirected to https, the proxy's header marks a
    request secure, cookies are Secure and HSTS is sent; /healthz stays reachable over http."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = True
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/accounts/login/"
    assert client.get("/healthz").status_code == 200
    secure = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert secure.cookies["csrftoken"]["secure"]


def test_settings_block_reads_the_environment():
    """The hardening block turns everything on from ZHIFA_TLS (read in a fresh interpreter)."""
    code = ("from django.conf import settings as s; import django; django.setup(); "
            "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER)")
    env = clean_environment()
    env.update(PRODUCTION_ENV, ZHIFA_HSTS_SECONDS="600", DJANGO_SETTINGS_MODULE="zhifa.settings",
               ZHIFA_SECRET_KEY="x" * 60, ZHIFA_VAR_DIR=str(Path(django_settings.VAR_DIR)))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT.parent, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.split() == ["True", "True", "True", "600", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')"], out.stderr
    assert not django_settings.SECURE_SSL_REDIRECT  # the default (development, tests): off


# -- Error pages ------------------------------------------------------------------------------


@pytest.fixture
def error_client(settings):
    settings.ROOT_URLCONF = "zhifa.core.tests.error_urls"
    settings.DEBUG = False
    return VerifiedClient(raise_request_exception=False)


def test_404_in_chinese_with_navigation(error_client, users):
    """An unknown staff address: the Chinese 404 page inside the site's layout and main menu."""
    error_client.force_login(users.officer_a)
    response = error_client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and 'aria-label="主导航"' in html and "返回工作台" in html
    assert "Not Found" not in html
    # a scoped record of another county: the scoping module's Chinese message
    other = error_client.get(f"/orgs/agencies/{users.officer_b.agency_id}/")
    assert other.status_code == 404 and "不在您的管辖范围内" in other.content.decode()


def test_forged_certificate_qr_code_gets_a_portal_404(error_client, tree):
    """/public/verify/<unknown>/ says the certificate does not exist, in the portal's layout."""
    response = error_client.get("/public/verify/61992199999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "该证件不存在" in html and "伪造" in html
    assert 'aria-label="公示导航"' in html and "/public/verify/" in html
    assert "Content-Security-Policy" in response


def test_403_in_chinese_with_the_reason(error_client, users):
    """A role without the capability gets the reason; a stale form gets the CSRF explanation."""
    error_client.force_login(users.security_a)
    response = error_client.get("/parties/")
    html = response.content.decode()
    assert response.status_code == 403 and "无权访问" in html and "您的角色没有此项操作权限。" in html
    assert 'aria-label="主导航"' in html
    csrf_client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    stale = csrf_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert stale.status_code == 403 and "页面已过期或表单校验失败" in stale.content.decode()


def test_400_in_chinese(error_client, tree):
    """A request for a host name the site does not serve: a Chinese 400 page."""
    response = error_client.get("/accounts/login/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


def test_500_in_chinese_without_leaking_details(error_client, tree):
    """A failing page: the Chinese 500 page with a fixed menu; the exception text stays in the log."""
    response = error_client.get("/test-errors/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器内部错误" in html and "hunter2" not in html and "/public/" in html
    assert "Content-Security-Policy" in response
    portal = error_client.get("/public/test-errors/boom/")
    assert portal.status_code == 500 and "服务器内部错误" in portal.content.decode()


def test_api_errors_stay_structured_json(error_client, users):
    """Under /api/ the handlers answer with the API's structured error, not an HTML page."""
    error_client.force_login(users.officer_a)
    missing = error_client.get("/api/no-such-endpoint/")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"status": 404, "code": "not_found", "message": errors.PAGES[404][2]}}
    failing = error_client.get("/api/test-errors/boom/")
    assert failing.status_code == 500 and failing.json()["error"]["code"] == "server_error"
    assert "hunter2" not in failing.content.decode()


def test_500_page_needs_no_database():
    """The 500 handler renders with the database unreachable (no django_db here: any query fails)."""
    response = errors.server_error(RequestFactory().get("/cases/"))
    assert response.status_code == 500 and "服务器内部错误" in response.content.decode()


def test_user_message_shows_only_chinese_sentences():
    """English framework texts and technical details are replaced by the page's explanation."""
    from django.http import Http404

    assert errors.user_message(Http404("No Case matches the given query.")) == ""
    assert errors.user_message(Http404("该证件不存在。")) == "该证件不存在。"
    assert errors.user_message(None) == ""
