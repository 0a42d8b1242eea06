"""Demo inspections (``manage.py load_demo``, after the apps' own demo data): the published caps of
云岭县's agencies, a joint inspection of one enterprise by three agencies (综合查一次, 一表通查), an
inspection whose finding opened a penalty case, a 责令改正 followed by a 复查, an emergency inspection
awaiting its approval, an unscanned visit and two separate visits of one enterprise by two agencies
(both flagged by the problem models), and the enterprise's own evaluation on the portal."""

import datetime

from zhifa.core import clock
from zhifa.people.services import may_act

from ..models.inspection import Inspection
from . import services

COUNTY = "云岭县"
MARKET = "云岭县市场监督管理局"
JOINT = ("云岭县市场监督管理局", "云岭县生态环境分局", "云岭县应急管理局")


def _team(ctx, agency, item, on, prefer=None):
    """Two (or more) officers of ``agency`` who may act on ``item``, ``prefer``'s officer first."""
    able = [o for o in ctx.officers if o.home_agency_id == agency.pk and o.kind == "officer" and o.is_active
            and may_act(o, item, on).allowed]
    able.sort(key=lambda o: (not (o.user and o.user.username == prefer), o.pk))
    return able[:2]


def _item(ctx, agency):
    return next((i for i in ctx.items if i.kind == "inspection" and i.agency_id == agency.pk
                 and i.status == "in_force"), None)


