"""The hotline systems page (热线系统, SUP-3): the system administrator lists, registers, changes
and rotates the secret of the 12345/12348 systems of their own region; the secret is write-only,
every change is audited without it, another county's systems can be neither read nor changed,
and a rotated secret signs requests at once while the old one is refused."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from zhifa.core.models import ChangeLog
from zhifa.core.navigation import MENU
from zhifa.core.testing import PASSWORD
from zhifa.supervision.complaints import services
from zhifa.supervision.complaints.hotline import signed_headers
from zhifa.supervision.models.complaints import HotlineSystem

pytestmark = pytest.mark.django_db
SECRET = "a-long-enough-secret-0123"


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def systems(tree):
    mine = HotlineSystem.objects.create(code="12345-A", name="云岭县12345热线", source="hotline_12345",
                                        region=tree.county, secret=SECRET, receiver="hotline-12345")
    theirs = HotlineSystem.objects.create(code="12345-B", name="青石县12345热线", source="hotline_12345",
                                          region=tree.other_county, secret=SECRET, receiver="hotline-b")
    return mine, theirs


def test_menu_entry_in_the_system_group():
    assert ("系统", "热线系统", "supervision:hotline_systems", "hotlines", "view") in MENU


def test_list_shows_only_the_administrators_region(client, users, systems):
    _login(client, users.admin_a)
    html = client.get(reverse("supervision:hotline_systems")).content.decode()
    assert "云岭县12345热线" in html and "青石县12345热线" not in html
    assert SECRET not in html
    _login(client, users.officer_a)
    assert client.get(reverse("supervision:hotline_systems")).status_code == 403


def test_register_through_the_page_is_audited_without_the_secret(client, users, tree):
    _login(client, users.admin_a)
    form = client.get(reverse("supervision:hotline_system_add")).content.decode()
    assert 'type="password"' in form
    data = {"code": "12348-A", "name": "云岭县12348热线", "source": "hotline_12348", "region": tree.county.pk,
            "receiver": "hotline-12348", "active": "on", "secret": "short"}
    response = client.post(reverse("supervision:hotline_system_add"), data)
    assert response.status_code == 200 and "签名密钥至少 16 个字符" in response.content.decode()
    response = client.post(reverse("supervision:hotline_system_add"), {**data, "secret": SECRET})
    assert response.status_code == 302
    system = HotlineSystem.objects.get(code="12348-A")
    assert system.secret == SECRET and system.region == tree.county
    log = ChangeLog.objects.filter(object_id=str(system.pk), action="create",
                                    content_type=ContentType.objects.get_for_model(HotlineSystem)).get()
    assert log.actor == users.admin_a and SECRET not in json.dumps(log.after, ensure_ascii=False)


def test_another_countys_region_or_system_cannot_be_used(client, users, tree, systems):
    mine, theirs = systems
    _login(client, users.admin_a)
    data = {"code": "12348-X", "name": "越权", "source": "hotline_12348", "region": tree.other_county.pk,
            "receiver": "x", "active": "on", "secret": SECRET}
    response = client.post(reverse("supervision:hotline_system_add"), data)
    assert response.status_code == 200 and not HotlineSystem.objects.filter(code="12348-X").exists()
    assert client.get(reverse("supervision:hotline_system_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("supervision:hotline_secret_rotate", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.secret == SECRET
    with pytest.raises(Exception, match="无权修改"):
        services.rotate_hotline_secret(theirs, actor=users.admin_a)


def test_change_keeps_the_secret_when_left_empty(client, users, tree, systems):
    mine, _ = systems
    _login(client, users.admin_a)
    response = client.post(reverse("supervision:hotline_system_edit", args=[mine.pk]), {
        "code": mine.code, "name": "云岭县12345热线（新）", "source": "hotline_12345", "region": tree.county.pk,
        "receiver": "hotline-12345", "secret": ""})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.name == "云岭县12345热线（新）" and mine.secret == SECRET and mine.active is False
    assert ChangeLog.objects.filter(object_id=str(mine.pk), action="update",
                                    content_type=ContentType.objects.get_for_model(HotlineSystem)).exists()


def test_rotate_shows_the_new_secret_once_and_only_it_signs(client, users, systems):
    mine, _ = systems
    _login(client, users.admin_a)
    response = client.post(reverse("supervision:hotline_secret_rotate", args=[mine.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    mine.refresh_from_db()
    assert mine.secret != SECRET and len(mine.secret) >= 40
    assert mine.secret in response.content.decode()
    assert mine.secret not in client.get(reverse("supervision:hotline_systems")).content.decode()  # once
    assert ChangeLog.objects.filter(object_id=str(mine.pk), action="update",
                                    content_type=ContentType.objects.get_for_model(HotlineSystem)).exists()
    url = "/api/supervision/hotline/work-orders/GD-NONE/"
    hotline = Client()  # the hotline system itself, no staff session
    old = hotline.generic("GET", url, **{f"HTTP_{k.upper().replace('-', '_')}": v
                                        for k, v in signed_headers(mine.code, SECRET, b"").items()})
    new = hotline.generic("GET", url, **{f"HTTP_{k.upper().replace('-', '_')}": v
                                        for k, v in signed_headers(mine.code, mine.secret, b"").items()})
    assert old.status_code == 401 and new.status_code == 404


def test_list_is_flat_in_queries(client, users, tree, systems):
    """The list reads the systems with their regions in one query, however many there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login(client, users.admin_a)
    url = reverse("supervision:hotline_systems")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        HotlineSystem.objects.create(code=f"12348-A{n}", name=f"热线{n}", source="hotline_12348", region=tree.county,
                                     secret=SECRET, receiver="hotline-12348")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count("12348-A") == 5
    assert len(many) == len(few)
