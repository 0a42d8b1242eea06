"""Service guides (办事指南): kept by agency heads and system administrators within their reach."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhifa.core.testing import PASSWORD
from zhifa.portal import services
from zhifa.portal.models import GuideRevision, ServiceGuide

pytestmark = pytest.mark.django_db

FORM = {"title": "食品经营许可咨询", "item": "", "applicable_to": "食品经营者", "basis": "", "conditions": "",
        "materials": "申请书", "process": "", "time_limit": "10个工作日", "fee": "不收费", "location": "",
        "office_hours": "", "phone": "0919-6215315", "is_published": "on"}


def test_agency_head_creates_a_guide_that_reaches_the_portal(client, data):
    client.login(username="head_a", password=PASSWORD)
    response = client.post(reverse("portal:guide_create"), {**FORM, "agency": data.tree.market.pk})
    assert response.status_code == 302
    guide = ServiceGuide.objects.get(title="食品经营许可咨询")
    assert guide.revisions.count() == 1
    client.logout()
    assert "食品经营许可咨询" in client.get(reverse("portal:guides")).content.decode()
    assert client.get(reverse("portal:guide_detail", args=[guide.pk])).status_code == 200


def test_admin_of_county_b_cannot_edit_county_a_guide(client, data):
    """Neither the page nor the service lets admin B change (or create) a guide of county A's agency."""
    client.login(username="admin_b", password=PASSWORD)
    url = reverse("portal:guide_edit", args=[data.guide.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {**FORM, "agency": data.tree.market.pk, "title": "被篡改"}).status_code == 404
    response = client.post(reverse("portal:guide_create"), {**FORM, "agency": data.tree.market.pk, "title": "越权"})
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    data.guide.refresh_from_db()
    assert data.guide.title == "投诉举报受理" and not ServiceGuide.objects.filter(title="越权").exists()
    data.guide.title = "被篡改"
    with pytest.raises(PermissionDenied):
        services.save_guide(data.guide, data.users.admin_b)
    data.guide.refresh_from_db()
    assert data.guide.title == "投诉举报受理"
    # Admin B may edit their own county's guide.
    response = client.post(reverse("portal:guide_edit", args=[data.other_guide.pk]),
                           {**FORM, "agency": data.tree.other_market.pk, "title": "青石县投诉举报受理（修订）"})
    assert response.status_code == 302


def test_moving_a_guide_out_of_reach_rolls_back(data):
    guide = ServiceGuide(agency=data.tree.other_market, title="放到别处")
    with pytest.raises(PermissionDenied):
        services.save_guide(guide, data.users.head_a)
    assert not ServiceGuide.objects.filter(title="放到别处").exists()


def test_officer_can_read_but_not_change_guides(client, data):
    client.login(username="officer_a", password=PASSWORD)
    assert client.get(reverse("portal:guide_manage")).status_code == 200
    assert client.get(reverse("portal:guide_create")).status_code == 403
    assert client.get(reverse("portal:guide_edit", args=[data.guide.pk])).status_code == 403


def test_unpublished_guide_is_not_public(client, data):
    data.guide.is_published = False
    services.save_guide(data.guide, data.users.head_a)
    assert client.get(reverse("portal:guide_detail", args=[data.guide.pk])).status_code == 404
    assert "投诉举报受理" not in client.get(reverse("portal:guides")).content.decode().replace("青石县投诉举报受理", "")


def test_only_content_changes_are_revisions(data):
    before = GuideRevision.objects.filter(guide=data.guide).count()
    services.save_guide(data.guide, data.users.head_a)
    assert GuideRevision.objects.filter(guide=data.guide).count() == before
    data.guide.time_limit = "7个工作日"
    services.save_guide(data.guide, data.users.head_a)
    assert GuideRevision.objects.filter(guide=data.guide).count() == before + 1


def test_guide_item_must_belong_to_the_agency(data):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.save_guide(ServiceGuide(agency=data.tree.market, item=data.other_item, title="错配"), None)
