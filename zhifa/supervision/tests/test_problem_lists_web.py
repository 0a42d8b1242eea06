"""The pages of 突出问题清单 (problem lists, rectification, completion rate against 95%) and
专项监督 campaigns: the supervisor builds them, the agency reports, the supervisor verifies —
every step through the same services as the API — and another county's supervisor or agency
can neither read nor change any of it."""

import datetime

import pytest

from zhifa.supervision import actions, problems
from zhifa.supervision.models import Alert, Campaign, ProblemItem, ProblemList

D = datetime.date
pytestmark = pytest.mark.django_db


def test_supervisor_and_agency_work_a_list_through_the_pages(world, make_case, client, fixed_today):
    """Campaign → list (in the campaign) → problems → the agency's report → verification; the
    completion rate is shown against the 95% target."""
    sup, head = world.users.supervisor_a, world.users.head_a
    client.force_login(sup)
    response = client.post("/supervision/campaigns/new/", {
        "title": "行政处罚裁量权专项监督", "region": world.tree.county.pk, "description": "规范裁量",
        "starts_on": "2026-11-01", "ends_on": "2026-12-31"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == campaign.get_absolute_url()
    assert "建立本专项的突出问题清单" in client.get(campaign.get_absolute_url()).content.decode()
    form = client.get(f"/supervision/problem-lists/new/?campaign={campaign.pk}").content.decode()
    assert f'<option value="{campaign.pk}" selected>' in form
    response = client.post(f"/supervision/problem-lists/new/?campaign={campaign.pk}", {
        "title": "2026年突出问题清单", "region": world.tree.county.pk, "campaign": campaign.pk})
    problem_list = ProblemList.objects.get()
    assert response.status_code == 302 and problem_list.campaign == campaign
    new_item = f"/supervision/problem-lists/{problem_list.pk}/items/new/"
    form = client.get(new_item).content.decode()
    assert world.tree.market.name in form and world.tree.other_market.name not in form  # only the list's region
    for n in range(2):
        response = client.post(new_item, {"agency": world.tree.market.pk, "description": f"问题{n}",
                                          "measure": "组织整改", "due_on": "2026-12-01"})
        assert response.status_code == 302
    response = client.post(new_item, {"agency": world.tree.market.pk, "description": "过期", "measure": "x",
                                      "due_on": "2026-10-01"})
    assert response.status_code == 200 and "期限" in response.content.decode()  # the service's rule, in Chinese
    first, second = ProblemItem.objects.order_by("pk")

    client.force_login(head)
    inbox = client.get("/supervision/inbox/").content.decode()
    assert f"/supervision/problem-items/{first.pk}/report/" in inbox
    response = client.post(f"/supervision/problem-items/{first.pk}/report/", {"progress": "已组织全员培训并整改"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ProblemItem.REPORTED

    client.force_login(sup)
    page = client.get(problem_list.get_absolute_url()).content.decode()
    assert f"/supervision/problem-items/{first.pk}/verify/" in page
    assert f"/supervision/problem-items/{second.pk}/verify/" not in page  # not reported yet
    response = client.post(f"/supervision/problem-items/{first.pk}/verify/", {"done": "1"})
    assert response.status_code == 302
    page = client.get(problem_list.get_absolute_url()).content.decode()
    assert "完成率 <strong class=\"completion-rate\">50.0%</strong>（目标95.00%" in page and "未达标" in page
    listing = client.get("/supervision/problem-lists/").content.decode()
    assert "50.0%（目标95.00%）" in listing
    response = client.post(f"/supervision/problem-items/{second.pk}/verify/", {"done": "1"})
    assert response.status_code == 200 and "尚未报告整改" in response.content.decode()


def test_campaign_groups_records_of_its_region_only(world, make_case, client):
    """归集事项 by number: an alert of the supervisor's county is grouped; another county's is
    refused as if it did not exist."""
    case_a = make_case(within_benchmark=False)
    case_b = make_case(agency=world.tree.other_market, within_benchmark=False)
    problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    alert_a, alert_b = (Alert.objects.get(case=c) for c in (case_a, case_b))
    sup = world.users.supervisor_a
    campaign = actions.create_campaign(sup, title="专项", region=world.tree.county, description="x",
                                       starts_on=D(2026, 11, 1), ends_on=D(2026, 12, 31))
    client.force_login(sup)
    url = f"/supervision/campaigns/{campaign.pk}/link/"
    assert client.post(url, {"kind": "alert", "number": alert_a.pk}).status_code == 302
    response = client.post(url, {"kind": "alert", "number": alert_b.pk})
    assert response.status_code == 200 and "不在您的监督范围内" in response.content.decode()
    assert [link.object_id for link in campaign.links.all()] == [alert_a.pk]
    assert alert_a.summary in client.get(campaign.get_absolute_url()).content.decode()


def test_another_county_can_neither_read_nor_change(world, client, fixed_today):
    """County B's supervisor gets 404 on county A's list, its items and its campaign; county B's
    agency head cannot report on county A's problem."""
    sup = world.users.supervisor_a
    campaign = actions.create_campaign(sup, title="专项", region=world.tree.county, description="x",
                                       starts_on=D(2026, 11, 1), ends_on=D(2026, 12, 31))
    problem_list = actions.create_problem_list(sup, title="清单", region=world.tree.county)
    item = actions.add_problem(problem_list, sup, agency=world.tree.market, description="问题", measure="整改",
                               due_on=D(2026, 12, 1))
    actions.report_problem(item, world.users.head_a, progress="已整改")
    client.force_login(world.supervisor_b)
    for url in (problem_list.get_absolute_url(), f"/supervision/problem-lists/{problem_list.pk}/items/new/",
                f"/supervision/problem-items/{item.pk}/verify/", campaign.get_absolute_url(),
                f"/supervision/campaigns/{campaign.pk}/link/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/supervision/problem-items/{item.pk}/verify/", {"done": "1"}).status_code == 404
    listing = client.get("/supervision/problem-lists/").content.decode()
    assert problem_list.get_absolute_url() not in listing
    response = client.post("/supervision/problem-lists/new/", {"title": "越界", "region": world.tree.county.pk})
    assert response.status_code == 200 and not ProblemList.objects.filter(title="越界").exists()
    client.force_login(world.head_b)
    assert client.post(f"/supervision/problem-items/{item.pk}/report/", {"progress": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.status == ProblemItem.REPORTED and item.progress == "已整改"


@pytest.mark.parametrize("lists", [1, 6])
def test_problem_list_page_query_count_is_flat(world, client, fixed_today, lists, django_assert_max_num_queries):
    """The list of problem lists counts items and completion in its own query: the same number
    of queries for one list as for six (each with items)."""
    sup = world.users.supervisor_a
    for n in range(lists):
        problem_list = actions.create_problem_list(sup, title=f"清单{n}", region=world.tree.county)
        for _ in range(3):
            actions.add_problem(problem_list, sup, agency=world.tree.market, description="问题", measure="整改",
                                due_on=D(2026, 12, 1))
    client.force_login(sup)
    with django_assert_max_num_queries(12):
        assert client.get("/supervision/problem-lists/").status_code == 200
