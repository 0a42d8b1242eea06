"""The audit administrator on a phone (375 px): the access log, the integrity check started from
the checkpoint page, and the public checkpoint page a citizen opens."""

import pytest

from tests.browser.conftest import assert_fits_phone, login
from zhifa.core.audit import log_security_event
from zhifa.core.testing import PASSWORD
from zhifa.records import checkpoints
from zhifa.records.services import log_access


@pytest.fixture
def signed(settings, tmp_path, users, tree):
    from zhifa.records import services

    settings.ZHIFA_CHECKPOINT_KEY_FILE = str(tmp_path / "checkpoint_sm2.key")
    services.register_stream_owner("test", lambda key, user, action: True, scope_path=lambda key: tree.market.tree_path)
    services.append_event("test:1", "note", "现场检查")
    log_security_event("login_failed", username="nobody", result="密码错误")
    log_access(users.officer_a, "view", "test:1")
    yield checkpoints.create_checkpoint()
    services._OWNERS.pop("test", None)


def test_auditor_checks_the_chains_on_a_phone(page, signed):
    login(page, "auditor_a", PASSWORD)
    page.goto("/audit/access/")
    assert "test:1" in page.locator("table.list").inner_text()
    assert_fits_phone(page, "访问日志")
    page.goto("/audit/checkpoints/")
    page.click("button:has-text('立即校验')")  # a worker's run: at once here (ZHIFA_JOBS_SYNC in tests)
    page.wait_for_url("**/audit/checkpoints/")
    assert "已发起完整性校验" in page.locator("ul.messages").inner_text()
    status = page.locator("[role=status]").all_inner_texts()
    assert any("audit:changelog 校验通过" in s for s in status)
    assert any("第 1 号检查点签名有效" in s for s in status)
    assert_fits_phone(page, "签名检查点")


def test_citizen_reads_the_published_checkpoint(page, signed):
    page.goto("/public/")
    page.click("label.nav-toggle-label")
    page.click("nav.mainnav >> text=签名检查点")
    page.wait_for_url("**/public/checkpoints/")
    assert signed.root in page.content()
    assert_fits_phone(page, "签名检查点公示")
    page.click(f"text=第 {signed.number} 号检查点")
    assert signed.signature in page.locator("dl").inner_text()
    assert_fits_phone(page, "检查点详情")
