"""A citizen checks an officer's certificate with the QR link (PUB-2), on a phone (375 px).

Staff open the printable QR card of the certificate, read the link printed (and encoded) there;
an anonymous visitor opens it and sees 有效; the certificate is then suspended through the people
services and the same page shows the suspension at once (the portal cache is invalidated)."""

import datetime

from tests.browser.conftest import PHONE, assert_fits_phone, login
from zhifa.core import clock
from zhifa.core.testing import PASSWORD, fields
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate, suspend


def test_qr_link_shows_live_certificate_status(page, browser, live_server, tree, users):
    today = clock.today()
    officer = Officer.objects.create(name="李明", id_number="610113199003071237", home_agency=tree.market,
                                     phone="13900001111")
    cert = issue_certificate(officer, number="61992120240001", fields=[fields()["SCJG"]],
                             issuing_authority="秦川市人民政府", issued_on=today - datetime.timedelta(days=100),
                             expires_on=today + datetime.timedelta(days=1000))

    # Staff: the printable QR card of the certificate.
    login(page, "officer_a", PASSWORD)
    page.goto(f"/portal/certificates/{cert.pk}/qr/")
    link = page.locator("#verify-url")
    url = link.inner_text().strip()
    assert url == f"{live_server.url}/public/verify/61992120240001/"
    assert link.get_attribute("href") == url
    qr = page.locator("img.qr-image")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")

    # Anyone: a fresh browser context without a session.
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    external = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                  else (external.append(route.request.url), route.abort()))
    visitor = context.new_page()
    visitor.set_default_timeout(15_000)
    try:
        response = visitor.goto(url)
        assert response.status == 200
        status = visitor.locator(".verify-result")
        assert "有效" in status.inner_text() and "status-live" in status.get_attribute("class")
        body = visitor.locator("main").inner_text()
        assert "李明" in body and "云岭县市场监督管理局" in body and "市场监管" in body
        assert "610113199003071237" not in visitor.content() and "13900001111" not in visitor.content()
        assert_fits_phone(visitor, "证件核验页")
        visitor.reload()  # now served from the portal cache

        suspend(cert, users.admin_a, "涉嫌违规执法，暂扣调查")
        visitor.goto(url)
        status = visitor.locator(".verify-result")
        assert "暂扣" in status.inner_text()
        assert "该证件已暂扣，持证人不得从事执法活动" in status.inner_text()
        assert "status-dead" in status.get_attribute("class")
    finally:
        context.close()
    assert not external, f"页面试图加载外部资源：{external}"
