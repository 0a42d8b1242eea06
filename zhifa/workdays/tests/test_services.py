"""Deadline arithmetic on the seeded calendar (chinesecalendar 2004–2026) and its limits."""

import datetime

import pytest

from zhifa.workdays import services
from zhifa.workdays.models import CalendarDay, CalendarYear
from zhifa.workdays.services import (
    CalendarNotCovered,
    add_natural_days,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)

D = datetime.date


@pytest.mark.django_db
def test_seed_covers_2004_to_2026_with_national_day_2026():
    """The data migration seeds every date of 2004–2026; National Day 2026 is 10-01…10-07 with
    make-up working days on Sunday 09-20 and Saturday 10-10."""
    assert CalendarYear.objects.filter(complete=True, source="chinesecalendar").count() == 23
    assert CalendarDay.objects.filter(date__year=2026).count() == 365
    assert CalendarDay.objects.count() >= 8400
    golden_week = CalendarDay.objects.filter(date__range=(D(2026, 10, 1), D(2026, 10, 7)))
    assert {d.kind for d in golden_week} == {CalendarDay.HOLIDAY}
    assert {d.note for d in golden_week} == {"国庆节"}
    for makeup in (D(2026, 9, 20), D(2026, 10, 10)):
        day = CalendarDay.objects.get(date=makeup)
        assert day.kind == CalendarDay.MAKEUP and day.is_working_day
    assert not is_working_day(D(2026, 10, 1))
    assert is_working_day(D(2026, 9, 20)) and is_working_day(D(2026, 10, 10))
    assert not is_working_day(D(2026, 10, 11))  # an ordinary Sunday


@pytest.mark.django_db
def test_add_working_days_skips_the_holiday_and_counts_makeup_days():
    """Three working days after Wednesday 2026-09-30: 10-08, 10-09, and make-up Saturday 10-10."""
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 28), 5) == D(2026, 10, 10)  # 09-29, 09-30, 10-08, 10-09, 10-10
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)
    # counting backwards: the working day before 10-08 is 09-30
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)


@pytest.mark.django_db
def test_natural_day_deadline_on_a_holiday_moves_to_the_next_working_day():
    """SAMR Art. 80: 5 days from 2026-09-28 end on holiday 10-03, so the deadline is 10-08."""
    assert add_natural_days(D(2026, 9, 28), 5) == D(2026, 10, 8)
    assert add_natural_days(D(2026, 9, 28), 1) == D(2026, 9, 29)
    # ends on an ordinary Saturday: moves to Monday
    assert add_natural_days(D(2026, 6, 1), 5) == D(2026, 6, 8)
    with pytest.raises(Exception, match="不能为负数"):
        add_natural_days(D(2026, 6, 1), -1)


@pytest.mark.django_db
def test_between_and_next_are_consistent_across_years():
    """working_days_between counts (a, b]; next_working_day is strictly later unless include_self."""
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 1)) == 0
    start = D(2025, 12, 20)
    for n in (1, 5, 10, 30, 200):
        end = add_working_days(start, n)
        assert working_days_between(start, end) == n
    assert add_working_days(D(2025, 12, 30), 3).year == 2026
    assert next_working_day(D(2026, 9, 30)) == D(2026, 10, 8)
    assert next_working_day(D(2026, 9, 29)) == D(2026, 9, 30)
    assert next_working_day(D(2026, 9, 29), include_self=True) == D(2026, 9, 29)


@pytest.mark.django_db
def test_uncovered_year_raises_a_clear_error_never_a_guess():
    """2027 is not in the calendar: every function refuses with the Chinese message."""
    message = "工作日历未覆盖2027年，请管理员先录入该年度节假日安排。"
    with pytest.raises(CalendarNotCovered) as exc:
        is_working_day(D(2027, 1, 4))
    assert exc.value.messages == [message] and exc.value.year == 2027
    with pytest.raises(CalendarNotCovered, match="2027"):
        add_working_days(D(2026, 12, 28), 10)  # runs into 2027
    with pytest.raises(CalendarNotCovered):
        add_natural_days(D(2026, 12, 30), 5)
    with pytest.raises(CalendarNotCovered):
        working_days_between(D(2026, 12, 1), D(2027, 1, 10))
    with pytest.raises(CalendarNotCovered, match="2003"):
        add_working_days(D(2004, 1, 5), -10)
    assert not services.is_covered(2027)


