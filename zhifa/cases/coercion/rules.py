"""The statutory periods and conditions of 行政强制 (行政强制法), in one place.

Counting (see docs/coercive-measures.md):

- 查封、扣押、冻结: thirty days (第二十五条第一款, 第三十二条) — a period over ten days, so
  calendar days (第六十九条 counts only periods of ten days or less in working days); the first
  day (the day of sealing) is not counted, and a period ending on a holiday ends on the next
  working day (民法典第二百零三条; 市场监管处罚程序规定第八十条). One extension of at most thirty
  days is added; the days of 检测、检验、检疫、技术鉴定 are not counted (第二十五条第三款): a
  testing period from the day the goods are sent to the day the result arrives adds
  ``ended_on − started_on`` days, and while one is running the period stands still
  (``expires_on`` is empty).
- Emergencies: the report and the head's approval within 24 hours of the start (第十九条).
- 催告: the reminder gives ten days to perform — ten days or less, so working days
  (第六十九条); the agency decides, or applies to the court, only after they have passed
  (第三十七条, 第五十四条 "催告书送达十日后").
- Court: only after the remedy periods lapsed unused — reconsideration sixty days (行政复议法
  第二十条), lawsuit six months (行政诉讼法第四十六条), both from service — and within three
  months after that (第五十三条).
- 加处罚款 never above the principal (第四十五条): the case's surcharge rule (``cases.rules``).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from zhifa.workdays.services import CalendarNotCovered, add_natural_days, next_working_day, working_deadline

from .. import choices as case_choices
from .. import rules as case_rules
from .models import FREEZE

MEASURE_DAYS = 30  # 第二十五条第一款、第三十二条第一款
MAX_EXTENSION_DAYS = 30  # 同上
EMERGENCY_HOURS = 24  # 第十九条
REMINDER_WORKING_DAYS = 10  # 第三十五条、第五十四条、第六十九条
RECONSIDERATION_DAYS = 60  # 行政复议法第二十条
LITIGATION_MONTHS = 6  # 行政诉讼法第四十六条
COURT_WINDOW_MONTHS = 3  # 行政强制法第五十三条
SURCHARGE_BEFORE_ENFORCEMENT_DAYS = 30  # 第四十六条
RECORDING_STAGES = ("clue", "filed", "investigation", "discretion", "notice")
RUNNING = ("in_force",)  # stages whose period runs (testing stops it)


def warning_days() -> int:
    """Days before expiry a measure is shown as expiring (``ZHIFA_COERCION_WARNING_DAYS``, default 3)."""
    return int(getattr(settings, "ZHIFA_COERCION_WARNING_DAYS", 3))


def calendar_deadline(start: datetime.date, days: int) -> tuple[datetime.date, bool]:
    """``start`` + ``days`` calendar days, moved to the next working day when it falls on a
    holiday; ``(date, True)`` — provisional — when that year's holidays are not entered yet."""
    try:
        return add_natural_days(start, days), False
    except CalendarNotCovered:
        return start + datetime.timedelta(days=days), True


def _lapse(end: datetime.date) -> datetime.date:
    try:
        return next_working_day(end, include_self=True)
    except CalendarNotCovered:
        return end


def start_date(measure) -> datetime.date | None:
    return timezone.localdate(measure.started_at) if measure.started_at else None


def testing_days(measure) -> int:
    """Days of finished testing periods, not counted in the measure's period."""
    return sum((t.ended_on - t.started_on).days for t in measure.testings.all() if t.ended_on)


def expiry(measure) -> tuple[datetime.date | None, bool]:
    """The last day of the measure's period (stored as ``expires_on``), or ``None`` before it
    starts and while a testing period runs."""
    start = start_date(measure)
    if start is None or any(t.ended_on is None for t in measure.testings.all()):
        return None, False
    return calendar_deadline(start, MEASURE_DAYS + measure.extension_days + testing_days(measure))


def emergency_approval_due(measure) -> datetime.datetime | None:
    """第十九条: report and approval within 24 hours of an on-the-spot measure."""
    if not measure.emergency or measure.started_at is None:
        return None
    return measure.started_at + datetime.timedelta(hours=EMERGENCY_HOURS)


def reminder_deadline(served_on: datetime.date) -> tuple[datetime.date, bool]:
    """The last day of the ten working days the 催告书 gives (第三十五条、第六十九条)."""
    return working_deadline(served_on, REMINDER_WORKING_DAYS)


