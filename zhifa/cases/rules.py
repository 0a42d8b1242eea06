"""The rules the procedure definitions name: requirements, deadlines, fines.

Each requirement has the Chinese text shown in the flow chart and a check returning
``None`` when it holds or a Chinese sentence naming what is missing. Each deadline names its
statutory basis and computes its date from the case. The numbers are from
``shared/reference/legal-rules.md`` (行政处罚法 2021 and the SAMR procedure rules).
"""

import contextvars
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zhifa.catalog import choices as catalog_choices
from zhifa.core import clock
from zhifa.people.services import may_act
from zhifa.workdays.services import CalendarNotCovered, add_natural_days, add_weekdays, add_working_days

# 行政处罚法第五十一条: simple procedure only for a warning, or a fine up to these amounts.
SIMPLE_MAX_FINE_PERSON = Decimal("200")
SIMPLE_MAX_FINE_ORGANISATION = Decimal("3000")
SIMPLE_KINDS = frozenset({catalog_choices.WARNING, catalog_choices.FINE})
DECISION_LIMIT_DAYS = 90  # 第六十条, natural days from filing, plus approved extensions
FILING_LIMIT_WORKING_DAYS = 15  # SAMR 第十八条
STATEMENT_WORKING_DAYS = 5  # 第六十四条: hearing request within 5 working days (and statement)
HEARING_NOTICE_WORKING_DAYS = 7  # 第六十四条: notice 7 working days before the hearing
SERVICE_WORKING_DAYS = 7  # 第六十一条
PAYMENT_DAYS = 15  # 第六十七条, natural days from receipt
CLOSING_WORKING_DAYS = 15  # SAMR 第七十七条
SURCHARGE_RATE = Decimal("0.03")  # 第七十二条: 3% of the fine per day, at most the fine
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Requirement:
    code: str
    text: str
    check: Callable


@dataclass(frozen=True)
class Deadline:
    code: str
    text: str
    compute: Callable  # case -> (label, date) | None


def _today():
    return clock.today()


def _assignments(case):
    return list(case.assignments.select_related("officer").all())


def check_item_in_force(case):
    if case.item_version_id is None or not case.item.is_in_force(case.occurred_on):
        return "执法事项在违法行为发生时不在有效期内（或已取消、暂停）。"
    return None


def check_agency_competent(case):
    if not case.item.is_competent(case.agency, _today()):
        return f"“{case.item.name}”不在{case.agency.name}的职权范围内（也未赋权）。"
    return None


def check_party(case):
    party = case.party
    if not (getattr(party, "id_number", "") or getattr(party, "credit_code", "")):
        return "当事人身份信息不完整：须有身份证件号码或统一社会信用代码。"
    return None


def check_facts(case):
    return None if case.facts.strip() else "未填写违法事实。"


def check_two_officers(case):
    able, problems = [], []
    for assignment in _assignments(case):
        authority = may_act(assignment.officer, case.item)
        if authority.allowed:
            able.append(assignment.officer)
        else:
            problems.append(f"{assignment.officer.name}（{'；'.join(authority.reasons)}）")
    if len(able) >= 2:
        return None
    text = f"办案人员中有执法资格且可办理该事项的不足两名（现有{len(able)}名）。"
    return text + ("不符合条件：" + "，".join(problems) + "。" if problems else "")


def check_evidence(case):
    return None if case.evidence.exists() else "尚未收集任何证据。"


def check_record_made(case):
    if case.inspections.exists() or case.interviews.exists():
        return None
    return "尚未制作现场检查笔录或询问笔录。"


def check_recordings_complete(case):
    missing = case.interviews.filter(in_interview_room=True, recording__isnull=True).count()
    if missing:
        return f"有{missing}次在办案场所进行的询问没有全程音像记录。"
    return None


def check_discretion_set(case):
    if not case.discretion_level:
        return "未选择违法情节（裁量档次）。"
    if case.outcome != "no_penalty" and not case.penalty_kinds:
        return "未选择处罚种类。"
    return None


def check_within_benchmark_or_reason(case):
    if case.within_benchmark is False and not case.deviation_reason.strip():
        return "拟作出的处罚不符合裁量基准，须填写书面理由：" + "；".join(case.benchmark_findings or [])
    return None


