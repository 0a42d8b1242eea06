"""生成检查任务: a completed draw's pairings become inspections, once, joint where the draw was joint."""

import pytest
from django.core.exceptions import ValidationError

from zhifa.core import clock
from zhifa.inspections.draw_tasks import create_inspections_from_draw, reference_for
from zhifa.inspections.models import DrawPairing, Inspection

from .conftest import run

pytestmark = pytest.mark.django_db


def test_a_joint_draw_becomes_one_joint_inspection_per_target_and_only_once(world, make_draw):
    draw = make_draw(entries=[world.entry, world.city_entry])
    with pytest.raises(ValidationError, match="开奖后"):
        create_inspections_from_draw(draw, world.users.head_a, planned_on=clock.today())
    draw = run(draw, world.users.head_a)
    targets = set(DrawPairing.objects.filter(draw=draw).values_list("party_id", flat=True))
    result = create_inspections_from_draw(draw, world.users.head_a, planned_on=clock.today())
    assert result.skipped == [] and len(result.created) == len(targets)
    inspection = Inspection.objects.get(origin_reference=reference_for(draw, result.created[0].party_id))
    assert inspection.origin_kind == "draw" and inspection.agency_id == world.tree.market.pk
    agencies = set(inspection.lines.values_list("agency_id", flat=True))
    assert agencies == {world.tree.market.pk, world.tree.comprehensive.pk}  # one visit, one checklist (一表通查)
    again = create_inspections_from_draw(draw, world.users.head_a, planned_on=clock.today())
    assert again.created == [] and again.existing == len(targets)
    assert Inspection.objects.filter(origin_kind="draw").count() == len(targets)


def test_only_the_organiser_may_generate_and_pages_and_api_do_it(world, make_draw, client, api_client):
    draw = run(make_draw(), world.users.head_a)
    api_client.force_authenticate(world.head_other)
    assert api_client.post(f"/api/inspections/draws/{draw.pk}/tasks/", {"planned_on": "2026-12-01"},
                           format="json").status_code == 404
    api_client.force_authenticate(world.users.head_a)
    response = api_client.post(f"/api/inspections/draws/{draw.pk}/tasks/", {"planned_on": "2026-12-01"}, format="json")
    assert response.status_code == 200 and response.json()["created"]
    client.force_login(world.users.head_a)
    page = client.post(f"/inspections/draws/{draw.pk}/tasks/", {"planned_on": "2026-12-01"}, follow=True)
    assert "此前已生成" in page.content.decode()
