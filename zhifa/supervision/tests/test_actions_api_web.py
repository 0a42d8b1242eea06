"""Supervision actions (督办, 监督意见书, 纠错通知书, 督查函, 突出问题清单, 专项监督), the API, the
pages, and scoping: a county supervisor never sees another county's alerts, an agency never
another agency's."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from zhifa.records.services import events_for, open_stored, verify_stream
from zhifa.supervision import actions, problems
from zhifa.supervision.alerts import services as alert_services
from zhifa.supervision.models import Alert, ProblemItem, SupervisionAction
from zhifa.supervision.models import actions as act
from zhifa.supervision.models import alerts as a

D = datetime.date
pytestmark = pytest.mark.django_db


def docx_text(stored) -> str:
    with open_stored(stored) as handle:
        document = Document(io.BytesIO(handle.read()))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture
def alerts_ab(world, make_case):
    """One open alert in county A (市场监管局), one in county B, one of another agency of county A."""
    world.items[world.tree.comprehensive.pk] = world.items[world.tree.market.pk]
    case_a = make_case(within_benchmark=False)
    case_b = make_case(agency=world.tree.other_market, within_benchmark=False)
    case_c = make_case(agency=world.tree.comprehensive, officers=[], within_benchmark=False)
    problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    return tuple(Alert.objects.get(case=c, problem_model__code="BENCHMARK_DEVIATION_NO_REASON")
                 for c in (case_a, case_b, case_c))


def test_supervise_a_case_renders_the_notice_with_operative_sentences(world, make_case):
    """督办 of a case: numbered, the rendered notice names the bureau, the agency, the case and
    the deadline; both files are in the action's verified chain."""
    from zhifa.orgs.models import Agency

    Agency.objects.filter(pk=world.tree.justice.pk).update(kind="supervision")
    case = make_case(decided_on=D(2026, 10, 20), outcome="penalty")
    action = actions.issue(world.users.supervisor_a, kind=act.SUPERVISE, agency=world.tree.market, target=case,
                           title="督办决定书送达超期", findings="决定书作出后超过七个工作日未送达。",
                           requirements="立即送达并书面报告超期原因。", reply_due_on=D(2026, 11, 16))
    assert action.number == "云岭司督办〔2026〕1号" and action.issuer_name == "云岭县司法局"
    text = docx_text(action.docx)
    for expected in ("云岭县司法局", "督办通知书", "云岭县市场监督管理局：", "本机关对下列事项予以督办",
                     case.number, "云岭鑫达商贸有限公司", "2026年11月16日前将办理结果书面报告本机关"):
        assert expected in text, expected
    assert action.pdf.size > 1000 and action.pdf.content_type == "application/pdf"
    event = events_for(action.stream_key).get()
    assert {f["hash"] for f in event.files} == {action.docx.hash, action.pdf.hash}
    assert verify_stream(action.stream_key).ok


@pytest.mark.parametrize("kind, sentence", [
    (act.OPINION, "提出监督意见如下"),
    (act.CORRECTION, "现责令你单位自行纠正"),
    (act.LETTER, "请你单位对照上述问题逐项整改"),
])
def test_opinion_correction_and_letter_documents(world, alerts_ab, kind, sentence):
    alert_a = alerts_ab[0]
    action = actions.issue(world.users.supervisor_a, kind=kind, agency=world.tree.market, alerts=[alert_a],
                           title="2026年第四季度执法监督检查", findings="抽查发现处罚偏离裁量基准未说明理由。",
                           requirements="逐案补正理由，完善裁量说理。", reply_due_on=D(2026, 11, 30), with_document=False)
    from zhifa.documents.builtin import builtin_template_bytes
    from zhifa.documents.context import complete_context
    from zhifa.documents.rendering import render_docx
    from zhifa.supervision.actions import _context

    code = act.DOCUMENT_CODES[kind]
    rendered = render_docx(builtin_template_bytes(code), complete_context(_context(action), code))
    text = "\n".join(p.text for p in Document(io.BytesIO(rendered)).paragraphs)
    assert sentence in text and alert_a.summary in text and "2026年11月30日前" in text


def test_issue_is_scoped_and_validated(world, alerts_ab):
    alert_a, alert_b, _ = alerts_ab
    sup = world.users.supervisor_a
    with pytest.raises(PermissionDenied):
        actions.issue(sup, kind=act.LETTER, agency=world.tree.other_market, alerts=[alert_b], title="x",
                      findings="x", requirements="x", reply_due_on=D(2026, 11, 30), with_document=False)
    with pytest.raises(ValidationError):
        actions.issue(sup, kind=act.LETTER, agency=world.tree.market, alerts=[], title="x", findings="x",
                      requirements="x", reply_due_on=D(2026, 11, 30), with_document=False)
    with pytest.raises(ValidationError):
        actions.issue(sup, kind=act.SUPERVISE, agency=world.tree.market, title="x", findings="x", requirements="x",
                      reply_due_on=D(2026, 11, 30), with_document=False)
    with pytest.raises(PermissionDenied):
        actions.issue(world.users.head_a, kind=act.LETTER, agency=world.tree.market, alerts=[alert_a], title="x",
                      findings="x", requirements="x", reply_due_on=D(2026, 11, 30), with_document=False)


