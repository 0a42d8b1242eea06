"""``may_act``: the one answer to "may this person act on this item on this date?" (ORG-4)."""

import dataclasses
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from zhifa.accounts import roles
from zhifa.core.testing import make_user
from zhifa.people import services
from zhifa.people.services import Authority, may_act

from .conftest import FakeItem, issue

pytestmark = pytest.mark.django_db


def test_certified_officer_may_act_on_covered_competent_item(roster, tree, fields):
    """An active officer with a valid certificate covering the item's field, in a competent agency, may act."""
    result = may_act(roster.market_officer, FakeItem(fields["SCJG"], [tree.market]))
    assert result == Authority(True, [])
    assert result


def test_authority_is_a_frozen_dataclass():
    """Authority is immutable: later capabilities read it and never patch it."""
    result = Authority(False, ["执法辅助人员不能独立执法"])
    assert not result
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.allowed = True


def test_field_not_covered_is_refused(roster, tree, fields):
    """A certificate for 市场监管 does not cover an item of 城市管理."""
    result = may_act(roster.market_officer, FakeItem(fields["CSGL"], [tree.market]))
    assert not result.allowed
    assert result.reasons == ["执法证执法领域不包括该事项"]


def test_item_outside_agency_competence_is_refused(roster, tree, fields):
    """An item of another county's agency is not within the officer's competence."""
    result = may_act(roster.market_officer, FakeItem(fields["SCJG"], [tree.other_market]))
    assert not result.allowed
    assert result.reasons == ["该事项不在本人所属执法主体（或派驻执法主体）的职权范围内"]


def test_competence_is_judged_on_the_date(roster, tree, fields, today):
    """An item delegated to the agency only from tomorrow cannot be acted on today."""
    item = FakeItem(fields["SCJG"], [tree.market], since=today + datetime.timedelta(days=1))
    assert not may_act(roster.market_officer, item, on=today).allowed
    assert may_act(roster.market_officer, item, on=today + datetime.timedelta(days=1)).allowed


def test_dispatched_officer_may_act_for_the_township(roster, tree, fields, today):
    """An officer of the county bureau dispatched (派驻) to the township team may act on the
    township's items while the dispatch runs, though the home agency is not competent."""
    item = FakeItem(fields["CSGL"], [tree.township_office])
    assert may_act(roster.dispatched, item, on=today).allowed
    before = roster.dispatched.dispatched_from - datetime.timedelta(days=1)
    refused = may_act(roster.dispatched, item, on=before)
    assert refused.reasons == ["该事项不在本人所属执法主体（或派驻执法主体）的职权范围内"]


def test_dispatch_ends_on_its_until_date(roster, tree, fields, today):
    """After the dispatch ends the officer no longer acts for the township."""
    officer = roster.dispatched
    officer.dispatched_until = today - datetime.timedelta(days=1)
    officer.save()
    item = FakeItem(fields["CSGL"], [tree.township_office])
    assert not may_act(officer, item, on=today).allowed
    assert may_act(officer, item, on=today - datetime.timedelta(days=1)).allowed


def test_township_officer_acts_for_own_township(roster, tree, fields):
    """A township office officer acts on the township's items; not on the county bureau's."""
    assert may_act(roster.township_officer, FakeItem(fields["CSGL"], [tree.township_office])).allowed
    assert not may_act(roster.township_officer, FakeItem(fields["CSGL"], [tree.comprehensive])).allowed


def test_auxiliary_is_refused(roster, tree, fields):
    """执法辅助人员 never act alone, whatever the item."""
    result = may_act(roster.auxiliary, FakeItem(fields["SCJG"], [tree.market]))
    assert not result.allowed
    assert result.reasons == ["执法辅助人员不能独立执法"]


