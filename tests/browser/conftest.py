"""One headless Chromium (Debian's, through Playwright's executable_path) per test worker.

Browser tests are grouped on one xdist worker (``xdist_group("browser")``) so a whole run
starts a single browser. A missing Chromium fails the run; it is never skipped.
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ZHIFA_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {"width": 375, "height": 740}
NETWORK_SCHEMES = ("http://", "https://", "ws://", "wss://", "ftp://")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"找不到 Chromium（{CHROMIUM}）：请安装 Debian 软件包 chromium（make system-deps）。")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh phone-sized page; requests to anything but the live server are refused."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url, accept_downloads=True)
    external = []

    def guard(route):
        url = route.request.url
        # Chromium's own PDF viewer loads chrome:// and chrome-extension:// pages from inside
        # the browser; only the network (http, https, ws, ftp) counts as loading from outside.
        if url.startswith(live_server.url) or not url.startswith(NETWORK_SCHEMES):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    from zhifa.core.testing import track_live_server_requests

    pg.zhifa_live_requests = track_live_server_requests(live_server)  # for ``login``'s settling
    yield pg
    context.close()
    assert not external, f"页面试图加载外部资源：{external}"


def wait_for_service_worker(page):
    """Wait until the app's service worker is active, so the next navigation is served by it.

    Not ``navigator.serviceWorker.controller``: a page created while the worker was activating
    stays uncontrolled (``clients.claim()`` only claims the documents that existed then), yet its
    next navigation, offline too, still goes through the active worker, as a person's would.
    """
    page.wait_for_function(
        "async () => (await navigator.serviceWorker.ready).active.state === 'activated'", timeout=30_000)


def login(page, username, password):
    """Sign in through the form; an account that needs a second factor gets an authenticator
    (if it has none) and types the code it computes, as a person would."""
    from zhifa.accounts import services
    from zhifa.accounts.models import User
    from zhifa.accounts.testing import ensure_totp_device, totp_code

    user = User.objects.get(username=username)
    device = ensure_totp_device(user) if services.needs_second_factor(user) else None
    # Leave the page before and let the server answer what it still sent (its message badge's
    # fetch): a response set after the sign-in page's own CSRF cookie — a request that left with
    # no cookie, after the test cleared them, gets a fresh one — made the sign-in form's token
    # "incorrect" (CSRF 403) and the test wait for a sign-in that never came.
    page.goto("about:blank")
    requests = getattr(page, "zhifa_live_requests", None)
    if requests is not None:
        requests.wait_idle(timeout=10)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url or "/accounts/login/otp/" in url)
    if device is not None:
        # A test may sign the same person in twice within one 30-second period, where django-otp
        # refuses the code already used (replay protection); a person would wait for the next code.
        type(device).objects.filter(pk=device.pk).update(last_t=-1)
        page.fill("input[name=token]", totp_code(device))
        page.click("form:has(input[name=token]) button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)


# Elements sticking out to the right of a phone screen, for the failure message.
_WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40))
  .slice(0, 5)"""


def assert_fits_phone(page, where):
    """The page, once loaded with its stylesheet, is no wider than the phone screen."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{where}在手机宽度下横向溢出：{width}px {page.evaluate(_WIDEST)}"
