"""The case file (案卷, REC-3): "有案必有卷".

A case file has two volumes: the main volume (正卷) holds what the party may see, the secondary
volume (副卷) the internal deliberation (法制审核意见书, 集体讨论记录). ``CASE_FILE_ORDER`` is
the one definition of what goes where and in which order; the case-file page, the PDF, the
media ZIP and the API all read ``entries()``. The order follows the usual 卷内文件目录 of the
provincial 行政处罚案卷立卷规范 (市场监管 and others):

正卷  1 立案 · 2 调查取证（现场检查笔录、询问笔录、证据）· 3 告知 · 4 陈述申辩、听证 ·
      5 决定（决定书、信用修复告知书、罚款缴纳通知书）· 6 送达 · 7 执行（缴款记录）· 8 结案
副卷  1 法制审核 · 2 集体讨论

Within a section records follow one another by the date the act happened (the inspection, the
interview, the capture of the evidence, the decision, the service …) — never by when the row was
written — and then by the order of their kind in the section. Sequence numbers (序号) and page
numbers (页号) restart in each volume; as in archival practice the 卷内目录 itself is not
paginated, so page 1 is the first page of the volume's first document.
"""

import csv
import datetime
import io
import tempfile
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone
from docx import Document
from docx.shared import Pt
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from zhifa.core.numbers import format_yuan
from zhifa.documents.builtin import set_run_font
from zhifa.documents.conversion import convert_many
from zhifa.documents.formatting import format_date
from zhifa.records.services import open_stored

from .models import Case, Hearing

MAIN = "main"  # 正卷
SECONDARY = "secondary"  # 副卷
VOLUMES: dict[str, str] = {MAIN: "正卷", SECONDARY: "副卷"}
#: Pseudo-kinds for records that are not generated documents.
EVIDENCE = "evidence"
PAYMENT = "payment"


@dataclass(frozen=True)
class Section:
    """One part of a volume and the kinds of record filed in it, in order."""

    volume: str
    code: str
    title: str
    kinds: tuple[str, ...]


#: The one order of a case file. A document kind not listed here (a new kind) is filed in the
#: main volume's "其他文书" section, before the closing report.
CASE_FILE_ORDER: tuple[Section, ...] = (
    Section(MAIN, "filing", "立案", ("filing_approval",)),
    Section(MAIN, "investigation", "调查取证", ("site_inspection_record", "interview_record", EVIDENCE,
                                            # 行政强制措施 (查封、扣押、冻结) taken during the investigation
                                            "coercion_decision", "coercion_inventory", "coercion_extension_notice",
                                            "coercion_testing_notice", "coercion_release", "coercion_disposal")),
    Section(MAIN, "notice", "告知", ("advance_notice", "hearing_notice")),
    Section(MAIN, "defence", "陈述申辩、听证", ("statement_record", "hearing_record")),
    Section(MAIN, "decision", "决定", ("penalty_decision", "no_penalty_decision", "on_the_spot_decision",
                                       "credit_repair_notice", "payment_notice")),
    Section(MAIN, "service", "送达", ("service_receipt",)),
    Section(MAIN, "execution", "执行", (PAYMENT, "enforcement_reminder", "enforcement_decision",
                                       "enforcement_court_application")),
    Section(MAIN, "other", "其他文书", ()),
    Section(MAIN, "closing", "结案", ("closing_report",)),
    Section(SECONDARY, "review", "法制审核", ("legal_review_opinion",)),
    Section(SECONDARY, "discussion", "集体讨论", ("collective_discussion_record",)),
)
OTHER_SECTION = "other"
_PLACE: dict[str, tuple[int, int]] = {
    kind: (index, position) for index, section in enumerate(CASE_FILE_ORDER) for position, kind in enumerate(section.kinds)
}
_OTHER_INDEX = next(i for i, s in enumerate(CASE_FILE_ORDER) if s.code == OTHER_SECTION)


@dataclass
class Entry:
    """One line of a volume's table of contents (卷内目录)."""

    number: int
    title: str
    doc_number: str
    date: str
    volume: str = MAIN
    section: str = ""
    section_title: str = ""
    acted_on: datetime.date | None = None
    pages: int = 0
    first_page: int = 0
    document: object = None
    evidence: object = None
    payment: object = None
    sort_key: tuple = field(default=(), repr=False)

    @property
    def volume_title(self) -> str:
        return VOLUMES[self.volume]

    @property
    def page_range(self) -> str:
        """The 页号 as the index prints it: "3", "3-5", or "" when the record has no pages here."""
        if not self.pages:
            return ""
        last = self.first_page + self.pages - 1
        return str(self.first_page) if last == self.first_page else f"{self.first_page}-{last}"


