"""Catalog web pages: lists stay flat, forms save through the services."""

import datetime

import pytest
from django.urls import reverse

from zhifa.catalog import choices
from zhifa.catalog.models import Benchmark, Delegation, Item, SpecialListEntry

from .conftest import make_item

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def many_items(catalog, tree):
    """Thirty more items so query counts are measured on a real page."""
    for n in range(30):
        make_item(tree.market, f"SCJG-CF-{n + 100:04d}", catalog.fields["SCJG"], name=f"事项{n}")
    return catalog


@pytest.mark.parametrize("url_name", ["catalog:item_list", "catalog:benchmark_list", "catalog:special_list"])
def test_lists_have_a_flat_number_of_queries(client, many_items, users, django_assert_max_num_queries, url_name):
    """Each list page costs a fixed number of queries, whatever the number of rows."""
    client.force_login(users.admin_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_item_list_filters(client, many_items, users):
    """The item list filters by kind, field, status and searches code and name."""
    client.force_login(users.admin_a)
    url = reverse("catalog:item_list")
    assert client.get(url, {"q": "SCJG-CF-0101"}).context["page"].paginator.count == 1
    assert client.get(url, {"field": many_items.fields["CSGL"].pk}).context["page"].paginator.count == 1
    assert client.get(url, {"kind": "inspection"}).context["page"].paginator.count == 0
    assert client.get(url, {"status": "in_force"}).context["page"].paginator.count == 32
    town = many_items.delegation.agency_id
    assert client.get(url, {"delegated_to": town}).context["page"].paginator.count == 1


def test_item_detail_shows_versions_delegations_benchmark_and_lists(client, catalog, users):
    """The detail page shows the version history, delegations, tiers and list entries."""
    client.force_login(users.admin_a)
    SpecialListEntry.objects.create(list_kind=choices.NO_PENALTY_LIST, item=catalog.item_a, circumstances="轻微情形",
                                    conditions=["及时改正"], legal_basis="《行政处罚法》第三十三条", valid_from=D(2023, 1, 1))
    page = client.get(reverse("catalog:item_detail", args=[catalog.item_a.pk])).content.decode()
    assert "第一百二十五条第一款第（二）项" in page
    assert "版本历史" in page and "第1版" in page
    assert "情节较轻" in page and "18,500" in page
    assert "轻微情形" in page


def test_create_item_form(client, catalog, users, tree):
    """新增事项 creates the item and its first version."""
    client.force_login(users.admin_a)
    data = {
        "agency": tree.market.pk, "code": "SCJG-CF-0200", "kind": "penalty", "field": catalog.fields["SCJG"].pk,
        "status": "in_force", "valid_from": "2021-04-29", "name": "对未按要求进行食品贮存的行政处罚",
        "law_name": "《中华人民共和国食品安全法》", "article": "132", "paragraph": "", "item_no": "",
        "basis_text": "条文", "penalty_basis": "第一百三十二条", "violated_provision": "第三十三条",
    }
    response = client.post(reverse("catalog:item_create"), data)
    item = Item.objects.get(code="SCJG-CF-0200")
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.current_version.article == 132
    data["penalty_basis"] = ""
    data["code"] = "SCJG-CF-0201"
    response = client.post(reverse("catalog:item_create"), data)
    assert response.status_code == 200
    assert "处罚类事项必须填写处罚依据" in response.content.decode()
    assert not Item.objects.filter(code="SCJG-CF-0201").exists()


def test_revise_form_creates_a_new_version(client, catalog, users):
    """The edit form of an item saves a new version and keeps the old one."""
    client.force_login(users.admin_a)
    url = reverse("catalog:item_revise", args=[catalog.item_a.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(article="126", valid_from="2021-04-29", change_reason="法律修正", field=catalog.fields["SCJG"].pk)
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(catalog.item_a.versions.order_by("number").values_list("article", flat=True)) == [125, 126]
    data.update(valid_from="2020-01-01")
    response = client.post(url, data)
    assert response.status_code == 200 and "必须晚于" in response.content.decode()
    assert catalog.item_a.versions.count() == 2


def _tier_post(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def test_benchmark_create_with_tiers_and_auto_band(client, catalog, users):
    """A new benchmark is issued as the next version; empty tiers can be banded automatically."""
    client.force_login(users.admin_a)
    url = reverse("catalog:benchmark_create")
    base = {"item": catalog.item_a.pk, "valid_from": "2024-01-01", "review_due": "2027-01-01",
            "document": "云市监规〔2024〕1号", "statutory_min": "5000", "statutory_max": "50000"}
    response = client.post(url, {**base, **_tier_post("tiers", [])})
    assert response.status_code == 200 and "自动分档" in response.content.decode()
    response = client.post(url, {**base, "auto_band": "on", **_tier_post("tiers", [])})
    assert response.status_code == 302
    second = Benchmark.objects.get(item=catalog.item_a, version=2)
    assert second.tiers.count() == 4
    bad = [{"level": "light", "outcome": "lighter", "description": "x", "penalty_kinds": "罚款",
            "fine_min": "9000", "fine_max": "8000"}]
    base["valid_from"] = "2025-01-01"
    response = client.post(url, {**base, **_tier_post("tiers", bad)})
    assert response.status_code == 200
    assert not Benchmark.objects.filter(version=3).exists()


def test_benchmark_edit_formset_updates_tiers(client, catalog, users):
    """Editing a benchmark updates, adds and deletes tiers in place."""
    client.force_login(users.admin_a)
    bench = catalog.benchmark
    tiers = list(bench.tiers.order_by("position"))
    rows = []
    for tier in tiers:
        rows.append({"id": tier.pk, "level": tier.level, "outcome": tier.outcome, "description": tier.description,
                     "penalty_kinds": tier.penalty_kinds, "fine_min": tier.fine_min or "",
                     "fine_max": tier.fine_max or "", "benchmark": bench.pk})
    rows[1]["fine_max"] = "18000"
    rows[4]["DELETE"] = "on"
    data = {"valid_from": "2022-03-01", "review_due": "2025-06-01", "document": bench.document,
            "statutory_min": "5000", "statutory_max": "50000", "note": "", **_tier_post("tiers", rows, len(rows))}
    for i, row in enumerate(rows):
        data.pop(f"tiers-{i}-penalty_kinds")
        data[f"tiers-{i}-penalty_kinds"] = row["penalty_kinds"]
    response = client.post(reverse("catalog:benchmark_edit", args=[bench.pk]), data)
    assert response.status_code == 302, response.context["formset"].errors
    bench.refresh_from_db()
    assert bench.review_due == D(2025, 6, 1)
    assert bench.tiers.count() == 4
    assert bench.tiers.get(level="light").fine_max == 18000


def test_delegation_and_special_list_forms(client, catalog, users, tree):
    """Delegations and list entries are created through their forms (items in change scope)."""
    client.force_login(users.admin_a)
    response = client.post(reverse("catalog:delegation_create"), {
        "item": catalog.item_a.pk, "agency": tree.township_office.pk, "start_date": "2024-01-01",
        "document_number": "云政发〔2023〕5号"})
    assert response.status_code == 302
    assert Delegation.objects.filter(item=catalog.item_a).exists()
    response = client.post(reverse("catalog:delegation_create"), {
        "item": catalog.item_b.pk, "agency": tree.township_office.pk, "start_date": "2024-01-01",
        "document_number": "x"})
    assert response.status_code == 200
    response = client.post(reverse("catalog:special_create"), {
        "list_kind": "exempt_or_light", "item": catalog.item_a.pk, "circumstances": "首次违法情形",
        "conditions": ["首次违法", "及时改正"], "legal_basis": "《中华人民共和国行政处罚法》第三十三条第一款",
        "valid_from": "2023-01-01"})
    assert response.status_code == 302
    entry = SpecialListEntry.objects.get()
    assert entry.conditions == ["首次违法", "及时改正"]
    assert client.get(entry.get_absolute_url()).status_code == 200


def test_workbench_card_and_review_alert(client, catalog, users):
    """The workbench shows the catalog counters and overdue benchmark reviews."""
    client.force_login(users.admin_a)
    page = client.get(reverse("home")).content.decode()
    assert "执法事项" in page
    assert "超过复审日期" in page


def test_pages_render(client, catalog, users):
    """Every catalog page renders for a user who may change the catalog."""
    client.force_login(users.admin_a)
    entry = SpecialListEntry.objects.create(
        list_kind=choices.NO_PENALTY_LIST, item=catalog.item_a, circumstances="轻微", conditions=["及时改正"],
        legal_basis="《行政处罚法》第三十三条", valid_from=D(2023, 1, 1))
    urls = [
        reverse("catalog:item_create"), reverse("catalog:item_revise", args=[catalog.item_a.pk]),
        reverse("catalog:item_detail", args=[catalog.item_comp.pk]),
        reverse("catalog:delegation_create") + f"?item={catalog.item_a.pk}",
        reverse("catalog:delegation_edit", args=[catalog.delegation.pk]),
        reverse("catalog:benchmark_create") + f"?item={catalog.item_a.pk}",
        reverse("catalog:benchmark_detail", args=[catalog.benchmark.pk]),
        reverse("catalog:benchmark_edit", args=[catalog.benchmark.pk]),
        reverse("catalog:special_create"), reverse("catalog:special_edit", args=[entry.pk]),
        reverse("catalog:special_detail", args=[entry.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(reverse("catalog:benchmark_detail", args=[catalog.benchmark.pk])).content.decode()
    assert "法定幅度分档参考" in detail and "18,500" in detail
