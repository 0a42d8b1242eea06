"""Staff and public pages of the draws part: the whole lifecycle through the web forms, another
county's user sees and changes nothing, lists stay flat, the portal shows only what is published."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.core import clock
from zhifa.inspections.draws import services
from zhifa.inspections.models import Draw, InspectionListEntry

from .conftest import run

pytestmark = pytest.mark.django_db


def test_draw_lifecycle_through_the_web_pages(world, client):
    """Create a draw under the plan, freeze, enter a witness, complete: the pairings are listed."""
    client.force_login(world.users.head_a)
    response = client.post(reverse("inspections:draws_plan_draw", args=[world.plan.pk]), {
        "number": "云市监抽〔2026〕88号", "title": "网页抽取", "entries": [world.entry.pk, world.city_entry.pk],
        "draw_date": clock.today().isoformat(), "inspectors_per_target": 2,
    })
    draw = Draw.objects.get(number="云市监抽〔2026〕88号")
    assert response.status_code == 302 and response.url == draw.get_absolute_url()
    assert client.post(reverse("inspections:draws_draw_complete", args=[draw.pk])).status_code == 200  # refused
    client.post(reverse("inspections:draws_draw_freeze", args=[draw.pk]))
    client.post(reverse("inspections:draws_draw_witness", args=[draw.pk]), {"name": "企业代表", "value": "31415"})
    response = client.post(reverse("inspections:draws_draw_complete", args=[draw.pk]))
    assert response.status_code == 302
    draw.refresh_from_db()
    assert draw.status == Draw.COMPLETED
    page = client.get(draw.get_absolute_url()).content.decode()
    assert draw.result_sha256 in page and "抽取结果" in page and "31415" in page


def test_refusals_are_shown_in_chinese(world, client):
    """A draw before the freeze cannot be completed; the form says why."""
    client.force_login(world.users.head_a)
    draw = services.create_draw(world.plan, world.users.head_a, number="X1", title="t", entries=[world.entry],
                                draw_date=clock.today())
    response = client.post(reverse("inspections:draws_draw_complete", args=[draw.pk]))
    assert "只有已冻结公布的抽取可以开奖" in response.content.decode()


def test_other_county_cannot_see_or_change(world, make_draw, client, api_client):
    """青石县's head sees no 云岭县 entry, plan or draw, and cannot act on them (404)."""
    draw = make_draw()
    client.force_login(world.head_other)
    for name, pk in (("draws_entry_detail", world.entry.pk), ("draws_plan_detail", world.plan.pk),
                     ("draws_draw_detail", draw.pk)):
        assert client.get(reverse(f"inspections:{name}", args=[pk])).status_code == 404
    assert client.post(reverse("inspections:draws_draw_freeze", args=[draw.pk])).status_code == 404
    assert client.post(reverse("inspections:draws_entry_withdraw", args=[world.entry.pk])).status_code == 404
    listing = client.get(reverse("inspections:draws_entry_list")).content.decode()
    assert world.other_item.code in listing and "云岭县市场监督管理局" not in listing
    assert Draw.objects.get(pk=draw.pk).status == Draw.PREPARED


def test_joint_participant_sees_the_draw_but_officer_cannot_run_it(world, make_draw, client):
    """The city bureau takes part in the joint draw: its head sees it; an officer may read but not act."""
    draw = make_draw(entries=[world.entry, world.city_entry])
    client.force_login(world.head_city)
    assert client.get(draw.get_absolute_url()).status_code == 200
    client.force_login(world.users.officer_a)
    assert client.get(draw.get_absolute_url()).status_code == 200
    assert client.post(reverse("inspections:draws_draw_freeze", args=[draw.pk])).status_code == 403


def test_entry_created_through_the_form_defaults_its_basis(world, client):
    client.force_login(world.head_other)
    from zhifa.catalog import services as catalog
    from zhifa.core.testing import fields

    item = catalog.create_item(agency=world.tree.other_market, code="SCJG-JC-0002", kind="inspection",
                               field=fields()["SCJG"], valid_from=clock.today(),
                               version={"name": "特种设备检查", "law_name": "《中华人民共和国特种设备安全法》", "article": 57})
    response = client.post(reverse("inspections:draws_entry_create"), {
        "agency": world.tree.other_market.pk, "item": item.pk, "target_kind": "enterprise", "population_rule": "本县使用单位",
        "ratio": 500, "frequency": "yearly", "method": "onsite", "inspection_kind": "routine"})
    assert response.status_code == 302, response.content.decode()
    entry = InspectionListEntry.objects.get(item=item)
    assert entry.legal_basis == "《中华人民共和国特种设备安全法》第五十七条" and entry.status == "draft"


def test_lists_stay_flat(world, make_draw, client):
    """The draw page with its pairings and the staff lists take a bounded number of queries."""
    draw = run(make_draw(min_ratio=10000), world.users.head_a)
    client.force_login(world.users.head_a)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count(draw.get_absolute_url())
    run(make_draw(entries=[world.entry, world.city_entry], min_ratio=10000), world.users.head_a,
        witnesses=[("w", "2")])
    big = Draw.objects.order_by("-id").first()
    assert count(big.get_absolute_url()) <= small + 2
    for name in ("draws_entry_list", "draws_plan_list", "draws_draw_list", "draws_inspector_list",
                 "draws_conflict_list"):
        assert count(reverse(f"inspections:{name}")) <= 14, name


def test_portal_shows_only_published(world, make_draw, client):
    """Prepared draws and draft entries are not on the portal; frozen ones are, without the secret."""
    prepared = make_draw()
    frozen = services.freeze(make_draw(), world.users.head_a)
    assert client.get(f"/public/draws/{prepared.pk}/").status_code == 404
    assert client.get(f"/public/open-data/draws/{prepared.pk}.json").status_code == 404
    page = client.get(f"/public/draws/{frozen.pk}/").content.decode()
    assert frozen.commitment in page and frozen.secret not in page
    listing = client.get("/public/draws/list/").content.decode()
    assert "食品经营者监督检查" in listing
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/public/draws/").status_code == 200
    assert len(ctx.captured_queries) <= 6
