"""Synthetic published decisions for the portal benchmark (``benchmarks.portal``).

Texts are assembled from fragments (parties, places, goods, violations, legal bases, amounts)
so that jieba yields a varied vocabulary of a few tens of thousands of words. Segmenting a
million texts with jieba would take about 20 minutes, so every fragment is segmented once
and a row's ``search_tokens`` is the concatenation of its fields' segmentations — exactly
what ``tokens_for`` gives, since jieba splits at the spaces ``tokens_for`` joins the fields
with, followed by the filter terms (``search.index_terms``); ``check_tokens`` verifies this on
a sample. ``FORMAT`` names the token format: the benchmark's cached databases are keyed by it.
"""

import datetime
import random
import time
from decimal import Decimal
from functools import lru_cache

# Version of the search_tokens format (2: filter terms zfa/zfk/zfy/zfm appended).
FORMAT = 2

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
BRAND_CHARS = "鑫隆顺泰华盛源丰达通利兴旺宏恒瑞祥福康安佳美新永昌金银玉德聚诚信和合益众晨阳光明辉志远海天山川云峰松柏梅兰竹菊春秋星月"
INDUSTRIES = [
    "商贸", "食品", "餐饮管理", "超市", "药房", "医药", "建材", "建筑工程", "物流", "运输", "农资", "化工", "汽车维修",
    "美容美发", "酒店管理", "旅游", "电子科技", "网络科技", "家具", "服装", "粮油", "肉类加工", "水产", "烟酒", "五金",
    "机械设备", "矿业", "砂石", "环保科技", "印刷", "文化传媒", "教育咨询", "物业管理", "房地产开发", "燃气", "加油站",
]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "经营部", "商行", "门市部", "店", "加工厂", "合作社"]
PLACES = [
    "人民路", "解放路", "建设路", "中山路", "新华街", "和平路", "胜利街", "幸福路", "迎宾大道", "滨河路", "工业园区",
    "农贸市场", "商业街", "火车站广场", "长途汽车站", "开发区", "汽车城", "大学城", "步行街", "滨江路",
]
GOODS = [
    "预包装食品", "散装白酒", "猪肉", "牛肉", "冷冻水产品", "食用油", "大米", "面粉", "婴幼儿配方乳粉", "保健食品",
    "调味品", "糕点", "饮料", "茶叶", "蜂蜜", "化妆品", "儿童玩具", "电动自行车", "电线电缆", "燃气灶具", "液化石油气",
    "农药", "化肥", "种子", "兽药", "饲料", "药品", "医疗器械", "口罩", "消毒产品", "建筑钢材", "水泥", "轮胎",
    "汽油", "柴油", "烟花爆竹", "眼镜", "计量器具", "电子秤", "加油机", "安全帽", "灭火器", "校服", "羽绒服",
]
VIOLATIONS = [
    "销售不符合食品安全标准的{g}", "经营超过保质期的{g}", "未取得食品经营许可从事{g}经营活动", "销售标签不符合规定的{g}",
    "生产经营无标签的{g}", "采购{g}未查验供货者许可证和产品合格证明文件", "未建立{g}进货查验记录制度",
    "销售不合格的{g}", "在{g}中掺杂掺假、以次充好", "使用未经检定的{g}", "销售国家明令淘汰的{g}",
    "无照经营{g}", "未取得营业执照擅自从事{g}销售", "超范围经营{g}", "对{g}作虚假宣传", "发布虚假广告推销{g}",
    "未按规定储存{g}", "未经许可生产{g}", "伪造{g}产地", "冒用他人厂名厂址生产{g}", "销售假冒注册商标的{g}",
    "违规存放{g}占用消防通道", "在居民楼内违规储存{g}", "未落实{g}安全生产主体责任", "存在{g}重大安全隐患未整改",
    "违法排放{g}生产废水", "未批先建{g}生产线", "擅自占用道路堆放{g}", "违法占用耕地建设{g}仓库",
]
DETAILS = [
    "经现场检查，执法人员当场查获涉案物品{n}件", "货值金额{v}元，违法所得{w}元", "当事人对违法事实供认不讳",
    "经抽样检验，检验结论为不合格", "当事人未能提供合法来源证明", "经责令改正，当事人已整改完毕", "系初次违法且危害后果轻微",
    "当事人拒不改正", "涉案物品已依法先行登记保存", "接群众举报后立案调查", "经市场监管部门专项检查发现",
    "当事人积极配合调查并主动消除违法行为危害后果", "依法听取了当事人的陈述申辩",
]
BASES = [
    ("《中华人民共和国食品安全法》第三十四条", "第一百二十四条"), ("《中华人民共和国食品安全法》第三十五条", "第一百二十二条"),
    ("《中华人民共和国食品安全法》第五十三条", "第一百二十六条"), ("《中华人民共和国产品质量法》第三十九条", "第五十条"),
    ("《中华人民共和国产品质量法》第四十九条", "第四十九条"), ("《中华人民共和国广告法》第二十八条", "第五十五条"),
    ("《中华人民共和国反不正当竞争法》第八条", "第二十条"), ("《中华人民共和国商标法》第五十七条", "第六十条"),
    ("《无证无照经营查处办法》第二条", "第十三条"), ("《中华人民共和国计量法》第九条", "第二十六条"),
    ("《中华人民共和国消防法》第二十八条", "第六十条"), ("《中华人民共和国安全生产法》第四十一条", "第一百零二条"),
    ("《中华人民共和国大气污染防治法》第十八条", "第九十九条"), ("《中华人民共和国水污染防治法》第十条", "第八十三条"),
    ("《中华人民共和国土地管理法》第四十四条", "第七十七条"), ("《城市市容和环境卫生管理条例》第十四条", "第三十六条"),
    ("《中华人民共和国药品管理法》第九十八条", "第一百一十七条"), ("《化妆品监督管理条例》第三十八条", "第六十条"),
]
TITLES = [
    "{g}案", "销售{g}案", "经营{g}违法案", "{g}质量违法案", "{g}安全行政处罚案", "无证经营{g}案", "{g}标签违法案",
]
LICENSES = ["食品经营许可", "药品经营许可", "建设工程规划许可", "排污许可", "道路运输经营许可", "烟草专卖零售许可",
            "危险化学品经营许可", "户外广告设置许可", "城市道路占用许可", "娱乐场所经营许可"]