def test_agency_answers_what_is_addressed_to_it(world, alerts_ab, fixed_today):
    alert_a = alerts_ab[0]
    action = actions.issue(world.users.supervisor_a, kind=act.SUPERVISE, agency=world.tree.market, target=alert_a,
                           title="督办预警", findings="偏离基准", requirements="说明理由", reply_due_on=D(2026, 11, 9),
                           with_document=False)
    assert [e.kind for e in events_for(alert_a.stream_key)][-1] == "supervised"
    with pytest.raises(ValidationError):
        actions.close(action, world.users.supervisor_a, note="未答复")
    with pytest.raises(SupervisionAction.DoesNotExist):
        actions.reply(action, world.head_b, text="不是我们")
    action = actions.reply(action, world.users.head_a, text="已补正理由并组织学习。")
    assert action.status == act.ANSWERED
    action = actions.close(action, world.users.supervisor_a, note="答复属实")
    assert action.status == act.CLOSED
    assert [e.kind for e in events_for(action.stream_key)] == ["issued", "answered", "closed"]


def test_problem_list_completion_rate_against_95_percent(world, alerts_ab, fixed_today):
    sup, head = world.users.supervisor_a, world.users.head_a
    campaign = actions.create_campaign(sup, title="行政处罚裁量权专项监督", region=world.tree.county,
                                       description="规范裁量", starts_on=D(2026, 11, 1), ends_on=D(2026, 12, 31))
    problem_list = actions.create_problem_list(sup, title="2026年突出问题清单", region=world.tree.county,
                                               campaign=campaign)
    items = [actions.add_problem(problem_list, sup, agency=world.tree.market, description=f"问题{i}",
                                 measure="整改", due_on=D(2026, 12, 1), alert=alerts_ab[0] if i == 0 else None)
             for i in range(20)]
    with pytest.raises(ValidationError):
        actions.add_problem(problem_list, sup, agency=world.tree.other_market, description="外县", measure="x",
                            due_on=D(2026, 12, 1))
    for item in items[:19]:
        actions.report_problem(item, head, progress="已整改")
        actions.verify_problem(item, sup, done=True)
    data = actions.completion(problem_list)
    assert (data["total"], data["done"], str(data["rate"]), data["met"]) == (20, 19, "95.0", True)
    actions.report_problem(items[19], head, progress="部分整改")
    actions.verify_problem(items[19], sup, done=False)
    assert ProblemItem.objects.get(pk=items[19].pk).status == ProblemItem.OPEN
    actions.link(campaign, sup, alerts_ab[0])
    members = actions.campaign_members(campaign)
    assert set(members) == {"突出问题清单", "预警"}
    with pytest.raises(PermissionDenied):
        actions.link(campaign, sup, alerts_ab[1])  # another county's alert


# ----------------------------------------------------------------------------------- API

def test_api_lists_are_scoped(world, alerts_ab, api_client):
    alert_a, alert_b, alert_c = alerts_ab
    for user, expected in ((world.users.supervisor_a, {alert_a.pk, alert_c.pk}),
                           (world.supervisor_b, {alert_b.pk}),
                           (world.supervisor_city, {alert_a.pk, alert_b.pk, alert_c.pk}),
                           (world.users.head_a, {alert_a.pk}),
                           (world.head_b, {alert_b.pk})):
        api_client.force_authenticate(user)
        body = api_client.get("/api/supervision/alerts/").json()
        assert {row["id"] for row in body["results"]} == expected, user.username
    api_client.force_authenticate(world.users.officer_a)
    assert api_client.get("/api/supervision/alerts/").status_code == 403
    api_client.force_authenticate(world.supervisor_b)
    assert api_client.get(f"/api/supervision/alerts/{alert_a.pk}/").status_code == 404
    response = api_client.post(f"/api/supervision/alerts/{alert_a.pk}/assign/", {}, format="json")
    assert response.status_code == 404


def test_api_lifecycle_and_structured_errors(world, alerts_ab, api_client):
    alert_a = alerts_ab[0]
    api_client.force_authenticate(world.users.supervisor_a)
    response = api_client.post(f"/api/supervision/alerts/{alert_a.pk}/assign/", {"reply_due_on": "2026-11-09"},
                               format="json")
    assert response.status_code == 200 and response.json()["status"] == a.ASSIGNED
    response = api_client.post(f"/api/supervision/alerts/{alert_a.pk}/recheck/", {"passed": True, "note": "x"},
                               format="json")
    assert response.status_code == 400 and "不能复核" in response.json()["error"]["message"]
    api_client.force_authenticate(world.users.head_a)
    response = api_client.post(f"/api/supervision/alerts/{alert_a.pk}/explain/",
                               {"explanation": "已补充理由", "files": [999999]}, format="json")
    assert response.status_code == 400 and "files" in response.json()["error"]["fields"]
    response = api_client.post(f"/api/supervision/alerts/{alert_a.pk}/explain/", {"explanation": "已补充理由"},
                               format="json")
    assert response.status_code == 200 and response.json()["status"] == a.EXPLAINED
    events = api_client.get(f"/api/supervision/alerts/{alert_a.pk}/events/").json()
    assert [e["kind"] for e in events] == ["raised", "assigned", "explained"]
    response = api_client.post(f"/api/supervision/alerts/{alert_a.pk}/confirm/", {"reason": "x",
                               "rectify_due_on": "2026-12-01"}, format="json")
    assert response.status_code == 403


