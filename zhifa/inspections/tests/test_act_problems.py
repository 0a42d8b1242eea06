"""The inspection problem models raise alerts (SUP-1, INS-3): a repeated inspection, an over-cap
inspection, an emergency inspection without approval, a visit without a scan, an overdue publication."""

import datetime

import pytest

from zhifa.inspections.acts import services
from zhifa.inspections.models import Inspection
from zhifa.supervision.models import Alert
from zhifa.supervision.problems import evaluate

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _open(code):
    return list(Alert.objects.filter(problem_model__code=code, is_open=True).values_list("object_id", flat=True))


def test_repeated_inspection_by_two_agencies_raises_alert(world, inspect):
    """The same enterprise inspected by two agencies within 30 days without a joint plan: both visits flagged;
    a joint inspection (one checklist) of the same agencies is not."""
    first = inspect()
    second = inspect(actor=world.city_user, agency=world.tree.comprehensive, items=[world.city_item],
                     officers=[world.c1, world.c2], planned_on=TODAY - datetime.timedelta(days=10))
    evaluate("INSP_REPEATED")
    assert sorted(_open("INSP_REPEATED")) == sorted([first.pk, second.pk])
    alert = Alert.objects.get(problem_model__code="INSP_REPEATED", object_id=first.pk)
    assert "云岭县综合行政执法局" in alert.summary and alert.agency == world.tree.market


def test_joint_inspection_is_not_repeated(world, inspect):
    inspect(items=[world.item, world.city_item], officers=[world.o1, world.o2, world.c1, world.c2])
    inspect(planned_on=TODAY - datetime.timedelta(days=3))  # the same agency again: the cap's business
    evaluate("INSP_REPEATED")
    assert _open("INSP_REPEATED") == []


def test_visits_further_apart_than_the_window_are_not_repeated(world, inspect):
    inspect()
    inspect(actor=world.city_user, agency=world.tree.comprehensive, items=[world.city_item],
            officers=[world.c1, world.c2], planned_on=TODAY - datetime.timedelta(days=40))
    evaluate("INSP_REPEATED")
    assert _open("INSP_REPEATED") == []


def test_over_cap_after_the_cap_was_lowered(world, inspect):
    """Inspections above a published cap (here: the cap lowered after two visits) raise an alert on the later one."""
    earlier = inspect(planned_on=TODAY - datetime.timedelta(days=20))
    later = inspect()
    services.set_cap(actor=world.head, agency=world.tree.market, year=2026, max_per_enterprise=1)
    evaluate("INSP_OVER_CAP")
    assert _open("INSP_OVER_CAP") == [later.pk]
    assert earlier.pk not in _open("INSP_OVER_CAP")


def test_emergency_without_approval_and_without_scan(world, inspect):
    """An emergency inspection is flagged until approved; entering without a scan is flagged until scanned."""
    inspection = inspect(emergency=True, emergency_reason="现场正在销售过期食品")
    evaluate("INSP_WITHOUT_APPROVAL")
    evaluate("INSP_WITHOUT_SCAN")
    assert _open("INSP_WITHOUT_APPROVAL") == [inspection.pk]
    assert _open("INSP_WITHOUT_SCAN") == [inspection.pk]
    services.perform(inspection, "confirm", actor=world.head, opinion="同意")
    services.perform(inspection, "scan", actor=world.officer_user, code=services.code_for(world.company).code)
    evaluate("INSP_WITHOUT_APPROVAL")
    evaluate("INSP_WITHOUT_SCAN")
    assert _open("INSP_WITHOUT_APPROVAL") == [] and _open("INSP_WITHOUT_SCAN") == []


def test_publication_overdue(world, on_site, fixed_today):
    inspection = on_site()
    line = inspection.lines.get()
    services.perform(inspection, "record", actor=world.officer_user, findings="未发现问题。",
                     lines={line.pk: ("compliant", "")})
    services.perform(inspection, "conclude", actor=world.officer_user)
    inspection.refresh_from_db()
    evaluate("INSP_PUBLICATION_OVERDUE", today=inspection.publication_due_on)
    assert _open("INSP_PUBLICATION_OVERDUE") == []
    evaluate("INSP_PUBLICATION_OVERDUE", today=inspection.publication_due_on + datetime.timedelta(days=1))
    assert _open("INSP_PUBLICATION_OVERDUE") == [inspection.pk]
    fixed_today(inspection.publication_due_on + datetime.timedelta(days=2))
    services.perform(inspection, "publish", actor=world.officer_user)
    evaluate("INSP_PUBLICATION_OVERDUE", today=inspection.publication_due_on + datetime.timedelta(days=2))
    assert _open("INSP_PUBLICATION_OVERDUE") == []
    assert Inspection.objects.get(pk=inspection.pk).published_on
