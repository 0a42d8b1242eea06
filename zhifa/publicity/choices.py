"""Enumerations of the publicity app."""

# Kinds of enforcement decision (行政执法决定) published after the fact (118号 §六).
PENALTY = "penalty"  # 行政处罚
LICENSE = "license"  # 行政许可
COERCION = "coercion"  # 行政强制
INSPECTION = "inspection"  # 行政检查
LEVY = "levy"  # 行政征收、征用
OTHER = "other"  # 其他
KIND_CHOICES = [
    (PENALTY, "行政处罚"),
    (LICENSE, "行政许可"),
    (COERCION, "行政强制"),
    (INSPECTION, "行政检查"),
    (LEVY, "行政征收征用"),
    (OTHER, "其他行政执法决定"),
]

PENDING = "pending"  # 待公示
PUBLISHED = "published"  # 已公示
NOT_PUBLISHED = "not_published"  # 依法不予公开
WITHDRAWN = "withdrawn"  # 已撤回
STATUS_CHOICES = [
    (PENDING, "待公示"),
    (PUBLISHED, "已公示"),
    (NOT_PUBLISHED, "依法不予公开"),
    (WITHDRAWN, "已撤回"),
]

# Grounds on which a decision is not published (政府信息公开条例第十四、十五条).
NOT_PUBLISHED_GROUND_CHOICES = [
    ("state_secret", "涉及国家秘密"),
    ("law_forbids", "法律、行政法规禁止公开"),
    ("security", "公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
    ("privacy", "涉及商业秘密、个人隐私，公开会对第三方合法权益造成损害"),
    ("warning_only", "仅给予警告等不具有一定社会影响的决定"),
]

# Why an already published decision is withdrawn or annotated (处罚法第四十八条第二款).
CAUSE_CHOICES = [
    ("revoked", "被依法撤销"),
    ("confirmed_illegal", "被确认违法"),
    ("void", "被确认无效"),
    ("changed", "被依法变更"),
    ("remade", "被责令重新作出"),
    ("corrected", "更正错误信息"),
]
WITHDRAW = "withdraw"
ANNOTATE = "annotate"
ACTION_CHOICES = [(WITHDRAW, "撤回公示"), (ANNOTATE, "注明情况（保留公示）")]

# Entries of the append-only history (公示历史).
REVISION_CHOICES = [
    ("opened", "生成公示记录"),
    ("masked", "调整遮蔽内容"),
    ("released", "公示"),
    ("declined", "决定不予公开"),
    ("annotated", "注明情况"),
    ("withdrawn", "撤回公示"),
]
