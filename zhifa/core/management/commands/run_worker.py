"""``zhifa run_worker`` — start a worker cluster of the task queue (django-q2's ``qcluster``).

One cluster runs worker processes (``ZHIFA_WORKER_PROCESSES``, default 2), a monitor that
records every run, and the scheduler that turns due schedules into queued runs: no separate
scheduler process is needed. Several clusters may run on several machines against one
PostgreSQL database; each queued run is taken by exactly one of them (a conditional UPDATE on the
queue row) and each due schedule is fired once (the scheduler locks the schedule rows).

Before starting, the declared periodic jobs (``zhifa/core/jobs.py``) are written into the
schedules. Stop with SIGTERM or Ctrl+C: running jobs are finished first.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from zhifa.core import jobs


class Command(BaseCommand):
    help = "启动后台任务工作进程（含定时任务调度）。可在多台服务器上同时运行。"

    def add_arguments(self, parser):
        parser.add_argument("--no-sync-schedules", action="store_true",
                            help="不把登记的定时任务写入调度表（默认写入）")

    def handle(self, *args, no_sync_schedules=False, **options):
        if not no_sync_schedules:
            counts = jobs.sync_schedules()
            self.stdout.write(
                f"定时任务：新增{counts['created']}项，更新{counts['updated']}项，删除{counts['removed']}项；"
                f"共登记{len(jobs.registered())}项后台任务。"
            )
        self.stdout.flush()
        # the cluster forks its processes: none may inherit this process's database connection
        # (a SQLite or PostgreSQL connection used from two processes corrupts its state)
        connections.close_all()
        call_command("qcluster")
