"""`zhifa distribution_plan`: how every table would be placed on a Citus cluster and which unique
constraints and foreign keys must change (the table of docs/scale.md)."""

from django.core.management.base import BaseCommand

from zhifa.core import distribution


class Command(BaseCommand):
    help = "列出每张表在 Citus 集群中的放置方式（按区县代码分片 / 参考表 / 本地表），并检查唯一约束和外键。"

    def handle(self, *args, **options):
        self.stdout.write(distribution.markdown(), ending="")
