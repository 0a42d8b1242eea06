"""Form widgets rendered in Python where Django's templates cost too much.

A filter form's ``<select>`` of every agency and unit in a city supervisor's reach has
hundreds of options. Django renders each through two template includes (about 80 % of the
case list page's time at 240 agencies, issue #14), and even its ``optgroups`` builds a
dictionary per option. ``FastSelect`` writes the same markup as
``django/forms/widgets/select.html`` straight from the choices.
"""

import html

from django import forms
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
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        wanted = set(self.format_value(value))
        has_selected = False
        out = [f'<select name="{_escape(name)}"', _attrs(final_attrs), ">"]
        for option_value, option_label in self.choices:
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
