from django.apps import AppConfig


class PartiesConfig(AppConfig):
    """当事人"""

    name = "zhifa.parties"
    verbose_name = "当事人"

    def ready(self):
        from zhifa.core import crypto

        from . import dashboard, excel  # noqa: F401  (registers Excel specs and workbench cards)

        # Identity and phone numbers are encrypted at rest: load the keys now, so that a missing
        # or malformed key file stops every process at start-up (gunicorn too), not a request.
        crypto.keyring()
