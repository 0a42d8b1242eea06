"""Deadline arithmetic on the working-day calendar (工作日历), and entering a year's schedule.

Counting rules (legal-rules.md §0): the first day is not counted (SAMR 处罚程序规定 Art. 80);
"N working days" periods skip weekends and statutory holidays but count make-up working
days (调休上班); a natural-day period that ends on a non-working day moves to the next
working day. Any date outside a year an administrator has marked complete raises
``CalendarNotCovered`` — the software never guesses a holiday schedule.

Each complete year is loaded once into memory (a sorted tuple of the ordinals of its working
days) and reused; saving a calendar row clears the cache in this process, and other
processes reload a year after ``CACHE_SECONDS``.
"""

import bisect
import calendar
import datetime
import re
import threading
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import CalendarDay, CalendarYear

CACHE_SECONDS = 300
WEEKDAY_NAMES = "一二三四五六日"


class CalendarNotCovered(ValidationError):
    """The working-day calendar has no complete schedule for a year a deadline needs."""

    def __init__(self, year: int, detail: str = ""):
        self.year = year
        message = detail or f"工作日历未覆盖{year}年，请管理员先录入该年度节假日安排。"
        super().__init__(message, code="calendar_not_covered")


@dataclass(frozen=True)
class _Year:
    loaded: float
    ordinals: tuple[int, ...]  # sorted ordinals of the working days
    working: frozenset[int]


_cache: dict[int, _Year] = {}
_lock = threading.Lock()


def invalidate_cache(year: int | None = None) -> None:
    """Forget the cached working days of ``year`` (or of every year)."""
    with _lock:
        if year is None:
            _cache.clear()
        else:
            _cache.pop(year, None)


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
@receiver(post_save, sender=CalendarYear)
@receiver(post_delete, sender=CalendarYear)
def _calendar_changed(sender, instance, **kwargs):
    """Any saved date or year clears the cache of this process."""
    invalidate_cache()


def _load_year(year: int) -> _Year:
    entry = _cache.get(year)
    if entry is not None and time.monotonic() - entry.loaded < CACHE_SECONDS:
        return entry
    if not CalendarYear.objects.filter(year=year, complete=True).exists():
        invalidate_cache(year)
        raise CalendarNotCovered(year)
    rows = list(
        CalendarDay.objects.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31))
        .order_by("date")
        .values_list("date", "is_working_day")
    )
    if len(rows) != (366 if calendar.isleap(year) else 365):
        raise CalendarNotCovered(year, f"工作日历{year}年的日期数据不完整，请管理员重新录入该年度节假日安排。")
    ordinals = tuple(d.toordinal() for d, working in rows if working)
    entry = _Year(time.monotonic(), ordinals, frozenset(ordinals))
    with _lock:
        _cache[year] = entry
    return entry


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"日期格式应为 YYYY-MM-DD：{value}", code="invalid_date") from None
    raise TypeError(f"expected a date, got {type(value).__name__}")


def is_covered(year: int) -> bool:
    """Whether ``year`` has a complete schedule (deadlines in it can be computed)."""
    try:
        _load_year(year)
    except CalendarNotCovered:
        return False
    return True


def is_working_day(d) -> bool:
    """Whether ``d`` is a working day (工作日, including 调休上班)."""
    d = _as_date(d)
    return d.toordinal() in _load_year(d.year).working


