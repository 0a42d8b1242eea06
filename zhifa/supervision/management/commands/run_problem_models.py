"""``zhifa run_problem_models [--scope PATH] [--model CODE]`` — evaluate the problem models now
(the periodic job), then send reminders and 黄牌/红牌; prints what each model found."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.core.audit import acting_as


class Command(BaseCommand):
    help = "运行执法监督问题模型，生成或自动办结预警，并发送提醒、亮黄牌红牌。"

    def add_arguments(self, parser):
        parser.add_argument("--scope", default="", help="只评估该组织路径下的执法主体，例如 /610000/619900/")
        parser.add_argument("--model", default="", help="只运行该编码的模型")

    def handle(self, *args, scope="", model="", **options):
        from zhifa.supervision import problems

        with acting_as(None):
            if model:
                if model not in problems.REGISTRY:
                    raise CommandError(f"未登记的问题模型：{model}")
                problems.sync_models()
                results = [problems.evaluate(model, scope=scope)]
            else:
                results = problems.run_all(scope or None)
        for r in results:
            self.stdout.write(f"{r.code:<32} 发现{r.found:>7}  新预警{r.raised:>7}  自动办结{r.closed:>6}  {r.seconds:.2f}s")
        self.stdout.write(self.style.SUCCESS(f"共运行{len(results)}个问题模型。"))
