"""Global search within scope, the menu grouped by domain and trimmed by role, and the role
dashboards."""

import datetime

from zhifa.cases.models import Case
from zhifa.core import navigation
from zhifa.workspace.search import CAP, search

from .test_desk import bulk_cases, other_county_case

D = datetime.date


def _titles(results, kind):
    return [r["title"] for g in results.groups if g["kind"] == kind for r in g["rows"]]


def test_search_finds_case_party_and_officer_within_scope(world, open_general):
    case = open_general()
    Case.objects.filter(pk=case.pk).update(number="云市监立〔2026〕17号")
    case.refresh_from_db()
    case.save()  # keeps search_text
    theirs = other_county_case(world)
    user = world.officer_user
    assert _titles(search(user, "云市监立〔2026〕17号"), "case") == ["云市监立〔2026〕17号 经营标签不符合规定的食品案"]
    assert _titles(search(user, "云岭鑫达"), "party") == ["云岭鑫达商贸有限公司"]
    assert "云岭鑫达商贸有限公司" in _titles(search(user, "91110000600037341l"), "party")  # credit code, any case
    assert _titles(search(user, "61992120240001"), "officer") == ["李明（证号 61992120240001）"]
    # another county's case, party and officer are not found, by number, name or code
    assert _titles(search(user, theirs.number), "case") == []
    assert _titles(search(user, "青石县远航"), "party") == []
    assert _titles(search(user, "91440500MA4W1Q2X3B"), "party") == []
    b = world.users.officer_b
    assert _titles(search(b, "云市监立〔2026〕17号"), "case") == [] and _titles(search(b, "61992120240001"), "officer") == []
    assert _titles(search(b, theirs.number), "case") == [f"{theirs.number} 青石县标签案"]


def test_search_is_capped_and_page_renders(client, world, django_assert_max_num_queries):
    bulk_cases(world, CAP + 5)
    client.force_login(world.officer_user)
    with django_assert_max_num_queries(20):
        response = client.get("/workspace/search/", {"q": "批量案件"})
    html = response.content.decode()
    [group] = [g for g in response.context["results"].groups if g["kind"] == "case"]
    assert len(group["rows"]) == CAP and group["more"] and "在列表中查看全部结果" in html
    assert "没有找到" in client.get("/workspace/search/", {"q": "不存在的名字"}).content.decode()


def test_search_api(api_client, world, open_general):
    open_general()
    api_client.force_authenticate(world.officer_user)
    groups = api_client.get("/api/workspace/search/", {"q": "云岭鑫达"}).json()
    assert {g["kind"]: len(g["rows"]) for g in groups}["party"] == 1
    api_client.force_authenticate(world.users.officer_b)
    groups = api_client.get("/api/workspace/search/", {"q": "云岭鑫达"}).json()
    assert all(not g["rows"] for g in groups)


def test_menu_entries_are_one_line_tuples_in_known_groups():
    for entry in navigation.MENU:
        assert len(entry) == 5
        assert entry[0] is None or entry[0] in navigation.GROUPS


def test_menu_is_grouped_by_domain_and_trimmed_by_role(client, world):
    officer = {g["label"]: [i["label"] for i in g["items"] or []]
               for g in navigation.grouped_menu_for(world.officer_user)}
    assert list(officer)[:2] == ["工作台", "办案"]
    assert "案件" in officer["办案"] and "系统" in officer and "用户管理" not in officer["系统"]
    # an officer sees none of the supervisor's pages (only what they may handle, such as complaints)
    assert not {"监督驾驶舱", "监督预警", "问题模型", "案卷评查"} & set(officer.get("监督", []))
    security = {g["label"]: [i["label"] for i in g["items"] or []]
                for g in navigation.grouped_menu_for(world.users.security_a)}
    assert "用户管理" in security["系统"] and "办案" not in security
    supervisor = {g["label"] for g in navigation.grouped_menu_for(world.users.supervisor_a)}
    assert {"办案", "监督", "统计"} <= supervisor
    order = [g["label"] for g in navigation.grouped_menu_for(world.users.supervisor_a) if g["items"]]
    assert order == [g for g in navigation.GROUPS if g in order]
    client.force_login(world.officer_user)
    html = client.get("/").content.decode()
    assert '<details class="navgroup' in html and "<summary>办案</summary>" in html
    assert 'action="/workspace/search/"' in html


