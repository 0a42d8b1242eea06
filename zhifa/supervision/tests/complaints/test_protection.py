"""Protection of the complainant and scoping (SUP-3): the identity never appears in the reported
agency's views, to staff outside the handling chain, on the portal or in exports; every reading
is logged; another county's complaints can be neither read nor changed."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from zhifa.records.models import AccessLog
from zhifa.supervision.complaints import services
from zhifa.supervision.models.complaints import Complaint

from .conftest import accept

pytestmark = pytest.mark.django_db
NAME, PHONE, ID_NUMBER = "张秘密", "13912345678", "610113199003071237"


def _assert_hidden(text: str):
    assert NAME not in text and PHONE not in text and ID_NUMBER not in text
    assert "张*" not in text  # not even masked


@pytest.fixture
def against_agency(cw):
    """A complaint about the comprehensive bureau's enforcement, routed (wrongly) to that bureau."""
    c, _ = services.receive(source="letter", region=cw.tree.county, agency=cw.tree.comprehensive,
                            reported_agency=cw.tree.comprehensive, kind="enforcement", subject="执法人员态度粗暴",
                            content="执法人员在检查中辱骂商户。",
                            complainant={"name": NAME, "phone": PHONE, "id_number": ID_NUMBER})
    return c


def test_the_reported_agency_never_sees_the_identity_even_when_handling(cw, against_agency, client, api_client):
    c = accept(against_agency, cw.comp_officer)
    client.force_login(cw.comp_officer)
    for url in (c.get_absolute_url(), "/supervision/complaints/", "/supervision/complaints/export.xlsx",
                f"/supervision/complaints/{c.pk}/identity/"):
        response = client.get(url)
        body = response.content if not url.endswith(".xlsx") else _xlsx_text(response.content).encode()
        _assert_hidden(body.decode())
    assert client.get(f"/supervision/complaints/{c.pk}/identity/").status_code == 403
    assert "匿名/已隐藏" in client.get(c.get_absolute_url()).content.decode()
    api_client.force_authenticate(cw.comp_officer)
    for url in (f"/api/supervision/complaints/{c.pk}/", "/api/supervision/complaints/",
                f"/api/supervision/complaints/{c.pk}/events/"):
        response = api_client.get(url)
        assert response.status_code == 200
        _assert_hidden(response.content.decode())
    assert api_client.get(f"/api/supervision/complaints/{c.pk}/identity/").status_code == 403
    assert not AccessLog.objects.filter(stream_key=c.stream_key).exists()


def _xlsx_text(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content))
    return "\n".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_handlers_and_the_supervisor_read_the_identity_and_each_reading_is_logged(cw, complaint, client, api_client):
    accept(complaint, cw.market_officer)
    # a colleague in the same bureau who is not a handler sees the complaint but not the identity
    client.force_login(cw.market_officer2)
    page = client.get(complaint.get_absolute_url())
    assert page.status_code == 200
    _assert_hidden(page.content.decode())
    assert client.get(f"/supervision/complaints/{complaint.pk}/identity/").status_code == 403
    # the handler opens it: shown, logged
    client.force_login(cw.market_officer)
    detail = client.get(complaint.get_absolute_url()).content.decode()
    _assert_hidden(detail)  # the detail page itself never shows it
    identity = client.get(f"/supervision/complaints/{complaint.pk}/identity/")
    assert identity.status_code == 200 and NAME in identity.content.decode()
    assert identity["Cache-Control"] == "private, no-store"
    api_client.force_authenticate(cw.supervisor)
    response = api_client.get(f"/api/supervision/complaints/{complaint.pk}/identity/")
    assert response.status_code == 200 and response.json()["phone"] == PHONE
    logs = AccessLog.objects.filter(stream_key=complaint.stream_key).order_by("id")
    assert [(log.user, log.object_type) for log in logs] == [(cw.market_officer, "supervision.complainant"),
                                                              (cw.supervisor, "supervision.complainant")]
    assert all(log.scope_path == cw.tree.market.tree_path for log in logs)
    # the audit administrator of the county reads that log
    assert AccessLog.objects.restrict(cw.users.auditor_a).filter(stream_key=complaint.stream_key).count() == 2


def test_the_audit_trail_stores_the_identity_masked(cw, complaint):
    from zhifa.core.models import ChangeLog

    rows = ChangeLog.objects.filter(content_type__model="complainant")
    assert rows.exists()
    text = str([row.after for row in rows])
    assert PHONE not in text and ID_NUMBER not in text and NAME not in text


