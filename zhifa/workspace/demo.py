"""Demo data of the desk (工作台): reminder settings for a few people and one run of the reminder
and digest jobs on the demo date, so that ``make demo`` opens on desks with messages — the
officer's reminders before deadlines, the heads' escalations of overdue cases, the daily digest."""

from zhifa.accounts.models import User

from . import reminders, services


def load(ctx):
    officer = User.objects.filter(username="market_officer").first()
    if officer is not None:
        services.save_preference(officer, channels=[], lead_days=3, digest=True)
    reminders.run_reminders(ctx.today)
    reminders.send_daily_digest(ctx.today)
