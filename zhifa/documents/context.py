"""The context contract of enforcement-document templates (文书模板占位符).

Every template — built-in or uploaded — is rendered with one nested dict whose values are
already formatted strings (dates as "2026年10月8日", amounts as "55,000.00", capital
amounts as "伍万伍仟元整") or lists of dicts of strings, so templates stay dumb: they print
values, loop over lists and test whether a value or list is empty, nothing else.

``KEY_DESCRIPTIONS`` documents every key (dotted; ``[]`` marks a list item), and is shown
to administrators on the template page. ``sample_context()`` returns a complete, realistic
example (a fictional food-safety case of 云岭县市场监督管理局, 秦川市 619900); uploaded
templates are checked against it. ``complete_context()`` is what ``render_document`` does
to a caller's context: missing keys become "" or [], dates/amounts/booleans given raw are
formatted, and the statutory texts (remedy periods, the late-payment surcharge) are filled
in where left blank.

A string containing "\\n" prints as separate paragraphs with the same formatting.
"""

import copy
import datetime
from decimal import Decimal

from .formatting import amount_in_chinese_upper, chinese_numeral, format_amount, format_date, format_datetime
from .kinds import KIND_TITLES, kind_title
from .signatures import BLANK, SignatureImage, blank_entry, sample_section
from .signatures import key_descriptions as signature_key_descriptions

#: The late-payment surcharge (加处罚款) as the law states it: 3% a day, capped at the fine
#: (行政处罚法 Art. 72 ¶1 (1)).
SURCHARGE_RULE = (
    "到期不缴纳罚款的，本局将依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，"
    "每日按罚款数额的3%加处罚款，加处罚款的数额不超出罚款的数额。"
)
#: Review within 60 days (行政复议法 2023 Art. 20), litigation within 6 months (行政诉讼法 Art. 46).
#: Templates print these phrases as they are ("…之日起六十日内…", "…之日起六个月内…").
REVIEW_DAYS = "六十日"
LITIGATION_MONTHS = "六个月"
#: Payment within 15 days of receipt (行政处罚法 Art. 67).
PAYMENT_DEADLINE = "自收到行政处罚决定书之日起十五日内"

#: Filled in by ``complete_context`` where the caller left them blank.
STATUTORY_DEFAULTS = {
    "remedies": {"review_days": REVIEW_DAYS, "litigation_months": LITIGATION_MONTHS},
    "payment": {"surcharge_rule": SURCHARGE_RULE, "deadline": PAYMENT_DEADLINE},
}

