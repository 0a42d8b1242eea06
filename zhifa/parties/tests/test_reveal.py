"""Reveal: a full identity number is shown once, by explicit POST, to roles holding
("parties", "reveal"), and every reveal is written to the audit trail."""

import pytest
from django.contrib.contenttypes.models import ContentType

from zhifa.core.models import ChangeLog
from zhifa.parties.models import Party

from .conftest import PERSON_ID, PERSON_PHONE


def _reveals(party):
    return ChangeLog.objects.filter(
        action="reveal", content_type=ContentType.objects.get_for_model(Party), object_id=str(party.pk)
    )


def test_api_reveal_returns_full_number_and_logs(parties, users, api_client):
    """An officer revealing via the API gets the full values once; one audit entry is written."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.post(f"/api/parties/parties/{parties.person.pk}/reveal/")
    assert response.status_code == 200
    assert response.json() == {"id": parties.person.pk, "id_number": PERSON_ID, "phone": PERSON_PHONE}
    assert response["Cache-Control"] == "no-store"
    entry = _reveals(parties.person).get()
    assert entry.actor == users.officer_a
    assert entry.note == "查看完整证件号码"


@pytest.mark.parametrize("who", ["auxiliary_a", "admin_a"])
def test_api_reveal_refused_for_auxiliaries_and_admins(parties, users, api_client, who):
    """Auxiliaries and system administrators get 403 and nothing is logged as revealed."""
    api_client.force_authenticate(getattr(users, who))
    response = api_client.post(f"/api/parties/parties/{parties.person.pk}/reveal/")
    assert response.status_code == 403
    assert PERSON_ID not in response.content.decode()
    assert not ChangeLog.objects.filter(action="reveal").exists()


def test_api_reveal_needs_post(parties, users, api_client):
    """A GET on the reveal action is not allowed (no accidental reveal by a link)."""
    api_client.force_authenticate(users.officer_a)
    assert api_client.get(f"/api/parties/parties/{parties.person.pk}/reveal/").status_code == 405
    assert not _reveals(parties.person).exists()


def test_api_reveal_out_of_scope_is_not_found(parties, users, api_client):
    """青石县's officer cannot reveal a 云岭县 person: 404, nothing logged."""
    api_client.force_authenticate(users.officer_b)
    assert api_client.post(f"/api/parties/parties/{parties.person.pk}/reveal/").status_code == 404
    assert not ChangeLog.objects.filter(action="reveal").exists()


def test_reveal_of_a_city_party_is_allowed_where_visible(parties, users, tree, api_client):
    """Reveal follows the view scope: a county officer may reveal a city-level person they can see."""
    person = Party.objects.create(kind=Party.NATURAL, name="钱七", id_number="619900199001010014", region=tree.city)
    api_client.force_authenticate(users.officer_b)
    response = api_client.post(f"/api/parties/parties/{person.pk}/reveal/")
    assert response.status_code == 200
    assert response.json()["id_number"] == "619900199001010014"


def test_reveal_of_an_organisation_with_nothing_masked_is_refused(parties, users, api_client):
    """Organisations have nothing masked: the reveal answers 400 and logs nothing."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.post(f"/api/parties/parties/{parties.township_company.pk}/reveal/")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "该当事人没有被遮蔽的信息。"
    assert not ChangeLog.objects.filter(action="reveal").exists()


def test_ui_reveal_button_shows_number_once_and_logs(parties, users, login):
    """The detail page's reveal button (POST) shows the full number and writes the log."""
    client = login(users.officer_a)
    response = client.post(f"/parties/{parties.person.pk}/reveal/")
    content = response.content.decode()
    assert response.status_code == 200
    assert PERSON_ID in content and PERSON_PHONE in content
    assert _reveals(parties.person).count() == 1
    assert PERSON_ID not in client.get(f"/parties/{parties.person.pk}/").content.decode()


@pytest.mark.parametrize("who", ["auxiliary_a", "admin_a"])
def test_ui_reveal_refused_and_button_hidden(parties, users, login, who):
    """Without the capability there is no button, the POST is refused and nothing is logged."""
    client = login(getattr(users, who))
    assert "查看完整号码" not in client.get(f"/parties/{parties.person.pk}/").content.decode()
    response = client.post(f"/parties/{parties.person.pk}/reveal/")
    assert response.status_code == 403
    assert PERSON_ID not in response.content.decode()
    assert not ChangeLog.objects.filter(action="reveal").exists()
