from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """User accounts and roles."""

    name = "zhifa.accounts"
    verbose_name = "用户与角色"

    def ready(self):
        from . import signals  # noqa: F401  (sign-in events to the audit trail)
