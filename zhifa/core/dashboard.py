"""Workbench cards and alerts: each app contributes through ``register_card`` / ``register_alerts``."""

_CARDS = []  # (label, url name, callable(user) -> int, area)
_ALERTS = []  # callable(user) -> list[{"text", "url"}]


def register_card(label, url_name, count, area):
    """Add a counter to the workbench for users who may view ``area``."""
    _CARDS.append((label, url_name, count, area))


def register_alerts(provider):
    """Add a source of alerts (a callable taking the user, returning dicts with text and url)."""
    _ALERTS.append(provider)
    return provider


def cards_for(user):
    from django.urls import reverse

    return [
        {"label": label, "url": reverse(url_name), "count": count(user)}
        for label, url_name, count, area in _CARDS
        if user.has_capability(area, "view")
    ]


def alerts_for(user):
    alerts = []
    for provider in _ALERTS:
        alerts.extend(provider(user))
    return alerts
