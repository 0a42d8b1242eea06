from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """User accounts and roles."""

    name = "zhifa.accounts"
    verbose_name = "用户与角色"
