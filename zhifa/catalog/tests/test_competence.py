"""Competence (ORG-2): owner or valid delegation (赋权), item in force."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from zhifa.catalog import choices, services
from zhifa.catalog.models import Delegation, Item

D = datetime.date
pytestmark = pytest.mark.django_db


def test_owner_is_competent_while_item_in_force(catalog, tree):
    """The owning agency may act from the first version's start; others may not."""
    item = catalog.item_a
    assert item.is_competent(tree.market, D(2020, 1, 1))
    assert item.is_competent(tree.market.pk, D(2020, 1, 1))
    assert not item.is_competent(tree.market, D(2018, 1, 1))
    assert not item.is_competent(tree.comprehensive, D(2020, 1, 1))
    assert not item.is_competent(None, D(2020, 1, 1))


def test_delegation_dates_decide_township_competence(catalog, tree):
    """A township office is competent only within its delegation's period."""
    item = catalog.item_comp
    assert not item.is_competent(tree.township_office, D(2021, 12, 31))
    assert item.is_competent(tree.township_office, D(2022, 1, 1))
    assert item.is_competent(tree.township_office, D(2030, 12, 31))
    assert not item.is_competent(tree.township_office, D(2031, 1, 1))
    assert item.is_competent(tree.comprehensive, D(2031, 1, 1))


def test_suspended_or_cancelled_item_makes_nobody_competent(catalog, tree, users):
    """From the date of suspension or cancellation nobody may exercise the item."""
    item = catalog.item_comp
    services.revise_item(item, {"status": choices.CANCELLED, "status_since": D(2024, 7, 1)}, users.admin_a,
                         D(2024, 7, 1), "事项取消")
    item = Item.objects.get(pk=item.pk)
    assert item.is_competent(tree.comprehensive, D(2024, 6, 30))
    assert item.is_competent(tree.township_office, D(2024, 6, 30))
    assert not item.is_competent(tree.comprehensive, D(2024, 7, 1))
    assert not item.is_competent(tree.township_office, D(2025, 1, 1))


def test_delegation_only_to_townships_of_the_owner_region(catalog, tree):
    """Delegations go to township offices within the owner's region, without overlaps."""
    bad_level = Delegation(item=catalog.item_comp, agency=tree.market, start_date=D(2022, 1, 1), document_number="x")
    with pytest.raises(ValidationError, match="乡镇"):
        bad_level.full_clean()
    other_county = Delegation(item=catalog.item_b, agency=tree.township_office, start_date=D(2022, 1, 1),
                              document_number="x")
    with pytest.raises(ValidationError, match="行政区域"):
        other_county.full_clean()
    overlap = Delegation(item=catalog.item_comp, agency=tree.township_office, start_date=D(2025, 1, 1),
                         document_number="x")
    with pytest.raises(ValidationError, match="已有"):
        overlap.full_clean()
    later = Delegation(item=catalog.item_comp, agency=tree.township_office, start_date=D(2031, 1, 1),
                       document_number="云政发〔2030〕1号")
    later.full_clean()
    backwards = Delegation(item=catalog.item_a, agency=tree.township_office, start_date=D(2025, 1, 1),
                           end_date=D(2024, 1, 1), document_number="x")
    with pytest.raises(ValidationError, match="早于"):
        backwards.full_clean()
