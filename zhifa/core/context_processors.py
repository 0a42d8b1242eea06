"""Template context shared by every page."""


from .navigation import addresses, grouped_menu_for


def navigation(request):
    """The main menu, grouped by domain, for the logged-in user."""
    if request.path.startswith("/public/"):
        return {}  # the portal is the same for everyone and never reads the session
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_groups": grouped_menu_for(user, request.path)}


def demo_guide(request):
    """The demo walk-through on the sign-in page, when the server runs the demo (make demo)."""
    from django.conf import settings

    if not getattr(settings, "ZHIFA_DEMO_GUIDE", False) or not request.path.startswith("/accounts/login"):
        return {}
    from .demo import DEMO_PASSWORD, WALKTHROUGH

    return {"demo_walkthrough": WALKTHROUGH, "demo_password": DEMO_PASSWORD}


# The public portal's menu: (label, url name). Entries of apps not installed are skipped.
PORTAL_MENU = [
    ("首页", "portal:home"),
    ("执法主体", "portal:agency_list"),
    ("执法人员", "portal:officer_list"),
    ("执法事项", "portal:item_list"),
    ("裁量基准", "portal:benchmark_list"),
    ("重大决定目录", "portal:major_catalog"),
    ("执法流程", "portal:procedure_list"),
    ("救济途径", "portal:remedies"),
    ("办事指南", "portal:guides"),
    ("决定公示", "publicity:public_list"),
    ("统计年报", "statistics:public_list"),
    ("双随机抽查", "draws_public:draw_list"),
    ("证件核验", "portal:verify_lookup"),
    ("企业查询检查", "inspection_portal:lookup"),
    ("检查频次上限", "inspection_portal:caps"),
    ("监控设备设置地点", "devices_public:device_list"),
    ("非现场执法记录查询", "devices_public:record_lookup"),
    ("投诉举报", "supervision_public:complaint_new"),
    ("开放数据", "portal:open_data"),
    ("签名检查点", "audittrail:public_checkpoints"),
]


PORTAL_MENU_NAMES = tuple(name for _, name in PORTAL_MENU)


def portal_navigation(request):
    """The portal menu, for pages under /public/ (its addresses resolved once per process:
    twenty ``reverse()`` calls were a tenth of an uncached decision page, issue #14)."""
    if not request.path.startswith("/public/"):
        return {}
    items = []
    for (label, _), url in zip(PORTAL_MENU, addresses(PORTAL_MENU_NAMES), strict=True):
        if url is None:
            continue
        active = url != "/public/" and request.path.startswith(url) or request.path == url
        items.append({"label": label, "url": url, "active": active})
    return {"portal_nav": items}
