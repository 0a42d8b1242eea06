"""`zhifa checkpoint`: sign the heads of every hash chain, publish the checkpoint on the portal
and push it to the supervising level (run daily, e.g. from cron:
``15 1 * * *  cd /srv/zhifa && .venv/bin/zhifa verify --all --no-files && .venv/bin/zhifa checkpoint``).
"""

from django.core.management.base import BaseCommand, CommandError

from zhifa.records import checkpoints


class Command(BaseCommand):
    help = "生成签名检查点（全部记录流头部的默克尔根，SM2 签名），并报送上级平台；同时重试此前失败的报送。"

    def add_arguments(self, parser):
        parser.add_argument("--retry", action="store_true", help="只重试此前失败的报送，不生成新检查点")

    def handle(self, *args, **options):
        failed = 0
        for record in checkpoints.retry_pushes():
            failed += self._report(record)
        if not options["retry"]:
            try:
                checkpoint = checkpoints.create_checkpoint()
            except checkpoints.CheckpointKeyError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(self.style.SUCCESS(
                f"已生成第 {checkpoint.number} 号检查点：{checkpoint.stream_count} 个记录流，"
                f"默克尔根 {checkpoint.root}，SM2 公钥 {checkpoint.public_key}。"))
            record = checkpoints.push(checkpoint)
            if record is None:
                self.stdout.write("未配置上级报送地址（ZHIFA_CHECKPOINT_PUSH_URL），检查点只在门户公开。")
            else:
                failed += self._report(record)
        if failed:
            raise CommandError(f"{failed} 次报送失败，已记录，下次运行时重试。")

    def _report(self, record) -> int:
        if record.status == "sent":
            self.stdout.write(self.style.SUCCESS(f"第 {record.checkpoint.number} 号检查点已报送 {record.url}。"))
            return 0
        self.stdout.write(self.style.ERROR(
            f"第 {record.checkpoint.number} 号检查点报送 {record.url} 失败（第 {record.attempts} 次）：{record.error}"))
        return 1
