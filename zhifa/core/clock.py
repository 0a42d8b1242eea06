"""The current date and time, in one place, so that date-driven rules (deadlines, surcharges)
can be exercised on fixed dates: tests patch ``today``/``now``; the demo data set replays a
case's history on its own dates with ``at(moment)``."""

import contextlib
import datetime
from contextvars import ContextVar

from django.utils import timezone

_override: ContextVar = ContextVar("zhifa_clock_override", default=None)


def today():
    """Today's date in the configured time zone (Asia/Shanghai)."""
    moment = _override.get()
    return timezone.localdate(moment) if moment is not None else timezone.localdate()


def now():
    """The current aware datetime."""
    moment = _override.get()
    return moment if moment is not None else timezone.now()


@contextlib.contextmanager
def at(moment: datetime.datetime):
    """Run the block as if it were ``moment`` (an aware datetime): for replaying history."""
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)


def on_day(day: datetime.date, hour: int = 10):
    """``at`` the given local day and hour (the demo replays histories day by day)."""
    return at(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0))))
