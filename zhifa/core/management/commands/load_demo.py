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

        if Region.objects.exists():
            if not if_empty:
                raise CommandError("数据库中已有数据；演示数据只能装入空数据库（或使用 --if-empty）。")
            self.stdout.write("数据库中已有数据，跳过演示数据。")
        else:
            ctx = load_demo(seed)
            from .analyze_db import analyze

            analyze()
            self.stdout.write(self.style.SUCCESS(
                f"已创建演示数据：{len(ctx.agencies)} 个执法主体，{len(ctx.officers)} 名执法人员，{len(ctx.items)} 个执法事项，"
                f"{len(getattr(ctx, 'cases', []))} 件案件（各环节）。"
            ))
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, role, org in demo_logins():
            self.stdout.write(f"  {username:<20} {role:<10} {org}")
        self.stdout.write("\n公众门户（无需登录）：/public/ —— 执法决定公示 /public/decisions/，证件核验 /public/verify/，"
                          "统计年报 /public/statistics/，开放数据 /api/public/docs/")