KEY_DESCRIPTIONS: dict[str, str] = {
    "agency.name": "执法主体（作出文书的行政机关）全称",
    "agency.address": "执法主体办公地址",
    "agency.phone": "执法主体联系电话",
    "agency.seal_text": "落款（印章处文字），通常为机关全称",
    "document.number": "本文书文号或编号（当场处罚决定书为预先印制的编号）",
    "document.date": "本文书日期",
    "document.title": "本文书标题（留空时按文书种类填写）",
    "case.number": "案件编号",
    "case.title": "案件名称",
    "case.cause": "案由，如“经营超过保质期的食品”",
    "case.item_name": "执法事项名称",
    "case.item_code": "执法事项编码",
    "case.legal_basis": "执法事项的法律依据（全文）",
    "case.violated_provision": "违反的法律条款",
    "case.penalty_basis": "处罚依据的法律条款",
    "case.filed_on": "立案日期",
    "case.discovered_on": "发现违法行为（案件来源）的日期",
    "case.occurred_on": "违法行为发生日期",
    "case.place": "违法行为发生地点",
    "case.facts": "违法事实（可多段）",
    "case.source": "案件来源，如“日常监督检查”“投诉举报核查”",
    "case.procedure": "已履行程序的说明，如“本案经立案、调查取证、事先告知……等程序”",
    "case.violation": "违法行为名称（不带“涉嫌”和“案”），用于“构成……的违法行为”",
    "case.opening": "案件来源的叙述：何时、以何种方式发现当事人涉嫌何种违法行为（按案件来源分别表述）",
    "party.kind": "当事人类别：单位 / 个人",
    "party.name": "当事人名称或姓名",
    "party.id_label": "证件名称：统一社会信用代码 / 身份证号码（留空且有统一社会信用代码时为前者）",
    "party.id_number": "证件号码（是否脱敏由调用方决定；单位留空时取统一社会信用代码）",
    "party.credit_code": "统一社会信用代码（单位）",
    "party.representative": "法定代表人（负责人、经营者）",
    "party.address": "住所（住址）",
    "party.phone": "联系电话",
    "officers[].name": "执法人员姓名",
    "officers[].certificate_number": "执法证号",
    "evidence[].no": "证据序号",
    "evidence[].kind": "证据种类（书证、物证、视听资料、电子数据、证人证言、当事人陈述、鉴定意见、勘验笔录/现场笔录）",
    "evidence[].title": "证据名称",
    "evidence[].description": "证明内容",
    "inspection.time": "现场检查时间（起止）",
    "inspection.place": "现场检查地点",
    "inspection.content": "检查内容",
    "inspection.findings": "现场检查情况（可多段）",
    "inspection.recorder": "现场检查记录人",
    "interview.time": "询问时间（起止）",
    "interview.place": "询问地点",
    "interview.interviewee": "被询问人基本情况",
    "interview.relation": "被询问人与案件的关系",
    "interview.recorder": "询问记录人",
    "interview.questions[].q": "询问的问题",
    "interview.questions[].a": "被询问人的回答",
    "penalty.kinds": "处罚种类，如“没收违法所得、罚款”",
    "penalty.amount": "罚款金额（小写，如“55,000.00”；无罚款时留空）",
    "penalty.amount_upper": "罚款金额大写，如“伍万伍仟元整”",
    "penalty.content": "处罚决定内容（可多段，逐项列明；留空时由处罚种类和罚款金额生成）",
    "penalty.decided[].no": "处罚项目序号（一、二、三……）",
    "penalty.decided[].text": "一项处罚，如“罚款人民币柒万元整（¥70,000.00）”“没收非法财物：……”",
    "penalty.benchmark": "适用的行政裁量权基准名称及条目",
    "penalty.discretion_level": "裁量基准中适用的档次",
    "penalty.discretion_outcome": "裁量结果，如“从轻处罚”“不予行政处罚”",
    "penalty.discretion_reasoning": "裁量说理（为什么适用该档次）",
    "penalty.correction_order": "责令改正的内容",
    "penalty.education": "对当事人进行教育的情况（不予处罚时必须记载）",
    "statements[].point": "当事人陈述、申辩的一项意见",
    "statements[].answer": "本机关对该项意见的复核意见（采纳或不采纳及理由）",
    "statement.time": "听取陈述申辩的时间",
    "statement.place": "听取陈述申辩的地点",
    "statement.speaker": "陈述申辩人基本情况",
    "statement.recorder": "陈述申辩笔录记录人",
    "notice.number": "行政处罚事先告知书文号",
    "notice.date": "行政处罚事先告知书日期",
    "hearing.requested": "当事人是否要求听证：是 / 否",
    "hearing.time": "听证时间",
    "hearing.place": "听证地点",
    "hearing.presiding": "听证主持人",
    "hearing.recorder": "听证记录员",
    "hearing.participants": "听证参加人",
    "hearing.record": "听证经过记录（可多段）",
    "decision.number": "行政处罚决定书文号（送达回证、缴纳通知书、信用修复告知书、结案报告引用）",
    "decision.date": "行政处罚决定日期",
    "payment.bank": "代收罚款的银行（罚缴分离）",
    "payment.account_name": "收款账户户名",
    "payment.account": "收款账号",
    "payment.reference": "缴款识别码（非税收入缴款通知书编号）",
    "payment.deadline": "缴款期限（留空时为“自收到行政处罚决定书之日起十五日内”）",
    "payment.surcharge_rule": "逾期加处罚款的告知（留空时为每日3%、以罚款数额为限的法定表述）",
    "payment.amounts[].label": "应缴纳的一项款项：罚款 / 没收违法所得",
    "payment.amounts[].amount": "该项金额（小写，如“70,000.00”）",
    "payment.amounts[].amount_upper": "该项金额大写，如“柒万元整”",
    "payment.total": "罚没款合计（小写）",
    "payment.total_upper": "罚没款合计大写",
    "remedies.review_body": "行政复议机关",
    "remedies.review_days": "申请行政复议的期限，如“六十日”（给出数字60时写作“六十日”；留空时为“六十日”）",
    "remedies.litigation_court": "管辖的人民法院",
    "remedies.litigation_months": "提起行政诉讼的期限，如“六个月”（给出数字6时写作“六个月”；留空时为“六个月”）",
    "service.method": "送达方式，如“直接送达”“留置送达”“邮寄送达”",
    "service.served_on": "送达日期",
    "service.recipient": "受送达人（及签收人）",
    "service.place": "送达地点",
    "service.server_names": "送达人",
    "service.note": "送达备注",
    "service.documents[].title": "送达文书名称",
    "service.documents[].number": "送达文书文号",
    "credit_repair.platform": "行政处罚信息公示平台",
    "credit_repair.publicity_period": "公示期限",
    "credit_repair.min_period": "可以申请信用修复的最短公示期",
    "credit_repair.authority": "受理信用修复申请的机关",
    "credit_repair.materials": "申请信用修复需提交的材料",
    "closing.result": "执行情况",
    "closing.executed_on": "执行完毕日期",
    "closing.summary": "结案摘要（案件处理情况）",
    "approvals[].role": "审批环节，如“承办人意见”“机关负责人审批意见”",
    "approvals[].name": "审批人",
    "approvals[].opinion": "审批意见",
    "approvals[].date": "审批日期",
    # 行政强制 (coercive measures and enforcement, 行政强制法)
    "measure.kind": "强制措施种类全称，如“扣押财物”",
    "measure.short": "强制措施简称：查封 / 扣押 / 冻结",
    "measure.reasons": "实施强制措施的理由（事实）",
    "measure.basis": "实施强制措施的法律依据",
    "measure.place": "实施地点",
    "measure.started_at": "实施时间",
    "measure.started_on": "实施日期",
    "measure.period": "期限的表述，如“三十日（自2026年9月12日起算），至2026年10月12日届满”",
    "measure.expires_on": "期限届满日（延长、检测期间扣除后）",
    "measure.decision_number": "查封（扣押、冻结）决定书文号",
    "measure.inventory[].no": "清单序号",
    "measure.inventory[].name": "财物名称",
    "measure.inventory[].spec": "规格",
    "measure.inventory[].quantity": "数量",
    "measure.inventory[].unit": "单位",
    "measure.inventory[].note": "备注（状况、存放地点等）",
    "measure.officers[].name": "实施的执法人员",
    "measure.approved_by": "批准实施的机关负责人",
    "measure.approval_opinion": "机关负责人意见",
    "measure.extension_days": "延长的期限，如“二十日”",
    "measure.extension_reasons": "延长的理由",
    "measure.testing_kind": "检测、检验、检疫或者技术鉴定",
    "measure.testing_institution": "检测、鉴定机构",
    "measure.testing_started_on": "送检日期",
    "measure.testing_ended_on": "检测、鉴定结果送达日期",
    "measure.end_kind": "处理结果：解除 / 没收 / 销毁 / 移送",
    "measure.end_reason": "解除的情形（行政强制法第二十八条第一款）",
    "measure.end_note": "解除或者处理的说明（事实和依据）",
    "measure.transferred_to": "接收移送的机关",
    "measure.ended_on": "解除或者处理日期",
    "enforcement.obligation": "催告履行的义务",
    "enforcement.principal": "未缴纳的罚没款（小写）",
    "enforcement.principal_upper": "未缴纳的罚没款大写",
    "enforcement.surcharge": "加处罚款（小写，不超出罚款数额）",
    "enforcement.surcharge_upper": "加处罚款大写",
    "enforcement.total": "合计（小写）",
    "enforcement.total_upper": "合计大写",
    "enforcement.reminder_number": "催告书文号",
    "enforcement.served_on": "催告书送达日期",
    "enforcement.due_on": "催告的履行期限（送达后十个工作日）",
    "enforcement.statement": "当事人的陈述、申辩",
    "enforcement.statement_review": "本机关的复核意见",
    "enforcement.statement_accepted": "是否采纳：采纳 / 不予采纳",
    "enforcement.means": "强制执行的方式，如“划拨存款”",
    "enforcement.court": "申请执行的人民法院",
    "enforcement.remedy_lapse": "申请行政复议和提起行政诉讼的期限届满日",
    "supervision.issuer": "监督机关（司法行政部门）名称，监督文书的落款",
    "supervision.subject": "监督事由",
    "supervision.findings": "发现的问题",
    "supervision.requirements": "监督意见、纠正或整改要求",
    "supervision.legal_basis": "监督依据",
    "supervision.reply_due_on": "书面答复（报告）期限",
    "supervision.problems[].no": "所列问题序号",
    "supervision.problems[].text": "所列问题",
    # The legal-review opinion (法制审核意见书) and the collective-discussion record (集体讨论记录).
    "review.number": "法制审核意见书文号",
    "review.round": "审核轮次，如“第1轮”",
    "review.submitted_on": "送审日期",
    "review.completed_on": "审核完成日期",
    "review.unit": "送审的承办机构",
    "review.major_reasons": "属于重大执法决定的情形（可多项，以“；”分隔）",
    "review.proposed[].text": "拟作出的处理决定的一项，如“一、罚款人民币柒万元整（¥70,000.00）”“违法情节：情节一般”",
    "review.findings[].no": "审核事项序号",
    "review.findings[].point": "审核事项，如“主体是否合法”",
    "review.findings[].finding": "该事项的审核结论：符合 / 存在问题 / 不适用",
    "review.findings[].reason": "该事项的审核理由",
    "review.answers[].round": "书面答复针对的审核轮次",
    "review.answers[].point": "答复的审核事项",
    "review.answers[].answer": "承办机构的书面答复",
    "review.result": "审核结论：同意 / 存在问题",
    "review.conclusion": "审核结论的表述（同意的，写明同意拟作出的决定；存在问题的，写明须书面答复并补正后重新送审）",
    "review.reviewer": "审核人员姓名",
    "review.reviewer_kind": "审核人员类别：本机关法制审核人员 / 法律顾问 / 公职律师",
    "discussion.held_on": "集体讨论日期",
    "discussion.chair": "主持人",
    "discussion.chair_authorisation": "主持人不是机关负责人的，其授权情况",
    "discussion.participants": "参加人员",
    "discussion.recorder": "记录人",
    "discussion.reasons": "提交集体讨论的原因（情节复杂或者重大违法行为给予较重的行政处罚等）",
    "discussion.review": "法制审核情况，如“经法制审核（云市监法审〔2026〕12号），审核结论为同意”",
    "discussion.opinions": "参加人员的讨论意见（可多段）",
    "discussion.conclusion": "集体讨论决定",
    # 行政检查文书 (zhifa.inspections.acts): the inspection, its one checklist and its result
    "check.number": "检查编号",
    "check.kind": "检查类别（日常检查、个案检查、专项检查）",
    "check.origin": "检查来源（双随机抽查、年度计划、投诉举报、专项部署…）及编号",
    "check.subject": "检查事由",
    "check.place": "检查地点",
    "check.planned_on": "计划检查日期",
    "check.agencies": "参与检查的执法主体（联合检查时为多个）",
    "check.emergency": "是否紧急检查（事后补办审批）",
    "check.cap_exception": "不计入年度检查次数上限的例外情形",
    "check.approval_opinion": "负责人审批意见",
    "check.approved_by": "审批负责人",
    "check.approved_at": "审批时间",
    "check.started_at": "进场时间",
    "check.ended_at": "检查结束时间",
    "check.scan": "扫码入企情况（方式和时间，或未扫码原因）",
    "check.findings": "现场检查情况（可多段）",
    "check.result": "检查结论",
    "check.correction_requirements": "责令改正的内容",
    "check.correction_due_on": "改正期限",
    "check.reviewed_on": "复查日期",
    "check.review_result": "复查结果",
    "check.review_note": "复查情况",
    "check.case_number": "转立案查处的案件编号",
    "check.lines[].no": "检查表序号",
    "check.lines[].agency": "检查事项所属执法主体",
    "check.lines[].item": "检查事项名称",
    "check.lines[].code": "检查事项编码",
    "check.lines[].result": "该项检查结果",
    "check.lines[].note": "该项检查情况",
    "transfer.to_agency": "受移送机关名称（案件移送函的主送机关）",
    "transfer.reason": "移送理由",
    "transfer.legal_basis": "移送依据",
    "transfer.answer_due": "受移送机关答复期限",
    "transfer.materials": "随函移送的材料（案卷及证据）",
}
# 文书签名栏: the signature drawn on a screen, per signer role (zhifa.documents.signatures)
KEY_DESCRIPTIONS.update(signature_key_descriptions())

