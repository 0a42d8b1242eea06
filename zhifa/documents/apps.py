from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """执法文书"""

    name = "zhifa.documents"
    verbose_name = "执法文书"
