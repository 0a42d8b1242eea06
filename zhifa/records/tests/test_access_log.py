"""The access log (who viewed what) belongs to the audit administrator (issue #10 item 2)."""

import pytest

from zhifa.accounts import roles
from zhifa.core.testing import PASSWORD, make_user
from zhifa.records.models import AccessLog
from zhifa.records.services import log_access

pytestmark = pytest.mark.django_db


def test_rows_carry_the_scope_of_the_recorded_material(owners, users, tree):
    row = log_access(users.officer_a, "view", "test:1")
    assert row.scope_path == tree.market.tree_path


def test_only_auditors_within_their_tree_read_it(owners, users, tree):
    """Officers, heads, supervisors and the system administrator no longer read who viewed
    what; the auditor of the county (and of the city) does, the other county's does not."""
    log_access(users.officer_a, "view", "test:1")
    for user in (users.officer_a, users.head_a, users.supervisor_a, users.admin_a, users.security_a):
        assert not AccessLog.objects.restrict(user).exists(), user.username
    assert AccessLog.objects.restrict(users.auditor_a).count() == 1
    assert AccessLog.objects.restrict(users.auditor_city).count() == 1
    other = make_user("auditor_b", roles.AUDIT_ADMIN, region=tree.other_county)
    assert not AccessLog.objects.restrict(other).exists()


def test_auditor_page_and_refusals(client, owners, users, tree):
    log_access(users.officer_a, "download", "test:1")
    log_access(users.head_a, "view", "test:2")
    assert client.login(username="supervisor_a", password=PASSWORD)
    assert client.get("/audit/access/").status_code == 403
    client.logout()
    assert client.login(username="auditor_a", password=PASSWORD)
    page = client.get("/audit/access/")
    body = page.content.decode()
    assert page.status_code == 200 and "访问日志" in body and "test:1" in body and "test:2" in body
    filtered = client.get("/audit/access/?stream=test:1&action=download").content.decode()
    assert "test:1" in filtered and "test:2" not in filtered
    home = client.get("/audit/").content.decode()
    assert 'href="/audit/access/"' in home and 'href="/audit/checkpoints/"' in home


def test_the_two_logs_page_without_counting_every_row(client, owners, users, tree, monkeypatch):
    """The access log and the audit trail grow by millions of rows: their pages count at most
    ``CappedPaginator.cap`` rows (the pager then shows no last page) and still page on."""
    from zhifa.core.pagination import CappedPaginator

    for n in range(60):
        log_access(users.officer_a, "view", f"test:{n}")
    monkeypatch.setattr(CappedPaginator, "cap", 12)  # the trail holds about 17 rows of set-up
    assert client.login(username="auditor_a", password=PASSWORD)
    for url in ("/audit/access/", "/audit/"):
        page = client.get(url).context["page"]
        assert page.paginator.count == 12 and page.paginator.count_capped, url
    second = client.get("/audit/access/?page=2")
    assert len(second.context["page"].object_list) == 10 and "第 2 页" in second.content.decode()
