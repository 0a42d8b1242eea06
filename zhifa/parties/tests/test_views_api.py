"""Pages and API of parties: create/edit with Chinese errors, filters, credit ratings,
workbench card and flat query counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhifa.core.dashboard import cards_for
from zhifa.core.models import ChangeLog
from zhifa.parties import services
from zhifa.parties.identifiers import USCC_ENTERPRISE, make_id_number, make_uscc
from zhifa.parties.models import CreditRating, Party


def _bulk_parties(tree, count, start=0):
    for i in range(start, start + count):
        Party.objects.create(kind=Party.NATURAL, name=f"人员{i}", region=tree.township,
                             id_number=make_id_number("619921", datetime.date(1980, 1, 1 + i % 28), i),
                             phone=f"1390000{i:04d}", agency=tree.market)
        company = Party.objects.create(kind=Party.LEGAL, name=f"公司{i}", region=tree.county,
                                       credit_code=make_uscc(USCC_ENTERPRISE, "619921", f"{i:08d}"), agency=tree.market)
        CreditRating.objects.create(party=company, credit_class="ABCD"[i % 4], rated_on=datetime.date(2024, 1, 1),
                                    source="测试")


def test_create_natural_person_via_form(users, tree, login):
    """A valid person is saved with gender and birth date from the ID, recorded by the user's agency."""
    response = login(users.officer_a).post("/parties/new/", {
        "kind": "natural", "name": "李娜", "id_type": "resident_id", "id_number": "11010519491231002x",
        "phone": "13900001111", "region": tree.township.pk,
    })
    assert response.status_code == 302
    party = Party.objects.get(name="李娜")
    assert (party.id_number, party.gender, party.birth_date) == ("11010519491231002X", "F", datetime.date(1949, 12, 31))
    assert party.region_path == tree.township.path
    assert ChangeLog.objects.filter(action="create", object_id=str(party.pk)).exists()


def test_form_errors_are_in_chinese(users, tree, login):
    """Bad identifiers are refused with the validators' Chinese messages."""
    client = login(users.officer_a)
    person = client.post("/parties/new/", {"kind": "natural", "name": "错号", "id_type": "resident_id",
                                           "id_number": "110105194912310021", "region": tree.county.pk})
    assert "身份证号码校验位错误" in person.content.decode()
    company = client.post("/parties/new/", {"kind": "legal", "name": "错码公司", "credit_code": "91110000600037341I",
                                            "region": tree.county.pk})
    assert "统一社会信用代码含有无效字符" in company.content.decode()
    missing = client.post("/parties/new/", {"kind": "other_org", "name": "无码", "region": tree.county.pk})
    assert "非法人组织必须填写统一社会信用代码" in missing.content.decode()
    assert not Party.objects.exists()


def test_create_form_offers_only_subtree_regions(users, tree, login):
    """The region choices of the create form are the user's region subtree only."""
    content = login(users.officer_a).get("/parties/new/").content.decode()
    assert "云岭镇" in content
    assert "秦川市" not in content.split('name="region"')[1].split("</select>")[0]


def test_edit_changing_kind_clears_person_fields(parties, users, login):
    """Turning a record into an individual business clears the identity fields."""
    response = login(users.officer_a).post(f"/parties/{parties.person.pk}/edit/", {
        "kind": "individual_business", "name": "张三小吃店", "legal_representative": "张三",
        "region": parties.person.region_id,
    })
    assert response.status_code == 302
    parties.person.refresh_from_db()
    assert (parties.person.id_number, parties.person.id_type, parties.person.gender) == ("", "", "")


