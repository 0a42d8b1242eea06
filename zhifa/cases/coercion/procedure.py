"""The coercive-measure procedure and the enforcement procedure, defined once as data in the
shape of ``zhifa.cases.procedures``: stages, transitions (who may act, what must hold first —
codes of ``rules.REQUIREMENTS`` — the documents produced and the article). This one
definition drives the checks (``services.perform``), the buttons (``services.measure_actions`` /
``services.enforcement_actions``, behind ``next_actions``) and the flow chart the portal
publishes (``CoercionProcedure.flow``). These stages are the measure's own, kept apart from
the case's stages and the case-list filters.
"""

from zhifa.accounts import roles
from zhifa.core import procedure
from zhifa.core.procedure import Stage

OFFICERS = frozenset({roles.OFFICER, roles.UNIT_HEAD, roles.AGENCY_HEAD})
HEADS = frozenset({roles.UNIT_HEAD, roles.AGENCY_HEAD})
AGENCY_HEAD = frozenset({roles.AGENCY_HEAD})


CoercionTransition = procedure.Transition


class CoercionProcedure(procedure.Procedure):
    """A procedure of 行政强制: its stages, the way in (``starts``) and its transitions; texts
    from ``zhifa.cases.coercion.rules``."""

    def requirement_text(self, code: str) -> str:
        from .rules import REQUIREMENTS

        return REQUIREMENTS[code].text

    def deadline_text(self, code: str) -> str:
        from .rules import DEADLINE_TEXTS

        return DEADLINE_TEXTS.get(code, "")


MEASURE_PROCEDURE = CoercionProcedure(
    code="coercive_measure",
    name="行政强制措施（查封、扣押、冻结）",
    basis="《中华人民共和国行政强制法》第三章",
    stages=(
        Stage("requested", "待批准", "执法人员提出实施查封、扣押（冻结）的申请，载明理由、依据和拟查封扣押的财物，报机关负责人批准。"),
        Stage("approved", "已批准待实施", "机关负责人已批准，由两名以上执法人员到场实施。"),
        Stage("reported", "当场实施待补办批准",
              "情况紧急当场实施的，二十四小时内向机关负责人报告并补办批准手续；负责人认为不应当采取的，应当立即解除。",
              deadline="emergency_approval"),
        Stage("in_force", "实施中", "已当场交付决定书和清单；期限不超过三十日，情况复杂的经机关负责人批准可延长一次，不超过三十日。",
              deadline="measure_expiry"),
        Stage("testing", "检测、检验、检疫或技术鉴定中",
              "对物品进行检测、检验、检疫或者技术鉴定的期间不计入查封、扣押期限，已书面告知当事人。"),
        Stage("released", "已解除", "已作出解除决定，立即退还财物。", final=True),
        Stage("disposed", "已处理", "已依法没收、销毁或者移送。", final=True),
        Stage("refused", "不予批准", "机关负责人不批准实施。", final=True),
    ),
    starts=(
        CoercionTransition(
            "request", "申请实施强制措施", (), "requested", OFFICERS,
            requires=("case_open", "freeze_power"), basis="行政强制法第十八条第（一）项",
        ),
        CoercionTransition(
            "emergency", "情况紧急当场实施", (), "reported", OFFICERS,
            requires=("case_open", "freeze_power", "two_officers", "recording", "inventory"),
            documents=("coercion_decision", "coercion_inventory"), basis="行政强制法第十九条、第二十四条",
        ),
    ),
    transitions=(
        CoercionTransition(
            "approve", "批准实施", ("requested",), "approved", AGENCY_HEAD, basis="行政强制法第十八条第（一）项",
        ),
        CoercionTransition(
            "refuse", "不予批准", ("requested",), "refused", AGENCY_HEAD, basis="行政强制法第十八条第（一）项",
        ),
        CoercionTransition(
            "execute", "实施并交付决定书、清单", ("approved",), "in_force", OFFICERS,
            requires=("two_officers", "recording", "inventory"),
            documents=("coercion_decision", "coercion_inventory"), basis="行政强制法第十八条、第二十四条",
        ),
        CoercionTransition(
            "confirm", "补办批准", ("reported",), "in_force", AGENCY_HEAD, basis="行政强制法第十九条",
        ),
        CoercionTransition(
            "disapprove", "不予补批并解除", ("reported",), "released", AGENCY_HEAD,
            documents=("coercion_release",), basis="行政强制法第十九条",
        ),
        CoercionTransition(
            "extend", "延长期限", ("in_force",), "in_force", AGENCY_HEAD,
            requires=("not_expired", "not_extended"),
            documents=("coercion_extension_notice",), basis="行政强制法第二十五条第一款、第二款",
        ),
        CoercionTransition(
            "start_testing", "送检测、检验、检疫或技术鉴定", ("in_force",), "testing", OFFICERS,
            requires=("not_expired", "not_freeze"), documents=("coercion_testing_notice",),
            basis="行政强制法第二十五条第三款",
        ),
        CoercionTransition(
            "end_testing", "登记检测鉴定结果", ("testing",), "in_force", OFFICERS, basis="行政强制法第二十五条第三款",
        ),
        CoercionTransition(
            "release", "解除", ("in_force", "testing"), "released", HEADS,
            documents=("coercion_release",), basis="行政强制法第二十八条、第三十九条",
        ),
        CoercionTransition(
            "dispose", "作出处理决定（没收、销毁、移送）", ("in_force", "testing"), "disposed", AGENCY_HEAD,
            requires=("not_expired",), documents=("coercion_disposal",), basis="行政强制法第二十七条",
        ),
    ),
)

