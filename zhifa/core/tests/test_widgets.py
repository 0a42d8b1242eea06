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


def test_search_select_writes_a_bounded_list_and_every_row_of_a_small_table(db, tree, users):
    """``SearchSelect``: past ``all_up_to`` rows it writes the first ``limit`` (in its order) and
    the chosen one, with the search attributes; up to ``all_up_to`` it writes every row as a plain
    select; the field still accepts any row of its queryset."""
    from zhifa.core.widgets import SearchSelect
    from zhifa.people.models import Officer
    from zhifa.people.widgets import officer_select

    for n in range(6):
        Officer.objects.create(name=f"队员{n}", id_number=f"1101051949123100{n}X"[:18], home_agency=tree.market)

    class Pick(forms.Form):
        officer = forms.ModelChoiceField(queryset=Officer.objects.order_by("pk"), widget=officer_select())

    def options(html):
        return re.findall(r'<option value="(\d*)"', html)

    plain = str(Pick()["officer"])
    assert len(options(plain)) == 7 and "data-search-url" not in plain  # a blank and all six

    last = Officer.objects.order_by("-name").first()
    widget = SearchSelect(search_url="/api/people/officers/", label_fields=("name", "home_agency_name"),
                          order_by=("name", "id"), all_up_to=3)
    widget.limit = 2

    class Bounded(forms.Form):
        officer = forms.ModelChoiceField(queryset=Officer.objects.all(), widget=widget)

    form = Bounded(initial={"officer": last.pk})
    html = str(form["officer"])
    first_two = [str(pk) for pk in Officer.objects.order_by("name", "id").values_list("pk", flat=True)[:2]]
    assert options(html) == ["", str(last.pk), *first_two]
    assert 'data-search-url="/api/people/officers/"' in html and 'data-search-label="name,home_agency_name"' in html
    assert f'<option value="{last.pk}" selected>' in html
    assert Bounded({"officer": last.pk}).is_valid()
