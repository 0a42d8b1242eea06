"""Demo roster of the fictional 秦川市: about 70 officers and 16 auxiliaries across the demo
agencies, with certificates (a few suspended, one revoked, one cancelled, some expired, one
overdue for its annual review), legal reviewers (in-house, 公职律师, one 法律顾问), officers
dispatched (派驻) from the county comprehensive bureau to the three township teams, and two
years of training records in which most officers meet the rules and some do not.

The demo users of ``zhifa.core.demo`` are linked to their roster entries, so that
``may_act(user, item)`` answers for them.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from zhifa.core.audit import log_bulk_create
from zhifa.core.validators import id_number_check_char
from zhifa.orgs.models import EnforcementField, Unit

from . import services
from .models import Officer, TrainingRecord

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
MALE_GIVEN = ["建国", "志强", "伟", "军", "斌", "海涛", "俊杰", "明远", "永刚", "国平", "晓东", "鹏", "磊", "振华",
              "文博", "浩然", "宏伟", "立新", "德胜", "卫东", "春生", "少华", "光辉", "建军"]
FEMALE_GIVEN = ["秀英", "丽", "敏", "静", "丽娟", "艳", "芳", "娜", "晓燕", "雪梅", "玉兰", "欣怡", "婷", "慧", "春燕",
                "海燕", "晓红", "丹", "萍", "彩霞", "亚楠", "梦瑶", "佳琪", "文静"]

# agency name -> (officers, auxiliaries, field codes, reviewers [(kind, qualification, law degree)])
# Reviewer rows are chosen to show the staffing checks: 农业农村局 has none (below 5%),
# 自然资源局's only reviewer has neither qualification nor law degree (below 50%).
ROSTER = {
    "云岭县综合行政执法局": (12, 2, ["CSGL", "ZRZY", "STHJ"],
                     [("in_house", True, True), ("public_lawyer", True, True), ("legal_adviser", True, True)]),
    "云岭县市场监督管理局": (7, 2, ["SCJG"], [("in_house", True, True)]),
    "云岭县生态环境分局": (5, 0, ["STHJ"], [("public_lawyer", True, False)]),
    "云岭县自然资源局": (5, 0, ["ZRZY"], [("in_house", False, False)]),
    "云岭县农业农村局": (5, 0, ["NYNC"], []),
    "云岭县应急管理局": (5, 0, ["YJGL"], [("in_house", False, True)]),
    "云岭镇综合行政执法办公室": (5, 3, ["CSGL", "ZRZY"], [("in_house", False, True)]),
    "青川镇综合行政执法办公室": (3, 3, ["CSGL", "ZRZY"], []),
    "白石镇综合行政执法办公室": (6, 4, ["CSGL", "ZRZY"], []),
    "青石县市场监督管理局": (5, 1, ["SCJG"], [("in_house", True, True)]),
    "青石县综合行政执法局": (4, 1, ["CSGL"], [("in_house", False, True)]),
    "云岭县司法局": (3, 0, [], []),
    "秦川市司法局": (2, 0, [], []),
}
EXPIRED_IN = ("云岭县生态环境分局", "青石县综合行政执法局", "云岭县综合行政执法局")
TOWNSHIP_OFFICES = ["云岭镇综合行政执法办公室", "青川镇综合行政执法办公室", "白石镇综合行政执法办公室"]
# demo user -> (agency, surname, kind, male?)
USER_LINKS = {
    "market_officer": ("云岭县市场监督管理局", "李", Officer.KIND_OFFICER, True),
    "market_reviewer": ("云岭县市场监督管理局", "孙", Officer.KIND_OFFICER, False),
    "market_auxiliary": ("云岭县市场监督管理局", "赵", Officer.KIND_AUXILIARY, True),
    "zonghe_officer": ("云岭县综合行政执法局", "钱", Officer.KIND_OFFICER, True),
    "qingchuan_officer": ("青川镇综合行政执法办公室", "陈", Officer.KIND_OFFICER, True),
    "qingshi_officer": ("青石县市场监督管理局", "冯", Officer.KIND_OFFICER, False),
    "supervisor": ("云岭县司法局", "吴", Officer.KIND_OFFICER, True),
    "city_supervisor": ("秦川市司法局", "周", Officer.KIND_OFFICER, True),
}
POSTS = ["科员", "一级科员", "四级主任科员", "三级主任科员", "中队长", "副中队长", "执法队员", "二级主任科员"]
AUX_POSTS = ["协管员", "执法辅助员", "网格协管员"]

PUBLIC_LAW = ["习近平法治思想专题学习", "《中华人民共和国行政处罚法》专题培训", "《中华人民共和国行政复议法》（2023年修订）解读",
              "宪法宣传周专题讲座", "《中华人民共和国民法典》与行政执法衔接"]
PROFESSIONAL = {
    "SCJG": ["食品安全抽检与案件查办实务", "《中华人民共和国反不正当竞争法》执法要点"],
    "STHJ": ["生态环境行政处罚自由裁量基准适用", "排污许可证后监管执法培训"],
    "ZRZY": ["违法占地与违法建设查处实务", "《中华人民共和国土地管理法实施条例》解读"],
    "NYNC": ["农药兽药质量监管执法培训", "《中华人民共和国种子法》执法要点"],
    "YJGL": ["安全生产行政执法程序规范", "《中华人民共和国安全生产法》（2021年修正）解读"],
    "CSGL": ["城市管理综合执法业务培训", "《城市市容和环境卫生管理条例》适用"],
}
PRACTICE = ["行政执法文书制作规范培训", "执法记录仪使用与音像记录规范", "行政执法案卷评查交叉学习", "现场执法礼仪与突发事件处置"]
PROVIDERS = ["秦川市司法局", "云岭县司法局", "秦川市委党校", "陕西省市场监督管理局培训中心", "本单位"]


class _Numbers:
    """Unique identity and certificate numbers for the demo."""

    def __init__(self, rng):
        self.rng = rng
        self.used = set(Officer.objects.values_list("id_number", flat=True))
        self.cert_seq = 0

    def id_number(self, region_code: str, male: bool) -> str:
        while True:
            birth = datetime.date(1968, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 30 * 365))
            seq = self.rng.randint(0, 399) * 2 + (1 if male else 0)  # 001–799, odd = male
            first17 = f"{region_code[:6]}{birth:%Y%m%d}{seq:03d}"
            number = first17 + id_number_check_char(first17)
            if number not in self.used:
                self.used.add(number)
                return number

    def certificate(self, region_code: str, issued: datetime.date) -> str:
        self.cert_seq += 1
        return f"{region_code[:6]}{issued:%y}{self.cert_seq:04d}"


def _name(rng, surname=None, male=True):
    return (surname or rng.choice(SURNAMES)) + rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)


def _issuer(agency) -> str:
    region = agency.region
    county = region.parent if region.level == "township" else region
    return f"{county.name}人民政府"


def _units(agency):
    return list(Unit.objects.filter(agency=agency).order_by("id"))


def _make_person(ctx, numbers, agency, *, kind, surname=None, male=None, **extra):
    rng = ctx.rng
    male = rng.random() < 0.7 if male is None else male
    units = [u for u in _units(agency) if u.kind != "internal"] or _units(agency)
    officer = Officer(
        name=_name(rng, surname, male), id_number=numbers.id_number(agency.region.code, male), kind=kind,
        home_agency=agency, unit=rng.choice(units) if units else None,
        post=rng.choice(AUX_POSTS if kind == Officer.KIND_AUXILIARY else POSTS),
        phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}", **extra,
    )
    officer.full_clean()
    officer.save()
    return officer


def _fields(ctx):
    result = dict(ctx.fields)
    result["NYNC"], _ = EnforcementField.objects.get_or_create(code="NYNC", defaults={"name": "农业农村"})
    return result


def _issue(ctx, numbers, officer, field_objs, *, years_ago=None, expired=False, review_on=None):
    """Issue a certificate with realistic dates; ``expired`` gives one whose term has ended."""
    rng, today = ctx.rng, ctx.today
    if expired:
        expires = today - datetime.timedelta(days=rng.randint(20, 200))
        issued = expires - datetime.timedelta(days=5 * 365)
    else:
        age = years_ago if years_ago is not None else rng.randint(1, 4)
        issued = today - datetime.timedelta(days=age * 365 + rng.randint(30, 300))
        expires = issued + datetime.timedelta(days=6 * 365)
    review = review_on
    if review is None and not expired and issued.year < today.year:
        review = max(issued, min(today, datetime.date(today.year, 1, 10) + datetime.timedelta(days=rng.randint(0, 50))))
    return services.issue_certificate(
        officer, number=numbers.certificate(officer.home_agency.region.code, issued), fields=field_objs,
        issuing_authority=_issuer(officer.home_agency), issued_on=issued, expires_on=expires,
        reason="经行政执法资格考试合格，准予发证", last_review_on=review,
    )


def _training(ctx, officer, field_codes, township: bool, meets: bool, year: int) -> list:
    """One year of training for an officer; ``meets`` decides whether the rules are met."""
    rng, today = ctx.rng, ctx.today
    records = []

    def add(title, kind, hours, days):
        date = datetime.date(year, rng.randint(1, 11), rng.randint(1, 28))
        if date > today:
            return
        records.append(TrainingRecord(
            officer=officer, date=date, title=f"{title}（{year}年）", kind=kind, hours=Decimal(hours),
            days=Decimal(days), provider=rng.choice(PROVIDERS),
        ))

    public = rng.sample(PUBLIC_LAW, 3)
    professional = PROFESSIONAL.get(field_codes[0] if field_codes else "CSGL", PROFESSIONAL["CSGL"])
    practice = rng.sample(PRACTICE, 2)
    if meets:
        for title in public:
            add(title, "public_law", "8", "1")
        for title in professional:
            add(title, "professional", "12", "1.5")
        for title in practice:
            add(title, "practice", "8", "1")
        if township:
            add("乡镇（街道）综合行政执法人员集中轮训", "practice", "40", "10")
    else:
        shortfall = rng.choice(["public_law", "hours", "days"] if township else ["public_law", "hours"])
        if shortfall == "public_law":
            add(public[0], "public_law", "8", "1")
            for title in professional:
                add(title, "professional", "16", "2")
            for title in practice:
                add(title, "practice", "12", "1.5")
        elif shortfall == "hours":
            add(public[0], "public_law", "12", "1.5")
            add(public[1], "public_law", "8", "1")
            add(professional[0], "professional", "12", "1.5")
            add(practice[0], "practice", "6", "1")
        else:  # township staff with enough hours but too few days
            for title in public:
                add(title, "public_law", "8", "1")
            for title in professional:
                add(title, "professional", "12", "1.5")
            for title in practice:
                add(title, "practice", "8", "1")
    return records


@transaction.atomic
def load(ctx) -> None:
    """Create the demo roster, certificates and training; set ``ctx.officers``."""
    rng, today = ctx.rng, ctx.today
    numbers = _Numbers(rng)
    fields = _fields(ctx)
    users = getattr(ctx, "users", {}) or {}
    officers, field_codes_of = [], {}
    linked = {agency: [] for agency in ROSTER}
    for username, (agency_name, surname, kind, male) in USER_LINKS.items():
        linked[agency_name].append((username, surname, kind, male))

    for agency_name, (n_officers, n_aux, codes, reviewers) in ROSTER.items():
        agency = ctx.agencies.get(agency_name)
        if agency is None:
            continue
        supervision = agency.kind == "supervision"
        people = []
        pending = list(linked[agency_name])
        queue = list(reviewers)
        for i in range(n_officers + n_aux):
            kind = Officer.KIND_OFFICER if i < n_officers else Officer.KIND_AUXILIARY
            extra = {"is_supervisor": supervision}
            link = next((p for p in pending if p[2] == kind), None)
            surname = male = None
            if link:
                pending.remove(link)
                username, surname, _, male = link
                extra["user"] = users.get(username)
                if username == "market_reviewer" and queue:
                    queue.pop(0)
                    extra.update(is_legal_reviewer=True, reviewer_kind="in_house", has_law_degree=True,
                                 legal_qualification=f"A{today.year - 6}61{rng.randint(100000, 999999)}")
            elif kind == Officer.KIND_OFFICER and queue:
                reviewer_kind, qualified, degree = queue.pop(0)
                extra.update(is_legal_reviewer=True, reviewer_kind=reviewer_kind, has_law_degree=degree,
                             legal_qualification=f"A{rng.randint(2008, today.year - 2)}61{rng.randint(100000, 999999)}"
                             if qualified else "")
            person = _make_person(ctx, numbers, agency, kind=kind, surname=surname, male=male, **extra)
            people.append(person)
            field_codes_of[person.pk] = codes
        officers.extend(people)

        holders = [p for p in people if p.kind == Officer.KIND_OFFICER and p.reviewer_kind != "legal_adviser"]
        if supervision or not codes:
            continue
        for index, person in enumerate(holders):
            field_objs = [fields[c] for c in codes]
            if index == 2 and agency_name in EXPIRED_IN:
                _issue(ctx, numbers, person, field_objs, expired=True)
            elif index == 1 and agency_name == "青川镇综合行政执法办公室":
                # Issued years ago and reviewed last year only: overdue once this year's deadline passes.
                _issue(ctx, numbers, person, field_objs, years_ago=3, review_on=datetime.date(today.year - 1, 2, 20))
            else:
                _issue(ctx, numbers, person, field_objs)

    _special_cases(ctx, officers)
    _dispatch(ctx, officers, field_codes_of)

    trainings = []
    for officer in officers:
        if officer.kind != Officer.KIND_OFFICER or not officer.is_active:
            continue
        township = officer.home_agency.region.level == "township" or officer.dispatched_to_id is not None
        codes = field_codes_of.get(officer.pk) or ["CSGL"]
        for year in (today.year - 1, today.year):
            trainings.extend(_training(ctx, officer, codes, township, rng.random() < 0.7, year))
    TrainingRecord.objects.bulk_create(trainings, batch_size=1000)
    log_bulk_create(trainings, note="演示数据")
    ctx.officers = officers


def _special_cases(ctx, officers):
    """Suspended, revoked, cancelled and failed-review certificates (through the services)."""
    rng, today = ctx.rng, ctx.today

    def holder(agency_name, skip=1):
        for officer in officers:
            if officer.home_agency.name == agency_name and officer.kind == Officer.KIND_OFFICER \
                    and not officer.user_id and officer.certificates.exists():
                if skip == 0:
                    return officer
                skip -= 1
        return None

    def cert_of(officer):
        return officer.certificates.order_by("-issued_on").first() if officer else None

    suspend_on = today - datetime.timedelta(days=rng.randint(5, 40))
    for agency_name, reason in (
        ("云岭县市场监督管理局", "涉嫌在食品抽检案件中违反法定程序，调查期间暂扣执法证"),
        ("白石镇综合行政执法办公室", "年度考核不称职，暂扣执法证并参加脱产培训"),
    ):
        cert = cert_of(holder(agency_name))
        if cert is not None:
            services.suspend(cert, None, reason, on=max(suspend_on, cert.issued_on))
    cert = cert_of(holder("云岭县自然资源局"))
    if cert is not None:
        services.record_annual_review(cert, False, None, "年度审验未参加法律知识考试，审验不合格", on=max(
            cert.issued_on, today - datetime.timedelta(days=rng.randint(1, 20))))
    cert = cert_of(holder("云岭县应急管理局"))
    if cert is not None:
        services.revoke(cert, None, "受到开除处分，依法收回行政执法证", on=max(cert.issued_on, today - datetime.timedelta(days=60)))
    retired = holder("云岭县农业农村局")
    cert = cert_of(retired)
    if cert is not None:
        services.cancel(cert, None, "本人退休，注销行政执法证", on=max(cert.issued_on, today - datetime.timedelta(days=90)))
        retired.is_active = False
        retired.save(update_fields=["is_active"])


def _dispatch(ctx, officers, field_codes_of):
    """Dispatch (派驻) one certified officer of the county comprehensive bureau to each township team."""
    today = ctx.today
    county = [
        o for o in officers
        if o.home_agency.name == "云岭县综合行政执法局" and o.kind == Officer.KIND_OFFICER and not o.is_legal_reviewer
        and not o.user_id and o.certificates.usable_on(today).exists()
    ]
    for officer, office_name in zip(county, TOWNSHIP_OFFICES, strict=False):
        office = ctx.agencies.get(office_name)
        teams = [u for u in _units(office) if u.kind == "township_team"] if office else []
        if not teams:
            continue
        officer.dispatched_to = teams[0]
        officer.dispatched_from = datetime.date(today.year - 1, 3, 1)
        officer.post = "派驻乡镇执法队员"
        officer.full_clean()
        officer.save()
