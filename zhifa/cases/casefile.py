"""The case file (案卷, REC-3): "有案必有卷".

Assembled automatically from the case's documents and evidence in the standard order of a
main volume (正卷): approval of filing, the decision and its proof of service, the other
documents, the records, then the evidence, and the closing report last (市场监管处罚程序规定
第七十八条). Downloadable as one PDF with a table of contents (卷内目录) and page numbers, and
as a ZIP package of the media files with a manifest of their hashes.
"""

import csv
import io
import tempfile
import zipfile
from dataclasses import dataclass

from django.utils import timezone
from docx import Document
from docx.shared import Pt
from pypdf import PdfReader, PdfWriter

from zhifa.documents.builtin import set_run_font
from zhifa.documents.conversion import convert
from zhifa.documents.formatting import format_date
from zhifa.records.services import open_stored

from .models import Case

# 正卷 order of document kinds; kinds not listed follow in generation order before the closing report.
CASE_FILE_ORDER = [
    "filing_approval",
    "penalty_decision", "no_penalty_decision", "on_the_spot_decision", "service_receipt",
    "credit_repair_notice", "payment_notice",
    "advance_notice", "hearing_notice",
    "site_inspection_record", "interview_record", "statement_record", "hearing_record",
    "legal_review_opinion",
]
LAST = ["closing_report"]


@dataclass
class Entry:
    """One line of the table of contents."""

    number: int
    title: str
    doc_number: str
    date: str
    pages: int = 0
    first_page: int = 0
    document: object = None
    evidence: object = None


def entries(case: Case) -> list[Entry]:
    """Documents in the standard order, then evidence, then the closing report."""
    documents = list(case.documents.select_related("pdf").order_by("generated_at", "pk"))
    rank = {code: i for i, code in enumerate(CASE_FILE_ORDER)}
    middle = len(CASE_FILE_ORDER)

    def key(doc):
        if doc.code in LAST:
            return (2, 0, doc.pk)
        return (0, rank.get(doc.code, middle), doc.pk)

    ordered = sorted(documents, key=key)
    main = [d for d in ordered if d.code not in LAST]
    closing = [d for d in ordered if d.code in LAST]
    result = []
    for document in main:
        result.append(Entry(0, document.title, document.number, format_date(timezone.localtime(document.generated_at).date()),
                            document=document))
    for evidence in case.evidence.select_related("file").order_by("number"):
        result.append(Entry(0, f"证据{evidence.number}：{evidence.title}（{evidence.get_kind_display()}，见音像/电子材料包）",
                            "", format_date(timezone.localtime(evidence.captured_at).date()), evidence=evidence))
    for document in closing:
        result.append(Entry(0, document.title, document.number, format_date(timezone.localtime(document.generated_at).date()),
                            document=document))
    for index, entry in enumerate(result, start=1):
        entry.number = index
    return result


def _index_docx(case: Case, items: list[Entry]) -> bytes:
    doc = Document()
    title = doc.add_paragraph()
    set_run_font(title.add_run("卷 内 目 录"), size=18, bold=True)
    title.alignment = 1
    meta = doc.add_paragraph()
    set_run_font(meta.add_run(f"案号：{case.number}    案由：{case.cause}    当事人：{case.party.name}"), size=11)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["序号", "题名", "文号", "日期", "页号"], strict=True):
        set_run_font(cell.paragraphs[0].add_run(text), size=11, bold=True)
    for entry in items:
        row = table.add_row().cells
        page = f"{entry.first_page}" if entry.document else "—"
        if entry.document and entry.pages > 1:
            page = f"{entry.first_page}-{entry.first_page + entry.pages - 1}"
        for cell, text in zip(row, [str(entry.number), entry.title, entry.doc_number, entry.date, page], strict=True):
            set_run_font(cell.paragraphs[0].add_run(text), size=10.5)
    footer = doc.add_paragraph()
    set_run_font(footer.add_run(f"立卷日期：{format_date(timezone.localdate())}    办案机关：{case.agency.name}"), size=11)
    for section in doc.sections:
        section.left_margin = section.right_margin = Pt(56)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def case_file_pdf(case: Case) -> bytes:
    """One PDF: the table of contents, then every document in order, with page numbers listed."""
    items = entries(case)
    waiting = [e.document.title for e in items if e.document is not None and e.document.pdf_id is None]
    if waiting:
        from django.core.exceptions import ValidationError

        raise ValidationError(f"以下文书的PDF尚未生成（正在生成或生成失败），暂不能导出案卷：{'、'.join(waiting)}。")
    readers = {}
    for entry in items:
        if entry.document is not None:
            with open_stored(entry.document.pdf) as handle:
                reader = PdfReader(io.BytesIO(handle.read()))
            readers[entry.number] = reader
            entry.pages = len(reader.pages)
    index_pages = 1
    for _attempt in range(3):  # the index's own length decides where the documents start
        page = index_pages + 1
        for entry in items:
            if entry.document is not None:
                entry.first_page = page
                page += entry.pages
        index_pdf = PdfReader(io.BytesIO(convert(_index_docx(case, items))))
        if len(index_pdf.pages) == index_pages:
            break
        index_pages = len(index_pdf.pages)
    writer = PdfWriter()
    for page_obj in index_pdf.pages:
        writer.add_page(page_obj)
    for entry in items:
        if entry.number in readers:
            for page_obj in readers[entry.number].pages:
                writer.add_page(page_obj)
    writer.add_metadata({"/Title": f"{case.number} 案卷", "/Producer": "zhifa"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def media_package(case: Case):
    """A ZIP (as a temporary file, for streaming) of the evidence files and a manifest with
    their hashes, sizes, devices and capture times."""
    package = tempfile.TemporaryFile()
    with zipfile.ZipFile(package, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        manifest = io.StringIO()
        writer = csv.writer(manifest)
        writer.writerow(["序号", "名称", "种类", "文件名", "哈希算法", "哈希值", "大小（字节）", "类型", "采集设备",
                         "采集时间", "采集地点", "上传时间", "超过24小时上传"])
        for evidence in case.evidence.select_related("file").order_by("number"):
            stored = evidence.file
            extension = (stored.original_name.rsplit(".", 1)[-1] if "." in stored.original_name else "bin")[:8]
            name = f"证据{evidence.number:03d}.{extension}"
            with open_stored(stored) as source, archive.open(name, "w", force_zip64=True) as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
            writer.writerow([
                evidence.number, evidence.title, evidence.get_kind_display(), name, stored.algorithm, stored.hash,
                stored.size, stored.content_type, evidence.device,
                timezone.localtime(evidence.captured_at).isoformat(), evidence.place_text,
                timezone.localtime(evidence.uploaded_at).isoformat(), "是" if evidence.late_upload else "否",
            ])
        archive.writestr("清单.csv", "\ufeff" + manifest.getvalue())
    package.seek(0)
    return package
