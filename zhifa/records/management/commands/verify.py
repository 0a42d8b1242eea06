"""`zhifa verify STREAM_KEY` / `zhifa verify --all`: verify the hash chains — case records and
the audit trail (``audit:changelog``) — and check them against the latest signed checkpoint."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.records import checkpoints
from zhifa.records.models import Stream
from zhifa.records.services import verify_stream
from zhifa.records.verification import record_results


class Command(BaseCommand):
    help = ("校验执法全过程记录和操作日志的哈希链、登记文件，并与最新的签名检查点比对；"
            "发现问题时以非零状态退出。")

    def add_arguments(self, parser):
        parser.add_argument("stream_keys", nargs="*", metavar="STREAM_KEY",
                            help="记录流，例如 case:42；操作日志为 audit:changelog")
        parser.add_argument("--all", action="store_true", help="校验全部记录流（含操作日志）")
        parser.add_argument("--no-files", action="store_true", help="不重新计算文件哈希（只校验记录）")
        parser.add_argument("--checkpoint", metavar="FILE",
                            help="改用保存在数据库之外的检查点文件（门户或上级平台下载的 JSON，含记录流头部）比对")
        parser.add_argument("--no-checkpoint", action="store_true", help="不与签名检查点比对")

    def handle(self, *args, **options):
        keys = list(options["stream_keys"])
        if options["all"]:
            keys += [k for k in Stream.objects.order_by("key").values_list("key", flat=True) if k not in keys]
        if not keys:
            raise CommandError("请指定记录流，或使用 --all 校验全部记录流。")
        anchors, checkpoint_failed = self._checkpoint(options)
        if anchors is not None and options["all"]:
            keys += sorted(k for k in anchors if k not in keys)  # signed streams that have vanished
        broken = 0
        changed = []
        for key in keys:
            anchor = anchors.get(key) if anchors is not None else None
            if anchor is None and not Stream.objects.filter(key=key).exists():
                self.stderr.write(f"记录流 {key} 不存在。")
                broken += 1
                continue
            result = verify_stream(key, check_files=not options["no_files"], anchor=anchor)
            if not options["no_files"]:
                record_results(key, result, by="zhifa verify")
            speed = f"（{result.seconds:.2f} 秒，{result.events_per_second:,.0f} 条/秒）"
            if result.ok:
                self.stdout.write(self.style.SUCCESS(result.message) + speed)
            else:
                broken += 1
                if result.changed_since_checkpoint:
                    changed.append(key)
                self.stdout.write(self.style.ERROR(result.message) + speed)
                for problem in result.problems[1:]:
                    self.stdout.write(f"    {problem}")
        if len(keys) > 1:
            self.stdout.write(f"共校验 {len(keys)} 个记录流，{len(keys) - broken} 个通过，{broken} 个未通过。")
        if changed:
            self.stdout.write(self.style.ERROR(f"自检查点以来被改动的记录流：{'、'.join(changed)}"))
        if broken or checkpoint_failed:
            parts = [f"{broken} 个记录流校验未通过"] if broken else []
            if checkpoint_failed:
                parts.append("签名检查点校验未通过")
            raise CommandError("，".join(parts) + "。")

    def _checkpoint(self, options):
        """Anchors ``{key: (number, seq, hash)}`` from the latest (or given) checkpoint, after
        checking its signature and root; ``None`` when there is none or it is not used."""
        if options["no_checkpoint"]:
            return None, False
        if options["checkpoint"]:
            try:
                doc = checkpoints.load_document(options["checkpoint"])
            except (OSError, ValueError) as exc:
                raise CommandError(f"无法读取检查点文件：{exc}") from None
            heads = {str(k): (int(s), str(h)) for k, s, h in doc["heads"]}
        else:
            latest = checkpoints.latest()
            if latest is None:
                self.stdout.write("尚无签名检查点（zhifa checkpoint 生成），只校验哈希链。")
                return None, False
            doc, heads = checkpoints.document(latest), checkpoints.heads_at(latest.number)
        check = checkpoints.CheckpointCheck()
        checkpoints.check_signature(doc, check, heads)
        if check.signature_ok and check.root_ok:
            self.stdout.write(self.style.SUCCESS(
                f"第 {doc['number']} 号签名检查点（{doc.get('created', '')}）签名有效，覆盖 {len(heads)} 个记录流。"))
            return checkpoints.anchors(doc, heads), False
        self.stdout.write(self.style.ERROR(f"第 {doc.get('number')} 号签名检查点无效：{'；'.join(check.problems)}"))
        return None, True