def check_education_if_no_penalty(case):
    if case.outcome == "no_penalty" and not case.education_record.strip():
        return "不予处罚的，须记录对当事人的教育情况（处罚法第三十三条第三款）。"
    return None


def check_notice_period_over(case):
    if case.notice_served_on is None:
        return "尚未送达事先告知书。"
    if case.rights_waived:
        return None
    if case.statement_deadline and _today() <= case.statement_deadline:
        return f"陈述申辩和听证申请期限至{case.statement_deadline:%Y年%m月%d日}，尚未届满（当事人明确放弃的除外）。"
    return None


def check_statements_answered(case):
    open_points = case.statements.filter(answer="").count()
    return f"有{open_points}条陈述申辩意见尚未复核答复。" if open_points else None


def check_hearing_concluded(case):
    try:
        hearing = case.hearing
    except case._meta.model.hearing.RelatedObjectDoesNotExist:
        hearing = None
    if hearing is not None and not hearing.concluded:
        return "当事人已申请听证，尚未举行听证（或确认当事人未出席）。"
    return None


def check_service_details(case):
    if not (case.served_on and case.service_method and case.service_recipient):
        return "未填写送达日期、送达方式和受送达人。"
    return None


def check_executed(case):
    unpaid = [item for item in money_items(case, _today()) if item.outstanding > 0]
    problems = []
    for item in unpaid:
        surcharge = f"（含加处罚款{item.surcharge}元）" if item.surcharge else ""
        problems.append(f"{item.label}尚未缴清：应缴{item.due}元{surcharge}，已缴{item.paid}元。")
    pending = other_execution_pending(case)
    if pending:
        problems.append(f"尚未登记{'、'.join(pending)}的执行情况。")
    return "".join(problems) or None


def other_execution_pending(case) -> list[str]:
    """Kinds executed by their own act whose execution is not yet recorded."""
    if case.other_execution:
        return []
    return [item.kind for item in penalty_items(case) if item.needs_own_act]


def required_documents(case) -> list[str]:
    """Document codes the case file must contain before archiving."""
    if case.procedure == "simple":
        return ["on_the_spot_decision"]
    codes = ["filing_approval", "advance_notice", "penalty_decision", "service_receipt", "closing_report"]
    return codes


def check_case_file_complete(case):
    have = set(case.documents.values_list("code", flat=True))
    missing = [code for code in required_documents(case) if code not in have]
    if missing:
        from zhifa.documents.services import DOCUMENT_KINDS

        titles = dict(DOCUMENT_KINDS)
        return "案卷缺少：" + "、".join(titles.get(code, code) for code in missing) + "。"
    return None


def check_certificate_shown(case):
    return None if case.certificate_shown else "未确认已向当事人出示执法证件（处罚法第五十二条）。"


def check_simple_thresholds(case):
    kinds = set(case.penalty_kinds or [])
    if not kinds or not kinds <= SIMPLE_KINDS:
        return "当场处罚只能给予警告或者罚款（处罚法第五十一条）。"
    if catalog_choices.FINE in kinds:
        limit = SIMPLE_MAX_FINE_PERSON if case.party.kind == "natural" else SIMPLE_MAX_FINE_ORGANISATION
        if case.fine_amount is None or case.fine_amount > limit:
            who = "公民" if case.party.kind == "natural" else "法人或者其他组织"
            return f"对{who}当场罚款不得超过{limit}元（处罚法第五十一条），应适用一般程序。"
    return None


def check_statement_heard(case):
    return None if case.party_heard else "未告知当事人处罚的事实、理由和依据并听取陈述申辩。"


# Gates that later capabilities attach to a step without cases depending on them: e.g. the
# legal review app registers "legal_review_passed" (重大执法决定法制审核) and
# "collective_discussion_held" (集体讨论). Until registered, a gate holds.
GATES: dict[str, Callable] = {}


def register_gate(code: str, check: Callable) -> None:
    """Attach the check of gate ``code`` (returns None or a Chinese reason)."""
    GATES[code] = check


def _gate(code: str) -> Callable:
    def check(case):
        checker = GATES.get(code)
        return checker(case) if checker is not None else None

    return check


