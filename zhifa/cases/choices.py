"""Enumerations of the cases app."""

GENERAL = "general"  # 一般程序
SIMPLE = "simple"  # 简易程序（当场处罚）
PROCEDURE_CHOICES = [(GENERAL, "一般程序"), (SIMPLE, "简易程序")]

SOURCE_CHOICES = [
    ("inspection", "监督检查发现"),
    ("complaint", "投诉举报"),
    ("referral", "上级交办或部门移送"),
    ("self_report", "当事人主动报告"),
    ("monitoring", "非现场监管发现"),
    ("other", "其他"),
]

OFFICER_ROLE_CHOICES = [("lead", "主办"), ("assistant", "协办")]

OUTCOME_PENALTY = "penalty"
OUTCOME_NO_PENALTY = "no_penalty"
OUTCOME_CHOICES = [(OUTCOME_PENALTY, "给予行政处罚"), (OUTCOME_NO_PENALTY, "不予行政处罚")]

SERVICE_METHOD_CHOICES = [
    ("direct", "直接送达"),
    ("left", "留置送达"),
    ("mail", "邮寄送达"),
    ("electronic", "电子送达（已签署确认书）"),
    ("announcement", "公告送达"),
    ("on_the_spot", "当场交付"),
]

# 证据种类, 行政处罚法第四十六条; plus photos and AV recordings as 视听资料.
EVIDENCE_KIND_CHOICES = [
    ("documentary", "书证"),
    ("physical", "物证"),
    ("audiovisual", "视听资料"),
    ("electronic", "电子数据"),
    ("witness", "证人证言"),
    ("party_statement", "当事人的陈述"),
    ("expert_opinion", "鉴定意见"),
    ("inspection_record", "勘验笔录、现场笔录"),
]

# Steps the law requires to be fully recorded on audio/video (国办发〔2018〕118号 §八).
COERCION_KIND_CHOICES = [
    ("seal", "查封场所、设施或者财物"),
    ("seize", "扣押财物"),
    ("demolition", "强制拆除"),
]

# Remedies against a decision (行政复议、行政诉讼) and their results.
RECONSIDERATION = "reconsideration"
LITIGATION = "litigation"
REMEDY_KIND_CHOICES = [(RECONSIDERATION, "行政复议"), (LITIGATION, "行政诉讼")]
REMEDY_PENDING = "pending"
REMEDY_RESULT_CHOICES = [
    (REMEDY_PENDING, "审理中"),
    ("upheld", "维持（驳回请求）"),
    ("revoked", "撤销"),
    ("confirmed_illegal", "确认违法"),
    ("void", "确认无效"),
    ("changed", "变更"),
    ("remade", "责令重新作出"),
    ("withdrawn", "申请人撤回申请（撤诉）"),
    ("settled", "调解（和解）结案"),
]
# Results that change the decision's standing: its publication must be withdrawn or
# annotated within 3 working days (处罚法第四十八条第二款).
REMEDY_RESULTS_AFFECTING_DECISION = frozenset({"revoked", "confirmed_illegal", "void", "changed", "remade"})

# What a payment pays (罚没款): the fine (罚款, with its late surcharge 加处罚款) and the
# confiscated illegal income (没收违法所得) are both paid at the bank; blank = allocated in
# this order.
PAY_FINE = "fine"
PAY_ILLEGAL_INCOME = "illegal_income"
PAYMENT_PURPOSE_CHOICES = [(PAY_FINE, "罚款（含加处罚款）"), (PAY_ILLEGAL_INCOME, "没收违法所得")]
