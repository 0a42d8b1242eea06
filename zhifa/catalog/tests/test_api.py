"""Catalog API: nested current version, revise endpoint, benchmarks with tiers, lists."""

import datetime

import pytest

from zhifa.catalog import choices
from zhifa.catalog.models import Benchmark, Item, SpecialListEntry

from .conftest import make_item, version_content

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def many_items(catalog, tree):
    for n in range(30):
        make_item(tree.market, f"SCJG-CF-{n + 100:04d}", catalog.fields["SCJG"], name=f"事项{n}")
    return catalog


@pytest.mark.parametrize("path", ["items", "versions", "delegations", "benchmarks", "special-lists"])
def test_api_lists_have_a_flat_number_of_queries(api_client, many_items, users, django_assert_max_num_queries, path):
    """Every list endpoint costs a fixed number of queries."""
    api_client.force_authenticate(users.admin_a)
    with django_assert_max_num_queries(6):
        response = api_client.get(f"/api/catalog/{path}/")
    assert response.status_code == 200


def test_item_detail_nests_current_version(api_client, catalog, users):
    """An item carries its current version with the formatted citation."""
    api_client.force_authenticate(users.officer_a)
    data = api_client.get(f"/api/catalog/items/{catalog.item_a.pk}/").json()
    assert data["code"] == "SCJG-CF-0001"
    assert data["kind_display"] == "行政处罚"
    assert data["current_version"]["number"] == 1
    assert data["current_version"]["citation"].endswith("第一百二十五条第一款第（二）项")


def test_create_item_through_api(api_client, catalog, users, tree):
    """POST items/ creates the item with its first version; errors come back structured."""
    api_client.force_authenticate(users.admin_a)
    body = {"agency": tree.market.pk, "code": "SCJG-CF-0300", "kind": "penalty", "field": catalog.fields["SCJG"].pk,
            "current_version": {**version_content(), "valid_from": "2021-04-29"}}
    response = api_client.post("/api/catalog/items/", body, format="json")
    assert response.status_code == 201, response.json()
    item = Item.objects.get(code="SCJG-CF-0300")
    assert item.current_version.valid_from == D(2021, 4, 29)
    response = api_client.post("/api/catalog/items/", body, format="json")
    assert response.status_code == 400
    assert "相同编码" in response.json()["error"]["message"] + str(response.json()["error"].get("fields"))
    body["agency"] = tree.other_market.pk
    body["code"] = "SCJG-CF-0301"
    response = api_client.post("/api/catalog/items/", body, format="json")
    assert response.status_code == 400
    assert "agency" in response.json()["error"]["fields"]
    assert api_client.patch(f"/api/catalog/items/{item.pk}/", {"code": "X"}, format="json").status_code == 405