def add_working_days(start, n: int) -> datetime.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted).

    ``n == 0`` returns ``start``; a negative ``n`` counts backwards (the ``|n|``-th working
    day before ``start``).
    """
    start = _as_date(start)
    year = start.year
    ords = _load_year(year).ordinals
    if n == 0:
        return start
    origin = start.toordinal()
    remaining = abs(n)
    if n > 0:
        idx = bisect.bisect_right(ords, origin)
        while remaining > len(ords) - idx:
            remaining -= len(ords) - idx
            year += 1
            ords, idx = _load_year(year).ordinals, 0
        return datetime.date.fromordinal(ords[idx + remaining - 1])
    idx = bisect.bisect_left(ords, origin)  # working days strictly before start
    while remaining > idx:
        remaining -= idx
        year -= 1
        ords = _load_year(year).ordinals
        idx = len(ords)
    return datetime.date.fromordinal(ords[idx - remaining])


def add_weekdays(start, n: int) -> datetime.date:
    """The ``n``-th Monday-to-Friday after ``start``: the provisional count used where the
    holiday calendar of a year is not entered yet (the result must be labelled as such)."""
    current, left = _as_date(start), n
    while left:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def working_deadline(start, n: int) -> tuple[datetime.date, bool]:
    """``(add_working_days(start, n), False)``, or ``(add_weekdays(start, n), True)`` when the
    calendar does not cover the years involved yet (the date is provisional)."""
    try:
        return add_working_days(start, n), False
    except CalendarNotCovered:
        return add_weekdays(start, n), True


def next_working_day(d, *, include_self: bool = False) -> datetime.date:
    """The first working day after ``d`` (or ``d`` itself if ``include_self`` and it is one)."""
    d = _as_date(d)
    if include_self and is_working_day(d):
        return d
    return add_working_days(d, 1)


def add_natural_days(start, n: int) -> datetime.date:
    """``start`` + ``n`` calendar days; if that day is not a working day the deadline moves to
    the next working day (市场监管处罚程序规定 Art. 80). ``n`` must not be negative."""
    if n < 0:
        raise ValidationError("期限天数不能为负数。", code="invalid")
    end = _as_date(start) + datetime.timedelta(days=n)
    return next_working_day(end, include_self=True)


def working_days_between(a, b) -> int:
    """Working days ``d`` with ``a < d <= b`` (negative when ``b`` is before ``a``), so that
    ``add_working_days(a, working_days_between(a, b))`` is the last working day up to ``b``."""
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -working_days_between(b, a)
    total = 0
    lo, hi = a.toordinal(), b.toordinal()
    for year in range(a.year, b.year + 1):
        ords = _load_year(year).ordinals
        total += bisect.bisect_right(ords, hi) - bisect.bisect_right(ords, lo)
    return total


# ---------------------------------------------------------------------------------------------
# Entering a year's schedule (国务院办公厅节假日安排) as text
# ---------------------------------------------------------------------------------------------

_MAKEUP_WORDS = ("调休上班", "调休", "上班", "补班")
_SEGMENT = re.compile(r"^(?P<name>[^\d\s:：,，、]+)\s*[:：]?\s*(?P<dates>.*)$")
_DATE = re.compile(r"^(?:(?P<y>\d{4})\s*[-/.年])?\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?$")
_RANGE_SEP = re.compile(r"\s*(?:至|到|~|～)\s*")

SCHEDULE_HELP = (
    "每行一个节日：名称 日期或日期范围，调休上班的日期写在同一行分号之后。例如：\n"
    "元旦 01-01至01-03\n"
    "国庆节 10-01至10-07；调休上班 09-20, 10-10\n"
    "未列出的日期按周一至周五上班、周六周日休息生成。"
)


@dataclass(frozen=True)
class ScheduledDay:
    """One date that differs from the weekday/weekend default."""

    date: datetime.date
    kind: str
    note: str


def _parse_date(text: str, year: int, where: str, errors: list[str]) -> datetime.date | None:
    match = _DATE.match(text.strip())
    if not match:
        errors.append(f"{where}：无法识别日期“{text}”，请写成 MM-DD，例如 10-01。")
        return None
    y = int(match["y"]) if match["y"] else year
    if y != year:
        errors.append(f"{where}：日期“{text}”不在{year}年。")
        return None
    try:
        return datetime.date(y, int(match["m"]), int(match["d"]))
    except ValueError:
        errors.append(f"{where}：日期“{text}”不存在。")
        return None


def parse_schedule(year: int, text: str) -> list[ScheduledDay]:
    """Parse an administrator's schedule text into the dates that differ from the default.

    Raises ``ValidationError`` listing every problem with its line number.
    """
    errors: list[str] = []
    found: dict[datetime.date, ScheduledDay] = {}
    for lineno, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        holiday_name = ""
        for segment in re.split(r"[;；]", line):
            segment = segment.strip()
            if not segment:
                continue
            where = f"第{lineno}行"
            match = _SEGMENT.match(segment)
            if not match or not match["dates"].strip():
                errors.append(f"{where}：“{segment}”应为“名称 日期”，例如“国庆节 10-01至10-07”。")
                continue
            name = match["name"].strip()
            makeup = any(name.startswith(word) or name.endswith(word) for word in _MAKEUP_WORDS)
            if makeup:
                prefix = name
                for word in _MAKEUP_WORDS:
                    prefix = prefix.removesuffix(word)
                note = prefix or holiday_name or ""
            else:
                holiday_name = name
                note = name
            if len(note) > 50:
                errors.append(f"{where}：名称“{note}”过长（最多50字）。")
                continue
            dates_text = _RANGE_SEP.sub("至", match["dates"].strip())
            for item in re.split(r"[,，、\s]+", dates_text):
                if not item:
                    continue
                if "至" in item:
                    first_text, _, last_text = item.partition("至")
                    first = _parse_date(first_text, year, where, errors)
                    last = _parse_date(last_text, year, where, errors)
                    if first is None or last is None:
                        continue
                    if last < first:
                        errors.append(f"{where}：日期范围“{item}”的结束日期早于开始日期。")
                        continue
                    days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
                else:
                    single = _parse_date(item, year, where, errors)
                    days = [single] if single else []
                for d in days:
                    kind = CalendarDay.MAKEUP if makeup else CalendarDay.HOLIDAY
                    if makeup and d.weekday() < 5:
                        errors.append(
                            f"{where}：{d:%m-%d}是星期{WEEKDAY_NAMES[d.weekday()]}，本来就上班，不能设为调休上班。"
                        )
                        continue
                    previous = found.get(d)
                    if previous is not None and (previous.kind != kind or previous.note != note):
                        errors.append(f"{where}：{d:%m-%d}已在前面设为{previous.note or ''}"
                                      f"{'调休上班' if previous.kind == CalendarDay.MAKEUP else '假日'}，不能重复设置。")
                        continue
                    found[d] = ScheduledDay(d, kind, note)
    if errors:
        raise ValidationError(errors, code="invalid_schedule")
    return sorted(found.values(), key=lambda s: s.date)


def default_kind(d: datetime.date) -> str:
    """Weekday → 工作日, Saturday/Sunday → 周末."""
    return CalendarDay.WEEKEND if d.weekday() >= 5 else CalendarDay.WORKDAY


def year_days(year: int, scheduled: list[ScheduledDay]) -> list[CalendarDay]:
    """Unsaved ``CalendarDay`` rows for every date of ``year``: the schedule over the defaults."""
    overrides = {s.date: s for s in scheduled}
    rows = []
    d = datetime.date(year, 1, 1)
    while d.year == year:
        s = overrides.get(d)
        kind = s.kind if s else default_kind(d)
        rows.append(CalendarDay(date=d, kind=kind, is_working_day=kind in CalendarDay.WORKING_KINDS,
                                note=s.note if s else ""))
        d += datetime.timedelta(days=1)
    return rows


def enter_schedule(year: int, text: str, *, complete: bool = True, published_note: str = "") -> CalendarYear:
    """Replace ``year``'s calendar with the defaults plus the parsed schedule (管理员录入).

    Atomic: either the whole year is written or nothing. The text is kept on the
    ``CalendarYear`` row, whose change is written to the audit trail.
    """
    if not 1949 <= int(year) <= 2200:
        raise ValidationError("年度应在1949至2200之间。", code="invalid")
    scheduled = parse_schedule(year, text)
    with transaction.atomic():
        CalendarDay.objects.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)).delete()
        CalendarDay.objects.bulk_create(year_days(year, scheduled))
        record = CalendarYear.objects.select_for_update().filter(year=year).first() or CalendarYear(year=year)
        record.source = "manual"
        record.complete = complete
        record.published_note = published_note
        record.schedule_text = text.strip()
        record.save()
        transaction.on_commit(invalidate_cache)
    invalidate_cache(year)
    return record


def set_day(day: CalendarDay, kind: str, note: str = "") -> CalendarDay:
    """Change one date's kind (e.g. a late 调休 announcement), refusing a make-up working day on a
    weekday; the year's ``schedule_text`` is regenerated so the change is in the audit trail."""
    if kind not in dict(CalendarDay.KIND_CHOICES):
        raise ValidationError({"kind": ["类别无效。"]})
    if kind == CalendarDay.MAKEUP and day.date.weekday() < 5:
        raise ValidationError({"kind": ["周一至周五本来就上班，不能设为调休上班。"]})
    if kind == CalendarDay.WEEKEND and day.date.weekday() < 5:
        raise ValidationError({"kind": ["周一至周五不能设为周末，请选择法定节假日。"]})
    if kind == CalendarDay.WORKDAY and day.date.weekday() >= 5:
        raise ValidationError({"kind": ["周六周日上班请选择“调休上班”。"]})
    with transaction.atomic():
        day.kind = kind
        day.note = note if kind in (CalendarDay.HOLIDAY, CalendarDay.MAKEUP) else ""
        day.save()
        record = CalendarYear.objects.select_for_update().filter(year=day.date.year).first()
        if record is not None:
            record.source = "manual"
            record.schedule_text = schedule_text_for(day.date.year)
            record.save()
        transaction.on_commit(invalidate_cache)
    invalidate_cache(day.date.year)
    return day


