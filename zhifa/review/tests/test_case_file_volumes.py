"""The case file (issue #9 item 12): 正卷 and 副卷 from one order definition, every record dated by
when its act happened, the 法制审核意见书 and the 集体讨论记录 generated from templates and filed in
the 副卷; the page, the PDF, the media ZIP and the API follow the same order."""

import datetime
import io
import re
import subprocess
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from zhifa.cases import casefile
from zhifa.cases import services as case_services
from zhifa.cases.models import CaseDocument
from zhifa.catalog import choices as cc
from zhifa.documents.services import upload_template
from zhifa.records.models import AccessLog
from zhifa.records.services import events_for, open_stored, verify_stream
from zhifa.review import choices, services

from .test_services import findings

# the documents' PDFs are converted at once, as after a commit (conftest.py jobs_at_once)
pytestmark = pytest.mark.usefixtures("jobs_at_once")

D = datetime.date


def docx_text(stored) -> str:
    with open_stored(stored) as handle:
        document = Document(io.BytesIO(handle.read()))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


@pytest.fixture
def discussed_case(rw, notice_case, world, fixed_today):
    """¥20,000 and 责令停产停业: review round 1 存在问题, answered, round 2 同意, then the
    collective discussion, the decision, service and payment of the fine."""
    case = notice_case(20000, kinds=(cc.FINE, cc.SUSPEND_BUSINESS))
    fixed_today(D(2026, 11, 3))
    first = services.record_opinion(services.submit_for_review(case, world.officer_user), rw.reviewer,
                                    findings(["evidence"]), choices.PROBLEMS)
    services.answer_findings(first, world.officer_user, {"evidence": "已补充货架照片的拍摄经过说明。"})
    fixed_today(D(2026, 11, 4))
    second = services.record_opinion(services.resubmit(first, world.officer_user), rw.reviewer, findings(), choices.AGREE)
    fixed_today(D(2026, 11, 6))
    discussion = services.record_collective_discussion(
        case, world.officer_user, D(2026, 11, 5), "郑局长、王副局长、刘副局长", world.head,
        "王副局长：事实清楚，证据充分。\n刘副局长：同意审核意见。", "同意责令停产停业并处罚款二万元。")
    fixed_today(D(2026, 11, 10))
    case = case_services.perform_transition(case, "decide", actor=world.head)
    case = case_services.perform_transition(case, "serve", actor=world.officer_user, data={
        "served_on": D(2026, 11, 10), "service_method": "direct", "service_recipient": "李四"})
    fixed_today(D(2026, 11, 12))
    case_services.record_payment(case, actor=world.officer_user, paid_on=D(2026, 11, 12), amount=Decimal("20000"),
                                 bank="秦川市农商银行", bank_reference="CF-1", purpose="")
    case.refresh_from_db()
    return case, first, second, discussion


def test_opinion_and_discussion_record_are_generated_documents_of_the_case(discussed_case, rw, world):
    """Both are rendered from their templates: the opinion states the ten points, the proposed
    penalties, the earlier round's answer and the result; the discussion record its participants,
    opinions and decision, dated the day of the discussion; both are hashed into the record."""
    case, first, second, discussion = discussed_case
    opinion = docx_text(second.opinion_docx)
    assert second.opinion_number in opinion and "法制审核意见书" in opinion
    assert "一、罚款人民币贰万元整（¥20,000.00）" in opinion and "责令停产停业" in opinion
    assert "是否涉嫌犯罪需要移送" in opinion and opinion.count("符合") >= 10
    assert "对第1轮审核意见“证据是否合法充分”：已补充货架照片的拍摄经过说明。" in opinion
    assert "审核结论：同意。同意承办机构拟作出的处理决定。" in opinion
    assert "孙审核（本机关法制审核人员）" in opinion and "2026年11月4日" in opinion
    problems = docx_text(first.opinion_docx)
    assert "审核结论：存在问题。" in problems and "证据二未载明来源。" in problems
    assert discussion.record.code == "collective_discussion_record"
    record = docx_text(discussion.record.docx)
    assert "集体讨论记录" in record and "郑局长、王副局长、刘副局长" in record
    assert "刘副局长：同意审核意见。" in record and "同意责令停产停业并处罚款二万元。" in record
    assert f"经法制审核（{second.opinion_number}），审核结论为同意" in record
    assert "2026年11月5日" in record and "拟给予责令停产停业" in record
    event = next(e for e in events_for(case.stream_key) if e.kind == "collective_discussion")
    discussion.record.refresh_from_db()
    assert {f["hash"] for f in event.files} == {discussion.record.docx.hash}
    # the PDF, converted after the commit, is recorded by its own event
    pdf_events = [e for e in events_for(case.stream_key)
                  if e.kind == "document" and e.payload.get("code") == "collective_discussion_record"]
    assert {f["hash"] for e in pdf_events for f in e.files} == {discussion.record.pdf.hash}
    assert verify_stream(case.stream_key).ok


