"""The rules the procedure definitions name: requirements, deadlines, fines.

Each requirement has the Chinese text shown in the flow chart and a check returning
``None`` when it holds or a Chinese sentence naming what is missing. Each deadline names its
statutory basis and computes its date from the case. The numbers are from
``shared/reference/legal-rules.md`` (行政处罚法 2021 and the SAMR procedure rules).
"""

import contextvars
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zhifa.catalog import choices as catalog_choices
from zhifa.core import clock, numbers
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
        surcharge = f"（含加处罚款{numbers.format_yuan(item.surcharge)}）" if item.surcharge else ""
        problems.append(f"{item.label}尚未缴清：应缴{numbers.format_yuan(item.due)}{surcharge}，已缴{numbers.format_yuan(item.paid)}。")
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
            return f"对{who}当场罚款不得超过{numbers.format_yuan(limit)}（处罚法第五十一条），应适用一般程序。"
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
        Requirement("jurisdiction_settled", "案件不在移送中，也没有未决的管辖争议", _gate("jurisdiction_settled")),
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


def count_working_days(start: datetime.date, days: int) -> tuple[datetime.date, bool]:
    """(date, provisional): ``days`` working days after ``start``; counted Monday to Friday and
    provisional when the calendar does not cover the year yet."""
    try:
        return add_working_days(start, days), False
    except CalendarNotCovered:
        return add_weekdays(start, days), True


def count_natural_days(start: datetime.date, days: int) -> tuple[datetime.date, bool]:
    """(date, provisional): ``days`` natural days after ``start``, moved past a holiday; not moved
    and provisional when the calendar does not cover the year yet."""
    try:
        return add_natural_days(start, days), False
    except CalendarNotCovered:
        return start + datetime.timedelta(days=days), True


# The stored dates that may be provisional: field → (start field, counter, days).
STORED_DATES = {
    "statement_deadline": ("notice_served_on", count_working_days, STATEMENT_WORKING_DAYS),
    "payment_due_on": ("served_on", count_natural_days, PAYMENT_DAYS),
}


def set_stored_date(case, name: str, start: datetime.date) -> None:
    """Count stored date ``name`` from ``start`` and note on the case whether it is provisional."""
    _start_field, counter, days = STORED_DATES[name]
    value, provisional = counter(start, days)
    setattr(case, name, value)
    marks = [n for n in (case.provisional_dates or []) if n != name]
    case.provisional_dates = marks + [name] if provisional else marks


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
    due = next_payment_due(case) if case.payment_plans.exists() else case.payment_due_on
    return ("当事人缴纳罚款", due) if due else None


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


def surcharge_days(due_on: datetime.date, until: datetime.date, excluded=()) -> int:
    """Days after ``due_on`` up to and including ``until`` that count for the late surcharge:
    the days of a pending reconsideration or lawsuit (``excluded``: (first, end) pairs, the end
    day not excluded) do not count (处罚法第七十三条第三款)."""
    if until <= due_on:
        return 0
    days = (until - due_on).days
    for first, end in excluded:
        lo, hi = max(first, due_on + datetime.timedelta(days=1)), min(end, until + datetime.timedelta(days=1))
        if hi > lo:
            days -= (hi - lo).days
    return max(days, 0)


