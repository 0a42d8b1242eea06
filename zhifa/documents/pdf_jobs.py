"""Converting generated documents to PDF after the commit (文书转PDF), one routine for every kind of
generated document that stores its DOCX and later its PDF: case documents
(``zhifa.cases.documents``) and inspection documents (``zhifa.inspections.acts.services``).

A document model has ``docx`` and ``pdf`` (``records.StoredFile``), ``pdf_status`` with the
``PDF_READY``/``PDF_FAILED`` constants, ``pdf_error``, ``title``, ``code``, ``number`` and
``generated_by``; its owner (the case, the inspection) has a hash-chained record ``stream_key``.
"""

import io
from collections.abc import Callable

from django.db import transaction

from .conversion import DocumentRenderError, convert_many


def convert_pending_pdfs(model, document_ids: list[int], *, owner: str, stem: Callable[[object], str]) -> int:
    """Convert the DOCX of ``document_ids`` that have no PDF yet (one LibreOffice run, outside any
    transaction or lock), store each PDF content-addressed and record it in the owner's record
    (“生成<title>（PDF）”). Idempotent: a document that already has its PDF is skipped, also when
    two runs race. On failure the documents are marked failed with the reason and the error is
    raised (the job layer records it and retries). ``owner`` names the document's foreign key to
    the case or inspection; ``stem(document)`` the file name without extension. Returns the
    number of PDFs stored."""
    from zhifa.records.services import append_event, open_stored, store_file

    documents = list(model.objects.filter(pk__in=document_ids, pdf__isnull=True)
                     .select_related("docx", owner).order_by("pk"))
    if not documents:
        return 0
    sources = []
    for document in documents:
        with open_stored(document.docx) as handle:
            sources.append(handle.read())
    try:
        pdfs = convert_many(sources)  # minutes at worst: no transaction, no lock held
    except Exception as exc:
        reason = str(exc) if isinstance(exc, DocumentRenderError) else f"{type(exc).__name__}: {exc}"
        model.objects.filter(pk__in=[d.pk for d in documents], pdf__isnull=True).update(
            pdf_status=model.PDF_FAILED, pdf_error=reason[:2000])
        raise
    stored = 0
    for document, pdf in zip(documents, pdfs, strict=True):
        with transaction.atomic():
            current = model.objects.select_for_update().get(pk=document.pk)
            if current.pdf_id is not None:
                continue  # another run got there first
            current.pdf = store_file(io.BytesIO(pdf), f"{stem(document)}.pdf", "application/pdf")
            current.pdf_status, current.pdf_error = model.PDF_READY, ""
            current.save(update_fields=["pdf", "pdf_status", "pdf_error"])
            append_event(getattr(document, owner).stream_key, "document", f"生成{document.title}（PDF）",
                         actor=document.generated_by,
                         payload={"code": document.code, "number": document.number, "format": "pdf",
                                  "document": document.pk}, files=[current.pdf])
            stored += 1
    return stored
