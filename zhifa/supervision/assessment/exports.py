"""Exports of an assessment: the workbook (xlsx, openpyxl) with one row per indicator, and the
result as PDF (WeasyPrint with the statistics app's CJK font, the evaluation PDFs' stylesheet)."""

import io

from django.template.loader import render_to_string

from zhifa.documents.formatting import format_date
from zhifa.statistics.rendering import FONT

from ..evaluation.exports import PDF_CSS
from ..models import Assessment
from . import services

HEADERS = ["序号", "一级指标", "二级指标", "考评标准", "分值", "评分方式", "计算结果", "计算规则", "计算得分",
           "自评得分", "自评说明", "佐证材料（件）", "评定得分", "评分理由"]


def _items(assessment: Assessment):
    return (assessment.items.select_related("indicator").prefetch_related("evidence")
            .order_by("indicator__number"))


def _num(value):
    return float(value) if value is not None else None


def assessment_xlsx(assessment: Assessment, *, show_final: bool = True) -> bytes:
    """Sheets 考评 (the subject, totals, status), 指标得分 (170 rows), 汇总 (per level-1 heading)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "考评"
    for row in [("被考评单位", assessment.subject_name), ("考评年度", assessment.year),
                ("状态", assessment.get_status_display()), ("自评总分", _num(assessment.self_total)),
                ("考评得分", _num(assessment.final_total) if show_final else None),
                ("公布日期", format_date(assessment.published_on) if assessment.published_on else "")]:
        ws.append(row)
        ws.cell(ws.max_row, 1).font = bold
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 16, 50
    items = wb.create_sheet("指标得分")
    items.append(HEADERS)
    for item in _items(assessment):
        ind = item.indicator
        items.append([ind.number, ind.level1, ind.level2, ind.text, _num(ind.points), item.get_method_display(),
                      item.figure, item.rule, _num(item.computed_score), _num(item.self_score), item.self_note,
                      len(item.evidence.all()), _num(item.final_score) if show_final else None,
                      item.reason if show_final else ""])
    for cell in items[1]:
        cell.font = bold
    for column, width in zip("ABCDEFGHIJKLMN", (6, 18, 14, 50, 6, 12, 20, 40, 8, 8, 30, 8, 8, 30), strict=True):
        items.column_dimensions[column].width = width
    for row in items.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    items.freeze_panes = "A2"
    totals = wb.create_sheet("汇总")
    totals.append(["一级指标", "分值", "计算指标（项）", "自评得分", "评定得分"])
    for row in services.summary(assessment):
        totals.append([row["level1"], _num(row["points"]), row["computed"], _num(row["self"]),
                       _num(row["final"]) if show_final else None])
    for cell in totals[1]:
        cell.font = bold
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def assessment_pdf(assessment: Assessment) -> bytes:
    """The published result (考评结果) as PDF: totals per heading and every indicator's scores."""
    from weasyprint import CSS, HTML

    html = render_to_string("supervision/assessment_pdf.html", {
        "assessment": assessment, "items": _items(assessment), "summary": services.summary(assessment),
        "published": format_date(assessment.published_on) if assessment.published_on else "", "font": FONT,
    })
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_CSS))])
