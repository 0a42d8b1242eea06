"""PDF output through LibreOffice: Chinese really rendered (text extractable, CJK font
embedded), and clear errors when LibreOffice is missing, fails or hangs.

All kinds are converted in one LibreOffice run to keep the suite fast."""

import os
import re
import stat
import subprocess

import pytest

from zhifa.documents import conversion
from zhifa.documents.context import sample_context
from zhifa.documents.kinds import DOCUMENT_KINDS
from zhifa.documents.services import DocumentRenderError, render_document, render_documents

CJK_FONT = re.compile(r"WenQuanYi|Noto\w*CJK|SimSun|FangSong|SimHei|Source\w*Han|Droid\w*Fallback", re.I)

#: Values each kind's PDF must show, besides its title and the agency name.
EXPECTED = {
    # the inspection documents (zhifa.inspections.acts)
    "inspection_approval": ["食品经营企业日常监督检查", "同意检查"],
    "inspection_site_record": ["冷冻鸡翅8千克"],
    "inspection_result_notice": ["云岭县市场监管局检〔2026〕18号", "冷冻鸡翅8千克"],
    "inspection_correction_notice": ["建立并落实食品贮存定期检查制度"],
    "inspection_review_record": ["已改正"],
    "filing_approval": ["云岭县禾丰餐饮管理有限公司", "秋季食品安全专项检查", "同意立案"],
    "site_inspection_record": ["云岭县禾丰餐饮管理有限公司", "冷冻鸡翅8千克", "61992100015"],
    "interview_record": ["李建国", "兴旺冻品批发部"],
    "advance_notice": ["云岭县禾丰餐饮管理有限公司", "伍万伍仟元整", "五个工作日内"],
    "hearing_notice": ["云岭县禾丰餐饮管理有限公司", "要求举行听证"],
    "statement_record": ["云岭县禾丰餐饮管理有限公司", "请求从轻处罚"],
    "hearing_record": ["周立新", "主持人宣布听证结束"],
    "penalty_decision": ["云岭县禾丰餐饮管理有限公司", "伍万伍仟元整", "91619921MA6YK2LP0U"],
    "on_the_spot_decision": ["云岭县禾丰餐饮管理有限公司", "壹仟伍佰元整", "应当先申请行政复议"],
    "service_receipt": ["云岭县禾丰餐饮管理有限公司", "直接送达", "两书同达"],
    "credit_repair_notice": ["云岭县禾丰餐饮管理有限公司", "国家企业信用信息公示系统"],
    "payment_notice": ["云岭县禾丰餐饮管理有限公司", "伍万伍仟元整", "6199212026003700001"],
    "closing_report": ["云岭县禾丰餐饮管理有限公司", "云市监罚〔2026〕37号", "建议结案归档"],
    "no_penalty_decision": ["云岭县禾丰餐饮管理有限公司", "不予行政处罚", "第三十三条第一款"],
    # 行政强制
    "coercion_decision": ["扣押", "云市监强决〔2026〕37号", "2026年10月12日届满"],
    "coercion_inventory": ["速冻水饺", "冷冻鸡翅"],
    "coercion_extension_notice": ["延长二十日", "情况复杂"],
    "coercion_testing_notice": ["秦川市食品药品检验检测中心", "不计入扣押期限"],
    "coercion_release": ["解除扣押"],
    "coercion_disposal": ["依法予以没收"],
    "enforcement_reminder": ["2026年11月23日前", "加处罚款的数额不超出罚款的数额"],
    "enforcement_decision": ["第三十七条", "申请人民法院强制执行"],
    "enforcement_court_application": ["云岭县人民法院", "2027年4月21日届满"],
    # 副卷
    "legal_review_opinion": ["云市监法审〔2026〕37号", "主体是否合法", "同意承办机构拟作出的行政处罚决定"],
    "collective_discussion_record": ["2026年10月16日", "刘志强", "同意对当事人罚款人民币伍万伍仟元整"],
    # 执法监督文书
    "supervision_notice": ["云岭县司法局", "2026年11月16日前", "督办"],
    "supervision_opinion": ["云岭县司法局", "监督意见", "第六十一条"],
    "correction_notice": ["云岭县司法局", "纠正"],
    "inspection_letter": ["云岭县司法局", "决定书送达超期", "整改"],
    # 协调衔接
    "case_transfer_letter": ["青石县市场监督管理局", "本局对该案无管辖权", "第二十二条"],
}


def _pdf_tool(tool: str, pdf: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    args = [tool, "-raw", str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def _compact(text: str) -> str:
    """pdftotext breaks lines and spaces Latin runs; compare without whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.mark.django_db
def test_all_kinds_render_to_pdf_with_chinese_text_and_embedded_cjk_font(tmp_path):
    """Every built-in template renders the sample to DOCX and PDF in one LibreOffice run; each
    PDF's text holds the title and key values, and a CJK font is embedded (no boxes)."""
    rendered = render_documents([(code, sample_context(code)) for code, _ in DOCUMENT_KINDS])
    assert [r.code for r in rendered] == [code for code, _ in DOCUMENT_KINDS]
    for document in rendered:
        assert document.docx.startswith(b"PK") and document.pdf.startswith(b"%PDF")
        assert document.template is None and document.source == "内置默认模板"
        text = _compact(_pdf_tool("pdftotext", document.pdf, tmp_path, document.code))
        assert _compact(document.title) in text, document.code
        assert "云岭县市场监督管理局" in text
        for value in EXPECTED[document.code]:
            assert _compact(value) in text, (document.code, value)
        fonts = _pdf_tool("pdffonts", document.pdf, tmp_path, document.code)
        embedded = [line for line in fonts.splitlines()[2:] if CJK_FONT.search(line) and " yes " in line]
        assert embedded, (document.code, fonts)
    penalty = next(r for r in rendered if r.code == "penalty_decision")
    decision = _compact(_pdf_tool("pdftotext", penalty.pdf, tmp_path, "decision"))
    decision = re.sub(r"第\d+页，共\d+页", "", decision)  # a page footer may fall inside a phrase
    for phrase in ("行政复议", "六十日", "行政诉讼", "六个月", "3%", "十五日内", "收缴罚款的机构分离"):
        assert phrase in decision, phrase
    assert penalty.filename_stem == "行政处罚决定书_云市监罚〔2026〕37号"


@pytest.mark.django_db
def test_missing_soffice_is_a_clear_error(monkeypatch):
    """Without LibreOffice, rendering fails loudly in Chinese — never a DOCX without PDF."""
    monkeypatch.setenv("ZHIFA_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(DocumentRenderError, match="未找到 LibreOffice"):
        render_document("payment_notice", sample_context("payment_notice"))


def _fake_soffice(tmp_path, body: str) -> str:
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_conversion_failure_and_timeout(tmp_path, monkeypatch):
    """A LibreOffice run that produces nothing, or hangs past the limit, raises DocumentRenderError."""
    monkeypatch.setenv("ZHIFA_SOFFICE", _fake_soffice(tmp_path, "echo 'source file could not be loaded' >&2; exit 1"))
    with pytest.raises(DocumentRenderError, match="未能把文书转换为 PDF.*could not be loaded"):
        conversion.convert(b"PK fake")
    monkeypatch.setenv("ZHIFA_SOFFICE", _fake_soffice(tmp_path, "sleep 30"))
    with pytest.raises(DocumentRenderError, match="超时"):
        conversion.convert(b"PK fake", timeout=1)


def test_profile_is_per_process():
    """Each process converts with its own LibreOffice profile directory (named by its pid)."""
    assert conversion._profile().name == f"zhifa-lo-profile-{os.getpid()}"
