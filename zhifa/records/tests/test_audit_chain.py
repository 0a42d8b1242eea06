"""The audit trail is a hash chain (audit:changelog) checked by `zhifa verify` (issue #10 item 5)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.core.audit import acting_as, log_bulk_create, log_security_event
from zhifa.core.models import ChangeLog
from zhifa.orgs.models import Unit
from zhifa.records.audit_chain import AUDIT_STREAM
from zhifa.records.models import Stream
from zhifa.records.services import verify_stream
from zhifa.records.testing import tamper

pytestmark = pytest.mark.django_db


def assert_linked():
    rows = list(ChangeLog.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert rows and [r[0] for r in rows] == list(range(1, len(rows) + 1))
    for (_, _, previous), (_, prev_hash, _) in zip(rows, rows[1:], strict=False):
        assert prev_hash == previous
    head = Stream.objects.get(key=AUDIT_STREAM)
    assert (head.head_seq, head.head_hash) == (rows[-1][0], rows[-1][2])


def test_rows_from_every_writer_are_chained(users, tree):
    """Model saves (write_log), security events and bulk creates all become consecutive links."""
    with acting_as(users.admin_a):
        tree.market.phone = "029-12345678"
        tree.market.save()
        log_security_event("login_failed", username="nobody", result="密码错误")
        units = [Unit(agency=tree.market, name=f"批量{i}", kind="squad") for i in range(5)]
        for unit in units:
            unit.pk = 900000 + len(unit.name)  # bulk-created rows only need a primary key to be logged
        log_bulk_create(units, note="Excel导入：测试")
    assert ChangeLog.objects.filter(note="Excel导入：测试").count() == 5
    assert_linked()
    result = verify_stream(AUDIT_STREAM)
    assert result.ok, result.problems
    assert result.checked_events == ChangeLog.objects.count()


def test_rows_created_directly_are_chained_too(users, tree):
    """Code that writes ChangeLog itself (e.g. the parties export log) is chained by the model."""
    from zhifa.parties.services import log_full_export

    log_full_export(users.officer_a, 12)
    row = ChangeLog.objects.get(object_id="export")
    assert row.seq is not None and row.hash
    assert verify_stream(AUDIT_STREAM).ok


def test_bulk_create_takes_the_chain_lock_once(users, tree):
    """A 2,000-row import locks and moves the chain head once, then inserts in batches."""
    units = [Unit(agency=tree.market, name=f"批量{i}", kind="squad", pk=800000 + i) for i in range(2000)]
    with acting_as(users.admin_a), CaptureQueriesContext(connection) as queries:
        log_bulk_create(units, note="Excel导入：大批量")
    head_queries = [q["sql"] for q in queries.captured_queries if "records_stream" in q["sql"]]
    assert len(head_queries) == 2  # SELECT … FOR UPDATE of the head, UPDATE of the head
    assert_linked()


def test_update_delete_and_insert_below_the_application_are_found(users, tree):
    """On SQLite nothing stops an UPDATE of the table (on PostgreSQL the owner can drop the
    trigger): `zhifa verify audit:changelog` names the changed, missing and unchained rows."""
    for i in range(4):
        log_security_event("login_failed", username=f"user{i}", result="密码错误")
    out = io.StringIO()
    call_command("verify", AUDIT_STREAM, stdout=out)
    assert "记录流 audit:changelog 校验通过" in out.getvalue()

    last = ChangeLog.objects.order_by("-seq").first().seq
    tamper("UPDATE core_changelog SET result = '成功' WHERE seq = %s", [last - 1], table="core_changelog")
    with pytest.raises(CommandError, match="1 个记录流校验未通过"):
        call_command("verify", AUDIT_STREAM, stdout=(out := io.StringIO()))
    assert f"第{last - 1}条记录的内容被修改（哈希不符）" in out.getvalue()

    tamper("DELETE FROM core_changelog WHERE seq = %s", [last - 2], table="core_changelog")
    assert f"第{last - 2}条记录缺失" in verify_stream(AUDIT_STREAM).problems

    tamper("INSERT INTO core_changelog (time, actor_name, action, content_type_id, object_id, object_repr, note, "
           "scope_path, client_address, result, prev_hash, hash, algorithm) SELECT time, actor_name, action, "
           "content_type_id, object_id, 'forged', note, scope_path, client_address, result, '', '', '' "
           "FROM core_changelog WHERE seq = %s", [last], table="core_changelog")
    assert "1 条操作日志不在哈希链中（绕过应用写入）" in verify_stream(AUDIT_STREAM).problems


def test_verify_all_includes_the_audit_trail(users):
    log_security_event("login_failed", username="x", result="密码错误")
    out = io.StringIO()
    call_command("verify", "--all", stdout=out)
    assert "记录流 audit:changelog 校验通过" in out.getvalue()


def test_auditor_verifies_the_audit_chain_through_the_api(api_client, users, tree):
    log_security_event("login_failed", username="x", result="密码错误")
    with acting_as(users.admin_a):
        tree.market.phone = "029-12345678"
        tree.market.save()
    api_client.force_authenticate(users.admin_a)
    assert api_client.get("/api/records/audit-chain/verify/").status_code == 403
    api_client.force_authenticate(users.auditor_a)
    data = api_client.get("/api/records/audit-chain/verify/").json()
    assert data["ok"] is True and data["stream_key"] == AUDIT_STREAM and data["checked_events"] >= 1
    entry = api_client.get("/api/core/changelog/").json()["results"][0]
    row = ChangeLog.objects.order_by("-seq").first()
    assert (entry["seq"], entry["hash"], entry["after"]["phone"]) == (row.seq, row.hash, "029-****5678")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_consecutive_links():
    """Threads writing audit rows at once (each in its own transaction) never share a number
    and leave no gap: the head row lock serialises them."""
    import threading

    from django.db import connections, transaction

    errors = []

    def worker(n):
        try:
            for i in range(5):
                with transaction.atomic():
                    log_security_event("login_failed", username=f"t{n}-{i}", result="密码错误")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("in-memory SQLite cannot be shared between threads")
    before = ChangeLog.objects.count()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert ChangeLog.objects.count() == before + 20
    assert_linked()
    assert verify_stream(AUDIT_STREAM).ok


def test_the_chain_migration_links_rows_written_before_it(users):
    """Rows that existed before the chain (no seq) are linked in id order by records.0003."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps as global_apps

    log_security_event("login_failed", username="before", result="密码错误")
    tamper("INSERT INTO core_changelog (time, actor_name, action, content_type_id, object_id, object_repr, note, "
           "scope_path, client_address, result, prev_hash, hash, algorithm) SELECT time, actor_name, action, "
           "content_type_id, object_id, 'legacy', note, scope_path, client_address, result, '', '', '' "
           "FROM core_changelog ORDER BY id LIMIT 1", table="core_changelog")
    assert not verify_stream(AUDIT_STREAM).ok
    migration = importlib.import_module("zhifa.records.migrations.0003_audit_chain_checkpoints_access_scope")

    def execute(sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    migration.chain_audit_trail(global_apps, SimpleNamespace(connection=connection, execute=execute))
    assert ChangeLog.objects.get(object_repr="legacy").seq == ChangeLog.objects.count()
    assert_linked()
    assert verify_stream(AUDIT_STREAM).ok