REQUIREMENTS = {
    r.code: r
    for r in (
        Requirement("item_in_force", "执法事项在违法行为发生时有效", check_item_in_force),
        Requirement("agency_competent", "本机关对该事项有管辖职权（含赋权）", check_agency_competent),
        Requirement("party", "当事人身份信息完整", check_party),
        Requirement("facts", "已填写违法事实", check_facts),
        Requirement("two_officers", "两名以上持有效执法证、可办理该事项的执法人员", check_two_officers),
        Requirement("evidence", "已收集证据", check_evidence),
        Requirement("record_made", "已制作现场检查笔录或询问笔录", check_record_made),
        Requirement("recordings_complete", "须全程音像记录的环节均有记录", check_recordings_complete),
        Requirement("discretion_set", "已选择违法情节和处罚种类", check_discretion_set),
        Requirement("within_benchmark_or_reason", "处罚符合裁量基准，或有书面理由", check_within_benchmark_or_reason),
        Requirement("education_if_no_penalty", "不予处罚的已记录教育情况", check_education_if_no_penalty),
        Requirement("notice_period_over", "陈述申辩和听证申请期限届满或当事人明确放弃", check_notice_period_over),
        Requirement("statements_answered", "每条陈述申辩意见均已复核答复", check_statements_answered),
        Requirement("hearing_concluded", "当事人申请听证的，已举行听证", check_hearing_concluded),
        Requirement("service_details", "已填写送达方式、日期和受送达人", check_service_details),
        Requirement("executed", "处罚已执行完毕（罚款已缴清）", check_executed),
        Requirement("case_file_complete", "案卷文书齐全", check_case_file_complete),
        Requirement("certificate_shown", "已出示执法证件", check_certificate_shown),
        Requirement("simple_thresholds", "警告，或罚款不超过200元（公民）/3000元（组织）", check_simple_thresholds),
        Requirement("statement_heard", "已告知并听取当事人陈述申辩", check_statement_heard),
        Requirement("legal_review_passed", "属于重大执法决定的，已经法制审核并通过", _gate("legal_review_passed")),
        Requirement("collective_discussion_held", "须集体讨论的，已经负责人集体讨论决定", _gate("collective_discussion_held")),
    )
}


# ---------------------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------------------


_PROVISIONAL = contextvars.ContextVar("zhifa_provisional_deadlines", default=False)


def _add_natural(start, days):
    if _PROVISIONAL.get():
        return start + datetime.timedelta(days=days)
    return add_natural_days(start, days)


def _add_working(start, days):
    if _PROVISIONAL.get():
        return add_weekdays(start, days)
    return add_working_days(start, days)


def decision_deadline(case) -> datetime.date | None:
    """90 days from filing plus approved extensions (处罚法第六十条)."""
    if case.filed_on is None:
        return None
    return _add_natural(case.filed_on, DECISION_LIMIT_DAYS + case.extension_days)


def _deadline_filing(case):
    return "决定是否立案", _add_working(case.registered_on, FILING_LIMIT_WORKING_DAYS)


def _deadline_decision(case):
    date = decision_deadline(case)
    return ("作出处罚决定", date) if date else None


def _deadline_service(case):
    return ("送达决定书", _add_working(case.decided_on, SERVICE_WORKING_DAYS)) if case.decided_on else None


def _deadline_execution(case):
    if case.executed_on or case.outcome == "no_penalty" or not has_money_due(case):
        start = case.executed_on or case.served_on or case.decided_on
        return ("结案", _add_working(start, CLOSING_WORKING_DAYS)) if start else None
    return ("当事人缴纳罚款", case.payment_due_on) if case.payment_due_on else None


DEADLINES = {
    d.code: d
    for d in (
        Deadline("filing", "自发现线索之日起15个工作日内决定是否立案（市场监管处罚程序规定第十八条）", _deadline_filing),
        Deadline("decision", "自立案之日起90日内作出处罚决定，经批准可延长（处罚法第六十条）", _deadline_decision),
        Deadline("service", "决定后7个工作日内送达（处罚法第六十一条）", _deadline_service),
        Deadline("execution", "收到决定书之日起15日内缴纳罚款；执行完毕后15个工作日内结案", _deadline_execution),
    )
}