def late_surcharge(fine: Decimal, due_on: datetime.date | None, on: datetime.date, excluded=()) -> Decimal:
    """加处罚款: 3% of the overdue amount for each counted day after ``due_on``, never more than
    that amount (第七十二条; 行政强制法第四十五条), days of a pending remedy not counted (第七十三条)."""
    if not fine or due_on is None or on <= due_on:
        return Decimal("0.00")
    days = surcharge_days(due_on, on, excluded)
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
    第七十二条) applies to the fine only, runs on each part of the fine from its due date until it
    is paid, not during a reconsideration or lawsuit, and is capped at the fine (``surcharge``)."""
    payments = sorted(case.payments.all(), key=lambda p: (p.paid_on, p.pk or 0))
    items = []
    kinds = {item.kind for item in penalty_items(case)}
    fine = case.fine_amount or Decimal("0")
    if fine and catalog_choices.FINE in kinds:
        # the surcharge of each part of the fine stops on the day that part is paid (instalment_status)
        paid = sum((p.fine_part + p.surcharge for p in payments), Decimal("0.00"))
        items.append(MoneyItem("fine", catalog_choices.FINE, fine, surcharge(case, on), paid))
    income = case.confiscation_amount or Decimal("0")
    if income and catalog_choices.CONFISCATE_GAINS in kinds:
        paid = sum((p.income_part for p in payments), Decimal("0.00"))
        items.append(MoneyItem("illegal_income", catalog_choices.CONFISCATE_GAINS, income, Decimal("0.00"), paid))
    return items


def has_money_due(case) -> bool:
    """Whether the decision orders the party to pay anything (a fine or illegal income)."""
    return any(item.is_money and item.amount for item in penalty_items(case))


def remedy_periods(case, on: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """(filed, ended) of every reconsideration or lawsuit; a pending one runs to ``on``."""
    periods = []
    for remedy in case.remedies.all():
        end = remedy.decided_on or (on + datetime.timedelta(days=1))
        periods.append((remedy.filed_on, end))
    return periods


def instalments(case) -> list[tuple[datetime.date | None, Decimal]]:
    """(due date, principal) of each part of the fine: the approved deferral or instalment plan
    (处罚法第六十六条第二款), otherwise the whole fine by ``payment_due_on``."""
    fine = case.fine_amount or Decimal("0")
    plan = case.payment_plans.order_by("-approved_on", "-pk").first() if case.pk else None
    if plan is not None:
        return [(i.due_on, i.amount) for i in plan.instalments.order_by("due_on", "pk")]
    return [(case.payment_due_on, fine)]


@dataclass
class InstalmentStatus:
    """One part of the fine on a given day: when it was due, when payments covered it, its surcharge."""

    number: int
    due_on: datetime.date | None
    amount: Decimal
    paid_on: datetime.date | None
    surcharge: Decimal


def instalment_status(case, on: datetime.date) -> list[InstalmentStatus]:
    """Each part of the fine on ``on``: payments are applied to the earliest part first; a part
    accrues its own surcharge from its due date until the day it was covered, the days of a
    reconsideration or lawsuit not counted."""
    payments = sorted(case.payments.all(), key=lambda p: (p.paid_on, p.pk or 0))
    excluded = remedy_periods(case, on)
    rows, covered_to = [], Decimal("0")
    for number, (due_on, amount) in enumerate(instalments(case), start=1):
        covered_to += amount
        paid, paid_on = Decimal("0"), None
        for payment in payments:
            paid += payment.fine_part  # the principal paid (record_payment splits off the surcharge)
            if paid >= covered_to and payment.paid_on <= on:
                paid_on = payment.paid_on
                break
        cutoff = min(on, paid_on) if paid_on else on
        rows.append(InstalmentStatus(number, due_on, amount, paid_on, late_surcharge(amount, due_on, cutoff, excluded)))
    return rows


def surcharge(case, on: datetime.date) -> Decimal:
    """The late surcharge accrued on ``on`` over every part of the fine, at most the fine."""
    fine = case.fine_amount or Decimal("0")
    if not fine:
        return Decimal("0.00")
    return min(sum((row.surcharge for row in instalment_status(case, on)), Decimal("0.00")), fine)


def next_payment_due(case) -> datetime.date | None:
    """The due date of the earliest part of the fine not yet paid (the plan's, or ``payment_due_on``)."""
    for row in instalment_status(case, _today()):
        if row.paid_on is None:
            return row.due_on
    return case.payment_due_on


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


# ---------------------------------------------------------------------------------------
# Limitation (追责时效, 处罚法第三十六条)
# ---------------------------------------------------------------------------------------

LIMITATION_YEARS = 2  # 第三十六条第一款: not discovered within two years → no penalty
LIMITATION_YEARS_GRAVE = 5  # … five where 公民生命健康安全、金融安全 are involved with harmful consequences
LIMITATION_ARTICLE = "《中华人民共和国行政处罚法》第三十六条第一款"


def add_years(start: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February falls back to 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def limitation_years(case) -> int:
    return LIMITATION_YEARS_GRAVE if case.grave_safety_harm else LIMITATION_YEARS


def limitation_start(case) -> datetime.date | None:
    """The day the period runs from: the act, or the day a continuing act ended (第三十六条第二款);
    None while the act is still continuing (the period has not begun)."""
    if case.violation_continuing:
        return None
    return case.violation_ended_on or case.occurred_on


def limitation_ends_on(case) -> datetime.date | None:
    """The last day on which discovering the violation still allows a penalty."""
    start = limitation_start(case)
    return add_years(start, limitation_years(case)) if start else None


def limitation_expired(case) -> str | None:
    """The Chinese reason when the violation went undiscovered beyond the limitation period.

    The law counts to the day the violation was discovered (发现), which is the day the lead was
    registered (``registered_on``), not the day the case is filed.
    """
    ends = limitation_ends_on(case)
    if ends is None or case.registered_on is None or case.registered_on <= ends:
        return None
    years = "五" if case.grave_safety_harm else "二"
    start = limitation_start(case)
    what = "违法行为终了" if case.violation_ended_on else "违法行为发生"
    return (f"{what}之日（{_cn_date(start)}）起{years}年内未被发现（{_cn_date(case.registered_on)}发现），"
            f"依据{LIMITATION_ARTICLE}，不再给予行政处罚。")


def _cn_date(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def check_within_limitation(case):
    """No filing, and no penalty, beyond the limitation; a decision of no penalty remains open."""
    if case.outcome == "no_penalty":
        return None
    reason = limitation_expired(case)
    if reason is None:
        return None
    if case.filed_on:
        return reason + "应当作出不予行政处罚决定。"
    return reason + "不予立案。"


# ---------------------------------------------------------------------------------------
# No penalty (不予行政处罚, 处罚法第三十三条)
# ---------------------------------------------------------------------------------------

# The recorded facts (fact tags, ``catalog.choices.CONDITIONS``) that decide it.
MINOR_FACTS = frozenset({"违法行为轻微", "及时改正", "没有造成危害后果"})  # 第一款前段: must not penalise
NO_FAULT_FACTS = frozenset({"没有主观过错"})  # 第二款: must not penalise (unless a law says otherwise)
FIRST_VIOLATION_FACTS = frozenset({"首次违法", "危害后果轻微", "及时改正"})  # 第一款后段: may not penalise


@dataclass(frozen=True)
class NoPenaltyGround:
    """A ground for not penalising: whether it binds, the article and the reason in Chinese."""

    code: str
    mandatory: bool
    article: str
    reason: str

    @property
    def sentence(self) -> str:
        if self.mandatory:
            return f"{self.reason}依据{self.article}，不予行政处罚。"
        return f"{self.reason}依据{self.article}，可以不予行政处罚。"


NO_FAULT_ARTICLE = "《中华人民共和国行政处罚法》第三十三条第二款"


def no_fault_exception_problem(fact_tags, exception: str) -> str | None:
    """Why a recorded 第三十三条第二款 exception is not acceptable, or None. It applies only when the
    party has shown no fault (the fact "没有主观过错") and must cite a law (《…法》) or an
    administrative regulation (《…条例》《…规定》《…办法》) by name and article; a local
    regulation or a rule cannot override the article."""
    exception = (exception or "").strip()
    if not exception:
        return None
    if not NO_FAULT_FACTS <= set(fact_tags or ()):
        return "只有当事人有证据足以证明没有主观过错（裁量情节“没有主观过错”）时，才需要写明法律、行政法规的另有规定。"
    if not re.search(r"《[^》]+》.*第[一二三四五六七八九十百零〇\d]+条", exception):
        return ("请写明另有规定的法律或者行政法规的名称和条款，如“《中华人民共和国××法》第×条”"
                "（第三十三条第二款只认可法律、行政法规的规定）。")
    return None


def no_penalty_grounds(case, fact_tags=None, no_fault_exception=None) -> list[NoPenaltyGround]:
    """Every ground of 第三十三条 and 第三十六条 the case's recorded facts meet, binding ones first.
    No fault (第二款) does not bind where a law or administrative regulation provides otherwise
    (``no_fault_exception``, by default the case's recorded citation)."""
    tags = set(case.fact_tags if fact_tags is None else fact_tags)
    exception = (case.no_fault_exception if no_fault_exception is None else no_fault_exception).strip()
    grounds = []
    expired = limitation_expired(case)
    if expired:
        grounds.append(NoPenaltyGround("limitation", True, LIMITATION_ARTICLE, expired.split("，依据")[0] + "。"))
    if MINOR_FACTS <= tags:
        grounds.append(NoPenaltyGround("minor", True, "《中华人民共和国行政处罚法》第三十三条第一款",
                                       "当事人违法行为轻微并及时改正，没有造成危害后果。"))
    if NO_FAULT_FACTS <= tags and not exception:
        grounds.append(NoPenaltyGround("no_fault", True, NO_FAULT_ARTICLE,
                                       "当事人有证据足以证明没有主观过错。"))
    if FIRST_VIOLATION_FACTS <= tags:
        grounds.append(NoPenaltyGround("first_violation", False, "《中华人民共和国行政处罚法》第三十三条第一款",
                                       "当事人初次违法且危害后果轻微并及时改正。"))
    return grounds


def no_fault_exception_sentence(case) -> str:
    """The sentence a decision states when it penalises a party without fault because a law or
    an administrative regulation provides otherwise (empty otherwise)."""
    exception = (case.no_fault_exception or "").strip().rstrip("。")
    if not exception or not NO_FAULT_FACTS <= set(case.fact_tags or ()):
        return ""
    return (f"当事人虽有证据证明其没有主观过错，但{exception}对此另有规定，依据{NO_FAULT_ARTICLE}"
            "“法律、行政法规另有规定的，从其规定”，本局依法予以处罚。")


def mandatory_no_penalty(case, fact_tags=None) -> NoPenaltyGround | None:
    """The first ground on which the law forbids a penalty, or None."""
    return next((g for g in no_penalty_grounds(case, fact_tags) if g.mandatory), None)


def check_no_mandatory_no_penalty(case):
    """A penalty is refused where the recorded facts make 不予行政处罚 mandatory."""
    if case.outcome == "no_penalty":
        return None
    ground = next((g for g in no_penalty_grounds(case) if g.mandatory and g.code != "limitation"), None)
    return ground.sentence + "请改为作出不予行政处罚决定。" if ground else None


def no_penalty_basis(case) -> str:
    """The article a decision of no penalty cites (empty when none of 第三十三条、第三十六条 applies,
    e.g. facts not established, 第五十七条)."""
    grounds = no_penalty_grounds(case)
    return grounds[0].article if grounds else ""


REQUIREMENTS["within_limitation"] = Requirement(
    "within_limitation", "违法行为未超过追责时效（二年，涉及生命健康安全、金融安全且有危害后果的五年）",
    check_within_limitation,
)
REQUIREMENTS["no_mandatory_no_penalty"] = Requirement(
    "no_mandatory_no_penalty", "不存在依法应当不予处罚的情形（违法行为轻微并及时改正且无危害后果、无主观过错）",
    check_no_mandatory_no_penalty,
)
