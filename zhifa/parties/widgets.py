"""The party picker of forms outside case registration (which has its own, ``PartyPickerMixin``)."""

from django.urls import reverse_lazy

from zhifa.core.widgets import SearchSelect


def party_select() -> SearchSelect:
    """A party ``<select>`` that writes the 30 parties entered last and the chosen one, and finds
    any other party in reach through the party API as the person types (name, credit code or
    identity number)."""
    return SearchSelect(search_url=reverse_lazy("party-list"), label_fields=("name", "credit_code", "id_number"),
                        order_by=("-created_at", "-id"))
