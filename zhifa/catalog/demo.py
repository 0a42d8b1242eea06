"""Demo data of the catalog: 100+ enforcement items of the fictional 秦川市 agencies with
realistic legal bases, benchmarks for the penalty items, delegations to the township
offices, items amended by a later law revision, and entries of the four lists.

Legal citations follow the statutes as amended (e.g. 食品安全法 2021, 安全生产法 2021,
大气污染防治法 2018); amounts are the statutory ranges. Demo data, not legal advice.
"""

import datetime
from dataclasses import dataclass, field

from zhifa.orgs.models import EnforcementField

from . import choices, services
from .models import Delegation, SpecialListEntry

D = datetime.date

FOOD = "《中华人民共和国食品安全法》"
PRODUCT = "《中华人民共和国产品质量法》"
ADS = "《中华人民共和国广告法》"
PRICE = "《中华人民共和国价格法》"
EQUIP = "《中华人民共和国特种设备安全法》"
COMPETITION = "《中华人民共和国反不正当竞争法》"
AIR = "《中华人民共和国大气污染防治法》"
WATER = "《中华人民共和国水污染防治法》"
WASTE = "《中华人民共和国固体废物污染环境防治法》"
EIA = "《中华人民共和国环境影响评价法》"
NOISE = "《中华人民共和国噪声污染防治法》"
CITY = "《城市市容和环境卫生管理条例》"
PLANNING = "《中华人民共和国城乡规划法》"
ROADS = "《城市道路管理条例》"
DEBRIS = "《城市建筑垃圾管理规定》"
DRAIN = "《城镇排水与污水处理条例》"
LAND = "《中华人民共和国土地管理法》"
LAND_REG = "《中华人民共和国土地管理法实施条例》"
MINERAL = "《中华人民共和国矿产资源法》"
SURVEY = "《中华人民共和国测绘法》"
SEED = "《中华人民共和国种子法》"
PESTICIDE = "《农药管理条例》"
ANIMAL = "《中华人民共和国动物防疫法》"
FARM_PRODUCE = "《中华人民共和国农产品质量安全法》"
FISHERY = "《中华人民共和国渔业法》"
SAFETY = "《中华人民共和国安全生产法》"
HAZCHEM = "《危险化学品安全管理条例》"
FIREWORKS = "《烟花爆竹安全管理条例》"
PENALTY_LAW = "《中华人民共和国行政处罚法》"
COERCION_LAW = "《中华人民共和国行政强制法》"

WARN, FINE, GAINS, PROPERTY = choices.WARNING, choices.FINE, choices.CONFISCATE_GAINS, choices.CONFISCATE_PROPERTY
REVOKE, STOP, CLOSE = choices.REVOKE_LICENCE, choices.SUSPEND_BUSINESS, choices.CLOSE


@dataclass
class Template:
    """One item of the demo catalog."""

    field: str
    kind: str
    name: str
    law: str
    article: int | None = None
    paragraph: int | None = None
    item_no: int | None = None
    basis: str = ""
    violated: str = ""
    penalty: str = ""
    fine: tuple | None = None  # statutory (min, max) in yuan; None when the fine is a multiple
    kinds: tuple = (FINE,)
    grave: tuple = ()
    since: datetime.date = D(2019, 1, 1)
    amended: dict | None = None  # content of the later version, with "valid_from" and "reason"
    delegate: bool = False
    lists: tuple = field(default_factory=tuple)  # list kinds of special-list entries to create


T = Template
FIRST_OFFENCE = ("首次违法", "危害后果轻微", "及时改正")

