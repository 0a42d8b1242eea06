"""The procedures, defined once as data (CASE-1, CASE-2).

Each procedure lists its stages (with the statutory deadline that runs in each) and its
transitions: from which stage to which, which roles may make it, whether it is a signed act
(auxiliaries never sign or decide; signing officers must be allowed to act on the item), the
requirements that must hold first (codes of ``zhifa.cases.rules.REQUIREMENTS``) and the
documents it produces. This single definition drives:

- ``services.perform_transition`` — the checks (a refused transition names what is missing);
- the case page's next-action buttons (``services.available_transitions``);
- the flow chart (``Procedure.flow``) that the public portal shows.
"""

from zhifa.accounts import roles
from zhifa.core import procedure

from . import choices

OFFICERS = frozenset({roles.OFFICER, roles.UNIT_HEAD, roles.AGENCY_HEAD})
HEADS = frozenset({roles.UNIT_HEAD, roles.AGENCY_HEAD})
AGENCY_HEAD = frozenset({roles.AGENCY_HEAD})


Stage = procedure.Stage
Transition = procedure.Transition  # a case transition leaves one stage: ``Transition(code, name, source, target, …)``


class Procedure(procedure.Procedure):
    """A case procedure (一般程序, 简易程序); texts from ``zhifa.cases.rules``."""

    def requirement_text(self, code: str) -> str:
        from .rules import REQUIREMENTS

        return REQUIREMENTS[code].text

    def deadline_text(self, code: str) -> str:
        from .rules import DEADLINES

        return DEADLINES[code].text


GENERAL_PROCEDURE = Procedure(
    code=choices.GENERAL,
    name="行政处罚一般程序",
    basis="《中华人民共和国行政处罚法》第五章第三节",
    initial="clue",
    stages=(
        Stage("clue", "线索登记", "登记案件线索，核查后决定是否立案。", deadline="filing"),
        Stage("filed", "已立案", "经负责人批准立案，指定两名以上执法人员办理。", deadline="decision"),
        Stage("investigation", "调查取证", "全面、客观、公正地调查，收集证据，制作笔录。", deadline="decision"),
        Stage("discretion", "拟定处罚", "依据裁量基准拟定处罚意见。", deadline="decision"),
        Stage("notice", "告知与陈述申辩", "告知拟作出的处罚及事实、理由、依据和陈述、申辩、要求听证的权利。", deadline="decision"),
        Stage("decision", "已作出决定", "负责人作出行政处罚决定，制作决定书。", deadline="service"),
        Stage("execution", "执行", "决定书已送达，当事人在期限内缴纳罚款或者履行。", deadline="execution"),
        Stage("closed", "已结案", "执行完毕，制作结案报告。"),
        Stage("archived", "已归档", "案卷已归档，只读。", final=True),
    ),
    transitions=(
        Transition(
            "file", "批准立案", "clue", "filed", HEADS,
            requires=("item_in_force", "agency_competent", "party", "facts", "two_officers", "within_limitation"),
            documents=("filing_approval",), basis="处罚法第三十六条、第五十四条",
        ),
        Transition(
            "investigate", "开始调查", "filed", "investigation", OFFICERS,
            requires=("two_officers",), basis="处罚法第四十二条、第五十五条",
        ),
        Transition(
            "propose", "拟定处罚意见", "investigation", "discretion", OFFICERS,
            requires=("two_officers", "evidence", "record_made", "recordings_complete", "discretion_set",
                      "within_benchmark_or_reason", "education_if_no_penalty", "within_limitation",
                      "no_mandatory_no_penalty"),
            basis="处罚法第三十三条、第三十四条、第三十六条；国办发〔2022〕27号",
        ),
        Transition(
            "notify", "送达事先告知书", "discretion", "notice", OFFICERS,
            requires=("discretion_set", "within_benchmark_or_reason", "within_limitation", "no_mandatory_no_penalty"),
            documents=("advance_notice",), basis="处罚法第四十四条、第六十二条、第六十三条",
        ),
        Transition(
            "decide", "作出处罚决定", "notice", "decision", AGENCY_HEAD,
            requires=("notice_period_over", "statements_answered", "hearing_concluded", "within_benchmark_or_reason",
                      "legal_review_passed", "collective_discussion_held", "within_limitation", "no_mandatory_no_penalty",
                      "jurisdiction_settled"),
            documents=("penalty_decision",), basis="处罚法第五十七条、第五十八条、第五十九条",
        ),
        Transition(
            "serve", "送达决定书", "decision", "execution", OFFICERS,
            requires=("service_details",), documents=("service_receipt",), basis="处罚法第六十一条",
        ),
        Transition(
            "close", "结案", "execution", "closed", HEADS,
            requires=("executed",), documents=("closing_report",), basis="市场监管处罚程序规定第七十七条",
        ),
        Transition(
            "archive", "归档", "closed", "archived", HEADS,
            requires=("case_file_complete",), basis="处罚法第四十七条",
        ),
    ),
)

SIMPLE_PROCEDURE = Procedure(
    code=choices.SIMPLE,
    name="行政处罚简易程序（当场处罚）",
    basis="《中华人民共和国行政处罚法》第五章第二节",
    initial="on_site",
    stages=(
        Stage("on_site", "现场处置", "出示执法证件，查明事实，告知当事人处罚的事实、理由和依据，听取陈述申辩。"),
        Stage("execution", "执行", "当场交付决定书，当事人到银行缴纳罚款或者已受警告。", deadline="execution"),
        Stage("closed", "已结案（已备案）", "决定报所属行政机关备案。"),
        Stage("archived", "已归档", "案卷已归档，只读。", final=True),
    ),
    transitions=(
        Transition(
            "decide_on_spot", "当场作出处罚决定", "on_site", "execution", frozenset({roles.OFFICER, roles.UNIT_HEAD}),
            requires=("item_in_force", "agency_competent", "party", "facts", "certificate_shown",
                      "simple_thresholds", "discretion_set", "within_benchmark_or_reason", "statement_heard",
                      "legal_review_passed", "within_limitation", "no_mandatory_no_penalty", "jurisdiction_settled"),
            documents=("on_the_spot_decision",), basis="处罚法第五十一条、第五十二条",
        ),
        Transition(
            "close", "结案备案", "execution", "closed", OFFICERS,
            requires=("executed",), basis="处罚法第五十二条第三款",
        ),
        Transition(
            "archive", "归档", "closed", "archived", HEADS,
            requires=("case_file_complete",), basis="处罚法第四十七条",
        ),
    ),
)

PROCEDURES = {p.code: p for p in (GENERAL_PROCEDURE, SIMPLE_PROCEDURE)}


def procedure_for(code: str) -> Procedure:
    """The procedure definition for a code."""
    return PROCEDURES[code]