def test_dashboards_per_role(client, world, open_general, fixed_today):
    """An officer's deadlines this week, a head's workload and overdue cases per officer, an
    agency head's figures against last year; charts from the site's own ECharts."""
    open_general()
    bulk_cases(world, 3, start=D(2026, 10, 30))  # 10-30 overdue, 11-02 today, 11-05 this week
    client.force_login(world.officer_user)
    response = client.get("/workspace/dashboard/")
    panels = response.context["panels"]
    assert panels["deadlines"]["values"][:2] == [1, 1] and panels["deadlines"]["total"] == 3
    assert "workload" not in panels and "year" not in panels
    html = response.content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in html and 'id="dashboard-data"' in html
    client.force_login(world.head)
    panels = client.get("/workspace/dashboard/").context["panels"]
    workload = dict(zip(panels["workload"]["officers"], panels["workload"]["open"], strict=True))
    assert workload["李明"] == 4 and workload["周强"] == 1 and panels["workload"]["overdue_total"] == 1
    figures = {f["label"]: f for f in panels["year"]["figures"]}
    assert figures["立案（1—11月）"]["last"] == 0
    assert len(panels["year"]["series"]) == 4 and panels["year"]["series"][1]["data"][11] is None


def test_workload_counts_a_case_once_per_officer_and_unassigned_cases_apart(world, fixed_today):
    """The workload panel: a case handled by two officers counts for each, a case nobody is
    assigned to counts as 未分配, closed and out-of-reach cases not at all; the busiest first,
    ties by name, cut at ``top``."""
    from zhifa.cases.models import CaseOfficer
    from zhifa.workspace.dashboards import workload

    bulk_cases(world, 3, start=D(2026, 10, 30))  # 李明's: 10-30 overdue, 11-02 today, 11-05
    first, second, _ = Case.objects.order_by("pk")
    CaseOfficer.objects.create(case=first, officer=world.o2, role="assist")
    Case.objects.filter(pk=second.pk).update(closed_on=D(2026, 11, 1))  # closed: not counted
    bulk_cases(world, 1, start=D(2026, 10, 1))  # overdue, then left without an officer
    CaseOfficer.objects.filter(case=Case.objects.latest("pk")).delete()
    other_county_case(world)  # out of the head's reach

    panel = workload(world.head, D(2026, 11, 2))
    assert dict(zip(panel["officers"], zip(panel["open"], panel["overdue"], strict=True), strict=True)) == {
        "李明": (2, 1), "周强": (1, 1), "未分配": (1, 1)}
    assert panel["officers"] == ["李明", "周强", "未分配"] and panel["overdue_total"] == 3
    assert workload(world.head, D(2026, 11, 2), top=2)["officers"] == ["李明", "周强"]


def test_year_on_year_folds_days_into_months(world, fixed_today):
    """Registrations and decisions per month, this year against last, from cases on any day of
    the month; a month still to come is empty, not zero."""
    from zhifa.workspace.dashboards import year_on_year

    bulk_cases(world, 4)
    registered = [D(2025, 3, 1), D(2025, 3, 31), D(2026, 3, 15), D(2026, 10, 2)]
    for case, day in zip(Case.objects.order_by("pk"), registered, strict=True):
        Case.objects.filter(pk=case.pk).update(registered_on=day, decided_on=day + datetime.timedelta(days=40))
    panel = year_on_year(world.head, D(2026, 11, 2))
    series = {s["name"]: s["data"] for s in panel["series"]}
    assert series["2025年立案"][2] == 2 and sum(series["2025年立案"]) == 2
    assert series["2026年立案"][2] == 1 and series["2026年立案"][9] == 1 and series["2026年立案"][11] is None
    assert series["2025年作出决定"][3] == 1 and series["2025年作出决定"][4] == 1
    assert series["2026年作出决定"][3] == 1 and series["2026年作出决定"][10] == 1
    figures = {f["label"]: (f["this"], f["last"], f["change"]) for f in panel["figures"]}
    assert figures["立案（1—11月）"] == (2, 2, 0.0) and figures["作出决定（1—11月）"] == (2, 2, 0.0)


def test_menu_addresses_are_resolved_once_per_process_and_equal_reverse(world):
    """The main menu's ~70 addresses are reversed once (issue #14), and each is what ``reverse``
    gives; an entry whose app is not installed has no address and is left out."""
    from django.urls import NoReverseMatch, reverse

    navigation._addresses.cache_clear()
    navigation.menu_for(world.officer_user)
    navigation.menu_for(world.users.supervisor_a, "/cases/")
    assert navigation._addresses.cache_info().misses == 1 and navigation._addresses.cache_info().hits == 1
    for name, url in zip(navigation.MENU_NAMES, navigation.addresses(navigation.MENU_NAMES), strict=True):
        try:
            assert url == reverse(name)
        except NoReverseMatch:
            assert url is None
    assert navigation.addresses(("no-such-page", "home")) == (None, reverse("home"))
