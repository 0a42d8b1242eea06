"""``FastSelect`` writes what Django's ``Select`` template writes (``core.widgets``)."""

import re

from django import forms

from zhifa.core.widgets import FastSelect
from zhifa.orgs.models import Agency, Unit


def without_layout(markup: str) -> str:
    """The markup without the line breaks and indentation Django's template puts between tags."""
    return re.sub(r"\s*\n\s*", "", str(markup))


def both(field: forms.Field, value, attrs=None) -> tuple[str, str]:
    """(Django's Select, FastSelect) rendering ``field``'s choices with ``value``."""
    django_select = forms.Select(choices=field.choices)
    fast = FastSelect(choices=field.choices)
    return (without_layout(django_select.render("pick", value, attrs)),
            without_layout(fast.render("pick", value, attrs)))


CHOICES = [
    ("", "---------"),
    ("a", "甲 <b>&\"'"),
    ("城区", [("c1", "一街道"), ("c2", "二街道")]),
    ("", [("g1", "unnamed group")]),
    (None, "none as empty"),
    ("c1", "the same value again"),
]


def test_plain_choices_groups_escaping_and_the_first_match_selected():
    field = forms.ChoiceField(choices=CHOICES)
    for value in ("", "a", "c1", "g1", None, "missing"):
        expected, fast = both(field, value, {"id": "id_pick", "class": "filter", "required": True})
        assert fast == expected, value
    expected, fast = both(field, "c1")
    assert fast.count(" selected") == 1 and fast == expected


def test_model_choices_with_related_labels(tree):
    agencies = forms.ModelChoiceField(queryset=Agency.objects.order_by("pk"))
    units = forms.ModelChoiceField(queryset=Unit.objects.select_related("agency").order_by("pk"), required=False)
    first_agency, first_unit = Agency.objects.order_by("pk").first(), Unit.objects.order_by("pk").first()
    for field, value in ((agencies, first_agency.pk), (agencies, str(first_agency.pk)), (agencies, None),
                         (units, first_unit.pk), (units, "")):
        expected, fast = both(field, value, {"id": "id_pick"})
        assert fast == expected and f'value="{first_agency.pk}"' in both(agencies, None)[1]


def test_boolean_choices_as_the_filters_use_them():
    from zhifa.core.filters import BOOLEAN_CHOICES

    field = forms.ChoiceField(choices=BOOLEAN_CHOICES)
    for value in ("", "true", "false", True, False):
        expected, fast = both(field, value)
        assert fast == expected, value