def load(ctx):
    users = ctx.users
    today = clock.today()
    year = today.year
    market = ctx.agencies[MARKET]
    officer = users["market_officer"]
    head = users["market_head"]
    for name, cap in ((MARKET, 2), ("云岭县生态环境分局", 2), ("云岭县应急管理局", 3), ("云岭县综合行政执法局", 2)):
        services.set_cap(actor=head if name == MARKET else _admin(ctx), agency=ctx.agencies[name], year=year,
                         max_per_enterprise=cap, basis=f"{name}关于公布{year}年涉企行政检查频次上限的通告")
    companies = [p for p in ctx.parties if p.kind == "legal" and p.credit_code
                 and p.region.path.startswith(ctx.regions[COUNTY].path)]
    market_item = _item(ctx, market)
    team = _team(ctx, market, market_item, today, prefer="market_officer")
    if market_item is None or len(team) < 2 or len(companies) < 6:
        return

    def at(days_ago, hour=10):
        return clock.on_day(today - datetime.timedelta(days=days_ago), hour)

    def scan_in(inspection, days_ago, actor=officer):
        code = services.code_for(inspection.party).code
        with at(days_ago, 9):
            services.perform(inspection, "notify", actor=actor, method="on_site")
            return services.perform(inspection, "arrive", actor=actor, code=code, method="scan",
                                    place=inspection.place, latitude="34.210311", longitude="108.943120")

    # 1. A joint inspection of one enterprise by three agencies: one visit, one team, one checklist.
    joint_company = companies[0]
    agencies = [ctx.agencies[n] for n in JOINT]
    items = [_item(ctx, a) for a in agencies]
    joint_team = []
    for agency, item in zip(agencies, items, strict=True):
        joint_team += _team(ctx, agency, item, today, prefer="market_officer") if item else []
    if all(items) and len(joint_team) >= 6:
        with at(14):
            joint = services.create_inspection(
                actor=officer, agency=market, party=joint_company, items=items, officers=joint_team,
                planned_on=today - datetime.timedelta(days=12), place=joint_company.address or "企业经营场所",
                subject="食品、环保、安全生产综合查一次", kind="special", origin_kind="campaign",
                origin_reference=f"云岭县{year}年涉企“综合查一次”专项行动方案")
            services.perform(joint, "approve", actor=head, opinion="同意，三部门联合检查，一表通查。")
        scan_in(joint, 12)
        with at(12, 11):
            services.perform(joint, "record", actor=officer, findings="三部门按一张检查表逐项检查，未发现问题。",
                             lines={line.pk: ("compliant", "") for line in joint.lines.all()})
            services.perform(joint, "conclude", actor=officer)
        with at(10):
            services.perform(joint, "publish", actor=officer, summary="综合查一次：食品、环保、安全生产均未发现问题。")
        services.evaluate(joint_company, joint.pk, rating=5, comment="三个部门一次查完，没有重复打扰，很满意。")
        # the enterprise's own view (/public/enterprise-inspections/): load_demo prints how to enter it
        ctx.enterprise_view = (joint_company.name, joint_company.credit_code, services.code_for(joint_company).code)

    # 2. A finding that opened a penalty case, carrying the record and its evidence over.
    company = companies[1]
    with at(9, 8):
        found = services.create_inspection(
            actor=officer, agency=market, party=company, items=[market_item], officers=team,
            planned_on=today - datetime.timedelta(days=8), place=company.address or "企业经营场所",
            subject="双随机抽查：食品经营日常监督检查", origin_kind="draw",
            origin_reference=f"云岭县市场监管局{year}年第3批双随机抽查")
        services.perform(found, "approve", actor=head, opinion="同意。")
    scan_in(found, 8)
    penalty_item = next((i for i in ctx.items if i.kind == "penalty" and i.agency_id == market.pk
                         and i.status == "in_force"), None)
    with at(8, 10):
        from django.core.files.base import ContentFile

        from zhifa.records.services import store_file

        photo = store_file(ContentFile(_PNG), "冷藏柜照片.png", "image/png")
        services.add_evidence(found, photo, actor=users["market_auxiliary"], kind="audiovisual", title="冷藏柜内过期冻品照片",
                              captured_at=clock.now(), description="证明冷藏柜内存放超过保质期的冻品。",
                              place_text=found.place)
    with at(8, 11):
        line = found.lines.get()
        services.perform(found, "record", actor=officer, findings="后厨冷藏柜内存放超过保质期的冷冻肉品6千克，未作停用标识。",
                         lines={line.pk: ("problem", "超过保质期的冷冻肉品6千克")})
        if penalty_item is not None:
            line.refresh_from_db()
            services.perform(found, "open_case", actor=officer, line=line, penalty_item=penalty_item,
                             facts="当事人经营超过保质期的冷冻肉品6千克。")

    # 3. 责令改正 with its 复查 due; 4. an enterprise inspected by two agencies separately (flagged);
    # 5. an emergency inspection awaiting its approval, entered without a scan (flagged twice).
    company = companies[2]
    with at(6):
        correcting = services.create_inspection(
            actor=officer, agency=market, party=company, items=[market_item], officers=team,
            planned_on=today - datetime.timedelta(days=6), place=company.address or "企业经营场所", subject="日常监督检查")
        services.perform(correcting, "approve", actor=head)
    scan_in(correcting, 5)
    with at(5, 11):
        line = correcting.lines.get()
        services.perform(correcting, "record", actor=officer, findings="从业人员健康证明2份已过期。",
                         lines={line.pk: ("problem", "健康证明过期")})
        services.perform(correcting, "order_correction", actor=officer, requirements="组织从业人员重新体检，取得健康证明后上岗。",
                         due_on=today + datetime.timedelta(days=5))

    company = companies[3]
    zonghe = ctx.agencies["云岭县综合行政执法局"]
    city_item = _item(ctx, zonghe)
    city_team = _team(ctx, zonghe, city_item, today, prefer="zonghe_officer") if city_item else []
    with at(4):
        first = services.create_inspection(
            actor=officer, agency=market, party=company, items=[market_item], officers=team,
            planned_on=today - datetime.timedelta(days=4), place=company.address or "企业经营场所", subject="日常监督检查")
        services.perform(first, "approve", actor=head)
    if city_item is not None and len(city_team) == 2 and "zonghe_officer" in users:
        with at(3):
            services.create_inspection(
                actor=users["zonghe_officer"], agency=zonghe, party=company, items=[city_item], officers=city_team,
                planned_on=today - datetime.timedelta(days=2), place=company.address or "企业经营场所",
                subject="门前责任区检查")

    company = companies[4]
    with at(1, 15):
        urgent = services.create_inspection(
            actor=officer, agency=market, party=company, items=[market_item], officers=team, planned_on=today
            - datetime.timedelta(days=1), place=company.address or "企业经营场所", subject="投诉反映销售过期食品",
            kind="case", origin_kind="complaint", origin_reference="12345-2026-118301", emergency=True,
            emergency_reason="投诉人反映正在销售过期食品，需立即核查", cap_exception="complaint",
            cap_exception_reason="12345热线工单12345-2026-118301")
    # the enterprise complains about that visit on its portal page: a 对执法行为的投诉 in 投诉举报 for the supervisor
    services.evaluate(company, urgent.pk, rating=2, comment="检查人员进场时未扫监管码，也未出示行政检查审批表。",
                      is_complaint=True, contact_name="周经理", contact_phone="13909190001")
    ctx.inspections = Inspection.objects.filter(pk__in=[urgent.pk, correcting.pk, found.pk])
    ctx.inspection_portal_party = joint_company


# a 1×1 PNG: the demo's photo evidence
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201e2219bc70000000049454e44ae426082")


def _admin(ctx):
    from zhifa.accounts.models import User

    return User.objects.get(username="sysadmin")
