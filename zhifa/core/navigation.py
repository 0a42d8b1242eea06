"""The main menu: one list, filtered by what the user's role may see."""

from django.urls import NoReverseMatch, reverse

# (label, url name, capability area, action)
MENU = [
    ("工作台", "home", None, None),
    ("行政区划", "orgs:region_list", "orgs", "view"),
    ("执法主体", "orgs:agency_list", "orgs", "view"),
    ("执法机构", "orgs:unit_list", "orgs", "view"),
    ("执法人员", "people:officer_list", "people", "view"),
    ("执法证件", "people:certificate_list", "people", "view"),
    ("培训记录", "people:training_list", "people", "view"),
    ("合规报告", "people:compliance_report", "reports", "view"),
    ("执法事项", "catalog:item_list", "catalog", "view"),
    ("裁量基准", "catalog:benchmark_list", "catalog", "view"),
    ("当事人", "parties:party_list", "parties", "view"),
    ("办案工作台", "cases:workbench", "cases", "view"),
    ("案件", "cases:case_list", "cases", "view"),
    ("行政检查", "inspections:act_list", "inspections", "view"),
    ("检查频次上限", "inspections:cap_list", "inspections", "view"),
    ("检查统计", "inspections:act_statistics", "inspections", "view"),
    ("法制审核", "review:queue", "review", "view"),
    ("两法衔接", "coordination:transfer_list", "cases", "view"),
    ("信息公示", "publicity:queue", "publicity", "view"),
    ("统计年报", "statistics:report_list", "statistics", "view"),
    ("监督驾驶舱", "supervision:cockpit", "cockpit", "view"),
    ("案卷评查", "supervision:evaluation_list", "evaluation", "view"),
    ("三项制度考评", "supervision:assessment_list", "assessment", "view"),
    ("工作任务台账", "supervision:ledger_list", "ledgers", "view"),
    ("行动方案目标", "supervision:kpis", "cockpit", "view"),
    ("监督预警", "supervision:alert_list", "alerts", "view"),
    ("监督待办", "supervision:inbox", "alerts", "answer"),
    ("督办与监督文书", "supervision:action_list", "alerts", "view"),
    ("问题模型", "supervision:problem_model_list", "alerts", "view"),
    ("突出问题清单", "supervision:problem_list_list", "alerts", "view"),
    ("专项监督", "supervision:campaign_list", "alerts", "view"),
    ("下级平台汇交案件", "exchange:case_list", "exchange", "view"),
    ("随机抽查事项清单", "inspections:draws_entry_list", "draws", "view"),
    ("年度抽查计划", "inspections:draws_plan_list", "draws", "view"),
    ("双随机抽取", "inspections:draws_draw_list", "draws", "view"),
    ("执法检查人员名录", "inspections:draws_inspector_list", "draws", "view"),
    ("回避关系申报", "inspections:draws_conflict_list", "draws", "view"),
    ("执法装备", "inspections:device_list", "devices", "view"),
    ("非现场执法记录", "inspections:device_record_list", "devices", "view"),
    ("公示更新检查", "portal:freshness", "portal", "view"),
    ("文书模板", "documents:template_list", "documents", "view"),
    ("工作日历", "workdays:year_list", "workdays", "view"),
    ("数据导入导出", "core:data_index", "imports", "change"),
    ("用户管理", "accounts:user_list", "users", "view"),
    ("后台任务", "core:job_list", "jobs", "view"),
    ("发件箱", "core:outbox", "jobs", "view"),
    ("数据汇聚与交换", "exchange:setup", "exchange", "change"),
    ("操作日志", "core:changelog_list", "audit", "view"),
    ("访问日志", "audittrail:access_log", "audit", "view"),
    ("签名检查点", "audittrail:checkpoint_list", "audit", "view"),
    ("接口文档", "api-docs", None, None),
    ("公众门户", "portal:home", None, None),
]


def menu_for(user, current_path: str = "") -> list[dict]:
    """Menu entries the user may open, with the active one marked."""
    items = []
    for label, url_name, area, action in MENU:
        if area and not user.has_capability(area, action):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # an app not installed in this deployment
            continue
        active = url != "/" and current_path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return items
