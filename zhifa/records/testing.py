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


# The first bytes of real files of each kind, for tests of the upload allow-list
# (``records.filetypes`` decides by content, so test "videos" must start like one).
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