def test_every_document_kind_renders_its_operative_sentences_for_a_reviewed_case(discussed_case):
    """Every kind of the penalty procedure and of the review for the reviewed, discussed, decided
    and paid case (the other cases of ``cases/tests/test_penalties_and_documents.py`` cover the
    case kinds for a no-penalty and an on-the-spot case; the coercive-measure and enforcement kinds
    are rendered with their measures in ``cases/tests/test_coercion.py``, the supervision kinds in
    ``supervision/tests``, the inspection kinds in ``inspections/tests``): every kind states its operative sentence, none prints a code."""
    from zhifa.cases.documents import build_context
    from zhifa.documents.kinds import DOCUMENT_KINDS
    from zhifa.documents.services import _render_docx, resolve_template

    case, _first, second, discussion = discussed_case
    extra = {"legal_review_opinion": services.opinion_context(second),
             "collective_discussion_record": services.discussion_context(discussion)}
    from zhifa.documents.kinds import SUPERVISION_DOCUMENT_KINDS

    elsewhere = {code for code, _ in SUPERVISION_DOCUMENT_KINDS} | {
        code for code, _ in DOCUMENT_KINDS if code.startswith(("coercion_", "enforcement_", "inspection_"))} | {
        "case_transfer_letter"}  # built from a transfer: zhifa/coordination/tests/test_case_transfer.py
    texts = {}
    for code, _title in DOCUMENT_KINDS:
        if code in elsewhere:
            continue
        context = build_context(case, code, f"测试{code}")
        for section, values in extra.get(code, {}).items():
            context[section] = {**context.get(section, {}), **values}
        document = Document(io.BytesIO(_render_docx(code, context, resolve_template(code, case.agency))[0]))
        lines = [p.text for p in document.paragraphs]
        lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        texts[code] = "\n".join(lines)
    fine = "罚款人民币贰万元整（¥20,000.00）"
    operative = {
        "filing_approval": "立案日期", "site_inspection_record": "12袋饼干无生产日期",
        "interview_record": "询问", "advance_notice": fine, "hearing_notice": fine,
        "statement_record": "陈述", "hearing_record": "听证", "penalty_decision": "本局决定对当事人作出如下行政处罚",
        "on_the_spot_decision": fine, "service_receipt": "《行政处罚决定书》", "credit_repair_notice": "信用修复",
        "payment_notice": "20,000.00", "closing_report": "罚款20,000.00元已于2026年11月12日缴清",
        "no_penalty_decision": "不予行政处罚", "legal_review_opinion": "审核结论：同意。同意承办机构拟作出的处理决定。",
        "collective_discussion_record": "同意责令停产停业并处罚款二万元。",
    }
    assert set(operative) == set(texts)  # a new kind needs its operative sentence here
    for code, sentence in operative.items():
        assert sentence in texts[code], (code, sentence)
    for code, text in texts.items():
        assert "涉嫌涉嫌" not in text and "案一案" not in text, code
        assert not re.search(r"(?<![A-Za-z])(general|simple|penalty|no_penalty|agree|problems|compliant|in_house)"
                             r"(?![A-Za-z_])", text), code
    assert "行政处罚法》第五十八条" in texts["legal_review_opinion"] and "第2轮" in texts["legal_review_opinion"]


def test_an_agencys_own_template_is_used_for_the_opinion(rw, notice_case, world):
    """Replaceable per agency: an uploaded 法制审核意见书 template is the one the next opinion uses."""
    from zhifa.accounts import roles
    from zhifa.core.testing import make_user
    from zhifa.documents.builtin import builtin_template_bytes

    admin = make_user("admin_market", roles.SYSTEM_ADMIN, agency=world.tree.market)

    data = builtin_template_bytes("legal_review_opinion")
    package = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in package.infolist():
            content = package.read(info.filename)
            if info.filename == "word/document.xml":
                content = content.replace("审核结论：".encode(), "本局法制机构审核结论：".encode())
            target.writestr(info, content)
    upload_template(code="legal_review_opinion", data=out.getvalue(), agency=world.tree.market, user=admin)
    case = notice_case(50000)
    review = services.record_opinion(services.submit_for_review(case, world.officer_user), rw.reviewer, findings(),
                                     choices.AGREE)
    assert "本局法制机构审核结论：同意。" in docx_text(review.opinion_docx)
    assert CaseDocument.objects.get(case=case, code="legal_review_opinion").template_version == 1


