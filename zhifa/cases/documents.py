"""Enforcement documents of a case: the context every template reads, and generation.

``build_context`` turns a case into the nested dict described in
``zhifa.documents.context`` (all values already formatted); ``generate_document`` renders it
to DOCX and PDF, stores both content-addressed and records them on the case.
"""

from django.db import transaction
from django.utils import timezone

from zhifa.core import clock
from zhifa.documents.formatting import amount_in_chinese_upper, format_date, format_datetime
from zhifa.documents.services import DOCUMENT_KINDS, render_documents
from zhifa.records.services import append_event, store_file

from . import choices, rules
from .models import Case, CaseDocument

# When an agency has not entered them (orgs.Agency), decisions name the remedies generically —
# still true under 行政复议法 (2023) — and flag the missing payment details visibly.
REVIEW_BODY_DEFAULT = "本级人民政府"
COURT_DEFAULT = "有管辖权的人民法院"
MISSING = "（执法主体未登记，请在执法主体信息中填写）"


def _d(value):
    return format_date(value) if value else ""


def _money(value):
    return f"{value:,.2f}" if value is not None else ""


def _party(case):
    party = case.party
    natural = party.kind == "natural"
    return {
        "kind": party.get_kind_display(),
        "name": party.name,
        "id_label": party.get_id_type_display() if natural and hasattr(party, "get_id_type_display") else "统一社会信用代码",
        "id_number": getattr(party, "id_number", "") if natural else "",
        "credit_code": getattr(party, "credit_code", "") or "",
        "representative": party.legal_representative,
        "address": party.address,
        "phone": getattr(party, "phone", "") or "",
    }


def build_context(case: Case, code: str, number: str = "") -> dict:
    """The template context of document ``code`` for ``case``."""
    titles = dict(DOCUMENT_KINDS)
    version = case.item_version
    officers = [
        {"name": a.officer.name, "certificate_number": _certificate_number(a.officer)}
        for a in case.assignments.select_related("officer").order_by("-role", "pk")
    ]
    statements = [{"point": s.point, "answer": s.answer or "（待复核）"} for s in case.statements.all()]
    inspection = case.inspections.order_by("-time").first()
    interview = case.interviews.order_by("-time").first()
    try:
        hearing = case.hearing
    except Case.hearing.RelatedObjectDoesNotExist:
        hearing = None
    fine = case.fine_amount
    notice = case.documents.filter(code="advance_notice").order_by("-pk").first()
    statements_first = case.statements.order_by("received_on", "pk").first()
    served_documents = list(case.documents.filter(
        code__in=["penalty_decision", "credit_repair_notice", "payment_notice", "no_penalty_decision"]).order_by("pk"))
    tier = case.benchmark.tier_for(case.discretion_level) if case.benchmark_id and case.discretion_level else None
    level_label = _level_label(case.discretion_level)
    return {
        "agency": {
            "name": case.agency.name, "address": case.agency.address, "phone": case.agency.phone,
            "seal_text": f"{case.agency.name}（印章）",
        },
        "document": {"number": number, "date": _d(clock.today()), "title": titles.get(code, code)},
        "case": {
            "number": case.number, "title": case.cause, "cause": case.cause, "item_name": case.item.name,
            "item_code": case.item.code, "legal_basis": version.citation if version else "",
            "violated_provision": getattr(version, "violated_provision", "") or "",
            "penalty_basis": _penalty_basis(case, version),
            "filed_on": _d(case.filed_on), "occurred_on": _d(case.occurred_on), "place": case.place,
            "facts": case.facts, "source": case.get_source_display(), "procedure": case.get_procedure_display(),
        },
        "party": _party(case),
        "officers": officers,
        "evidence": [
            {"no": e.number, "kind": e.get_kind_display(), "title": e.title, "description": e.description}
            for e in case.evidence.all()
        ],
        "inspection": {
            "time": format_datetime(timezone.localtime(inspection.time)) if inspection else "",
            "place": inspection.place if inspection else "", "content": inspection.content if inspection else "",
            "findings": inspection.findings if inspection else "",
        },
        "interview": {
            "time": format_datetime(timezone.localtime(interview.time)) if interview else "",
            "place": interview.place if interview else "", "interviewee": interview.interviewee if interview else "",
            "questions": interview.questions if interview else [],
        },
        "penalty": {
            "kinds": "、".join(case.penalty_kinds or []) or ("不予行政处罚" if case.outcome == "no_penalty" else ""),
            "amount": _money(fine), "amount_upper": amount_in_chinese_upper(fine) if fine else "",
            "discretion_level": level_label,
            "discretion_outcome": tier.get_outcome_display() if tier is not None else "",
            "discretion_reasoning": _reasoning(case, tier, level_label),
            "correction_order": "责令当事人立即改正违法行为。",
            "benchmark": f"{case.benchmark.document}（第{case.benchmark.version}版）" if case.benchmark_id else "",
            "education": case.education_record,
        },
        "notice": {"number": notice.number if notice else "", "date": _d(case.notice_served_on)},
        "decision": {"number": case.decision_number, "date": _d(case.decided_on)},
        "statement": {
            "time": _d(statements_first.received_on) if statements_first else "", "place": case.agency.address,
            "speaker": case.party.legal_representative or case.party.name, "recorder": officers[0]["name"] if officers else "",
        },
        "credit_repair": {
            "platform": "国家企业信用信息公示系统" if case.party.kind != "natural" else "信用中国（陕西）",
            "publicity_period": "自公示之日起三年", "min_period": "一年", "authority": case.agency.name,
            "materials": "信用修复申请书、守信承诺书、已经履行行政处罚决定规定义务的材料",
        },
        "statements": statements,
        "hearing": {
            "requested": "是" if hearing else "否",
            "time": format_datetime(timezone.localtime(hearing.scheduled_for)) if hearing and hearing.scheduled_for else "",
            "place": hearing.place if hearing else "", "presiding": hearing.presiding.name if hearing and hearing.presiding else "",
            "record": hearing.record if hearing else "",
        },
        "payment": {
            "bank": case.agency.fine_bank or MISSING, "account_name": case.agency.fine_account_name or MISSING,
            "account": case.agency.fine_account or MISSING, "reference": case.decision_number,
            "deadline": _d(case.payment_due_on) or "收到本决定书之日起十五日内",
            "surcharge_rule": "到期不缴纳罚款的，每日按罚款数额的3%加处罚款，加处罚款的数额不超出罚款的数额。",
        },
        "remedies": {
            "review_body": case.agency.review_body or REVIEW_BODY_DEFAULT, "review_days": "六十日",
            "litigation_court": case.agency.court or COURT_DEFAULT,
            "litigation_months": "六个月",
        },
        "service": {
            "method": case.get_service_method_display() if case.service_method else "", "served_on": _d(case.served_on),
            "recipient": case.service_recipient, "place": case.place,
            "server_names": "、".join(o["name"] for o in officers[:2]),
            "note": "",
            "documents": [{"title": d.title, "number": d.number} for d in served_documents],
        },
        "closing": {
            "result": _closing_result(case), "executed_on": _d(case.executed_on),
            "summary": f"本案于{_d(case.filed_on)}立案，{_d(case.decided_on)}作出决定，{_d(case.served_on)}送达。",
        },
        "approvals": [],
    }


