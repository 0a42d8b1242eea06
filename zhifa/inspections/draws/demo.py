"""Demo data of 双随机、一公开: the published random-inspection list of 云岭县市场监督管理局 and
云岭县生态环境分局, their inspector registers (one inspector living in 云岭镇), a declared relation,
the published joint annual plan and one completed public draw (two witnesses and a lottery result)
that ``python3 scripts/rerun_draw.py http://127.0.0.1:8000/public/open-data/draws/<id>.json`` re-runs."""

from zhifa.inspections.models import ConflictDeclaration, InspectionListEntry, InspectionPlan, InspectorEntry
from zhifa.parties.models import Party

from . import services

LEAD = "云岭县市场监督管理局"
JOINT = "云岭县生态环境分局"
POPULATION = {LEAD: "云岭县登记的食品生产经营者", JOINT: "云岭县排污许可登记的企业"}


def load(ctx) -> None:
    lead, joint = ctx.agencies.get(LEAD), ctx.agencies.get(JOINT)
    operator = ctx.users.get("market_head")
    system = ctx.users.get("sysadmin")
    if lead is None or joint is None or operator is None:
        return
    entries = {}
    for agency in (lead, joint):
        for item in [i for i in ctx.items if i.agency_id == agency.pk and i.kind == "inspection"]:
            entry = services.save_entry(InspectionListEntry(
                agency=agency, item=item, population_rule=POPULATION[agency.name],
                target_kind="all" if agency == lead else "enterprise", ratio=500), system)
            services.publish_entry(entry, system)
            entries.setdefault(agency.name, []).append(entry)
    if not entries.get(LEAD) or not entries.get(JOINT):
        return
    township = ctx.regions.get("云岭镇")
    for agency in (lead, joint):
        officers = [o for o in ctx.officers if o.home_agency_id == agency.pk and o.kind == "officer" and o.is_active]
        for index, officer in enumerate(officers):
            services.register_inspector(InspectorEntry(
                agency=agency, officer=officer, home_region=township if index == 0 else None,
                note="户籍在云岭镇，回避该镇的检查对象" if index == 0 else ""), system)
    parties = list(Party._base_manager.filter(region_path__startswith=lead.region.path,
                                              kind__in=("legal", "other_org")).order_by("id")[:1])
    registered = [e.officer for e in InspectorEntry._base_manager.filter(agency=lead).select_related("officer")]
    if parties and len(registered) > 1:
        services.declare_conflict(ConflictDeclaration(
            officer=registered[1], party=parties[0], relation="kin", declared_on=ctx.today,
            note="配偶在该企业任职"), system)
    plan = services.save_plan(InspectionPlan(
        year=ctx.today.year, title="市场监管与生态环境部门联合双随机抽查计划", agency=lead,
        note="按企业信用风险分类确定抽查比例，A类3%、B类5%、C类10%、D类30%，总体不低于5%。"), operator,
        participants=[joint])
    for quarter, entry in enumerate([entries[LEAD][0], entries[JOINT][0]], start=2):
        services.add_plan_item(plan, entry, system, quarter=quarter)
    services.publish_plan(plan, system)
    draw = services.create_draw(plan, system, number=f"云市监抽〔{ctx.today.year}〕1号",
                                title="食品经营与排污单位联合双随机抽查", entries=[entries[LEAD][0], entries[JOINT][0]],
                                draw_date=ctx.today)
    services.freeze(draw, system)
    services.add_witness(draw, system, name="企业代表 李经理", value="4729")
    services.add_witness(draw, system, name="县司法局 吴监督", value="1836")
    services.set_lottery(draw, system, name="中国福利彩票3D", issue=f"{ctx.today.year}320", value="5 8 1",
                         date=ctx.today)
    services.complete(draw, system)
    ctx.draw = draw
