"""Test helper: change recorded rows below the application, as someone with the table
owner's rights could — to prove that verification detects it."""

from django.db import connection


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def tamper(sql, params=()):
    """Run ``sql`` against the event table; on PostgreSQL the append-only trigger is switched
    off around it (pending foreign-key checks are run first)."""
    if connection.vendor == "postgresql":
        _raw("SET CONSTRAINTS ALL IMMEDIATE")
        _raw("ALTER TABLE records_event DISABLE TRIGGER records_event_append_only")
    try:
        _raw(sql, params)
    finally:
        if connection.vendor == "postgresql":
            _raw("ALTER TABLE records_event ENABLE TRIGGER records_event_append_only")
