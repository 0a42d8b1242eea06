"""Exchange with upper-level platforms (数据汇聚与交换)."""
from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """数据汇聚与交换"""

    name = "zhifa.exchange"
    verbose_name = "数据汇聚与交换"

    def ready(self):
        from django.db.models.signals import post_save

        from zhifa.records.models import Event

        from . import services

        # every step of a case's hash-chained record goes to the configured upper-level platforms
        post_save.connect(services.on_record_event, sender=Event, dispatch_uid="exchange.case_events")
