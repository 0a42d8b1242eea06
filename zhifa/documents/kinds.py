"""The kinds of enforcement documents (执法文书), in the standard case-file order.

The order is the order in which documents are filed in a case file (案卷), so the case-file
assembly (REC-3) can sort by it. Codes are stable: templates, rendered files and the
``cases`` app refer to them.
"""

DOCUMENT_KINDS: list[tuple[str, str]] = [
    ("filing_approval", "立案审批表"),
    ("site_inspection_record", "现场检查笔录"),
    ("interview_record", "询问笔录"),
    # 行政强制措施 (查封、扣押、冻结, 行政强制法第三章): filed after the investigation records
    ("coercion_decision", "查封（扣押、冻结）决定书"),
    ("coercion_inventory", "查封（扣押）清单"),
    ("coercion_extension_notice", "延长查封（扣押、冻结）期限通知书"),
    ("coercion_testing_notice", "检测（检验、检疫、技术鉴定）期间告知书"),
    ("coercion_release", "解除查封（扣押、冻结）决定书"),
    ("coercion_disposal", "查封（扣押）财物处理决定书"),
    ("advance_notice", "行政处罚事先告知书"),
    ("hearing_notice", "行政处罚听证告知书"),
    ("statement_record", "陈述申辩笔录"),
    ("hearing_record", "听证笔录"),
    ("penalty_decision", "行政处罚决定书"),
    ("on_the_spot_decision", "当场行政处罚决定书"),
    ("service_receipt", "送达回证"),
    ("credit_repair_notice", "信用修复告知书"),
    ("payment_notice", "罚款缴纳通知书"),
    # 行政强制执行 (行政强制法第四章、第五章): filed after the payment notice
    ("enforcement_reminder", "催告书"),
    ("enforcement_decision", "行政强制执行决定书"),
    ("enforcement_court_application", "强制执行申请书"),
    ("closing_report", "结案报告"),
    ("no_penalty_decision", "不予行政处罚决定书"),
]

# The internal deliberation of a case (副卷), written by the review app: the legal-review
# opinion (法制审核意见书, 行政处罚法第五十八条) and the record of the leadership's collective
# discussion (集体讨论记录, 第五十七条第二款).
REVIEW_DOCUMENT_KINDS: list[tuple[str, str]] = [
    ("legal_review_opinion", "法制审核意见书"),
    ("collective_discussion_record", "集体讨论记录"),
]
DOCUMENT_KINDS += REVIEW_DOCUMENT_KINDS

# Supervision documents (执法监督文书), issued by the supervising justice bureau
# (zhifa.supervision) to an agency; never part of a case file.
SUPERVISION_DOCUMENT_KINDS: list[tuple[str, str]] = [
    ("supervision_notice", "督办通知书"),
    ("supervision_opinion", "行政执法监督意见书"),
    ("correction_notice", "纠错通知书"),
    ("inspection_letter", "督查函"),
]
DOCUMENT_KINDS += SUPERVISION_DOCUMENT_KINDS

# Inspection documents (行政检查文书, 司法部《行政检查文书基本格式文本（试行）》), written by the
# inspection act (zhifa.inspections.acts); filed after the case's own 现场检查笔录, before the
# investigation's 询问笔录 (a finding that opens a case carries the inspection's record over).
INSPECTION_DOCUMENT_KINDS: list[tuple[str, str]] = [
    ("inspection_approval", "行政检查审批表"),
    ("inspection_site_record", "行政检查现场笔录"),
    ("inspection_result_notice", "行政检查结果告知书"),
    ("inspection_correction_notice", "责令改正通知书"),
    ("inspection_review_record", "复查记录"),
]
_AT = [code for code, _ in DOCUMENT_KINDS].index("interview_record")
DOCUMENT_KINDS[_AT:_AT] = INSPECTION_DOCUMENT_KINDS

# Coordination documents (协调衔接, zhifa.coordination): the letter that sends a case to another
# enforcement agency (案件移送函, 行政处罚法第二十二条至第二十五条), filed in the case file after the
# investigation and any coercive measure, before the advance notice (a decided case is not sent).
COORDINATION_DOCUMENT_KINDS: list[tuple[str, str]] = [
    ("case_transfer_letter", "案件移送函"),
]
_AT = [code for code, _ in DOCUMENT_KINDS].index("advance_notice")
DOCUMENT_KINDS[_AT:_AT] = COORDINATION_DOCUMENT_KINDS

KIND_TITLES: dict[str, str] = dict(DOCUMENT_KINDS)
KIND_ORDER: dict[str, int] = {code: index for index, (code, _) in enumerate(DOCUMENT_KINDS)}


def kind_title(code: str) -> str:
    """The Chinese title of a document kind; ``KeyError`` in Chinese for an unknown code."""
    try:
        return KIND_TITLES[code]
    except KeyError:
        raise KeyError(f"未知的文书种类：{code}") from None
