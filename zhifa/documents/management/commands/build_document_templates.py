"""`zhifa build_document_templates`: (re)generate the built-in DOCX templates."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhifa.documents import builtin
from zhifa.documents.kinds import DOCUMENT_KINDS


class Command(BaseCommand):
    help = "生成内置执法文书模板（zhifa/documents/builtin_templates/*.docx）。--check 只检查文件是否为最新。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="输出目录（默认：zhifa/documents/builtin_templates）")
        parser.add_argument("--check", action="store_true", help="不写文件，仅检查已提交的模板是否与代码一致")

    def handle(self, *args, output=None, check=False, **options):
        directory = Path(output) if output else builtin.BUILTIN_DIR
        if check:
            stale = [code for code, _ in DOCUMENT_KINDS if not builtin.is_current(code, directory)]
            if stale:
                raise CommandError("以下内置模板需要重新生成：" + "、".join(stale))
            self.stdout.write(self.style.SUCCESS(f"{len(DOCUMENT_KINDS)}个内置模板均为最新。"))
            return
        for path in builtin.write_all(directory):
            self.stdout.write(f"已生成 {path}")
        self.stdout.write(self.style.SUCCESS(f"共生成{len(DOCUMENT_KINDS)}个内置模板。"))
