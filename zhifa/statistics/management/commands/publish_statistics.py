"""``zhifa publish_statistics`` — publish what is due of the annual statistics (PUB-4).

Run it daily (cron / systemd timer); it does nothing when nothing is due:

- from 1 January: generate and publish every active agency's report of the previous year not
  yet published (deadline 31 January);
- from 1 February: roll up every region (deadline end of February), refreshing a roll-up when
  agency reports were published after it.

``--year`` works on another year, ``--today`` runs as if it were that date (YYYY-MM-DD),
``--no-files`` leaves the xlsx/PDF to be rendered on first download.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from zhifa.core.audit import acting_as
from zhifa.statistics import services


class Command(BaseCommand):
    help = "发布到期的行政执法统计年报（1月1日起发布上一年度各执法主体年报，2月1日起进行区域汇总）。建议每日运行。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="统计年度（默认：上一年度）")
        parser.add_argument("--today", help="按该日期执行（YYYY-MM-DD，默认：今天）")
        parser.add_argument("--no-files", action="store_true", help="不立即生成 Excel 和 PDF 文件（首次下载时生成）")

    def handle(self, *args, year=None, today=None, no_files=False, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today 的格式应为 YYYY-MM-DD。") from None
        with acting_as(None):
            result = services.publish_due_locked(today, year=year, render=not no_files)
        self.stdout.write(str(result))