_NUMBER_MARKS = {
    "filing_approval": "立",
    "site_inspection_record": "检",
    "interview_record": "询",
    "advance_notice": "罚告",
    "hearing_notice": "听告",
    "statement_record": "陈",
    "hearing_record": "听",
    "penalty_decision": "罚",
    "service_receipt": "送",
    "credit_repair_notice": "信修",
    "payment_notice": "缴",
    "closing_report": "结",
    "no_penalty_decision": "不罚",
    "coercion_decision": "强决",
    "coercion_extension_notice": "强延",
    "coercion_testing_notice": "强检告",
    "coercion_release": "强解",
    "coercion_disposal": "强处",
    "enforcement_reminder": "催",
    "enforcement_decision": "强执",
    "enforcement_court_application": "强申",
    "supervision_notice": "督办",
    "supervision_opinion": "监意",
    "correction_notice": "纠",
    "inspection_letter": "督函",
    "legal_review_opinion": "法审",
    "inspection_approval": "检审",
    "inspection_result_notice": "检告",
    "inspection_correction_notice": "责改",
    "case_transfer_letter": "移",
}

_DOCUMENT_DATES = {
    "filing_approval": "2026年9月14日",
    "site_inspection_record": "2026年9月12日",
    "interview_record": "2026年9月16日",
    "advance_notice": "2026年9月25日",
    "hearing_notice": "2026年9月25日",
    "statement_record": "2026年9月29日",
    "hearing_record": "2026年10月13日",
    "penalty_decision": "2026年10月20日",
    "on_the_spot_decision": "2026年9月12日",
    "service_receipt": "2026年10月21日",
    "credit_repair_notice": "2026年10月20日",
    "payment_notice": "2026年10月20日",
    "closing_report": "2026年11月4日",
    "no_penalty_decision": "2026年10月20日",
    "coercion_decision": "2026年9月12日",
    "coercion_inventory": "2026年9月12日",
    "coercion_extension_notice": "2026年10月9日",
    "coercion_testing_notice": "2026年9月15日",
    "coercion_release": "2026年10月20日",
    "coercion_disposal": "2026年10月20日",
    "enforcement_reminder": "2026年11月9日",
    "enforcement_decision": "2026年11月24日",
    "enforcement_court_application": "2027年5月6日",
    "supervision_notice": "2026年11月2日",
    "supervision_opinion": "2026年11月2日",
    "correction_notice": "2026年11月2日",
    "inspection_letter": "2026年11月2日",
    "legal_review_opinion": "2026年10月15日",
    "collective_discussion_record": "2026年10月16日",
    "inspection_approval": "2026年9月10日",
    "inspection_site_record": "2026年9月12日",
    "inspection_result_notice": "2026年9月22日",
    "inspection_correction_notice": "2026年9月12日",
    "inspection_review_record": "2026年9月22日",
    "case_transfer_letter": "2026年9月20日",
}


