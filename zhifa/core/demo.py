"""The demo data set: a fictional city (秦川市) with two counties, a 1+5+3 agency set-up in
云岭县, and a user for every role. Each domain app adds its own part through
``zhifa.<app>.demo.load(ctx)``, in dependency order."""

import importlib
import random
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from zhifa.accounts import roles
from zhifa.accounts.models import User
from zhifa.orgs.models import Agency, Region, Unit

from .audit import acting_as
from .testing import fields

DEMO_PASSWORD = "demo-2026"
APPS = ["people", "catalog", "parties", "cases", "review", "publicity", "portal", "statistics", "supervision", "exchange"]
# Demo modules that are not an app's ``demo`` module, loaded after the apps' own.
EXTRA_DEMOS = ["zhifa.supervision.demo_evaluation", "zhifa.supervision.demo_assessment", "zhifa.supervision.complaints.demo",
               "zhifa.inspections.draws.demo", "zhifa.inspections.acts.demo", "zhifa.inspections.devices.demo",
               "zhifa.coordination.demo", "zhifa.coordination.grid.demo", "zhifa.mobile.demo", "zhifa.workspace.demo",
               "zhifa.cases.signing.demo", "zhifa.records.demo"]

REGIONS = [
    ("610000", "陕西省", None),
    ("619900", "秦川市", "610000"),
    ("619921", "云岭县", "619900"),
    ("619922", "青石县", "619900"),
    ("619921001", "云岭镇", "619921"),
    ("619921002", "青川镇", "619921"),
    ("619921003", "白石镇", "619921"),
]

# name, short name, region code, kind, legal status, address, phone, units
AGENCIES = [
    ("秦川市司法局", "市司法局", "619900", "supervision", "organ", "秦川市政务大道1号", "0919-6100100",
     [("行政执法协调监督科", "internal")]),
    ("云岭县司法局", "县司法局", "619921", "supervision", "organ", "云岭县府前街8号", "0919-6210012",
     [("行政执法协调监督股", "internal"), ("云岭司法所", "internal")]),
    ("云岭县综合行政执法局", "县综合执法局", "619921", "comprehensive", "organ", "云岭县新城路18号", "0919-6213300",
     [("法制审核科", "internal"), ("第一执法中队", "squad"), ("第二执法中队", "squad"), ("第三执法中队", "squad")]),
    ("云岭县市场监督管理局", "县市场监管局", "619921", "professional", "organ", "云岭县人民路66号", "0919-6215315",
     [("法制审核股", "internal"), ("稽查大队", "squad"), ("食品安全监管股", "internal")]),
    ("云岭县生态环境分局", "县生态环境分局", "619921", "professional", "organ", "云岭县滨河路9号", "0919-6212369",
     [("生态环境保护综合执法大队", "squad")]),
    ("云岭县自然资源局", "县自然资源局", "619921", "professional", "organ", "云岭县建设路21号", "0919-6211536",
     [("自然资源执法监察大队", "squad")]),
    ("云岭县农业农村局", "县农业农村局", "619921", "professional", "organ", "云岭县丰收路3号", "0919-6216012",
     [("农业综合行政执法大队", "squad")]),
    ("云岭县应急管理局", "县应急管理局", "619921", "professional", "organ", "云岭县安康路12号", "0919-6218350",
     [("应急管理综合行政执法大队", "squad")]),
    ("云岭镇综合行政执法办公室", "云岭镇执法办", "619921001", "comprehensive", "authorised", "云岭镇正街1号",
     "0919-6220110", [("云岭镇综合执法队", "township_team")]),
    ("青川镇综合行政执法办公室", "青川镇执法办", "619921002", "comprehensive", "authorised", "青川镇河东路5号",
     "0919-6230110", [("青川镇综合执法队", "township_team")]),
    ("白石镇综合行政执法办公室", "白石镇执法办", "619921003", "comprehensive", "authorised", "白石镇兴隆街2号",
     "0919-6240110", [("白石镇综合执法队", "township_team")]),
    ("青石县市场监督管理局", "青石县市场监管局", "619922", "professional", "organ", "青石县解放路10号", "0919-6315315",
     [("稽查大队", "squad")]),
    ("青石县综合行政执法局", "青石县综合执法局", "619922", "comprehensive", "organ", "青石县东风路7号", "0919-6313300",
     [("第一执法中队", "squad")]),
]

