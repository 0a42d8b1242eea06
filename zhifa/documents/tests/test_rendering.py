"""Rendering of DOCX templates: the built-in ones, strictness, sandboxing and escaping."""

import pytest

from zhifa.documents import builtin
from zhifa.documents.context import complete_context, sample_context
from zhifa.documents.kinds import DOCUMENT_KINDS
from zhifa.documents.rendering import TemplateProblem, render_docx

from .conftest import docx_text, make_docx


def test_committed_builtin_templates_are_current():
    """The DOCX files in builtin_templates/ are what builtin.py builds (run
    `zhifa build_document_templates` after changing it)."""
    assert list(builtin.BUILDERS) == [code for code, _ in DOCUMENT_KINDS]
    stale = [code for code, _ in DOCUMENT_KINDS if not builtin.is_current(code)]
    assert stale == []


def test_builtin_build_is_reproducible():
    """Building a template twice gives the same bytes (no timestamps inside)."""
    assert builtin.build("service_receipt") == builtin.build("service_receipt")


def test_builtin_templates_set_east_asian_fonts():
    """Runs name an East Asian font (w:eastAsia), so LibreOffice uses a CJK font."""
    members = builtin.package_members(builtin.builtin_template_bytes("penalty_decision"))
    xml = members["word/document.xml"].decode()
    assert 'w:eastAsia="仿宋"' in xml and 'w:eastAsia="宋体"' in xml
    assert "<w:pgSz" in xml and 'w:w="11906"' in xml  # A4 width in twips


@pytest.mark.parametrize("code", [code for code, _ in DOCUMENT_KINDS])
def test_every_builtin_template_renders_the_sample(code):
    """Each built-in template renders its sample context without leftover template fields."""
    ctx = complete_context(sample_context(code), code)
    text = docx_text(render_docx(builtin.builtin_template_bytes(code), ctx))
    assert ctx["document"]["title"] in text
    assert "云岭县市场监督管理局" in text
    assert "{{" not in text and "{%" not in text
    if code not in ("service_receipt",):
        assert "云岭县禾丰餐饮管理有限公司" in text


def test_penalty_decision_docx_contents():
    """The reasoning-style decision states facts, evidence, each statement with its answer,
    the benchmark tier, basis, payment (罚缴分离, 15 days, 3%/day capped) and remedies."""
    ctx = complete_context(sample_context("penalty_decision"), "penalty_decision")
    text = docx_text(render_docx(builtin.builtin_template_bytes("penalty_decision"), ctx))
    for expected in (
        "经查明", "现场照片12张", "当事人提出：涉案食品是临时存放", "本局认为：经查，涉案食品",
        "从轻处罚（货值金额不足一万元的", "第一百二十四条第一款第（五）项", "伍万伍仟元整",
        "十五日内", "中国农业银行云岭县支行", "3%", "不超出罚款的数额", "六十日内向云岭县人民政府申请行政复议",
        "六个月内直接向云岭县人民法院提起行政诉讼", "当事人依法要求听证",
    ):
        assert expected in text, expected
    assert "六十日日" not in text


def test_penalty_decision_without_statements_or_fine():
    """Without statements the decision says none were made; without a fine there is no payment part."""
    ctx = complete_context(sample_context("penalty_decision"), "penalty_decision")
    ctx.update(statements=[])
    ctx["penalty"].update(amount="", content="警告。")
    ctx["payment"]["amounts"] = []
    ctx["hearing"]["requested"] = "否"
    text = docx_text(render_docx(builtin.builtin_template_bytes("penalty_decision"), ctx))
    assert "当事人在法定期限内未提出陈述、申辩意见" in text
    assert "履行方式和期限" not in text and "要求听证" not in text


def test_on_the_spot_decision_requires_review_first():
    """An on-the-spot decision tells the party to apply for review before suing (复议前置)."""
    ctx = complete_context(sample_context("on_the_spot_decision"), "on_the_spot_decision")
    text = docx_text(render_docx(builtin.builtin_template_bytes("on_the_spot_decision"), ctx))
    assert "应当先申请行政复议" in text and "壹仟伍佰元整" in text and "No.6199210002317" in text
    assert "六个月内直接" not in text


def test_table_rows_repeat_per_approval():
    """The filing approval form has one table row per approval."""
    ctx = complete_context(sample_context("filing_approval"), "filing_approval")
    text = docx_text(render_docx(builtin.builtin_template_bytes("filing_approval"), ctx))
    for approval in ctx["approvals"]:
        assert approval["role"] in text and approval["opinion"] in text


def test_values_are_escaped_and_newlines_make_paragraphs():
    """XML special characters in values are escaped; a newline starts a new paragraph."""
    data = make_docx("事实：{{ case.facts }}")
    ctx = complete_context({"case": {"facts": "A&B <公司>\n第二段"}}, "penalty_decision")
    text = docx_text(render_docx(data, ctx))
    assert "事实：A&B <公司>\n第二段" in text


def test_undefined_template_field_is_named():
    """An unknown template field is an error naming it in Chinese, also inside loops."""
    ctx = complete_context(sample_context(), "penalty_decision")
    with pytest.raises(TemplateProblem, match="party.fax"):
        render_docx(make_docx("{{ party.fax }}"), ctx)
    with pytest.raises(TemplateProblem, match="“seal”"):
        render_docx(make_docx("{{ seal }}"), ctx)
    with pytest.raises(TemplateProblem, match=r"evidence\[\]\.page"):
        render_docx(make_docx("{% for e in evidence %}{{ e.page }}{% endfor %}"), ctx)


def test_syntax_errors_and_unsafe_expressions_are_refused():
    """Broken tags and attempts to reach Python internals are refused with Chinese messages."""
    ctx = complete_context(sample_context(), "penalty_decision")
    with pytest.raises(TemplateProblem, match="模板语法错误"):
        render_docx(make_docx("{{ party.name "), ctx)
    with pytest.raises(TemplateProblem):
        render_docx(make_docx("{{ party.name.__class__.__mro__ }}"), ctx)
    with pytest.raises(TemplateProblem, match="不允许"):
        render_docx(make_docx("{{ evidence.append(1) }}"), ctx)


def test_non_docx_is_refused():
    """Files that are not DOCX packages are refused before any rendering."""
    ctx = complete_context(sample_context(), "penalty_decision")
    with pytest.raises(TemplateProblem, match="不是 Word"):
        render_docx(b"just text", ctx)
    with pytest.raises(TemplateProblem, match="缺少正文"):
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
        render_docx(buffer.getvalue(), ctx)
