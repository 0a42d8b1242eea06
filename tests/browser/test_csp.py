"""No page breaks the Content-Security-Policy (issue #10 item 10): the main staff pages, an action
form, Swagger UI and the portal load in Chromium without a single CSP violation — no inline
script, handler or style attribute left, nothing fetched from elsewhere."""

import datetime

from django.utils import timezone

from tests.browser.conftest import login
from tests.browser.test_cases import _world
from zhifa.cases import services as cases
from zhifa.core.testing import PASSWORD
from zhifa.parties.models import Party
from zhifa.people.models import Officer

# Records every violation the page reports (before any page script runs).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI || "inline"} @${e.sourceFile || ""}:${e.lineNumber}`);
});
"""


class Violations:
    """CSP violations of one browser page, from the console and from the DOM event."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.console.append(f"{self.page.url}: {text}")

    def visit(self, url, ready=None):
        """Open ``url``, wait for it (and for ``ready``, a selector), return its violations."""
        response = self.page.goto(url)
        assert response is not None and response.status < 500, f"{url}: {response and response.status}"
        self.page.wait_for_load_state("load")
        if ready:
            self.page.wait_for_selector(ready, state="attached")
        self.page.wait_for_timeout(150)  # violation events are dispatched asynchronously
        found = [f"{url}: {v}" for v in self.page.evaluate("window.__cspViolations")]
        found += self.console
        self.console = []
        return found


def _case(tree, users):
    item = _world(tree, users)
    party = Party.objects.create(kind=Party.LEGAL, name="云岭县某某食品店", credit_code="91619921MA6YK2LP0U",
                                 region=tree.county)
    officer = Officer.objects.get(user=users.officer_a)
    return cases.open_case(
        actor=users.officer_a, agency=tree.market, item=item, party=party, cause="涉嫌未公示信息卡",
        occurred_on=timezone.localdate() - datetime.timedelta(days=1), place="云岭镇人民路", officers=[officer],
    )


def test_staff_pages_load_without_csp_violations(page, users, tree, tmp_path, settings):
    """Workbench, case list, a case page, action forms, people, uploads, the working-day calendar,
    Swagger UI and — for the audit administrator — the audit trail: no violation anywhere."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    case = _case(tree, users)
    watch = Violations(page)
    login(page, "officer_a", PASSWORD)
    found = []
    for url, ready in [
        ("/", None),
        ("/cases/workbench/", None),
        ("/cases/", None),
        (f"/cases/{case.pk}/", None),
        (f"/cases/{case.pk}/evidence/new/", "input[type=file]"),
        ("/cases/on-the-spot/", None),
        ("/people/officers/", None),
        ("/parties/", None),
        ("/records/upload/", ".zhifa-upload"),  # upload.js ran
        ("/workdays/", None),
        ("/api/docs/", ".swagger-ui .info"),  # Swagger UI rendered under its policy
    ]:
        found += watch.visit(url, ready)
    page.context.clear_cookies()
    login(page, "auditor_a", PASSWORD)
    found += watch.visit("/audit/", None)
    found += watch.visit("/no-such-page/", None)  # the 404 page
    assert not found, "\n".join(found)


def test_portal_pages_load_without_csp_violations(page, tree):
    """The portal's home, certificate check (a forged QR code's 404 included) and open-data docs."""
    watch = Violations(page)
    found = []
    for url, ready in [
        ("/public/", None),
        ("/public/verify/", None),
        ("/public/verify/61992199999999/", None),
        ("/api/public/docs/", ".swagger-ui .info"),
    ]:
        found += watch.visit(url, ready)
    assert not found, "\n".join(found)
    page.goto("/public/verify/61992199999999/")
    assert "该证件不存在" in page.inner_text("main") and page.locator("nav[aria-label=公示导航]").count() == 1


def test_the_listener_does_report_a_violation(page, tree):
    """Sanity check of this file: an inline style attribute set on a page is reported."""
    watch = Violations(page)
    assert watch.visit("/public/", None) == []
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in page.evaluate("window.__cspViolations"))
