"""Excel (xlsx) templates, imports and exports for every catalog and roster (ORG-7).

An app describes one sheet with an ``ImportSpec`` subclass and registers it::

    @register
    class OfficerSpec(ImportSpec):
        key = "officers"; title = "执法人员"; model = Officer
        columns = [Column("姓名", "name", required=True), ...]
        def build(self, values, ctx): ... return Officer(...)

``run_import`` reads every row, checks every cell (parsers raise ``ValidationError`` with a
Chinese message), checks duplicates inside the file and against the database, and writes
nothing unless every row is good; then it saves all rows in one transaction and writes the
audit trail. Errors name the row number (as Excel shows it) and the column header.
"""

import abc
import datetime
import decimal
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .audit import acting_as, log_bulk_create
from .filetypes import XLSX, check_bytes

DATA_SHEET = "数据"
HELP_SHEET = "填写说明"
MAX_ROWS = 200_000


@dataclass
class Column:
    """One column of a sheet: Chinese header, target key, parser and export accessor."""

    header: str
    key: str
    required: bool = False
    parse: object = None  # callable(raw) -> value; raises ValidationError
    choices: list[tuple[str, str]] | None = None  # (stored value, Chinese label)
    example: str = ""
    help: str = ""
    export: object = None  # accessor (dotted path or callable) for export; default ``key``

    def convert(self, raw):
        """Parse one raw cell value into a Python value (None when empty)."""
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            if self.required:
                raise ValidationError("必填项不能为空。")
            return None
        if self.choices:
            by_label = {label: value for value, label in self.choices}
            text = str(raw)
            if text in by_label:
                return by_label[text]
            if text in dict(self.choices):
                return text
            raise ValidationError("取值应为：" + "、".join(label for _, label in self.choices) + "。")
        if self.parse is not None:
            return self.parse(raw)
        return str(raw) if not isinstance(raw, str) else raw


# Parsers shared by the specs --------------------------------------------------------

def parse_text(max_length):
    """A parser for text up to ``max_length`` characters."""

    def parse(raw):
        text = str(raw).strip()
        if len(text) > max_length:
            raise ValidationError(f"长度不能超过{max_length}个字符。")
        return text

    return parse


