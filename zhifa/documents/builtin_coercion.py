"""Built-in templates of the 行政强制 documents (行政强制法), in the layout of ``builtin.py``:
查封（扣押、冻结）决定书 and its 清单, the extension and testing notices, the release and
handling decisions, the 催告书, the 强制执行决定书 and the application to the court.
Registered into ``builtin.BUILDERS``; fields are those of ``context.py`` (``measure.*``,
``enforcement.*``)."""

from .builtin import OFFICERS, SIGN, _Builder, _party_block


def _measure_remedies(b: _Builder, decision: str):
    b.para(
        f"你（单位）如不服{decision}，可以在收到本决定书之日起{{{{ remedies.review_days }}}}内向"
        "{{ remedies.review_body }}申请行政复议，或者在{{ remedies.litigation_months }}内依法向"
        "{{ remedies.litigation_court }}提起行政诉讼。"
    )


def _coercion_decision(b: _Builder):
    b.header()
    _party_block(b)
    b.para(
        "本局在办理{{ case.cause }}中发现，{{ measure.reasons }}依据{{ measure.basis }}的规定，本局决定自"
        "{{ measure.started_at }}起对你（单位）的下列场所、设施或者财物（详见《查封（扣押）清单》）实施"
        "{{ measure.short }}，期限为{{ measure.period }}。"
    )
    b.para("{% if measure.approved_by %}本决定经本局负责人{{ measure.approved_by }}批准。{% endif %}实施地点：{{ measure.place }}。")
    b.para(
        "在{{ measure.short }}期间，你（单位）不得擅自启封、转移、隐匿、损毁、变卖被{{ measure.short }}的物品。"
        "对物品需要进行检测、检验、检疫或者技术鉴定的，检测、检验、检疫或者技术鉴定的期间不计入{{ measure.short }}期限，"
        "本局将书面告知。情况复杂的，经本局负责人批准，期限可以延长，但延长期限不超过三十日。"
        "{{ measure.short }}的财物的保管费用由本局承担（《中华人民共和国行政强制法》第二十五条、第二十六条）。"
    )
    b.para("你（单位）享有陈述、申辩的权利。")
    _measure_remedies(b, "本决定")
    b.para("执法人员：" + OFFICERS)
    b.signatures(("当事人签名", "party"), ("见证人签名", "witness"))
    b.seal("（本决定书与清单一并当场交付当事人，一式两份。）")


def _coercion_inventory(b: _Builder):
    b.header(number_prefix="决定书文号：")
    b.label("当事人：", "{{ party.name }}")
    b.label("实施时间：", "{{ measure.started_at }}")
    b.label("实施地点：", "{{ measure.place }}")
    b.table(
        [1.5, 5.0, 3.3, 2.4, 1.8, 3.6],
        [
            ["!序号", "!财物名称", "!规格", "!数量", "!单位", "!备注"],
            [("{%tr for i in measure.inventory %}", 6)],
            ["{{ i.no }}", "{{ i.name }}", "{{ i.spec }}", "{{ i.quantity }}", "{{ i.unit }}", "{{ i.note }}"],
            [("{%tr endfor %}", 6)],
        ],
    )
    b.para("以上财物经当事人（见证人）核对无误。本清单一式两份，一份交当事人，一份附卷存档。", indent=True)
    b.signatures(("当事人签名", "party"), ("执法人员签名", "officer1"), ("见证人签名", "witness"))
    b.seal()


def _coercion_extension_notice(b: _Builder):
    b.header()
    b.para("{{ party.name }}：", indent=False)
    b.para(
        "本局于{{ measure.started_on }}以{{ measure.decision_number }}《{{ measure.short }}决定书》对你（单位）的有关财物实施了"
        "{{ measure.short }}。因{{ measure.extension_reasons }}，情况复杂，经本局负责人批准，根据《中华人民共和国行政强制法》"
        "第二十五条第一款、第二款的规定，决定将{{ measure.short }}期限延长{{ measure.extension_days }}，"
        "至{{ measure.expires_on }}届满。"
    )
    _measure_remedies(b, "本延长决定")
    b.seal()


def _coercion_testing_notice(b: _Builder):
    b.header()
    b.para("{{ party.name }}：", indent=False)
    b.para(
        "本局于{{ measure.started_on }}以{{ measure.decision_number }}《{{ measure.short }}决定书》{{ measure.short }}的物品，"
        "需要进行{{ measure.testing_kind }}，已于{{ measure.testing_started_on }}送{{ measure.testing_institution }}。"
        "根据《中华人民共和国行政强制法》第二十五条第三款的规定，{{ measure.testing_kind }}的期间不计入{{ measure.short }}期限，"
        "{{ measure.short }}期限自{{ measure.testing_kind }}结果送达之日起继续计算。{{ measure.testing_kind }}的费用由本局承担。"
    )
    b.contact()
    b.seal()


def _coercion_release(b: _Builder):
    b.header()
    b.para("{{ party.name }}：", indent=False)
    b.para(
        "本局于{{ measure.started_on }}以{{ measure.decision_number }}《{{ measure.short }}决定书》对你（单位）的有关财物实施了"
        "{{ measure.short }}。因{{ measure.end_reason }}，根据《中华人民共和国行政强制法》第十九条、第二十八条的规定，"
        "本局决定自{{ measure.ended_on }}起解除{{ measure.short }}，并立即退还《{{ measure.short }}清单》所列财物。"
        "{{ measure.end_note }}"
    )
    b.para("请你（单位）持本决定书到本局办理财物退还手续，并在退还清单上签字确认。")
    b.signatures("当事人签收")
    b.seal()


