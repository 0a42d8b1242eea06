"""Management commands of the core."""


def test_analyze_db_command(db):
    """The statistics command runs on the configured database."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("analyze_db", stdout=out)
    assert "已更新统计信息" in out.getvalue()
