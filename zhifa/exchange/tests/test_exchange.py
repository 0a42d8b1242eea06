"""Exchange: a county's case steps reach the city's platform in order, exactly once, through the
receiver being down; what arrives is checked (signature, clock, region, order) and scoped."""

import json
import time
import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from zhifa.accounts import roles
from zhifa.cases.models import Case
from zhifa.core import outbox
from zhifa.core.models import OutboxMessage, OutboxReceiver
from zhifa.core.testing import ZhifaServer, make_user
from zhifa.exchange import services
from zhifa.exchange.models import InboundEvent, MirroredCase, Source, Uplink
from zhifa.records.services import append_event

SECRET = "county-to-city-secret-0001"


def _uplink(tree, url="http://127.0.0.1:9/none", region=None):
    OutboxReceiver.objects.create(name="city", label="秦川市平台", url=url, secret=SECRET)
    return Uplink.objects.create(receiver="city", label="秦川市行政执法监督平台", region=region)


def _source(tree):
    return Source.objects.create(name="yunling", label="云岭县平台", region=tree.county, secret=SECRET)


def _signed(message: dict, secret=SECRET, timestamp=None):
    body = json.dumps(message, ensure_ascii=False).encode()
    timestamp = timestamp or str(int(time.time()))
    return body, timestamp, outbox.sign(body, timestamp, secret)


def _message(case_payload: dict, sequence: int = 1, stream: str = "case:77", event_id=None) -> dict:
    return {"id": str(event_id or uuid.uuid4()), "receiver": "city", "stream": stream, "sequence": sequence,
            "type": services.CASE_EVENT, "created_at": "2026-11-02T15:00:00+00:00",
            "payload": {"case": case_payload, "event": {"seq": sequence, "kind": "opened", "summary": "立案",
                                                        "time": "2026-11-02T15:00:00+00:00", "hash": "ab" * 32,
                                                        "algorithm": "sm3"}}}


def _case_payload(**extra) -> dict:
    data = {"case_number": "云市监立〔2026〕1号", "agency_name": "云岭县市场监督管理局", "region_code": "619921",
            "item_code": "SCJG-CF-0125", "item_name": "对经营标签不符合规定的食品的行政处罚", "party_kind": "legal",
            "party_name": "云岭鑫达商贸有限公司", "party_credit_code": "91110000600037341L", "cause": "标签案",
            "procedure": "general", "stage": "filed", "stage_name": "调查取证", "source_kind": "inspection",
            "registered_on": "2026-11-02", "filed_on": "2026-11-02", "decided_on": None, "outcome": "",
            "decision_number": "", "penalty_kinds": [], "fine_amount": None, "confiscation_amount": None,
            "closed_on": None}
    data.update(extra)
    return data


# --- sending -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_case_step_goes_to_the_uplink_in_the_same_transaction(world, open_general, monkeypatch):
    from zhifa.core import jobs

    monkeypatch.setattr(jobs, "enqueue", lambda *a, **k: None)
    _uplink(world.tree)
    case = open_general()
    messages = list(OutboxMessage.objects.filter(receiver="city", stream=case.stream_key).order_by("sequence"))
    events = list(case_services_events(case))
    assert len(messages) == len(events) >= 1
    assert [m.sequence for m in messages] == list(range(1, len(events) + 1))
    payload = messages[-1].payload
    assert payload["case"]["agency_name"] == "云岭县市场监督管理局"
    assert payload["case"]["region_code"] == "619921"
    assert payload["case"]["party_credit_code"] == "91110000600037341L"
    assert payload["event"]["hash"] == events[-1].hash

    # a step that fails rolls back with its event: nothing is sent for it
    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        append_event(case.stream_key, "note", "办案人员备注", actor=world.officer_user)
        raise RuntimeError("rolled back")
    assert OutboxMessage.objects.count() == before


def case_services_events(case):
    from zhifa.records.services import events_for

    return events_for(case.stream_key)


@pytest.mark.django_db
def test_a_natural_person_travels_with_the_surname_only(world, open_general, monkeypatch):
    from zhifa.core import jobs

    monkeypatch.setattr(jobs, "enqueue", lambda *a, **k: None)
    _uplink(world.tree)
    case = open_general(party=world.person)
    payload = OutboxMessage.objects.filter(stream=case.stream_key).last().payload["case"]
    assert payload["party_name"] == "张*" and payload["party_credit_code"] == ""
    assert "11010519491231002X" not in json.dumps(payload, ensure_ascii=False)


