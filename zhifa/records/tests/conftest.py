import pytest


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
