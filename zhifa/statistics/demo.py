"""Demo statistics: the 2025 annual reports, published as the daily task would have done on
2 January 2026 and rolled up on 1 February 2026.

The demo cases are this year's (2026), so last year's figures would be all zero; a few 2025
decisions made outside the case engine (许可, 征收, 其他 — registered for publication as an
agency would) give the published reports something to show. This year's figures so far are
on the internal page 本年截至今日, computed from the demo cases.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from zhifa.accounts.models import User
from zhifa.core import clock

from . import services

# agency, kind, decision number, title, party, decided on (month, day)
DECISIONS_2025 = [
    ("云岭县市场监督管理局", "license", "云市监食许〔2025〕31号", "食品经营许可（新办）", "云岭县百味餐饮店", (3, 12)),
    ("云岭县市场监督管理局", "license", "云市监食许〔2025〕58号", "食品经营许可（延续）", "云岭县禾丰餐饮管理有限公司", (5, 20)),
    ("云岭县市场监督管理局", "license", "云市监食许〔2025〕96号", "食品经营许可（变更）", "云岭县兴旺冻品批发部", (9, 3)),
    ("云岭县市场监督管理局", "other", "云市监认〔2025〕4号", "行政确认：小作坊登记", "云岭县老街豆腐坊", (7, 15)),
    ("云岭县综合行政执法局", "license", "云综执许〔2025〕12号", "户外广告设施设置许可", "云岭县新城商贸有限公司", (4, 8)),
    ("云岭县综合行政执法局", "license", "云综执许〔2025〕27号", "临时占用城市道路许可", "云岭县城建工程有限公司", (8, 26)),
    ("云岭县自然资源局", "levy", "云自然征〔2025〕3号", "集体土地征收补偿决定", "云岭镇东村村民委员会", (6, 30)),
    ("云岭县自然资源局", "levy", "云自然征〔2025〕7号", "集体土地征收补偿决定", "青川镇河西村村民委员会", (10, 14)),
    ("青川镇综合行政执法办公室", "other", "青执确〔2025〕2号", "行政确认：农村宅基地使用", "青川镇河东村村民委员会", (11, 5)),
    ("青石县市场监督管理局", "license", "青市监食许〔2025〕15号", "食品经营许可（新办）", "青石县家乐超市", (2, 27)),
]


def _at(day: datetime.date, hour: int = 10):
    return clock.at(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))))


def _register_2025(ctx, admin) -> None:
    from zhifa.publicity import services as publicity

    for agency_name, kind, number, title, party, (month, day) in DECISIONS_2025:
        agency = ctx.agencies.get(agency_name)
        decided_on = datetime.date(2025, month, day)
        if agency is None or decided_on > ctx.today:
            continue
        try:
            with _at(decided_on):
                publication = publicity.register_decision(
                    actor=admin, agency=agency, kind=kind, decision_number=number, title=title, decided_on=decided_on,
                    result=f"准予{title.split('：')[-1]}。" if kind != "levy" else "按标准给予征收补偿。",
                    party_kind="legal", party_name=party,
                )
            with _at(decided_on + datetime.timedelta(days=2), 16):
                publicity.release(publication, actor=admin)
        except ValidationError:  # already there (e.g. registered by the publicity demo)
            continue


def load(ctx) -> None:
    last_year = ctx.today.year - 1
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if last_year == 2025 and admin is not None:
        _register_2025(ctx, admin)
    # As the daily task would have run: the reports on 2 January, the roll-ups on 1 February.
    january = datetime.date(last_year + 1, 1, 2)
    with _at(january, 2):
        services.publish_due(january)
    february = services.rollup_day(last_year)
    if ctx.today >= february:
        with _at(february, 2):
            services.publish_due(february)
