"""The two standard score sheets (评查评分标准), installed as data and editable afterwards
(``docs/supervision-evaluation.md``).

- ``guangdong_100``: 广东省行政执法案卷评查办法 (2016, 省政府令第231号) — the ten items of Art. 14
  on a 100-point scale; the five conditions of Art. 17 fail a file outright.
- ``sector_20_80``: the sector scheme (e.g. surveying and mapping): appearance (卷面) 20 points +
  content (内容) 80 points with deductions; seven veto items (一票否决) set the total to zero.

Grades for both: <60 不合格, 60–74 合格, 75–89 良好, ≥90 优秀 (广东省办法第十六条). The split of
the 100 points among the items is not fixed by the law; the defaults below are a bureau's to edit.
"""

from decimal import Decimal

GUANGDONG = {
    "code": "guangdong_100",
    "name": "行政执法案卷评查标准（百分制，广东省办法）",
    "basis": "《广东省行政执法案卷评查办法》（广东省人民政府令第231号）第十四条、第十六条、第十七条",
    "items": [
        # (section, title, kind, points)
        ("评查内容", "事实认定与证据", "points", 20),
        ("评查内容", "法律适用", "points", 10),
        ("评查内容", "执法程序", "points", 20),
        ("评查内容", "执法主体与执法人员资格", "points", 10),
        ("评查内容", "执法全过程记录与法制审核", "points", 10),
        ("评查内容", "行政裁量权行使", "points", 10),
        ("评查内容", "执法文书制作规范", "points", 5),
        ("评查内容", "文书送达", "points", 5),
        ("评查内容", "执行", "points", 5),
        ("评查内容", "立卷归档", "points", 5),
        ("直接评为不合格", "认定事实不清、证据不足", "auto_fail", 0),
        ("直接评为不合格", "适用法律错误", "auto_fail", 0),
        ("直接评为不合格", "违反法定程序", "auto_fail", 0),
        ("直接评为不合格", "超越职权或者滥用职权", "auto_fail", 0),
        ("直接评为不合格", "执法主体不合法或者执法人员不具备执法资格", "auto_fail", 0),
    ],
}

SECTOR = {
    "code": "sector_20_80",
    "name": "行政执法案卷评查标准（卷面20分＋内容80分，一票否决）",
    "basis": "行业案卷评查标准（如测绘地理信息行政执法案卷评查标准）：卷面评查20分、内容评查80分，一票否决项总分为零",
    "items": [
        ("一票否决", "执法主体不合法", "veto", 0),
        ("一票否决", "执法人员不具备执法资格", "veto", 0),
        ("一票否决", "涉嫌犯罪应当移送而未移送", "veto", 0),
        ("一票否决", "主要证据不足", "veto", 0),
        ("一票否决", "适用法律错误", "veto", 0),
        ("一票否决", "违反法定程序", "veto", 0),
        ("一票否决", "调查取证执法人员少于2人", "veto", 0),
        ("卷面评查（20分）", "一案一卷", "points", 5),
        ("卷面评查（20分）", "卷内目录完整", "points", 5),
        ("卷面评查（20分）", "页码连续", "points", 5),
        ("卷面评查（20分）", "按立案、调查、审查、决定、送达顺序排列", "points", 5),
        ("内容评查（80分）", "执法主体与执法人员", "points", 10),
        ("内容评查（80分）", "事实与证据", "points", 20),
        ("内容评查（80分）", "法律适用", "points", 15),
        ("内容评查（80分）", "执法程序", "points", 20),
        ("内容评查（80分）", "行政裁量", "points", 10),
        ("内容评查（80分）", "执法文书", "points", 5),
    ],
}

STANDARD_SHEETS = [GUANGDONG, SECTOR]


def install_standard_sheets(sheet_model=None, item_model=None, *, using: str = "default") -> int:
    """Create the standard sheets that do not exist yet (by code); an existing sheet, edited
    or not, is left alone. Returns how many were created. Usable from a data migration
    (pass the historical models and the migrated database's alias)."""
    if sheet_model is None:
        from ..models import ScoreItem as item_model  # noqa: N813
        from ..models import ScoreSheet as sheet_model  # noqa: N813
    created = 0
    for spec in STANDARD_SHEETS:
        if sheet_model.objects.using(using).filter(code=spec["code"]).exists():
            continue
        sheet = sheet_model.objects.using(using).create(code=spec["code"], name=spec["name"], basis=spec["basis"])
        for order, (section, title, kind, points) in enumerate(spec["items"], start=1):
            item_model.objects.using(using).create(sheet=sheet, order=order, section=section, title=title, kind=kind,
                                      points=Decimal(points))
        created += 1
    return created
