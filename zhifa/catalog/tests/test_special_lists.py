"""The four lists and the 免罚轻罚 list (ORG-3): validation and suggestions from facts."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from zhifa.catalog import choices, services
from zhifa.catalog.models import SpecialListEntry

D = datetime.date
pytestmark = pytest.mark.django_db


def _entry(item, kind, conditions, **extra):
    entry = SpecialListEntry(list_kind=kind, item=item, circumstances="情形", conditions=list(conditions),
                             legal_basis="《中华人民共和国行政处罚法》第三十三条第一款", valid_from=D(2023, 1, 1), **extra)
    entry.full_clean()
    entry.save()
    return entry


def test_suggestions_match_when_all_conditions_are_facts(catalog):
    """An entry is suggested when every one of its conditions is among the case's facts."""
    item = catalog.item_a
    first = _entry(item, choices.EXEMPT_OR_LIGHT_LIST, ["首次违法", "危害后果轻微", "及时改正"])
    lighter = _entry(item, choices.LIGHTER_LIST, ["主动消除或者减轻违法行为危害后果"])
    expired = _entry(item, choices.NO_PENALTY_LIST, ["及时改正"], valid_to=D(2023, 12, 31))
    on = D(2024, 5, 1)
    assert services.suggest_special_lists(item, {"首次违法", "危害后果轻微"}, on) == []
    assert services.suggest_special_lists(item, {"首次违法", "危害后果轻微", "及时改正", "其他"}, on) == [first]
    facts = {"首次违法", "危害后果轻微", "及时改正", "主动消除或者减轻违法行为危害后果"}
    assert services.suggest_special_lists(item, facts, on) == [lighter, first]
    assert expired in services.suggest_special_lists(item, {"及时改正"}, D(2023, 6, 1))
    assert services.suggest_special_lists(item, facts, D(2022, 1, 1)) == []
    assert services.suggest_special_lists(catalog.item_b, facts, on) == []


def test_entry_validation(catalog):
    """Conditions come from the vocabulary; no-coercion entries belong to coercion items."""
    with pytest.raises(ValidationError) as exc:
        _entry(catalog.item_a, choices.NO_PENALTY_LIST, [])
    assert "conditions" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _entry(catalog.item_a, choices.NO_PENALTY_LIST, ["运气好"])
    with pytest.raises(ValidationError) as exc:
        _entry(catalog.item_a, choices.NO_COERCION_LIST, ["违法行为轻微"])
    assert "list_kind" in exc.value.message_dict