ENFORCEMENT_PROCEDURE = CoercionProcedure(
    code="enforcement",
    name="行政强制执行（催告、强制执行决定或申请人民法院强制执行）",
    basis="《中华人民共和国行政强制法》第四章、第五章",
    stages=(
        Stage("reminded", "催告", "送达催告书，载明履行期限、方式和金额，告知当事人陈述、申辩的权利；记录并复核当事人的陈述、申辩。",
              deadline="reminder"),
        Stage("decided", "已作出强制执行决定", "具有行政强制执行权的行政机关作出并送达强制执行决定书。", final=True),
        Stage("applied", "已申请人民法院强制执行", "没有行政强制执行权的行政机关在法定期限内申请人民法院强制执行。", final=True),
    ),
    starts=(
        CoercionTransition(
            "remind", "送达催告书", (), "reminded", OFFICERS,
            requires=("decision_served", "performance_overdue", "no_enforcement_open"),
            documents=("enforcement_reminder",), basis="行政强制法第三十五条、第五十四条",
        ),
    ),
    transitions=(
        CoercionTransition(
            "statement", "记录当事人陈述、申辩", ("reminded",), "reminded", OFFICERS, signed=False,
            basis="行政强制法第三十六条",
        ),
        CoercionTransition(
            "review", "复核陈述、申辩", ("reminded",), "reminded", OFFICERS, requires=("statement_made",),
            basis="行政强制法第三十六条",
        ),
        CoercionTransition(
            "decide", "作出强制执行决定", ("reminded",), "decided", AGENCY_HEAD,
            requires=("enforcement_power", "reminder_period_over", "statement_reviewed", "surcharge_over_30_days"),
            documents=("enforcement_decision",), basis="行政强制法第三十七条、第四十六条",
        ),
        CoercionTransition(
            "apply_court", "申请人民法院强制执行", ("reminded",), "applied", AGENCY_HEAD,
            requires=("no_enforcement_power", "reminder_period_over", "statement_reviewed", "remedy_periods_over",
                      "within_court_window", "no_remedy_pending"),
            documents=("enforcement_court_application",), basis="行政强制法第五十三条、第五十四条",
        ),
    ),
)

PROCEDURES = (MEASURE_PROCEDURE, ENFORCEMENT_PROCEDURE)
