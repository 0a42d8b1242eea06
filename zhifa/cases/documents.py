"""Enforcement documents of a case: the context every template reads, and generation.

``build_context`` turns a case into the nested dict described in
``zhifa.documents.context`` (all values already formatted); ``generate_document`` renders it
to DOCX, stores it content-addressed and records it on the case. The PDF is made by LibreOffice
in the background job "documents.convert" once the transaction commits — never while the case's
row is locked; until then the document shows "正在生成", a failure "生成失败" with a retry
(``retry_pdf``, web and API), and the sweep job "documents.convert_sweep" picks up any document
whose conversion was lost.
"""

import datetime
import io
import logging
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.catalog import choices as catalog_choices
from zhifa.core import clock, jobs, numbers
from zhifa.documents.context import penalty_content
from zhifa.documents.formatting import amount_in_chinese_upper, chinese_numeral, format_date, format_datetime
from zhifa.documents.pdf_jobs import convert_pending_pdfs
from zhifa.documents.services import DOCUMENT_KINDS, render_documents
from zhifa.documents.signatures import embedded_hashes
from zhifa.records.services import append_event, events_for, store_file

from . import choices, rules
from .models import Case, CaseDocument

logger = logging.getLogger(__name__)

# When an agency has not entered them (orgs.Agency), decisions name the remedies generically —
# still true under 行政复议法 (2023) — and flag the missing payment details visibly.
REVIEW_BODY_DEFAULT = "本级人民政府"
COURT_DEFAULT = "有管辖权的人民法院"
#: the decision documents (处罚决定书): numbered with the decision, and the ones a party may receive
#: by a one-time download link (``zhifa.mobile.links``)
DECISION_CODES = ("penalty_decision", "on_the_spot_decision", "no_penalty_decision")
MISSING = "（执法主体未登记，请在执法主体信息中填写）"


def _d(value):
    return format_date(value) if value else ""


def _money(value):
    return numbers.format_amount(value)


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


def violation_name(case: Case) -> str:
    """The violation as "构成……的违法行为" names it: the cause (案由) without a leading
    涉嫌 and a trailing 案 ("涉嫌经营超过保质期的食品案" → "经营超过保质期的食品")."""
    name = (case.cause or "").strip()
    name = name.split("：", 1)[1] if name.startswith("当场处罚：") else name
    while name.startswith("涉嫌"):
        name = name[2:]
    return name.removesuffix("一案").removesuffix("案").strip()


#: How a legal officer opens a decision, by the case's source (案件来源).
_OPENINGS = {
    "inspection": "{date}，本局执法人员在监督检查中发现当事人涉嫌{violation}。",
    "complaint": "{date}，本局接到投诉举报，反映当事人涉嫌{violation}。",
    "referral": "{date}，本局收到上级机关交办（有关部门移送）的案件线索，当事人涉嫌{violation}。",
    "self_report": "{date}，当事人向本局主动报告其涉嫌{violation}的情况。",
    "monitoring": "{date}，本局通过非现场监管发现当事人涉嫌{violation}。",
    "other": "{date}，本局发现当事人涉嫌{violation}。",
}


def _facts(text: str) -> str:
    """The facts as the documents print them after their own "经查明：" / "经查，": without a
    leading 经查 of their own."""
    return re.sub(r"^\s*经查明?\s*[，,：:]\s*", "", text or "")


def opening_sentence(case: Case) -> str:
    """The first sentence of a decision: when and how the violation came to the agency's
    attention (the discovery date — the clue's registration — not the date of the act)."""
    template = _OPENINGS.get(case.source, _OPENINGS["other"])
    return template.format(date=_d(case.registered_on), violation=violation_name(case))


def procedure_sentence(case: Case) -> str:
    """The procedure followed, as the decision states it (never the procedure's code name)."""
    if case.procedure == choices.SIMPLE:
        return ("执法人员当场出示了执法证件，告知当事人拟作出行政处罚的事实、理由和依据，"
                "并听取了当事人的陈述、申辩。")
    kinds = set(events_for(case.stream_key).values_list("kind", flat=True)) if case.pk else set()
    steps = ["立案", "调查取证"]
    if case.notice_served_on:
        steps.append("事先告知")
    if hasattr(case, "hearing") and case.hearing.held_on:
        steps.append("听证")
    if "review_opinion" in kinds:
        steps.append("法制审核")
    if "collective_discussion" in kinds:
        steps.append("集体讨论")
    listed = "、".join(steps[:-1]) + "和" + steps[-1]
    return f"本案经{listed}等程序，现已审查终结。"


