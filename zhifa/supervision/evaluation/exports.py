"""Exports of an evaluation plan: the results workbook (xlsx) and the results notice (通报) of
each agency and the plan's summary as PDF (WeasyPrint, the statistics app's renderer, with the
CJK font embedded and the stylesheet from a static file)."""

import io
from pathlib import Path

from django.template.loader import render_to_string

from zhifa.documents.formatting import format_date
from zhifa.statistics.rendering import FONT

from ..models import CaseEvaluation, EvaluationNotice, EvaluationPlan

PDF_CSS = Path(__file__).resolve().parent.parent / "static" / "supervision" / "evaluation_pdf.css"


def _evaluations(plan: EvaluationPlan, agency=None):
    qs = (CaseEvaluation.objects.filter(plan=plan).select_related("case", "agency", "evaluator")
          .prefetch_related("findings__item").order_by("agency__name", "draw_rank"))
    return qs.filter(agency=agency) if agency is not None else qs


def plan_xlsx(plan: EvaluationPlan, evaluations=None) -> bytes:
    """The plan's workbook: 方案 (seed, digest, sample), 评查结果 (one row per file),
    发现问题 (one row per finding with its rectification), 各单位 (averages and grades)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    evaluations = list(evaluations if evaluations is not None else _evaluations(plan))
    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "方案"
    for row in [("方案名称", plan.title), ("组织单位", str(plan.region)), ("评分标准", plan.sheet.name),
                ("归档期间", f"{format_date(plan.archived_from)}至{format_date(plan.archived_to)}"),
                ("抽取比例（%）", float(plan.sample_rate)), ("每单位最少（件）", plan.sample_minimum),
                ("随机种子", plan.seed), ("案卷总体数", plan.population_size), ("总体摘要（SHA-256）", plan.population_digest),
                ("状态", plan.get_status_display()), ("结果通报日期", format_date(plan.results_issued_on))]:
        ws.append(row)
        ws.cell(ws.max_row, 1).font = bold
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 20, 70

    results = wb.create_sheet("评查结果")
    results.append(["被评查单位", "抽取顺位", "案号", "案由", "评查人", "得分", "等次", "直接不合格或否决事项", "总体评价"])
    findings = wb.create_sheet("发现问题")
    findings.append(["被评查单位", "案号", "评查项目", "扣分", "触发不合格或否决", "问题描述", "整改状态", "整改情况"])
    for ev in evaluations:
        results.append([ev.agency.name, ev.draw_rank, ev.case.number, ev.case.cause, str(ev.evaluator or ""),
                        float(ev.total) if ev.total is not None else None, ev.get_grade_display(), ev.failed_by, ev.comment])
        for f in ev.findings.all():
            findings.append([ev.agency.name, ev.case.number, f.item.title, float(f.deduction), "是" if f.triggered else "",
                             f.note, f.get_rectification_display(), f.rectification_report])
    agencies = wb.create_sheet("各单位")
    agencies.append(["被评查单位", "评查案卷（件）", "平均得分", "优秀", "良好", "合格", "不合格"])
    by_agency: dict = {}
    for ev in evaluations:
        by_agency.setdefault(ev.agency.name, []).append(ev)
    for name, rows in by_agency.items():
        scored = [ev.total for ev in rows if ev.total is not None]
        grades = [ev.grade for ev in rows]
        agencies.append([name, len(rows), round(float(sum(scored)) / len(scored), 1) if scored else None,
                         grades.count("excellent"), grades.count("good"), grades.count("pass"), grades.count("fail")])
    for sheet in (results, findings, agencies):
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "font": FONT})
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_CSS))])


def notice_pdf(notice: EvaluationNotice) -> bytes:
    """The results notice (评查结果通报) of one agency as PDF."""
    return _pdf("supervision/evaluation_notice_pdf.html", {
        "notice": notice, "plan": notice.plan, "evaluations": _evaluations(notice.plan, notice.agency),
        "issued": format_date(notice.issued_on),
    })


def plan_pdf(plan: EvaluationPlan, evaluations=None) -> bytes:
    """The plan's results as PDF: the draw, every file's score and grade, the findings."""
    return _pdf("supervision/evaluation_plan_pdf.html", {
        "plan": plan, "evaluations": evaluations if evaluations is not None else _evaluations(plan),
        "period": f"{format_date(plan.archived_from)}至{format_date(plan.archived_to)}",
        "issued": format_date(plan.results_issued_on),
    })
