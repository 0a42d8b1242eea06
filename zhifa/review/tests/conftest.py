"""The cases world plus a legal reviewer, a legal adviser and a major-decision catalog."""

import datetime
from types import SimpleNamespace

import pytest

from zhifa.accounts import roles
from zhifa.cases import services as case_services
from zhifa.cases.tests.conftest import fixed_today, open_general, world  # noqa: F401, F811
from zhifa.catalog import choices as cc
from zhifa.core.testing import make_user
from zhifa.core.validators import id_number_check_char
from zhifa.people.models import Officer
from zhifa.review import choices
from zhifa.review.models import MajorDecisionCatalog

D = datetime.date


def id_number(seq: int) -> str:
    """A valid citizen identity number of 云岭县 (GB 11643)."""
    first17 = f"61992119850101{seq:03d}"
    return first17 + id_number_check_char(first17)


def reviewer(username, agency, *, kind="in_house", qualification="A20156101234", name=None, seq=1, role=roles.LEGAL_REVIEWER):
    """A user with a linked roster entry flagged as legal reviewer."""
    user = make_user(username, role, agency=agency, display_name=name or username)
    Officer.objects.create(name=name or username, id_number=id_number(seq), home_agency=agency, user=user,
                           is_legal_reviewer=True, reviewer_kind=kind, legal_qualification=qualification)
    return user


@pytest.fixture
def rw(world):  # noqa: F811
    """Review world: reviewers and the market bureau's catalog (罚款 ≥ ¥50,000 for organisations is
    major; 责令停产停业 also needs a collective discussion)."""
    market = world.tree.market
    w = SimpleNamespace(world=world)
    w.reviewer = reviewer("reviewer_a", market, name="孙审核", seq=11)
    w.adviser = reviewer("adviser_a", market, kind="legal_adviser", name="钱顾问", seq=12)
    w.novice = reviewer("novice_a", market, qualification="", name="吴新人", seq=13)
    MajorDecisionCatalog.objects.create(agency=market, criterion=choices.FINE_THRESHOLD, description="较大数额罚款",
                                        fine_person=10000, fine_organisation=50000, order=1)
    MajorDecisionCatalog.objects.create(agency=market, criterion=choices.PENALTY_KIND, description="责令停产停业",
                                        penalty_kind=cc.SUSPEND_BUSINESS, requires_collective_discussion=True, order=2)
    return w


@pytest.fixture
def notice_case(world, open_general, fixed_today):  # noqa: F811
    """A case against the company at the notice stage, proposing a fine of ``amount`` (the
    statement period over and nothing pending), so that only the review gates can stop the decision."""
    from zhifa.cases.tests.test_procedure import _investigate

    def _make(amount=50000, kinds=(cc.FINE,)):
        fixed_today(D(2026, 11, 2))
        case = open_general()
        _investigate(world, case)
        case_services.set_discretion(case, actor=world.officer_user, level=cc.SERIOUS, penalty_kinds=list(kinds),
                                     fine_amount=amount, reasoning="违法持续时间长。",
                                     deviation_reason="经负责人批准。")
        case_services.perform_transition(case, "propose", actor=world.officer_user)
        case = case_services.perform_transition(case, "notify", actor=world.officer_user)
        case_services.waive_rights(case, actor=world.officer_user, note="当事人书面放弃。")
        case.refresh_from_db()
        return case

    return _make
