"""Built-in templates of the inspection documents (行政检查文书, 司法部《行政检查文书基本格式文本
（试行）》), in the layout of ``builtin.py``: 行政检查审批表, 行政检查现场笔录, 行政检查结果告知书,
责令改正通知书 and 复查记录. Registered into ``builtin.BUILDERS``; fields are the ``check.*`` keys of
``context.py`` (written by ``zhifa.inspections.acts.services.document_context``)."""

from .builtin import OFFICERS, SIGN, _Builder, _party_block

CHECKLIST = [
    ["!序号", "!执法主体", "!检查事项", "!结果", "!情况"],
    [("{%tr for l in check.lines %}", 5)],
    ["{{ l.no }}", "{{ l.agency }}", "{{ l.item }}（{{ l.code }}）", "{{ l.result }}", "{{ l.note }}"],
    [("{%tr endfor %}", 5)],
]
WIDTHS = [1.2, 3.6, 5.6, 2.0, 3.2]


def _inspection_approval(b: _Builder):
    b.header(number_prefix="检查编号：")
    b.table(
        [3.2, 4.6, 3.2, 4.6],
        [
            ["!被检查企业", ("{{ party.name }}", 3)],
            ["!统一社会信用代码", "{{ party.credit_code }}", "!检查类别", "{{ check.kind }}"],
            ["!检查来源", ("{{ check.origin }}", 3)],
            ["!检查事由", ("{{ check.subject }}", 3)],
            ["!检查地点", ("{{ check.place }}", 3)],
            ["!计划检查日期", "{{ check.planned_on }}", "!紧急检查", "{{ check.emergency }}"],
            ["!参与检查的执法主体", ("{{ check.agencies }}", 3)],
            ["!检查人员", ("" + OFFICERS, 3)],
            ["!频次上限例外情形", ("{{ check.cap_exception }}", 3)],
            ["!机关负责人审批意见", ("{{ check.approval_opinion }}\u3000签名：{{ check.approved_by }}\u3000{{ check.approved_at }}", 3),
             {"height": 2.2}],
        ],
    )
    b.heading("检查事项（一表通查）：")
    b.table(WIDTHS, CHECKLIST)
    b.para("（情况紧急、需要当场实施检查的，检查后应当及时补办审批手续。）", indent=False, size=12)


def _inspection_site_record(b: _Builder):
    b.header(number_prefix="检查编号：")
    b.label("检查时间：", "{{ check.started_at }}至{{ check.ended_at }}")
    b.label("检查地点：", "{{ check.place }}")
    _party_block(b, "被检查人")
    b.label("检查人员：", OFFICERS)
    b.label("扫码入企：", "{{ check.scan }}")
    b.para(
        "检查人员告知：我们是{{ check.agencies }}的执法人员，已向你出示执法证件。现依法对你（单位）进行{{ check.kind }}，"
        "请予配合。你有权进行陈述和申辩；认为检查人员与你（单位）有直接利害关系的，有权申请回避；"
        "对本次检查可以通过涉企行政执法监督码进行评价或者投诉。"
    )
    b.heading("检查情况（一表通查）：")
    b.table(WIDTHS, CHECKLIST)
    b.para("{{ check.findings }}")
    b.para("以上笔录已交被检查人核对（已向其宣读），确认与现场情况相符。")
    b.signatures("被检查人签名", "见证人签名")
    b.signatures("检查人员签名", "记录人签名")


def _inspection_result_notice(b: _Builder):
    b.header()
    b.para("{{ party.name }}：", indent=False)
    b.para(
        "本机关于{{ check.started_at }}对你（单位）进行了{{ check.kind }}（检查编号：{{ check.number }}），"
        "检查结论为：{{ check.result }}。"
    )
    b.para("{{ check.findings }}")
    b.control("{%p if check.case_number %}")
    b.para("对检查中发现的涉嫌违法行为，本机关已依法立案查处（案件编号：{{ check.case_number }}）。")
    b.control("{%p endif %}")
    b.para("检查结果将在检查结束之日起二十个工作日内公示。你（单位）可以通过涉企行政执法监督码对本次检查进行评价或者投诉。")
    b.contact()
    b.seal()


def _inspection_correction_notice(b: _Builder):
    b.header()
    b.para("{{ party.name }}：", indent=False)
    b.para(
        "本机关于{{ check.started_at }}对你（单位）进行检查时发现：{{ check.findings }}"
    )
    b.para(
        "依据《中华人民共和国行政处罚法》第二十八条第一款的规定，现责令你（单位）于{{ check.correction_due_on }}前改正："
        "{{ check.correction_requirements }}"
    )
    b.para("期限届满后本机关将进行复查。逾期不改正的，本机关将依法处理。")
    b.signatures("被检查人签收", "签收日期")
    b.seal("（本通知书一式两份，一份交被检查人，一份附卷存档。）")


def _inspection_review_record(b: _Builder):
    b.header(number_prefix="检查编号：")
    _party_block(b, "被检查人")
    b.label("复查日期：", "{{ check.reviewed_on }}")
    b.label("复查人员：", OFFICERS)
    b.lead("责令改正内容：", "{{ check.correction_requirements }}（改正期限：{{ check.correction_due_on }}）")
    b.lead("复查结果：", "{{ check.review_result }}")
    b.para("{{ check.review_note }}")
    b.signatures("被检查人签名", "复查人员签名")
    b.para("日期：" + SIGN, indent=False)


INSPECTION_BUILDERS = {
    "inspection_approval": _inspection_approval,
    "inspection_site_record": _inspection_site_record,
    "inspection_result_notice": _inspection_result_notice,
    "inspection_correction_notice": _inspection_correction_notice,
    "inspection_review_record": _inspection_review_record,
}
