"""How a report's frozen figures are shown: the rows of the summary table, the bar charts as
inline SVG (the portal's CSP allows neither script nor ``style=``, so charts are drawn on the
server with presentation attributes only), the xlsx workbook with native Excel charts and the
PDF (WeasyPrint, font WenQuanYi Zen Hei). One layout for the page, the xlsx, the PDF and the CSV.
"""

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from zhifa.core import numbers

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "WenQuanYi Zen Hei"

# (key, label, level): level 0 a category, 1 a part of the category above.
SUMMARY = [
    ("license", "行政许可", 0),
    ("penalty", "行政处罚（给予处罚的决定）", 0),
    ("penalty_general", "其中：一般程序", 1),
    ("penalty_simple", "简易程序（当场处罚）", 1),
    ("no_penalty", "不予行政处罚决定", 0),
    ("coercion", "行政强制", 0),
    ("coercion_seal", "其中：查封场所、设施或者财物", 1),
    ("coercion_seize", "扣押财物", 1),
    ("coercion_demolition", "强制拆除", 1),
    ("coercion_registered", "登记的其他行政强制决定", 1),
    ("inspection", "行政检查", 0),
    ("inspection_act", "其中：实施的行政检查（含双随机抽查、联合检查）", 1),
    ("inspection_on_site", "办案中的现场检查", 1),
    ("inspection_registered", "登记的检查结果", 1),
    ("levy", "行政征收征用", 0),
    ("other", "其他行政执法行为", 0),
    ("review", "重大执法决定法制审核（完成）", 0),
    ("review_agree", "其中：同意", 1),
    ("review_problems", "存在问题", 1),
    ("hearing", "听证（举行）", 0),
    ("reconsideration", "行政复议（申请）", 0),
    ("reconsideration_decided", "其中：审结", 1),
    ("reconsideration_corrected", "被撤销、变更或确认违法等", 1),
    ("litigation", "行政诉讼（起诉）", 0),
    ("litigation_decided", "其中：审结", 1),
    ("litigation_corrected", "被撤销、变更或确认违法等", 1),
]
LABELS = {key: label for key, label, _ in SUMMARY}
AMOUNTS = [("fine", "罚款金额（元）"), ("confiscation", "没收金额（元）")]
# The six kinds of enforcement act (执法行为类别) of the first chart.
MAIN = [("license", "行政许可"), ("penalty", "行政处罚"), ("coercion", "行政强制"), ("inspection", "行政检查"),
        ("levy", "行政征收征用"), ("other", "其他")]
REMEDY_NOTE = "行政复议、行政诉讼按本平台登记的情况统计（“已知的”）；金额单位为元。"


def money(value) -> str:
    """An amount as every page prints it (``zhifa.core.numbers``): "907,620.00"."""
    return numbers.format_amount(value or 0)


def summary_rows(data: dict) -> list[dict]:
    """The summary table: label, value, level; then the two amounts."""
    counts = data.get("counts", {})
    rows = [{"key": key, "label": label, "value": numbers.format_count(counts.get(key, 0)), "number": counts.get(key, 0),
             "level": level} for key, label, level in SUMMARY]
    amounts = data.get("amounts", {})
    rows += [{"key": key, "label": label, "value": money(amounts.get(key)), "number": Decimal(amounts.get(key) or 0),
              "level": 0} for key, label in AMOUNTS]
    return rows


def kind_rows(data: dict) -> list[dict]:
    """Penalties by kind (处罚种类): decisions including the kind and their amounts."""
    return [{"kind": e["kind"], "count": numbers.format_count(e["count"]), "fine": money(e["fine"]), "confiscation": money(e["confiscation"])}
            for e in data.get("penalty_kinds", [])]


def main_series(data: dict) -> list[tuple[str, int]]:
    counts = data.get("counts", {})
    return [(label, int(counts.get(key, 0))) for key, label in MAIN]


def kind_series(data: dict) -> list[tuple[str, int]]:
    return [(e["kind"], int(e["count"])) for e in data.get("penalty_kinds", []) if e["count"]]


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def bar_chart_svg(series: list[tuple[str, int]], title: str, unit: str = "件") -> str:
    """A horizontal bar chart as inline SVG (presentation attributes only; no script, no style)."""
    label_w, bar_w, value_w, row_h, top = 150, 330, 70, 26, 34
    width = label_w + bar_w + value_w
    height = top + row_h * max(len(series), 1) + 10
    top_value = _nice_max(max([v for _, v in series] or [0]))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stat-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}, sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="#1f2d3d">{escape(title)}</text>',
    ]
    for grid in range(5):
        x = label_w + bar_w * grid / 4
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 10}" stroke="#dde3ea" '
                     'stroke-width="1"/>')
    if not series:
        parts.append(f'<text x="{label_w}" y="{top + 16}" fill="#6b7785">无数据</text>')
    for index, (label, value) in enumerate(series):
        y = top + index * row_h
        length = bar_w * value / top_value if top_value else 0
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" fill="#1f2d3d">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" fill="#2f6db5">'
                     f"<title>{escape(label)}：{value}{unit}</title></rect>")
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + 17}" fill="#1f2d3d">{value}{unit}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text inside is escaped above


def charts(data: dict) -> list[str]:
    """The charts of a report: the six kinds of act, and penalties by kind."""
    return [bar_chart_svg(main_series(data), "各类行政执法行为数量"),
            bar_chart_svg(kind_series(data), "行政处罚按种类（含该种类的决定数）")]


def is_region(report) -> bool:
    from .models import RegionReport

    return isinstance(report, RegionReport)