def test_list_filters(parties, users, login):
    """Kind, class and region filters narrow the list."""
    services.add_credit_rating(parties.township_company, credit_class="D", rated_on=timezone.localdate(),
                               source="测试", user=users.officer_a)
    client = login(users.officer_a)
    assert "张三" not in client.get("/parties/", {"kind": "legal"}).content.decode()
    by_class = client.get("/parties/", {"credit_class": "D"}).content.decode()
    assert "云岭鑫达商贸有限公司" in by_class and "秦川恒通物流有限公司" not in by_class
    by_region = client.get("/parties/", {"region": parties.township_company.region_id}).content.decode()
    assert "云岭鑫达商贸有限公司" in by_region and "张三" not in by_region
    unrated = client.get("/parties/", {"credit_class": "none"}).content.decode()
    assert "云岭鑫达商贸有限公司" not in unrated and "秦川恒通物流有限公司" in unrated


def test_region_filter_offers_only_visible_regions(parties, users, login):
    """The region filter of the list offers the user's visible regions, not another county."""
    content = login(users.officer_a).get("/parties/").content.decode()
    options = content.split('name="region"')[1].split("</select>")[0]
    assert "云岭镇" in options and "青石县" not in options


def test_credit_rating_history_and_newest_on_party(parties, users, login):
    """Ratings are appended; the newest by date is copied onto the party; back-dated ones do not win."""
    party = parties.township_company
    client = login(users.officer_a)
    today = timezone.localdate()
    response = client.post(f"/parties/{party.pk}/credit-ratings/new/", {
        "credit_class": "C", "rated_on": today.isoformat(), "source": "“双随机、一公开”抽查结果",
    })
    assert response.status_code == 302
    services.add_credit_rating(party, credit_class="A", rated_on=today - datetime.timedelta(days=400),
                               source="往年分类", user=users.officer_a)
    party.refresh_from_db()
    assert (party.credit_class, party.credit_class_date) == ("C", today)
    assert list(party.credit_ratings.values_list("credit_class", flat=True)) == ["C", "A"]
    page = client.get(f"/parties/{party.pk}/").content.decode()
    assert "往年分类" in page and "C类（较高风险）" in page


def test_credit_rating_future_date_refused(parties, users, login, api_client):
    """A classification date after today is refused in Chinese by the service, so the web form,
    the API and any other caller refuse it alike."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    party = parties.township_company
    response = login(users.officer_a).post(f"/parties/{party.pk}/credit-ratings/new/", {
        "credit_class": "B", "rated_on": tomorrow.isoformat(), "source": "测试"})
    assert "分类日期不能晚于今天" in response.content.decode()
    api_client.force_authenticate(users.officer_a)
    response = api_client.post(f"/api/parties/parties/{party.pk}/credit-ratings/",
                               {"credit_class": "B", "rated_on": tomorrow.isoformat(), "source": "测试"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["rated_on"] == ["分类日期不能晚于今天。"]
    with pytest.raises(ValidationError, match="分类日期不能晚于今天"):
        services.add_credit_rating(party, credit_class="B", rated_on=tomorrow, source="测试", user=users.officer_a)
    assert not CreditRating.objects.exists()


def test_credit_ratings_are_append_only(parties, users):
    """A rating cannot be changed or deleted."""
    rating = services.add_credit_rating(parties.township_company, credit_class="B", rated_on=timezone.localdate(),
                                        source="测试", user=users.officer_a)
    rating.credit_class = "A"
    with pytest.raises(PermissionError):
        rating.save()
    with pytest.raises(PermissionError):
        rating.delete()
    with pytest.raises(PermissionError):
        CreditRating.objects.all().delete()


def test_supervisor_may_view_but_not_rate(parties, users, login):
    """Supervisors read parties but cannot classify them (no change capability)."""
    client = login(users.supervisor_a)
    assert client.get(f"/parties/{parties.township_company.pk}/").status_code == 200
    assert client.get(f"/parties/{parties.township_company.pk}/credit-ratings/new/").status_code == 403


def test_api_create_update_and_ratings(users, tree, api_client):
    """Create by API, PATCH with the masked value sent back (unchanged), add and list ratings."""
    api_client.force_authenticate(users.officer_a)
    created = api_client.post("/api/parties/parties/", {
        "kind": "natural", "name": "王芳", "id_number": "11010519491231002X", "phone": "13700001234",
        "region": tree.county.pk,
    }, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["id_number"] == "110105********002X" and data["agency"] == tree.market.pk
    patched = api_client.patch(f"/api/parties/parties/{data['id']}/", {
        "id_number": data["id_number"], "phone": data["phone"], "address": "云岭县人民路3号"}, format="json")
    assert patched.status_code == 200, patched.content
    party = Party.objects.get(pk=data["id"])
    assert (party.id_number, party.phone, party.address) == ("11010519491231002X", "13700001234", "云岭县人民路3号")
    url = f"/api/parties/parties/{party.pk}/credit-ratings/"
    added = api_client.post(url, {"credit_class": "B", "rated_on": "2024-06-30", "source": "测试来源"}, format="json")
    assert added.status_code == 201
    assert api_client.get(url).json()[0]["credit_class_display"] == "B类（一般风险）"
    party.refresh_from_db()
    assert party.credit_class == "B"
    assert api_client.get("/api/parties/credit-ratings/", {"party": party.pk}).json()["count"] == 1


def test_api_errors_are_structured_chinese(users, tree, api_client):
    """Invalid identifiers come back as structured Chinese field errors."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.post("/api/parties/parties/", {
        "kind": "natural", "name": "错号", "id_number": "110105194912310021", "region": tree.county.pk,
    }, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["id_number"] == ["身份证号码校验位错误。"]


