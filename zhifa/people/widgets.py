"""The officer picker of forms whose reach may be a whole city's officers."""

from django.urls import reverse_lazy

from zhifa.core.widgets import SearchSelect

OFFICERS_LISTED = 300  # up to this many officers in reach the select lists them all


def officer_select() -> SearchSelect:
    """An officer ``<select>`` listing every officer in reach up to ``OFFICERS_LISTED`` (a county's),
    and beyond that the first 30 by name with a search box over the officer API."""
    return SearchSelect(search_url=reverse_lazy("officer-list"), label_fields=("name", "home_agency_name"),
                        order_by=("name", "id"), all_up_to=OFFICERS_LISTED)
