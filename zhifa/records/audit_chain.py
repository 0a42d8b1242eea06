"""The audit trail as a hash chain (操作日志哈希链): stream ``audit:changelog``.

Every ``ChangeLog`` row — written by ``write_log``, ``log_bulk_create``,
``log_security_event`` or directly with ``ChangeLog.objects.create``/``bulk_create`` — passes
through ``seal`` before insert (``ChangeLog.save`` and ``ChangeLogQuerySet.bulk_create`` call it):
the chain head, a ``Stream`` row like any case record's, is locked with
``services.lock_stream`` (the machinery that serialises case-record appends), and each row
gets the next ``seq``, the previous row's hash and its own hash::

    hash(n) = H(prev_hash(n) || canonical_json(changelog_content(n)))

in the same transaction as the insert, so a rolled-back change leaves no gap. A bulk import
of 10,000 rows takes the lock once and hashes in memory. ``zhifa verify`` checks the chain
like any other stream (``register_chain``), and the signed checkpoints anchor its head.

Throughput: the head row stays locked until the writing transaction commits, so
transactions that write audit rows commit one after another (as appends to one case record
do). SM3 of one row costs microseconds; the lock wait is the commit time of the transaction
ahead.
"""

import json

from django.db import transaction
from django.utils import timezone

from zhifa.core.models import ChangeLog

from . import services
from .models import Stream

AUDIT_STREAM = "audit:changelog"
AUDIT_PREFIX = "audit"

_VERIFY_FIELDS = ("seq", "time", "actor_id", "actor_name", "request_id", "action", "content_type_id", "object_id",
                  "object_repr", "before", "after", "note", "scope_path", "client_address", "result", "prev_hash",
                  "hash", "algorithm")


def _iso_time(value) -> str:
    return services._iso_time(value)


def changelog_content(row, stream_key: str = AUDIT_STREAM) -> dict:
    """The fields of a ChangeLog row (or a row with the same attribute names) its hash covers."""
    return {
        "stream": stream_key,
        "seq": row.seq,
        "time": _iso_time(row.time),
        "actor": row.actor_id,
        "actor_name": row.actor_name,
        "request_id": str(row.request_id) if row.request_id else None,
        "action": row.action,
        "content_type": row.content_type_id,
        "object_id": row.object_id,
        "object_repr": row.object_repr,
        "before": row.before,
        "after": row.after,
        "note": row.note,
        "scope_path": row.scope_path,
        "client_address": row.client_address,
        "result": row.result,
    }


def _stored_json(value):
    """``value`` as it reads back from a JSON column (tuples → lists, keys → strings), so the
    hash computed now matches the one recomputed from the database."""
    if value is None:
        return None
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def seal(rows: list[ChangeLog]) -> None:
    """Number and hash ``rows`` as the next links of the audit chain; call inside the
    transaction that inserts them (``core.audit._insert`` does)."""
    if not rows:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit rows must be sealed inside the inserting transaction")
    algorithm = services.configured_algorithm()
    stream = services.lock_stream(AUDIT_STREAM, algorithm)
    seq, prev_hash = stream.head_seq, stream.head_hash
    now = timezone.now()
    for row in rows:
        if row.time is None:
            row.time = now
        row.before, row.after = _stored_json(row.before), _stored_json(row.after)
        seq += 1
        row.seq, row.prev_hash, row.algorithm = seq, prev_hash, algorithm
        row.hash = services.chain_hash(prev_hash, changelog_content(row), algorithm)
        prev_hash = row.hash
    Stream.objects.filter(pk=stream.pk).update(head_seq=seq, head_hash=prev_hash)


def _rows(stream, lower=None, upper=None):
    rows = ChangeLog.objects.filter(seq__isnull=False)
    if lower is not None:
        rows = rows.filter(seq__gte=lower)
    if upper is not None:
        rows = rows.filter(seq__lte=upper)
    return rows.order_by("seq").values_list(*_VERIFY_FIELDS, named=True).iterator(chunk_size=2000)


def _check_unchained(result) -> None:
    outside = ChangeLog.objects.filter(seq__isnull=True).count()
    if outside:
        result.add(f"{outside} 条操作日志不在哈希链中（绕过应用写入）")


def _may_verify(key, user, action) -> bool:
    """Only the audit administrator reads (and so verifies) the audit trail."""
    return action == "view" and user.has_capability("audit", "view")


def register() -> None:
    """Wire the chain into the audit writer, the verifier and the stream-owner registry."""
    from zhifa.core import audit

    audit.register_sealer(seal)
    services.register_chain(AUDIT_PREFIX, services.ChainSource(rows=_rows, content=changelog_content,
                                                               check=_check_unchained))
    services.register_stream_owner(AUDIT_PREFIX, _may_verify)


def chain_existing_rows(changelog_model, stream_model, algorithm: str, *, using: str = "default") -> int:
    """Chain rows written before the chain existed, in id order (used once by the migration
    that introduces the chain, with the append-only trigger lifted for it, on database ``using``).
    Returns the count."""
    streams, changelog = stream_model.objects.db_manager(using), changelog_model._base_manager.db_manager(using)
    head = streams.filter(key=AUDIT_STREAM).first()
    seq, prev_hash = (head.head_seq, head.head_hash) if head else (0, "")
    count = 0
    for row in changelog.filter(seq__isnull=True).order_by("id").iterator(chunk_size=2000):
        seq += 1
        row.seq, row.prev_hash, row.algorithm = seq, prev_hash, algorithm
        row.hash = services.chain_hash(prev_hash, changelog_content(row), algorithm)
        changelog.filter(pk=row.pk).update(seq=seq, prev_hash=prev_hash, hash=row.hash, algorithm=algorithm)
        prev_hash = row.hash
        count += 1
    if head is None:
        streams.create(key=AUDIT_STREAM, head_seq=seq, head_hash=prev_hash, algorithm=algorithm)
    else:
        streams.filter(pk=head.pk).update(head_seq=seq, head_hash=prev_hash)
    return count
