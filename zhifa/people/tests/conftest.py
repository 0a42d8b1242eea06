"""Fixtures of the people tests: a small roster on the standard tree, and a fake catalog item."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from zhifa.core.testing import fields as standard_fields
from zhifa.core.validators import id_number_check_char
from zhifa.people import services
from zhifa.people.models import Officer

# Real-format test vector (legal-rules.md §8): Beijing 东城区, born 1949-12-31, female.
REAL_ID = "11010519491231002X"


def make_id_number(region: str = "619921", birth: str = "19850312", seq: int = 123) -> str:
    """A valid identity number (odd ``seq`` = male)."""
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + id_number_check_char(first17)


class FakeItem:
    """Stands in for a catalog item: ``field_id`` and ``is_competent(agency, on)``.

    Competent for the agencies given, optionally only from ``since`` on.
    """

    def __init__(self, field, agencies, since=None):
        self.field_id = field.pk
        self.agency_ids = {a.pk for a in agencies}
        self.since = since

    def is_competent(self, agency, on):
        return agency.pk in self.agency_ids and (self.since is None or on >= self.since)


@pytest.fixture
def fields(db):
    return standard_fields()


@pytest.fixture
def today():
    return timezone.localdate()


def issue(officer, field_list, number, *, issued=None, expires=None, reviewed=True):
    """Issue a certificate valid today (reviewed this year unless ``reviewed`` is False)."""
    today = timezone.localdate()
    issued = issued or today - datetime.timedelta(days=800)
    review = max(issued, datetime.date(today.year, 1, 1)) if reviewed and issued < today else None
    return services.issue_certificate(
        officer, number=number, fields=field_list, issuing_authority="云岭县人民政府", issued_on=issued,
        expires_on=expires or issued + datetime.timedelta(days=6 * 365), last_review_on=review,
    )


@pytest.fixture
def roster(tree, fields):
    """Officers of both counties with certificates; an auxiliary; a township officer; and a
    county officer dispatched (派驻) to the township team."""
    r = SimpleNamespace()
    r.market_officer = Officer.objects.create(
        name="李明远", id_number=make_id_number(seq=131), kind="officer", home_agency=tree.market,
        unit=tree.market_unit, post="执法队员",
    )
    r.market_cert = issue(r.market_officer, [fields["SCJG"]], "61992120000001")
    r.auxiliary = Officer.objects.create(
        name="赵晓东", id_number=make_id_number(seq=133), kind="auxiliary", home_agency=tree.market,
    )
    r.other_officer = Officer.objects.create(
        name="冯丽", id_number=make_id_number(region="619922", seq=122), kind="officer", home_agency=tree.other_market,
        unit=tree.other_unit,
    )
    r.other_cert = issue(r.other_officer, [fields["SCJG"]], "61992220000001")
    r.township_officer = Officer.objects.create(
        name="陈建国", id_number=make_id_number(seq=135), kind="officer", home_agency=tree.township_office,
        unit=tree.township_team,
    )
    r.township_cert = issue(r.township_officer, [fields["CSGL"]], "61992120000002")
    r.dispatched = Officer.objects.create(
        name="钱志强", id_number=make_id_number(seq=137), kind="officer", home_agency=tree.comprehensive,
        dispatched_to=tree.township_team, dispatched_from=timezone.localdate() - datetime.timedelta(days=100),
    )
    r.dispatched_cert = issue(r.dispatched, [fields["CSGL"], fields["ZRZY"]], "61992120000003")
    return r