def _base_sample() -> dict:
    """The sample case: 云岭县禾丰餐饮管理有限公司 kept expired food in its kitchen."""
    fine = Decimal("55000")
    income = Decimal("320")
    return {
        "agency": {
            "name": "云岭县市场监督管理局",
            "address": "秦川市云岭县云岭镇府前路16号",
            "phone": "0919-5512315",
            "seal_text": "云岭县市场监督管理局",
        },
        "document": {"number": "云市监罚〔2026〕37号", "date": "2026年10月20日", "title": "行政处罚决定书"},
        "case": {
            "number": "619921-SCJG-2026-0037",
            "title": "云岭县禾丰餐饮管理有限公司经营超过保质期的食品案",
            "cause": "经营超过保质期的食品",
            "item_name": "对经营超过保质期的食品的行政处罚",
            "item_code": "SCJG-CF-0217",
            "legal_basis": "《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项",
            "violated_provision": "《中华人民共和国食品安全法》第三十四条第（十）项",
            "penalty_basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项、"
                             "《中华人民共和国行政处罚法》第三十二条第（一）项",
            "filed_on": "2026年9月14日",
            "discovered_on": "2026年9月12日",
            "occurred_on": "2026年9月10日",
            "place": "秦川市云岭县云岭镇兴隆街88号（当事人经营场所后厨）",
            "facts": (
                "2026年9月12日，本局执法人员对当事人位于秦川市云岭县云岭镇兴隆街88号的经营场所进行检查，"
                "在后厨冷藏柜内发现超过保质期的冷冻鸡翅8千克（保质期至2026年9月5日）、鲜牛肉12千克"
                "（保质期至2026年9月9日），与当日使用的加工原料混放，未作停用标识。\n"
                "经查，上述食品系当事人于2026年8月下旬从云岭县兴旺冻品批发部购进，货值金额合计850元。"
                "2026年9月10日至11日，当事人使用上述食品加工菜品对外销售，违法所得320元。"
            ),
            "source": "秋季食品安全专项检查",
            "procedure": "本案经立案、调查取证、事先告知、听证、法制审核和集体讨论等程序，现已审查终结。",
            "violation": "经营超过保质期的食品",
            "opening": "2026年9月12日，本局执法人员在秋季食品安全专项检查中发现当事人涉嫌经营超过保质期的食品。",
        },
        "party": {
            "kind": "单位",
            "name": "云岭县禾丰餐饮管理有限公司",
            "id_label": "统一社会信用代码",
            "id_number": "91619921MA6YK2LP0U",
            "credit_code": "91619921MA6YK2LP0U",
            "representative": "张志远",
            "address": "秦川市云岭县云岭镇兴隆街88号",
            "phone": "13900006621",
        },
        "officers": [
            {"name": "王磊", "certificate_number": "61992100015"},
            {"name": "陈静", "certificate_number": "61992100027"},
        ],
        "evidence": [
            {"no": "1", "kind": "书证", "title": "当事人营业执照、食品经营许可证复印件",
             "description": "证明当事人的主体资格及经营范围。"},
            {"no": "2", "kind": "现场笔录", "title": "2026年9月12日现场检查笔录",
             "description": "证明执法人员在当事人后厨冷藏柜内发现超过保质期的食品的事实。"},
            {"no": "3", "kind": "视听资料", "title": "现场照片12张及执法记录仪视频1段",
             "description": "证明涉案食品的存放位置、标签标注的保质期及数量。"},
            {"no": "4", "kind": "当事人陈述", "title": "2026年9月16日对李建国的询问笔录",
             "description": "证明涉案食品的来源、使用情况及违法所得。"},
            {"no": "5", "kind": "书证", "title": "进货单据2份、2026年9月10日至11日销售记录",
             "description": "证明涉案食品货值金额850元、违法所得320元。"},
        ],
        "inspection": {
            "time": "2026年9月12日9时30分至10时45分",
            "place": "秦川市云岭县云岭镇兴隆街88号当事人经营场所",
            "content": "食品经营许可证、从业人员健康证明、食品原料进货查验记录、食品贮存条件及保质期",
            "findings": (
                "当事人持有有效的食品经营许可证，从业人员5名均持有有效健康证明。\n"
                "后厨1号冷藏柜内存放冷冻鸡翅8千克，标签标注保质期至2026年9月5日；鲜牛肉12千克，"
                "标签标注保质期至2026年9月9日。上述食品与当日使用的加工原料混放，未作停用或待退货标识。"
                "执法人员对上述食品拍照、录像，并依法先行登记保存。"
            ),
            "recorder": "陈静",
        },
        "interview": {
            "time": "2026年9月16日14时00分至15时10分",
            "place": "云岭县市场监督管理局询问室",
            "interviewee": "李建国，男，1985年3月生，身份证号码619921198503****18，当事人店长",
            "relation": "当事人店长（受法定代表人委托接受询问）",
            "recorder": "陈静",
            "questions": [
                {"q": "我们是云岭县市场监督管理局的执法人员，已向你出示执法证件。你是否申请回避？",
                 "a": "看清楚了，不申请回避。"},
                {"q": "你在店里负责什么工作？", "a": "我是店长，负责采购和后厨管理。"},
                {"q": "9月12日在你店后厨冷藏柜里发现的冷冻鸡翅和鲜牛肉是从哪里进的？",
                 "a": "8月下旬从云岭县兴旺冻品批发部进的，有进货单。"},
                {"q": "这些食品是否已经超过保质期？你们有没有用来加工菜品？",
                 "a": "是过期了，9月10日、11日用了一部分做菜卖出去了，大概卖了320元。"},
                {"q": "你们是否建立了定期检查库存食品的制度？",
                 "a": "有制度，但这段时间生意忙，没有按时检查。"},
            ],
        },
        "penalty": {
            "kinds": "没收违法所得、没收非法财物、罚款",
            "amount": format_amount(fine),
            "amount_upper": amount_in_chinese_upper(fine),
            "content": (
                f"一、罚款人民币{amount_in_chinese_upper(fine)}（¥{format_amount(fine)}）；\n"
                f"二、没收违法所得人民币{amount_in_chinese_upper(income)}（¥{format_amount(income)}）；\n"
                "三、没收非法财物：超过保质期的冷冻鸡翅8千克、鲜牛肉12千克。"
            ),
            "decided": [
                {"no": "一", "text": f"罚款人民币{amount_in_chinese_upper(fine)}（¥{format_amount(fine)}）"},
                {"no": "二", "text": f"没收违法所得人民币{amount_in_chinese_upper(income)}（¥{format_amount(income)}）"},
                {"no": "三", "text": "没收非法财物：超过保质期的冷冻鸡翅8千克、鲜牛肉12千克"},
            ],
            "benchmark": "《秦川市市场监督管理行政处罚裁量权基准（2025年版）》第45项",
            "discretion_level": "从轻处罚（货值金额不足一万元的，处五万元以上六万五千元以下罚款）",
            "discretion_outcome": "从轻处罚",
            "discretion_reasoning": (
                "当事人涉案食品货值金额850元，违法所得320元，系初次违法，案发后积极配合调查、如实陈述违法事实，"
                "并主动配合处置涉案食品，消除了危害后果，符合该基准规定的从轻处罚情形；同时，涉案食品已用于加工"
                "并向消费者销售，存在食品安全风险，不符合减轻处罚或者不予处罚的条件。"
            ),
            "correction_order": "责令当事人立即改正违法行为，停止经营超过保质期的食品，并落实食品原料进货查验和定期检查制度。",
            "education": "本局已对当事人进行了食品安全法律法规宣传教育，当事人表示将严格落实进货查验和库存检查制度。",
        },
        "statements": [
            {"point": "涉案食品是临时存放，准备退货，并未用于加工销售。",
             "answer": "经查，涉案食品与正常使用的加工原料混放，未作退货或停用标识，销售记录及当事人店长的陈述均证明"
                       "当事人于2026年9月10日至11日使用涉案食品加工菜品并销售。该意见与查明的事实不符，不予采纳。"},
            {"point": "当事人系初次违法，并已配合处置涉案食品，请求从轻处罚。",
             "answer": "经查，当事人此前未因同类违法行为受过行政处罚，案发后积极配合调查，主动消除违法行为危害后果。"
                       "本局已在裁量时予以考虑，该意见予以采纳。"},
        ],
        "statement": {
            "time": "2026年9月29日10时00分至10时40分",
            "place": "云岭县市场监督管理局会议室",
            "speaker": "李建国，当事人店长（持法定代表人授权委托书）",
            "recorder": "陈静",
        },
        "notice": {"number": "云市监罚告〔2026〕37号", "date": "2026年9月25日"},
        "hearing": {
            "requested": "是",
            "time": "2026年10月13日9时30分至11时20分",
            "place": "云岭县市场监督管理局听证室",
            "presiding": "周立新",
            "recorder": "孙悦",
            "participants": "案件调查人员王磊、陈静；当事人委托代理人李建国",
            "record": (
                "主持人宣布听证纪律，核对听证参加人身份，告知当事人的权利和义务。当事人不申请回避。\n"
                "案件调查人员王磊陈述了当事人的违法事实、证据、处罚依据和拟作出的处罚。\n"
                "当事人委托代理人李建国提出：涉案食品是临时存放，准备退货；当事人系初次违法，请求从轻处罚。\n"
                "双方对进货单据、销售记录进行了质证。当事人对证据的真实性无异议。\n"
                "主持人宣布听证结束。"
            ),
        },
        "decision": {"number": "云市监罚〔2026〕37号", "date": "2026年10月20日"},
        "payment": {
            "bank": "中国农业银行云岭县支行",
            "account_name": "云岭县财政局非税收入汇缴结算户",
            "account": "2711 0101 0400 1234 5",
            "reference": "6199212026003700001",
            "deadline": "2026年11月5日前（自收到行政处罚决定书之日起十五日内）",
            "surcharge_rule": SURCHARGE_RULE,
            "amounts": [
                {"label": "罚款", "amount": format_amount(fine), "amount_upper": amount_in_chinese_upper(fine)},
                {"label": "没收违法所得", "amount": format_amount(income), "amount_upper": amount_in_chinese_upper(income)},
            ],
            "total": format_amount(fine + income),
            "total_upper": amount_in_chinese_upper(fine + income),
        },
        "remedies": {
            "review_body": "云岭县人民政府",
            "review_days": REVIEW_DAYS,
            "litigation_court": "云岭县人民法院",
            "litigation_months": LITIGATION_MONTHS,
        },
        "service": {
            "method": "直接送达",
            "served_on": "2026年10月21日",
            "recipient": "云岭县禾丰餐饮管理有限公司（签收人：李建国）",
            "place": "秦川市云岭县云岭镇兴隆街88号",
            "server_names": "王磊、陈静",
            "note": "《行政处罚决定书》与《信用修复告知书》同时送达（两书同达）。",
            "documents": [
                {"title": "行政处罚决定书", "number": "云市监罚〔2026〕37号"},
                {"title": "信用修复告知书", "number": "云市监信修〔2026〕37号"},
                {"title": "罚款缴纳通知书", "number": "云市监缴〔2026〕37号"},
            ],
        },
        "credit_repair": {
            "platform": "国家企业信用信息公示系统",
            "publicity_period": "自公示之日起三年",
            "min_period": "一年",
            "authority": "云岭县市场监督管理局",
            "materials": "信用修复申请书、守信承诺书、已经履行行政处罚决定规定义务的材料",
        },
        "closing": {
            "result": "当事人已于2026年10月30日缴清罚款人民币55,000.00元及没收的违法所得320.00元；"
                      "没收的超过保质期的食品已于2026年10月22日依法无害化处理。",
            "executed_on": "2026年10月30日",
            "summary": "本案事实清楚，证据确实充分，适用法律正确，程序合法，处罚决定已执行完毕，建议结案归档。",
        },
        "approvals": [
            {"role": "承办人意见", "name": "王磊",
             "opinion": "当事人涉嫌经营超过保质期的食品，符合立案条件，建议立案调查。", "date": "2026年9月13日"},
            {"role": "承办机构负责人意见", "name": "赵敏", "opinion": "同意立案，由王磊、陈静承办。", "date": "2026年9月13日"},
            {"role": "机关负责人审批意见", "name": "刘志强", "opinion": "同意。", "date": "2026年9月14日"},
        ],
        "measure": {
            "kind": "扣押财物", "short": "扣押",
            "reasons": "当事人厨房冷库内存放的超过保质期的食品可能被继续使用，为防止危害发生，",
            "basis": "《中华人民共和国食品安全法》第一百一十条第（四）项",
            "place": "秦川市云岭县云岭镇兴隆街88号（当事人经营场所）",
            "started_at": "2026年9月12日10时30分", "started_on": "2026年9月12日",
            "period": "三十日（自2026年9月12日起算），至2026年10月12日届满", "expires_on": "2026年10月12日",
            "decision_number": "云市监强决〔2026〕37号",
            "inventory": [
                {"no": "1", "name": "速冻水饺（超过保质期）", "spec": "1千克/袋", "quantity": "12", "unit": "袋", "note": "冷库"},
                {"no": "2", "name": "冷冻鸡翅（超过保质期）", "spec": "2千克/箱", "quantity": "3", "unit": "箱", "note": "冷库"},
            ],
            "officers": [{"name": "王磊"}, {"name": "陈静"}],
            "approved_by": "刘志强", "approval_opinion": "同意。",
            "extension_days": "二十日", "extension_reasons": "涉案食品来源需向外省供货商核查，情况复杂",
            "testing_kind": "检验", "testing_institution": "秦川市食品药品检验检测中心",
            "testing_started_on": "2026年9月15日", "testing_ended_on": "2026年9月25日",
            "end_kind": "没收", "end_reason": "行政机关对违法行为已经作出处理决定，不再需要查封、扣押",
            "end_note": "涉案食品经检验不符合食品安全标准，已依法作出没收的行政处罚决定。",
            "transferred_to": "", "ended_on": "2026年10月20日",
        },
        "enforcement": {
            "obligation": "履行云市监罚〔2026〕37号行政处罚决定确定的义务：罚款人民币55,000.00元",
            "principal": format_amount(fine), "principal_upper": amount_in_chinese_upper(fine),
            "surcharge": format_amount(Decimal("6600")), "surcharge_upper": amount_in_chinese_upper(Decimal("6600")),
            "total": format_amount(fine + Decimal("6600")), "total_upper": amount_in_chinese_upper(fine + Decimal("6600")),
            "reminder_number": "云市监催〔2026〕37号", "served_on": "2026年11月9日", "due_on": "2026年11月23日",
            "statement": "经营困难，请求分期缴纳。", "statement_review": "当事人未提出分期缴纳的书面申请和证明材料，不予采纳。",
            "statement_accepted": "不予采纳", "means": "申请人民法院强制执行", "court": "云岭县人民法院",
            "remedy_lapse": "2027年4月21日",
        },
        # Supervision documents (督办通知, 行政执法监督意见书, 纠错通知书, 督查函): issued by the
        # supervising justice bureau to the agency (``agency``), about a case or a list of problems.
        "supervision": {
            "issuer": "云岭县司法局",
            "subject": "关于云岭县禾丰餐饮管理有限公司经营超过保质期的食品案的执法监督",
            "findings": "该案于2026年10月20日作出处罚决定，至2026年11月2日仍未送达决定书，超过《中华人民共和国行政处罚法》"
                        "第六十一条规定的七个工作日期限。",
            "requirements": "请你局立即送达处罚决定书，查明超期原因，并于2026年11月16日前将办理情况书面报告本局。",
            "legal_basis": "《陕西省行政执法监督条例》",
            "reply_due_on": "2026年11月16日",
            "problems": [{"no": "1", "text": "决定书送达超期（云市监罚〔2026〕37号）"}],
        },
        "review": {
            "number": "云市监法审〔2026〕12号",
            "round": "第2轮",
            "submitted_on": "2026年10月14日",
            "completed_on": "2026年10月15日",
            "unit": "云岭县市场监督管理局执法大队",
            "major_reasons": "拟对法人罚款五万元以上，属于本机关目录清单所列较大数额罚款；经过听证程序",
            "proposed": [
                {"text": f"一、罚款人民币{amount_in_chinese_upper(fine)}（¥{format_amount(fine)}）"},
                {"text": f"二、没收违法所得人民币{amount_in_chinese_upper(income)}（¥{format_amount(income)}）"},
                {"text": "三、没收非法财物：超过保质期的冷冻鸡翅8千克、鲜牛肉12千克"},
                {"text": "违法情节：情节较轻"},
            ],
            "findings": [
                {"no": "1", "point": "主体是否合法", "finding": "符合",
                 "reason": "本局依法对辖区内食品经营活动实施监督管理，属于本局法定职责。"},
                {"no": "2", "point": "执法人员是否具备执法资格", "finding": "符合",
                 "reason": "承办人员王磊、陈静均持有有效执法证件。"},
                {"no": "3", "point": "程序是否合法", "finding": "符合",
                 "reason": "已依法立案、调查取证、事先告知并组织听证。"},
            ],
            "answers": [
                {"round": "对第1轮审核意见", "point": "证据是否合法充分",
                 "answer": "已补充涉案食品的进货单据及2026年9月10日至11日的销售记录。"},
            ],
            "result": "同意",
            "conclusion": "同意承办机构拟作出的行政处罚决定。",
            "reviewer": "周立新",
            "reviewer_kind": "本机关法制审核人员",
        },
        "discussion": {
            "held_on": "2026年10月16日",
            "chair": "刘志强",
            "chair_authorisation": "",
            "participants": "刘志强（局长）、赵敏（副局长）、周立新（法制审核人员）、王磊（承办人）",
            "recorder": "孙悦",
            "reasons": "拟对法人罚款五万元以上，情节复杂",
            "review": "经法制审核（云市监法审〔2026〕12号），审核结论为同意",
            "opinions": (
                "承办人王磊汇报了案件事实、证据、处罚依据和裁量理由。\n"
                "赵敏：事实清楚，证据充分，当事人初次违法并积极配合，同意从轻处罚。\n"
                "周立新：程序合法，适用法律正确，法制审核意见为同意。"
            ),
            "conclusion": "同意对当事人罚款人民币伍万伍仟元整，没收违法所得及涉案食品。",
        },
        "check": {
            "number": "云岭县市场监管局检〔2026〕18号",
            "kind": "日常检查",
            "origin": "双随机抽查（2026年第3批）",
            "subject": "食品经营企业日常监督检查",
            "place": "秦川市云岭县云岭镇兴隆街88号当事人经营场所",
            "planned_on": "2026年9月12日",
            "agencies": "云岭县市场监督管理局、云岭县卫生健康局",
            "emergency": "否",
            "cap_exception": "",
            "approval_opinion": "同意检查。",
            "approved_by": "刘志强",
            "approved_at": "2026年9月10日16时20分",
            "started_at": "2026年9月12日9时30分",
            "ended_at": "2026年9月12日10时45分",
            "scan": "手机扫码，2026年9月12日9时28分",
            "findings": "后厨1号冷藏柜内存放超过保质期的冷冻鸡翅8千克，与当日使用的加工原料混放。",
            "result": "责令改正",
            "correction_requirements": "立即将超过保质期的食品下架封存，建立并落实食品贮存定期检查制度。",
            "correction_due_on": "2026年9月19日",
            "reviewed_on": "2026年9月22日",
            "review_result": "已改正",
            "review_note": "超过保质期的食品已销毁，冷藏柜已分区标识，定期检查记录完整。",
            "case_number": "",
            "lines": [
                {"no": "1", "agency": "云岭县市场监督管理局", "item": "食品经营者贮存食品情况的检查",
                 "code": "SCJG-JC-0031", "result": "发现问题", "note": "发现超过保质期的食品。"},
                {"no": "2", "agency": "云岭县卫生健康局", "item": "公共场所卫生许可情况的检查",
                 "code": "WSJK-JC-0007", "result": "符合", "note": ""},
            ],
        },
        "transfer": {
            "to_agency": "青石县市场监督管理局",
            "reason": "经调查，当事人的经营场所及违法行为发生地均在青石县，本局对该案无管辖权。",
            "legal_basis": "《中华人民共和国行政处罚法》第二十二条；《市场监督管理行政处罚程序规定》第十五条",
            "answer_due": "2026年9月29日",
            "materials": "案卷一册（立案审批表、现场检查笔录、询问笔录）；证据材料三份",
        },
        "signatures": sample_section(),
    }


