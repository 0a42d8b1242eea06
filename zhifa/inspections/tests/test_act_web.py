"""Inspection pages, API and the enterprise's portal view: scoped (another county's inspection cannot be read
or changed), the same rules as the services, lists flat in queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.core.testing import PASSWORD
from zhifa.inspections.acts import services
from zhifa.inspections.models import Inspection, InspectionEvaluation

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_create_page_and_detail_with_buttons(client, world):
    _login(client, world.officer_user)
    response = client.get(reverse("inspections:act_create"))
    assert response.status_code == 200 and "登记行政检查" in response.content.decode()
    response = client.post(reverse("inspections:act_create"), {
        "agency": world.tree.market.pk, "credit_code": world.company.credit_code, "kind": "routine",
        "origin_kind": "plan", "subject": "日常检查", "place": "云岭县人民路1号", "planned_on": TODAY.isoformat(),
        "items": [world.item.pk], "officers": [world.o1.pk, world.o2.pk]})
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == inspection.get_absolute_url()
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "待审批" in page and "行政检查审批表" in page
    assert reverse("inspections:act_step", args=[inspection.pk, "approve"]) not in page  # officer: no button
    _login(client, world.head)
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert reverse("inspections:act_step", args=[inspection.pk, "approve"]) in page


def test_create_refusal_shown_on_form(client, world):
    _login(client, world.officer_user)
    response = client.post(reverse("inspections:act_create"), {
        "agency": world.tree.market.pk, "credit_code": world.company.credit_code, "kind": "routine",
        "origin_kind": "plan", "subject": "日常检查", "place": "云岭县人民路1号", "planned_on": TODAY.isoformat(),
        "items": [world.item.pk], "officers": [world.o1.pk]})
    assert response.status_code == 200 and "检查人员不得少于两人" in response.content.decode()
    assert not Inspection.objects.exists()


def test_scan_step_page_records_arrival(client, world, inspect):
    inspection = inspect()
    services.perform(inspection, "approve", actor=world.head)
    services.perform(inspection, "notify", actor=world.officer_user)
    _login(client, world.officer_user)
    url = reverse("inspections:act_step", args=[inspection.pk, "arrive"])
    assert "企业监管码" in client.get(url).content.decode()
    response = client.post(url, {"code": "WRONG", "method": "typed", "scanned_at": "2026-11-02T14:55", "place": "门口"})
    assert "监管码与被检查企业不符" in response.content.decode()
    code = services.code_for(world.company).code
    response = client.post(url, {"code": code, "method": "typed", "scanned_at": "2026-11-02T14:55", "place": "门口",
                                 "latitude": "34.1", "longitude": "108.9"})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.stage == "on_site" and inspection.scan_place == "门口"


def test_other_county_cannot_read_or_change(client, api_client, world, inspect):
    inspection = inspect()
    _login(client, world.users.officer_b)
    assert client.get(inspection.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:act_step", args=[inspection.pk, "notify"])).status_code == 404
    assert str(inspection.number) not in client.get(reverse("inspections:act_list")).content.decode()
    api_client.force_login(world.users.officer_b)
    assert api_client.get(f"/api/inspections/acts/{inspection.pk}/").status_code == 404
    assert api_client.get("/api/inspections/acts/").json()["count"] == 0
    response = api_client.post(f"/api/inspections/acts/{inspection.pk}/step/", {"step": "approve"}, format="json")
    assert response.status_code == 404
    inspection.refresh_from_db()
    assert inspection.stage == "requested"


def test_api_create_step_scan_and_structured_refusal(api_client, world):
    api_client.force_login(world.officer_user)
    body = {"agency": world.tree.market.pk, "party": world.company.pk, "items": [world.item.pk],
            "officers": [world.o1.pk], "planned_on": TODAY.isoformat(), "place": "云岭县人民路1号"}
    response = api_client.post("/api/inspections/acts/", body, format="json")
    assert response.status_code == 400
    assert "检查人员不得少于两人" in response.json()["error"]["message"]
    body["officers"] = [world.o1.pk, world.o2.pk]
    response = api_client.post("/api/inspections/acts/", body, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["lines"][0]["item_code"] == "SCJG-JC-0031"
    api_client.force_login(world.head)
    assert api_client.post(f"/api/inspections/acts/{pk}/step/", {"step": "approve"}, format="json").status_code == 200
    api_client.force_login(world.officer_user)
    api_client.post(f"/api/inspections/acts/{pk}/step/", {"step": "notify", "method": "on_site"}, format="json")
    code = services.code_for(world.company).code
    response = api_client.post(f"/api/inspections/acts/{pk}/scan/", {
        "code": f"ZHIFA-JG:{code}", "method": "scan", "latitude": "34.2", "longitude": "108.9", "place": "大门"},
        format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "on_site" and response.json()["scan_method"] == "scan"
    response = api_client.post(f"/api/inspections/acts/{pk}/step/", {"step": "publish"}, format="json")
    assert response.status_code == 400 and "当前环节" in response.json()["error"]["message"]


def test_evidence_with_its_registered_device_through_the_api_and_the_page(api_client, client, world, on_site):
    """The API and the evidence page name the registered device; another county's device is refused with a
    structured error and never offered on the page."""
    import io

    from zhifa.inspections.devices import services as device_services
    from zhifa.inspections.models import Device
    from zhifa.records.models import Upload
    from zhifa.records.services import store_file

    camera = Device.objects.create(kind="camera", serial="YL-JLY-09", agency=world.tree.market,
                                   in_service_on=datetime.date(2026, 1, 1))
    foreign = Device.objects.create(kind="camera", serial="QS-JLY-01", agency=world.tree.other_market,
                                    in_service_on=datetime.date(2026, 1, 1))
    inspection = on_site()
    device_services.issue_device(camera, world.o1, actor=world.head,
                                 issued_at=inspection.started_at - datetime.timedelta(hours=1))
    stored = store_file(io.BytesIO(b"\xff\xd8\xff\xe0JFIF" + b"v" * 4000), "记录仪截图.jpg")
    Upload.objects.create(owner=world.officer_user, name=stored.original_name, size=stored.size,
                          received=stored.size, temp_path="/nonexistent", completed=stored)
    api_client.force_login(world.officer_user)
    url = f"/api/inspections/acts/{inspection.pk}/evidence/"
    body = {"stored_file": stored.pk, "kind": "audiovisual", "title": "记录仪截图",
            "captured_at": inspection.started_at.isoformat()}
    response = api_client.post(url, {**body, "device": foreign.pk}, format="json")
    assert response.status_code == 400 and "device" in response.json()["error"]["fields"]
    response = api_client.post(url, {**body, "device": camera.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert inspection.evidence.get().device == camera
    _login(client, world.officer_user)
    page = client.get(reverse("inspections:act_evidence", args=[inspection.pk])).content.decode()
    assert "YL-JLY-09" in page and "QS-JLY-01" not in page
    assert "执法记录仪 YL-JLY-09采集" in client.get(inspection.get_absolute_url()).content.decode()


def test_api_writes_accept_json_only(api_client, world, inspect):
    inspection = inspect()
    api_client.force_login(world.head)
    response = api_client.post(f"/api/inspections/acts/{inspection.pk}/step/", "step=approve",
                               content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    inspection.refresh_from_db()
    assert inspection.stage == "requested"


def test_list_queries_stay_flat(client, api_client, world, inspect):
    for day in range(3):
        inspect(planned_on=TODAY - datetime.timedelta(days=day))
    _login(client, world.officer_user)
    api_client.force_login(world.officer_user)

    def count(fetch):
        with CaptureQueriesContext(connection) as ctx:
            assert fetch().status_code == 200
        return len(ctx.captured_queries)

    page_small = count(lambda: client.get(reverse("inspections:act_list")))
    api_small = count(lambda: api_client.get("/api/inspections/acts/"))
    for day in range(3, 9):
        inspect(planned_on=TODAY - datetime.timedelta(days=day), kind="case", origin_kind="complaint")
    assert count(lambda: client.get(reverse("inspections:act_list"))) == page_small
    assert count(lambda: api_client.get("/api/inspections/acts/")) == api_small


def test_enterprise_portal_view_and_evaluation(client, world, on_site):
    """The enterprise enters its credit code and code, sees its inspections, evaluates and complains."""
    inspection = on_site()
    code = services.code_for(world.company).code
    url = reverse("inspection_portal:lookup")
    response = client.post(url, {"credit_code": world.company.credit_code, "code": "A" * 12})
    assert "不正确" in response.content.decode()
    response = client.post(url, {"credit_code": world.company.credit_code, "code": code})
    assert response.status_code == 302
    page = client.get(reverse("inspection_portal:enterprise"))
    assert page["Cache-Control"].startswith("private")
    assert inspection.number in page.content.decode()
    response = client.post(reverse("inspection_portal:enterprise"),
                           {"inspection": inspection.pk, "rating": 2, "comment": "检查时间过长", "is_complaint": "on"})
    assert "投诉请填写企业联系人姓名" in response.content.decode() and not InspectionEvaluation.objects.exists()
    response = client.post(reverse("inspection_portal:enterprise"),
                           {"inspection": inspection.pk, "rating": 2, "comment": "检查时间过长", "is_complaint": "on",
                            "contact_name": "王经理", "contact_phone": "13800000001"})
    evaluation = InspectionEvaluation.objects.get()
    assert evaluation.is_complaint and evaluation.rating == 2
    # The complaint is in the complaints app; its query code is shown once and follows it on the portal.
    body = response.content.decode()
    assert response.status_code == 200 and evaluation.complaint.number in body
    code = re.search(r'<strong class="code">([^<]+)</strong>', body).group(1)
    status = client.post(reverse("supervision_public:complaint_status"), {"code": code}).content.decode()
    assert evaluation.complaint.number in status
    assert evaluation.complaint.number in client.get(reverse("inspection_portal:enterprise")).content.decode()
    other = Inspection.objects.create(**{f.name: getattr(inspection, f.name) for f in Inspection._meta.concrete_fields
                                         if f.name not in ("id", "party", "number")},
                                      party=world.other_company, number="X")
    client.post(reverse("inspection_portal:enterprise"), {"inspection": other.pk, "rating": 5})
    assert InspectionEvaluation.objects.count() == 1  # not its own inspection


def test_portal_pages_have_no_inline_script_or_style(client, world, on_site):
    on_site()
    for url in (reverse("inspection_portal:lookup"), reverse("inspection_portal:caps")):
        body = client.get(url).content.decode()
        assert "<script>" not in body and "style=" not in body and "<style" not in body


def test_supervision_code_qr_and_statistics(client, world, on_site):
    on_site()
    _login(client, world.officer_user)
    response = client.get(reverse("inspections:supervision_code_qr", args=[world.company.pk]))
    assert response.status_code == 200 and response.content[:4] == b"\x89PNG"
    assert client.get(reverse("inspections:supervision_code_qr", args=[world.other_company.pk])).status_code == 404
    page = client.get(reverse("inspections:act_statistics") + "?year=2026").content.decode()
    assert "云岭县市场监督管理局" in page and "共 1 次" in page


def test_published_results_are_on_the_portal(client, world, on_site, django_assert_max_num_queries):
    """一公开: a result appears on 检查结果公示 once published (step ``publish``), not before; searchable by the
    enterprise's credit code; the page's queries do not grow with the rows; no inline script or style."""
    inspection = on_site()
    line = inspection.lines.get()
    services.perform(inspection, "record", actor=world.officer_user, findings="未发现问题。",
                     lines={line.pk: ("compliant", "")})
    services.perform(inspection, "conclude", actor=world.officer_user)
    url = reverse("inspection_portal:results")
    assert inspection.number not in client.get(url).content.decode()
    services.perform(inspection, "publish", actor=world.officer_user, summary="食品贮存情况符合规定。")
    body = client.get(url).content.decode()
    assert inspection.number in body and "食品贮存情况符合规定。" in body and world.company.name in body
    assert "李明" not in body  # no officer's name
    assert "<script>" not in body and "style=" not in body and "<style" not in body
    assert inspection.number not in client.get(url, {"credit_code": world.other_company.credit_code}).content.decode()
    assert inspection.number in client.get(url, {"credit_code": world.company.credit_code}).content.decode()
    for day in range(3):  # more published rows, same number of queries
        other = on_site(planned_on=TODAY)
        Inspection.objects.filter(pk=other.pk).update(published_on=TODAY, public_summary=f"结果{day}")
    with django_assert_max_num_queries(8):
        body = client.get(url).content.decode()
    assert "结果2" in body
