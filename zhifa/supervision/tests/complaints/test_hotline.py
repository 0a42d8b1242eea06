"""The 12345 / 12348 hotline API: signed requests, idempotent work orders, and the status pushed
back through the outbox to a real HTTP receiver that is down for a while."""

import json
import time

import pytest
from rest_framework.test import APIClient

from zhifa.core import outbox
from zhifa.core.models import OutboxReceiver
from zhifa.core.testing import RecordingReceiver
from zhifa.supervision.complaints import services
from zhifa.supervision.complaints.hotline import signed_headers
from zhifa.supervision.models.complaints import Complainant, Complaint

from .conftest import SECRET

pytestmark = pytest.mark.django_db
URL = "/api/supervision/hotline/work-orders/"


def order(number="GD2026110200017", **extra):
    data = {"work_order_number": number, "kind": "complaint", "region_code": "619921", "subject": "餐馆油烟扰民",
            "content": "人民路某餐馆油烟直排。", "reported_name": "某餐馆",
            "complainant": {"name": "李来电", "phone": "13700001111"}}
    data.update(extra)
    return data


def post(path, data, code="12345-619900", secret=SECRET, now=None):
    body = json.dumps(data, ensure_ascii=False).encode()
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed_headers(code, secret, body, now).items()}
    return APIClient().generic("POST", path, body, content_type="application/json", **headers)


def test_a_work_order_pushed_twice_creates_one_complaint(cw):
    first = post(URL, order())
    assert first.status_code == 201, first.content
    again = post(URL, order(subject="重复推送"))
    assert again.status_code == 200
    assert first.json()["complaint_number"] == again.json()["complaint_number"]
    assert first.json()["duplicate"] is False
    assert again.json()["duplicate"] is True and "未重复登记" in again.json()["message"]
    assert Complaint.objects.filter(work_order_number="GD2026110200017").count() == 1
    complaint = Complaint.objects.get()
    assert complaint.source == "hotline_12345" and complaint.hotline_system == cw.hotline
    assert complaint.subject == "餐馆油烟扰民" and complaint.status == "received"
    assert Complainant.objects.get(complaint=complaint).name == "李来电"
    assert "李来电" not in first.content.decode() and "13700001111" not in first.content.decode()
    status = APIClient().generic("GET", URL + "GD2026110200017/", b"", **{
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed_headers("12345-619900", SECRET, b"").items()})
    assert status.status_code == 200 and status.json()["status"] == "received"


def test_the_database_refuses_a_second_row_for_one_work_order(cw):
    """The unique constraint holds even if two requests race past the first lookup."""
    from django.db import IntegrityError, transaction

    services.receive_work_order(cw.hotline, {**order(), "region": cw.tree.county})
    with pytest.raises(IntegrityError), transaction.atomic():
        services.receive(source="hotline_12345", hotline_system=cw.hotline, work_order_number="GD2026110200017",
                         region=cw.tree.county, subject="x", content="y", anonymous=True)


@pytest.mark.parametrize("case", ["bad_signature", "unknown_system", "stale", "inactive"])
def test_unsigned_or_stale_requests_are_refused(cw, case):
    if case == "bad_signature":
        response = post(URL, order(), secret="wrong")
    elif case == "unknown_system":
        response = post(URL, order(), code="12345-000000")
    elif case == "stale":
        response = post(URL, order(), now=time.time() - 3600)
    else:
        cw.hotline.active = False
        cw.hotline.save()
        response = post(URL, order())
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["status"] == 401 and error["code"]
    assert error["message"] in {"热线系统未登记或已停用。", "请求时间戳超出允许范围（5分钟）。", "请求签名无效。"}
    assert not Complaint.objects.exists()


def test_a_staff_token_cannot_push_work_orders_and_regions_outside_the_hotline_are_refused(cw, api_client):
    api_client.force_authenticate(cw.supervisor)
    assert api_client.post(URL, order(), format="json").status_code in (401, 403)
    response = post(URL, order(region_code="110101"))
    assert response.status_code == 400 and "region_code" in response.json()["error"]["fields"]