def test_api_delete_refused(parties, users, api_client):
    """Parties are corrected, not erased."""
    api_client.force_authenticate(users.officer_a)
    assert api_client.delete(f"/api/parties/parties/{parties.person.pk}/").status_code == 405


def test_workbench_card_counts_visible_parties(parties, users):
    """The workbench card counts the parties the user can see."""
    card = next(c for c in cards_for(users.officer_a) if c["label"] == "当事人")
    assert card["count"] == 3 and card["url"] == "/parties/" and not card["more"]


def test_workbench_card_counts_up_to_its_cap(parties, users, client, monkeypatch):
    """A card counts at most ``CARD_COUNT_CAP`` rows (a province's parties are millions) and the
    desk then shows the cap with a plus sign."""
    from zhifa.core import dashboard

    monkeypatch.setattr(dashboard, "CARD_COUNT_CAP", 2)
    card = next(c for c in cards_for(users.officer_a) if c["label"] == "当事人")
    assert card["count"] == 2 and card["more"]
    client.force_login(users.officer_a)
    assert '<strong>2+</strong><span>当事人</span>' in client.get("/").content.decode()


def test_list_view_query_count_is_flat(tree, users, login, django_assert_max_num_queries):
    """The HTML list costs the same number of queries for 10 or 60 rows."""
    _bulk_parties(tree, 30)
    client = login(users.officer_a)
    client.get("/parties/")
    with django_assert_max_num_queries(8):  # incl. the visible regions' ids, read first (issue #14 scope)
        response = client.get("/parties/", {"q": "人员"})
    assert response.status_code == 200


def test_api_list_query_count_is_flat(tree, users, api_client, django_assert_max_num_queries):
    """The API list stays flat as rows grow."""
    _bulk_parties(tree, 30)
    api_client.force_authenticate(users.officer_a)
    with django_assert_max_num_queries(5):  # count, page, and one query each for regions and agencies
        response = api_client.get("/api/parties/parties/")
    assert response.json()["count"] == 60
    _bulk_parties(tree, 30, start=30)
    with django_assert_max_num_queries(5):
        assert api_client.get("/api/parties/parties/").json()["count"] == 120
    with django_assert_max_num_queries(3):
        ratings = api_client.get("/api/parties/credit-ratings/")
    assert ratings.json()["count"] == 60
