"""The complaint list as a workbook (xlsx). Identity columns do not exist here: the export shows
「匿名/已隐藏」 or 「匿名」 in the complainant column, whoever downloads it."""

import io

from . import procedure as proc
from .identity import ANONYMOUS, HIDDEN

HEADERS = ["编号", "类别", "来源渠道", "热线工单号", "事发地", "承办执法主体", "被投诉举报对象", "事由", "投诉举报人", "状态",
           "收到日期", "受理期限", "答复期限", "处理决定", "案件办理结果", "答复时间", "满意度"]
LIMIT = 10000


def complaints_xlsx(queryset) -> bytes:
    """At most ``LIMIT`` rows of ``queryset`` (already restricted to the user's reach)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "投诉举报"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for c in queryset.select_related("region", "agency")[:LIMIT]:
        ws.append([c.number, c.get_kind_display(), c.get_source_display(), c.work_order_number, c.region.name,
                   c.agency.name if c.agency_id else "待分派", c.reported_name, c.subject,
                   ANONYMOUS if c.anonymous else HIDDEN, proc.status(c.status).name, c.received_on,
                   c.acknowledge_due, c.reply_due, c.get_decision_display(), c.case_outcome,
                   c.replied_at.date() if c.replied_at else None, c.get_satisfaction_display()])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
