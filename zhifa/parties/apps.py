from django.apps import AppConfig


class PartiesConfig(AppConfig):
    """当事人"""

    name = "zhifa.parties"
    verbose_name = "当事人"