def next_deadline(case) -> tuple[str, datetime.date] | None:
    """The deadline that runs in the case's current stage, or None.

    When the working-day calendar does not yet cover the year a deadline falls in, the date
    is given without holiday adjustment (natural days; working days counted Monday to
    Friday) and the label says so — the deadline is shown, marked as unconfirmed, rather than
    guessed silently or not shown at all.
    """
    stage = case.procedure_definition.stage(case.stage)
    if not stage.deadline:
        return None
    try:
        return DEADLINES[stage.deadline].compute(case)
    except CalendarNotCovered as exc:
        token = _PROVISIONAL.set(True)
        try:
            result = DEADLINES[stage.deadline].compute(case)
        finally:
            _PROVISIONAL.reset(token)
        if result is None:
            return None
        label, date = result
        return f"{label}（{exc.year}年节假日未录入，日期待确认）", date


# ---------------------------------------------------------------------------------------
# Fines (罚缴分离): what is due, never money held
# ---------------------------------------------------------------------------------------


def late_surcharge(fine: Decimal, due_on: datetime.date | None, on: datetime.date) -> Decimal:
    """加处罚款: 3% of the fine for each day after ``due_on``, never more than the fine (第七十二条)."""
    if not fine or due_on is None or on <= due_on:
        return Decimal("0.00")
    days = (on - due_on).days
    return min((fine * SURCHARGE_RATE * days).quantize(CENT, ROUND_HALF_UP), fine)


@dataclass(frozen=True)
class PenaltyItem:
    """One decided penalty (处罚决定的一项): its kind and, as it applies, the money amount,
    the list of confiscated property (``goods``) or the period."""

    kind: str
    amount: Decimal | None = None
    goods: str = ""  # the list of confiscated illegal property
    period: str = ""

    @property
    def is_money(self) -> bool:
        """Fines and confiscated illegal income are paid at the bank (罚缴分离)."""
        return self.kind in MONEY_KINDS

    @property
    def needs_own_act(self) -> bool:
        """Executed by an act of its own, recorded on the case (收缴证件、停业、处理没收物品…);
        a warning or public criticism is executed by serving the decision."""
        return not self.is_money and self.kind not in EXECUTED_BY_SERVICE


#: Kinds paid at the bank; the others are executed by their own acts.
MONEY_KINDS = frozenset({catalog_choices.FINE, catalog_choices.CONFISCATE_GAINS})
#: Kinds executed by serving the decision itself.
EXECUTED_BY_SERVICE = frozenset({catalog_choices.WARNING, catalog_choices.CRITICISM})
#: Kinds whose decision states a period (暂扣许可证件三个月、责令停产停业十日…).
PERIOD_KINDS = frozenset({catalog_choices.SUSPEND_LICENCE, catalog_choices.SUSPEND_BUSINESS,
                          catalog_choices.RESTRICT_BUSINESS, catalog_choices.BAN_OCCUPATION})
_KIND_ORDER = {kind: index for index, (kind, _) in enumerate(catalog_choices.PENALTY_KIND_CHOICES)}


def penalty_items(case) -> list[PenaltyItem]:
    """Every penalty decided on ``case``, in the order of 处罚法第九条 — what each document that
    states the penalty lists, item by item. Empty when no penalty is decided."""
    if case.outcome == "no_penalty":
        return []
    kinds = list(case.penalty_kinds or [])
    # An amount recorded without its kind (possible before set_discretion refused it) is still decided.
    for kind, amount in ((catalog_choices.FINE, case.fine_amount), (catalog_choices.CONFISCATE_GAINS, case.confiscation_amount)):
        if amount and kind not in kinds:
            kinds.append(kind)
    items = []
    for kind in sorted(kinds, key=lambda k: _KIND_ORDER.get(k, len(_KIND_ORDER))):
        if kind == catalog_choices.FINE:
            items.append(PenaltyItem(kind, amount=case.fine_amount))
        elif kind == catalog_choices.CONFISCATE_GAINS:
            items.append(PenaltyItem(kind, amount=case.confiscation_amount))
        elif kind == catalog_choices.CONFISCATE_PROPERTY:
            items.append(PenaltyItem(kind, goods=case.confiscated_property))
        elif kind in PERIOD_KINDS:
            items.append(PenaltyItem(kind, period=case.penalty_period))
        else:
            items.append(PenaltyItem(kind))
    return items