def penalty_text(item) -> str:
    """One decided penalty as a decision states it: "罚款人民币柒万元整（¥70,000.00）",
    "没收非法财物：……", "责令停产停业十日"."""
    if item.amount:
        return f"{item.kind}人民币{amount_in_chinese_upper(item.amount)}（¥{_money(item.amount)}）"
    if item.goods:
        listed = "、".join(line.strip(" 、；;。") for line in item.goods.splitlines() if line.strip())
        return f"{item.kind}：{listed}"
    if item.period:
        return f"{item.kind}{item.period}"
    return item.kind


def penalty_lines(case: Case) -> list[str]:
    """Every penalty decided on ``case``, one text each, in statutory order."""
    return [penalty_text(item) for item in rules.penalty_items(case)]


def evidence_list(case: Case) -> list[dict]:
    """The evidence a decision lists: every evidence item, then every record made in the case
    (现场检查笔录, 询问笔录, 听证笔录), each with its kind and what it proves."""
    rows = [{"no": e.number, "kind": e.get_kind_display(), "title": e.title, "description": e.description}
            for e in case.evidence.all()]
    number = max((e["no"] for e in rows), default=0)
    records = []
    for inspection in case.inspections.all():
        when = format_date(timezone.localtime(inspection.time).date())
        records.append((inspection.time, "勘验笔录、现场笔录", f"{when}现场检查笔录",
                        "证明执法人员现场检查发现的情况"))
    for interview in case.interviews.all():
        when = format_date(timezone.localtime(interview.time).date())
        records.append((interview.time, "当事人的陈述", f"{when}对{interview.interviewee}的询问笔录",
                        "证明被询问人陈述的案件事实"))
    records.sort(key=lambda r: r[0])
    for _, kind, title, description in records:
        number += 1
        rows.append({"no": number, "kind": kind, "title": title, "description": description})
    try:
        hearing = case.hearing
    except Case.hearing.RelatedObjectDoesNotExist:
        hearing = None
    if hearing is not None and hearing.held_on:
        number += 1
        rows.append({"no": number, "kind": "听证笔录", "title": f"{format_date(hearing.held_on)}听证笔录",
                     "description": "证明听证中当事人的申辩、质证意见"})
    return rows


def build_context(case: Case, code: str, number: str = "", *, interview=None, inspection=None) -> dict:
    """The template context of document ``code`` for ``case``; a 询问笔录 / 现场检查笔录 is of
    ``interview`` / ``inspection`` (default: the latest one)."""
    from .signing.services import signature_section

    titles = dict(DOCUMENT_KINDS)
    version = case.item_version
    officers = [
        {"name": a.officer.name, "certificate_number": _certificate_number(a.officer)}
        for a in case.assignments.select_related("officer").order_by("-role", "pk")
    ]
    statements = [{"point": s.point, "answer": s.answer or "（待复核）"} for s in case.statements.all()]
    inspection = inspection or case.inspections.order_by("-time").first()
    interview = interview or case.interviews.order_by("-time").first()
    try:
        hearing = case.hearing
    except Case.hearing.RelatedObjectDoesNotExist:
        hearing = None
    fine = case.fine_amount if catalog_choices.FINE in (case.penalty_kinds or []) else None
    items = penalty_lines(case)
    money = rules.money_items(case, case.decided_on or clock.today())
    total = sum((m.principal for m in money), 0)
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
            "filed_on": _d(case.filed_on), "discovered_on": _d(case.registered_on), "occurred_on": _d(case.occurred_on),
            "place": case.place, "facts": _facts(case.facts), "source": case.get_source_display(),
            "procedure": procedure_sentence(case), "violation": violation_name(case), "opening": opening_sentence(case),
        },
        "party": _party(case),
        "officers": officers,
        "evidence": evidence_list(case),
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
            "content": penalty_content(items) if items else "",
            "decided": [{"no": chinese_numeral(i), "text": text} for i, text in enumerate(items, start=1)],
            "discretion_level": level_label,
            "discretion_outcome": _outcome_phrase(tier),
            "discretion_reasoning": _reasoning(case, tier, level_label),
            "correction_order": "责令当事人立即改正违法行为。",
            "benchmark": f"行政处罚裁量权基准（{case.benchmark.document}）" if case.benchmark_id else "",
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
            "amounts": [{"label": m.label, "amount": _money(m.principal), "amount_upper": amount_in_chinese_upper(m.principal)}
                      for m in money],
            "total": _money(total) if money else "", "total_upper": amount_in_chinese_upper(total) if money else "",
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
        "signatures": signature_section(case, code, interview=interview, inspection=inspection),  # 文书签名
    }