TEMPLATES = [
    # -- 市场监管 -----------------------------------------------------------------
    T("SCJG", "penalty", "对未取得食品生产经营许可从事食品生产经营活动的行政处罚", FOOD, 122, 1,
      basis="未取得食品生产经营许可从事食品生产经营活动，或者未取得食品添加剂生产许可从事食品添加剂生产活动的，"
            "由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品、食品添加剂以及用于违法生产经营的工具、设备、原料等物品。",
      violated=f"{FOOD}第三十五条第一款", penalty=f"{FOOD}第一百二十二条第一款", fine=(50000, 100000),
      kinds=(FINE, GAINS, PROPERTY), since=D(2015, 10, 1),
      amended={"valid_from": D(2021, 4, 29), "reason": "《中华人民共和国食品安全法》2021年4月29日修正"}),
    T("SCJG", "penalty", "对生产经营致病性微生物等污染物质含量超过食品安全标准限量的食品的行政处罚", FOOD, 124, 1, 1,
      basis="生产经营致病性微生物，农药残留、兽药残留、生物毒素、重金属等污染物质以及其他危害人体健康的物质含量超过食品安全标准限量的食品、食品添加剂。",
      violated=f"{FOOD}第三十四条第（二）项", penalty=f"{FOOD}第一百二十四条第一款第（一）项", fine=(50000, 100000),
      kinds=(FINE, GAINS, PROPERTY), grave=(REVOKE,), since=D(2015, 10, 1),
      amended={"valid_from": D(2021, 4, 29), "reason": "《中华人民共和国食品安全法》2021年4月29日修正"}),
    T("SCJG", "penalty", "对生产经营标签不符合规定的食品的行政处罚", FOOD, 125, 1, 2,
      basis="生产经营无标签的预包装食品、食品添加剂或者标签、说明书不符合本法规定的食品、食品添加剂。",
      violated=f"{FOOD}第七十一条第一款", penalty=f"{FOOD}第一百二十五条第一款第（二）项", fine=(5000, 50000),
      kinds=(FINE, GAINS, PROPERTY), grave=(STOP,), lists=(choices.EXEMPT_OR_LIGHT_LIST,)),
    T("SCJG", "penalty", "对食品生产经营者未按规定进行从业人员健康管理的行政处罚", FOOD, 126, 1, 6,
      basis="食品生产经营者安排未取得健康证明或者患有国务院卫生行政部门规定的有碍食品安全疾病的人员从事接触直接入口食品的工作。",
      violated=f"{FOOD}第四十五条", penalty=f"{FOOD}第一百二十六条第一款第（六）项", fine=(5000, 50000),
      kinds=(WARN, FINE), grave=(STOP,), delegate=True, lists=(choices.NO_PENALTY_LIST,)),
    T("SCJG", "penalty", "对未按要求进行食品贮存、运输和装卸的行政处罚", FOOD, 132,
      basis="未按要求进行食品贮存、运输和装卸的，由县级以上人民政府食品安全监督管理等部门按照各自职责分工责令改正，给予警告。",
      violated=f"{FOOD}第三十三条第一款第（十）项", penalty=f"{FOOD}第一百三十二条", fine=(10000, 50000),
      kinds=(WARN, FINE), grave=(STOP, REVOKE)),
    T("SCJG", "penalty", "对生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的行政处罚", PRODUCT, 49,
      basis="生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的，责令停止生产、销售，没收违法生产、销售的产品。",
      violated=f"{PRODUCT}第十三条", penalty=f"{PRODUCT}第四十九条", kinds=(FINE, GAINS, PROPERTY), grave=(REVOKE,)),
    T("SCJG", "penalty", "对产品标识不符合规定的行政处罚", PRODUCT, 54,
      basis="产品标识不符合本法第二十七条规定的，责令改正；有包装的产品标识不符合本法第二十七条第（四）项、第（五）项规定，情节严重的，责令停止生产、销售。",
      violated=f"{PRODUCT}第二十七条", penalty=f"{PRODUCT}第五十四条", kinds=(FINE, GAINS),
      lists=(choices.EXEMPT_OR_LIGHT_LIST,)),
    T("SCJG", "penalty", "对发布虚假广告的行政处罚", ADS, 55, 1,
      basis="发布虚假广告的，由市场监督管理部门责令停止发布广告，责令广告主在相应范围内消除影响。",
      violated=f"{ADS}第四条、第二十八条", penalty=f"{ADS}第五十五条第一款", fine=(200000, 1000000),
      kinds=(FINE,), grave=(REVOKE,), since=D(2015, 9, 1),
      amended={"valid_from": D(2021, 4, 29), "reason": "《中华人民共和国广告法》2021年4月29日修正"}),
    T("SCJG", "penalty", "对经营者虚假或者引人误解的商业宣传的行政处罚", COMPETITION, 20, 1,
      basis="经营者违反本法第八条规定对其商品作虚假或者引人误解的商业宣传，或者通过组织虚假交易等方式帮助其他经营者进行虚假或者引人误解的商业宣传的，由监督检查部门责令停止违法行为。",
      violated=f"{COMPETITION}第八条", penalty=f"{COMPETITION}第二十条第一款", fine=(100000, 1000000),
      kinds=(FINE,), grave=(REVOKE,)),
    T("SCJG", "penalty", "对经营者不执行明码标价规定的行政处罚", PRICE, 42,
      basis="经营者违反明码标价规定的，责令改正，没收违法所得，可以并处五千元以下的罚款。",
      violated=f"{PRICE}第十三条", penalty=f"{PRICE}第四十二条", fine=(0, 5000), kinds=(FINE, GAINS),
      delegate=True, lists=(choices.NO_PENALTY_LIST,)),
    T("SCJG", "penalty", "对使用未取得许可生产、未经检验或者检验不合格的特种设备的行政处罚", EQUIP, 84, 1, 1,
      basis="使用未取得许可生产，未经检验或者检验不合格的特种设备，或者国家明令淘汰、已经报废的特种设备的，责令停止使用有关特种设备。",
      violated=f"{EQUIP}第三十二条", penalty=f"{EQUIP}第八十四条第一款第（一）项", fine=(30000, 300000),
      kinds=(FINE,)),
    T("SCJG", "licensing", "食品经营许可", FOOD, 35, 1,
      basis="国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。"),
    T("SCJG", "inspection", "对食品生产经营活动的监督检查", FOOD, 110,
      basis="县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权进入生产经营场所实施现场检查，对生产经营的食品、食品添加剂、食品相关产品进行抽样检验。"),
    T("SCJG", "coercion", "查封、扣押不符合食品安全标准的食品和违法使用的原料", FOOD, 110, None, 4,
      basis="查封、扣押有证据证明不符合食品安全标准或者有证据证明存在安全隐患以及用于违法生产经营的食品、食品添加剂、食品相关产品。",
      lists=(choices.NO_COERCION_LIST,)),
    # -- 生态环境 ------------------------------------------------------------------
    T("STHJ", "penalty", "对超过大气污染物排放标准排放大气污染物的行政处罚", AIR, 99, None, 2,
      basis="超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物的，由县级以上人民政府生态环境主管部门责令改正或者限制生产、停产整治。",
      violated=f"{AIR}第十八条", penalty=f"{AIR}第九十九条第（二）项", fine=(100000, 1000000),
      kinds=(FINE,), grave=(STOP, CLOSE), since=D(2016, 1, 1),
      amended={"valid_from": D(2018, 10, 26), "reason": "《中华人民共和国大气污染防治法》2018年10月26日修正"}),
    T("STHJ", "penalty", "对未依法取得排污许可证排放大气污染物的行政处罚", AIR, 99, None, 1,
      basis="未依法取得排污许可证排放大气污染物的，由县级以上人民政府生态环境主管部门责令改正或者限制生产、停产整治。",
      violated=f"{AIR}第十九条", penalty=f"{AIR}第九十九条第（一）项", fine=(100000, 1000000),
      kinds=(FINE,), grave=(STOP, CLOSE)),
    T("STHJ", "penalty", "对挥发性有机物废气未在密闭空间或设备中进行生产的行政处罚", AIR, 108, None, 1,
      basis="产生含挥发性有机物废气的生产和服务活动，未在密闭空间或者设备中进行，未按照规定安装、使用污染防治设施，或者未采取减少废气排放措施的。",
      violated=f"{AIR}第四十五条", penalty=f"{AIR}第一百零八条第（一）项", fine=(20000, 200000),
      kinds=(FINE,), grave=(STOP,), lists=(choices.EXEMPT_OR_LIGHT_LIST,)),
    T("STHJ", "penalty", "对超标排放水污染物的行政处罚", WATER, 83, None, 2,
      basis="超过水污染物排放标准或者超过重点水污染物排放总量控制指标排放水污染物的，由县级以上人民政府环境保护主管部门责令改正或者责令限制生产、停产整治。",
      violated=f"{WATER}第十条", penalty=f"{WATER}第八十三条第（二）项", fine=(100000, 1000000),
      kinds=(FINE,), grave=(STOP, CLOSE)),
    T("STHJ", "penalty", "对利用暗管等逃避监管的方式排放水污染物的行政处罚", WATER, 83, None, 3,
      basis="利用渗井、渗坑、裂隙、溶洞，私设暗管，篡改、伪造监测数据，或者不正常运行水污染防治设施等逃避监管的方式排放水污染物的。",
      violated=f"{WATER}第三十九条", penalty=f"{WATER}第八十三条第（三）项", fine=(100000, 1000000),
      kinds=(FINE,), grave=(STOP, CLOSE)),
    T("STHJ", "penalty", "对未按规定贮存危险废物的行政处罚", WASTE, 112, 1, 6,
      basis="未按照国家环境保护标准贮存、利用、处置危险废物或者将危险废物混入非危险废物中贮存的。",
      violated=f"{WASTE}第八十一条第一款", penalty=f"{WASTE}第一百一十二条第一款第（六）项", fine=(100000, 1000000),
      kinds=(FINE,), grave=(STOP, CLOSE)),
    T("STHJ", "penalty", "对建设项目未依法报批环境影响报告书擅自开工建设的行政处罚", EIA, 31, 1,
      basis="建设单位未依法报批建设项目环境影响报告书、报告表，或者未重新报批或者报请重新审核，擅自开工建设的，由县级以上生态环境主管部门责令停止建设。",
      violated=f"{EIA}第二十五条", penalty=f"{EIA}第三十一条第一款", kinds=(FINE,)),
    T("STHJ", "penalty", "对排放噪声超过噪声排放标准的行政处罚", NOISE, 75,
      basis="超过噪声排放标准排放工业噪声的，由生态环境主管部门责令改正或者限制生产、停产整治。",
      violated=f"{NOISE}第三十六条", penalty=f"{NOISE}第七十五条", fine=(20000, 200000), kinds=(FINE,), grave=(STOP,)),
    T("STHJ", "inspection", "对排污单位的现场检查", AIR, 29,
      basis="生态环境主管部门及其环境执法机构和其他负有大气环境保护监督管理职责的部门，有权通过现场检查监测、自动监测、遥感监测等方式，对排放大气污染物的企业事业单位和其他生产经营者进行监督检查。"),
    T("STHJ", "coercion", "查封、扣押造成污染物排放的设施、设备", AIR, 30,
      basis="企业事业单位和其他生产经营者违反法律法规规定排放大气污染物，造成或者可能造成严重大气污染的，可以对有关设施、设备、物品采取查封、扣押等行政强制措施。",
      lists=(choices.NO_COERCION_LIST,)),
    # -- 城市管理 ------------------------------------------------------------------
    T("CSGL", "penalty", "对在临街建筑物阳台外、窗外堆放、吊挂有碍市容物品的行政处罚", CITY, 34, None, 2,
      basis="在城市人民政府规定的街道的临街建筑物的阳台和窗外，堆放、吊挂有碍市容的物品的，责令其纠正违法行为、采取补救措施外，可以并处警告、罚款。",
      violated=f"{CITY}第十五条", penalty=f"{CITY}第三十四条第（二）项", fine=(0, 200), kinds=(WARN, FINE),
      delegate=True, lists=(choices.NO_PENALTY_LIST,)),
    T("CSGL", "penalty", "对随意倾倒、抛撒、堆放生活垃圾的行政处罚", CITY, 34, None, 3,
      basis="随意倾倒、抛撒、堆放垃圾、粪便、污水、渣土等的，责令其纠正违法行为、采取补救措施外，可以并处警告、罚款。",
      violated=f"{CITY}第十七条", penalty=f"{CITY}第三十四条第（三）项", fine=(0, 500), kinds=(WARN, FINE),
      delegate=True, lists=(choices.EXEMPT_OR_LIGHT_LIST,)),
    T("CSGL", "penalty", "对擅自在街道两侧和公共场地堆放物料、搭建设施影响市容的行政处罚", CITY, 36, None, 2,
      basis="未经城市人民政府市容环境卫生行政主管部门批准，擅自在街道两侧和公共场地堆放物料，搭建建筑物、构筑物或者其他设施，影响市容的。",
      violated=f"{CITY}第十四条", penalty=f"{CITY}第三十六条第（二）项", fine=(0, 5000), kinds=(FINE,),
      delegate=True, lists=(choices.NO_PENALTY_LIST, choices.LIGHTER_LIST)),
    T("CSGL", "penalty", "对擅自设置大型户外广告影响市容的行政处罚", CITY, 36, None, 1,
      basis="未经城市市容环境卫生行政主管部门同意，擅自设置大型户外广告，影响市容的，责令其停止违法行为，限期清理、拆除或者采取其他补救措施，并可处以罚款。",
      violated=f"{CITY}第十一条", penalty=f"{CITY}第三十六条第（一）项", fine=(1000, 10000), kinds=(FINE,),
      delegate=True),
    T("CSGL", "penalty", "对施工工地未采取扬尘污染防治措施的行政处罚", AIR, 115, 1,
      basis="施工单位未对施工工地设置硬质围挡，或者未采取覆盖、分段作业、择时施工、洒水抑尘、冲洗地面和车辆等有效防尘降尘措施的。",
      violated=f"{AIR}第六十九条", penalty=f"{AIR}第一百一十五条第一款", fine=(10000, 100000),
      kinds=(FINE,), grave=(STOP,), since=D(2016, 1, 1),
      amended={"valid_from": D(2018, 10, 26), "reason": "《中华人民共和国大气污染防治法》2018年10月26日修正"}),
    T("CSGL", "penalty", "对餐饮服务业经营者未安装油烟净化设施的行政处罚", AIR, 118, 1,
      basis="排放油烟的餐饮服务业经营者未安装油烟净化设施、不正常使用油烟净化设施或者未采取其他油烟净化措施，超过排放标准排放油烟的。",
      violated=f"{AIR}第八十一条第一款", penalty=f"{AIR}第一百一十八条第一款", fine=(5000, 50000),
      kinds=(FINE,), grave=(STOP,), delegate=True, lists=(choices.EXEMPT_OR_LIGHT_LIST,)),
    T("CSGL", "penalty", "对露天焚烧秸秆、落叶等产生烟尘污染物质的行政处罚", AIR, 119, 2,
      basis="在人口集中地区和其他依法需要特殊保护的区域内，焚烧秸秆、落叶等产生烟尘污染的物质的，由县级以上地方人民政府确定的监督管理部门责令改正。",
      violated=f"{AIR}第七十七条", penalty=f"{AIR}第一百一十九条第二款", fine=(500, 2000), kinds=(FINE,),
      delegate=True, lists=(choices.NO_PENALTY_LIST,)),
    T("CSGL", "penalty", "对随意倾倒、抛撒或者堆放建筑垃圾的行政处罚", DEBRIS, 26,
      basis="任何单位和个人随意倾倒、抛撒或者堆放建筑垃圾的，由城市人民政府市容环境卫生主管部门责令限期改正，给予警告。",
      violated=f"{DEBRIS}第十五条", penalty=f"{DEBRIS}第二十六条", fine=(5000, 50000), kinds=(WARN, FINE),
      delegate=True),
    T("CSGL", "penalty", "对未取得建设工程规划许可证进行建设的行政处罚", PLANNING, 64,
      basis="未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的，由县级以上地方人民政府城乡规划主管部门责令停止建设。",
      violated=f"{PLANNING}第四十条第一款", penalty=f"{PLANNING}第六十四条", kinds=(FINE, GAINS, PROPERTY)),
    T("CSGL", "penalty", "对擅自占用或者挖掘城市道路的行政处罚", ROADS, 42, None, 2,
      basis="未经批准擅自占用或者挖掘城市道路的，由市政工程行政主管部门或者其他有关部门责令限期改正，可以处以2万元以下的罚款。",
      violated=f"{ROADS}第二十七条", penalty=f"{ROADS}第四十二条第（二）项", fine=(0, 20000), kinds=(FINE,)),
    T("CSGL", "penalty", "对排水户未取得污水排入排水管网许可证排放污水的行政处罚", DRAIN, 50, 1,
      basis="排水户未取得污水排入排水管网许可证向城镇排水设施排放污水的，由城镇排水主管部门责令停止违法行为，限期采取治理措施，补办污水排入排水管网许可证。",
      violated=f"{DRAIN}第二十一条第一款", penalty=f"{DRAIN}第五十条第一款", fine=(0, 500000), kinds=(FINE,)),
    T("CSGL", "penalty", "对夜间施工产生噪声污染的行政处罚", NOISE, 77, None, 2,
      basis="在噪声敏感建筑物集中区域夜间进行产生噪声的建筑施工作业，未取得地方人民政府住房和城乡建设、生态环境主管部门或者地方人民政府指定的部门的证明的。",
      violated=f"{NOISE}第四十三条第一款", penalty=f"{NOISE}第七十七条第（二）项", fine=(10000, 100000),
      kinds=(FINE,), grave=(STOP,), delegate=True),
    T("CSGL", "coercion", "暂扣违法从事经营活动的工具和物品", CITY, 36,
      basis="对违反市容环境卫生管理规定占道经营的，依法暂扣其从事违法经营活动的工具、物品。",
      lists=(choices.NO_COERCION_LIST,)),
    T("CSGL", "inspection", "对市容环境卫生责任区的检查", CITY, 9,
      basis="城市的市容和环境卫生工作，实行统一领导、分区负责、专业人员管理与群众管理相结合的原则。"),
    # -- 自然资源 ------------------------------------------------------------------
    T("ZRZY", "penalty", "对未经批准或者采取欺骗手段骗取批准非法占用土地的行政处罚", LAND, 77, 1,
      basis="未经批准或者采取欺骗手段骗取批准，非法占用土地的，由县级以上人民政府自然资源主管部门责令退还非法占用的土地，对违反土地利用总体规划擅自将农用地改为建设用地的，限期拆除在非法占用的土地上新建的建筑物和其他设施。",
      violated=f"{LAND}第四十四条", penalty=f"{LAND}第七十七条第一款、{LAND_REG}第五十七条", kinds=(FINE, PROPERTY),
      since=D(2020, 1, 1), delegate=True),
    T("ZRZY", "penalty", "对买卖或者以其他形式非法转让土地的行政处罚", LAND, 74,
      basis="买卖或者以其他形式非法转让土地的，由县级以上人民政府自然资源主管部门没收违法所得。",
      violated=f"{LAND}第二条第三款", penalty=f"{LAND}第七十四条", kinds=(FINE, GAINS, PROPERTY)),
    T("ZRZY", "penalty", "对占用耕地建窑、建坟或者擅自在耕地上建房、挖砂、采石、采矿、取土的行政处罚", LAND, 75,
      basis="违反本法规定，占用耕地建窑、建坟或者擅自在耕地上建房、挖砂、采石、采矿、取土等，破坏种植条件的，由县级以上人民政府自然资源主管部门、农业农村主管部门等按照职责责令限期改正或者治理。",
      violated=f"{LAND}第三十七条第二款", penalty=f"{LAND}第七十五条", kinds=(FINE,), delegate=True),
    T("ZRZY", "penalty", "对未取得采矿许可证擅自采矿的行政处罚", MINERAL, 39, 1,
      basis="未取得采矿许可证擅自采矿的，擅自进入国家规划矿区、对国民经济具有重要价值的矿区范围采矿的，责令停止开采、赔偿损失，没收采出的矿产品和违法所得。",
      violated=f"{MINERAL}第三条第三款", penalty=f"{MINERAL}第三十九条第一款", kinds=(FINE, GAINS, PROPERTY)),
    T("ZRZY", "penalty", "对未取得测绘资质证书擅自从事测绘活动的行政处罚", SURVEY, 55, 1,
      basis="违反本法规定，未取得测绘资质证书，擅自从事测绘活动的，责令停止违法行为，没收违法所得和测绘成果，并处测绘约定报酬一倍以上二倍以下的罚款。",
      violated=f"{SURVEY}第二十七条", penalty=f"{SURVEY}第五十五条第一款", kinds=(FINE, GAINS, PROPERTY)),
    T("ZRZY", "inspection", "对土地利用情况的监督检查", LAND, 68,
      basis="县级以上人民政府自然资源主管部门履行监督检查职责时，有权要求被检查的单位或者个人提供有关土地权利的文件和资料，进入被检查单位或者个人非法占用的土地现场进行勘测。"),
    # -- 农业农村 ------------------------------------------------------------------
    T("NYNC", "penalty", "对生产经营假种子的行政处罚", SEED, 74, 1,
      basis="违反本法第四十八条规定，生产经营假种子的，由县级以上人民政府农业农村、林业草原主管部门责令停止生产经营，没收违法所得和种子，吊销种子生产经营许可证。",
      violated=f"{SEED}第四十八条", penalty=f"{SEED}第七十四条第一款", kinds=(FINE, GAINS, PROPERTY),
      grave=(REVOKE,)),
    T("NYNC", "penalty", "对农药使用者不按照农药标签标注的使用范围、使用方法使用农药的行政处罚", PESTICIDE, 60, 1, 1,
      basis="不按照农药的标签标注的使用范围、使用方法和剂量、使用技术要求和注意事项、安全间隔期使用农药的。",
      violated=f"{PESTICIDE}第三十四条", penalty=f"{PESTICIDE}第六十条第一款第（一）项", fine=(50000, 100000),
      kinds=(FINE,), lists=(choices.EXEMPT_OR_LIGHT_LIST,)),
    T("NYNC", "penalty", "对经营依法应当检疫而未经检疫的动物产品的行政处罚", ANIMAL, 100,
      basis="违反本法规定，屠宰、经营、运输的动物未附有检疫证明，经营和运输的动物产品未附有检疫证明、检疫标志的，由县级以上地方人民政府农业农村主管部门责令改正。",
      violated=f"{ANIMAL}第二十九条", penalty=f"{ANIMAL}第一百条", kinds=(FINE, GAINS)),
    T("NYNC", "penalty", "对销售农药残留超标的食用农产品的行政处罚", FARM_PRODUCE, 71, 1, 1,
      basis="农产品生产经营者生产经营农药、兽药等化学物质残留或者含有的重金属等有毒有害物质不符合农产品质量安全标准的农产品。",
      violated=f"{FARM_PRODUCE}第三十六条", penalty=f"{FARM_PRODUCE}第七十一条第一款第（一）项", fine=(100000, 150000),
      kinds=(FINE, GAINS, PROPERTY), grave=(REVOKE,)),
    T("NYNC", "penalty", "对在禁渔区、禁渔期进行捕捞的行政处罚", FISHERY, 38, 1,
      basis="使用炸鱼、毒鱼、电鱼等破坏渔业资源方法进行捕捞的，违反关于禁渔区、禁渔期的规定进行捕捞的，没收渔获物和违法所得，处五万元以下的罚款。",
      violated=f"{FISHERY}第三十条", penalty=f"{FISHERY}第三十八条第一款", fine=(0, 50000),
      kinds=(FINE, GAINS, PROPERTY), delegate=True),
    T("NYNC", "inspection", "对农产品质量安全的监督检查", FARM_PRODUCE, 54,
      basis="县级以上人民政府农业农村主管部门和市场监督管理等部门应当建立健全农产品质量安全全程监督管理协作机制。"),
    # -- 应急管理 ------------------------------------------------------------------
    T("YJGL", "penalty", "对未按照规定设置安全生产管理机构或者配备安全生产管理人员的行政处罚", SAFETY, 97, None, 1,
      basis="未按照规定设置安全生产管理机构或者配备安全生产管理人员、注册安全工程师的，责令限期改正，处十万元以下的罚款。",
      violated=f"{SAFETY}第二十四条", penalty=f"{SAFETY}第九十七条第（一）项", fine=(0, 100000),
      kinds=(FINE,), grave=(STOP,), since=D(2014, 12, 1),
      amended={"valid_from": D(2021, 9, 1), "reason": "《中华人民共和国安全生产法》2021年6月10日修正，条文序号调整",
               "old_article": 94}),
    T("YJGL", "penalty", "对未在有较大危险因素的场所设置明显安全警示标志的行政处罚", SAFETY, 99, None, 1,
      basis="未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志的，责令限期改正，处五万元以下的罚款。",
      violated=f"{SAFETY}第三十五条", penalty=f"{SAFETY}第九十九条第（一）项", fine=(0, 50000),
      kinds=(FINE,), grave=(STOP,), since=D(2014, 12, 1),
      amended={"valid_from": D(2021, 9, 1), "reason": "《中华人民共和国安全生产法》2021年6月10日修正，条文序号调整",
               "old_article": 96}, lists=(choices.EXEMPT_OR_LIGHT_LIST,)),
    T("YJGL", "penalty", "对生产经营单位未采取措施消除事故隐患的行政处罚", SAFETY, 102,
      basis="生产经营单位未采取措施消除事故隐患的，责令立即消除或者限期消除，处五万元以下的罚款。",
      violated=f"{SAFETY}第四十一条第二款", penalty=f"{SAFETY}第一百零二条", fine=(0, 50000), kinds=(FINE,),
      grave=(STOP,)),
    T("YJGL", "penalty", "对生产经营单位主要负责人未履行安全生产管理职责的行政处罚", SAFETY, 94, 1,
      basis="生产经营单位的主要负责人未履行本法规定的安全生产管理职责的，责令限期改正，处二万元以上五万元以下的罚款。",
      violated=f"{SAFETY}第二十一条", penalty=f"{SAFETY}第九十四条第一款", fine=(20000, 50000), kinds=(FINE,),
      grave=(STOP,)),
    T("YJGL", "penalty", "对未经许可经营、超许可范围经营危险化学品的行政处罚", HAZCHEM, 77, 3,
      basis="违反本条例规定，未取得危险化学品经营许可证从事危险化学品经营的，由安全生产监督管理部门责令停止经营活动，没收违法经营的危险化学品以及违法所得。",
      violated=f"{HAZCHEM}第三十三条第一款", penalty=f"{HAZCHEM}第七十七条第三款", fine=(100000, 200000),
      kinds=(FINE, GAINS, PROPERTY)),
    T("YJGL", "penalty", "对未经许可经营烟花爆竹制品的行政处罚", FIREWORKS, 36, 2,
      basis="对未经许可经营、超许可范围经营、许可证过期继续经营烟花爆竹的，责令停止非法经营活动，处2万元以上10万元以下的罚款，并没收非法经营的物品及违法所得。",
      violated=f"{FIREWORKS}第十六条", penalty=f"{FIREWORKS}第三十六条第二款", fine=(20000, 100000),
      kinds=(FINE, GAINS, PROPERTY), delegate=True),
    T("YJGL", "inspection", "对生产经营单位执行安全生产法律法规情况的监督检查", SAFETY, 65,
      basis="应急管理部门和其他负有安全生产监督管理职责的部门依法开展安全生产行政执法工作，对生产经营单位执行有关安全生产的法律、法规和国家标准或者行业标准的情况进行监督检查。"),
    T("YJGL", "coercion", "查封、扣押不符合保障安全生产的国家标准的设施、设备、器材", SAFETY, 65, 1, 4,
      basis="对有根据认为不符合保障安全生产的国家标准或者行业标准的设施、设备、器材以及违法生产、储存、使用、经营、运输的危险物品予以查封或者扣押。"),
]

