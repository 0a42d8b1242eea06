"""Excel exports too large for a request, built by a worker (数据导出任务).

A county's officers fit in one response; a city's parties do not (openpyxl writes about 10,000
rows a second, so 500,000 parties would hold a web process for a minute). An export of up to
``ZHIFA_EXPORT_INLINE_ROWS`` rows (default 10,000, counted with a capped ``COUNT``) is built in
the request as before. A larger one becomes a ``DataExport``: the job "core.data_export" writes
the workbook to a temporary file and then into the object store under ``exports/`` (never into
memory), and the person gets a message (站内消息, kind 导出完成) with the link. "我的导出"
(``/data/exports/``, ``/api/core/data-exports/``) lists the person's own exports; only the owner may
download one, until ``ZHIFA_EXPORT_KEEP_DAYS`` (default 7) have passed, when the daily job
"core.purge_exports" deletes the file and the row.

The rows are those in the person's scope when the worker runs. A data sheet (``core.excel``) is
read with the same spec as the template and the import, so it re-imports; a filtered list (the
complaint list, ``register_list``) is read with the query string the person filtered it by.
"""

import io
import logging
import tempfile
import uuid
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from . import jobs
from .excel import REGISTRY, ImportSpec, export_workbook, write_workbook
from .models import DataExport
from .pagination import capped_count
from .public import client_address

logger = logging.getLogger(__name__)

JOB_NAME = "core.data_export"
PURGE_JOB_NAME = "core.purge_exports"
PREFIX = "exports/"


def inline_limit() -> int:
    return settings.ZHIFA_EXPORT_INLINE_ROWS


@dataclass(frozen=True)
class ListExport:
    """A filtered list exported as a workbook: ``rows`` (dotted path) is ``(user, params) ->
    queryset`` — the rows in the person's reach that the list's filters (a ``QueryDict``) keep, in
    order; ``write`` is ``(queryset, binary file) -> rows written``."""

    key: str
    title: str
    rows: str
    write: str

    def rows_for(self, user, params: QueryDict):
        return import_string(self.rows)(user, params)

    def write_to(self, queryset, target) -> int:
        return import_string(self.write)(queryset, target)


LIST_EXPORTS: dict[str, ListExport] = {}


def register_list(key: str, title: str, *, rows: str, write: str) -> ListExport:
    """Declare a list export (apps call it in ``AppConfig.ready``); its key must not be a data
    sheet's."""
    if key in REGISTRY:
        raise ValueError(f"导出类别 {key} 已是数据表的类别")
    LIST_EXPORTS[key] = ListExport(key, title, rows, write)
    return LIST_EXPORTS[key]


def filter_request(user) -> SimpleNamespace:
    """What a list's filter set reads from a request, for a worker: the person."""
    return SimpleNamespace(user=user)


def export_or_queue(spec: ImportSpec, request) -> bytes | DataExport:
    """The workbook's bytes when the rows in reach fit in a request; otherwise a queued
    ``DataExport`` (the worker starts once this request's transaction commits)."""
    _count, more = capped_count(spec.export_queryset(), inline_limit())
    if not more:
        return export_workbook(spec)
    return _queue(request, spec.key, spec.title)


def export_list_or_queue(key: str, request) -> bytes | DataExport:
    """The same for list export ``key``, filtered by the request's query string."""
    listed = LIST_EXPORTS[key]
    rows = listed.rows_for(request.user, request.GET)
    _count, more = capped_count(rows, inline_limit())
    if not more:
        buffer = io.BytesIO()
        listed.write_to(rows, buffer)
        return buffer.getvalue()
    query = request.GET.copy()
    query.pop("page", None)
    return _queue(request, key, listed.title, query.urlencode())


def _queue(request, key: str, title: str, params: str = "") -> DataExport:
    with transaction.atomic():
        export = DataExport.objects.create(
            user=request.user, key=key, title=title, params=params, request_id=getattr(request, "id", None),
            client_address=client_address(request)[:45])
        jobs.enqueue_on_commit(JOB_NAME, export.pk)
    return export


def of_user(user):
    """The person's own exports, newest first (nobody sees another person's)."""
    return DataExport.objects.filter(user=user).order_by("-created_at", "-id")


def build(export_id: int) -> str:
    """Build export ``export_id`` (the job "core.data_export"). Idempotent: an export already
    built, or deleted, is left alone. A failure is recorded on the export and told to its owner,
    who can ask again; it is not retried (the job registers no retries)."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status == DataExport.DONE:
        return "已生成或已删除"
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.RUNNING, error="")
    try:
        write, exported = _writer(export)
        with tempfile.TemporaryFile() as handle:
            rows = write(handle)
            handle.seek(0)
            name = default_storage.save(f"{PREFIX}{export.pk}-{uuid.uuid4().hex}.xlsx", File(handle))
        size = default_storage.size(name)
        with transaction.atomic():
            exported(rows)
            DataExport.objects.filter(pk=export.pk).update(
                status=DataExport.DONE, rows=rows, size=size, stored_name=name, finished_at=timezone.now())
    except Exception as exc:
        logger.exception("export %s failed", export.pk)
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.FAILED, error=str(exc)[:2000] or type(exc).__name__, finished_at=timezone.now())
        _tell(export, f"{export.title}导出失败", f"导出未能生成：{exc}。请稍后在“数据导入导出”中重新导出。", "failed")
        raise
    _tell(export, f"{export.title}导出已完成",
          f"共 {rows:,} 行，可在“我的导出”中下载，保留 {settings.ZHIFA_EXPORT_KEEP_DAYS} 天。", "done")
    return f"{export.title}：{rows:,} 行"


def _writer(export: DataExport):
    """``(write(target) -> rows, exported(rows))`` of an export: a data sheet's spec (with its
    hook, given the asking request's number and address), or a list read with its filters."""
    if export.key in REGISTRY:
        spec = REGISTRY[export.key](export.user)
        return (lambda target: write_workbook(spec, target),
                lambda rows: spec.exported(rows, request_id=export.request_id, client_address=export.client_address))
    listed = LIST_EXPORTS[export.key]
    rows = listed.rows_for(export.user, QueryDict(export.params))
    return (lambda target: listed.write_to(rows, target)), (lambda rows: None)


def _tell(export: DataExport, title: str, body: str, outcome: str) -> None:
    from zhifa.workspace.models import Message
    from zhifa.workspace.reminders import notify

    notify(export.user, kind=Message.EXPORT, event=f"export:{export.pk}:{outcome}", title=title, body=body,
           url=reverse("core:data_exports"))


def open_file(export: DataExport):
    """The stored workbook of a built export, as a binary file to stream."""
    return default_storage.open(export.stored_name, "rb")


def purge_expired(now=None) -> int:
    """Delete exports older than ``ZHIFA_EXPORT_KEEP_DAYS`` with their files (the daily job
    "core.purge_exports"); returns how many. A file already gone is not an error."""
    import datetime

    now = now or timezone.now()
    old = DataExport.objects.filter(created_at__lt=now - datetime.timedelta(days=settings.ZHIFA_EXPORT_KEEP_DAYS))
    deleted = 0
    for export in old.iterator(chunk_size=500):
        if export.stored_name:
            default_storage.delete(export.stored_name)
        export.delete()
        deleted += 1
    return deleted


def purge_expired_job() -> str:
    return f"已删除过期的导出 {purge_expired():,} 个"