def schedule_text_for(year: int) -> str:
    """The year's holidays and make-up working days in the text form ``parse_schedule`` reads,
    derived from the stored days (so a seeded year can be corrected and saved again)."""
    rows = CalendarDay.objects.filter(
        date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31),
        kind__in=[CalendarDay.HOLIDAY, CalendarDay.MAKEUP],
    ).order_by("date")
    holidays: dict[str, list[list[datetime.date]]] = {}
    makeups: dict[str, list[datetime.date]] = {}
    for day in rows:
        if day.kind == CalendarDay.HOLIDAY:
            ranges = holidays.setdefault(day.note, [])
            if ranges and (day.date - ranges[-1][-1]).days == 1:
                ranges[-1].append(day.date)
            else:
                ranges.append([day.date])
        else:
            makeups.setdefault(day.note, []).append(day.date)

    def span(r):
        return f"{r[0]:%m-%d}" if len(r) == 1 else f"{r[0]:%m-%d}至{r[-1]:%m-%d}"

    lines = []
    for name, ranges in holidays.items():
        line = f"{name or '假日'} " + ", ".join(span(r) for r in ranges)
        if name in makeups:
            line += "；调休上班 " + ", ".join(f"{d:%m-%d}" for d in makeups.pop(name))
        lines.append(line)
    for name, dates in makeups.items():
        lines.append(f"{name}调休上班 " + ", ".join(f"{d:%m-%d}" for d in dates))
    return "\n".join(lines)