def _on_the_spot_variant(ctx: dict) -> None:
    """Simple procedure (简易程序): a small fine an officer may impose on the spot (≤ ¥3,000
    for an organisation, 行政处罚法 Art. 51)."""
    fine = Decimal("1500")
    ctx["case"].update(
        cause="未按规定明码标价",
        item_name="对经营者未按规定明码标价的行政处罚",
        item_code="SCJG-CF-0508",
        legal_basis="《中华人民共和国价格法》第十三条第一款、《价格违法行为行政处罚规定》第十三条",
        violated_provision="《中华人民共和国价格法》第十三条第一款",
        penalty_basis="《价格违法行为行政处罚规定》第十三条第（一）项",
        occurred_on="2026年9月12日",
        place="秦川市云岭县云岭镇兴隆街88号（当事人经营场所）",
        facts="2026年9月12日10时，执法人员检查发现当事人经营场所内销售的18种菜品均未标示价格，"
              "也未提供菜单或价目表，违反明码标价规定。",
        procedure="执法人员当场出示执法证件，告知当事人违法事实、处罚理由和依据，并听取了当事人的陈述、申辩。",
    )
    ctx["evidence"] = [
        {"no": "1", "kind": "视听资料", "title": "现场照片3张", "description": "证明菜品未标示价格的事实。"},
        {"no": "2", "kind": "当事人陈述", "title": "当事人店长李建国的陈述", "description": "承认未明码标价。"},
    ]
    ctx["statements"] = [
        {"point": "菜单正在重新印制，尚未摆放。", "answer": "经核实，当事人未能提供任何价目表，该意见不能成立，不予采纳。"},
    ]
    ctx["penalty"].update(
        kinds="罚款",
        amount=format_amount(fine),
        amount_upper=amount_in_chinese_upper(fine),
        content=f"罚款人民币{amount_in_chinese_upper(fine)}（¥{format_amount(fine)}）。",
        decided=[{"no": "一", "text": f"罚款人民币{amount_in_chinese_upper(fine)}（¥{format_amount(fine)}）"}],
        correction_order="责令当事人立即改正，在经营场所醒目位置公示菜品价格。",
    )
    ctx["payment"].update(
        deadline=PAYMENT_DEADLINE, total=format_amount(fine), total_upper=amount_in_chinese_upper(fine),
        amounts=[{"label": "罚款", "amount": format_amount(fine), "amount_upper": amount_in_chinese_upper(fine)}],
    )
    ctx["case"].update(violation="未按规定明码标价", opening="")
    ctx["document"]["number"] = "No.6199210002317"


