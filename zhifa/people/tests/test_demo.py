"""Demo roster and synthetic generator run against a freshly built demo organisation tree."""

import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from zhifa.core import demo as core_demo
from zhifa.core.audit import acting_as
from zhifa.core.testing import fields
from zhifa.core.validators import validate_id_number
from zhifa.orgs.models import Agency
from zhifa.people import demo, services, synthetic
from zhifa.people.models import Certificate, Officer, TrainingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(db):
    ctx = SimpleNamespace(rng=random.Random(7), today=timezone.localdate(), regions={}, agencies={}, units={},
                          fields=fields(), officers=[], items=[], users={})
    with acting_as(None):
        core_demo.build_orgs(ctx)
        core_demo.build_users(ctx)
    return ctx


def test_demo_roster(ctx):
    """60+ officers incl. ~15 auxiliaries, varied certificate states, reviewers and training outcomes."""
    with acting_as(None):
        demo.load(ctx)
    people = Officer.objects.all()
    assert len(ctx.officers) == people.count() >= 75
    assert 60 <= people.filter(kind="officer").count()
    assert 13 <= people.filter(kind="auxiliary").count() <= 17
    for officer in people:
        validate_id_number(officer.id_number)
    statuses = {s: Certificate.objects.filter(status=s).count() for s in ("valid", "suspended", "revoked", "cancelled")}
    assert statuses["suspended"] >= 2 and statuses["revoked"] == 1 and statuses["cancelled"] >= 1
    assert Certificate.objects.expired_on(ctx.today).count() == 3
    assert people.filter(is_legal_reviewer=True).exclude(legal_qualification="").exists()
    assert people.filter(reviewer_kind="legal_adviser").exists()
    assert people.filter(dispatched_to__isnull=False).count() == 3
    assert Officer.objects.get(user=ctx.users["market_officer"]).certificates.usable_on(ctx.today).exists()
    report = services.training_compliance(Agency.objects.all(), ctx.today.year - 1)
    assert report.shortfalls and report.compliant_count > len(report.shortfalls)
    # the people demo alone registers no body cameras (the inspections demo does): leave the device rule out
    staffing = [[p for p in t.problems if "执法记录仪" not in p] for t in report.townships]
    assert any(staffing) and not all(staffing)
    assert any(not r.compliant for r in report.reviewers) and any(r.compliant for r in report.reviewers)
    assert TrainingRecord.objects.count() > 200


def test_synthetic_generate(ctx):
    """generate() bulk-creates valid, unique people (twice without collisions) and reports the rows."""
    created = synthetic.generate(ctx, 120)
    assert Officer.objects.count() == 120
    assert created == 120 + 108 * 3 + 120 * 3  # people; certificates, field links, events; trainings
    ctx.agencies = list(ctx.agencies.values())  # the generate_synthetic command passes a list
    synthetic.generate(ctx, 30)
    assert Officer.objects.count() == 150
    for number in Officer.objects.values_list("id_number", flat=True)[:50]:
        validate_id_number(number)
    assert Certificate.objects.usable_on(ctx.today).count() == 135
