"""Enumerations of the item catalog and the discretion benchmarks (ORG-2, ORG-3).

Stored values are short English codes, except penalty kinds: those are stored as the
statutory Chinese names of 行政处罚法 Art. 9, because decisions, documents and the Excel
sheets quote them verbatim.
"""

# 事项类型 (kind of enforcement power)
ITEM_KIND_CHOICES = [
    ("penalty", "行政处罚"),
    ("coercion", "行政强制"),
    ("inspection", "行政检查"),
    ("licensing", "行政许可"),
    ("expropriation", "行政征收征用"),
    ("other", "其他"),
]
ITEM_KIND_CODES = {  # segment of an item code such as SCJG-CF-0001
    "penalty": "CF", "coercion": "QZ", "inspection": "JC", "licensing": "XK", "expropriation": "ZS", "other": "QT",
}

# 事项状态
IN_FORCE = "in_force"
SUSPENDED = "suspended"
CANCELLED = "cancelled"
ITEM_STATUS_CHOICES = [(IN_FORCE, "有效"), (SUSPENDED, "暂停"), (CANCELLED, "取消")]

# 情节 (circumstance level), in order from the lightest to the gravest
MINOR = "minor"
LIGHT = "light"
ORDINARY = "ordinary"
SERIOUS = "serious"
GRAVE = "grave"
LEVEL_CHOICES = [
    (MINOR, "情节轻微"),
    (LIGHT, "情节较轻"),
    (ORDINARY, "情节一般"),
    (SERIOUS, "情节较重"),
    (GRAVE, "情节严重"),
]
LEVEL_ORDER = {value: index for index, (value, _) in enumerate(LEVEL_CHOICES)}

# 裁量结果 (discretion outcome)
NO_PENALTY = "no_penalty"
EXEMPT = "exempt"
REDUCED = "reduced"
LIGHTER = "lighter"
STANDARD = "standard"
HEAVIER = "heavier"
OUTCOME_CHOICES = [
    (NO_PENALTY, "不予处罚"),
    (EXEMPT, "免予处罚"),
    (REDUCED, "减轻处罚"),
    (LIGHTER, "从轻处罚"),
    (STANDARD, "一般处罚"),
    (HEAVIER, "从重处罚"),
]
OUTCOMES_WITHOUT_PENALTY = frozenset({NO_PENALTY, EXEMPT})

# 行政处罚种类 (行政处罚法 Art. 9)
WARNING = "警告"
CRITICISM = "通报批评"
FINE = "罚款"
CONFISCATE_GAINS = "没收违法所得"
CONFISCATE_PROPERTY = "没收非法财物"
SUSPEND_LICENCE = "暂扣许可证件"
DOWNGRADE = "降低资质等级"
REVOKE_LICENCE = "吊销许可证件"
RESTRICT_BUSINESS = "限制开展生产经营活动"
SUSPEND_BUSINESS = "责令停产停业"
CLOSE = "责令关闭"
BAN_OCCUPATION = "限制从业"
DETENTION = "行政拘留"
OTHER_PENALTY = "其他"
PENALTY_KIND_CHOICES = [
    (k, k)
    for k in (
        WARNING, CRITICISM, FINE, CONFISCATE_GAINS, CONFISCATE_PROPERTY, SUSPEND_LICENCE, DOWNGRADE,
        REVOKE_LICENCE, RESTRICT_BUSINESS, SUSPEND_BUSINESS, CLOSE, BAN_OCCUPATION, DETENTION, OTHER_PENALTY,
    )
]
PENALTY_KINDS = frozenset(k for k, _ in PENALTY_KIND_CHOICES)

# 四张清单与免罚轻罚清单 (list kinds)
NO_PENALTY_LIST = "no_penalty"
REDUCED_LIST = "reduced"
LIGHTER_LIST = "lighter"
NO_COERCION_LIST = "no_coercion"
EXEMPT_OR_LIGHT_LIST = "exempt_or_light"
LIST_KIND_CHOICES = [
    (NO_PENALTY_LIST, "不予处罚清单"),
    (REDUCED_LIST, "减轻处罚清单"),
    (LIGHTER_LIST, "从轻处罚清单"),
    (NO_COERCION_LIST, "不予实施行政强制措施清单"),
    (EXEMPT_OR_LIGHT_LIST, "免罚轻罚清单"),
]
LIST_KIND_ORDER = {value: index for index, (value, _) in enumerate(LIST_KIND_CHOICES)}

# 适用条件 (condition tags a case's facts are matched against; 行政处罚法 Arts. 30–33)
CONDITION_CHOICES = [
    (c, c)
    for c in (
        "首次违法",
        "危害后果轻微",
        "没有造成危害后果",
        "及时改正",
        "违法行为轻微",
        "在规定期限内改正",
        "主动消除或者减轻违法行为危害后果",
        "受他人胁迫或者诱骗",
        "主动供述行政机关尚未掌握的违法行为",
        "配合查处有立功表现",
        "已满十四周岁不满十八周岁",
        "没有主观过错",
        "涉案货值金额较小",
        "违法所得数额较小",
        "主动退赔",
        "社会危害性较小",
    )
]
CONDITIONS = frozenset(c for c, _ in CONDITION_CHOICES)