def _local_date(moment) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def _latest_before(moments: list[datetime.datetime], limit) -> datetime.datetime | None:
    """The latest of ``moments`` not after ``limit`` (the act a document records was done before
    the document was generated), else the earliest."""
    before = [m for m in moments if m <= limit]
    return max(before) if before else (min(moments) if moments else None)


class _ActDates:
    """When the act a document records happened, from the case's own records."""

    def __init__(self, case: Case):
        self.case = case  # read through the case's own relations: the caller fetched it in scope
        self.inspections = [i.time for i in case.inspections.all()]
        self.interviews = [i.time for i in case.interviews.all()]
        first_statement = case.statements.order_by("received_on", "pk").first()
        self.statement_on = first_statement.received_on if first_statement else None
        hearing = Hearing.objects.filter(case=case).first()
        self.hearing_on = (hearing.held_on or _local_date(hearing.scheduled_for)) if hearing else None
        self.reviews = {r.opinion_number: r.completed_at for r in case.reviews.exclude(opinion_number="")}
        self.discussions = {d.record_id: d.held_on for d in case.collective_discussions.exclude(record=None)}

    def of(self, document) -> datetime.date:
        case, code = self.case, document.code
        generated = document.generated_at
        if code == "filing_approval":
            found = case.filed_on
        elif code == "site_inspection_record":
            found = _local_date(_latest_before(self.inspections, generated))
        elif code == "interview_record":
            found = _local_date(_latest_before(self.interviews, generated))
        elif code in ("advance_notice", "hearing_notice"):
            found = case.notice_served_on
        elif code == "statement_record":
            found = self.statement_on
        elif code == "hearing_record":
            found = self.hearing_on
        elif code in ("penalty_decision", "no_penalty_decision", "on_the_spot_decision", "credit_repair_notice",
                      "payment_notice"):
            found = case.decided_on
        elif code == "service_receipt":
            found = case.served_on
        elif code == "closing_report":
            found = case.closed_on or case.executed_on
        elif code == "legal_review_opinion":
            found = _local_date(self.reviews.get(document.number))
        elif code == "collective_discussion_record":
            found = self.discussions.get(document.pk)
        else:
            found = None
        return found or _local_date(generated)


def _section_of(kind: str) -> tuple[int, int]:
    return _PLACE.get(kind, (_OTHER_INDEX, 0))


def _page_count(document) -> int:
    """Pages of a document's stored PDF (0 when it has none yet)."""
    if not getattr(document, "pdf_id", None):
        return 0
    try:
        with open_stored(document.pdf) as handle:
            return len(PdfReader(io.BytesIO(handle.read())).pages)
    except (OSError, PdfReadError):  # a PDF not stored (yet) or unreadable has no pages to list
        return 0


def entries(case: Case, *, pages: bool = True) -> list[Entry]:
    """Every record of the case file in ``CASE_FILE_ORDER``: 正卷 then 副卷, numbered and
    paginated per volume (``pages=False`` skips reading the PDFs for the page numbers)."""
    acts = _ActDates(case)
    items: list[Entry] = []
    for document in case.documents.select_related("pdf"):
        index, position = _section_of(document.code)
        acted = acts.of(document)
        items.append(Entry(0, document.title, document.number, format_date(acted), acted_on=acted, document=document,
                           sort_key=(index, acted, position, document.pk)))
    for evidence in case.evidence.select_related("file"):
        index, position = _section_of(EVIDENCE)
        acted = _local_date(evidence.captured_at)
        items.append(Entry(0, f"证据{evidence.number}：{evidence.title}（{evidence.get_kind_display()}，见音像材料包）",
                           "", format_date(acted), acted_on=acted, evidence=evidence,
                           sort_key=(index, acted, position, evidence.number)))
    for payment in case.payments.all():
        index, position = _section_of(PAYMENT)
        items.append(Entry(0, f"罚没款缴纳记录：{format_yuan(payment.amount)}（{payment.bank}）",
                           payment.bank_reference, format_date(payment.paid_on), acted_on=payment.paid_on,
                           payment=payment, sort_key=(index, payment.paid_on, position, payment.pk)))
    items.sort(key=lambda e: e.sort_key)
    counters = {volume: [0, 1] for volume in VOLUMES}  # last sequence number, next page
    for entry in items:
        section = CASE_FILE_ORDER[entry.sort_key[0]]
        entry.volume, entry.section, entry.section_title = section.volume, section.code, section.title
        counter = counters[entry.volume]
        counter[0] += 1
        entry.number = counter[0]
        if pages and entry.document is not None:
            entry.pages = _page_count(entry.document)
            if entry.pages:
                entry.first_page, counter[1] = counter[1], counter[1] + entry.pages
    return items