COUNTY_AGENCY = {
    "SCJG": "云岭县市场监督管理局",
    "STHJ": "云岭县生态环境分局",
    "CSGL": "云岭县综合行政执法局",
    "ZRZY": "云岭县自然资源局",
    "NYNC": "云岭县农业农村局",
    "YJGL": "云岭县应急管理局",
}
# 青石县 has only two agencies: the comprehensive bureau carries the other fields' items.
OTHER_COUNTY_AGENCY = {
    "SCJG": "青石县市场监督管理局",
    **{code: "青石县综合行政执法局" for code in ("STHJ", "CSGL", "ZRZY", "NYNC", "YJGL")},
}
TOWNSHIPS = ["云岭镇综合行政执法办公室", "青川镇综合行政执法办公室", "白石镇综合行政执法办公室"]

ENTRY_TEXT = {
    choices.NO_PENALTY_LIST: (
        ("违法行为轻微并及时改正，没有造成危害后果的", ("违法行为轻微", "及时改正", "没有造成危害后果"),
         f"{PENALTY_LAW}第三十三条第一款"),
    ),
    choices.EXEMPT_OR_LIGHT_LIST: (
        ("初次违法且危害后果轻微并及时改正的（首违不罚）", FIRST_OFFENCE, f"{PENALTY_LAW}第三十三条第一款"),
    ),
    choices.LIGHTER_LIST: (
        ("主动消除或者减轻违法行为危害后果的", ("主动消除或者减轻违法行为危害后果",), f"{PENALTY_LAW}第三十二条第（一）项"),
    ),
    choices.REDUCED_LIST: (
        ("配合行政机关查处违法行为有立功表现的", ("配合查处有立功表现",), f"{PENALTY_LAW}第三十二条第（四）项"),
    ),
    choices.NO_COERCION_LIST: (
        ("违法行为情节显著轻微或者没有明显社会危害的", ("违法行为轻微", "社会危害性较小"), f"{COERCION_LAW}第十六条第二款"),
    ),
}


