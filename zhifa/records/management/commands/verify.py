"""`zhifa verify STREAM_KEY` / `zhifa verify --all`: verify full-process record hash chains."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.records.models import Stream
from zhifa.records.services import verify_stream


class Command(BaseCommand):
    help = "校验执法全过程记录的哈希链和登记文件；发现问题时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("stream_keys", nargs="*", metavar="STREAM_KEY", help="记录流，例如 case:42")
        parser.add_argument("--all", action="store_true", help="校验全部记录流")
        parser.add_argument("--no-files", action="store_true", help="不重新计算文件哈希（只校验记录）")

    def handle(self, *args, **options):
        keys = list(options["stream_keys"])
        if options["all"]:
            keys += [k for k in Stream.objects.order_by("key").values_list("key", flat=True) if k not in keys]
        if not keys:
            raise CommandError("请指定记录流，或使用 --all 校验全部记录流。")
        broken = 0
        for key in keys:
            if not Stream.objects.filter(key=key).exists():
                self.stderr.write(f"记录流 {key} 不存在。")
                broken += 1
                continue
            result = verify_stream(key, check_files=not options["no_files"])
            speed = f"（{result.seconds:.2f} 秒，{result.events_per_second:,.0f} 条/秒）"
            if result.ok:
                self.stdout.write(self.style.SUCCESS(result.message) + speed)
            else:
                broken += 1
                self.stdout.write(self.style.ERROR(result.message) + speed)
                for problem in result.problems[1:]:
                    self.stdout.write(f"    {problem}")
        if len(keys) > 1:
            self.stdout.write(f"共校验 {len(keys)} 个记录流，{len(keys) - broken} 个通过，{broken} 个未通过。")
        if broken:
            raise CommandError(f"{broken} 个记录流校验未通过。")