def test_case_file_has_two_volumes_in_the_one_order_dated_by_the_act(discussed_case):
    """正卷: 立案, 调查取证 (by date), 告知, 决定, 送达, 执行; 副卷: both opinions, then the discussion
    record. Dates are when the act happened (the rows were written today, 2026-11-29 or later)."""
    case, first, second, discussion = discussed_case
    main, secondary = [items for _code, _title, items in casefile.volumes(case)]
    sections = [e.section for e in main]
    assert sections == sorted(sections, key=[s.code for s in casefile.CASE_FILE_ORDER].index)
    titles = [e.title for e in main]
    assert titles[0] == "立案审批表"
    assert titles.index("行政处罚事先告知书") < titles.index("行政处罚决定书") < titles.index("送达回证")
    assert main[-1].section == "execution" and main[-1].doc_number == "CF-1" and main[-1].date == "2026年11月12日"
    by_title = {e.title: e for e in main}
    assert by_title["证据1：货架照片（视听资料，见音像材料包）"].acted_on == D(2026, 11, 2)
    assert by_title["现场检查笔录"].acted_on == D(2026, 11, 2)
    assert by_title["行政处罚决定书"].date == "2026年11月10日" and by_title["送达回证"].acted_on == D(2026, 11, 10)
    assert by_title["立案审批表"].acted_on == case.filed_on
    assert [e.title for e in secondary] == ["法制审核意见书（第1轮）", "法制审核意见书（第2轮）", "集体讨论记录"]
    assert [e.acted_on for e in secondary] == [D(2026, 11, 3), D(2026, 11, 4), D(2026, 11, 5)]
    assert [e.number for e in secondary] == [1, 2, 3] and [e.number for e in main] == list(range(1, len(main) + 1))
    assert secondary[0].first_page == 1 and main[0].first_page == 1
    assert secondary[1].first_page == secondary[0].first_page + secondary[0].pages
    assert all(e.volume == "main" for e in main) and not any(e.code == "legal_review_opinion" for e in
                                                             [x.document for x in main if x.document])


def test_case_file_pdf_zip_page_and_api_follow_the_order(discussed_case, world, client, api_client):
    """The PDF holds the 正卷 index and documents, then the 副卷 index and documents, page counts as
    listed; the media manifest gives each evidence its 正卷 number; the page and the API list both
    volumes; another agency's officer reads none of it."""
    case, *_ = discussed_case
    items = casefile.entries(case)
    pdf = PdfReader(io.BytesIO(casefile.case_file_pdf(case)))
    document_pages = sum(e.pages for e in items)
    assert len(pdf.pages) >= document_pages + 2
    text = subprocess.run(["pdftotext", "-", "-"], input=casefile.case_file_pdf(case), capture_output=True,
                          check=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert flat.index("（正卷）") < flat.index("（副卷）") < flat.rindex("集体讨论记录")
    evidence = next(e for e in items if e.evidence is not None)
    manifest = zipfile.ZipFile(casefile.media_package(case)).read("清单.csv").decode("utf-8-sig")
    assert f"正卷{evidence.number},1,货架照片" in manifest

    client.force_login(world.users.supervisor_a)
    page = client.get(f"/cases/{case.pk}/case-file/").content.decode()
    assert page.index("正卷 · 卷内目录") < page.index("副卷 · 卷内目录") < page.index("集体讨论记录")
    api_client.force_authenticate(world.users.supervisor_a)
    body = api_client.get(f"/api/cases/cases/{case.pk}/case-file/").json()
    assert [(e["volume"], e["number"], e["title"]) for e in body] == [(e.volume, e.number, e.title) for e in items]
    assert body[-1]["section_title"] == "集体讨论" and body[-1]["acted_on"] == "2026-11-05"
    assert AccessLog.objects.filter(user=world.users.supervisor_a, action="view").count() == 2
    api_client.force_authenticate(world.users.officer_b)
    assert api_client.get(f"/api/cases/cases/{case.pk}/case-file/").status_code == 404
    client.force_login(world.users.officer_b)
    assert client.get(f"/cases/{case.pk}/case-file/").status_code == 404
