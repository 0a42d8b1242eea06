"""Small things a user hit (issue #15 item 6): the audit trail names fields in Chinese, the
sign-in page of the demo says which log-in does which step."""

from zhifa.core.testing import PASSWORD


def test_audit_log_shows_field_names_in_chinese(client, users, tree):
    tree.market.phone = "029-12345678"
    tree.market.save()
    client.login(username="auditor_a", password=PASSWORD)
    html = client.get("/audit/").content.decode()
    assert '<span title="phone">联系电话</span>' in html and "<code>phone</code>" not in html


def test_demo_walkthrough_on_the_sign_in_page(client, settings, db):
    assert 'id="demo-guide"' not in client.get("/accounts/login/").content.decode()
    settings.ZHIFA_DEMO_GUIDE = True
    html = client.get("/accounts/login/").content.decode()
    assert 'id="demo-guide"' in html
    for username in ("market_officer", "market_unit_head", "market_reviewer", "market_head", "supervisor",
                     "qingshi_officer"):
        assert f"<code>{username}</code>" in html
    assert "demo-2026" in html