# username, display name, role, node kind, node name
USERS = [
    ("sysadmin", "系统管理员", roles.SYSTEM_ADMIN, "region", "云岭县"),
    ("security", "安全管理员", roles.SECURITY_ADMIN, "region", "云岭县"),
    ("auditor", "审计管理员", roles.AUDIT_ADMIN, "region", "云岭县"),
    ("city_supervisor", "市司法局 周监督", roles.SUPERVISOR, "region", "秦川市"),
    ("supervisor", "县司法局 吴监督", roles.SUPERVISOR, "region", "云岭县"),
    ("market_head", "市场监管局 郑局长", roles.AGENCY_HEAD, "agency", "云岭县市场监督管理局"),
    ("market_unit_head", "稽查大队 王队长", roles.UNIT_HEAD, "agency", "云岭县市场监督管理局"),
    ("market_officer", "市场监管局 李执法", roles.OFFICER, "agency", "云岭县市场监督管理局"),
    ("market_auxiliary", "市场监管局 赵协管", roles.AUXILIARY, "agency", "云岭县市场监督管理局"),
    ("market_reviewer", "市场监管局 孙审核", roles.LEGAL_REVIEWER, "agency", "云岭县市场监督管理局"),
    ("zonghe_officer", "综合执法局 钱执法", roles.OFFICER, "agency", "云岭县综合行政执法局"),
    ("zonghe_head", "综合执法局 韩局长", roles.AGENCY_HEAD, "agency", "云岭县综合行政执法局"),
    ("qingchuan_officer", "青川镇 陈执法", roles.OFFICER, "agency", "青川镇综合行政执法办公室"),
    ("qingshi_officer", "青石县 冯执法", roles.OFFICER, "agency", "青石县市场监督管理局"),
    ("qingshi_head", "青石县市场监管局 蒋局长", roles.AGENCY_HEAD, "agency", "青石县市场监督管理局"),
]


def build_orgs(ctx):
    """Regions, agencies and units of the demo city."""
    for code, name, parent in REGIONS:
        ctx.regions[name] = Region.objects.create(
            code=code, name=name, parent=Region.objects.get(code=parent) if parent else None
        )
    by_code = {r.code: r for r in ctx.regions.values()}
    for name, short, code, kind, status, address, phone, units in AGENCIES:
        county = by_code[code[:6]]
        agency = Agency.objects.create(
            name=name, short_name=short, region=by_code[code], kind=kind, legal_status=status, address=address,
            phone=phone, legal_basis=_basis(name, kind, status),
            fine_bank=f"{county.name}农村信用合作联社各营业网点", fine_account_name=f"{county.name}财政局非税收入汇缴结算户",
            fine_account=f"2710 {code[:4]} 0100 {len(ctx.agencies) + 1:04d}", review_body=f"{county.name}人民政府",
            court=f"{county.name}人民法院",
        )
        ctx.agencies[name] = agency
        for unit_name, unit_kind in units:
            unit = Unit.objects.create(agency=agency, name=unit_name, kind=unit_kind, address=address, phone=phone)
            ctx.units[f"{agency.short_name}·{unit_name}"] = unit


def _basis(name, kind, status):
    if status == "authorised":
        return "《中华人民共和国行政处罚法》第二十四条；《陕西省乡镇（街道）综合行政执法赋权事项目录》"
    if kind == "supervision":
        return "《中华人民共和国行政复议法》；《陕西省行政执法监督条例》"
    return f"{name}“三定”规定；相关法律、法规"


