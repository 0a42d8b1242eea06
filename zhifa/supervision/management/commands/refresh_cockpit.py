"""``zhifa refresh_cockpit [--full]``: recompute the cockpit's per agency and month counts."""

from django.core.management.base import BaseCommand

from zhifa.supervision.cockpit.services import refresh_cockpit


class Command(BaseCommand):
    help = "刷新监督驾驶舱的执法主体月度统计（默认只刷新有变动的月份；--full 全部重算）。"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="重算全部执法主体和月份")

    def handle(self, *args, full=False, **options):
        written = refresh_cockpit(full=full)
        self.stdout.write(f"已刷新{written}个执法主体月度统计。")