def test_revise_endpoint_creates_a_version(api_client, catalog, users):
    """POST items/{id}/revise/ closes the current version and returns the new one."""
    api_client.force_authenticate(users.head_a)
    url = f"/api/catalog/items/{catalog.item_a.pk}/revise/"
    response = api_client.post(url, {"valid_from": "2021-04-29", "change_reason": "法律修正", "article": 126},
                               format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == 2 and response.json()["article"] == 126
    versions = api_client.get(f"/api/catalog/versions/?item={catalog.item_a.pk}").json()
    assert versions["count"] == 2
    response = api_client.post(url, {"valid_from": "2020-01-01", "change_reason": "x"}, format="json")
    assert response.status_code == 400
    assert "valid_from" in response.json()["error"]["fields"]


def test_revise_requires_change_capability(api_client, catalog, users):
    """An officer may read but not revise."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.post(f"/api/catalog/items/{catalog.item_a.pk}/revise/",
                               {"valid_from": "2021-04-29", "change_reason": "x"}, format="json")
    assert response.status_code == 403


def test_benchmark_api_with_tiers(api_client, catalog, users):
    """Benchmarks are created with nested tiers as the next version; tier errors are reported."""
    api_client.force_authenticate(users.admin_a)
    body = {"item": catalog.item_a.pk, "valid_from": "2024-01-01", "review_due": "2027-01-01",
            "document": "云市监规〔2024〕1号", "statutory_min": "5000", "statutory_max": "50000",
            "tiers": [
                {"level": "minor", "outcome": "no_penalty", "description": "轻微", "penalty_kinds": []},
                {"level": "ordinary", "outcome": "standard", "description": "一般", "penalty_kinds": ["罚款"],
                 "fine_min": "18500", "fine_max": "36500"},
            ]}
    response = api_client.post("/api/catalog/benchmarks/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["version"] == 2 and len(data["tiers"]) == 2
    catalog.benchmark.refresh_from_db()
    assert catalog.benchmark.valid_to == D(2023, 12, 31)
    body["valid_from"] = "2025-01-01"
    body["tiers"][1]["fine_max"] = "90000"
    response = api_client.post("/api/catalog/benchmarks/", body, format="json")
    assert response.status_code == 400
    assert "法定上限" in str(response.json())
    assert Benchmark.objects.filter(item=catalog.item_a).count() == 2
    response = api_client.patch(f"/api/catalog/benchmarks/{data['id']}/", {
        "tiers": [{"level": "light", "outcome": "lighter", "description": "较轻", "penalty_kinds": ["警告"]}]},
        format="json")
    assert response.status_code == 200, response.json()
    assert [t["level"] for t in response.json()["tiers"]] == ["light"]


def test_special_list_api_and_suggestions(api_client, catalog, users, tree):
    """List entries are created through the API and suggested from facts; competence is answered."""
    api_client.force_authenticate(users.admin_a)
    response = api_client.post("/api/catalog/special-lists/", {
        "list_kind": "exempt_or_light", "item": catalog.item_a.pk, "circumstances": "首次违法",
        "conditions": ["首次违法", "危害后果轻微", "及时改正"], "legal_basis": "《行政处罚法》第三十三条第一款",
        "valid_from": "2023-01-01"}, format="json")
    assert response.status_code == 201, response.json()
    bad = api_client.post("/api/catalog/special-lists/", {
        "list_kind": "exempt_or_light", "item": catalog.item_a.pk, "circumstances": "x", "conditions": [],
        "legal_basis": "x", "valid_from": "2023-01-01"}, format="json")
    assert bad.status_code == 400
    assert SpecialListEntry.objects.count() == 1
    url = f"/api/catalog/items/{catalog.item_a.pk}/suggestions/"
    assert api_client.get(url, {"facts": "首次违法,危害后果轻微,及时改正"}).json()[0]["list_kind"] == "exempt_or_light"
    assert api_client.get(url, {"facts": "首次违法"}).json() == []
    competence = api_client.get(f"/api/catalog/items/{catalog.item_comp.pk}/competence/",
                                {"acting_agency": tree.township_office.pk, "on": "2024-01-01"}).json()
    assert competence["competent"] is True
    competence = api_client.get(f"/api/catalog/items/{catalog.item_comp.pk}/competence/",
                                {"acting_agency": tree.township_office.pk, "on": "2021-01-01"}).json()
    assert competence["competent"] is False


def test_delegation_api(api_client, catalog, users, tree):
    """Delegations are created by the owner's side and validated (township only)."""
    api_client.force_authenticate(users.admin_a)
    ok = api_client.post("/api/catalog/delegations/", {
        "item": catalog.item_a.pk, "agency": tree.township_office.pk, "start_date": "2024-01-01",
        "document_number": "云政发〔2023〕5号"}, format="json")
    assert ok.status_code == 201, ok.json()
    bad = api_client.post("/api/catalog/delegations/", {
        "item": catalog.item_a.pk, "agency": tree.comprehensive.pk, "start_date": "2024-01-01",
        "document_number": "x"}, format="json")
    assert bad.status_code == 400
    assert "乡镇" in str(bad.json())
    assert catalog.item_a.is_competent(tree.township_office, D(2024, 2, 1))
    assert choices.IN_FORCE == catalog.item_a.status