def test_another_county_can_neither_read_nor_change(cw, complaint, client, api_client):
    client.force_login(cw.supervisor_b)
    assert client.get(complaint.get_absolute_url()).status_code == 404
    assert client.get(f"/supervision/complaints/{complaint.pk}/identity/").status_code == 404
    assert complaint.number not in client.get("/supervision/complaints/").content.decode()
    api_client.force_authenticate(cw.supervisor_b)
    assert api_client.get(f"/api/supervision/complaints/{complaint.pk}/").status_code == 404
    assert api_client.post(f"/api/supervision/complaints/{complaint.pk}/route/",
                           {"agency": cw.tree.other_market.pk}, format="json").status_code == 404
    api_client.force_authenticate(cw.users.officer_b)
    assert api_client.post(f"/api/supervision/complaints/{complaint.pk}/accept/", {}, format="json").status_code == 404
    assert api_client.get("/api/supervision/complaints/").json()["count"] == 0
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_the_staff_api_runs_the_whole_procedure(cw, api_client, make_case):
    """Intake of a call, accept, decide, reply and close through the API; errors are structured."""
    api_client.force_authenticate(cw.market_officer)
    response = api_client.post("/api/supervision/complaints/", {
        "source": "phone", "region": cw.tree.county.pk, "agency": cw.tree.market.pk, "subject": "无证经营",
        "content": "某店无证经营。", "complainant": {"name": "王五", "phone": "13800000000"}}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["complainant"] == "匿名/已隐藏" and "王五" not in response.content.decode()
    pk = response.json()["id"]
    bad = api_client.post(f"/api/supervision/complaints/{pk}/reply/", {"reply": "x"}, format="json")
    assert bad.status_code == 400 and "不能答复" in bad.json()["error"]["message"]
    assert api_client.post(f"/api/supervision/complaints/{pk}/accept/", {}, format="json").status_code == 200
    missing = api_client.post(f"/api/supervision/complaints/{pk}/decide/", {"decision": "no_case"}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]
    case = make_case(source="complaint", stage="clue")
    decided = api_client.post(f"/api/supervision/complaints/{pk}/decide/", {"decision": "open_case", "case": case.pk},
                              format="json")
    assert decided.status_code == 200 and decided.json()["case"] == case.pk
    assert api_client.post(f"/api/supervision/complaints/{pk}/reply/", {"reply": "已立案。"},
                           format="json").status_code == 200
    assert api_client.post(f"/api/supervision/complaints/{pk}/close/", {}, format="json").status_code == 403
    api_client.force_authenticate(cw.market_head)
    closed = api_client.post(f"/api/supervision/complaints/{pk}/close/", {}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    events = api_client.get(f"/api/supervision/complaints/{pk}/events/").json()
    assert [e["kind"] for e in events] == ["received", "accept", "decide", "reply", "close"]


def test_staff_pages_run_a_move_and_show_buttons_from_the_procedure(cw, complaint, client):
    client.force_login(cw.market_officer)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert f"/supervision/complaints/{complaint.pk}/accept/" in page
    assert f"/supervision/complaints/{complaint.pk}/close/" not in page
    response = client.post(f"/supervision/complaints/{complaint.pk}/accept/", {"handlers": [cw.market_officer.pk]})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).status == "accepted"
    refused = client.post(f"/supervision/complaints/{complaint.pk}/reply/", {"reply": "x"})
    assert refused.status_code == 200 and "不能答复" in refused.content.decode()


def test_the_complaint_list_stays_flat(cw, client, django_assert_max_num_queries):
    """The list's queries do not grow with the rows shown."""
    for n in range(3):
        services.receive(source="portal", region=cw.tree.county, agency=cw.tree.market, subject=f"事由{n}",
                         content="内容", anonymous=True)
    client.force_login(cw.supervisor)
    client.get("/supervision/complaints/")  # warm the session and the menu
    with django_assert_max_num_queries(40) as few:
        client.get("/supervision/complaints/")
    for n in range(25):
        services.receive(source="portal", region=cw.tree.county, agency=cw.tree.comprehensive, subject=f"更多{n}",
                         content="内容", anonymous=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/supervision/complaints/")
    assert response.status_code == 200 and "更多24" in response.content.decode()


def test_the_portal_never_shows_identity(cw, complaint):
    """Even with the right query code the status page shows status and reply only."""
    c, code = services.receive(source="portal", region=cw.tree.county, agency=cw.tree.market, subject="油烟",
                               content="油烟", complainant={"name": NAME, "phone": PHONE}, with_query_code=True)
    page = Client().post("/public/complaints/status/", {"code": code}).content.decode()
    assert c.number in page
    _assert_hidden(page)


def test_the_portal_shows_progress_and_reply_but_no_internal_note(cw):
    """The query page lists the steps with their days (办理进度) and the reply, but neither the
    identity nor what only staff wrote: transfer and decision reasons, reminders, handlers' names."""
    c, code = services.receive(source="portal", region=cw.tree.county, agency=cw.tree.market, subject="油烟",
                               content="油烟", complainant={"name": NAME, "phone": PHONE}, with_query_code=True)
    c = services.perform(c, "transfer", actor=cw.market_head, agency=cw.tree.comprehensive,
                         reason="内部意见：占道经营属综合执法")
    c = services.perform(c, "accept", actor=cw.comp_officer, handlers=[cw.comp_officer])
    c = services.perform(c, "decide", actor=cw.comp_officer, decision="handled", reason="内部核查记录：店主已认错")
    services.perform(c, "reply", actor=cw.comp_officer, reply="已责令停止占道经营。")
    page = Client().post("/public/complaints/status/", {"code": code}).content.decode()
    assert "办理进度" in page
    steps = ["收到投诉举报", "转交有管辖权的部门办理", "承办部门受理", "作出处理决定", "答复投诉举报人"]
    progress = page[page.index("办理进度"):]
    positions = [progress.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "已责令停止占道经营。" in page
    _assert_hidden(page)
    for internal in ("内部意见", "内部核查记录", cw.comp_officer.get_full_name() or "comp_officer",
                     cw.market_head.get_full_name() or "head_a"):
        assert internal not in page
