"""The portal's complaint form: the query code shown once and never stored, the status page and
the rating with it, and each abuse-resistance check (token, proof-of-work, honeypot, per-day limit)."""

import time

import pytest
from django.core.cache import cache
from django.test import Client

from zhifa.supervision.complaints import portal, services
from zhifa.supervision.models.complaints import Complainant, Complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def easy_proof(settings):
    settings.ZHIFA_COMPLAINT_POW_BITS = 8
    settings.ZHIFA_COMPLAINT_MIN_SECONDS = 0
    cache.clear()


def _form(cw, **extra):
    token = portal.new_form_token()
    data = {"kind": "tip", "region": cw.tree.county.pk, "agency": "", "reported_name": "某餐馆", "subject": "餐馆使用过期食材",
            "content": "后厨有大量过期食材。", "place": "人民路8号", "name": "赵公众", "phone": "13600000000",
            "website": "", "token": token, "proof": portal.solve(token, 8)}
    data.update(extra)
    return data


def test_submission_shows_the_query_code_once_and_stores_only_its_hash(cw):
    page = Client().get("/public/complaints/new/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert 'src="/static/supervision/complaint-pow.js"' in page.content.decode()
    response = Client().post("/public/complaints/new/", _form(cw))
    assert response.status_code == 200, response.content.decode()
    body = response.content.decode()
    complaint = Complaint.objects.get()
    code = body.split('<p class="code">')[1].split("</p>")[0]
    assert len(code.replace("-", "")) == 16
    assert complaint.query_code_hash and code not in str(Complaint.objects.values().get())
    assert complaint.source == "portal" and complaint.region == cw.tree.county
    assert Complainant.objects.get(complaint=complaint).phone == "13600000000"
    assert services.find_by_query_code(code) == complaint
    assert services.find_by_query_code(code.lower()) == complaint
    assert services.find_by_query_code("AAAA-AAAA-AAAA-AAAA") is None


def test_status_page_and_rating_with_the_query_code(cw):
    c, code = services.receive(source="portal", region=cw.tree.county, agency=cw.tree.market, subject="油烟",
                               content="油烟扰民", anonymous=True, with_query_code=True)
    client = Client()
    assert "查询码不正确" in client.post("/public/complaints/status/", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}).content.decode()
    page = client.post("/public/complaints/status/", {"code": code}).content.decode()
    assert "待受理" in page and "评价办理结果" not in page
    c = services.perform(c, "accept", actor=cw.users.officer_a, handlers=[cw.users.officer_a])
    c = services.perform(c, "decide", actor=cw.users.officer_a, decision="handled", reason="已责令整改")
    services.perform(c, "reply", actor=cw.users.officer_a, reply="已责令安装油烟净化设施。")
    page = client.post("/public/complaints/status/", {"code": code}).content.decode()
    assert "已责令安装油烟净化设施" in page and "评价办理结果" in page
    rated = client.post("/public/complaints/status/", {"code": code, "satisfaction": "satisfied"}).content.decode()
    assert "满意" in rated and "评价办理结果" not in rated
    c.refresh_from_db()
    assert (c.satisfaction, c.satisfaction_channel) == ("satisfied", "portal")


@pytest.mark.parametrize("tamper, message", [
    ({"website": "http://spam.example"}, "未通过校验"),
    ({"token": "forged"}, "未通过校验"),
    ({"proof": "0"}, "浏览器校验未完成"),
])
def test_abuse_checks_refuse_the_submission(cw, tamper, message):
    data = _form(cw)
    if tamper.get("proof") == "0" and portal.leading_zero_bits(
            __import__("hashlib").sha256(f"{data['token']}:0".encode()).digest()) >= 8:
        pytest.skip("counter 0 happens to solve this token")  # 1 in 256
    data.update(tamper)
    response = Client().post("/public/complaints/new/", data)
    assert message in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_token_is_used_once_and_too_fast_or_too_many_are_refused(cw, settings):
    data = _form(cw)
    assert Client().post("/public/complaints/new/", data).status_code == 200
    again = Client().post("/public/complaints/new/", data).content.decode()
    assert "已经提交过" in again and Complaint.objects.count() == 1
    settings.ZHIFA_COMPLAINT_MIN_SECONDS = 60
    fast = Client().post("/public/complaints/new/", _form(cw)).content.decode()
    assert "提交过快" in fast
    settings.ZHIFA_COMPLAINT_MIN_SECONDS = 0
    settings.ZHIFA_COMPLAINT_DAILY_LIMIT = 3
    for _ in range(3):
        Client().post("/public/complaints/new/", _form(cw))
    assert "已达上限" in Client().post("/public/complaints/new/", _form(cw)).content.decode()


def test_an_expired_token_is_refused(cw, monkeypatch):
    data = _form(cw)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3 * 3600)
    assert "表单已过期" in Client().post("/public/complaints/new/", data).content.decode()


def test_a_named_complaint_without_phone_is_returned_with_the_reason(cw):
    response = Client().post("/public/complaints/new/", _form(cw, phone=""))
    assert "姓名和联系电话" in response.content.decode()
    assert not Complaint.objects.exists()