def context(report) -> dict:
    """What the page, the PDF and the xlsx show of a report."""
    data = report.data
    return {
        "report": report, "data": data, "title": report.title, "summary": summary_rows(data),
        "kinds": kind_rows(data), "charts": charts(data), "is_region": is_region(report),
        "agencies": data.get("agencies", []), "missing": data.get("missing", []), "remedy_note": REMEDY_NOTE,
        "period": f"{report.year}年1月1日至{report.year}年12月31日",
    }


def render_pdf(report) -> bytes:
    """The report as PDF (A4, Chinese font embedded), with the same charts as the page."""
    from weasyprint import HTML

    html = render_to_string("statistics/report_pdf.html", {**context(report), "font": FONT})
    return HTML(string=html).write_pdf()


def render_xlsx(report) -> bytes:
    """The report as an Excel workbook: 汇总 (with a bar chart), 行政处罚（按种类） (with a bar
    chart), 其他, and for a roll-up 各执法主体."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    data = report.data
    bold = Font(bold=True)
    wb = Workbook()

    ws = wb.active
    ws.title = "汇总"
    ws.append([report.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"统计期间：{report.year}年1月1日至{report.year}年12月31日"])
    ws.append([])
    ws.append(["执法行为类别", "数量（件）"])
    for cell in ws[4]:
        cell.font = bold
    for label, value in main_series(data):
        ws.append([label, value])
    chart = BarChart()
    chart.type = "bar"
    chart.title = "各类行政执法行为数量"
    chart.y_axis.title = "件"
    chart.legend = None
    chart.add_data(Reference(ws, min_col=2, min_row=4, max_row=4 + len(MAIN)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=4 + len(MAIN)))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "D4")
    ws.append([])
    ws.append(["统计项目", "数值"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in summary_rows(data):
        label = ("　　" if row["level"] else "") + row["label"]
        is_amount = row["key"] in dict(AMOUNTS)
        ws.append([label, float(row["number"]) if is_amount else row["number"]])
        ws.cell(ws.max_row, 2).number_format = numbers.XLSX_AMOUNT if is_amount else numbers.XLSX_COUNT
    ws.append([])
    ws.append([REMEDY_NOTE])
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 16

    kinds = wb.create_sheet("行政处罚（按种类）")
    kinds.append(["处罚种类", "决定数（件）", "罚款金额（元）", "没收金额（元）"])
    for cell in kinds[1]:
        cell.font = bold
    entries = data.get("penalty_kinds", [])
    for entry in entries:
        kinds.append([entry["kind"], entry["count"], float(Decimal(entry["fine"])), float(Decimal(entry["confiscation"]))])
        kinds.cell(kinds.max_row, 2).number_format = numbers.XLSX_COUNT
        kinds.cell(kinds.max_row, 3).number_format = kinds.cell(kinds.max_row, 4).number_format = numbers.XLSX_AMOUNT
    kinds.append([])
    kinds.append(["说明：一份决定给予多种处罚的，计入每一种类；金额为含该种类的决定的罚没金额合计。"])
    kind_chart = BarChart()
    kind_chart.type = "bar"
    kind_chart.title = "行政处罚按种类"
    kind_chart.legend = None
    kind_chart.add_data(Reference(kinds, min_col=2, min_row=1, max_row=1 + len(entries)), titles_from_data=True)
    kind_chart.set_categories(Reference(kinds, min_col=1, min_row=2, max_row=1 + len(entries)))
    kind_chart.height, kind_chart.width = 10, 16
    kinds.add_chart(kind_chart, "F2")
    kinds.column_dimensions["A"].width = 24
    for col in "BCD":
        kinds.column_dimensions[col].width = 16

    other = wb.create_sheet("其他")
    other.append(["统计项目", "数量（件）"])
    for cell in other[1]:
        cell.font = bold
    counts = data.get("counts", {})
    for key in ("coercion_seal", "coercion_seize", "coercion_demolition", "coercion_registered", "inspection_act",
                "inspection_on_site", "inspection_registered", "levy", "other", "review", "review_agree", "review_problems", "hearing",
                "reconsideration", "reconsideration_decided", "reconsideration_corrected", "litigation",
                "litigation_decided", "litigation_corrected"):
        other.append([_full_label(key), counts.get(key, 0)])
        other.cell(other.max_row, 2).number_format = numbers.XLSX_COUNT
    other.column_dimensions["A"].width = 40

    if is_region(report):
        rows = wb.create_sheet("各执法主体")
        header = ["执法主体", "行政区划", "行政许可", "行政处罚", "行政强制", "行政检查", "行政征收征用", "其他",
                  "法制审核", "听证", "行政复议", "行政诉讼", "罚款金额（元）", "没收金额（元）"]
        rows.append(header)
        for cell in rows[1]:
            cell.font = bold
        for row in data.get("agencies", []):
            rows.append([row["agency_name"], row["region_name"], row["license"], row["penalty"], row["coercion"],
                         row["inspection"], row["levy"], row["other"], row["review"], row["hearing"],
                         row["reconsideration"], row["litigation"], float(Decimal(row["fine"])),
                         float(Decimal(row["confiscation"]))])
            for column in range(3, 13):
                rows.cell(rows.max_row, column).number_format = numbers.XLSX_COUNT
            rows.cell(rows.max_row, 13).number_format = rows.cell(rows.max_row, 14).number_format = numbers.XLSX_AMOUNT
        for name in data.get("missing", []):
            rows.append([name, "", "未发布年报"])
        rows.column_dimensions["A"].width = 32
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = Alignment(vertical="center")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


_PARENT = {"coercion_": "行政强制", "inspection_": "行政检查", "review_": "法制审核", "reconsideration_": "行政复议",
           "litigation_": "行政诉讼"}


def _full_label(key: str) -> str:
    label = LABELS[key].removeprefix("其中：")
    for prefix, parent in _PARENT.items():
        if key.startswith(prefix):
            return f"{parent}：{label}"
    return label