def remedy_lapse(served_on: datetime.date) -> datetime.date:
    """The last day a remedy could be sought: the later of reconsideration (sixty days) and
    lawsuit (six months) from service, each moved past a closing holiday."""
    reconsideration = _lapse(served_on + datetime.timedelta(days=RECONSIDERATION_DAYS))
    lawsuit = _lapse(served_on + relativedelta(months=LITIGATION_MONTHS))
    return max(reconsideration, lawsuit)


def court_window(served_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day to apply to the court (第五十三条): from the day after the remedy
    periods lapse, for three months."""
    lapse = remedy_lapse(served_on)
    return lapse + datetime.timedelta(days=1), _lapse(lapse + relativedelta(months=COURT_WINDOW_MONTHS))


def state(measure, today: datetime.date, now: datetime.datetime) -> str:
    """"overdue", "expiring", "approval_overdue" or "" — the flag shown beside a measure."""
    if measure.stage == "reported":
        due = emergency_approval_due(measure)
        return "approval_overdue" if due and now > due else ""
    if measure.stage in RUNNING and measure.expires_on:
        if measure.expires_on < today:
            return "overdue"
        if measure.expires_on <= today + datetime.timedelta(days=warning_days()):
            return "expiring"
    return ""


FLAG_TEXTS = {
    "overdue": "期限已届满，应当立即解除（行政强制法第二十八条第一款第（四）项）",
    "expiring": "即将届满",
    "approval_overdue": "超过二十四小时未补办批准手续（行政强制法第十九条）",
}


# ---------------------------------------------------------------------------------------
# Queries (a stored date and an index: no scheduled job)
# ---------------------------------------------------------------------------------------


def expiring_q(today: datetime.date):
    from django.db.models import Q

    return Q(stage__in=RUNNING, expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=warning_days()))


def overdue_q(today: datetime.date, now: datetime.datetime):
    from django.db.models import Q

    late_approval = Q(stage="reported", emergency=True,
                      started_at__lt=now - datetime.timedelta(hours=EMERGENCY_HOURS))
    return Q(stage__in=RUNNING, expires_on__lt=today) | late_approval


# ---------------------------------------------------------------------------------------
# Requirements of the transitions (codes used in ``procedure``)
# ---------------------------------------------------------------------------------------


@dataclass
class Situation:
    """What a requirement looks at: the case, the measure or enforcement (``None`` when it is
    being started), the data posted with the action, and today."""

    case: object
    subject: object
    data: dict
    today: datetime.date
    now: datetime.datetime


@dataclass(frozen=True)
class Requirement:
    text: str
    holds: object  # Callable[[Situation], bool]


def _case_open(s):
    return s.case.procedure == case_choices.GENERAL and s.case.stage in RECORDING_STAGES


def _freeze_power(s):
    kind = s.data.get("kind") or getattr(s.subject, "kind", "")
    if kind != FREEZE:
        return True
    power = enforcement_power(s.case.agency)
    return bool(power and power.may_freeze)


def enforcement_power(agency):
    """The agency's ``CoercionPower`` row (冻结 and 强制执行 powers), or ``None``."""
    from .models import CoercionPower

    try:
        return agency.coercion_power
    except CoercionPower.DoesNotExist:
        return None


def _two_officers(s):
    from zhifa.people.services import may_act

    officers = s.data.get("officers") or []
    return len({o.pk for o in officers}) >= 2 and all(may_act(o, s.case.item, s.today).allowed for o in officers)


def _recording(s):
    recording = s.data.get("recording")
    return recording is not None and recording.case_id == s.case.pk and recording.is_recording


def _inventory(s):
    rows = s.data.get("inventory") or []
    return bool(rows) and all(str(r.get("name", "")).strip() and str(r.get("quantity", "")).strip() for r in rows)


def _not_expired(s):
    return s.subject.expires_on is None or s.today <= s.subject.expires_on


def _money_outstanding(case, on) -> Decimal:
    return sum((m.outstanding for m in case_rules.money_items(case, on)), Decimal("0.00"))


def _other_unexecuted(case) -> bool:
    return any(i.needs_own_act for i in case_rules.penalty_items(case)) and not case.other_execution


def _performance_overdue(s):
    case = s.case
    money_late = bool(case.payment_due_on and s.today > case.payment_due_on and _money_outstanding(case, s.today) > 0)
    return money_late or (case.served_on is not None and _other_unexecuted(case))


def _no_enforcement_open(s):
    return not s.case.enforcements.filter(stage="reminded").exists()


def _surcharge_long_enough(s):
    case = s.case
    if not case.payment_due_on or _money_outstanding(case, s.today) <= 0:
        return True
    return s.today > case.payment_due_on + datetime.timedelta(days=SURCHARGE_BEFORE_ENFORCEMENT_DAYS)


def _remedy_periods_over(s):
    return s.case.served_on is not None and s.today > remedy_lapse(s.case.served_on)


def _within_court_window(s):
    return s.case.served_on is not None and s.today <= court_window(s.case.served_on)[1]


def _power(s):
    power = enforcement_power(s.case.agency)
    return bool(power and power.may_enforce)


REQUIREMENTS: dict[str, Requirement] = {
    "case_open": Requirement("案件为一般程序且尚在调查取证阶段（作出处罚决定前）", _case_open),
    "freeze_power": Requirement("冻结存款、汇款须由法律规定的行政机关实施，不得委托（行政强制法第二十九条）", _freeze_power),
    "two_officers": Requirement("由两名以上具有有效执法证、可以办理本事项的执法人员实施（行政强制法第十八条第（二）项）",
                                _two_officers),
    "recording": Requirement("全程音像记录：本案的录音录像证据（国办发〔2018〕118号）", _recording),
    "inventory": Requirement("清单逐项列明财物名称和数量（行政强制法第二十四条第一款）", _inventory),
    "not_expired": Requirement("查封、扣押（冻结）期限尚未届满；期限届满应当解除（行政强制法第二十五条、第二十七条、第二十八条）",
                               _not_expired),
    "not_extended": Requirement("期限尚未延长过：延长以一次为限，不超过三十日（行政强制法第二十五条第一款）",
                                lambda s: s.subject.extension_days == 0),
    "not_freeze": Requirement("冻结的存款、汇款无需检测鉴定（仅适用于查封、扣押的物品）", lambda s: s.subject.kind != FREEZE),
    "decision_served": Requirement("行政决定已作出并送达", lambda s: bool(s.case.decided_on and s.case.served_on)),
    "performance_overdue": Requirement("当事人在决定的期限内未履行义务（行政强制法第三十五条）", _performance_overdue),
    "no_enforcement_open": Requirement("本案没有正在催告中的强制执行", _no_enforcement_open),
    "statement_made": Requirement("当事人已提出陈述、申辩", lambda s: bool(s.subject.statement)),
    "enforcement_power": Requirement("本机关依法具有行政强制执行权（行政强制法第十三条）", _power),
    "no_enforcement_power": Requirement("本机关没有行政强制执行权，依法申请人民法院强制执行（行政强制法第五十三条）",
                                        lambda s: not _power(s)),
    "reminder_period_over": Requirement("催告书送达已满十个工作日，当事人仍未履行（行政强制法第三十七条、第五十四条）",
                                        lambda s: s.today > s.subject.compliance_due_on),
    "statement_reviewed": Requirement("当事人的陈述、申辩已经复核（行政强制法第三十六条）",
                                      lambda s: not s.subject.statement or bool(s.subject.statement_review)),
    "surcharge_over_30_days": Requirement("加处罚款已超过三十日，经催告仍不履行（行政强制法第四十六条第一款）",
                                          _surcharge_long_enough),
    "remedy_periods_over": Requirement(
        "申请行政复议（六十日）和提起行政诉讼（六个月）的期限均已届满（行政强制法第五十三条）", _remedy_periods_over),
    "within_court_window": Requirement("在复议、诉讼期限届满之日起三个月内申请（行政强制法第五十三条）", _within_court_window),
    "no_remedy_pending": Requirement("当事人未在法定期限内申请行政复议或者提起行政诉讼（行政强制法第五十三条）",
                                     lambda s: not s.case.remedies.exists()),
}

DEADLINE_TEXTS = {
    "emergency_approval": "当场实施后二十四小时内向机关负责人报告并补办批准手续（行政强制法第十九条）",
    "measure_expiry": "不超过三十日；情况复杂的经机关负责人批准可延长一次，不超过三十日；检测、检验、检疫、技术鉴定的期间不计入"
                      "（行政强制法第二十五条）",
    "reminder": "催告书送达之日起十个工作日内履行（行政强制法第三十五条、第五十四条、第六十九条）",
}


def missing(transition, situation: Situation) -> list[str]:
    """The requirements of ``transition`` that do not hold, in Chinese."""
    return [REQUIREMENTS[code].text for code in transition.requires if not REQUIREMENTS[code].holds(situation)]
