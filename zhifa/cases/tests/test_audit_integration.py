"""The case record and the audit machinery: access-log scope, and verification against the
signed checkpoint through the case API."""

import pytest

from zhifa.records import checkpoints
from zhifa.records.models import AccessLog, Event
from zhifa.records.services import log_access
from zhifa.records.testing import recompute_chain_from, tamper

pytestmark = pytest.mark.django_db


def test_case_access_rows_are_scoped_to_the_case_agency(open_general, world):
    """A case's access-log rows carry the case agency's path, so auditors read them by scope."""
    case = open_general()
    log_access(world.users.supervisor_a, "view", case.stream_key)
    row = AccessLog.objects.get(stream_key=case.stream_key)
    assert row.scope_path == case.agency.tree_path
    assert AccessLog.objects.restrict(world.users.auditor_a).filter(pk=row.pk).exists()
    assert not AccessLog.objects.restrict(world.users.supervisor_a).exists()


def test_case_verify_names_history_rewritten_since_the_checkpoint(api_client, open_general, world, settings,
                                                                   tmp_path):
    settings.ZHIFA_CHECKPOINT_KEY_FILE = str(tmp_path / "checkpoint_sm2.key")
    case = open_general()
    checkpoints.create_checkpoint()
    api_client.force_authenticate(world.officer_user)
    url = f"/api/cases/cases/{case.pk}/verify/"
    body = api_client.get(url).json()
    assert body["ok"] is True and body["checkpoint"] == 1
    tamper(f"UPDATE {Event._meta.db_table} SET summary = %s WHERE seq = 1 AND stream_id = "
           "(SELECT id FROM records_stream WHERE key = %s)", ["篡改后的摘要", case.stream_key])
    recompute_chain_from("records_event", 1, case.stream_key)
    body = api_client.get(url).json()
    assert body["ok"] is False and body["changed_since_checkpoint"] is True
    assert "自第 1 号检查点以来被改动" in body["problem"]
