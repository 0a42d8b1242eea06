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


def test_complaints_nobody_holds_yet_reach_the_heads_and_the_supervisor(cw, complaint):
    """A routed complaint not yet accepted is on the handling agency's heads' desks with its
    acknowledge limit; an unrouted one on the region's supervisor's desk — so the workspace reminder
    job warns them too; neither on another county's desks, and never with the complainant's name."""
    from zhifa.supervision.complaints import services

    items = _complaint_items(cw.market_head)
    assert [(i.key, i.detail, i.deadline) for i in items] == [
        (f"complaint:{complaint.pk}:received:intake", "待受理（确定承办人）", complaint.acknowledge_due)]
    assert "张秘密" not in items[0].title
    assert _complaint_items(cw.head_comprehensive) == []  # another agency
    assert _complaint_items(cw.head_b) == []  # another county
    unrouted, _ = services.receive(source="letter", region=cw.tree.county, subject="占道经营", content="……",
                                   complainant={"name": "王来信", "phone": "13800001111"}, actor=cw.supervisor)
    assert unrouted.agency is None
    supervisor_items = _complaint_items(cw.supervisor)
    assert [(i.key, i.detail) for i in supervisor_items] == [
        (f"complaint:{unrouted.pk}:received:intake", "待分派承办执法主体")]
    assert _complaint_items(cw.supervisor_b) == []
    accept(complaint, cw.market_officer)
    assert _complaint_items(cw.market_head) == []  # now the handler's
