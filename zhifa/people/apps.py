from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """执法人员"""

    name = "zhifa.people"
    verbose_name = "执法人员"
