import pytest


@pytest.fixture(autouse=True)
def _fresh_calendar_cache(request):
    """Each test starts with an empty working-day cache and the seeded calendar present (a
    transactional test elsewhere may have flushed it)."""
    from zhifa.workdays.services import invalidate_cache

    invalidate_cache()
    if request.node.get_closest_marker("django_db") or {"db", "tree", "users"} & set(request.fixturenames):
        from zhifa.workdays.testing import ensure_calendar

        request.getfixturevalue("db")
        ensure_calendar()
    yield
    invalidate_cache()