def _certificate_number(officer):
    certificate = officer.certificates.order_by("-issued_on").first()
    return certificate.number if certificate else ""


def _level_label(level):
    from zhifa.catalog.choices import LEVEL_CHOICES

    return dict(LEVEL_CHOICES).get(level, level or "")


def _penalty_basis(case, version):
    """The article the decision applies; a decision of no penalty cites 第三十三条 or 第三十六条
    where the recorded facts meet one (``rules.no_penalty_basis``)."""
    if case.outcome == choices.OUTCOME_NO_PENALTY:
        basis = rules.no_penalty_basis(case)
        if basis:
            return basis
    return getattr(version, "penalty_basis", "") or ""


def _reasoning(case, tier, level_label):
    parts = []
    if case.outcome == choices.OUTCOME_NO_PENALTY:
        parts += [g.reason for g in rules.no_penalty_grounds(case)[:1]]
    if case.discretion_reasoning:
        parts.append(case.discretion_reasoning)
    if tier is not None:
        parts.append(f"依据《{case.item.name}》裁量基准，本案违法情节属“{level_label}”，对应“{tier.get_outcome_display()}”档次"
                     f"（{tier.kinds_display}；{tier.fine_display}）。")
    if case.within_benchmark is False and case.deviation_reason:
        parts.append(f"偏离裁量基准的理由：{case.deviation_reason}")
    return "".join(parts)


def _closing_result(case):
    if case.outcome == choices.OUTCOME_NO_PENALTY:
        return "不予行政处罚，已对当事人进行教育。"
    paid = rules.amount_paid(case)
    return f"已执行完毕：{'、'.join(case.penalty_kinds or [])}" + (f"，缴纳罚款{_money(paid)}元" if paid else "") + "。"


def _number_for(case: Case, code: str) -> str:
    return {
        "penalty_decision": case.decision_number, "on_the_spot_decision": case.decision_number,
        "no_penalty_decision": case.decision_number, "filing_approval": case.number,
    }.get(code, case.number) or ""


@transaction.atomic
def generate_documents(case: Case, codes: list[str], *, actor, log: bool = True) -> list[CaseDocument]:
    """Render documents ``codes`` for ``case`` to DOCX and PDF (one LibreOffice run for all of
    them), store both content-addressed and record them on the case."""
    if not codes:
        return []
    items = [(code, build_context(case, code, _number_for(case, code))) for code in codes]
    documents = []
    for code, rendered in zip(codes, render_documents(items, agency=case.agency), strict=True):
        number = _number_for(case, code)
        stem = f"{case.number or case.pk}-{rendered.title}"
        docx = store_file(_bytes_io(rendered.docx), f"{stem}.docx",
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        pdf = store_file(_bytes_io(rendered.pdf), f"{stem}.pdf", "application/pdf")
        document = CaseDocument.objects.create(
            case=case, code=code, title=rendered.title, number=number, docx=docx, pdf=pdf,
            template_version=getattr(rendered.template, "version", 0) or 0, generated_by=actor,
        )
        if log:
            append_event(case.stream_key, "document", f"生成{rendered.title}", actor=actor,
                         payload={"code": code, "number": number}, files=[docx, pdf])
        documents.append(document)
    return documents


def generate_document(case: Case, code: str, *, actor, log: bool = True) -> CaseDocument:
    """Render one document of ``case`` (see ``generate_documents``)."""
    return generate_documents(case, [code], actor=actor, log=log)[0]


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)
