"""`zhifa hotline_system`: register a 12345 / 12348 hotline system or rotate its secret.

    zhifa hotline_system add 12345-619900 "秦川市12345热线" --source hotline_12345 --region 619900 \
        --receiver hotline-12345
    zhifa hotline_system rotate 12345-619900
    zhifa hotline_system list

The secret (HMAC-SHA256 key of the request signatures, docs/complaints.md) is generated here and
printed once; it is stored encrypted (SM4) and never shown again. Run by the system administrator
on the server, like ``zhifa admin_account``."""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhifa.core.audit import acting_as
from zhifa.orgs.models import Region
from zhifa.supervision.models.complaints import HOTLINE_SOURCES, HotlineSystem


class Command(BaseCommand):
    help = "登记12345/12348热线系统（生成签名密钥，只显示一次）、更换密钥或列出已登记的系统。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "rotate", "list", "disable"])
        parser.add_argument("code", nargs="?")
        parser.add_argument("name", nargs="?")
        parser.add_argument("--source", choices=HOTLINE_SOURCES)
        parser.add_argument("--region", help="行政区划代码（该热线服务的区域）")
        parser.add_argument("--receiver", help="状态回传的外发消息接收方名称（OutboxReceiver）")

    @transaction.atomic
    def handle(self, *args, action, code=None, name=None, source=None, region=None, receiver=None, **options):
        systems = HotlineSystem._base_manager
        if action == "list":
            for system in systems.select_related("region").order_by("code"):
                state = "启用" if system.active else "停用"
                self.stdout.write(f"{system.code}\t{system.name}\t{system.get_source_display()}\t{system.region.name}"
                                  f"\t回传：{system.receiver}\t{state}")
            return
        if not code:
            raise CommandError("请给出热线系统编码。")
        secret = secrets.token_urlsafe(32)
        with acting_as(None):
            if action == "add":
                if not (name and source and region and receiver):
                    raise CommandError("登记须给出名称、--source、--region 和 --receiver。")
                area = Region.objects.public().filter(code=region).first()
                if area is None:
                    raise CommandError(f"行政区划代码不存在：{region}")
                if systems.filter(code=code).exists():
                    raise CommandError(f"热线系统已登记：{code}")
                HotlineSystem.objects.create(code=code, name=name, source=source, region=area, secret=secret,
                                             receiver=receiver)
            else:
                system = systems.filter(code=code).first()
                if system is None:
                    raise CommandError(f"热线系统未登记：{code}")
                if action == "disable":
                    system.active = False
                    system.save(update_fields=["active"])
                    self.stdout.write(f"已停用：{code}")
                    return
                system.secret = secret
                system.active = True
                system.save(update_fields=["secret", "active"])
        self.stdout.write(f"热线系统 {code} 的签名密钥（只显示这一次，请安全地交给热线系统）：\n{secret}")