KINDS = ["penalty"] * 14 + ["license"] * 3 + ["coercion", "inspection", "other"]
STATUSES = ["published"] * 90 + ["withdrawn"] * 5 + ["pending"] * 3 + ["not_published"] * 2


@lru_cache(maxsize=400_000)
def seg(text: str) -> str:
    from zhifa.publicity.search import text_tokens

    return " ".join(text_tokens(text))


def company(rng) -> str:
    place = rng.choice(["秦川", "合成", "云岭", "青石", "渭南", "汉中", "宝鸡", "延安", "榆林", "安康"])
    brand = "".join(rng.sample(BRAND_CHARS, 2))
    return f"{place}{brand}{rng.choice(INDUSTRIES)}{rng.choice(SUFFIXES)}"


def facts_text(rng, party: str, good: str) -> str:
    violation = rng.choice(VIOLATIONS).format(g=good)
    details = "；".join(
        d.format(n=rng.randint(2, 500), v=rng.randint(100, 90_000), w=rng.randint(10, 9_000))
        for d in rng.sample(DETAILS, 2)
    )
    return (f"经查，当事人{party}于{rng.randint(2021, 2026)}年{rng.randint(1, 12)}月在{rng.choice(PLACES)}"
            f"{rng.randint(1, 300)}号的经营场所{violation}。{details}。")


