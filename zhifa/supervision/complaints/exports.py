"""The complaint list as a workbook (xlsx). Identity columns do not exist here: the export shows
「匿名/已隐藏」 or 「匿名」 in the complainant column, whoever downloads it."""

from . import procedure as proc
from .identity import ANONYMOUS, HIDDEN

HEADERS = ["编号", "类别", "来源渠道", "热线工单号", "事发地", "承办执法主体", "被投诉举报对象", "事由", "投诉举报人", "状态",
           "收到日期", "受理期限", "答复期限", "处理决定", "案件办理结果", "答复时间", "满意度"]


def complaint_rows(user, params):
    """The complaints in ``user``'s reach that the list's filters (``params``) keep, newest first:
    the list page's rows, for the export (``zhifa.core.exports``, key "complaints")."""
    from zhifa.core.exports import filter_request

    from ..filters import ComplaintFilterSet
    from ..models.complaints import Complaint

    rows = Complaint.objects.restrict(user, "view").select_related("region", "agency").order_by("-received_at", "-id")
    return ComplaintFilterSet(params or None, queryset=rows, request=filter_request(user)).qs


def write_complaints(queryset, target) -> int:
    """Write every row of ``queryset`` (already restricted to the user's reach) as the workbook
    投诉举报 to the binary file ``target``; returns how many rows. Write-only: the sheet is kept
    in a temporary file, not in memory."""
    from openpyxl import Workbook

    from zhifa.core.excel import bold_header

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("投诉举报")
    ws.append(bold_header(ws, HEADERS))
    rows = 0
    for c in queryset.iterator(chunk_size=2000):
        ws.append([c.number, c.get_kind_display(), c.get_source_display(), c.work_order_number, c.region.name,
                   c.agency.name if c.agency_id else "待分派", c.reported_name, c.subject,
                   ANONYMOUS if c.anonymous else HIDDEN, proc.status(c.status).name, c.received_on,
                   c.acknowledge_due, c.reply_due, c.get_decision_display(), c.case_outcome,
                   c.replied_at.date() if c.replied_at else None, c.get_satisfaction_display()])
        rows += 1
    wb.save(target)
    return rows
