"""``zhifa exchange_backfill <receiver>`` — send an upper level the cases it has never received."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.exchange.models import Uplink
from zhifa.exchange.services import backfill


class Command(BaseCommand):
    help = "把上报配置启用前已有案件的全过程记录写入发件箱（每个案件只补发一次），由后台任务投递。"

    def add_arguments(self, parser):
        parser.add_argument("receiver", help="上报配置的发件箱接收方标识")

    def handle(self, *args, **options):
        uplink = Uplink.objects.filter(receiver=options["receiver"]).select_related("region").first()
        if uplink is None:
            raise CommandError(f"没有接收方为“{options['receiver']}”的上报配置。")
        written = backfill(uplink)
        self.stdout.write(f"已写入发件箱 {written} 条事件，等待后台任务投递。")
