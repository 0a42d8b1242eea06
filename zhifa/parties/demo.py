"""Demo parties for the fictional 秦川市: about 200 enterprises, other organisations,
individual businesses and natural persons, with valid credit codes and identity numbers and
credit/risk classes spread over A–D (each with a short classification history)."""

import datetime

from django.db import transaction

from zhifa.core.audit import log_bulk_create

from .identifiers import (
    USCC_COOPERATIVE,
    USCC_ENTERPRISE,
    USCC_INDIVIDUAL_BUSINESS,
    make_id_number,
    make_uscc,
    random_org_body,
)
from .models import CreditRating, Party

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
MALE_GIVEN = ["建国", "志强", "伟", "军", "斌", "海涛", "俊杰", "明", "永刚", "国平", "晓东", "鹏", "磊", "红军", "振华",
              "文博", "子豪", "浩然", "宏伟", "立新", "长江", "德胜", "保平", "卫东", "春生"]
FEMALE_GIVEN = ["秀英", "丽", "敏", "静", "丽娟", "艳", "芳", "娜", "晓燕", "雪梅", "玉兰", "桂英", "欣怡", "婷", "慧",
                "佳琪", "春燕", "淑珍", "海燕", "晓红", "丹", "萍", "彩霞", "亚楠", "梦瑶"]
BRANDS = ["鑫达", "华盛", "瑞丰", "恒通", "金穗", "宏远", "德润", "永安", "泰和", "嘉禾", "博源", "兴隆", "天成", "汇通",
          "聚源", "长青", "绿源", "秦岭", "丰泽", "鼎盛", "启航", "华茂", "锦程", "众鑫", "川源", "盛世", "宏基", "安泰",
          "润达", "昌隆", "正和", "远航", "新禾", "益民", "康源", "佳美", "金石", "和顺", "福瑞", "凯达"]
INDUSTRIES = [
    ("商贸", "日用百货、五金交电、建筑材料的销售；预包装食品销售。"),
    ("食品", "食品生产；食品销售；农副产品收购、加工。"),
    ("建材", "水泥制品、商品混凝土的生产与销售；建筑材料销售。"),
    ("餐饮管理", "餐饮服务；餐饮管理；食品经营（仅销售预包装食品）。"),
    ("农业科技", "农作物种植；农业技术推广服务；化肥、农药（不含危险化学品）销售。"),
    ("化工", "化工产品（不含许可类化工产品）的生产与销售。"),
    ("物流", "道路货物运输（不含危险货物）；仓储服务（不含危险化学品）；装卸搬运。"),
    ("医药", "药品零售；第二类医疗器械销售；保健食品销售。"),
    ("机械制造", "通用设备制造；金属制品加工；机械设备销售与维修。"),
    ("建筑工程", "建设工程施工；土石方工程施工；园林绿化工程施工。"),
    ("环保科技", "固体废物治理；污水处理及其再生利用；环保设备销售。"),
    ("矿业", "建筑用砂石开采；矿产资源（非煤矿山）开采；矿产品销售。"),
    ("酒业", "酒类生产；酒类经营；农副产品销售。"),
    ("电子科技", "电子元器件制造；计算机软硬件及辅助设备零售；技术服务。"),
    ("旅游开发", "旅游开发项目策划咨询；游览景区管理；住宿服务。"),
    ("燃气", "燃气经营；燃气器具销售与安装维修。"),
]
COMPANY_SUFFIXES = ["有限公司", "有限责任公司", "有限公司", "股份有限公司"]
SHOPS = [
    ("超市", "日用百货、预包装食品、散装食品零售；烟草制品零售。"),
    ("面馆", "餐饮服务（小型餐馆）。"),
    ("五金店", "五金产品、电线电缆、建筑材料零售。"),
    ("农资店", "化肥、农药（不含危险化学品）、种子零售。"),
    ("粮油店", "粮油制品、调味品、预包装食品零售。"),
    ("汽车修理部", "机动车维修（二类）；汽车零配件零售。"),
    ("烟酒店", "烟草制品零售；酒类零售；预包装食品零售。"),
    ("理发店", "理发及美容服务。"),
    ("小吃店", "餐饮服务（小吃店）。"),
    ("药店", "药品零售；医疗器械零售。"),
    ("肉铺", "鲜肉及肉制品零售。"),
    ("建材门市部", "建筑材料、装饰材料零售。"),
]
STREETS = ["人民路", "建设路", "解放路", "文化路", "新华街", "中山街", "长安路", "团结路", "工业路", "秦岭大道",
           "滨河路", "幸福街", "光明路", "迎宾大道", "青年路"]