def parse_date(raw):
    """A date cell, or text as 2024-01-31 / 2024/1/31 / 20240131."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError("日期格式应为 YYYY-MM-DD，例如 2024-01-31。")


def parse_decimal(raw):
    """A number (hours, amounts)."""
    try:
        value = decimal.Decimal(str(raw).strip())
    except decimal.InvalidOperation:
        raise ValidationError("应为数字。") from None
    if value < 0:
        raise ValidationError("不能为负数。")
    return value


def parse_int(raw):
    """A whole number."""
    value = parse_decimal(raw)
    if value != value.to_integral_value():
        raise ValidationError("应为整数。")
    return int(value)


def parse_bool(raw):
    """是/否."""
    text = str(raw).strip()
    if text in ("是", "1", "TRUE", "True", "true", "Y"):
        return True
    if text in ("否", "0", "FALSE", "False", "false", "N"):
        return False
    raise ValidationError("应填“是”或“否”。")


def parse_list(raw):
    """Several values separated by 、 , ， ; or ；."""
    text = str(raw)
    for sep in ("，", ",", "；", ";"):
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


@dataclass
class RowError:
    """One problem: the Excel row number (header is row 1), the column header, the message."""

    row: int
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    """Outcome of one import: rows created, or every error found (then nothing was saved)."""

    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


class ImportError_(Exception):
    """Raised for a file that cannot be read at all."""


class ImportSpec(abc.ABC):
    """Describes one importable/exportable sheet. Subclasses fill in the blanks."""

    key = ""
    title = ""
    model = None
    area = ""  # capability area of the rows (defaults to the model's scope area)
    columns: list[Column] = []
    unique_together: tuple[str, ...] = ()  # keys that identify a row (duplicates are refused)

    def __init__(self, user):
        self.user = user

    # -- hooks -------------------------------------------------------------------
    def prepare(self):  # noqa: B027  (an optional hook; most specs override it)
        """Load lookups once per import (e.g. agencies in scope by name)."""

    @abc.abstractmethod
    def build(self, values: dict, row: int):
        """Turn one row's parsed values into an unsaved model instance.

        Raise ``ValidationError`` (a message, or a dict keyed by column key) for bad rows.
        """

    def existing_keys(self, keys: set[tuple]) -> set[tuple]:
        """Which of the given identifying keys already exist in the database."""
        if not self.unique_together or not keys:
            return set()
        fields = self.unique_together
        found = set()
        key_list = list(keys)
        for start in range(0, len(key_list), 500):
            chunk = key_list[start : start + 500]
            first = {k[0] for k in chunk}
            qs = self.model._base_manager.filter(**{f"{fields[0]}__in": first}).values_list(*fields)
            found.update(tuple(r) for r in qs if tuple(r) in keys)
        return found

    def save(self, instances: list) -> list:
        """Persist the instances (all rows valid). Default: bulk insert."""
        return self.model.objects.bulk_create(instances, batch_size=1000)

    def export_queryset(self):
        return self.model.objects.restrict(self.user, "view")

    def exported(self, rows: int, *, request_id=None, client_address: str = "") -> None:  # noqa: B027
        """Called once an export of ``rows`` rows is written (an optional hook: the party sheet
        writes an audit entry when it carries full identity numbers). A worker passes the number
        and address of the request that asked for it."""

    def export_values(self, obj) -> list:
        from .views import resolve

        values = []
        for column in self.columns:
            value = resolve(obj, column.export or column.key)
            if column.choices and value is not None:
                value = dict(column.choices).get(value, value)
            if isinstance(value, bool):
                value = "是" if value else "否"
            if isinstance(value, list | tuple):
                value = "、".join(str(v) for v in value)
            if isinstance(value, decimal.Decimal):
                value = float(value)
            values.append(value)
        return values

    # -- machinery ---------------------------------------------------------------
    @property
    def capability_area(self):
        return self.area or self.model.scope_area

    def may_import(self) -> bool:
        return self.user.has_capability("imports", "change") and self.user.has_capability(
            self.capability_area, "change"
        )

    def row_key(self, values):
        return tuple(values.get(k) for k in self.unique_together) if self.unique_together else None


REGISTRY: dict[str, type[ImportSpec]] = {}


def register(spec_class):
    """Class decorator adding a spec to the registry (order of registration is kept)."""
    REGISTRY[spec_class.key] = spec_class
    return spec_class


def template_workbook(spec: ImportSpec) -> bytes:
    """An empty template: the data sheet with Chinese headers and drop-downs, plus a help sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE9D9")
    for index, column in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        note = ("必填。" if column.required else "选填。") + column.help
        if column.example:
            note += f" 示例：{column.example}"
        cell.comment = Comment(note, "zhifa")
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(column.header) * 2 + 4)
        if column.choices:
            labels = ",".join(label for _, label in column.choices)
            if len(labels) < 250:
                dv = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=not column.required)
                dv.error = "请从下拉列表中选择。"
                ws.add_data_validation(dv)
                dv.add(f"{get_column_letter(index)}2:{get_column_letter(index)}{MAX_ROWS}")
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.append(["列名", "是否必填", "说明", "示例"])
    for cell in help_ws[1]:
        cell.font = bold
    for column in spec.columns:
        choices = "可选值：" + "、".join(label for _, label in column.choices) + "。" if column.choices else ""
        help_ws.append([column.header, "是" if column.required else "否", column.help + choices, column.example])
    help_ws.column_dimensions["A"].width = 20
    help_ws.column_dimensions["C"].width = 60
    help_ws.column_dimensions["D"].width = 30
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def bold_header(ws, titles) -> list:
    """A header row of bold cells for a write-only sheet (``ws.append`` it)."""
    from openpyxl.cell import WriteOnlyCell

    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        cells.append(cell)
    return cells


