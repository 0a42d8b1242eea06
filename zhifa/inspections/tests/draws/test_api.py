"""The draws API: the same services as the pages, JSON only, structured Chinese errors, scoped rows."""

import pytest

from zhifa.core import clock
from zhifa.inspections.models import Draw, DrawPairing

pytestmark = pytest.mark.django_db

BASE = "/api/inspections/"


def test_draw_lifecycle_through_the_api(world, api_client):
    api_client.force_authenticate(world.users.head_a)
    response = api_client.post(f"{BASE}draw-plans/{world.plan.pk}/draws/", {
        "number": "云市监抽〔2026〕9号", "title": "接口抽取", "entries": [world.entry.pk, world.city_entry.pk],
        "draw_date": clock.today().isoformat()}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert api_client.post(f"{BASE}draws/{pk}/rules/", {"min_ratio": 10000}, format="json").status_code == 200
    frozen = api_client.post(f"{BASE}draws/{pk}/freeze/", format="json").json()
    assert frozen["status"] == "frozen" and frozen["secret"] == "" and len(frozen["commitment"]) == 64
    refused = api_client.post(f"{BASE}draws/{pk}/complete/", format="json")
    assert refused.status_code == 400 and "见证人" in str(refused.json()["error"])
    api_client.post(f"{BASE}draws/{pk}/witnesses/", {"name": "企业代表", "value": "2718"}, format="json")
    done = api_client.post(f"{BASE}draws/{pk}/complete/", format="json").json()
    assert done["status"] == "completed" and done["secret"] and done["selected_count"] == 43
    pairings = api_client.get(f"{BASE}draw-pairings/", {"draw": pk}).json()
    assert pairings["results"][0]["inspector_1"] and len(pairings["results"]) == 50
    assert DrawPairing.objects.filter(draw_id=pk).count() == 86


def test_forms_are_json_only_and_scoped(world, make_draw, api_client):
    draw = make_draw()
    api_client.force_authenticate(world.head_other)
    assert api_client.get(f"{BASE}draws/{draw.pk}/").status_code == 404
    assert api_client.post(f"{BASE}draws/{draw.pk}/freeze/", format="json").status_code == 404
    assert api_client.get(f"{BASE}draws/").json()["results"] == []
    assert all(row["agency"] == world.tree.other_market.pk
               for row in api_client.get(f"{BASE}draw-list-entries/").json()["results"])
    api_client.force_authenticate(world.users.head_a)
    form = api_client.post(f"{BASE}draws/{draw.pk}/witnesses/", "name=x&value=y",
                           content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415
    assert Draw.objects.get(pk=draw.pk).status == Draw.PREPARED


def test_list_entry_created_and_published_through_the_api(world, api_client):
    api_client.force_authenticate(world.head_other)
    from zhifa.catalog import services as catalog
    from zhifa.core.testing import fields

    item = catalog.create_item(agency=world.tree.other_market, code="SCJG-JC-0003", kind="inspection",
                               field=fields()["SCJG"], valid_from=clock.today(),
                               version={"name": "计量器具检查", "law_name": "《中华人民共和国计量法》", "article": 18})
    created = api_client.post(f"{BASE}draw-list-entries/", {
        "agency": world.tree.other_market.pk, "item": item.pk, "population_rule": "本县加油站"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["legal_basis"] == "《中华人民共和国计量法》第十八条"
    published = api_client.post(f"{BASE}draw-list-entries/{created.json()['id']}/publish/", format="json")
    assert published.json()["status"] == "published"
    wrong = api_client.post(f"{BASE}draw-list-entries/", {
        "agency": world.tree.other_market.pk, "item": world.market_item.pk, "population_rule": "x"}, format="json")
    assert wrong.status_code == 400  # another county's item does not exist for this user


def test_another_countys_head_reaches_no_draw_plan_register_or_pairing_through_the_api(world, make_draw, api_client):
    """Scoping through every draws endpoint: 青石县's head lists none of 云岭县's draws (prepared or completed),
    plans, inspector-register rows or pairings, reads none (404) and changes none (404); the prepared draw is
    not on the portal either."""
    from .conftest import run

    prepared = make_draw()
    completed = run(make_draw(entries=[world.entry, world.city_entry]), world.users.head_a)
    assert DrawPairing.objects.filter(draw=completed).exists()
    api_client.force_authenticate(world.head_other)
    def ids(name):
        rows = api_client.get(f"{BASE}{name}/").json()
        return {row["id"] for row in (rows["results"] if isinstance(rows, dict) else rows)}

    from zhifa.inspections.models import InspectorEntry

    assert not ids("draws") & {prepared.pk, completed.pk}
    assert world.plan.pk not in ids("draw-plans")
    mine = set(InspectorEntry.objects.filter(agency=world.tree.other_market).values_list("pk", flat=True))
    assert mine and ids("draw-inspectors") == mine  # its own register only
    assert ids("draw-list-entries") == {world.other_entry.pk}
    for pk in (prepared.pk, completed.pk):
        assert api_client.get(f"{BASE}draws/{pk}/").status_code == 404
    assert api_client.get(f"{BASE}draw-plans/{world.plan.pk}/").status_code == 404
    pairings = api_client.get(f"{BASE}draw-pairings/", {"draw": completed.pk}).json()
    assert (pairings["results"] if isinstance(pairings, dict) else pairings) == []
    assert api_client.post(f"{BASE}draws/{prepared.pk}/freeze/", {}, format="json").status_code == 404
    assert api_client.post(f"{BASE}draws/{prepared.pk}/rules/", {"min_ratio": 10000}, format="json").status_code == 404
    assert api_client.post(f"{BASE}draw-plans/{world.plan.pk}/draws/", {
        "number": "青石抽〔2026〕1号", "title": "越权", "entries": [world.entry.pk],
        "draw_date": clock.today().isoformat()}, format="json").status_code in (400, 404)
    assert Draw.objects.get(pk=prepared.pk).status == Draw.PREPARED and Draw.objects.count() == 2
    api_client.logout()
    assert api_client.get(f"/public/open-data/draws/{prepared.pk}.json").status_code == 404
    assert api_client.get(f"/public/open-data/draws/{completed.pk}.json").status_code == 200