def month_grids(year: int) -> list[dict]:
    """Twelve month grids (Monday first) of ``CalendarDay`` rows, or of defaults where the year
    has no rows yet (one query)."""
    stored = {
        d.date: d
        for d in CalendarDay.objects.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31))
    }
    months = []
    cal = calendar.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks = []
        for week in cal.monthdatescalendar(year, month):
            cells = []
            for d in week:
                if d.month != month:
                    cells.append(None)
                    continue
                day = stored.get(d)
                if day is None:
                    kind = default_kind(d)
                    day = CalendarDay(date=d, kind=kind, is_working_day=kind == CalendarDay.WORKDAY)
                cells.append(day)
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    return months


def _chinesecalendar_schedule(year: int) -> list[ScheduledDay]:
    import chinese_calendar

    from .holiday_names import chinese_name

    if year not in {d.year for d in chinese_calendar.holidays}:
        raise CalendarNotCovered(year, f"已安装的 chinesecalendar 数据包不含{year}年，请在页面上录入。")
    scheduled = []
    d = datetime.date(year, 1, 1)
    while d.year == year:
        working = chinese_calendar.is_workday(d)
        _, name = chinese_calendar.get_holiday_detail(d)
        if not working and name:
            scheduled.append(ScheduledDay(d, CalendarDay.HOLIDAY, chinese_name(name)))
        elif working and d.weekday() >= 5:
            scheduled.append(ScheduledDay(d, CalendarDay.MAKEUP, chinese_name(name) if name else ""))
        d += datetime.timedelta(days=1)
    return scheduled


def import_from_chinesecalendar(year: int) -> CalendarYear:
    """Fill ``year`` from the installed ``chinesecalendar`` package (after upgrading it for a new
    year). Raises ``CalendarNotCovered`` if the package has no data for that year."""
    import chinese_calendar

    scheduled = _chinesecalendar_schedule(year)
    with transaction.atomic():
        CalendarDay.objects.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)).delete()
        CalendarDay.objects.bulk_create(year_days(year, scheduled))
        record = CalendarYear.objects.select_for_update().filter(year=year).first() or CalendarYear(year=year)
        record.source = "chinesecalendar"
        record.complete = True
        record.published_note = f"chinesecalendar {chinese_calendar.__version__}"
        record.schedule_text = schedule_text_for(year)
        record.save()
        transaction.on_commit(invalidate_cache)
    invalidate_cache(year)
    return record


def seed_missing_years(first: int = 2004, last: int = 2026) -> int:
    """Bulk-insert the chinesecalendar years in ``first..last`` that have no rows (what the data
    migration does; for databases emptied by a flush, e.g. after transactional tests).
    Returns the number of years added. Not audited: this is reference data."""
    present = set(CalendarYear.objects.filter(year__range=(first, last)).values_list("year", flat=True))
    added = 0
    for year in range(first, last + 1):
        if year in present:
            continue
        with transaction.atomic():
            CalendarDay.objects.filter(date__gte=datetime.date(year, 1, 1),
                                       date__lte=datetime.date(year, 12, 31)).delete()
            CalendarDay.objects.bulk_create(year_days(year, _chinesecalendar_schedule(year)))
            CalendarYear.objects.bulk_create([CalendarYear(
                year=year, source="chinesecalendar", complete=True,
                published_note="chinesecalendar 1.11.0（国务院办公厅节假日安排）",
            )])
        added += 1
    invalidate_cache()
    return added