RATING_SOURCES = [
    "秦川市市场监督管理局企业信用风险分类结果",
    "“双随机、一公开”抽查结果",
    "行政处罚信息",
    "生态环境信用评价结果",
    "安全生产标准化评定结果",
]
CLASS_WEIGHTS = (("A", 25), ("B", 48), ("C", 19), ("D", 8))

# Places by region code: (county name, township names used in addresses).
PLACES = {
    "619921": ("云岭县", ["云岭镇", "青川镇", "白石镇"]),
    "619922": ("青石县", ["城关街道", "石门镇", "青石镇"]),
    "619900": ("秦川市", ["中心城区"]),
}


def _person_name(rng, male: bool) -> str:
    return rng.choice(SURNAMES) + rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)


def _mobile(rng) -> str:
    return rng.choice(["133", "135", "137", "138", "139", "150", "152", "153", "158", "177", "180", "186", "189"]) + (
        f"{rng.randrange(10**8):08d}"
    )


def _landline(rng) -> str:
    return f"0919-{rng.randrange(2, 9)}{rng.randrange(10**6):06d}"


def _credit_class(rng) -> str:
    return rng.choices([c for c, _ in CLASS_WEIGHTS], weights=[w for _, w in CLASS_WEIGHTS])[0]


class _Places:
    """Regions and recording agencies of the demo city, looked up by code with fallbacks."""

    def __init__(self, ctx):
        self.by_code = {r.code: r for r in ctx.regions.values()}
        self.agencies = dict(ctx.agencies)

    def region(self, code):
        for candidate in (code, code[:6], "619921"):
            if candidate in self.by_code:
                return self.by_code[candidate]
        return next(iter(self.by_code.values()))

    def agency(self, *names):
        for name in names:
            if name in self.agencies:
                return self.agencies[name]
        return None

    @staticmethod
    def county(region):
        return PLACES.get(region.code[:6], PLACES["619921"])[0]

    @staticmethod
    def town(rng, region):
        return region.name if region.level == "township" else rng.choice(PLACES.get(region.code[:6], PLACES["619921"])[1])

    def address(self, rng, region, town=None):
        return f"{self.county(region)}{town or self.town(rng, region)}{rng.choice(STREETS)}{rng.randrange(1, 300)}号"


def _ratings_for(party, rng, today, ratings):
    """One to three classifications over the last years, newest copied onto the party."""
    count = rng.choice((1, 1, 2, 3))
    dates = sorted(today - datetime.timedelta(days=rng.randrange(30, 1500)) for _ in range(count))
    for rated_on in dates:
        ratings.append(
            CreditRating(party=party, credit_class=_credit_class(rng), rated_on=rated_on,
                         source=rng.choice(RATING_SOURCES))
        )
    newest = ratings[-1]
    party.credit_class, party.credit_class_date, party.credit_class_source = (
        newest.credit_class, newest.rated_on, newest.source,
    )


def _region_code(rng) -> str:
    roll = rng.random()
    if roll < 0.05:
        return "619900"
    if roll < 0.30:
        return "619922"
    if roll < 0.55:
        return rng.choice(["619921001", "619921002", "619921003"])
    return "619921"


