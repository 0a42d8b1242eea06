"""Officers (ORG-4): identity numbers, masking and reveal, scoping through the UI and the API."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.accounts import roles
from zhifa.core.models import ChangeLog
from zhifa.core.testing import make_user
from zhifa.people.forms import OfficerForm
from zhifa.people.models import Officer, mask_id_number

from .conftest import REAL_ID, make_id_number

pytestmark = pytest.mark.django_db

BAD_CHECKSUM = "110105194912310021"  # the real vector with a wrong check character
BAD_BIRTH = "110105194913310028"  # month 13
BAD_REGION = "991105194912310021"
SHORT = "11010519491231002"


# --- identity numbers -----------------------------------------------------------------------

def test_real_id_number_is_accepted_and_derives_birth_and_gender(tree):
    """The GB 11643 test vector passes; birth date and gender come from the number."""
    officer = Officer(name="张三", id_number=REAL_ID.lower(), home_agency=tree.market)
    officer.full_clean()
    officer.save()
    officer.refresh_from_db()
    assert officer.id_number == REAL_ID
    assert officer.birth_date == datetime.date(1949, 12, 31)
    assert officer.gender == "F"  # sequence 002: even


@pytest.mark.parametrize(("number", "message"), [
    (BAD_CHECKSUM, "身份证号码校验位错误。"),
    (BAD_BIRTH, "身份证号码中的出生日期无效。"),
    (BAD_REGION, "身份证号码的地址码（前6位）不是有效的行政区划代码。"),
    (SHORT, "身份证号码应为18位，前17位为数字，最后一位为数字或X。"),
])
def test_invalid_id_numbers_are_refused_by_the_model(tree, number, message):
    """Wrong check character, birth date, region or length: refused with the validator's words."""
    officer = Officer(name="张三", id_number=number, home_agency=tree.market)
    with pytest.raises(ValidationError) as exc:
        officer.full_clean()
    assert message in exc.value.message_dict["id_number"]


def test_gender_must_agree_with_number(tree):
    """A gender given against the number is refused."""
    officer = Officer(name="张三", id_number=REAL_ID, gender="M", home_agency=tree.market)
    with pytest.raises(ValidationError) as exc:
        officer.full_clean()
    assert "gender" in exc.value.message_dict


def test_id_number_is_unique(tree):
    """Two roster entries cannot share an identity number."""
    Officer.objects.create(name="张三", id_number=REAL_ID, home_agency=tree.market)
    duplicate = Officer(name="张三", id_number=REAL_ID, home_agency=tree.other_market)
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "id_number" in exc.value.message_dict


def test_form_validates_id_number(tree, users):
    """The web form refuses a bad number and accepts a valid one (gender derived)."""
    data = {"name": "王芳", "id_number": BAD_CHECKSUM, "kind": "officer", "home_agency": tree.market.pk,
            "is_active": "on"}
    form = OfficerForm(data, instance=None, user=users.head_a)
    assert not form.is_valid()
    assert form.errors["id_number"] == ["身份证号码校验位错误。"]
    form = OfficerForm({**data, "id_number": make_id_number(seq=124)}, instance=None, user=users.head_a)
    assert form.is_valid(), form.errors
    officer = form.save()
    assert officer.gender == "F"


def test_edit_form_never_shows_the_number_and_keeps_it_when_blank(client, roster, users):
    """Editing does not reveal the number: the field is empty, and leaving it empty keeps it."""
    client.force_login(users.head_a)
    url = reverse("people:officer_edit", args=[roster.market_officer.pk])
    page = client.get(url).content.decode()
    assert roster.market_officer.id_number not in page
    assert roster.market_officer.masked_id_number in page
    response = client.post(url, {"name": "李明远", "id_number": "", "kind": "officer",
                                 "home_agency": roster.market_officer.home_agency_id, "is_active": "on",
                                 "post": "副中队长"})
    assert response.status_code == 302
    roster.market_officer.refresh_from_db()
    assert roster.market_officer.post == "副中队长"
    assert roster.market_officer.id_number == make_id_number(seq=131)


