"""The desk (工作台): to-dos from every app, reminders that reach people, search and dashboards."""

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """工作台"""

    name = "zhifa.workspace"
    verbose_name = "工作台"

    def ready(self):
        from zhifa.core import jobs

        from . import providers  # noqa: F401  (the to-do providers of the apps that exist today)

        jobs.register("workspace.reminders", "待办到期提醒与超期升级", "zhifa.workspace.reminders.run_reminders",
                      every_minutes=60)
        jobs.register("workspace.digest", "待办每日汇总", "zhifa.workspace.reminders.send_daily_digest",
                      daily_at="07:30")
        jobs.register("workspace.deliver", "消息外部渠道投递（电子邮件）", "zhifa.workspace.channels.deliver_message")
