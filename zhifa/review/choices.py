"""Enumerations of the legal review app."""

DEFAULT_DEADLINE_WORKING_DAYS = 5

# Criteria of the major-decision catalog (重大执法决定法制审核目录清单).
FINE_THRESHOLD = "fine_threshold"
PENALTY_KIND = "penalty_kind"
AFTER_HEARING = "after_hearing"
COMPLEX = "complex"
OTHER = "other"
CRITERION_CHOICES = [
    (FINE_THRESHOLD, "罚款数额达到标准"),
    (PENALTY_KIND, "处罚种类"),
    (AFTER_HEARING, "经过听证程序"),
    (COMPLEX, "案情疑难复杂、涉及多个法律关系"),
    (OTHER, "其他情形（人工认定）"),
]

# Kinds of a case flagged major by hand.
FLAG_COMPLEX = "complex"
FLAG_MULTI_RELATION = "multi_relation"
FLAG_PUBLIC_INTEREST = "public_interest"
FLAG_SERIOUS = "serious"
FLAG_OTHER = "other"
FLAG_KIND_CHOICES = [
    (FLAG_COMPLEX, "案情疑难复杂"),
    (FLAG_MULTI_RELATION, "涉及多个法律关系"),
    (FLAG_PUBLIC_INTEREST, "涉及重大公共利益或可能造成重大社会影响"),
    (FLAG_SERIOUS, "情节复杂或重大违法行为（须集体讨论）"),
    (FLAG_OTHER, "目录清单规定的其他情形"),
]
COMPLEX_FLAGS = frozenset({FLAG_COMPLEX, FLAG_MULTI_RELATION})

PENDING = "pending"
IN_REVIEW = "in_review"
AGREE = "agree"
PROBLEMS = "problems"
WITHDRAWN = "withdrawn"
STATUS_CHOICES = [
    (PENDING, "待审核"),
    (IN_REVIEW, "审核中"),
    (AGREE, "同意"),
    (PROBLEMS, "存在问题"),
    (WITHDRAWN, "已撤回"),
]
OPEN_STATUSES = (PENDING, IN_REVIEW)
RESULT_CHOICES = [(AGREE, "同意"), (PROBLEMS, "存在问题")]

REVIEWER_KIND_CHOICES = [
    ("in_house", "本机关法制审核人员"),
    ("legal_adviser", "法律顾问"),
    ("public_lawyer", "公职律师"),
]

# The ten points of the review opinion (S1, REV-2), in order.
POINT_CHOICES = [
    ("subject", "主体是否合法"),
    ("qualification", "执法人员是否具备执法资格"),
    ("procedure", "程序是否合法"),
    ("facts", "事实是否清楚"),
    ("evidence", "证据是否合法充分"),
    ("law", "适用法律是否准确"),
    ("benchmark", "是否符合裁量基准"),
    ("competence", "是否超越职权"),
    ("documents", "文书是否规范齐全"),
    ("crime", "是否涉嫌犯罪需要移送"),
]
POINTS = [code for code, _ in POINT_CHOICES]
POINT_ORDER = {code: i for i, code in enumerate(POINTS)}

COMPLIANT = "compliant"
PROBLEM = "problem"
NOT_APPLICABLE = "not_applicable"
FINDING_CHOICES = [(COMPLIANT, "符合"), (PROBLEM, "存在问题"), (NOT_APPLICABLE, "不适用")]

# Targets of who reviews (S1 indicators 88 and 90: 专职审核人员自行审核的 ≥50%; 法律顾问、公职律师
# 协助审核的 ≥20% of the decisions that must be reviewed).
IN_HOUSE_TARGET_PERCENT = 50
EXTERNAL_TARGET_PERCENT = 20