def _version_content(t: Template, article=None) -> dict:
    return {
        "name": t.name, "law_name": t.law, "article": article or t.article, "paragraph": t.paragraph,
        "item_no": t.item_no, "basis_text": t.basis,
        "penalty_basis": t.penalty if t.kind == "penalty" else "",
        "violated_provision": t.violated if t.kind == "penalty" else "",
    }


def _benchmark_tiers(t: Template):
    if t.fine is not None:
        return services.banded_tiers(t.fine[0], t.fine[1], kinds=t.kinds, grave_kinds=t.grave)
    from .models import BenchmarkTier

    kinds = list(t.kinds)
    heavy = kinds + [k for k in t.grave if k not in kinds]
    return [
        BenchmarkTier(level=choices.LIGHT, outcome=choices.LIGHTER, penalty_kinds=kinds,
                      description="初次违法，涉案货值金额或者违法所得较小，积极配合调查的；罚款按法定倍数幅度的下30%确定。"),
        BenchmarkTier(level=choices.ORDINARY, outcome=choices.STANDARD, penalty_kinds=kinds,
                      description="不具有从轻、减轻或者从重情节的；罚款按法定倍数幅度的30%–70%确定。"),
        BenchmarkTier(level=choices.SERIOUS, outcome=choices.HEAVIER, penalty_kinds=heavy,
                      description="违法行为持续时间长、涉案金额较大，或者拒不改正的；罚款按法定倍数幅度的上30%确定。"),
    ]


