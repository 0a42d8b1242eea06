"""Form widgets rendered in Python where Django's templates cost too much.

A filter form's ``<select>`` of every agency and unit in a city supervisor's reach has
hundreds of options. Django renders each through two template includes (about 80 % of the
case list page's time at 240 agencies, issue #14), and even its ``optgroups`` builds a
dictionary per option. ``FastSelect`` writes the same markup as
``django/forms/widgets/select.html`` straight from the choices.
"""

import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import SafeData, mark_safe


def _escape(value) -> str:
    """Django's ``conditional_escape`` without its lazy-string wrapper (one call per option)."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """`` name="value"`` pairs as Django's ``attrs.html`` writes them (True: bare, False: left out)."""
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        parts.append(f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"')
    return "".join(parts)


class FastSelect(forms.Select):
    """A ``Select`` whose options are written in Python: the HTML of Django's template (but for its
    blank lines), the same choice selected — the first whose value matches, as ``optgroups`` does."""

    def render(self, name, value, attrs=None, renderer=None):
        return self.render_choices(name, value, self.choices, attrs)

    def render_choices(self, name, value, choices, attrs=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        wanted = set(self.format_value(value))
        has_selected = False
        out = [f'<select name="{_escape(name)}"', _attrs(final_attrs), ">"]
        for option_value, option_label in choices:
            if isinstance(option_label, list | tuple):
                group, options = option_value, option_label
            else:
                group, options = None, [("" if option_value is None else option_value, option_label)]
            if group:
                out.append(f'\n  <optgroup label="{_escape(group)}">')
            for subvalue, sublabel in options:
                selected = (not has_selected or self.allow_multiple_selected) and str(subvalue) in wanted
                has_selected |= selected
                out.append(f'\n  <option value="{_escape(subvalue)}"{" selected" if selected else ""}>'
                           f"{_escape(sublabel)}</option>")
            if group:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308  (every value above is escaped)


class SearchSelect(FastSelect):
    """A model choice ``<select>`` over a table that grows with the data (parties, cases): it
    writes the ``limit`` first rows of the field's queryset (in ``order_by``) and the chosen one,
    never every row in the user's reach, and names the scoped API list (``search_url``, with
    ``search_params``) that ``zhifa/search-select.js`` queries with ``?q=`` as the person types,
    replacing the options with the matches. The field still accepts any row of its queryset, so
    validation is what it was; only what is written into the page is bounded.

    ``label_fields``: the keys of an API row shown as its label, joined as "first（rest…）".
    ``all_up_to``: write every row while there are at most this many (a county's officers), and
    only the first ``limit`` beyond.
    """

    limit = 30

    def __init__(self, attrs=None, choices=(), *, search_url, label_fields=("name",), search_params="",
                 order_by=("-id",), all_up_to=0):
        super().__init__(attrs, choices)
        self.search_url, self.label_fields = search_url, tuple(label_fields)
        self.search_params, self.order_by, self.all_up_to = search_params, tuple(order_by), all_up_to

    def render(self, name, value, attrs=None, renderer=None):
        iterator = self.choices
        if not isinstance(iterator, ModelChoiceIterator):
            return self.render_choices(name, value, iterator, self._search_attrs(attrs))
        field, queryset = iterator.field, iterator.queryset
        ordered = queryset.order_by(*self.order_by)
        rows = list(ordered[:max(self.all_up_to, self.limit) + 1])
        every_row = len(rows) <= self.all_up_to
        if not every_row:
            rows = rows[:self.limit]
        shown = {str(row.pk) for row in rows}
        wanted = [v for v in self.format_value(value) if v and str(v).isdigit() and str(v) not in shown]
        if wanted:
            rows = list(queryset.filter(pk__in=wanted)) + rows
        choices = [("", field.empty_label)] if field.empty_label is not None else []
        choices += [(field.prepare_value(row), field.label_from_instance(row)) for row in rows]
        # every row written: a plain select, no search box
        return self.render_choices(name, value, choices, attrs if every_row else self._search_attrs(attrs))

    def _search_attrs(self, attrs):
        attrs = {**(attrs or {}), "data-search-url": str(self.search_url),
                 "data-search-label": ",".join(self.label_fields)}
        if self.search_params:
            attrs["data-search-params"] = self.search_params
        return attrs