def _coercion_disposal(b: _Builder):
    b.header()
    _party_block(b)
    b.para(
        "本局于{{ measure.started_on }}以{{ measure.decision_number }}《{{ measure.short }}决定书》对你（单位）的有关财物实施了"
        "{{ measure.short }}。经查，{{ measure.end_note }}根据《中华人民共和国行政强制法》第二十七条的规定，"
        "本局在{{ measure.short }}期限内作出如下处理决定：对《{{ measure.short }}清单》所列财物依法予以{{ measure.end_kind }}"
        "{% if measure.transferred_to %}，移送{{ measure.transferred_to }}依法处理{% endif %}。"
    )
    _measure_remedies(b, "本处理决定")
    b.seal()


def _enforcement_reminder(b: _Builder):
    b.header()
    b.para("{{ party.name }}：", indent=False)
    b.para(
        "本局于{{ decision.date }}作出{{ decision.number }}《行政处罚决定书》，已依法送达。你（单位）在决定规定的期限内"
        "未履行义务。根据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告你（单位）于"
        "{{ enforcement.due_on }}前{{ enforcement.obligation }}。"
    )
    b.para(
        "{% if enforcement.principal != '0.00' %}应缴纳罚没款人民币{{ enforcement.principal_upper }}（¥{{ enforcement.principal }}），"
        "截至本催告书送达之日加处罚款人民币{{ enforcement.surcharge }}元，合计人民币{{ enforcement.total_upper }}"
        "（¥{{ enforcement.total }}）。加处罚款的数额不超出罚款的数额（《中华人民共和国行政强制法》第四十五条）。"
        "请到{{ payment.bank }}缴纳（户名：{{ payment.account_name }}；账号：{{ payment.account }}）。{% endif %}"
    )
    b.para(
        "你（单位）有权进行陈述和申辩，请在收到本催告书之日起十个工作日内向本局提出。逾期仍不履行且无正当理由的，"
        "本局将依法强制执行或者申请人民法院强制执行。"
    )
    b.contact()
    b.seal()


def _enforcement_decision(b: _Builder):
    b.header()
    _party_block(b)
    b.para(
        "本局于{{ decision.date }}作出{{ decision.number }}《行政处罚决定书》，并于{{ enforcement.served_on }}送达"
        "{{ enforcement.reminder_number }}《催告书》，催告你（单位）于{{ enforcement.due_on }}前履行义务。你（单位）逾期"
        "仍未履行。{% if enforcement.statement %}你（单位）提出的陈述、申辩意见经本局复核，{{ enforcement.statement_review }}"
        "{% endif %}"
    )
    b.para(
        "根据《中华人民共和国行政强制法》第三十七条的规定，本局决定：对你（单位）采取{{ enforcement.means }}的方式强制执行，"
        "执行标的为未缴纳的罚没款人民币{{ enforcement.principal }}元及加处罚款人民币{{ enforcement.surcharge }}元。"
    )
    _measure_remedies(b, "本强制执行决定")
    b.seal()


def _enforcement_court_application(b: _Builder):
    b.header()
    b.para("{{ enforcement.court }}：", indent=False)
    b.label("申请人：", "{{ agency.name }}")
    b.label("被申请人：", "{{ party.name }}（{{ party.id_label }}：{{ party.id_number }}）")
    b.para(
        "申请人于{{ decision.date }}作出{{ decision.number }}《行政处罚决定书》，于{{ service.served_on }}送达被申请人。"
        "被申请人在法定期限内未申请行政复议，也未提起行政诉讼，申请行政复议和提起行政诉讼的期限已于"
        "{{ enforcement.remedy_lapse }}届满，且被申请人未履行该决定。申请人于{{ enforcement.served_on }}送达"
        "{{ enforcement.reminder_number }}《催告书》，催告书送达十日后被申请人仍未履行。"
    )
    b.para(
        "根据《中华人民共和国行政强制法》第五十三条、第五十四条、第五十五条的规定，申请贵院强制执行：被申请人缴纳罚没款"
        "人民币{{ enforcement.principal }}元及加处罚款人民币{{ enforcement.surcharge }}元（加处罚款不超出罚款的数额）。"
    )
    b.para("附：行政处罚决定书及作出决定的事实、理由、依据，当事人的意见及催告情况，申请强制执行标的情况。")
    b.para("申请人负责人签名：" + SIGN, indent=False)
    b.seal()


COERCION_BUILDERS = {
    "coercion_decision": _coercion_decision,
    "coercion_inventory": _coercion_inventory,
    "coercion_extension_notice": _coercion_extension_notice,
    "coercion_testing_notice": _coercion_testing_notice,
    "coercion_release": _coercion_release,
    "coercion_disposal": _coercion_disposal,
    "enforcement_reminder": _enforcement_reminder,
    "enforcement_decision": _enforcement_decision,
    "enforcement_court_application": _enforcement_court_application,
}
