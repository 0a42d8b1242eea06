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
    ("法制审核", "review:queue", "review", "view"),
    ("信息公示", "publicity:queue", "publicity", "view"),
    ("统计年报", "statistics:report_list", "statistics", "view"),
    ("监督驾驶舱", "supervision:cockpit", "cockpit", "view"),
    ("案卷评查", "supervision:evaluation_list", "evaluation", "view"),
    ("监督预警", "supervision:alert_list", "alerts", "view"),
    ("监督待办", "supervision:inbox", "alerts", "answer"),
    ("督办与监督文书", "supervision:action_list", "alerts", "view"),
    ("问题模型", "supervision:problem_model_list", "alerts", "view"),
    ("突出问题清单", "supervision:problem_list_list", "alerts", "view"),
    ("专项监督", "supervision:campaign_list", "alerts", "view"),
    ("投诉举报", "supervision:complaint_list", "complaints", "view"),
    ("投诉举报办理时限", "supervision:complaint_deadlines", "complaints", "route"),
    ("公示更新检查", "portal:freshness", "portal", "view"),
    ("文书模板", "documents:template_list", "documents", "view"),
    ("工作日历", "workdays:year_list", "workdays", "view"),
    ("数据导入导出", "core:data_index", "imports", "change"),
    ("用户管理", "accounts:user_list", "users", "view"),
    ("后台任务", "core:job_list", "jobs", "view"),
    ("发件箱", "core:outbox", "jobs", "view"),
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