def write_workbook(spec: ImportSpec, target, queryset=None) -> int:
    """Write the rows in the user's scope, in the template's layout (so an export re-imports), to
    the binary file ``target``; returns how many rows. openpyxl's write-only mode keeps the sheet
    in a temporary file, not in memory, however many rows there are."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    ws.append([c.header for c in spec.columns])
    qs = spec.export_queryset() if queryset is None else queryset
    rows = 0
    for obj in qs.iterator(chunk_size=2000):
        ws.append(spec.export_values(obj))
        rows += 1
    wb.save(target)
    return rows


def export_workbook(spec: ImportSpec, queryset=None) -> bytes:
    """The export as bytes (``write_workbook`` into memory): for exports built in a request, which
    hold at most ``ZHIFA_EXPORT_INLINE_ROWS`` rows (``zhifa.core.exports``)."""
    buffer = io.BytesIO()
    rows = write_workbook(spec, buffer, queryset)
    spec.exported(rows)
    return buffer.getvalue()


def read_rows(fileobj, spec: ImportSpec):
    """Yield (excel_row_number, {header: raw}) for each non-empty data row."""
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-xlsx file
        raise ImportError_("无法读取文件，请上传用本系统模板填写的 .xlsx 文件。") from exc
    ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        raise ImportError_("文件是空的。") from None
    header = [str(h).strip() if h is not None else "" for h in header]
    missing = [c.header for c in spec.columns if c.required and c.header not in header]
    if missing:
        raise ImportError_("表头缺少必填列：" + "、".join(missing) + "。请使用本系统下载的模板。")
    positions = {h: i for i, h in enumerate(header) if h}
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if number > MAX_ROWS + 1:
            raise ImportError_(f"一次最多导入{MAX_ROWS}行。")
        yield number, {h: (values[i] if i < len(values) else None) for h, i in positions.items()}
    wb.close()


def check_import_file(fileobj) -> None:
    """An import file passes the evidence allow-list (``core.filetypes``, content sniffed):
    an .xlsx without macros or embedded programs; anything else is refused in Chinese."""
    data = fileobj.read()
    fileobj.seek(0)
    check_bytes(data, getattr(fileobj, "name", "") or "导入文件.xlsx", expected=XLSX,
                description="用本系统模板填写的 Excel（.xlsx）文件")


def run_import(spec: ImportSpec, fileobj) -> ImportResult:
    """Check every row; save all of them in one transaction, or none and report why."""
    result = ImportResult()
    if not spec.may_import():
        result.errors.append(RowError(0, "", "您的角色没有导入此类数据的权限。"))
        return result
    try:
        check_import_file(fileobj)
        raw_rows = list(read_rows(fileobj, spec))
    except ImportError_ as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    except ValidationError as exc:  # refused by the upload allow-list
        result.errors.append(RowError(0, "", exc.messages[0]))
        return result
    if not raw_rows:
        result.errors.append(RowError(0, "", "文件中没有数据行。"))
        return result
    header_of = {c.key: c.header for c in spec.columns}
    spec.prepare()
    instances, keys_by_row = [], {}
    seen = {}
    for number, raw in raw_rows:
        values, row_ok = {}, True
        for column in spec.columns:
            try:
                values[column.key] = column.convert(raw.get(column.header))
            except ValidationError as exc:
                row_ok = False
                result.errors.extend(RowError(number, column.header, m) for m in exc.messages)
        if not row_ok:
            continue
        key = spec.row_key(values)
        if key is not None:
            if key in seen:
                result.errors.append(
                    RowError(number, header_of[spec.unique_together[0]], f"与第{seen[key]}行重复。")
                )
                continue
            seen[key] = number
            keys_by_row[key] = number
        try:
            instance = spec.build(values, number)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key_name, errors in exc.message_dict.items():
                    column = header_of.get(key_name, "" if key_name == "__all__" else key_name)
                    result.errors.extend(RowError(number, column, m) for m in errors)
            else:
                result.errors.extend(RowError(number, "", m) for m in exc.messages)
            continue
        instances.append(instance)
    if keys_by_row:
        for key in spec.existing_keys(set(keys_by_row)):
            result.errors.append(
                RowError(keys_by_row[key], header_of[spec.unique_together[0]], "系统中已存在相同记录。")
            )
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    with transaction.atomic(), acting_as(spec.user):
        saved = spec.save(instances)
        log_bulk_create(saved, note=f"Excel导入：{spec.title}")
    result.created = len(saved)
    return result