def build_users(ctx):
    """One log-in for each role."""
    created = []
    for username, display, role, node_kind, node_name in USERS:
        user = User(username=username, display_name=display, role=role)
        if node_kind == "region":
            user.region = ctx.regions[node_name]
        else:
            user.agency = ctx.agencies[node_name]
        user.set_password(DEMO_PASSWORD)
        user.save()
        created.append(user)
    admin = User(username="admin", display_name="平台超级管理员", is_superuser=True, is_staff=True,
                 role=roles.SYSTEM_ADMIN, region=ctx.regions["陕西省"])
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    ctx.users = {u.username: u for u in created}
    return created


# The demo walk-through (演示路线), shown on the sign-in page when ZHIFA_DEMO_GUIDE=1 (make demo):
# which log-in does which step. Every password is DEMO_PASSWORD.
WALKTHROUGH = [
    ("market_officer", "执法人员", "打开工作台看待办和到期提醒；办理案件：调查取证、拟定处罚、事先告知"),
    ("market_unit_head", "承办机构负责人", "工作台“待我审批”：审批立案；在看板查看本单位工作量和超期案件"),
    ("market_reviewer", "法制审核人员", "工作台“法制审核”：对重大执法决定出具审核意见"),
    ("market_head", "机关负责人", "审批处罚决定、审核发布决定公示；看板上与去年同期对比"),
    ("supervisor", "执法监督人员（须双因素）", "监督预警交办、督办，案卷评查，监督驾驶舱；收到超期升级提醒"),
    ("qingshi_officer", "另一县的执法人员", "在顶部搜索框搜云岭县的案号或当事人：找不到（数据按组织范围隔离）"),
    ("qingshi_head", "另一县的机关负责人", "“案件移送”：云岭县移来的案件（已接收一件、退回一件）；接收后案件及其记录在本局"),
    ("sysadmin / security / auditor", "三员（须双因素）", "系统维护、账户与角色、审计日志，三者分立"),
]

DEMO_STEPS = {  # what each demo module creates, for the progress lines of ``load_demo``
    "people": "执法人员与证件", "catalog": "执法事项与裁量基准", "parties": "当事人", "cases": "各环节的案件与文书",
    "review": "法制审核", "publicity": "决定公示", "portal": "门户内容", "statistics": "统计年报",
    "supervision": "监督预警与督办", "zhifa.supervision.demo_evaluation": "案卷评查与驾驶舱",
    "zhifa.workspace.demo": "待办提醒与站内消息", "zhifa.coordination.demo": "案件移送、管辖争议与问题线索移送",
    "zhifa.coordination.grid.demo": "网格、调度任务与巡查上报", "zhifa.mobile.demo": "掌上执法离线采集件",
    "zhifa.cases.signing.demo": "文书上的现场签名（询问笔录、当场处罚决定书）",
    "zhifa.records.demo": "完整性校验与签名检查点",
}


@transaction.atomic
def load_demo(seed: int = 20261121, progress=None) -> SimpleNamespace:
    """Create the whole demo data set in one transaction; ``progress(text)`` is told of each step."""
    ctx = SimpleNamespace(
        rng=random.Random(seed), today=timezone.localdate(), regions={}, agencies={}, units={}, fields=fields(),
        officers=[], items=[], users={},
    )
    steps = 2 + len(APPS) + len(EXTRA_DEMOS)
    done = 0

    def step(text):
        nonlocal done
        done += 1
        if progress is not None:
            progress(f"[{done}/{steps}] {text}")

    with acting_as(None):
        step("组织机构（行政区划、执法主体、执法机构）")
        build_orgs(ctx)
        step("各角色的演示账号")
        build_users(ctx)
        for app in APPS:
            step(DEMO_STEPS.get(app, app))
            importlib.import_module(f"zhifa.{app}.demo").load(ctx)
        for module in EXTRA_DEMOS:
            step(DEMO_STEPS.get(module, module))
            importlib.import_module(module).load(ctx)
    return ctx


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, organisation) for printing."""
    labels = dict(roles.ROLE_CHOICES)
    return [("admin", "超级管理员", "全部")] + [(u, labels[r], n) for u, _, r, _, n in USERS]