def test_suspended_certificate_cannot_act(roster, tree, fields):
    """A suspended certificate does not authorise any action."""
    services.suspend(roster.market_cert, None, "调查期间暂扣")
    result = may_act(roster.market_officer, FakeItem(fields["SCJG"], [tree.market]))
    assert result.reasons == ["执法证已暂扣"]


def test_revoked_certificate_cannot_act(roster, tree, fields):
    """A revoked certificate does not authorise any action."""
    services.revoke(roster.market_cert, None, "开除")
    assert may_act(roster.market_officer, FakeItem(fields["SCJG"], [tree.market])).reasons == ["执法证已收回"]


def test_expired_certificate_cannot_act_though_status_is_valid(tree, fields, today):
    """Expiry is derived from the term: an expired certificate still registered valid is not valid."""
    from zhifa.people.models import Officer

    from .conftest import make_id_number

    officer = Officer.objects.create(name="周敏", id_number=make_id_number(seq=222), home_agency=tree.market)
    cert = issue(officer, [fields["SCJG"]], "EXP-1", issued=today - datetime.timedelta(days=2000),
                 expires=today - datetime.timedelta(days=1))
    assert cert.status == "valid"
    result = may_act(officer, FakeItem(fields["SCJG"], [tree.market]), on=today)
    assert result.reasons == ["执法证已过期"]
    # The same certificate authorised action on its last day.
    assert may_act(officer, FakeItem(fields["SCJG"], [tree.market]), on=cert.expires_on).allowed


def test_officer_without_certificate_is_refused(tree, fields):
    """An officer without a certificate may not act."""
    from zhifa.people.models import Officer

    from .conftest import make_id_number

    officer = Officer.objects.create(name="吴磊", id_number=make_id_number(seq=224), home_agency=tree.market)
    result = may_act(officer, FakeItem(fields["SCJG"], [tree.market]))
    assert result.reasons == ["未持有行政执法证"]


def test_inactive_officer_is_refused(roster, tree, fields):
    """Someone no longer on duty (不在岗) may not act even with a valid certificate."""
    roster.market_officer.is_active = False
    roster.market_officer.save()
    result = may_act(roster.market_officer, FakeItem(fields["SCJG"], [tree.market]))
    assert result.reasons == ["该人员已不在岗"]


def test_one_valid_certificate_is_enough(roster, tree, fields):
    """With a suspended and a valid certificate covering the field, the valid one authorises."""
    services.suspend(roster.market_cert, None, "暂扣")
    issue(roster.market_officer, [fields["SCJG"]], "61992120009999")
    assert may_act(roster.market_officer, FakeItem(fields["SCJG"], [tree.market])).allowed


def test_may_act_accepts_a_linked_user(roster, tree, fields):
    """A user linked to a roster entry is answered for that entry; an unlinked user is refused."""
    user = make_user("linked", roles.OFFICER, agency=tree.market)
    roster.market_officer.user = user
    roster.market_officer.save()
    item = FakeItem(fields["SCJG"], [tree.market])
    assert may_act(user, item).allowed
    stranger = make_user("stranger", roles.OFFICER, agency=tree.market)
    assert may_act(stranger, item).reasons == ["未登记为执法人员"]
    assert may_act(None, item).reasons == ["未登记为执法人员"]
    assert may_act(AnonymousUser(), item).reasons == ["未登记为执法人员"]


def test_default_date_is_today(roster, tree, fields):
    """Without ``on`` the answer is for today."""
    item = FakeItem(fields["SCJG"], [tree.market], since=timezone.localdate())
    assert may_act(roster.market_officer, item).allowed


def test_may_act_query_count_is_small(roster, tree, fields, django_assert_max_num_queries):
    """may_act costs a couple of queries (certificates with their fields), independent of history."""
    item = FakeItem(fields["SCJG"], [tree.market])
    officer = type(roster.market_officer).objects.select_related("home_agency", "dispatched_to__agency").get(
        pk=roster.market_officer.pk
    )
    with django_assert_max_num_queries(2):
        assert may_act(officer, item).allowed
