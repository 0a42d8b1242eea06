"""Certificate verification (事中公示, PUB-2): live status, lookup, QR codes."""

import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from zhifa.core import clock
from zhifa.core.testing import PASSWORD, make_user
from zhifa.people.services import restore, revoke, suspend
from zhifa.portal import services

pytestmark = pytest.mark.django_db


def test_valid_certificate_shows_identity_and_validity(client, data):
    html = client.get(reverse("portal:verify", args=[data.cert.number])).content.decode()
    for text in ("有效", "李明", "男", "云岭县市场监督管理局", "市场监管", "61992120240001", "秦川市人民政府",
                 f"{data.cert.expires_on:%Y-%m-%d}"):
        assert text in html
    assert "status-live" in html and "不得从事执法活动" not in html


@pytest.mark.parametrize(("action", "label", "message"), [
    (suspend, "暂扣", "该证件已暂扣，持证人不得从事执法活动"),
    (revoke, "收回", "该证件已吊销（收回），持证人不得从事执法活动"),
])
def test_suspended_or_revoked_certificate_shows_at_once(client, settings, data, action, label, message):
    """With the portal cache on, a status change shows on the next request (PUB-2 is live)."""
    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 300
    url = reverse("portal:verify", args=[data.cert.number])
    assert "status-live" in client.get(url).content.decode()
    assert client.get(url)["X-Cache"] == "hit"
    action(data.cert, data.users.admin_a, "涉嫌违法执法")
    response = client.get(url)
    html = response.content.decode()
    assert response["X-Cache"] == "miss"
    assert label in html and message in html and "status-dead" in html


def test_restored_certificate_is_valid_again(client, data):
    suspend(data.cert, data.users.admin_a, "调查")
    restore(data.cert, data.users.admin_a, "调查结束")
    assert "status-live" in client.get(reverse("portal:verify", args=[data.cert.number])).content.decode()


def test_expired_certificate_is_not_usable(client, data):
    data.cert.expires_on = clock.today() - datetime.timedelta(days=1)
    data.cert.save()
    result = services.verification(data.cert)
    assert not result.usable and result.status == "已过期" and "执法证已过期" in result.message


def test_lookup_redirects_to_the_certificate_or_says_not_found(client, data):
    response = client.get(reverse("portal:verify_lookup"), {"number": " 6199212024 0001 "})
    assert response.status_code == 302 and response.url == reverse("portal:verify", args=["61992120240001"])
    response = client.get(reverse("portal:verify_lookup"), {"number": "00000"})
    assert response.status_code == 404 and "未找到该证号" in response.content.decode()
    assert client.get(reverse("portal:verify", args=["00000"])).status_code == 404


def test_qr_image_encodes_the_absolute_verification_link(client, data):
    response = client.get(reverse("portal:verify_qr", args=[data.cert.number]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]  # built from the request's host: never shared
    expected = services.qr_png("http://testserver" + reverse("portal:verify", args=[data.cert.number]))
    assert response.content == expected
    assert Image.open(io.BytesIO(response.content)).format == "PNG"


def test_staff_qr_page_prints_the_link_within_scope(client, data):
    """An officer of county A prints the QR card of a county A certificate, not of county B's."""
    client.login(username="officer_a", password=PASSWORD)
    response = client.get(reverse("portal:certificate_qr", args=[data.cert.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="verify-url" href="http://testserver/public/verify/61992120240001/"' in html
    assert reverse("portal:verify_qr", args=[data.cert.number]) in html
    assert "no-store" in response["Cache-Control"]
    assert client.get(reverse("portal:certificate_qr", args=[data.other_cert.pk])).status_code == 404


def test_staff_qr_page_needs_login_and_people_view(client, data):
    url = reverse("portal:certificate_qr", args=[data.cert.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    make_user("sec", "security_admin", region=data.tree.county)
    client.login(username="sec", password=PASSWORD)
    assert client.get(url).status_code == 403


def test_internal_certificate_page_shows_the_qr_code(client, data):
    client.login(username="admin_a", password=PASSWORD)
    html = client.get(reverse("people:certificate_detail", args=[data.cert.pk])).content.decode()
    assert reverse("portal:verify_qr", args=[data.cert.number]) in html
    assert reverse("portal:certificate_qr", args=[data.cert.pk]) in html