def test_api_validates_id_number(api_client, tree, users):
    """The API refuses an invalid number with the structured Chinese error, accepts a valid one,
    and never returns the full number."""
    api_client.force_authenticate(users.head_a)
    payload = {"name": "王芳", "id_number": BAD_CHECKSUM, "kind": "officer", "home_agency": tree.market.pk}
    response = api_client.post("/api/people/officers/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["id_number"] == ["身份证号码校验位错误。"]
    number = make_id_number(seq=125)
    response = api_client.post("/api/people/officers/", {**payload, "id_number": number}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["gender"] == "M" and body["birth_date"] == "1985-03-12"
    assert "id_number" not in body and body["id_number_masked"] == mask_id_number(number)
    response = api_client.post("/api/people/officers/", {**payload, "id_number": number, "gender": "F"},
                               format="json")
    assert response.status_code == 400  # duplicate


def test_api_refuses_gender_against_number(api_client, tree, users):
    """A gender that contradicts the number is refused by the API."""
    api_client.force_authenticate(users.head_a)
    response = api_client.post("/api/people/officers/", {
        "name": "王芳", "id_number": REAL_ID, "gender": "M", "kind": "officer", "home_agency": tree.market.pk,
    }, format="json")
    assert response.status_code == 400
    assert "gender" in response.json()["error"]["fields"]


def test_unit_must_belong_to_home_agency(tree):
    """The unit of an officer is one of the home agency's units."""
    officer = Officer(name="张三", id_number=REAL_ID, home_agency=tree.market, unit=tree.other_unit)
    with pytest.raises(ValidationError) as exc:
        officer.full_clean()
    assert exc.value.message_dict["unit"] == ["所属执法机构必须是所属执法主体的内设机构或中队。"]


def test_dispatch_rules(tree):
    """Dispatch goes to another agency's unit; dates need a unit and must be ordered."""
    officer = Officer(name="张三", id_number=REAL_ID, home_agency=tree.market, dispatched_to=tree.market_unit)
    with pytest.raises(ValidationError) as exc:
        officer.full_clean()
    assert "dispatched_to" in exc.value.message_dict
    officer = Officer(name="张三", id_number=REAL_ID, home_agency=tree.market, dispatched_to=tree.township_team,
                      dispatched_from=datetime.date(2025, 5, 1), dispatched_until=datetime.date(2025, 4, 1))
    with pytest.raises(ValidationError) as exc:
        officer.full_clean()
    assert "dispatched_until" in exc.value.message_dict


# --- masking and reveal ---------------------------------------------------------------------

def test_masking_format():
    """Lists show 6101**********123X: four digits, ten stars, four characters."""
    assert mask_id_number("61010519850312123X") == "6101**********123X"


def test_list_and_detail_show_masked_number(client, roster, users):
    """The number is masked in the list and on the detail page."""
    client.force_login(users.head_a)
    number = roster.market_officer.id_number
    for url in (reverse("people:officer_list"), reverse("people:officer_detail", args=[roster.market_officer.pk])):
        page = client.get(url).content.decode()
        assert number not in page
        assert roster.market_officer.masked_id_number in page


def _reveals(officer):
    return ChangeLog.objects.filter(
        action="reveal", content_type=ContentType.objects.get_for_model(Officer), object_id=str(officer.pk)
    )


def test_reveal_is_logged(client, api_client, roster, users):
    """Revealing through the UI or the API shows the full number and writes an audit entry each time."""
    client.force_login(users.head_a)
    response = client.post(reverse("people:officer_reveal", args=[roster.market_officer.pk]))
    assert response.status_code == 200
    assert roster.market_officer.id_number in response.content.decode()
    assert _reveals(roster.market_officer).count() == 1
    entry = _reveals(roster.market_officer).get()
    assert entry.actor == users.head_a and entry.note
    api_client.force_authenticate(users.admin_a)
    response = api_client.post(f"/api/people/officers/{roster.market_officer.pk}/reveal/")
    assert response.status_code == 200
    assert response.json()["id_number"] == roster.market_officer.id_number
    assert _reveals(roster.market_officer).count() == 2
    assert _reveals(roster.market_officer).filter(actor=users.admin_a).exists()


def test_reveal_refused_without_capability(client, api_client, roster, users):
    """Roles without ("people", "reveal") get 403 and nothing is logged; GET does not reveal."""
    unit_head = make_user("unit_head_a", roles.UNIT_HEAD, agency=roster.market_officer.home_agency)
    for user in (users.officer_a, unit_head, users.supervisor_a):
        client.force_login(user)
        assert client.post(reverse("people:officer_reveal", args=[roster.market_officer.pk])).status_code == 403
        api_client.force_authenticate(user)
        response = api_client.post(f"/api/people/officers/{roster.market_officer.pk}/reveal/")
        assert response.status_code == 403
    client.force_login(users.head_a)
    assert client.get(reverse("people:officer_reveal", args=[roster.market_officer.pk])).status_code == 405
    assert not _reveals(roster.market_officer).exists()


def test_reveal_refused_outside_scope(api_client, roster, users):
    """An agency head cannot reveal another county's officer (404)."""
    api_client.force_authenticate(users.head_a)
    assert api_client.post(f"/api/people/officers/{roster.other_officer.pk}/reveal/").status_code == 404
    assert not _reveals(roster.other_officer).exists()


def test_detail_reveal_button_only_for_capable_roles(client, roster, users):
    """The reveal button is offered only to roles that may reveal."""
    url = reverse("people:officer_detail", args=[roster.market_officer.pk])
    client.force_login(users.head_a)
    assert "查看完整身份证号码" in client.get(url).content.decode()
    client.force_login(users.officer_a)
    assert "查看完整身份证号码" not in client.get(url).content.decode()


# --- scoping: 云岭县 users cannot reach 青石县 officers ---------------------------------------------

@pytest.mark.parametrize("username", ["admin_a", "head_a", "officer_a", "supervisor_a"])
def test_county_a_user_cannot_list_or_read_county_b_officers_in_ui(client, roster, users, username):
    """Absent from the list, 404 on detail and edit."""
    client.force_login(getattr(users, username))
    page = client.get(reverse("people:officer_list")).content.decode()
    assert roster.market_officer.name in page
    assert roster.other_officer.name not in page
    assert client.get(reverse("people:officer_detail", args=[roster.other_officer.pk])).status_code == 404
    assert client.get(reverse("people:certificate_detail", args=[roster.other_cert.pk])).status_code == 404
    edit = client.get(reverse("people:officer_edit", args=[roster.other_officer.pk])).status_code
    assert edit in (403, 404)


@pytest.mark.parametrize("username", ["admin_a", "head_a"])
def test_county_a_user_cannot_change_county_b_officers_in_ui(client, roster, users, username):
    """POST to another county's officer edit page is 404 and changes nothing."""
    client.force_login(getattr(users, username))
    response = client.post(reverse("people:officer_edit", args=[roster.other_officer.pk]),
                           {"name": "改名", "kind": "officer", "home_agency": roster.other_officer.home_agency_id})
    assert response.status_code == 404
    roster.other_officer.refresh_from_db()
    assert roster.other_officer.name == "冯丽"


@pytest.mark.parametrize("username", ["admin_a", "head_a", "officer_a"])
def test_county_a_user_cannot_reach_county_b_officers_through_api(api_client, roster, users, username):
    """Absent from the API list, 404 on detail, PATCH refused."""
    api_client.force_authenticate(getattr(users, username))
    ids = {o["id"] for o in api_client.get("/api/people/officers/?page_size=500").json()["results"]}
    assert roster.market_officer.pk in ids and roster.other_officer.pk not in ids
    assert api_client.get(f"/api/people/officers/{roster.other_officer.pk}/").status_code == 404
    response = api_client.patch(f"/api/people/officers/{roster.other_officer.pk}/", {"name": "改名"}, format="json")
    assert response.status_code in (403, 404)
    roster.other_officer.refresh_from_db()
    assert roster.other_officer.name == "冯丽"
    certs = {c["id"] for c in api_client.get("/api/people/certificates/").json()["results"]}
    assert roster.other_cert.pk not in certs


def test_cannot_move_own_officer_to_other_county(api_client, roster, users):
    """PATCH setting home_agency to another county's agency is refused: that agency does not exist for the user."""
    api_client.force_authenticate(users.head_a)
    response = api_client.patch(f"/api/people/officers/{roster.market_officer.pk}/",
                                {"home_agency": roster.other_officer.home_agency_id, "unit": None}, format="json")
    assert response.status_code == 400
    roster.market_officer.refresh_from_db()
    assert roster.market_officer.home_agency_id != roster.other_officer.home_agency_id


def test_county_b_admin_sees_only_county_b(api_client, roster, users):
    """The rule is symmetric: 青石县's administrator sees 青石县 only."""
    api_client.force_authenticate(users.admin_b)
    ids = {o["id"] for o in api_client.get("/api/people/officers/").json()["results"]}
    assert ids == {roster.other_officer.pk}


def test_dispatched_officer_visible_to_township(roster, tree):
    """A dispatched officer is visible to users of the township agency they are dispatched to."""
    township_user = make_user("township_user", roles.OFFICER, agency=tree.township_office)
    visible = set(Officer.objects.restrict(township_user).values_list("pk", flat=True))
    assert visible == {roster.township_officer.pk, roster.dispatched.pk}


def test_officer_list_and_api_query_counts(client, api_client, roster, users, tree,
                                           django_assert_max_num_queries):
    """The officer list page and API list stay flat as the roster grows."""
    for i in range(30):
        Officer.objects.create(name=f"人员{i}", id_number=make_id_number(seq=400 + i), home_agency=tree.market,
                               unit=tree.market_unit)
    client.force_login(users.head_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:officer_list"))
    assert response.status_code == 200 and "人员29" in response.content.decode()
    api_client.force_authenticate(users.head_a)
    with django_assert_max_num_queries(5):
        response = api_client.get("/api/people/officers/")
    assert response.json()["count"] == 32


def test_officer_filters(client, roster, users, tree):
    """Search by full identity number and filter by agency (incl. dispatched officers) and kind."""
    client.force_login(users.admin_a)
    page = client.get(reverse("people:officer_list"), {"q": roster.market_officer.id_number}).content.decode()
    assert roster.market_officer.name in page and roster.auxiliary.name not in page
    page = client.get(reverse("people:officer_list"), {"agency": tree.township_office.pk}).content.decode()
    assert roster.dispatched.name in page and roster.township_officer.name in page
    assert roster.market_officer.name not in page
    page = client.get(reverse("people:officer_list"), {"kind": "auxiliary"}).content.decode()
    assert roster.auxiliary.name in page and roster.market_officer.name not in page


def test_officer_detail_shows_certificates_and_training(client, roster, users):
    """The detail page lists certificates with their events."""
    client.force_login(users.head_a)
    page = client.get(reverse("people:officer_detail", args=[roster.market_officer.pk])).content.decode()
    assert roster.market_cert.number in page and "发证" in page and "培训记录" in page
