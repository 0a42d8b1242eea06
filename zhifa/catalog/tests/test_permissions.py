"""Scope of the catalog: another county's items are invisible and unchangeable, by UI and
API; a township office sees (but may not change) the items delegated to it."""

import pytest
from django.urls import reverse

from zhifa.catalog.models import Benchmark, Delegation, Item, ItemVersion

pytestmark = pytest.mark.django_db


def test_restrict_by_county_and_delegation(catalog, users):
    """restrict(): owner subtree sees; township sees delegated items; change only by the owner."""
    assert set(Item.objects.restrict(users.officer_a)) == {catalog.item_a}
    assert set(Item.objects.restrict(users.admin_a)) == {catalog.item_a, catalog.item_comp}
    assert set(Item.objects.restrict(users.officer_b)) == {catalog.item_b}
    assert set(Item.objects.restrict(catalog.township_officer)) == {catalog.item_comp}
    assert not Item.objects.restrict(catalog.township_head, "change").exists()
    assert set(ItemVersion.objects.restrict(catalog.township_officer)) == {catalog.item_comp.current_version}
    assert set(Delegation.objects.restrict(catalog.township_officer)) == {catalog.delegation}
    assert not Benchmark.objects.restrict(users.officer_b).exists()
    assert not Item.objects.restrict(users.security_a).exists()


def test_other_county_cannot_list_read_or_change_by_ui(client, catalog, users):
    """A 青石县 user does not see 云岭县 items in the list, gets 404 on detail and revise."""
    client.force_login(catalog.reviewer_b)
    page = client.get(reverse("catalog:item_list"))
    assert page.status_code == 200
    assert catalog.item_b.name in page.content.decode()
    assert page.context["page"].paginator.count == 1
    assert client.get(reverse("catalog:item_detail", args=[catalog.item_a.pk])).status_code == 404
    assert client.get(reverse("catalog:item_revise", args=[catalog.item_a.pk])).status_code == 404
    response = client.post(reverse("catalog:item_revise", args=[catalog.item_a.pk]),
                           {"valid_from": "2024-01-01", "change_reason": "x"})
    assert response.status_code == 404
    assert client.get(reverse("catalog:benchmark_detail", args=[catalog.benchmark.pk])).status_code == 404
    assert client.get(reverse("catalog:benchmark_edit", args=[catalog.benchmark.pk])).status_code == 404
    assert catalog.item_a.versions.count() == 1


def test_other_county_cannot_list_read_or_change_by_api(api_client, catalog, users):
    """The API answers 青石县 users with their own items only and 404 for 云岭县 items."""
    api_client.force_authenticate(catalog.reviewer_b)
    listed = api_client.get("/api/catalog/items/")
    assert [row["id"] for row in listed.json()["results"]] == [catalog.item_b.pk]
    assert api_client.get(f"/api/catalog/items/{catalog.item_a.pk}/").status_code == 404
    response = api_client.post(f"/api/catalog/items/{catalog.item_a.pk}/revise/",
                               {"valid_from": "2024-01-01", "change_reason": "x", "article": 9}, format="json")
    assert response.status_code == 404
    assert api_client.get(f"/api/catalog/benchmarks/{catalog.benchmark.pk}/").status_code == 404
    assert api_client.get("/api/catalog/versions/").json()["count"] == 1
    patch = api_client.patch(f"/api/catalog/benchmarks/{catalog.benchmark.pk}/", {"document": "x"}, format="json")
    assert patch.status_code == 404
    created = api_client.post("/api/catalog/delegations/", {
        "item": catalog.item_a.pk, "agency": catalog.delegation.agency_id, "start_date": "2024-01-01",
        "document_number": "x"}, format="json")
    assert created.status_code == 400
    assert catalog.item_a.versions.count() == 1


def test_township_sees_delegated_items_but_cannot_change_them(client, api_client, catalog):
    """A township office lists and reads items delegated to it; changing them is refused."""
    client.force_login(catalog.township_officer)
    page = client.get(reverse("catalog:item_list"))
    assert page.context["page"].paginator.count == 1
    detail = client.get(reverse("catalog:item_detail", args=[catalog.item_comp.pk]))
    assert detail.status_code == 200
    assert "云政发〔2021〕38号" in detail.content.decode()
    assert client.get(reverse("catalog:item_detail", args=[catalog.item_a.pk])).status_code == 404
    client.force_login(catalog.township_head)
    assert client.get(reverse("catalog:item_revise", args=[catalog.item_comp.pk])).status_code == 404
    api_client.force_authenticate(catalog.township_head)
    ids = [row["id"] for row in api_client.get("/api/catalog/items/").json()["results"]]
    assert ids == [catalog.item_comp.pk]
    response = api_client.post(f"/api/catalog/items/{catalog.item_comp.pk}/revise/",
                               {"valid_from": "2024-01-01", "change_reason": "x"}, format="json")
    assert response.status_code == 404


def test_roles_without_change_capability_cannot_edit(client, catalog, users):
    """An officer may read the catalog but not open the edit pages."""
    client.force_login(users.officer_a)
    assert client.get(reverse("catalog:item_detail", args=[catalog.item_a.pk])).status_code == 200
    assert client.get(reverse("catalog:item_revise", args=[catalog.item_a.pk])).status_code == 403
    assert client.get(reverse("catalog:item_create")).status_code == 403
