"""A large synthetic catalog for benchmarks: ``scale`` items with their versions (every
tenth item amended once), inserted with ``bulk_create`` in batches, without signals."""

import datetime

from zhifa.orgs.models import Agency, EnforcementField

from . import choices
from .models import Item, ItemVersion

BATCH = 5000
LAWS = [
    ("《中华人民共和国食品安全法》", "SCJG"), ("《中华人民共和国产品质量法》", "SCJG"),
    ("《中华人民共和国大气污染防治法》", "STHJ"), ("《中华人民共和国水污染防治法》", "STHJ"),
    ("《城市市容和环境卫生管理条例》", "CSGL"), ("《中华人民共和国城乡规划法》", "CSGL"),
    ("《中华人民共和国土地管理法》", "ZRZY"), ("《中华人民共和国安全生产法》", "YJGL"),
]
ACTS = ["未按规定建立台账", "超标排放", "擅自占用公共场地", "未取得许可从事经营", "未按规定公示信息",
        "未落实安全管理制度", "违规处置废弃物", "未按规定设置标识"]


def generate(ctx, scale: int) -> int:
    """Bulk-create ``scale`` items (plus versions) spread over the agencies; return rows created."""
    rng = ctx.rng
    agencies = getattr(ctx, "agencies", None) or list(Agency.objects.all())
    agencies = list(agencies.values()) if isinstance(agencies, dict) else list(agencies)
    fields = {f.code: f for f in EnforcementField.objects.all()}
    fields.update(getattr(ctx, "fields", {}) or {})
    laws = [(law, fields[code]) for law, code in LAWS if code in fields] or [
        (law, next(iter(fields.values()))) for law, _ in LAWS
    ]
    kinds = [k for k, _ in choices.ITEM_KIND_CHOICES]
    start = Item.objects.filter(code__startswith="SYN-").count()
    created = 0
    today = getattr(ctx, "today", datetime.date.today())
    for offset in range(0, scale, BATCH):
        items, plan = [], []
        for n in range(start + offset, start + min(offset + BATCH, scale)):
            law, field = laws[n % len(laws)]
            kind = kinds[n % len(kinds)] if n % 3 else "penalty"
            act = ACTS[n % len(ACTS)]
            name = f"对{act}的行政处罚（{n:06d}）" if kind == "penalty" else f"{act}事项（{n:06d}）"
            items.append(Item(agency=rng.choice(agencies), code=f"SYN-{field.code}-{n:07d}", name=name, kind=kind,
                              field=field, status=choices.IN_FORCE if n % 50 else choices.CANCELLED))
            plan.append((law, name, kind, n))
        Item.objects.bulk_create(items, batch_size=BATCH)
        versions = []
        for item, (law, name, kind, n) in zip(items, plan, strict=True):
            article = 10 + n % 120
            content = {
                "name": name, "law_name": law, "article": article, "paragraph": 1 + n % 3,
                "basis_text": f"{law}第{article}条规定的情形。",
                "penalty_basis": f"{law}第{article}条" if kind == "penalty" else "",
                "violated_provision": f"{law}第{max(1, article - 30)}条" if kind == "penalty" else "",
            }
            first_from = datetime.date(2015 + n % 6, 1 + n % 12, 1)
            if n % 10 == 0:
                amended_from = min(today, datetime.date(2021, 6, 1))
                versions.append(ItemVersion(item=item, number=1, valid_from=first_from,
                                            valid_to=amended_from - datetime.timedelta(days=1), **content))
                versions.append(ItemVersion(item=item, number=2, valid_from=amended_from,
                                            change_reason="法律修正", **content))
            else:
                versions.append(ItemVersion(item=item, number=1, valid_from=first_from, **content))
        ItemVersion.objects.bulk_create(versions, batch_size=BATCH)
        created += len(items) + len(versions)
    return created