def sample_context(code: str = "penalty_decision") -> dict:
    """A complete, realistic context for a document of kind ``code`` (every documented key
    set). Used to preview templates and to check uploaded ones."""
    title = kind_title(code)
    ctx = _base_sample()
    ctx["document"]["title"] = title
    ctx["document"]["date"] = _DOCUMENT_DATES[code]
    mark = _NUMBER_MARKS.get(code)
    if mark:
        ctx["document"]["number"] = f"云市监{mark}〔2026〕37号"
    if code == "on_the_spot_decision":
        _on_the_spot_variant(ctx)
    if code == "closing_report":
        ctx["approvals"] = [
            {"role": "承办人意见", "name": "王磊", "opinion": "处罚决定已执行完毕，建议结案。", "date": "2026年11月3日"},
            {"role": "承办机构负责人意见", "name": "赵敏", "opinion": "同意结案。", "date": "2026年11月3日"},
            {"role": "机关负责人审批意见", "name": "刘志强", "opinion": "同意结案归档。", "date": "2026年11月4日"},
        ]
    if code == "collective_discussion_record":
        ctx["document"]["number"] = ""  # a record (笔录) has no number of its own
    if code == "no_penalty_decision":
        ctx["penalty"].update(
            kinds="", amount="", amount_upper="", content="不予行政处罚。", decided=[{"no": "一", "text": "不予行政处罚"}],
            discretion_level="不予处罚（初次违法且危害后果轻微并及时改正）",
            discretion_outcome="不予行政处罚",
            discretion_reasoning="当事人系初次违法，涉案食品货值金额较小且已全部召回、销毁，尚未造成危害后果，"
                                 "并已及时改正，符合首违不罚的条件。",
        )
        ctx["case"]["penalty_basis"] = "《中华人民共和国行政处罚法》第三十三条第一款"
    return ctx


