"""The desk (待办) shows a complaint to its handlers with its current deadline; nobody else sees it."""

import pytest

from zhifa.workspace.todos import todos_for

from .conftest import accept

pytestmark = pytest.mark.django_db


def _complaint_items(user):
    return [item for item in todos_for(user).items if item.kind == "complaint"]


def test_a_handler_sees_the_complaint_with_its_deadline(cw, complaint):
    complaint = accept(complaint, cw.market_officer)
    items = _complaint_items(cw.market_officer)
    assert [i.key for i in items] == [f"complaint:{complaint.pk}:{complaint.status}"]
    assert items[0].deadline == complaint.next_due and "张秘密" not in items[0].title
    assert _complaint_items(cw.market_officer2) == []  # not a handler
    assert _complaint_items(cw.users.officer_b) == []  # another county