def test_api_issue_reply_and_problem_models(world, alerts_ab, api_client):
    alert_a = alerts_ab[0]
    api_client.force_authenticate(world.users.supervisor_a)
    response = api_client.post("/api/supervision/actions/", {
        "kind": "letter", "agency": world.tree.market.pk, "alerts": [alert_a.pk], "title": "督查",
        "findings": "偏离基准", "requirements": "整改", "reply_due_on": "2026-11-30"}, format="json")
    assert response.status_code == 201, response.json()
    action_id = response.json()["id"]
    assert response.json()["number"] and response.json()["pdf"]
    response = api_client.post("/api/supervision/actions/", {
        "kind": "letter", "agency": world.tree.other_market.pk, "alerts": [alert_a.pk], "title": "督查",
        "findings": "x", "requirements": "x", "reply_due_on": "2026-11-30"}, format="json")
    assert response.status_code == 404
    api_client.force_authenticate(world.users.head_a)
    response = api_client.post(f"/api/supervision/actions/{action_id}/reply/", {"reply": "已整改"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "answered"
    api_client.force_authenticate(world.users.supervisor_a)
    models = api_client.get("/api/supervision/problem-models/?page_size=100").json()
    assert models["count"] >= 25
    model_id = next(m["id"] for m in models["results"] if m["code"] == "HEARING_RIGHT_NOT_NOTIFIED")
    response = api_client.patch(f"/api/supervision/problem-models/{model_id}/", {"severity": "low"}, format="json")
    assert response.status_code == 403  # county supervisors set their region, not the defaults
    response = api_client.post(f"/api/supervision/problem-models/{model_id}/settings/",
                               {"region": world.tree.county.pk, "enabled": True, "params": {"organisation": 30000}},
                               format="json")
    assert response.status_code == 200 and response.json()["params"] == {"organisation": 30000}
    response = api_client.post(f"/api/supervision/problem-models/{model_id}/settings/",
                               {"region": world.tree.other_county.pk, "enabled": False}, format="json")
    assert response.status_code == 404


# ----------------------------------------------------------------------------------- pages

def test_pages_render_scoped_and_in_chinese(world, alerts_ab, client):
    alert_a, alert_b, _ = alerts_ab
    client.force_login(world.users.supervisor_a)
    page = client.get("/supervision/alerts/").content.decode()
    assert f"/supervision/alerts/{alert_a.pk}/" in page and f"/supervision/alerts/{alert_b.pk}/" not in page
    assert client.get(f"/supervision/alerts/{alert_b.pk}/").status_code == 404
    detail = client.get(f"/supervision/alerts/{alert_a.pk}/").content.decode()
    assert "交办" in detail and "全过程记录" in detail and "判定事实" in detail
    response = client.post(f"/supervision/alerts/{alert_a.pk}/assign/", {"reply_due_on": "2026-11-09", "note": ""})
    assert response.status_code == 302
    for url in ("/supervision/models/", "/supervision/actions/", "/supervision/problem-lists/",
                "/supervision/campaigns/", "/supervision/actions/new/?alerts=%d" % alert_a.pk):
        assert client.get(url).status_code == 200, url
    client.force_login(world.users.head_a)
    inbox = client.get("/supervision/inbox/").content.decode()
    assert f"/supervision/alerts/{alert_a.pk}/" in inbox and f"/supervision/alerts/{alert_b.pk}/" not in inbox
    response = client.post(f"/supervision/alerts/{alert_a.pk}/explain/", {"explanation": ""})
    assert response.status_code == 200 and "必填" in response.content.decode()
    response = client.post(f"/supervision/alerts/{alert_a.pk}/explain/", {"explanation": "已说明"})
    assert response.status_code == 302
    alert_a.refresh_from_db()
    assert alert_a.status == a.EXPLAINED
    home = client.get("/").content.decode()
    assert "监督待办" in home


def test_alert_list_query_count_is_flat(world, make_case, client, django_assert_max_num_queries):
    for _ in range(12):
        make_case(within_benchmark=False)
    problems.evaluate("BENCHMARK_DEVIATION_NO_REASON")
    client.force_login(world.users.supervisor_a)
    with django_assert_max_num_queries(14):
        assert client.get("/supervision/alerts/").status_code == 200


def test_officer_is_refused(world, client):
    client.force_login(world.users.officer_a)
    assert client.get("/supervision/alerts/").status_code == 403
    assert client.get("/supervision/inbox/").status_code == 403
    assert alert_services  # the services module is what the pages call
