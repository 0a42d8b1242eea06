"""The main menu: entries grouped by domain (办案、检查、人员与证件、清单、公示、监督、统计、系统),
trimmed to what the user's role may use.

One entry is one tuple ``(group, label, url name, capability area, action)`` — an app adds its
page with one line, e.g. ``("检查", "行政检查", "inspections:list", "inspections", "view")``, so
merging branches that add entries is a union of lines. ``group`` ``None`` puts the entry on the
top bar itself. A group shows only when the user may open one of its entries; an entry whose
app is not installed in this deployment is left out.
"""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

GROUPS = ["办案", "检查", "人员与证件", "清单", "公示", "监督", "统计", "系统"]

# (group, label, url name, capability area, action)
MENU = [
    (None, "工作台", "home", None, None),
    ("办案", "办案工作台", "cases:workbench", "cases", "view"),
    ("办案", "案件", "cases:case_list", "cases", "view"),
    ("办案", "当事人", "parties:party_list", "parties", "view"),
    ("办案", "法制审核", "review:queue", "review", "view"),
    ("办案", "两法衔接", "coordination:transfer_list", "cases", "view"),
    ("检查", "指挥调度台", "coordination:board", "dispatch", "view"),
    ("检查", "调度任务", "coordination:task_list", "dispatch", "view"),
    ("检查", "巡查上报", "coordination:report_list", "dispatch", "view"),
    ("检查", "网格", "coordination:grid_list", "grid", "view"),
    ("办案", "案件移送", "coordination:case_transfer_list", "cases", "view"),
    ("办案", "管辖争议", "coordination:dispute_list", "cases", "view"),
    ("办案", "问题线索移送", "coordination:clue_list", "cases", "view"),
    ("办案", "掌上执法", "mobile:app", "cases", "change"),
    ("办案", "预编号决定书", "mobile:numbers", "cases", "change"),
    ("检查", "行政检查", "inspections:act_list", "inspections", "view"),
    ("检查", "随机抽查事项清单", "inspections:draws_entry_list", "draws", "view"),
    ("检查", "年度抽查计划", "inspections:draws_plan_list", "draws", "view"),
    ("检查", "双随机抽取", "inspections:draws_draw_list", "draws", "view"),
    ("检查", "执法检查人员名录", "inspections:draws_inspector_list", "draws", "view"),
    ("检查", "回避关系申报", "inspections:draws_conflict_list", "draws", "view"),
    ("检查", "检查频次上限", "inspections:cap_list", "inspections", "view"),
    ("检查", "检查统计", "inspections:act_statistics", "inspections", "view"),
    ("检查", "执法装备", "inspections:device_list", "devices", "view"),
    ("检查", "非现场执法记录", "inspections:device_record_list", "devices", "view"),
    ("人员与证件", "执法人员", "people:officer_list", "people", "view"),
    ("人员与证件", "执法证件", "people:certificate_list", "people", "view"),
    ("人员与证件", "培训记录", "people:training_list", "people", "view"),
    ("人员与证件", "合规报告", "people:compliance_report", "reports", "view"),
    ("清单", "执法主体", "orgs:agency_list", "orgs", "view"),
    ("清单", "执法机构", "orgs:unit_list", "orgs", "view"),
    ("清单", "执法事项", "catalog:item_list", "catalog", "view"),
    ("清单", "裁量基准", "catalog:benchmark_list", "catalog", "view"),
    ("公示", "信息公示", "publicity:queue", "publicity", "view"),
    ("公示", "公示更新检查", "portal:freshness", "portal", "view"),
    ("公示", "公众门户", "portal:home", None, None),
    ("监督", "监督驾驶舱", "supervision:cockpit", "cockpit", "view"),
    ("监督", "监督待办", "supervision:inbox", "alerts", "answer"),
    ("监督", "监督预警", "supervision:alert_list", "alerts", "view"),
    ("监督", "督办与监督文书", "supervision:action_list", "alerts", "view"),
    ("监督", "案卷评查", "supervision:evaluation_list", "evaluation", "view"),
    ("监督", "问题模型", "supervision:problem_model_list", "alerts", "view"),
    ("监督", "突出问题清单", "supervision:problem_list_list", "alerts", "view"),
    ("监督", "专项监督", "supervision:campaign_list", "alerts", "view"),
    ("监督", "三项制度考评", "supervision:assessment_list", "assessment", "view"),
    ("监督", "工作任务台账", "supervision:ledger_list", "ledgers", "view"),
    ("监督", "行动方案目标", "supervision:kpis", "cockpit", "view"),
    ("监督", "下级平台汇交案件", "exchange:case_list", "exchange", "view"),
    ("监督", "投诉举报", "supervision:complaint_list", "complaints", "view"),
    ("监督", "投诉举报办理时限", "supervision:complaint_deadlines", "complaints", "route"),
    ("统计", "我的看板", "workspace:dashboard", None, None),
    ("统计", "统计年报", "statistics:report_list", "statistics", "view"),
    ("系统", "行政区划", "orgs:region_list", "orgs", "view"),
    ("系统", "文书模板", "documents:template_list", "documents", "view"),
    ("系统", "工作日历", "workdays:year_list", "workdays", "view"),
    ("系统", "数据导入导出", "core:data_index", "imports", "change"),
    ("系统", "用户管理", "accounts:user_list", "users", "view"),
    ("系统", "后台任务", "core:job_list", "jobs", "view"),
    ("系统", "发件箱", "core:outbox", "jobs", "view"),
    ("系统", "热线系统", "supervision:hotline_systems", "hotlines", "view"),
    ("系统", "数据汇聚与交换", "exchange:setup", "exchange", "change"),
    ("系统", "操作日志", "core:changelog_list", "audit", "view"),
    ("系统", "访问日志", "audittrail:access_log", "audit", "view"),
    ("系统", "签名检查点", "audittrail:checkpoint_list", "audit", "view"),
    ("系统", "提醒设置", "workspace:preferences", None, None),
    ("系统", "我的导出", "core:data_exports", None, None),
    ("系统", "接口文档", "api-docs", None, None),
]