def context_keys(value=None, prefix: str = "") -> list[str]:
    """The dotted keys of a context (``[]`` marks list items), in document order."""
    value = _base_sample() if value is None else value
    keys = []
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, dict):
            keys.extend(context_keys(item, f"{path}."))
        elif isinstance(item, list):
            if item and isinstance(item[0], dict):
                keys.extend(context_keys(item[0], f"{path}[]."))
            else:
                keys.append(path)
        else:
            keys.append(path)
    return keys


def format_value(value) -> str:
    """A raw value formatted for a template: dates, moments, amounts, booleans, None."""
    if value is None:
        return ""
    if isinstance(value, SignatureImage):  # printed as a picture by the renderer
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)


def _blank(sample):
    if isinstance(sample, dict):
        return {k: _blank(v) for k, v in sample.items()}
    if isinstance(sample, list):
        return []
    return ""


def _merge(sample, given):
    if isinstance(sample, dict):
        given = given if isinstance(given, dict) else {}
        merged = {k: (_merge(v, given[k]) if k in given else _blank(v)) for k, v in sample.items()}
        for key, value in given.items():
            if key not in merged:
                merged[key] = _merge(None, value)
        return merged
    if isinstance(sample, list) or isinstance(given, list | tuple):
        item_sample = sample[0] if isinstance(sample, list) and sample else None
        return [_merge(item_sample, item) for item in (given or [])]
    if isinstance(given, dict):
        return {k: _merge(None, v) for k, v in given.items()}
    return format_value(given)


