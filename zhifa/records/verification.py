"""Cached file verification (文件校验缓存).

Re-hashing every evidence video on every view of a case page does not scale. Each stored file
has at most one ``FileVerification`` row: the result of its last re-hash, when, and by which job
or command. The case page's badge (``cached_stream_verification``) checks the hash chain itself
(cheap: events only) and reads the files' cached results; the periodic job
"records.verify_files" (``verify_files_due``) re-hashes files never checked or checked longer
ago than ``ZHIFA_FILE_REVERIFY_HOURS``. The API's verify and ``zhifa verify`` still re-hash every
file (``services.verify_stream``) and record what they found here too (``record_results``).

These functions are kept apart from ``services.py`` (the chain and ``store_file``), which they
only call.
"""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from .models import Event, FileVerification, StoredFile
from .services import VerifyResult, rehash, verify_stream

JOB_NAME = "records.verify_files"


def reverify_after() -> datetime.timedelta:
    return datetime.timedelta(hours=int(getattr(settings, "ZHIFA_FILE_REVERIFY_HOURS", 24 * 7)))


def verify_file(stored: StoredFile, *, by: str) -> FileVerification:
    """Re-hash one stored file and store the result (idempotent: the row is replaced)."""
    if not default_storage.exists(stored.storage_name):
        ok, problem = False, "文件缺失"
    elif rehash(stored) != stored.hash or default_storage.size(stored.storage_name) != stored.size:
        ok, problem = False, "内容与登记的哈希不符"
    else:
        ok, problem = True, ""
    row, _ = FileVerification.objects.update_or_create(
        stored_file=stored, defaults={"ok": ok, "problem": problem, "verified_at": timezone.now(), "verified_by": by})
    return row


def verify_files_due(limit: int = 500) -> int:
    """Job "records.verify_files": re-hash up to ``limit`` files never verified or verified
    before the re-verification period; returns how many were checked. Safe to run twice."""
    cutoff = timezone.now() - reverify_after()
    due = (StoredFile.objects.filter(Q(verification__isnull=True) | Q(verification__verified_at__lt=cutoff))
           .order_by("created")[:limit])
    count = 0
    for stored in due:
        verify_file(stored, by=JOB_NAME)
        count += 1
    return count


def _stream_file_hashes(stream_key: str) -> dict[str, tuple[int, str]]:
    refs: dict[str, tuple[int, str]] = {}
    for seq, files in Event.objects.filter(stream__key=stream_key).order_by("seq").values_list("seq", "files"):
        for ref in files if isinstance(files, list) else ():
            if isinstance(ref, dict) and ref.get("hash") and ref["hash"] not in refs:
                refs[ref["hash"]] = (seq, ref.get("name", ""))
    return refs


class CachedVerifyResult(VerifyResult):
    """``VerifyResult`` of the chain, with the files' cached results: ``pending_files`` not
    checked yet, ``files_verified_at`` the oldest check among them."""

    pending_files: int = 0
    files_verified_at: datetime.datetime | None = None
    files_verified_by: str = ""


def cached_stream_verification(stream_key: str) -> CachedVerifyResult:
    """The case page's badge: the chain re-checked now (events only), each file's last re-hash
    read from its cached result (no file is read). Two queries besides the chain."""
    chain = verify_stream(stream_key, check_files=False)
    result = CachedVerifyResult(**{f: getattr(chain, f) for f in chain.__dataclass_fields__})
    refs = _stream_file_hashes(stream_key)
    if not refs:
        return result
    rows = {v.stored_file.hash: v for v in FileVerification.objects.filter(stored_file__hash__in=list(refs))
            .select_related("stored_file")}
    oldest = None
    for digest, (seq, name) in refs.items():
        row = rows.get(digest)
        if row is None:
            result.pending_files += 1
            continue
        result.checked_files += 1
        if oldest is None or row.verified_at < oldest.verified_at:
            oldest = row
        if not row.ok:
            result.add(f"文件 {digest} {row.problem}（{name}，第{seq}条记录登记；{row.verified_at:%Y-%m-%d %H:%M}校验）", seq)
    if oldest is not None:
        result.files_verified_at, result.files_verified_by = oldest.verified_at, oldest.verified_by
    return result


def record_results(stream_key: str, result: VerifyResult, *, by: str) -> None:
    """After a full ``verify_stream`` (API, ``zhifa verify``): store each file's outcome in the
    cache, so the badge shows what the last full check found."""
    refs = _stream_file_hashes(stream_key)
    if not refs:
        return
    now = timezone.now()
    bad = {p.split()[1] for p in result.problems if p.startswith("文件 ")}
    for stored in StoredFile.objects.filter(hash__in=list(refs)):
        if stored.hash in bad:
            missing = not default_storage.exists(stored.storage_name)
            ok, problem = False, "文件缺失" if missing else "内容与登记的哈希不符"
        else:
            ok, problem = True, ""
        FileVerification.objects.update_or_create(
            stored_file=stored, defaults={"ok": ok, "problem": problem, "verified_at": now, "verified_by": by})