def _document(ctx, agency_name: str, year: int) -> str:
    prefix = {"市场监督管理局": "市监", "生态环境分局": "环", "综合行政执法局": "综执", "自然资源局": "自然资",
              "农业农村局": "农", "应急管理局": "应急"}
    short = next((v for k, v in prefix.items() if agency_name.endswith(k)), "执")
    county = agency_name[:2]
    return f"{county}{short}规〔{year}〕{ctx.rng.randint(1, 12)}号"


def load(ctx) -> None:
    """Create the demo catalog and set ``ctx.items``."""
    fields = dict(getattr(ctx, "fields", {}) or {})
    fields["NYNC"] = EnforcementField.objects.get_or_create(code="NYNC", defaults={"name": "农业农村"})[0]
    for code, name in (("SCJG", "市场监管"), ("STHJ", "生态环境"), ("CSGL", "城市管理"), ("ZRZY", "自然资源"),
                       ("YJGL", "应急管理")):
        if code not in fields:
            fields[code] = EnforcementField.objects.get_or_create(code=code, defaults={"name": name})[0]
    ctx.fields = fields
    agencies = ctx.agencies
    townships = [agencies[name] for name in TOWNSHIPS if name in agencies]
    today = ctx.today
    items = []
    plans = [(COUNTY_AGENCY, True), (OTHER_COUNTY_AGENCY, False)]
    for owners, main_county in plans:
        counters = {}
        for t in TEMPLATES:
            agency = agencies.get(owners.get(t.field, ""))
            if agency is None:
                continue
            kind_code = choices.ITEM_KIND_CODES[t.kind]
            counters[(t.field, kind_code)] = counters.get((t.field, kind_code), 0) + 1
            code = f"{t.field}-{kind_code}-{counters[(t.field, kind_code)]:04d}"
            amended = t.amended if main_county else None
            first_from = t.since
            first_article = amended.get("old_article") if amended else None
            item = services.create_item(
                agency=agency, code=code, kind=t.kind, field=fields[t.field], valid_from=first_from,
                version=_version_content(t, article=first_article),
            )
            if amended:
                services.revise_item(item, _version_content(t), None, amended["valid_from"], amended["reason"])
            items.append(item)
            if t.kind == "penalty":
                year = max(2022, (amended or {}).get("valid_from", first_from).year)
                # Reviewed every three years; one benchmark in seven is overdue for review.
                overdue = len(items) % 7 == 0
                review_due = today - datetime.timedelta(days=ctx.rng.randint(10, 90)) if overdue else max(
                    D(year + 3, 3, 1), today + datetime.timedelta(days=ctx.rng.randint(60, 900))
                )
                services.issue_benchmark(
                    item,
                    {"valid_from": D(year, 3, 1), "review_due": max(review_due, D(year, 3, 1)),
                     "document": _document(ctx, agency.name, year),
                     "statutory_min": t.fine[0] if t.fine else None, "statutory_max": t.fine[1] if t.fine else None,
                     "note": "依据国办发〔2022〕27号，按法定幅度划分裁量阶次。"},
                    _benchmark_tiers(t),
                )
            if main_county and t.delegate:
                _delegate(ctx, item, townships, today)
            for list_kind in t.lists:
                for circumstances, conditions, basis in ENTRY_TEXT[list_kind]:
                    entry = SpecialListEntry(
                        list_kind=list_kind, item=item, circumstances=f"{t.name.removeprefix('对').removesuffix('的行政处罚')}，{circumstances}",
                        conditions=list(conditions), legal_basis=basis, document=_document(ctx, agency.name, 2023),
                        valid_from=D(2023, 1, 1), review_due=D(2026, 1, 1), reviewed_on=D(2024, 12, 20),
                    )
                    entry.full_clean()
                    entry.save()
    ctx.items = items


def _delegate(ctx, item, townships, today):
    """Delegate an item to the township offices (赋权); one delegation has already ended."""
    for index, township in enumerate(townships):
        ended = index == 2 and item.field.code == "SCJG"
        delegation = Delegation(
            item=item, agency=township, start_date=D(2022, 1, 1),
            end_date=D(2023, 12, 31) if ended else None,
            document_number=f"云政发〔2021〕{ctx.rng.randint(20, 60)}号",
            note="依据《关于赋予乡镇（街道）部分县级行政执法权限的决定》。",
        )
        delegation.full_clean()
        delegation.save()
