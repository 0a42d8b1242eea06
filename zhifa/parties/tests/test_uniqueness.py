"""One organisation per credit code and one natural person per (ID type, ID number),
system-wide; a second registration points to the existing party only when it is in reach."""

import pytest
from django.db import IntegrityError, transaction

from zhifa.parties.models import Party

from .conftest import COMPANY_CODE, OTHER_CODE, PERSON_ID


def _person_form(tree, number=PERSON_ID, **extra):
    return {"kind": "natural", "name": "张三丰", "id_type": "resident_id", "id_number": number,
            "region": tree.county.pk, **extra}


def test_form_points_to_existing_party_in_scope(parties, users, tree, login):
    """Registering a known ID number (typed in lower case) names the existing party and its page."""
    response = login(users.officer_a).post("/parties/new/", _person_form(tree, PERSON_ID.lower()))
    content = response.content.decode()
    assert response.status_code == 200
    assert "该证件号码已登记为当事人“张三”" in content
    assert f"/parties/{parties.person.pk}/" in content
    assert PERSON_ID not in content.replace(PERSON_ID.lower(), "")  # only what the user typed
    assert Party.objects.filter(id_number=PERSON_ID).count() == 1


def test_form_does_not_reveal_out_of_scope_party(parties, users, tree, login):
    """A 青石县 officer registering a 云岭县 person learns only that it is registered elsewhere."""
    data = _person_form(tree, region=tree.other_county.pk)
    response = login(users.officer_b).post("/parties/new/", data)
    content = response.content.decode()
    assert "已由其他地区登记" in content
    assert "张三" not in content.replace("张三丰", "")
    assert f"/parties/{parties.person.pk}/" not in content


def test_api_duplicate_credit_code_refused_with_pointer(parties, users, tree, api_client):
    """The API refuses a second organisation with the same credit code (400, Chinese message)."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.post("/api/parties/parties/", {
        "kind": "legal", "name": "另一家公司", "credit_code": COMPANY_CODE.lower(), "region": tree.county.pk,
    }, format="json")
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["credit_code"][0]
    assert "云岭鑫达商贸有限公司" in message and str(parties.township_company.pk) in message


def test_api_duplicate_out_of_scope_does_not_name_it(parties, users, tree, api_client):
    """For an out-of-scope duplicate the API names neither the party nor its number."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.post("/api/parties/parties/", {
        "kind": "other_org", "name": "另一家", "credit_code": OTHER_CODE, "region": tree.county.pk,
    }, format="json")
    assert response.status_code == 400
    body = response.content.decode()
    assert "已由其他地区登记" in body
    assert "青石华盛" not in body and f"/parties/{parties.other_company.pk}/" not in body


def test_same_number_with_another_document_type_is_a_different_person(parties, tree):
    """Uniqueness is per (ID type, ID number): a passport number may equal another type's number."""
    Party.objects.create(kind=Party.NATURAL, name="甲", id_type="passport", id_number="E12345678", region=tree.county)
    Party.objects.create(kind=Party.NATURAL, name="乙", id_type="hk_macao_permit", id_number="E12345678",
                         region=tree.county)
    assert Party.objects.filter(id_number="E12345678").count() == 2


def test_database_constraints_back_the_rule(parties, tree):
    """Even bypassing the forms, the database refuses duplicates; empty codes may repeat."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.create(kind=Party.LEGAL, name="重复", credit_code=COMPANY_CODE, region=tree.county)
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.create(kind=Party.NATURAL, name="重复", id_number=PERSON_ID, region=tree.county)
    for name in ("个体甲", "个体乙"):
        Party.objects.create(kind=Party.INDIVIDUAL_BUSINESS, name=name, region=tree.county)


def test_editing_a_party_keeps_its_own_number(parties, users, login):
    """Saving a party unchanged is not a duplicate of itself; a blank masked field is kept."""
    client = login(users.officer_a)
    response = client.post(f"/parties/{parties.person.pk}/edit/", {
        "kind": "natural", "name": "张三", "id_type": "resident_id", "id_number": "", "phone": "",
        "address": "云岭县云岭镇新地址2号", "region": parties.person.region_id,
    })
    assert response.status_code == 302
    parties.person.refresh_from_db()
    assert parties.person.id_number == PERSON_ID
    assert parties.person.phone == "13812345678"
    assert parties.person.address == "云岭县云岭镇新地址2号"
