"""A case's access-log rows carry the case agency's path, so auditors read them by scope."""

import pytest

from zhifa.records.models import AccessLog
from zhifa.records.services import log_access

pytestmark = pytest.mark.django_db


def test_case_access_rows_are_scoped_to_the_case_agency(open_general, world):
    case = open_general()
    log_access(world.users.supervisor_a, "view", case.stream_key)
    row = AccessLog.objects.get(stream_key=case.stream_key)
    assert row.scope_path == case.agency.tree_path
    assert AccessLog.objects.restrict(world.users.auditor_a).filter(pk=row.pk).exists()
    assert not AccessLog.objects.restrict(world.users.supervisor_a).exists()
