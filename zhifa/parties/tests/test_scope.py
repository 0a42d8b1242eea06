"""Scoping: parties are shared within a region. A user sees parties of their region subtree
and of the regions above it; they change only those of their region subtree."""

from zhifa.accounts import roles
from zhifa.core.testing import make_user
from zhifa.parties.models import CreditRating, Party


def test_view_scope_of_county_users(parties, users):
    """云岭县 sees its county, its township and the city; 青石县 sees its own county and the city."""
    a = set(Party.objects.restrict(users.officer_a).values_list("name", flat=True))
    b = set(Party.objects.restrict(users.officer_b).values_list("name", flat=True))
    assert a == {"张三", "云岭鑫达商贸有限公司", "秦川恒通物流有限公司"}
    assert b == {"青石华盛建材有限公司", "秦川恒通物流有限公司"}


def test_change_scope_drops_the_ancestor_rule(parties, users):
    """A city-level party is visible to both counties but changeable by neither."""
    for user in (users.officer_a, users.officer_b, users.admin_a):
        assert Party.objects.restrict(user, "view").filter(pk=parties.city_company.pk).exists()
        assert not Party.objects.restrict(user, "change").filter(pk=parties.city_company.pk).exists()
    assert Party.objects.restrict(users.officer_a, "change").filter(pk=parties.township_company.pk).exists()


def test_township_user_sees_upwards_but_not_sideways(parties, tree):
    """A township office user sees township, county and city parties, but changes only the township's."""
    user = make_user("town_officer", roles.OFFICER, agency=tree.township_office)
    visible = set(Party.objects.restrict(user).values_list("pk", flat=True))
    assert visible == {parties.person.pk, parties.township_company.pk, parties.city_company.pk}
    changeable = set(Party.objects.restrict(user, "change").values_list("pk", flat=True))
    assert changeable == {parties.township_company.pk}


def test_roles_without_party_capability_see_nothing(parties, users):
    """The security and audit administrators have no party capability."""
    assert not Party.objects.restrict(users.security_a).exists()
    assert not Party.objects.restrict(users.auditor_a).exists()


def test_credit_ratings_follow_party_scope(parties, users, tree):
    """Rating history is visible where its party is."""
    CreditRating.objects.create(party=parties.other_company, credit_class="B", rated_on="2024-01-01", source="测试")
    assert not CreditRating.objects.restrict(users.officer_a).exists()
    assert CreditRating.objects.restrict(users.officer_b).count() == 1


def test_other_county_officer_cannot_see_or_change_via_ui(parties, users, login):
    """青石县's officer gets 404 on a 云岭县 party's page and edit form, and it is not listed."""
    client = login(users.officer_b)
    pk = parties.person.pk
    assert client.get(f"/parties/{pk}/").status_code == 404
    assert client.get(f"/parties/{pk}/edit/").status_code == 404
    response = client.post(f"/parties/{pk}/edit/", {"kind": "natural", "name": "改名", "region": pk})
    assert response.status_code == 404
    assert "张三" not in client.get("/parties/").content.decode()
    parties.person.refresh_from_db()
    assert parties.person.name == "张三"


def test_other_county_officer_cannot_see_or_change_via_api(parties, users, api_client):
    """青石县's officer gets 404 on a 云岭县 party through the API, for read and write."""
    api_client.force_authenticate(users.officer_b)
    pk = parties.township_company.pk
    assert api_client.get(f"/api/parties/parties/{pk}/").status_code == 404
    assert api_client.patch(f"/api/parties/parties/{pk}/", {"name": "改名"}, format="json").status_code == 404
    ids = [r["id"] for r in api_client.get("/api/parties/parties/").json()["results"]]
    assert pk not in ids and parties.person.pk not in ids


def test_county_officer_sees_township_party(parties, users, login, api_client):
    """云岭县's officer sees a party registered in 云岭镇 (a township of the county)."""
    assert login(users.officer_a).get(f"/parties/{parties.township_company.pk}/").status_code == 200
    api_client.force_authenticate(users.officer_a)
    assert api_client.get(f"/api/parties/parties/{parties.township_company.pk}/").status_code == 200


def test_city_party_visible_to_both_counties_but_not_changeable(parties, users, login, api_client):
    """A city-level party opens for both county officers; edits are refused (404) for both."""
    pk = parties.city_company.pk
    for user in (users.officer_a, users.officer_b):
        client = login(user)
        page = client.get(f"/parties/{pk}/")
        assert page.status_code == 200
        assert f"/parties/{pk}/edit/" not in page.content.decode()
        assert client.get(f"/parties/{pk}/edit/").status_code == 404
        api_client.force_authenticate(user)
        assert api_client.get(f"/api/parties/parties/{pk}/").status_code == 200
        assert api_client.patch(f"/api/parties/parties/{pk}/", {"name": "改名"}, format="json").status_code == 404
        rating = api_client.post(f"/api/parties/parties/{pk}/credit-ratings/",
                                 {"credit_class": "D", "rated_on": "2024-05-01", "source": "测试"}, format="json")
        assert rating.status_code == 404
    parties.city_company.refresh_from_db()
    assert parties.city_company.name == "秦川恒通物流有限公司"
    assert parties.city_company.credit_class == ""


def test_cannot_register_a_party_outside_own_subtree(parties, users, tree, api_client):
    """A county officer cannot register a party at city level (region not offered / refused)."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.post("/api/parties/parties/", {
        "kind": "legal", "name": "秦川新公司", "credit_code": "91350100M000100Y43", "region": tree.city.pk,
    }, format="json")
    assert response.status_code == 400
    assert "region" in response.json()["error"]["fields"]
    assert not Party.objects.filter(name="秦川新公司").exists()
