"""The current date and time, in one place, so that date-driven rules (deadlines, surcharges)
can be exercised in tests on fixed dates (``monkeypatch.setattr(clock, "today", ...)``)."""

from django.utils import timezone


def today():
    """Today's date in the configured time zone (Asia/Shanghai)."""
    return timezone.localdate()


def now():
    """The current aware datetime."""
    return timezone.now()