def complete_context(context: dict, code: str) -> dict:
    """The caller's context made complete for a document of kind ``code``: every documented
    key present ("" or [] when not given), raw values formatted, statutory defaults filled in,
    ``document.title`` set to the kind's title when blank. The input is not modified."""
    if code not in KIND_TITLES:
        raise KeyError(f"未知的文书种类：{code}")
    ctx = _merge(_base_sample(), copy.deepcopy(context or {}))
    for section, defaults in STATUTORY_DEFAULTS.items():
        for key, value in defaults.items():
            if not ctx[section].get(key):
                ctx[section][key] = value
    if not ctx["document"]["title"]:
        ctx["document"]["title"] = kind_title(code)
    remedies = ctx["remedies"]
    remedies["review_days"] = _period(remedies["review_days"], "日", ("日", "天"))
    remedies["litigation_months"] = _period(remedies["litigation_months"], "个月", ("月",))
    penalty = ctx["penalty"]
    if not penalty["content"] and penalty["decided"]:
        penalty["content"] = penalty_content([item["text"] for item in penalty["decided"]])
    if not penalty["content"] and (penalty["kinds"] or penalty["amount"]):
        penalty["content"] = _penalty_content(penalty)
    for evidence in ctx["evidence"]:  # the list adds its own "；" and "。"
        evidence["description"] = evidence["description"].strip().rstrip("。；;.，,")
    for role, entry in ctx["signatures"].items():  # a role nobody signed keeps the blank line
        if not entry["mark"]:
            ctx["signatures"][role] = {**blank_entry(), **{k: v for k, v in entry.items() if v}, "mark": BLANK}
    party = ctx["party"]
    if party["credit_code"] and not party["id_number"]:
        party["id_number"] = party["credit_code"]
        party["id_label"] = party["id_label"] or "统一社会信用代码"
    return ctx


def penalty_content(texts: list[str]) -> str:
    """Decided penalties as a decision lists them: "一、罚款人民币柒万元整（¥70,000.00）；" one
    per paragraph, the last ending with "。"."""
    lines = [f"{chinese_numeral(index)}、{text}" for index, text in enumerate(texts, start=1)]
    return "；\n".join(lines) + "。" if lines else ""


def _penalty_content(penalty: dict) -> str:
    """The decided penalty in one sentence, when the caller gave only kinds and amount."""
    text = penalty["kinds"]
    if penalty["amount"]:
        upper = f"（大写：{penalty['amount_upper']}）" if penalty["amount_upper"] else ""
        text = f"{text}：罚款人民币{penalty['amount']}元{upper}" if text else f"罚款人民币{penalty['amount']}元{upper}"
    return text + "。"


def _period(value: str, unit: str, endings: tuple[str, ...]) -> str:
    """A statutory period as printed: "60" → "六十日", "六" → "六个月", "六十日" unchanged."""
    value = value.strip()
    if value.isdigit():
        return chinese_numeral(int(value)) + unit
    if value and not value.endswith(endings):
        return value + unit
    return value
