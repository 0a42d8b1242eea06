"""``zhifa load_demo`` — create the demo data set and print the log-ins."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.orgs.models import Region


class Command(BaseCommand):
    help = "创建演示数据（虚构的秦川市及其县、乡镇执法主体、人员、事项、当事人）并打印各角色的演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有数据时不做任何事（只打印账号）。")
        parser.add_argument("--seed", type=int, default=20261121)

    def handle(self, *args, if_empty=False, seed=20261121, **options):
        from zhifa.core.demo import DEMO_PASSWORD, demo_logins, load_demo

        def demo_needs_second_factor(username):
            from zhifa.accounts.models import User
            from zhifa.accounts.services import second_factor_required

            user = User.objects.filter(username=username).first()
            return user is not None and second_factor_required(user)

        if Region.objects.exists():
            if not if_empty:
                raise CommandError("数据库中已有数据；演示数据只能装入空数据库（或使用 --if-empty）。")
            self.stdout.write("数据库中已有数据，跳过演示数据。")
        else:
            import time

            started = time.monotonic()

            def progress(text):
                self.stdout.write(f"{text}……（已用 {time.monotonic() - started:.0f} 秒）")
                self.stdout.flush()

            self.stdout.write("正在创建演示数据（约需一至两分钟）：")
            ctx = load_demo(seed, progress=progress)
            self.stdout.write("正在更新数据库统计信息（ANALYZE）……")
            from .analyze_db import analyze

            analyze()
            if getattr(ctx, "enterprise_view", None):
                name, credit_code, code = ctx.enterprise_view
                self.stdout.write(f"企业查询本企业的行政检查 /public/enterprise-inspections/：{name}，"
                                  f"统一社会信用代码 {credit_code}，监管码 {code}")
            if getattr(ctx, "draw", None):
                self.stdout.write(f"双随机抽取复核：python3 scripts/rerun_draw.py "
                                  f"http://127.0.0.1:8000/public/open-data/draws/{ctx.draw.pk}.json")
            self.stdout.write(self.style.SUCCESS(
                f"已创建演示数据：{len(ctx.agencies)} 个执法主体，{len(ctx.officers)} 名执法人员，{len(ctx.items)} 个执法事项，"
                f"{len(getattr(ctx, 'cases', []))} 件案件（各环节）。"
            ))
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}；* 必须使用双因素认证）：")
        for username, role, org in demo_logins():
            self.stdout.write(f"  {username:<20} {role:<10} {org}{'  *' if demo_needs_second_factor(username) else ''}")
        self.stdout.write(
            "\n标 * 的账号（三员、执法监督人员、超级管理员）首次登录时须绑定身份验证器：用手机上的 TOTP 身份验证器"
            "（FreeOTP、Microsoft/Google Authenticator 等）扫描页面上的二维码，输入显示的 6 位数字，并保存恢复码。"
            "\n三员账户只能在服务器上用 zhifa admin_account 创建或重置（例如 zhifa admin_account reset-otp auditor）。"
        )
        self.stdout.write("\n公众门户（无需登录）：/public/ —— 执法决定公示 /public/decisions/，证件核验 /public/verify/，"
                          "统计年报 /public/statistics/，开放数据 /api/public/docs/")
