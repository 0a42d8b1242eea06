"""The organisation tree and scoping: one county cannot see or change another's data."""

import pytest
from django.core.exceptions import ValidationError

from zhifa.core.testing import PASSWORD
from zhifa.orgs.models import Agency, Region, Unit


def test_paths_follow_the_tree(tree):
    """Materialised paths nest region › agency › unit."""
    assert tree.county.path == "/610000/619900/619921/"
    assert tree.township.path == "/610000/619900/619921/619921001/"
    assert tree.market.tree_path == f"/610000/619900/619921/A{tree.market.pk}/"
    assert tree.market_unit.tree_path == f"{tree.market.tree_path}U{tree.market_unit.pk}/"
    assert tree.township_office.tree_path.startswith(tree.township.path)


def test_moving_an_agency_moves_its_units(tree):
    """Re-parenting an agency rewrites the paths below it."""
    tree.market.region = tree.other_county
    tree.market.save()
    tree.market_unit.refresh_from_db()
    assert tree.market_unit.tree_path.startswith("/610000/619900/619922/")


def test_region_level_and_parent_rules(tree):
    """A township code must extend its county's code; levels must descend."""
    with pytest.raises(ValidationError):
        Region(code="619922001", name="错镇", parent=tree.county).full_clean()
    with pytest.raises(ValidationError):
        Region(code="619923", name="无上级县").full_clean()
    Region(code="619921002", name="青川镇", parent=tree.county).full_clean()


def test_entrusted_organisation_needs_its_principal(tree):
    with pytest.raises(ValidationError) as exc:
        Agency(name="受托所", region=tree.county, legal_status="entrusted").full_clean()
    assert "委托机关" in str(exc.value)


def test_restrict_by_role_and_place(users, tree):
    """County users see their county; agency users their agency; the city auditor sees logs only."""
    assert set(Agency.objects.restrict(users.admin_a)) == {
        tree.market, tree.comprehensive, tree.township_office, tree.justice
    }
    assert set(Agency.objects.restrict(users.officer_a)) == {tree.market}
    assert set(Agency.objects.restrict(users.officer_b)) == {tree.other_market}
    assert not Agency.objects.restrict(users.auditor_a).exists()
    assert not Agency.objects.restrict(users.admin_a, "change").filter(pk=tree.other_market.pk).exists()
    assert not Unit.objects.restrict(users.officer_a).filter(pk=tree.other_unit.pk).exists()
    # a region user sees its own region chain upward (to place itself) but not the sibling county
    regions = set(Region.objects.restrict(users.admin_a))
    assert tree.city in regions and tree.township in regions and tree.other_county not in regions


def test_other_county_agency_is_invisible_in_ui(client, users, tree):
    """A 云岭县 administrator cannot list, read or edit a 青石县 agency in the web UI."""
    client.login(username="admin_a", password=PASSWORD)
    listing = client.get("/orgs/agencies/")
    assert "云岭县市场监督管理局" in listing.content.decode()
    assert "青石县市场监督管理局" not in listing.content.decode()
    assert client.get(f"/orgs/agencies/{tree.other_market.pk}/").status_code == 404
    assert client.get(f"/orgs/agencies/{tree.other_market.pk}/edit/").status_code == 404
    response = client.post(f"/orgs/agencies/{tree.other_market.pk}/edit/", {"name": "改名"})
    assert response.status_code == 404
    tree.other_market.refresh_from_db()
    assert tree.other_market.name == "青石县市场监督管理局"


def test_cannot_move_own_agency_out_of_reach(client, users, tree):
    """Saving an agency into another county is refused and rolled back (NetBox rule)."""
    client.login(username="admin_a", password=PASSWORD)
    response = client.post(
        f"/orgs/agencies/{tree.market.pk}/edit/",
        {"name": tree.market.name, "region": tree.other_county.pk, "legal_status": "organ", "kind": "professional"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    tree.market.refresh_from_db()
    assert tree.market.region == tree.county


def test_api_scoping(api_client, users, tree):
    """Through the API another county's agency is absent, 404 on read and on change."""
    api_client.force_authenticate(users.admin_a)
    names = {a["name"] for a in api_client.get("/api/orgs/agencies/?page_size=100").json()["results"]}
    assert "青石县市场监督管理局" not in names and "云岭县市场监督管理局" in names
    assert api_client.get(f"/api/orgs/agencies/{tree.other_market.pk}/").status_code == 404
    response = api_client.patch(f"/api/orgs/agencies/{tree.other_market.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "记录不存在或不在您的管辖范围内。"


def test_api_refuses_linking_to_other_county(api_client, users, tree):
    """Creating an agency in another county's region: the region 'does not exist' for this user."""
    api_client.force_authenticate(users.admin_a)
    response = api_client.post(
        "/api/orgs/agencies/",
        {"name": "新主体", "region": tree.other_county.pk, "legal_status": "organ", "kind": "professional"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid" and "region" in body["fields"]
    assert not Agency.objects.filter(name="新主体").exists()


def test_roles_without_change_capability_are_refused(api_client, users, tree):
    """An officer may read their agency but not change it."""
    api_client.force_authenticate(users.officer_a)
    assert api_client.get(f"/api/orgs/agencies/{tree.market.pk}/").status_code == 200
    response = api_client.patch(f"/api/orgs/agencies/{tree.market.pk}/", {"phone": "1"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["message"]


def test_agency_list_query_count_is_flat(client, users, tree, django_assert_max_num_queries):
    """The agency list costs the same number of queries for 5 or 50 agencies."""
    client.login(username="admin_a", password=PASSWORD)
    for i in range(45):
        Agency.objects.create(name=f"测试主体{i}", region=tree.county)
    with django_assert_max_num_queries(12):
        assert client.get("/orgs/agencies/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/orgs/agencies/").status_code == 200


def test_filter_choices_are_scoped(client, users, tree):
    """The list filters offer only regions and agencies within the user's reach."""
    client.login(username="admin_a", password=PASSWORD)
    form = client.get("/orgs/units/").context["filterset"].form
    agencies = {a.name for a in form.fields["agency"].queryset}
    assert "云岭县市场监督管理局" in agencies and "青石县市场监督管理局" not in agencies
    regions = {r.name for r in client.get("/orgs/agencies/").context["filterset"].form.fields["region"].queryset}
    assert "青石县" not in regions and "云岭县" in regions


def test_boolean_filters_read_all_yes_no(client, users, tree):
    """Yes/no filters offer 全部/是/否 and filter on them."""
    tree.market_unit.is_active = False
    tree.market_unit.save()
    client.login(username="admin_a", password=PASSWORD)
    page = client.get("/orgs/units/").content.decode()
    assert '<option value="" selected>全部</option>' in page
    listing = client.get("/orgs/units/?is_active=false").content.decode()
    assert "稽查大队" in listing and "云岭镇执法队" not in listing
