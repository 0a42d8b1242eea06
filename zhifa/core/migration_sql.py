"""Raw SQL in migrations for one database vendor at a time (PostgreSQL's trigram and GIN
indexes, triggers; SQLite's FTS5 tables), through the migrating connection — so that
``migrate --database=X`` changes X and nothing else."""


def run_sql(statements_by_vendor: dict):
    """A ``RunPython`` function that executes ``statements_by_vendor[vendor]`` of the
    migrating connection's vendor, in order; nothing on a vendor not named."""

    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement, params=None)

    return run


def on_postgresql(statements):
    """``run_sql`` for PostgreSQL alone."""
    return run_sql({"postgresql": statements})
