"""``zhifa admin_account`` — the only way to create, reset or unlock the three administrators'
accounts (三员: 系统管理员 / 安全管理员 / 审计管理员): on the server's console, logged.

    zhifa admin_account create USERNAME --role security_admin --region 619921 [--name 姓名]
    zhifa admin_account reset-password USERNAME
    zhifa admin_account reset-otp USERNAME
    zhifa admin_account unlock USERNAME

A new or reset password is generated, printed once, and must be changed at the next sign-in;
the account's API tokens are revoked. Every run is written to the audit trail with the
operating-system user who ran it. It also works for ordinary accounts.
"""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhifa.accounts import roles, services
from zhifa.accounts.models import SignInState, User
from zhifa.core.audit import log_security_event


class Command(BaseCommand):
    help = "在服务器控制台创建、重置或解锁三员（系统/安全/审计管理员）账户；每次操作记入审计日志。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        create = sub.add_parser("create", help="创建账户（三员角色只能这样授予）")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=[r for r, _ in roles.ROLE_CHOICES])
        create.add_argument("--region", help="所属行政区划代码（管理员、监督人员）")
        create.add_argument("--agency", type=int, help="所属执法主体 id")
        create.add_argument("--name", default="", help="姓名")
        for name, text in (("reset-password", "生成新密码（下次登录须修改）"), ("reset-otp", "删除身份验证器和恢复码"),
                           ("unlock", "解除锁定")):
            sub.add_parser(name, help=text).add_argument("username")

    def handle(self, *args, command, username, **options):
        self.note = f"{services.CONSOLE}（操作系统用户 {getpass.getuser()}）"
        try:
            with transaction.atomic():
                getattr(self, command.replace("-", "_"))(username, **options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None

    def _user(self, username):
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"没有用户 {username}。") from None

    def create(self, username, role, region=None, agency=None, name="", **options):
        from zhifa.orgs.models import Agency, Region

        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户 {username} 已存在。")
        user = User(username=username, display_name=name, role=role)
        if region:
            user.region = Region.objects.filter(code=region).first()
            if user.region is None:
                raise CommandError(f"没有行政区划 {region}。")
        if agency:
            user.agency = Agency.objects.filter(pk=agency).first()
            if user.agency is None:
                raise CommandError(f"没有执法主体 {agency}。")
        password = services.random_password()
        user.set_password(password)
        user.full_clean()
        user.save()
        SignInState.objects.filter(user=user).update(must_change_password=True)
        log_security_event("password", user=user, result=f"已创建账户（{user.get_role_display()}）", note=self.note)
        self._print_password(user, password)

    def reset_password(self, username, **options):
        user = self._user(username)
        password = services.random_password()
        user.set_password(password)
        user.save()
        SignInState.objects.filter(user=user).update(must_change_password=True)
        log_security_event("password", user=user, result="密码已重置", note=self.note)
        self._print_password(user, password)

    def reset_otp(self, username, **options):
        user = self._user(username)
        services.reset_second_factor(user, actor=None)
        self.stdout.write(self.style.SUCCESS(f"已删除 {username} 的身份验证器和恢复码；下次登录时重新绑定。"))

    def unlock(self, username, **options):
        services.unlock(self._user(username), actor=None)
        self.stdout.write(self.style.SUCCESS(f"已解除 {username} 的锁定。"))

    def _print_password(self, user, password):
        self.stdout.write(self.style.SUCCESS(f"{user.username}（{user.get_role_display()}）的一次性密码：{password}"))
        self.stdout.write("请当面交给本人；首次登录须修改密码" +
                          ("并绑定身份验证器。" if services.second_factor_required(user) else "。"))
