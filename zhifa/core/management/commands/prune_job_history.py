"""`zhifa prune_job_history [--dry-run] [--days 30] [--failure-days 90]`: delete finished
background-job runs older than the given periods (``zhifa.core.housekeeping``; the daily job
"core.prune_job_history" does the same with the configured periods)."""

from django.core.management.base import BaseCommand

from zhifa.core.housekeeping import prune_job_history


class Command(BaseCommand):
    help = "删除过期的后台任务运行记录（成功默认保留30天，失败默认保留90天；--dry-run 只统计）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")
        parser.add_argument("--days", type=int, default=None, help="成功记录保留天数（默认 ZHIFA_JOB_HISTORY_DAYS）")
        parser.add_argument("--failure-days", type=int, default=None,
                            help="失败记录保留天数（默认 ZHIFA_JOB_FAILURE_HISTORY_DAYS）")

    def handle(self, *args, **options):
        result = prune_job_history(dry_run=options["dry_run"], success_days=options["days"],
                                   failure_days=options["failure_days"])
        self.stdout.write(result.summary)
