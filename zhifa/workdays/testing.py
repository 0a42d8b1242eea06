"""Test helper: make sure the seeded working-day calendar is present.

Transactional tests (``django_db(transaction=True)``, ``live_server``) end with a flush that
also empties the calendar the data migration seeded; tests of deadlines that may run after
them call ``ensure_calendar()`` (or use the ``calendar`` fixture pattern of
``zhifa/workdays/tests/conftest.py``).
"""

from .models import CalendarYear
from .services import seed_missing_years


def ensure_calendar() -> None:
    """Re-seed 2004–2026 from chinesecalendar if a flush removed them (one query otherwise)."""
    if CalendarYear.objects.filter(year__range=(2004, 2026)).count() != 23:
        seed_missing_years(2004, 2026)
