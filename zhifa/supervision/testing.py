"""Test helper: make sure the data the supervision migrations seed is present.

Transactional tests (``live_server``, browser tests) end with a flush that empties every table,
the 170 indicators of the 三项制度 assessment (migration 0005) and the standard score sheets
(migration 0002) included; a test on the same worker that runs after one of them would find
neither. ``ensure_seeded()`` puts both back (two cheap queries when they are present).
"""

from functools import cache

from .assessment import catalog
from .evaluation.sheets import STANDARD_SHEETS, install_standard_sheets
from .models import Indicator, ScoreSheet


@cache
def _indicator_count() -> int:
    return len(catalog.read_rows())


def ensure_seeded() -> None:
    if Indicator.objects.count() != _indicator_count():
        catalog.load(Indicator)
    if ScoreSheet.objects.count() < len(STANDARD_SHEETS):
        install_standard_sheets()
