"""Form widgets rendered in Python where Django's templates cost too much.

A filter form's ``<select>`` of every agency and unit in a city supervisor's reach has
hundreds of options; Django renders each through two template includes (about 80 % of the
case list page's time at 240 agencies, issue #14). ``FastSelect`` writes the same markup as
``django/forms/widgets/select.html`` directly.
"""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """`` name="value"`` pairs as Django's ``attrs.html`` writes them (True: bare, False: left out)."""
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        parts.append(f" {conditional_escape(name)}" if value is True
                     else f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class FastSelect(forms.Select):
    """A ``Select`` whose options are written in Python (same HTML as Django's template)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        out = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                out.append(format_html('\n  <option value="{}"', str(option["value"])))
                out.append(_attrs(option["attrs"]))
                out.append(format_html(">{}</option>", option["label"]))
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308  (every value above is escaped)
