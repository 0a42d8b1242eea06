import pytest


@pytest.fixture
def chains(owners, users):
    """Two record streams (test:1 with five events, test:2 with one) and three audit-trail rows
    of failed sign-ins: the chains the checkpoint and integrity tests check."""
    from zhifa.core.audit import log_security_event
    from zhifa.records.services import append_event

    for i in range(1, 6):
        append_event("test:1", "note", f"第{i}步", actor=users.officer_a, payload={"i": i})
    append_event("test:2", "note", "立案")
    for i in range(3):
        log_security_event("login_failed", username=f"u{i}", result="密码错误")


@pytest.fixture
def key_file(settings, tmp_path):
    """The checkpoint signing key in a per-test directory (created on first use); no trusted
    public key configured and no delivery address."""
    settings.ZHIFA_CHECKPOINT_KEY_FILE = str(tmp_path / "keys" / "checkpoint_sm2.key")
    settings.ZHIFA_CHECKPOINT_PUBLIC_KEY = ""
    settings.ZHIFA_CHECKPOINT_PUSH_URL = ""
    return tmp_path / "keys" / "checkpoint_sm2.key"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files and partial uploads go to a per-test directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ZHIFA_UPLOAD_TEMP_DIR = str(tmp_path / "media" / "tmp")
    return tmp_path / "media"


@pytest.fixture
def owners(tree):
    """Two stream prefixes for tests: ``test`` (readable by market-bureau users of county A,
    never ``test:secret``; its records belong to the county-A market bureau) and ``deny``
    (nobody)."""
    from zhifa.records import services

    def test_resolver(key, user, action):
        return action == "view" and key != "test:secret" and user.username.endswith("_a")

    services.register_stream_owner("test", test_resolver, scope_path=lambda key: tree.market.tree_path)
    services.register_stream_owner("deny", lambda key, user, action: False)
    yield
    services._OWNERS.pop("test", None)
    services._OWNERS.pop("deny", None)