def addresses(names: tuple[str, ...]) -> tuple[str | None, ...]:
    """The address of each URL name (None: its app is not installed in this deployment), resolved
    once per process for the current script prefix and URL configuration: a menu of 20–70 entries
    cost a ``reverse()`` each on every page (issue #14)."""
    return _addresses(names, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _addresses(names: tuple[str, ...], script_prefix: str, urlconf) -> tuple[str | None, ...]:
    found = []
    for name in names:
        try:
            found.append(reverse(name, urlconf=urlconf))
        except NoReverseMatch:
            found.append(None)
    return tuple(found)


MENU_NAMES = tuple(url_name for _, _, url_name, _, _ in MENU)


def menu_for(user, current_path: str = "") -> list[dict]:
    """Menu entries the user may open, in menu order, with the active one marked (flat)."""
    items = []
    for (group, label, _, area, action), url in zip(MENU, addresses(MENU_NAMES), strict=True):
        if url is None or area and not user.has_capability(area, action):
            continue
        active = url != "/" and current_path.startswith(url)
        items.append({"group": group, "label": label, "url": url, "active": active})
    return items


def grouped_menu_for(user, current_path: str = "") -> list[dict]:
    """The menu as the top bar shows it: top-level entries and the domain groups (in ``GROUPS``
    order) that hold at least one entry the user may open."""
    items = menu_for(user, current_path)
    order = {name: n for n, name in enumerate(GROUPS)}
    top = [{"label": i["label"], "url": i["url"], "active": i["active"], "items": None}
           for i in items if i["group"] is None]
    groups: dict[str, list] = {}
    for item in items:
        if item["group"] is not None:
            groups.setdefault(item["group"], []).append(item)
    ordered = sorted(groups, key=lambda g: (order.get(g, len(GROUPS)), g))
    return top + [{"label": g, "url": "", "items": groups[g], "active": any(i["active"] for i in groups[g])}
                  for g in ordered]
