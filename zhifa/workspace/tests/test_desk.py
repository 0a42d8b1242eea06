"""The desk (工作台): one 待办 list per person across apps, 已办, counts per kind, scoping and
bounded queries (UX-1)."""

import datetime

import pytest
from django.urls import reverse

from zhifa.accounts import roles
from zhifa.cases.models import Case, CaseOfficer
from zhifa.core.audit import acting_as
from zhifa.core.testing import make_user
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.workspace import todos

D = datetime.date


def other_county_case(world):
    """A case of 青石县市场监管局 (county B) handled by officer_b, overdue."""
    officer = Officer.objects.create(name="钱青", id_number="440524198001010021", home_agency=world.tree.other_market,
                                     user=world.users.officer_b)
    party = Party.objects.create(kind=Party.LEGAL, name="青石县远航贸易有限公司", credit_code="91440500MA4W1Q2X3B",
                                 region=world.tree.other_county, agency=world.tree.other_market)
    case = Case.objects.create(stage="investigation", agency=world.tree.other_market, unit=world.tree.other_unit,
                               item=world.item, party=party, cause="青石县标签案", occurred_on=D(2026, 10, 1),
                               place="青石县", number="青市监立〔2026〕9号", next_deadline=D(2026, 10, 30),
                               next_deadline_label="作出处罚决定")
    CaseOfficer.objects.create(case=case, officer=officer, role="lead")
    return case


def bulk_cases(world, count, start=None):
    start = start or D(2026, 10, 1)
    for index in range(count):
        case = Case.objects.create(
            stage="investigation", agency=world.tree.market, unit=world.tree.market_unit, item=world.item,
            party=world.company, cause=f"批量案件{index}", occurred_on=D(2026, 10, 1), place="人民路",
            next_deadline=start + datetime.timedelta(days=index * 3), next_deadline_label="作出处罚决定")
        CaseOfficer.objects.create(case=case, officer=world.o1, role="lead")


def test_officer_desk_lists_own_cases_by_deadline_with_next_step(client, world, open_general):
    """An officer's desk is the home page: their open cases, the next step the procedure allows
    them, sorted by deadline, each linking to the case page; counts per kind."""
    later = open_general()
    bulk_cases(world, 2, start=D(2026, 11, 3))
    client.force_login(world.officer_user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    desk = response.context["desk"]
    assert [i.kind for i in desk.items] == ["case", "case", "case"]
    assert [i.deadline for i in desk.items] == sorted(i.deadline for i in desk.items)
    assert desk.items[-1].url == later.get_absolute_url() and later.get_absolute_url() in html
    assert "下一步" in desk.items[0].detail and "待负责人审批" in desk.items[-1].detail
    assert desk.counts == [{"kind": "case", "label": "案件办理", "count": 3, "more": False, "overdue": 0}]
    assert "待办（3）" in html and "案件办理" in html


def test_overdue_items_are_marked(client, world, fixed_today):
    bulk_cases(world, 1, start=D(2026, 10, 20))
    client.force_login(world.officer_user)
    html = client.get("/").content.decode()
    assert "urgency-overdue" in html and "已超期13天" in html


def test_unit_head_sees_approvals_waiting_for_them(client, world, open_general):
    """A case waiting for filing approval is on the unit head's desk as 待我审批, not on the officer's."""
    case = open_general()
    client.force_login(world.unit_head)
    desk = client.get("/").context["desk"]
    approval = [i for i in desk.items if i.kind == "approval"]
    assert len(approval) == 1 and approval[0].url == case.get_absolute_url() and "待审批" in approval[0].detail
    officer_desk = todos.todos_for(world.officer_user)
    assert not [i for i in officer_desk.items if i.kind == "approval"]


def test_another_countys_work_never_appears(client, world, open_general):
    """Scoping: county B's officer sees only their own case; county A's never see county B's."""
    mine = open_general()
    theirs = other_county_case(world)
    b_desk = todos.todos_for(world.users.officer_b)
    assert [i.url for i in b_desk.items] == [theirs.get_absolute_url()]
    for user in (world.officer_user, world.unit_head, world.head, world.users.supervisor_a):
        urls = {i.url for i in todos.todos_for(user).items}
        assert theirs.get_absolute_url() not in urls
    client.force_login(world.users.officer_b)
    assert mine.get_absolute_url() not in client.get("/").content.decode()


def test_done_list_shows_own_actions(client, world, open_general):
    """已办: the person's own latest changes from the audit log, linking to the object."""
    with acting_as(world.officer_user):
        case = open_general()
    client.force_login(world.officer_user)
    response = client.get("/?tab=done")
    done = response.context["done"]
    assert done and any(d.url == case.get_absolute_url() for d in done)
    assert "新建" in response.content.decode() or "修改" in response.content.decode()
    client.force_login(world.officer2_user)
    assert not client.get("/?tab=done").context["done"]  # another person's actions are not theirs


def test_registering_a_provider_adds_its_kind(world, open_general):
    """A later capability adds its kind of to-do with one call; capability trimming applies."""
    open_general()

    def inspections(user):
        yield todos.TodoItem(kind="inspection", title="双随机检查 SJ-1", url="/inspections/1/", deadline=D(2026, 11, 1),
                             key="inspection:1")

    todos.register_provider("inspection", "行政检查", inspections, area="cases")
    try:
        desk = todos.todos_for(world.officer_user)
        assert desk.items[0].kind == "inspection" and desk.items[0].kind_label == "行政检查"
        assert desk.items[0].urgency == todos.OVERDUE
        assert {c["kind"] for c in desk.counts} == {"case", "inspection"}
        assert not todos.todos_for(world.users.security_a).items  # no cases capability: not asked
    finally:
        todos._PROVIDERS.pop("inspection")


def test_desk_query_count_is_flat(client, world):
    """The same number of queries for 5 and 45 cases on an officer's desk, and a bounded one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.officer_user)
    counts = []
    for batch in (5, 40):
        bulk_cases(world, batch)
        client.get("/")  # warm the session and the content-type cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        counts.append(len(queries))
    assert response.context["desk"].total == 45
    assert counts[0] == counts[1] <= 50, counts  # about one or two queries per provider kind (cases, reviews, alerts, complaints, inspections, transfers, disputes, dispatch tasks, capture conflicts, …)


@pytest.mark.parametrize("count", [3, 20])
def test_head_desk_query_count_is_bounded(client, world, count, django_assert_max_num_queries):
    bulk_cases(world, count)
    client.force_login(world.head)
    with django_assert_max_num_queries(60):
        assert client.get("/").status_code == 200


def test_every_role_gets_the_desk_as_home(client, world):
    for user in (world.users.admin_a, world.users.security_a, world.users.auditor_a, world.users.supervisor_a,
                 world.head, world.users.auxiliary_a,
                 make_user("reviewer_a", roles.LEGAL_REVIEWER, agency=world.tree.market)):
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200 and "待办" in response.content.decode(), user.username


def test_todo_api(api_client, world, open_general):
    with acting_as(world.officer_user):
        case = open_general()
    api_client.force_authenticate(world.officer_user)
    body = api_client.get("/api/workspace/todos/").json()
    assert body["items"][0]["url"] == case.get_absolute_url() and body["counts"][0]["kind"] == "case"
    assert api_client.get("/api/workspace/todos/?kind=review").json()["items"] == []
    done = api_client.get("/api/workspace/done/").json()
    assert done and done[0]["title"]


def test_desk_link_in_menu_is_the_home_page(client, world):
    client.force_login(world.officer_user)
    assert reverse("home") == "/"