def load(ctx) -> None:
    """Create the demo parties (idempotent: does nothing if parties exist)."""
    if Party._base_manager.exists():
        ctx.parties = list(Party._base_manager.all())
        return
    rng, today = ctx.rng, ctx.today
    places = _Places(ctx)
    parties, ratings, used_names, used_codes = [], [], set(), set()

    def recording_agency(region, field="市场监督管理局"):
        if region.level == "township":
            return places.agency(f"{region.name}综合行政执法办公室", f"云岭县{field}")
        county = places.county(region)
        return places.agency(f"{county}{field}", f"{county}综合行政执法局", f"云岭县{field}")

    def unique_code(prefix, region_code):
        while True:
            code = make_uscc(prefix, region_code, random_org_body(rng))
            if code not in used_codes:
                used_codes.add(code)
                return code

    # Legal persons (法人): companies and cooperatives.
    while len(parties) < 110:
        region = places.region(_region_code(rng))
        brand, (industry, scope) = rng.choice(BRANDS), rng.choice(INDUSTRIES)
        county = places.county(region)
        cooperative = rng.random() < 0.08
        if cooperative:
            name = f"{county}{brand}{rng.choice(['种植', '养殖', '果业', '茶叶'])}专业合作社"
            scope = "组织收购、销售成员生产的农产品；引进新技术、新品种，开展技术培训。"
        else:
            name = f"{'秦川' if region.code == '619900' else county[:2]}{brand}{industry}{rng.choice(COMPANY_SUFFIXES)}"
        if name in used_names:
            continue
        used_names.add(name)
        party = Party(
            kind=Party.LEGAL, name=name, region=region, agency=recording_agency(region),
            credit_code=unique_code(USCC_COOPERATIVE if cooperative else USCC_ENTERPRISE, region.code),
            legal_representative=_person_name(rng, rng.random() < 0.75), business_scope=scope,
            phone=_landline(rng) if rng.random() < 0.6 else _mobile(rng), address=places.address(rng, region),
        )
        _ratings_for(party, rng, today, ratings)
        parties.append(party)

    # Other organisations (非法人组织): branches, partnerships, sole proprietorships.
    for _ in range(15):
        region = places.region(_region_code(rng))
        brand, (industry, scope) = rng.choice(BRANDS), rng.choice(INDUSTRIES)
        county = places.county(region)
        form = rng.choice(["branch", "partnership", "sole"])
        if form == "branch":
            name = f"秦川{brand}{industry}有限公司{county}分公司"
        elif form == "partnership":
            name = f"{county}{brand}{industry}合伙企业（有限合伙）"
        else:
            name = f"{county}{brand}{industry}个人独资企业"
        if name in used_names:
            continue
        used_names.add(name)
        party = Party(
            kind=Party.OTHER_ORG, name=name, region=region, agency=recording_agency(region),
            credit_code=unique_code(USCC_ENTERPRISE, region.code), legal_representative=_person_name(rng, True),
            business_scope=scope, phone=_landline(rng), address=places.address(rng, region),
        )
        _ratings_for(party, rng, today, ratings)
        parties.append(party)

    # Individual businesses (个体工商户): the operator is the responsible person.
    for index in range(35):
        region = places.region(_region_code(rng))
        operator = _person_name(rng, rng.random() < 0.6)
        shop, scope = rng.choice(SHOPS)
        town = places.town(rng, region)
        county = places.county(region)
        name = f"{county}{town}{operator[0]}记{shop}"
        if name in used_names:
            name = f"{county}{operator}{shop}"
        used_names.add(name)
        party = Party(
            kind=Party.INDIVIDUAL_BUSINESS, name=name, region=region, agency=recording_agency(region),
            credit_code="" if index % 7 == 6 else unique_code(USCC_INDIVIDUAL_BUSINESS, region.code),
            legal_representative=operator, business_scope=scope, phone=_mobile(rng),
            address=places.address(rng, region, town),
        )
        if rng.random() < 0.8:
            _ratings_for(party, rng, today, ratings)
        parties.append(party)

    # Natural persons (自然人), mostly with resident identity cards of 云岭县.
    used_ids, first_person = set(), len(parties)
    while len(parties) < 200:
        male = rng.random() < 0.6
        birth = datetime.date(rng.randrange(1955, 2003), rng.randrange(1, 13), rng.randrange(1, 29))
        region = places.region(rng.choice(["619921", "619921", "619921001", "619921002", "619921003", "619922"]))
        id_type = Party.RESIDENT_ID
        sequence = rng.randrange(0, 450) * 2 + (1 if male else 0)  # 000–899: synthetic data uses 900–999
        number = make_id_number("619922" if region.code.startswith("619922") else "619921", birth, sequence)
        person_index = len(parties) - first_person
        if person_index == 5:
            id_type, number = "hk_macao_permit", f"H{rng.randrange(10**8):08d}"
        elif person_index == 17:
            id_type, number = "passport", f"E{rng.randrange(10**8):08d}"
        elif person_index == 29:
            id_type, number = "taiwan_permit", f"{rng.randrange(10**8):08d}"
        if number in used_ids:
            continue
        used_ids.add(number)
        party = Party(
            kind=Party.NATURAL, name=_person_name(rng, male), id_type=id_type, id_number=number,
            gender="M" if male else "F", birth_date=birth, phone=_mobile(rng), address=places.address(rng, region),
            region=region, agency=recording_agency(region, "综合行政执法局"),
        )
        parties.append(party)

    with transaction.atomic():
        for party in parties:
            party.prepare()
            party.full_clean(validate_unique=False, validate_constraints=False)
            party.save()
        for rating in ratings:
            rating.party_id = rating.party.pk
        CreditRating.objects.bulk_create(ratings)
        log_bulk_create(ratings, note="演示数据")
    ctx.parties = parties

