"""`zhifa purge_uploads [--days 7]`: remove abandoned unfinished uploads and their partial files."""

from django.core.management.base import BaseCommand

from zhifa.records.services import purge_stale_uploads


class Command(BaseCommand):
    help = "删除超过指定天数未继续的未完成上传及其临时文件。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="多少天未继续的上传视为放弃（默认7天）")

    def handle(self, *args, **options):
        removed = purge_stale_uploads(options["days"])
        self.stdout.write(f"已删除 {removed} 个未完成的上传。")
