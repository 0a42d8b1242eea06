"""The inspection procedure (行政检查程序), defined once as data in the shape of
``zhifa.cases.procedures`` and ``zhifa.cases.coercion.procedure``: stages, transitions (who may
act, what must hold first — codes of ``REQUIREMENTS`` — the documents produced and the rule).

This one definition drives the checks (``services.perform``), the buttons of the inspection page
(``services.available_actions``) and the flow chart the portal publishes (``PROCEDURE.flow``).

Rules (国办发〔2024〕54号, 司法部《行政检查文书基本格式文本（试行）》): an inspection is approved
in advance by the agency's head (an emergency inspection gets its approval made up afterwards and
is flagged until it has it); the enterprise is told the items, the basis and its rights; the
officers scan the enterprise's supervision code on arrival (扫码入企); at least two certified
officers who may act on the items inspect; a finding either orders correction (责令改正, followed
by a 复查) or opens a penalty case; the result is published within twenty working days.
"""

from dataclasses import dataclass

from zhifa.accounts import roles
from zhifa.core import procedure
from zhifa.core.procedure import Stage

OFFICERS = frozenset({roles.OFFICER, roles.UNIT_HEAD, roles.AGENCY_HEAD})
AGENCY_HEAD = frozenset({roles.AGENCY_HEAD})

LAW = "《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）"


@dataclass(frozen=True)
class Requirement:
    """A condition a transition needs; ``text`` says it in Chinese (shown on the flow chart)."""

    code: str
    text: str


REQUIREMENTS = {r.code: r for r in (
    Requirement("items_published", "检查事项均为已公布的行政检查事项，且属于参与检查的执法主体的职权"),
    Requirement("two_officers", "两名以上持有效执法证件、可以办理所列事项的执法人员（不得由执法辅助人员实施）"),
    Requirement("within_cap", "未超过本机关公布的同一企业年度检查次数上限，或属于依法的例外情形并写明依据"),
    Requirement("code_matches", "扫描或输入的监管码与被检查企业的监管码一致"),
    Requirement("missing_reason", "写明未扫码的原因（将作为问题线索预警）"),
    Requirement("not_scanned", "尚未扫码"),
    Requirement("findings_recorded", "已制作现场检查笔录，检查表每一项均已填写结果"),
    Requirement("problem_found", "检查表中有发现问题的事项"),
    Requirement("no_problem", "检查表中没有发现问题的事项"),
    Requirement("correction_due", "写明责令改正的内容和改正期限"),
    Requirement("approval_pending", "紧急检查尚未补办审批"),
    Requirement("approved", "已经负责人审批（紧急检查已补办审批）"),
    Requirement("penalty_item", "所发现问题对应的行政处罚事项已选定"),
)}


InspectionTransition = procedure.Transition


class InspectionProcedure(procedure.Procedure):
    """The inspection procedure: its stages, the ways in (``starts``, listed on the chart) and the
    transitions; texts from this module."""

    def requirement_text(self, code: str) -> str:
        return REQUIREMENTS[code].text

    def deadline_text(self, code: str) -> str:
        return DEADLINE_TEXTS.get(code, "")


DEADLINE_TEXTS = {
    "correction": "在责令改正通知书确定的期限届满后复查",
    "publication": "检查结束之日起二十个工作日内公示检查结果",
}

