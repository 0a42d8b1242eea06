"""Workbench cards and alerts: each app contributes through ``register_card`` / ``register_alerts``."""

_CARDS = []  # (label, url name, callable(user) -> QuerySet or int, area)
CARD_COUNT_CAP = 10_000  # a card counts at most this many rows and then says "10,000+"
_ALERTS = []  # callable(user) -> list[{"text", "url"}]


def register_card(label, url_name, count, area):
    """Add a counter to the workbench for users who may view ``area``. ``count(user)`` returns the
    rows to count (a queryset: counted up to ``CARD_COUNT_CAP`` — a province supervisor's parties
    are millions, and the desk opens on every sign-in) or a number."""
    _CARDS.append((label, url_name, count, area))


def register_alerts(provider):
    """Add a source of alerts (a callable taking the user, returning dicts with text and url)."""
    _ALERTS.append(provider)
    return provider


def cards_for(user):
    from django.urls import reverse

    from .pagination import capped_count

    cards = []
    for label, url_name, count, area in _CARDS:
        if not user.has_capability(area, "view"):
            continue
        rows = count(user)
        number, more = capped_count(rows, CARD_COUNT_CAP) if hasattr(rows, "query") else (rows, False)
        cards.append({"label": label, "url": reverse(url_name), "count": number, "more": more})
    return cards


def alerts_for(user):
    alerts = []
    for provider in _ALERTS:
        alerts.extend(provider(user))
    return alerts
