from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """法制审核"""

    name = "zhifa.review"
    verbose_name = "法制审核"
