"""The audit trail: who, when, what, before and after — readable by the auditor, editable by nobody."""

import pytest
from django.db import connection, transaction

from zhifa.core.audit import acting_as
from zhifa.core.models import ChangeLog
from zhifa.core.testing import PASSWORD
from zhifa.orgs.models import Agency


def test_create_update_delete_are_logged_with_before_and_after(users, tree):
    """A change through the model writes one entry with both snapshots and the actor."""
    with acting_as(users.admin_a):
        tree.market.phone = "029-12345678"
        tree.market.save()
    entry = ChangeLog.objects.filter(
            object_id=str(tree.market.pk), content_type__model="agency", action="update"
        ).get()
    assert entry.actor == users.admin_a
    assert entry.before["phone"] == "" and entry.after["phone"] == "029-****5678"  # phone numbers are masked in the trail
    assert ("phone", "", "029-****5678") in entry.changed_fields()
    assert entry.scope_path == tree.market.tree_path


def test_two_step_insert_logs_a_single_create(users, tree):
    """Agencies get their tree path after the insert; the trail still shows one creation."""
    agency = Agency.objects.create(name="新主体", region=tree.county)
    entries = ChangeLog.objects.filter(object_id=str(agency.pk), content_type__model="agency")
    assert [e.action for e in entries] == ["create"]
    assert entries[0].after["tree_path"] == agency.tree_path


def test_web_change_is_attributed_to_the_logged_in_user(client, users, tree):
    client.login(username="admin_a", password=PASSWORD)
    response = client.post(
        f"/orgs/units/{tree.market_unit.pk}/edit/",
        {"agency": tree.market.pk, "name": "稽查一大队", "kind": "squad", "is_active": "on"},
    )
    assert response.status_code == 302
    entry = ChangeLog.objects.filter(
        object_id=str(tree.market_unit.pk), content_type__model="unit", action="update"
    ).get()
    assert entry.actor == users.admin_a and entry.request_id is not None
    assert entry.before["name"] == "稽查大队" and entry.after["name"] == "稽查一大队"


def test_log_entries_cannot_be_changed_or_deleted(users, tree):
    """save() of an existing entry, delete() and queryset update/delete are refused."""
    entry = ChangeLog.objects.first()
    entry.note = "篡改"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        ChangeLog.objects.all().update(note="篡改")
    with pytest.raises(PermissionError):
        ChangeLog.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL")
def test_postgres_trigger_refuses_raw_update(users, tree):
    """Even raw SQL cannot rewrite the trail on PostgreSQL."""
    from django.db.utils import DatabaseError

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_changelog SET note = 'x'")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_changelog")


def test_only_the_audit_admin_reads_the_trail_within_scope(client, api_client, users, tree):
    """The auditor sees entries of their county only; the system admin sees none."""
    tree.other_market.phone = "1"
    tree.other_market.save()
    client.login(username="auditor_a", password=PASSWORD)
    page = client.get("/audit/").content.decode()
    assert "云岭县市场监督管理局" in page and "青石县市场监督管理局" not in page
    client.login(username="auditor_city", password=PASSWORD)
    assert "青石县市场监督管理局" in client.get("/audit/").content.decode()
    client.login(username="admin_a", password=PASSWORD)
    assert client.get("/audit/").status_code == 403
    api_client.force_authenticate(users.admin_a)
    assert api_client.get("/api/core/changelog/").status_code == 403
    api_client.force_authenticate(users.auditor_a)
    data = api_client.get("/api/core/changelog/").json()
    assert data["count"] > 0
    first = data["results"][0]["id"]
    assert api_client.delete(f"/api/core/changelog/{first}/").status_code in (403, 405)
    assert ChangeLog.objects.filter(pk=first).exists()
