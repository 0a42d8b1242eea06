"""`zhifa hotline_system`: register a 12345 / 12348 hotline system, rotate its secret, disable it.

    zhifa hotline_system add 12345-619900 "秦川市12345热线" --source hotline_12345 --region 619900 \
        --receiver hotline-12345
    zhifa hotline_system rotate 12345-619900
    zhifa hotline_system disable 12345-619900
    zhifa hotline_system enable 12345-619900
    zhifa hotline_system list

The secret (HMAC-SHA256 key of the request signatures, docs/complaints.md) is generated here and
printed once; it is stored encrypted (SM4) and never shown again. Run by the system administrator
on the server, like ``zhifa admin_account``. Every change goes through the same service functions
as the page 热线系统 (``complaints.services``: ``save_hotline_system``, ``rotate_hotline_secret``,
``set_hotline_active``) as the server's operator (``actor=None``, audited as 系统)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhifa.core.audit import acting_as
from zhifa.orgs.models import Region
from zhifa.supervision.complaints import services
from zhifa.supervision.models.complaints import HOTLINE_SOURCES, HotlineSystem


class Command(BaseCommand):
    help = "登记12345/12348热线系统（生成签名密钥，只显示一次）、更换密钥、停用或启用，或列出已登记的系统。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "rotate", "list", "disable", "enable"])
        parser.add_argument("code", nargs="?")
        parser.add_argument("name", nargs="?")
        parser.add_argument("--source", choices=HOTLINE_SOURCES)
        parser.add_argument("--region", help="行政区划代码（该热线服务的区域）")
        parser.add_argument("--receiver", help="状态回传的外发消息接收方名称（OutboxReceiver）")

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
        try:
            with acting_as(None):
                if action == "add":
                    secret = self._add(code, name, source, region, receiver)
                else:
                    system = systems.filter(code=code).first()
                    if system is None:
                        raise CommandError(f"热线系统未登记：{code}")
                    if action in ("disable", "enable"):
                        services.set_hotline_active(system, actor=None, active=action == "enable")
                        self.stdout.write(f"已{'启用' if action == 'enable' else '停用'}：{code}")
                        return
                    secret = services.rotate_hotline_secret(system, actor=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"热线系统 {code} 的签名密钥（只显示这一次，请安全地交给热线系统）：\n{secret}")

    def _add(self, code, name, source, region, receiver) -> str:
        if not (name and source and region and receiver):
            raise CommandError("登记须给出名称、--source、--region 和 --receiver。")
        area = Region.objects.public().filter(code=region).first()
        if area is None:
            raise CommandError(f"行政区划代码不存在：{region}")
        secret = services.new_hotline_secret()
        services.save_hotline_system(None, code=code, name=name, source=source, region=area, receiver=receiver,
                                     secret=secret)
        return secret
