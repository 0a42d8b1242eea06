"""Scale-out pieces (docs/scale.md): the read-replica router and the Citus placement of every
table, whose table in docs/scale.md must be the one the models give today."""

from pathlib import Path

import pytest
from django.apps import apps
from django.test import RequestFactory

from zhifa.cases.models import Case
from zhifa.core import distribution
from zhifa.core.db_routers import ReplicaMiddleware, ReplicaRouter, replica_reads

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
SCALE_DOC = Path(__file__).resolve().parents[3] / "docs" / "scale.md"


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}
    settings.ZHIFA_REPLICA_PATHS = ["/public/", "/api/public/"]


def test_reads_go_to_the_replica_only_inside_replica_reads(with_replica):
    """Inside ``replica_reads()`` reads go to the replica; writes, and reads outside it, to the primary."""
    router = ReplicaRouter()
    assert router.db_for_read(Case) is None
    with replica_reads():
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_write(Case) == "default"
    assert router.db_for_read(Case) is None
    assert router.allow_migrate("replica", "cases") is False and router.allow_migrate("default", "cases") is True


def test_without_a_replica_everything_reads_the_primary():
    """No ZHIFA_REPLICA_DATABASE_URL: the router never names a database that does not exist."""
    with replica_reads():
        assert ReplicaRouter().db_for_read(Case) is None


def test_portal_get_requests_read_from_the_replica_and_others_do_not(with_replica):
    """GET under /public/ and /api/public/ read from the replica; a POST there and any staff page do not."""
    seen = []
    middleware = ReplicaMiddleware(lambda request: seen.append(ReplicaRouter().db_for_read(Case)))
    factory = RequestFactory()
    for request in (factory.get("/public/decisions/"), factory.head("/api/public/decisions/"),
                    factory.post("/public/complaints/"), factory.get("/cases/"), factory.get("/api/cases/cases/")):
        middleware(request)
    assert seen == ["replica", "replica", None, None, None]


def test_every_model_has_a_placement_and_the_lists_name_real_models():
    """Every model is placed explicitly (a new one fails here until it is); the placement lists
    name no model that is gone."""
    labels = {m._meta.label for m in apps.get_models()}
    app_labels = {m._meta.app_label for m in apps.get_models()}
    listed = (distribution.DISTRIBUTED_BY_REGION | distribution.DISTRIBUTED_BY_HASH | distribution.LOCAL
              | distribution.REFERENCE)
    for pattern in listed:
        app, _, name = pattern.partition(".")
        assert (name == "*" and app in app_labels) or pattern in labels, pattern
    unplaced = [plan.label for plan in distribution.plans() if plan.placement == distribution.UNPLACED]
    assert not unplaced, f"在 zhifa/core/distribution.py 中指定这些模型的放置方式：{unplaced}"


def test_case_tables_are_colocated_and_reference_tables_never_point_into_shards():
    """Every table hanging off a case is distributed with it, and no reference table has a
    foreign key into a distributed table except the flagged stored-file links."""
    plans = {plan.table: plan for plan in distribution.plans()}
    for table, plan in plans.items():
        if table.startswith("cases_"):
            assert plan.placement == "distributed(region_code)", table
            assert all(f.ok for f in plan.findings if f.kind == "fk" and "storedfile" not in f.what), plan
        if plan.placement == "reference":
            for finding in plan.findings:
                if finding.kind == "fk" and not finding.ok:
                    assert "records_storedfile" in finding.what, (table, finding)


def test_docs_scale_md_shows_the_placement_the_models_give():
    """docs/scale.md's table is `zhifa distribution_plan`'s output for today's schema."""
    text = SCALE_DOC.read_text(encoding="utf-8")
    start, end = "<!-- distribution_plan -->\n", "<!-- /distribution_plan -->"
    assert start in text and end in text
    documented = text.split(start, 1)[1].split(end, 1)[0]
    assert documented == distribution.markdown(), "docs/scale.md 已过时：用 zhifa distribution_plan 的输出替换该表"



def fresh_interpreter(code: str, var_dir: Path, **env: str) -> list[str]:
    """``code`` run by a new Python with zhifa's settings (none of this process's ZHIFA_ variables);
    its printed words."""
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    environment.update(DJANGO_SETTINGS_MODULE="zhifa.settings", ZHIFA_VAR_DIR=str(var_dir), **env)
    out = subprocess.run([sys.executable, "-c", code], cwd=SCALE_DOC.parents[1], env=environment,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_a_web_process_freezes_what_it_loaded_before_its_first_request(tmp_path):
    """Importing ``zhifa.wsgi`` (what each gunicorn worker does) loads the URL patterns and every
    view module, then freezes the objects alive then out of the collector's rounds
    (``core.runtime.settle_web_process``); objects made afterwards are still collected."""
    frozen, loaded, unchanged, tracked = fresh_interpreter(
        "import gc, sys, zhifa.wsgi; frozen = gc.get_freeze_count(); "
        "loaded = 'zhifa.cases.api.views' in sys.modules and 'zhifa.portal.views' in sys.modules; "
        "junk = [[i] for i in range(1000)]; "
        "print(frozen, loaded, gc.get_freeze_count() == frozen, gc.is_tracked(junk))",
        tmp_path,
    )
    assert int(frozen) > 50_000  # Django, the libraries and zhifa's modules
    assert (loaded, unchanged, tracked) == ("True", "True", "True")


KEEPS_ITS_CONNECTION = (
    "import django; django.setup(); from django.conf import settings; "
    "from django.db import connection, close_old_connections; "
    "connection.ensure_connection(); first = connection.connection; "
    "close_old_connections(); "  # what the end of every request does (request_finished)
    "print(connection.vendor, settings.DATABASES['default']['CONN_MAX_AGE'], connection.connection is first)"
)


def test_a_web_thread_keeps_its_sqlite_connection_between_requests(tmp_path):
    """The embedded SQLite database keeps each web thread's connection for ZHIFA_DB_CONN_MAX_AGE
    seconds (default 60) like PostgreSQL: the first statement on a new SQLite connection reads the
    whole schema, 3.5 ms. ``ZHIFA_DB_CONN_MAX_AGE=0`` opens one per request."""
    assert fresh_interpreter(KEEPS_ITS_CONNECTION, tmp_path) == ["sqlite", "60", "True"]
    assert fresh_interpreter(KEEPS_ITS_CONNECTION, tmp_path, ZHIFA_DB_CONN_MAX_AGE="0") == ["sqlite", "0", "False"]