PROCEDURE = InspectionProcedure(
    chart_starts=True,
    code="inspection",
    name="涉企行政检查",
    basis=LAW + "；司法部《行政检查文书基本格式文本（试行）》",
    stages=(
        Stage("requested", "待审批", "执法人员填写行政检查审批表，载明检查事项、依据、对象和检查人员，报机关负责人批准。"),
        Stage("approved", "已批准待告知", "机关负责人已批准，检查前告知企业检查事项、依据和企业的权利（可申请回避、评价和投诉）。"),
        Stage("notified", "已告知待进场", "已告知企业；执法人员到达现场后扫描企业监管码进场（扫码入企）。"),
        Stage("on_site", "现场检查中", "两名以上执法人员出示证件，按一张检查表逐项检查，制作现场检查笔录。"),
        Stage("correcting", "责令改正中", "已送达责令改正通知书，改正期限届满后复查。", deadline="correction"),
        Stage("concluded", "检查完毕待公示", "已作出检查结论（未发现问题、改正完毕或转立案查处），并告知企业。",
              deadline="publication"),
        Stage("published", "结果已公示", "检查结果已在门户公示。", final=True),
        Stage("refused", "不予批准", "机关负责人不批准实施检查。", final=True),
    ),
    starts=(
        InspectionTransition(
            "request", "申请检查审批", (), "requested", OFFICERS,
            requires=("items_published", "two_officers", "within_cap"),
            documents=("inspection_approval",), basis=LAW + "（检查前报机关负责人审批）",
        ),
        InspectionTransition(
            "emergency", "紧急检查（事后补办审批）", (), "on_site", OFFICERS,
            requires=("items_published", "two_officers", "within_cap"),
            documents=("inspection_approval",), basis=LAW + "（情况紧急的，事后补办审批手续）",
        ),
    ),
    transitions=(
        InspectionTransition("approve", "批准检查", ("requested",), "approved", AGENCY_HEAD, basis=LAW),
        InspectionTransition("refuse", "不予批准", ("requested",), "refused", AGENCY_HEAD, basis=LAW),
        InspectionTransition(
            "confirm", "补办审批", ("on_site", "correcting", "concluded"), None, AGENCY_HEAD,
            requires=("approval_pending",), basis=LAW + "（紧急检查事后补办审批）",
        ),
        InspectionTransition("notify", "告知企业", ("approved",), "notified", OFFICERS, signed=False,
                             basis=LAW + "（告知检查依据、事项和企业的权利）"),
        InspectionTransition("arrive", "扫码进场", ("notified",), "on_site", OFFICERS,
                             requires=("code_matches", "two_officers"), basis=LAW + "（扫码入企）"),
        InspectionTransition("enter_unscanned", "未扫码进场", ("notified",), "on_site", OFFICERS,
                             requires=("missing_reason", "two_officers"), basis=LAW + "（扫码入企）"),
        InspectionTransition("scan", "补扫监管码", ("on_site",), None, OFFICERS,
                             requires=("not_scanned", "code_matches"), basis=LAW + "（扫码入企）"),
        InspectionTransition("record", "制作现场检查笔录", ("on_site",), None, OFFICERS,
                             documents=("inspection_site_record",), basis="司法部《行政检查文书基本格式文本（试行）》"),
        InspectionTransition("conclude", "未发现问题，告知检查结果", ("on_site",), "concluded", OFFICERS,
                             requires=("findings_recorded", "no_problem"), documents=("inspection_result_notice",)),
        InspectionTransition("order_correction", "责令改正", ("on_site",), "correcting", OFFICERS,
                             requires=("findings_recorded", "problem_found", "correction_due"),
                             documents=("inspection_correction_notice",),
                             basis="《中华人民共和国行政处罚法》第二十八条第一款"),
        InspectionTransition("review", "复查", ("correcting",), "concluded", OFFICERS,
                             documents=("inspection_review_record",), basis="司法部《行政检查文书基本格式文本（试行）》"),
        InspectionTransition("open_case", "发现违法行为，转立案查处", ("on_site", "correcting"), "concluded", OFFICERS,
                             requires=("findings_recorded", "problem_found", "penalty_item"),
                             documents=("inspection_result_notice",),
                             basis="《中华人民共和国行政处罚法》第五十四条"),
        InspectionTransition("publish", "公示检查结果", ("concluded",), "published", OFFICERS, signed=False,
                             requires=("approved",), basis="《企业信息公示暂行条例》第六条、第七条（二十个工作日内）"),
    ),
)
