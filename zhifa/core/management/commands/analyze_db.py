"""``zhifa analyze_db`` — refresh the query planner's statistics (ANALYZE).

PostgreSQL's autovacuum does this by itself; SQLite never does, and without statistics it
may sort a whole scope instead of reading a page of 50 from the list-order index (seen on
one million parties: 2.2 s instead of 2 ms). Run it after bulk loads and nightly on SQLite.
On SQLite it also merges each full-text index into one segment (``core.fts.merge_segments``).
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from zhifa.core import fts


def analyze() -> float:
    """Run ANALYZE on the default database (and merge SQLite's full-text indexes first);
    return the seconds it took."""
    started = time.perf_counter()
    fts.merge_all_segments(connection)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


class Command(BaseCommand):
    help = "更新数据库查询优化器的统计信息（ANALYZE）。批量导入后及每日运行（SQLite 必需）。"

    def handle(self, *args, **options):
        seconds = analyze()
        self.stdout.write(f"已更新统计信息（{connection.vendor}，{seconds:.1f} 秒）。")