@pytest.mark.django_db
def test_an_incomplete_year_is_not_used():
    """A year entered but not marked complete still raises."""
    services.enter_schedule(2027, "元旦 01-01", complete=False)
    with pytest.raises(CalendarNotCovered):
        is_working_day(D(2027, 1, 4))


@pytest.mark.django_db
def test_entering_a_year_makes_it_usable(django_assert_num_queries):
    """After enter_schedule(2027, …) the deadlines work, including the new make-up days."""
    with pytest.raises(CalendarNotCovered):
        add_working_days(D(2027, 9, 30), 1)
    record = services.enter_schedule(
        2027, "元旦 01-01\n国庆节 10-01至10-07；调休上班 09-26, 10-09", published_note="国办发明电〔2026〕X号"
    )
    assert record.complete and record.source == "manual"
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    assert not is_working_day(D(2027, 1, 1))
    assert is_working_day(D(2027, 9, 26))  # make-up Sunday
    assert CalendarDay.objects.get(date=D(2027, 9, 26)).note == "国庆节"
    assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 8)
    assert add_working_days(D(2027, 9, 30), 2) == D(2027, 10, 9)
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    # cached: further arithmetic over covered years makes no query at all
    with django_assert_num_queries(0):
        for start in (D(2027, 3, 1), D(2027, 5, 6), D(2026, 9, 28)):
            add_working_days(start, 20)
            add_natural_days(start, 15)
            working_days_between(start, D(2027, 11, 30))


@pytest.mark.django_db
def test_saving_a_day_invalidates_the_cache():
    """Changing one date (e.g. a late 调休 announcement) is seen by the next computation."""
    assert is_working_day(D(2026, 6, 1))
    day = CalendarDay.objects.get(date=D(2026, 6, 1))
    services.set_day(day, CalendarDay.HOLIDAY, "临时放假")
    assert not is_working_day(D(2026, 6, 1))
    assert "临时放假 06-01" in CalendarYear.objects.get(year=2026).schedule_text


@pytest.mark.django_db
def test_schedule_parser_reports_every_problem_with_its_line():
    """Wrong dates, a make-up day on a weekday, another year and conflicts are all reported."""
    text = "国庆节 10-01至10-07；调休上班 09-22\n元旦 2028-01-01\n春节 02-30\n中秋 10-07；调休上班 10-09\n乱写"
    with pytest.raises(Exception) as exc:
        services.parse_schedule(2027, text)
    messages = exc.value.messages
    assert any("第1行" in m and "09-22是星期三" in m for m in messages)
    assert any("第2行" in m and "不在2027年" in m for m in messages)
    assert any("第3行" in m and "不存在" in m for m in messages)
    assert any("第4行" in m and "10-07已在前面设为国庆节假日" in m for m in messages)
    assert any("第5行" in m for m in messages)


@pytest.mark.django_db
def test_derived_schedule_text_reproduces_the_seeded_year():
    """The text shown to administrators for a seeded year parses back to the same dates."""
    text = services.schedule_text_for(2026)
    assert "国庆节 10-01至10-07；调休上班 09-20, 10-10" in text
    parsed = {s.date: (s.kind, s.note) for s in services.parse_schedule(2026, text)}
    stored = {
        d.date: (d.kind, d.note)
        for d in CalendarDay.objects.filter(date__year=2026, kind__in=[CalendarDay.HOLIDAY, CalendarDay.MAKEUP])
    }
    assert parsed == stored


@pytest.mark.django_db
def test_import_from_chinesecalendar_refuses_2027():
    """The package has no 2027 data: importing says so instead of guessing."""
    with pytest.raises(CalendarNotCovered, match="chinesecalendar"):
        services.import_from_chinesecalendar(2027)
    record = services.import_from_chinesecalendar(2025)
    assert record.complete and "国庆节" in record.schedule_text


@pytest.mark.django_db
def test_ensure_calendar_restores_a_flushed_calendar_identically():
    """After a flush, ensure_calendar() rebuilds exactly what the data migration seeded."""
    from zhifa.workdays.testing import ensure_calendar

    before = {y: services.schedule_text_for(y) for y in (2004, 2015, 2020, 2026)}
    working_before = CalendarDay.objects.filter(is_working_day=True).count()
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    ensure_calendar()
    assert CalendarYear.objects.filter(complete=True).count() == 23
    assert CalendarDay.objects.filter(is_working_day=True).count() == working_before
    assert {y: services.schedule_text_for(y) for y in before} == before
    assert add_natural_days(D(2026, 9, 28), 5) == D(2026, 10, 8)