def test_status_push_back_survives_the_receiver_being_down_and_arrives_once(cw, settings):
    """The hotline's receiver is down when the complaint is accepted; nothing is lost: when it comes
    back the status arrives, signed, exactly once, in order with the later reply."""
    settings.ZHIFA_OUTBOX_BACKOFF_SECONDS = 0
    with RecordingReceiver() as receiver:
        OutboxReceiver.objects.create(name="hotline-12345", label="秦川市12345热线", url=receiver.url,
                                      secret="push-secret")
        assert post(URL, order()).status_code == 201
        complaint = services.perform(Complaint.objects.get(), "route", actor=cw.supervisor, agency=cw.tree.market)
        receiver.stop()
        complaint = services.perform(complaint, "accept", actor=cw.market_officer, handlers=[cw.market_officer])
        report = outbox.deliver_pending()
        assert report.delivered == 0 and report.failed == 1
        assert receiver.events == []
        receiver.start()
        services.perform(complaint, "decide", actor=cw.market_officer, decision="handled", reason="已责令整改")
        services.perform(Complaint.objects.get(), "reply", actor=cw.market_officer, reply="已责令安装油烟净化设施。")
        assert outbox.deliver_pending().delivered == 2
        assert outbox.deliver_pending().delivered == 0
        statuses = [e["payload"]["status"] for e in receiver.events]
        assert statuses == ["accepted", "replied"]
        first = receiver.events[0]
        assert first["stream"] == f"complaint:{complaint.pk}" and first["type"] == "complaint.status"
        assert first["payload"]["work_order_number"] == "GD2026110200017"
        assert "李来电" not in json.dumps(receiver.events, ensure_ascii=False)
        request = receiver.requests[-1]
        headers = {k.lower(): v for k, v in request["headers"].items()}
        assert outbox.verify_signature(request["body"], headers["x-zhifa-timestamp"], headers["x-zhifa-signature"],
                                       "push-secret")


def test_every_status_the_issue_names_reaches_the_hotline_once_in_order(cw, settings):
    """Accepted, transferred, replied and closed (SUP-3 item 1) each reach the hotline's real HTTP
    receiver exactly once and in order, although the receiver refused the first attempts (503) and
    was down for a while; deliveries repeated after the acknowledgement send nothing."""
    settings.ZHIFA_OUTBOX_BACKOFF_SECONDS = 0
    with RecordingReceiver() as receiver:
        OutboxReceiver.objects.create(name="hotline-12345", label="秦川市12345热线", url=receiver.url,
                                      secret="push-secret")
        assert post(URL, order()).status_code == 201
        complaint = services.perform(Complaint.objects.get(), "route", actor=cw.supervisor, agency=cw.tree.market)
        complaint = services.perform(complaint, "accept", actor=cw.market_officer, handlers=[cw.market_officer])
        receiver.fail_next(1)
        assert outbox.deliver_pending().delivered == 0
        complaint = services.perform(complaint, "transfer", actor=cw.market_head, agency=cw.tree.comprehensive,
                                     reason="占道经营属综合执法")
        receiver.stop()
        assert outbox.deliver_pending().delivered == 0
        complaint = services.perform(complaint, "accept", actor=cw.comp_officer, handlers=[cw.comp_officer])
        complaint = services.perform(complaint, "decide", actor=cw.comp_officer, decision="handled", reason="已劝离")
        complaint = services.perform(complaint, "reply", actor=cw.comp_officer, reply="已责令其停止占道经营。")
        services.perform(complaint, "close", actor=cw.supervisor)
        receiver.start()
        for _ in range(3):
            outbox.deliver_pending()
        statuses = [e["payload"]["status"] for e in receiver.events]
        assert statuses == ["accepted", "transferred", "accepted", "replied", "closed"]
        assert len({e["id"] for e in receiver.events}) == 5
        assert [e["sequence"] for e in receiver.events] == sorted(e["sequence"] for e in receiver.events)
        transferred = receiver.events[1]["payload"]
        assert transferred["status_label"] and "综合" in json.dumps(transferred, ensure_ascii=False)
        assert "李来电" not in json.dumps(receiver.events, ensure_ascii=False)
        assert "13700001111" not in json.dumps(receiver.events, ensure_ascii=False)


def test_satisfaction_from_the_hotline(cw):
    post(URL, order())
    complaint = services.perform(Complaint.objects.get(), "route", actor=cw.supervisor, agency=cw.tree.market)
    complaint = services.perform(complaint, "accept", actor=cw.market_officer, handlers=[cw.market_officer])
    complaint = services.perform(complaint, "decide", actor=cw.market_officer, decision="handled", reason="已处理")
    complaint = services.perform(complaint, "reply", actor=cw.market_officer, reply="已处理")
    response = post(URL + "GD2026110200017/satisfaction/", {"satisfaction": "satisfied"})
    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert (complaint.satisfaction, complaint.satisfaction_channel) == ("satisfied", "hotline_12345")
    again = post(URL + "GD2026110200017/satisfaction/", {"satisfaction": "dissatisfied"})
    assert again.status_code == 400 and "已评价" in again.json()["error"]["message"]