class Pools:
    """Distinct texts, each segmented once; rows pick from them."""

    def __init__(self, rng, size: int):
        self.parties = [company(rng) for _ in range(max(size // 20, 200))]
        self.facts = [facts_text(rng, rng.choice(self.parties), rng.choice(GOODS)) for _ in range(max(size // 50, 500))]
        self.bases = [f"违反：{a}\n依据：{a.split('》')[0]}》{b}" for a, b in BASES]
        self.titles = [t.format(g=g) for t in TITLES for g in GOODS] + [f"{x}决定" for x in LICENSES]


def fine_result(rng) -> tuple[str, Decimal | None, list]:
    roll = rng.random()
    if roll < 0.1:
        return "警告。", None, ["警告"]
    amount = Decimal(rng.choice([500, 1000, 2000, 3000, 5000, 8000, 10000, 20000, 50000, 100000, 200000])
                     + rng.randint(0, 20) * 100)
    kinds = ["罚款"]
    text = f"罚款人民币{amount:,.2f}元"
    if roll > 0.7:
        kinds.append("没收违法所得")
        text += f"；没收违法所得人民币{rng.randint(1, 90) * 100:,.2f}元"
    return text + "。", amount, kinds


COLUMNS = (
    "kind", "agency_id", "decision_number", "title", "party_kind", "party_name", "credit_code", "facts",
    "legal_basis", "result", "penalty_kinds", "fine_amount", "confiscation_amount", "decided_on", "due_on",
    "due_provisional", "status", "redactions", "masking_report", "public_party_name", "public_facts",
    "public_legal_basis", "public_result", "search_tokens", "published_on", "published_at", "public_until",
    "not_published_ground", "not_published_reason", "annotation", "withdrawn_on", "withdrawal_note",
    "created_at", "updated_at", "public_title",
)


def generate(agencies, count: int, *, start: int = 0, seed: int = 11, batch: int = 5000, log=print) -> int:
    """Insert ``count`` publications (numbered from ``start``) spread over ``agencies``.

    Rows go in with ``executemany`` (Django's ``bulk_create`` spends ~0.7 ms per row of this
    37-column model compiling SQL: 12 minutes for a million); the FTS index is filled by the
    triggers of migration 0002, as in production. ``check_tokens`` reads rows back through
    the ORM."""
    import json

    from django.db import connection, transaction

    from zhifa.publicity.search import index_terms

    rng = random.Random(seed + start)
    pools = Pools(rng, max(count + start, 10_000))
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None).isoformat(sep=" ")
    agency_prefix = {a.pk: (a.name[:6] + "罚", seg(a.name)) for a in agencies}
    sql = (f"INSERT INTO publicity_publication ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(COLUMNS))})")
    started = time.perf_counter()
    made = 0
    for first in range(start, start + count, batch):
        rows = []
        for i in range(first, min(first + batch, start + count)):
            agency = agencies[i % len(agencies)]
            prefix, agency_tokens = agency_prefix[agency.pk]
            kind = rng.choice(KINDS)
            status = rng.choice(STATUSES)
            decided_on = today - datetime.timedelta(days=rng.randint(1, 5 * 365))
            year = decided_on.year
            number = f"{prefix}〔{year}〕{i + 1}号"
            party = rng.choice(pools.parties)
            if kind == "license":
                title = rng.choice(LICENSES) + "决定"
                facts = f"申请人{party}申请{title[:-2]}，经审查符合法定条件。"
                result, fine, penalty_kinds, basis = f"准予{title[:-2]}。", None, [], ""
            else:
                title = rng.choice(pools.titles)
                facts = rng.choice(pools.facts)
                result, fine, penalty_kinds = fine_result(rng)
                basis = rng.choice(pools.bases)
            published = status != "pending"
            published_on = decided_on + datetime.timedelta(days=rng.randint(1, 7)) if published else None
            tokens = " ".join(t for t in (
                seg(prefix), f"〔 {year} 〕 {i + 1} 号", seg(title), seg(party), seg(facts), seg(basis), seg(result),
                agency_tokens, " ".join(index_terms(agency_id=agency.pk, kind=kind, decided_on=decided_on,
                                                    fine_amount=fine))) if t)
            withdrawn = status == "withdrawn"
            rows.append((
                kind, agency.pk, number, title, "legal", party, "", facts, basis, result,
                json.dumps(penalty_kinds, ensure_ascii=False), None if fine is None else str(fine), None,
                decided_on.isoformat(), (decided_on + datetime.timedelta(days=9)).isoformat(), False, status,
                "[]", "[]", party, facts, basis, result, tokens,
                published_on.isoformat() if published else None, now if published else None,
                (published_on + datetime.timedelta(days=3 * 365)).isoformat() if published else None,
                "", "", "", published_on.isoformat() if withdrawn else None, "该决定被依法撤销。" if withdrawn else "",
                now, now, title,
            ))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        made += len(rows)
        if made % 100_000 < batch or made == count:
            seconds = time.perf_counter() - started
            log(f"  已生成 {start + made:>9,} 条公示（{made / seconds:,.0f} 条/秒）")
    return made


def check_tokens(sample: int = 50) -> int:
    """How many of ``sample`` generated rows have exactly the tokens ``tokens_for`` gives."""
    from zhifa.publicity.models import Publication
    from zhifa.publicity.search import tokens_for

    rows = Publication.objects.select_related("agency").order_by("id")[:sample]
    return sum(1 for p in rows if tokens_for(p) == p.search_tokens)