def volumes(case: Case, *, pages: bool = True) -> list[tuple[str, str, list[Entry]]]:
    """``(code, title, entries)`` of each volume, 正卷 first; an empty 副卷 is still listed."""
    items = entries(case, pages=pages)
    return [(code, title, [e for e in items if e.volume == code]) for code, title in VOLUMES.items()]


def _index_docx(case: Case, volume_title: str, items: list[Entry]) -> bytes:
    doc = Document()
    title = doc.add_paragraph()
    set_run_font(title.add_run("卷 内 目 录"), size=18, bold=True)
    title.alignment = 1
    sub = doc.add_paragraph()
    set_run_font(sub.add_run(f"（{volume_title}）"), size=14, bold=True)
    sub.alignment = 1
    meta = doc.add_paragraph()
    set_run_font(meta.add_run(f"案号：{case.number}    案由：{case.cause}    当事人：{case.party.name}"), size=11)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["序号", "题名", "文号", "日期", "页号"], strict=True):
        set_run_font(cell.paragraphs[0].add_run(text), size=11, bold=True)
    for entry in items:
        row = table.add_row().cells
        for cell, text in zip(row, [str(entry.number), entry.title, entry.doc_number, entry.date,
                                    entry.page_range or "—"], strict=True):
            set_run_font(cell.paragraphs[0].add_run(text), size=10.5)
    if not items:
        set_run_font(doc.add_paragraph().add_run("本卷无材料。"), size=11)
    footer = doc.add_paragraph()
    set_run_font(footer.add_run(f"立卷日期：{format_date(timezone.localdate())}    办案机关：{case.agency.name}"), size=11)
    for section in doc.sections:
        section.left_margin = section.right_margin = Pt(56)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def case_file_pdf(case: Case) -> bytes:
    """One PDF: for each volume (正卷, then 副卷 when it has records) its 卷内目录, then its
    documents in order, as the index lists them. Refused while a document's PDF is still being
    generated (or failed): the file would be incomplete."""
    waiting = [e.document.title for e in entries(case, pages=False) if e.document is not None and e.document.pdf_id is None]
    if waiting:
        from django.core.exceptions import ValidationError

        raise ValidationError(f"以下文书的PDF尚未生成（正在生成或生成失败），暂不能导出案卷：{'、'.join(waiting)}。")
    parts = [(title, items) for code, title, items in volumes(case) if items or code == MAIN]
    indexes = convert_many([_index_docx(case, title, items) for title, items in parts])
    writer = PdfWriter()
    for (_title, items), index_pdf in zip(parts, indexes, strict=True):
        for page in PdfReader(io.BytesIO(index_pdf)).pages:
            writer.add_page(page)
        for entry in items:
            if entry.document is not None and entry.pages:
                with open_stored(entry.document.pdf) as handle:
                    for page in PdfReader(io.BytesIO(handle.read())).pages:
                        writer.add_page(page)
    writer.add_metadata({"/Title": f"{case.number} 案卷", "/Producer": "zhifa"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def media_package(case: Case):
    """A ZIP (as a temporary file, for streaming) of the evidence files in case-file order and
    a manifest with their place in the 正卷, hashes, sizes, devices and capture times."""
    package = tempfile.TemporaryFile()
    evidence_entries = [e for e in entries(case, pages=False) if e.evidence is not None]
    with zipfile.ZipFile(package, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        manifest = io.StringIO()
        writer = csv.writer(manifest)
        writer.writerow(["卷内序号", "证据序号", "名称", "种类", "文件名", "哈希算法", "哈希值", "大小（字节）", "类型",
                         "采集设备", "采集时间", "采集地点", "上传时间", "超过24小时上传"])
        for entry in evidence_entries:
            evidence = entry.evidence
            stored = evidence.file
            extension = (stored.original_name.rsplit(".", 1)[-1] if "." in stored.original_name else "bin")[:8]
            name = f"证据{evidence.number:03d}.{extension}"
            with open_stored(stored) as source, archive.open(name, "w", force_zip64=True) as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
            writer.writerow([
                f"{entry.volume_title}{entry.number}", evidence.number, evidence.title, evidence.get_kind_display(), name,
                stored.algorithm, stored.hash, stored.size, stored.content_type, evidence.device,
                timezone.localtime(evidence.captured_at).isoformat(), evidence.place_text,
                timezone.localtime(evidence.uploaded_at).isoformat(), "是" if evidence.late_upload else "否",
            ])
        archive.writestr("清单.csv", "\ufeff" + manifest.getvalue())
    package.seek(0)
    return package
