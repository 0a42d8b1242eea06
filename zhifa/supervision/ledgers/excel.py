"""The task ledger (工作任务台账) as Excel in the shape local governments use::

    序号 | 工作任务 | 具体内容 | 牵头单位 | 配合单位 | 完成时限 | 目标 | 进展情况 | 完成状态

Import reads the first sheet; a title row above the header (“××县……工作任务台账”) is allowed
(the header is found in the first five rows). Units are matched by name or short name to agencies
of the plan's region; 配合单位 lists several separated by 、，; ; 完成时限 is a date cell or text
such as 2026-06-30, 2026年6月30日 or 2026年6月底 (the month's last day). Every row is checked
and nothing is saved unless every row is good (row-level errors in Chinese).
"""

import calendar
import datetime
import io
import re

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from zhifa.core.excel import ImportError_, RowError, parse_date, parse_int, parse_list

from ..models.ledgers import DONE, IN_PROGRESS, NOT_STARTED, TASK_STATUS_CHOICES

HEADERS = ["序号", "工作任务", "具体内容", "牵头单位", "配合单位", "完成时限", "目标", "进展情况", "完成状态"]
REQUIRED = ("序号", "工作任务", "牵头单位", "完成时限")
STATUS_WORDS = {"": NOT_STARTED, "未启动": NOT_STARTED, "未开始": NOT_STARTED, "推进中": IN_PROGRESS,
                "进行中": IN_PROGRESS, "正在推进": IN_PROGRESS, "已完成": DONE, "完成": DONE, "持续推进": IN_PROGRESS}
_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日|底|末)?$")


def parse_deadline(raw) -> datetime.date:
    """A date cell or 2026-06-30 / 2026年6月30日 / 2026年6月底 (last day of the month)."""
    if isinstance(raw, datetime.datetime | datetime.date):
        return parse_date(raw)
    text = str(raw).strip()
    match = _CN_DATE.match(text)
    if match:
        year, month, day = int(match[1]), int(match[2]), match[3]
        if not 1 <= month <= 12:
            raise ValidationError("月份应在1至12之间。")
        last = calendar.monthrange(year, month)[1]
        try:
            return datetime.date(year, month, int(day) if day else last)
        except ValueError:
            raise ValidationError("日期不存在。") from None
    try:
        return parse_date(text)
    except ValidationError:
        raise ValidationError("完成时限应为日期，例如 2026-06-30、2026年6月30日或2026年6月底。") from None


def _header_row(ws) -> tuple[int, dict[str, int]]:
    for number, values in enumerate(ws.iter_rows(min_row=1, max_row=5, values_only=True), start=1):
        header = [str(v).strip() if v is not None else "" for v in values]
        if "工作任务" in header and "牵头单位" in header:
            missing = [h for h in REQUIRED if h not in header]
            if missing:
                raise ImportError_("表头缺少必填列：" + "、".join(missing) + "。")
            return number, {h: i for i, h in enumerate(header) if h}
    raise ImportError_("未找到台账表头（序号、工作任务、具体内容、牵头单位、配合单位、完成时限、目标、进展情况、完成状态）。")


def read_ledger(fileobj, agencies_by_name: dict) -> tuple[list[dict], list[RowError]]:
    """Rows of the ledger as task values, and every error found."""
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-xlsx file
        raise ImportError_("无法读取文件，请上传 .xlsx 格式的工作任务台账。") from exc
    ws = wb.worksheets[0]
    header_at, positions = _header_row(ws)
    rows, errors, numbers = [], [], {}
    for number, values in enumerate(ws.iter_rows(min_row=header_at + 1, values_only=True), start=header_at + 1):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        cell = {h: (values[i] if i < len(values) else None) for h, i in positions.items()}
        task, row_errors = _read_row(number, cell, agencies_by_name)
        if task["number"] is not None:
            if task["number"] in numbers:
                row_errors.append(RowError(number, "序号", f"与第{numbers[task['number']]}行重复。"))
            numbers.setdefault(task["number"], number)
        errors.extend(row_errors)
        rows.append(task)
    wb.close()
    if not rows and not errors:
        raise ImportError_("台账中没有任务。")
    return rows, errors


def _text(limit):
    def parse(raw):
        value = str(raw).strip()
        if len(value) > limit:
            raise ValidationError(f"长度不能超过{limit}个字符。")
        return value
    return parse


def _read_row(number: int, cell: dict, agencies_by_name: dict) -> tuple[dict, list[RowError]]:
    """One ledger row as task values, and its errors."""
    errors: list[RowError] = []

    def check(header, parser):
        raw = cell.get(header)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if header in REQUIRED:
                errors.append(RowError(number, header, "必填。"))
            return None
        try:
            return parser(raw)
        except ValidationError as exc:
            errors.append(RowError(number, header, "；".join(exc.messages)))
            return None

    def agency(name, header):
        found = agencies_by_name.get(name.strip())
        if found is None:
            errors.append(RowError(number, header, f"“{name}”不是本方案行政区划内的执法主体或单位。"))
        return found

    task = {
        "number": check("序号", parse_int),
        "title": check("工作任务", _text(300)),
        "content": check("具体内容", _text(5000)) or "",
        "deadline": check("完成时限", parse_deadline),
        "target": check("目标", _text(2000)) or "",
        "progress": check("进展情况", _text(5000)) or "",
    }
    lead_name = check("牵头单位", _text(200))
    task["lead_agency"] = agency(lead_name, "牵头单位") if lead_name else None
    task["co_agencies"] = [a for a in (agency(n, "配合单位") for n in parse_list(cell.get("配合单位") or ""))
                           if a is not None]
    status_text = str(cell.get("完成状态") or "").strip()
    if status_text not in STATUS_WORDS:
        errors.append(RowError(number, "完成状态", "应为未启动、推进中或已完成。"))
    task["status"] = STATUS_WORDS.get(status_text, NOT_STARTED)
    return task, errors


def ledger_xlsx(plan, tasks, stats) -> bytes:
    """The ledger in the same shape (a title row, the header, one row per task) and a second sheet
    with the completion statistics per lead unit."""
    labels = dict(TASK_STATUS_CHOICES)
    wb = Workbook()
    ws = wb.active
    ws.title = "工作任务台账"
    ws.append([f"{plan.title}工作任务台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for task in tasks:
        ws.append([task.number, task.title, task.content, task.lead_agency.name,
                   "、".join(a.name for a in task.co_agencies.all()), task.deadline, task.target, task.progress,
                   labels[task.status]])
        ws.cell(ws.max_row, 6).number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGHI", (6, 30, 40, 20, 30, 12, 30, 40, 10), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    sheet = wb.create_sheet("各单位完成情况")
    sheet.append(["牵头单位", "任务数", "已完成", "按期完成", "推进中", "未启动", "逾期未完成", "完成率（%）"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in stats:
        sheet.append([row["agency"], row["total"], row["done"], row["on_time"], row["in_progress"], row["not_started"],
                      row["overdue"], float(row["rate"]) if row["rate"] is not None else None])
    sheet.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