@pytest.mark.django_db
def test_an_uplink_for_another_region_gets_nothing(world, open_general, monkeypatch):
    from zhifa.core import jobs

    monkeypatch.setattr(jobs, "enqueue", lambda *a, **k: None)
    _uplink(world.tree, region=world.tree.other_county)
    open_general()
    assert not OutboxMessage.objects.filter(receiver="city").exists()


# --- receiving ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_receiving_checks_signature_clock_region_and_order(world):
    _source(world.tree)
    first = _message(_case_payload())
    assert services.receive("yunling", *_signed(first, secret="wrong-secret-000000")).code == "bad_signature"
    stale = str(int(time.time()) - 3600)
    assert services.receive("yunling", *_signed(first, timestamp=stale)).code == "stale_timestamp"
    assert services.receive("nobody", *_signed(first)).status == 404
    outside = _message(_case_payload(region_code="619922"), stream="case:78")
    assert services.receive("yunling", *_signed(outside)).status == 403
    bad_amount = _message(_case_payload(fine_amount="lots"), stream="case:79")
    answer = services.receive("yunling", *_signed(bad_amount))
    assert answer.status == 400 and "罚款金额" in answer.detail
    assert not MirroredCase.objects.exists() and not InboundEvent.objects.exists()

    assert services.receive("yunling", *_signed(first)).code == "applied"
    assert services.receive("yunling", *_signed(first)).code == "duplicate"  # the same event again
    gap = _message(_case_payload(stage="decided"), sequence=3)
    answer = services.receive("yunling", *_signed(gap))
    assert answer.status == 409 and answer.extra == {"expected": 2}
    second = _message(_case_payload(stage="decided", decided_on="2026-11-20", fine_amount="8000.00",
                                    decision_number="云市监罚〔2026〕9号"), sequence=2)
    assert services.receive("yunling", *_signed(second)).code == "applied"
    mirrored = MirroredCase.objects.get()
    assert mirrored.last_sequence == 2 and mirrored.stage == "decided" and str(mirrored.fine_amount) == "8000.00"
    assert InboundEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_county_pushes_to_the_city_through_an_outage_exactly_once_in_order(world, open_general):
    """Both sides are this code base: the county's outbox posts to the city's inbound endpoint
    served over real HTTP, which goes down for part of the run."""
    city = ZhifaServer().start()
    try:
        _source(world.tree)
        _uplink(world.tree, url=city.url("/api/exchange/inbound/yunling/"))
        case = open_general()  # delivered right after commit (jobs run at once in tests)
        mirrored = MirroredCase.objects.get(stream=case.stream_key)
        delivered_before = mirrored.last_sequence
        assert delivered_before >= 1

        city.stop()  # the city's platform is down
        for n in range(3):
            append_event(case.stream_key, "note", f"办案备注 {n}", actor=world.officer_user)
        Case.objects.filter(pk=case.pk).update(cause="标签案（已补充）")
        append_event(case.stream_key, "note", "案由已补充", actor=world.officer_user)
        pending = OutboxMessage.objects.filter(receiver="city", delivered_at__isnull=True)
        assert pending.count() == 4
        assert MirroredCase.objects.get(pk=mirrored.pk).last_sequence == delivered_before

        city.start()  # back, on the same address
        OutboxMessage.objects.filter(delivered_at__isnull=True).update(next_attempt_at=timezone.now())
        outbox.deliver_pending()
        assert outbox.deliver_pending().delivered == 0  # nothing left, nothing sent twice
    finally:
        city.stop()
    total = len(list(case_services_events(case)))
    mirrored.refresh_from_db()
    assert mirrored.last_sequence == total
    received = list(InboundEvent.objects.filter(stream=case.stream_key).order_by("received_at", "id"))
    assert [e.sequence for e in received] == list(range(1, total + 1))  # in order, each once
    assert mirrored.cause == "标签案（已补充）" and mirrored.last_event_summary == "案由已补充"