def _certificate_number(officer):
    certificate = officer.certificates.order_by("-issued_on").first()
    return certificate.number if certificate else ""


def _level_label(level):
    from zhifa.catalog.choices import LEVEL_CHOICES

    return dict(LEVEL_CHOICES).get(level, level or "")


#: The discretion outcome as "本局认为对当事人应当……" ends.
_OUTCOME_PHRASES = {
    catalog_choices.STANDARD: "在该档次的幅度内予以处罚",
    catalog_choices.NO_PENALTY: "不予行政处罚",
    catalog_choices.EXEMPT: "免予行政处罚",
}


def _outcome_phrase(tier):
    if tier is None:
        return "依法予以处罚"
    return _OUTCOME_PHRASES.get(tier.outcome, tier.get_outcome_display())
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
    exception = rules.no_fault_exception_sentence(case)
    if exception and case.outcome != choices.OUTCOME_NO_PENALTY:
        parts.append(exception)
    if case.discretion_reasoning:
        text = case.discretion_reasoning.strip()
        parts.append(text if text.endswith(("。", "！", "？")) else text + "。")
    if tier is not None:
        fine = f"，罚款{tier.fine_display.replace(' ', '')}" if tier.fine_display != "—" else ""
        parts.append(f"该档次的处罚为{tier.kinds_display}{fine}。")
    if case.within_benchmark is False and case.deviation_reason:
        parts.append(f"偏离裁量基准的理由：{case.deviation_reason}")
    return "".join(parts)


def _closing_result(case):
    """How each penalty was executed: every money amount with what was paid and when, and the
    recorded execution of the other kinds."""
    if case.outcome == choices.OUTCOME_NO_PENALTY:
        return "不予行政处罚，已对当事人进行教育。"
    parts = []
    last_paid = max((p.paid_on for p in case.payments.all()), default=None)
    for item in rules.money_items(case, case.executed_on or clock.today()):
        surcharge = f"及加处罚款{_money(item.surcharge)}元" if item.surcharge else ""
        if item.outstanding:
            parts.append(f"{item.label}{_money(item.principal)}元{surcharge}尚欠{_money(item.outstanding)}元")
        else:
            parts.append(f"{item.label}{_money(item.principal)}元{surcharge}已于{_d(last_paid)}缴清")
    items = rules.penalty_items(case)
    served = [i.kind for i in items if not i.is_money and not i.needs_own_act]
    if served:
        parts.append(f"{'、'.join(served)}已随决定书送达执行")
    others = [i.kind for i in items if i.needs_own_act]
    if others:
        if case.other_execution:
            parts.append(f"{'、'.join(others)}：{case.other_execution.rstrip('。')}（{_d(case.other_executed_on)}）")
        else:
            parts.append(f"{'、'.join(others)}：尚未登记执行情况")
    return "；".join(parts) + "。" if parts else ""


def _number_for(case: Case, code: str) -> str:
    """The document's own number (文号): the decision's number for decisions, the filing number
    for the 立案审批表, the kind's own series for notices (reused when regenerated), and none
    for records (笔录), the 送达回证 and the 结案报告."""
    from .services.common import DOCUMENT_NUMBER_MARKS, document_number

    if code in DECISION_CODES:
        return case.decision_number or ""
    if code == "filing_approval":
        return case.number or ""
    if code in DOCUMENT_NUMBER_MARKS:
        earlier = case.documents.filter(code=code).exclude(number="").order_by("-pk").first()
        if earlier is not None:
            return earlier.number
        return document_number(case.agency, code, clock.today().year)
    return ""


