"""`zhifa sweep_objects [--dry-run] [--grace-hours 48] [--list]`: delete objects of the object
store that no stored-file row refers to and that are older than the grace period
(``zhifa.records.housekeeping``; the daily job "records.sweep_orphans" does the same)."""

import datetime

from django.core.management.base import BaseCommand

from zhifa.records.housekeeping import grace_period, sweep_orphans
from zhifa.records.storage import describe


class Command(BaseCommand):
    help = "删除对象存储中没有任何存储文件记录引用、且超过保留期的对象（--dry-run 只列出不删除）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计和列出，不删除")
        parser.add_argument("--grace-hours", type=int, default=None,
                            help="保留期（小时），默认取 ZHIFA_ORPHAN_GRACE_HOURS（48）")
        parser.add_argument("--list", action="store_true", help="逐个列出无引用的对象")

    def handle(self, *args, **options):
        hours = options["grace_hours"]
        grace = grace_period() if hours is None else datetime.timedelta(hours=hours)
        self.stdout.write(f"{describe()}；保留期 {grace.total_seconds() / 3600:g} 小时")
        result = sweep_orphans(dry_run=options["dry_run"], grace=grace)
        if options["list"]:
            for name in result.orphans:
                self.stdout.write(f"  {name}")
        self.stdout.write(result.summary)
