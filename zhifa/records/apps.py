"""Full-process record (执法全过程记录): hash-chained events, content-addressed files, uploads, access log (REC-1, REC-2, REC-4)."""
from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """执法全过程记录"""

    name = "zhifa.records"
    verbose_name = "执法全过程记录"

    def ready(self):
        from . import audit_chain

        audit_chain.register()