@transaction.atomic
def generate_documents(case: Case, codes: list[str], *, actor, log: bool = True, extra: dict | None = None,
                       numbers: dict | None = None, subject: dict | None = None) -> list[CaseDocument]:
    """Render documents ``codes`` for ``case`` to DOCX, store them content-addressed and record
    them on the case; their PDFs are converted by the job "documents.convert" after the
    transaction commits (nothing is enqueued if it rolls back). Another app adds the sections
    only it knows (``extra``: code → {section: {key: value}}, e.g. the review app's ``review``)
    and numbers it keeps itself (``numbers``: code → 文号); ``subject`` names the interview or
    inspection a record (笔录) is of. Each document's record event lists the SM3 of the signatures
    it prints (``signatures``), also kept on the returned rows as ``embedded_signatures``."""
    if not codes:
        return []
    numbers = {code: (numbers or {}).get(code) or _number_for(case, code) for code in codes}
    items = []
    for code in codes:
        context = build_context(case, code, numbers[code], **(subject or {}))
        for section, values in ((extra or {}).get(code) or {}).items():
            context[section] = {**context.get(section, {}), **values} if isinstance(values, dict) else values
        items.append((code, context))
    documents = []
    now = timezone.now()
    for (code, context), rendered in zip(items, render_documents(items, agency=case.agency, pdf=False), strict=True):
        number = numbers[code]
        embedded = embedded_hashes(context.get("signatures"))
        stem = f"{case.number or case.pk}-{rendered.title}"
        docx = store_file(io.BytesIO(rendered.docx), f"{stem}.docx",
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        document = CaseDocument.objects.create(
            case=case, code=code, title=rendered.title, number=number, docx=docx, pdf=None,
            pdf_status=CaseDocument.PDF_PENDING, pdf_requested_at=now,
            template_version=getattr(rendered.template, "version", 0) or 0, generated_by=actor,
        )
        document.embedded_signatures = embedded
        if log:
            append_event(case.stream_key, "document", f"生成{rendered.title}", actor=actor,
                         payload={"code": code, "number": number, **({"signatures": embedded} if embedded else {})},
                         files=[docx])
        documents.append(document)
    jobs.enqueue_on_commit("documents.convert", [d.pk for d in documents])
    return documents


def generate_document(case: Case, code: str, *, actor, log: bool = True) -> CaseDocument:
    """Render one document of ``case`` (see ``generate_documents``)."""
    return generate_documents(case, [code], actor=actor, log=log)[0]


def convert_pending_documents(document_ids: list[int]) -> int:
    """Job "documents.convert": convert the DOCX of ``document_ids`` that have no PDF yet to PDF
    (one LibreOffice run), store each PDF and record it in the case's record. Idempotent: a
    document that already has its PDF is skipped, also when two runs race. On failure the
    documents are marked "生成失败" with the reason and the error is raised (the job layer
    records it and retries with backoff). Returns the number of PDFs stored."""
    return convert_pending_pdfs(CaseDocument, document_ids, owner="case",
                                stem=lambda d: f"{d.case.number or d.case_id}-{d.title}")


STALE_AFTER = datetime.timedelta(minutes=15)


def convert_stale_documents() -> int:
    """Job "documents.convert_sweep": convert documents still without PDF a while after they were
    requested (a lost enqueue, a worker that died) — not those marked failed, which wait for
    their automatic or manual retry. Returns the number of PDFs stored."""
    cutoff = timezone.now() - STALE_AFTER
    ids = list(CaseDocument.objects.filter(pdf__isnull=True, pdf_status=CaseDocument.PDF_PENDING,
                                           pdf_requested_at__lt=cutoff).values_list("pk", flat=True)[:50])
    return convert_pending_documents(ids) if ids else 0


def retry_pdf(document: CaseDocument, *, actor) -> CaseDocument:
    """Convert a document whose PDF failed again (the "重新生成" button and API action): marked
    "正在生成" and enqueued after commit. Only for those who may handle the case."""
    from .services.common import _check_can_change

    with transaction.atomic():
        current = CaseDocument.objects.select_for_update().select_related("case").get(pk=document.pk)
        if not Case.objects.restrict(actor, "change").filter(pk=current.case_id).exists():
            raise PermissionDenied("您无权办理该案件。")
        _check_can_change(current.case, actor)
        if current.pdf_id is not None:
            raise ValidationError("该文书的PDF已生成，无需重新生成。")
        current.pdf_status, current.pdf_error = CaseDocument.PDF_PENDING, ""
        current.pdf_requested_at = timezone.now()
        current.save(update_fields=["pdf_status", "pdf_error", "pdf_requested_at"])
        jobs.enqueue_on_commit("documents.convert", [current.pk])
    return current
