"""Test helper: change recorded rows below the application, as someone with the table
owner's rights could — to prove that verification detects it."""

from django.db import connection

TRIGGERS = {
    "records_event": "records_event_append_only",
    "core_changelog": "core_changelog_append_only",
    "records_checkpoint": "records_checkpoint_append_only",
    "records_checkpointhead": "records_checkpointhead_append_only",
}


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def tamper(sql, params=(), table="records_event"):
    """Run ``sql`` against ``table`` (default: the event table); on PostgreSQL the append-only
    trigger is switched off around it (pending foreign-key checks are run first)."""
    trigger = TRIGGERS[table]
    if connection.vendor == "postgresql":
        _raw("SET CONSTRAINTS ALL IMMEDIATE")
        _raw(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    try:
        _raw(sql, params)
    finally:
        if connection.vendor == "postgresql":
            _raw(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


# The first bytes of real files of each kind, for tests of the upload allow-list
# (``core.filetypes`` decides by content, so test "videos" must start like one).
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
ELF_HEAD = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00"
PE_HEAD = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00"


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A ZIP archive holding ``members`` (name → bytes)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def recompute_chain_from(table: str, seq: int, stream_key: str) -> None:
    """As an attacker with database access: recompute the hash of every link from ``seq`` on
    (after rewriting one) and move the stream head, so the chain verifies again."""
    from zhifa.core.models import ChangeLog

    from .audit_chain import changelog_content
    from .models import Event, Stream
    from .services import chain_hash, event_content

    if table == "core_changelog":
        rows = ChangeLog.objects.filter(seq__gte=seq).order_by("seq")
        content = changelog_content
        previous = ChangeLog.objects.filter(seq=seq - 1).values_list("hash", flat=True).first() or ""
    else:
        rows = Event.objects.filter(stream__key=stream_key, seq__gte=seq).order_by("seq")
        content = event_content
        previous = (Event.objects.filter(stream__key=stream_key, seq=seq - 1).values_list("hash", flat=True).first()
                    or "")
    for row in list(rows):
        row.prev_hash = previous
        digest = chain_hash(previous, content(row, stream_key), row.algorithm)
        tamper(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s", [previous, digest, row.pk], table=table)
        previous = digest
    Stream.objects.filter(key=stream_key).update(head_hash=previous)