@dataclass
class MoneyItem:
    """One money amount of a decision and how far it is paid (罚款 with its surcharge, or
    没收违法所得)."""

    code: str  # choices.PAY_FINE / PAY_ILLEGAL_INCOME
    label: str
    principal: Decimal
    surcharge: Decimal
    paid: Decimal

    @property
    def due(self) -> Decimal:
        return self.principal + self.surcharge

    @property
    def outstanding(self) -> Decimal:
        return max(Decimal("0.00"), self.due - self.paid)


def money_items(case, on: datetime.date) -> list[MoneyItem]:
    """Each money amount decided on ``case`` (the fine first, then the confiscated illegal
    income), with what is due on ``on`` and what is paid. The late surcharge (加处罚款,
    第七十二条) applies to the fine only, and stops accruing on the day the fine is paid."""
    payments = sorted(case.payments.all(), key=lambda p: (p.paid_on, p.pk or 0))
    items = []
    kinds = {item.kind for item in penalty_items(case)}
    fine = case.fine_amount or Decimal("0")
    if fine and catalog_choices.FINE in kinds:
        cutoff, total = on, Decimal("0")
        for payment in payments:
            total += payment.fine_part + payment.surcharge
            if total >= fine:  # the fine itself was paid on this day: the surcharge stops accruing
                cutoff = min(on, payment.paid_on)
                break
        paid = sum((p.fine_part + p.surcharge for p in payments), Decimal("0.00"))
        items.append(MoneyItem("fine", catalog_choices.FINE, fine,
                               late_surcharge(fine, case.payment_due_on, cutoff), paid))
    income = case.confiscation_amount or Decimal("0")
    if income and catalog_choices.CONFISCATE_GAINS in kinds:
        paid = sum((p.income_part for p in payments), Decimal("0.00"))
        items.append(MoneyItem("illegal_income", catalog_choices.CONFISCATE_GAINS, income, Decimal("0.00"), paid))
    return items


def has_money_due(case) -> bool:
    """Whether the decision orders the party to pay anything (a fine or illegal income)."""
    return any(item.is_money and item.amount for item in penalty_items(case))


def amount_paid(case) -> Decimal:
    return sum((p.amount for p in case.payments.all()), Decimal("0.00"))


def amount_due(case, on: datetime.date) -> Decimal:
    """Every money amount of the decision plus the fine's late surcharge accrued on ``on``
    (or up to the day the fine was paid)."""
    return sum((item.due for item in money_items(case, on)), Decimal("0.00"))


# ---------------------------------------------------------------------------------------
# Hearing right (听证, 处罚法第六十三条)
# ---------------------------------------------------------------------------------------

# "较大数额" is set by each ministry or province: each agency records its own thresholds
# (orgs.Agency.hearing_fine_*); where it has not, these defaults follow the former
# 环境行政处罚办法 (2010): ¥5,000 for a citizen, ¥50,000 for an organisation.
HEARING_FINE_PERSON = Decimal("5000")
HEARING_FINE_ORGANISATION = Decimal("50000")
HEARING_KINDS = frozenset({
    catalog_choices.DOWNGRADE, catalog_choices.REVOKE_LICENCE, catalog_choices.SUSPEND_BUSINESS,
    catalog_choices.CLOSE, catalog_choices.BAN_OCCUPATION, catalog_choices.RESTRICT_BUSINESS,
})


def has_hearing_right(case) -> bool:
    """Whether the proposed penalty carries the right to request a hearing."""
    kinds = set(case.penalty_kinds or [])
    if kinds & HEARING_KINDS:
        return True
    agency = case.agency
    if case.party.kind == "natural":
        threshold = agency.hearing_fine_person or HEARING_FINE_PERSON
    else:
        threshold = agency.hearing_fine_organisation or HEARING_FINE_ORGANISATION
    large_fine = case.fine_amount is not None and case.fine_amount >= threshold
    large_confiscation = case.confiscation_amount is not None and case.confiscation_amount >= threshold
    return large_fine or large_confiscation
