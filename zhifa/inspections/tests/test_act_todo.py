"""The desk (待办) shows an inspection to its team and, while it awaits approval, to the agency head;
never to another county."""

import pytest

from zhifa.workspace.todos import todos_for

pytestmark = pytest.mark.django_db


def _inspection_keys(user):
    return [item.key for item in todos_for(user).items if item.kind == "inspection"]


def test_the_team_and_the_head_see_the_inspection_on_their_desk(world, inspect, users):
    inspection = inspect()
    assert _inspection_keys(world.officer_user) == [f"inspection:{inspection.pk}:requested"]
    assert _inspection_keys(world.head) == [f"inspection:{inspection.pk}:requested"]
    assert _inspection_keys(users.officer_b) == []
    assert _inspection_keys(world.city_user) == []  # not on the team
