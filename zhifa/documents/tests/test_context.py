"""The context contract: every key documented, the sample complete, callers' contexts completed."""

import datetime
from decimal import Decimal

from zhifa.documents.context import (
    KEY_DESCRIPTIONS,
    LITIGATION_MONTHS,
    REVIEW_DAYS,
    SURCHARGE_RULE,
    complete_context,
    context_keys,
    sample_context,
)
from zhifa.documents.kinds import DOCUMENT_KINDS, KIND_ORDER


def test_kinds_in_case_file_order():
    """The kinds come in the standard case-file order, from filing to the no-penalty decision,
    then the internal deliberation (副卷: 法制审核意见书, 集体讨论记录); the supervision documents
    (issued by the justice bureau, never in a case file) follow."""
    codes = [code for code, _ in DOCUMENT_KINDS]
    assert codes[0] == "filing_approval"
    assert codes[-4:] == ["supervision_notice", "supervision_opinion", "correction_notice", "inspection_letter"]
    assert codes[-7] == "no_penalty_decision" and codes[-6:-4] == ["legal_review_opinion", "collective_discussion_record"]
    assert KIND_ORDER["advance_notice"] < KIND_ORDER["penalty_decision"] < KIND_ORDER["service_receipt"]
    assert dict(DOCUMENT_KINDS)["credit_repair_notice"] == "信用修复告知书"
    assert len(codes) == len(set(codes)) >= 23
    # 行政强制: measures after the investigation records, enforcement after the payment notice
    assert KIND_ORDER["interview_record"] < KIND_ORDER["coercion_decision"] < KIND_ORDER["advance_notice"]
    assert KIND_ORDER["payment_notice"] < KIND_ORDER["enforcement_reminder"] < KIND_ORDER["closing_report"]


def test_every_key_is_documented_and_every_documented_key_exists():
    """KEY_DESCRIPTIONS and the sample context list exactly the same keys."""
    assert context_keys() == list(KEY_DESCRIPTIONS)
    for key in ("agency.seal_text", "case.penalty_basis", "party.id_number", "penalty.amount_upper",
                "payment.surcharge_rule", "remedies.litigation_court", "approvals[].opinion", "interview.questions[].q"):
        assert key in KEY_DESCRIPTIONS


def test_sample_is_complete_for_every_kind():
    """Each kind's sample has every key with a value, its own title and a realistic number."""
    for code, title in DOCUMENT_KINDS:
        ctx = sample_context(code)
        assert context_keys(ctx) == list(KEY_DESCRIPTIONS)
        assert ctx["document"]["title"] == title
        assert ctx["agency"]["name"] == "云岭县市场监督管理局"
    assert sample_context("penalty_decision")["penalty"]["amount_upper"] == "伍万伍仟元整"
    assert sample_context("on_the_spot_decision")["penalty"]["amount_upper"] == "壹仟伍佰元整"
    assert sample_context("on_the_spot_decision")["document"]["number"].startswith("No.")


def test_complete_context_fills_blanks_formats_values_and_adds_statutory_text():
    """Missing keys become "" or [], raw dates/amounts/booleans are formatted, the remedy
    periods and the surcharge rule are filled in, and the caller's dict is not modified."""
    given = {
        "case": {"filed_on": datetime.date(2026, 10, 8), "cause": "无证经营"},
        "penalty": {"amount": Decimal("1500")},
        "hearing": {"requested": False},
        "evidence": [{"no": 1, "title": "现场照片"}],
        "remedies": {"review_days": 60, "litigation_months": "6"},
        "party": {"name": "某公司", "credit_code": "91619921MA6YK2LP0U", "id_number": ""},
        "extra": {"anything": 3},
    }
    ctx = complete_context(given, "penalty_decision")
    assert ctx["case"]["filed_on"] == "2026年10月8日"
    assert ctx["case"]["facts"] == ""
    assert ctx["penalty"]["amount"] == "1,500.00"
    assert ctx["hearing"]["requested"] == "否"
    assert ctx["evidence"] == [{"no": "1", "kind": "", "title": "现场照片", "description": ""}]
    assert ctx["statements"] == []
    assert ctx["remedies"]["review_days"] == "六十日"
    assert ctx["remedies"]["litigation_months"] == "六个月"
    assert ctx["payment"]["surcharge_rule"] == SURCHARGE_RULE and "3%" in SURCHARGE_RULE
    assert ctx["party"]["id_number"] == "91619921MA6YK2LP0U"
    assert ctx["party"]["id_label"] == "统一社会信用代码"
    assert ctx["document"]["title"] == "行政处罚决定书"
    assert ctx["extra"] == {"anything": "3"}
    assert given["case"]["filed_on"] == datetime.date(2026, 10, 8)


def test_complete_context_keeps_given_phrases():
    """Periods already written out ("六十日") and a given title are kept as they are."""
    ctx = complete_context({"remedies": {"review_days": "六十日", "litigation_months": "六个月"},
                            "document": {"title": "行政处罚决定书（更正）"}}, "penalty_decision")
    assert (ctx["remedies"]["review_days"], ctx["remedies"]["litigation_months"]) == (REVIEW_DAYS, LITIGATION_MONTHS)
    assert ctx["document"]["title"] == "行政处罚决定书（更正）"


def test_penalty_content_is_derived_when_not_given():
    """Without a written-out penalty, the decision states the kinds and the fine in words."""
    ctx = complete_context({"penalty": {"kinds": "警告、罚款", "amount": Decimal("1500"),
                                        "amount_upper": "壹仟伍佰元整"}}, "penalty_decision")
    assert ctx["penalty"]["content"] == "警告、罚款：罚款人民币1,500.00元（大写：壹仟伍佰元整）。"
    assert complete_context({"penalty": {"kinds": "警告"}}, "penalty_decision")["penalty"]["content"] == "警告。"
    assert complete_context({}, "penalty_decision")["penalty"]["content"] == ""