# --- reading at the upper level -------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_supervisors_over_the_source_region_read_its_cases(world, client, api_client):
    _source(world.tree)
    services.receive("yunling", *_signed(_message(_case_payload())))
    mirrored = MirroredCase.objects.get()
    city_supervisor = make_user("city_sup", roles.SUPERVISOR, region=world.tree.city)
    other_supervisor = make_user("qingshi_sup", roles.SUPERVISOR, region=world.tree.other_county)

    client.force_login(city_supervisor)
    page = client.get("/exchange/cases/").content.decode()
    assert "云市监立〔2026〕1号" in page
    assert client.get(f"/exchange/cases/{mirrored.pk}/").status_code == 200

    client.force_login(other_supervisor)
    assert "云市监立〔2026〕1号" not in client.get("/exchange/cases/").content.decode()
    assert client.get(f"/exchange/cases/{mirrored.pk}/").status_code == 404
    api_client.force_authenticate(other_supervisor)
    assert api_client.get("/api/exchange/cases/").json()["results"] == []
    api_client.force_authenticate(city_supervisor)
    assert api_client.get("/api/exchange/cases/").json()["results"][0]["case_number"] == "云市监立〔2026〕1号"

    client.force_login(world.officer_user)  # an officer has no business here
    assert client.get("/exchange/cases/").status_code == 403


@pytest.mark.django_db
def test_the_inbound_endpoint_answers_in_structured_json(world, api_client):
    _source(world.tree)
    body, timestamp, signature = _signed(_message(_case_payload()))
    url = "/api/exchange/inbound/yunling/"
    response = api_client.post(url, body, content_type="application/json",
                               HTTP_X_ZHIFA_TIMESTAMP=timestamp, HTTP_X_ZHIFA_SIGNATURE=signature)
    assert response.status_code == 200 and response.json()["code"] == "applied"
    tampered = body.replace("标签案".encode(), "别的案".encode())
    response = api_client.post(url, tampered, content_type="application/json",
                               HTTP_X_ZHIFA_TIMESTAMP=timestamp, HTTP_X_ZHIFA_SIGNATURE=signature)
    assert response.status_code == 401 and response.json()["detail"] == "签名校验失败。"


@pytest.mark.django_db
def test_the_administrator_sets_up_sources_and_uplinks(world, client):
    admin = make_user("sys", roles.SYSTEM_ADMIN, region=world.tree.city)
    client.force_login(admin)
    response = client.post("/exchange/setup/sources/new/", {"name": "yunling", "label": "云岭县平台",
                                                             "region": world.tree.county.pk,
                                                             "secret": "a-very-long-shared-secret", "active": "on"})
    assert response.status_code == 302
    response = client.post("/exchange/setup/uplinks/new/", {"receiver": "province", "label": "省级平台",
                                                             "active": "on"})
    assert response.status_code == 302
    page = client.get("/exchange/setup/").content.decode()
    assert "/api/exchange/inbound/yunling/" in page and "省级平台" in page
    client.force_login(make_user("sup", roles.SUPERVISOR, region=world.tree.city))
    assert client.get("/exchange/setup/").status_code == 403


@pytest.mark.django_db
def test_backfill_sends_existing_cases_once_and_the_demo_loopback_applies_them(world, open_general, monkeypatch):
    from zhifa.core import jobs
    from zhifa.exchange.demo import deliver_in_process

    monkeypatch.setattr(jobs, "enqueue", lambda *a, **k: None)
    case = open_general()  # before any uplink exists: nothing queued
    assert not OutboxMessage.objects.exists()
    _source(world.tree)
    uplink = _uplink(world.tree, region=world.tree.county)
    steps = len(list(case_services_events(case)))
    assert services.backfill(uplink) == steps
    assert services.backfill(uplink) == 0  # a case already sent is not sent again
    assert deliver_in_process("city", "yunling") == steps
    mirrored = MirroredCase.objects.get(stream=case.stream_key)
    assert mirrored.last_sequence == steps and mirrored.agency_name == "云岭县市场监督管理局"


def test_docs_exchange_md_lists_the_data_elements_sent():
    from pathlib import Path

    from zhifa.exchange.elements import markdown_table

    text = (Path(__file__).resolve().parents[3] / "docs" / "exchange.md").read_text(encoding="utf-8")
    documented = text.split("<!-- case_elements -->\n", 1)[1].split("<!-- /case_elements -->", 1)[0]
    assert documented == markdown_table()
