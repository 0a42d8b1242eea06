"""The registering agency (录入单位) of a shared party is shown only to readers whose region
subtree holds that agency (issue #10 item 12): a city-level party registered by one county's
agency must not tell another county's officers which agency that was."""

import pytest

from zhifa.parties import services
from zhifa.parties.models import Party


@pytest.fixture
def shared_party(parties, tree):
    """The city-level party, registered by 云岭县市场监管局."""
    Party.objects.filter(pk=parties.city_company.pk).update(agency=tree.market)
    parties.city_company.refresh_from_db()
    return parties.city_company


def _by_id(response):
    assert response.status_code == 200
    return {row["id"]: row for row in response.json()["results"]}


def test_api_list_hides_other_countys_agency(shared_party, parties, users, api_client):
    """青石县's officer lists the shared party without its agency; 云岭县's officer sees it."""
    api_client.force_authenticate(users.officer_b)
    row = _by_id(api_client.get("/api/parties/parties/"))[shared_party.pk]
    assert row["agency"] is None and row["agency_name"] is None
    assert "云岭县市场" not in api_client.get("/api/parties/parties/").content.decode()
    # their own county's party keeps its agency
    own = _by_id(api_client.get("/api/parties/parties/"))[parties.other_company.pk]
    assert own["agency_name"] == "青石县市场监督管理局"

    api_client.force_authenticate(users.officer_a)
    row = _by_id(api_client.get("/api/parties/parties/"))[shared_party.pk]
    assert row["agency_name"] == "云岭县市场监督管理局"
    assert row["agency"] == shared_party.agency_id


def test_api_detail_hides_other_countys_agency(shared_party, users, api_client):
    """The detail endpoint follows the same rule."""
    api_client.force_authenticate(users.officer_b)
    data = api_client.get(f"/api/parties/parties/{shared_party.pk}/").json()
    assert data["agency"] is None and data["agency_name"] is None


def test_web_detail_hides_other_countys_agency(shared_party, users, login):
    """The party page shows "—" for the registering agency to the other county."""
    page = login(users.officer_b).get(f"/parties/{shared_party.pk}/").content.decode()
    assert "秦川恒通物流有限公司" in page
    assert "云岭县市场监督管理局" not in page
    page = login(users.officer_a).get(f"/parties/{shared_party.pk}/").content.decode()
    assert "云岭县市场监督管理局" in page


def test_rule_in_services(shared_party, parties, users, tree):
    """A county officer sees agencies of their county and its townships, not of another county."""
    assert services.visible_registering_agency(shared_party, users.officer_b) is None
    assert services.visible_registering_agency(shared_party, users.officer_a) == tree.market
    assert services.visible_registering_agency(parties.township_company, users.officer_a) == tree.township_office
    assert services.visible_registering_agency(parties.other_company, users.officer_a) is None


def test_list_query_count_does_not_grow(shared_party, users, api_client, django_assert_max_num_queries):
    """Hiding agencies costs no query per row."""
    api_client.force_authenticate(users.officer_b)
    with django_assert_max_num_queries(8):
        api_client.get("/api/parties/parties/")
