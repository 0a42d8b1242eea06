from django.apps import AppConfig


class CasesConfig(AppConfig):
    """案件办理"""

    name = "zhifa.cases"
    verbose_name = "案件办理"
