"""Seed the working-day calendar for 2004–2026 from chinesecalendar 1.11.0.

The year range is fixed here (the package has no data from 2027 on and refuses such dates): later
years are entered by an administrator on /workdays/ or imported after a package upgrade.
"""

import datetime

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2004, 2026

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def seed(apps, schema_editor):
    import chinese_calendar

    alias = schema_editor.connection.alias
    days = apps.get_model("workdays", "CalendarDay").objects.db_manager(alias)
    calendar_years = apps.get_model("workdays", "CalendarYear").objects.db_manager(alias)
    rows, years = [], []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        d = datetime.date(year, 1, 1)
        while d.year == year:
            working = chinese_calendar.is_workday(d)
            _, name = chinese_calendar.get_holiday_detail(d)
            note = NAMES.get(name, name or "")
            if working:
                kind = "makeup_workday" if d.weekday() >= 5 else "workday"
            else:
                kind = "holiday" if name else "weekend"
            if kind in ("workday", "weekend"):
                note = ""
            rows.append(days.model(date=d, is_working_day=working, kind=kind, note=note))
            d += datetime.timedelta(days=1)
        years.append(calendar_years.model(year=year, source="chinesecalendar", complete=True,
                                  published_note="chinesecalendar 1.11.0（国务院办公厅节假日安排）"))
    existing = set(days.filter(date__year__gte=FIRST_YEAR, date__year__lte=LAST_YEAR)
                   .values_list("date", flat=True))
    days.bulk_create([r for r in rows if r.date not in existing], batch_size=2000)
    known = set(calendar_years.values_list("year", flat=True))
    calendar_years.bulk_create([y for y in years if y.year not in known])


def unseed(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("workdays", "CalendarDay").objects.using(alias).filter(
        date__year__gte=FIRST_YEAR, date__year__lte=LAST_YEAR).delete()
    apps.get_model("workdays", "CalendarYear").objects.using(alias).filter(
        year__gte=FIRST_YEAR, year__lte=LAST_YEAR, source="chinesecalendar").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
