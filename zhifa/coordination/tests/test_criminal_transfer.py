"""两法衔接: each period of 国务院令第310号, the head's decision, the record, the problem models, scope."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases.models import Case
from zhifa.coordination import models as m
from zhifa.coordination import services
from zhifa.records.services import events_for
from zhifa.supervision.problems.registry import CheckContext, get_check

pytestmark = pytest.mark.django_db
D = datetime.date


def _report(world, case, **extra):
    data = {"officers": [world.o1, world.o2], "suspected_offence": "生产、销售伪劣产品罪",
            "report_text": "经两名执法人员核实，销售金额达八万元。", "amount": Decimal("80000")}
    data.update(extra)
    return services.report(case, actor=world.officer_user, **data)


def test_the_whole_transfer_with_its_periods_in_the_case_record(world, open_general, fixed_today):
    case = open_general()
    transfer = _report(world, case)
    assert transfer.decision_due == D(2026, 11, 5)  # report on Mon 2 Nov + 3 days
    with pytest.raises(PermissionDenied, match="负责人决定"):
        services.decide(transfer, actor=world.officer_user, approve=True)
    transfer = services.decide(transfer, actor=world.head, approve=True)
    assert transfer.status == m.APPROVED
    assert transfer.transfer_due_at - transfer.decided_at == datetime.timedelta(hours=24)
    with pytest.raises(ValidationError, match="移送书"):
        services.transfer_to_police(transfer, actor=world.officer_user, police_organ="云岭县公安局",
                                    procuratorate="云岭县人民检察院", materials=["调查报告"])
    transfer = services.transfer_to_police(transfer, actor=world.officer_user, police_organ="云岭县公安局",
                                           procuratorate="云岭县人民检察院",
                                           materials=["涉嫌犯罪案件移送书", "涉嫌犯罪案件调查报告", "涉案物品清单"])
    assert transfer.police_decision_due == D(2026, 11, 5)
    fixed_today(D(2026, 11, 4))
    transfer = services.record_police_decision(transfer, actor=world.officer_user, opened=True,
                                               notice_on=D(2026, 11, 4), case_number="云公（经）立字〔2026〕18号")
    assert transfer.status == m.POLICE_OPENED and transfer.handover_due == D(2026, 11, 9)  # 7 Nov is a Saturday
    transfer = services.hand_over(transfer, actor=world.officer_user, items=["涉案产品200件", "检验报告"])
    assert transfer.status == m.HANDED_OVER
    kinds = [e.kind for e in events_for(case.stream_key)]
    assert kinds[-5:] == ["criminal:reported", "criminal:decided", "criminal:transferred",
                          "criminal:police_decision", "criminal:handed_over"]


def test_a_report_needs_two_officers_able_to_act(world, open_general):
    case = open_general()
    with pytest.raises(ValidationError, match="两名以上"):
        _report(world, case, officers=[world.o1])
    with pytest.raises(ValidationError, match="执法资格"):
        _report(world, case, officers=[world.o1, world.aux])
    _report(world, case)
    with pytest.raises(ValidationError, match="办理中"):
        _report(world, case)


def test_a_refusal_needs_reasons_and_reconsideration_has_its_three_days(world, open_general, fixed_today):
    case = open_general()
    with pytest.raises(ValidationError):
        services.decide(_report(world, case), actor=world.head, approve=False, reason="")
    transfer = services.decide(case.criminal_transfers.get(), actor=world.head, approve=True)
    transfer = services.transfer_to_police(transfer, actor=world.officer_user, police_organ="云岭县公安局",
                                           procuratorate="云岭县人民检察院", materials=["涉嫌犯罪案件移送书"])
    transfer = services.record_police_decision(transfer, actor=world.officer_user, opened=False,
                                               notice_on=D(2026, 11, 2), reason="未达到立案追诉标准")
    assert transfer.reconsideration_due == D(2026, 11, 5)
    fixed_today(D(2026, 11, 6))
    with pytest.raises(ValidationError, match="期限已于2026年11月05日届满"):
        services.object_to_refusal(transfer, actor=world.officer_user, to="reconsideration", reason="销售金额已达标准")
    transfer = services.object_to_refusal(transfer, actor=world.officer_user, to="supervision", reason="销售金额已达标准")
    assert transfer.status == m.SUPERVISION and transfer.supervision_requested_on == D(2026, 11, 6)


def test_overdue_steps_raise_the_supervision_model(world, open_general):
    case = open_general()
    transfer = _report(world, case)
    check = get_check("CRIMINAL_TRANSFER_OVERDUE")
    on_time = list(check.func(CheckContext(today=D(2026, 11, 5), params={})))
    late = list(check.func(CheckContext(today=D(2026, 11, 6), params={})))
    assert on_time == [] and [f.case_id for f in late] == [case.pk]
    services.decide(transfer, actor=world.head, approve=True)  # decided 2 Nov 15:00: transfer due 3 Nov 15:00
    assert list(check.func(CheckContext(today=D(2026, 11, 3), params={}))) == []
    assert "二十四小时" in next(iter(check.func(CheckContext(today=D(2026, 11, 4), params={})))).summary


def test_penalty_instead_of_transfer_is_flagged_by_item_threshold(world, open_general):
    fined = open_general()
    Case.objects.filter(pk=fined.pk).update(outcome="penalty", decided_on=D(2026, 10, 30), fine_amount=Decimal("60000"))
    small = open_general()
    Case.objects.filter(pk=small.pk).update(outcome="penalty", decided_on=D(2026, 10, 30), fine_amount=Decimal("49999"))
    check = get_check("PENALTY_INSTEAD_OF_TRANSFER")
    found = list(check.func(CheckContext(today=D(2026, 11, 2), params=check.params)))
    assert [f.case_id for f in found] == [fined.pk] and "以" not in found[0].summary[:1]
    per_item = {"default_threshold": None, "thresholds": {world.item.code: 70000}}
    assert list(check.func(CheckContext(today=D(2026, 11, 2), params=per_item))) == []
    _report(world, fined)  # transferred (or at least reported): no longer 以罚代刑
    assert list(check.func(CheckContext(today=D(2026, 11, 2), params=check.params))) == []


def test_the_api_walks_the_transfer_and_another_county_cannot_see_it(world, open_general, api_client, users):
    case = open_general()
    api_client.force_authenticate(world.officer_user)
    response = api_client.post("/api/coordination/criminal-transfers/report/", {
        "case": case.pk, "officers": [world.o1.pk, world.o2.pk], "suspected_offence": "生产、销售伪劣产品罪",
        "report_text": "核实情况", "amount": "80000.00"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    refused = api_client.post(f"/api/coordination/criminal-transfers/{pk}/decide/", {"approve": True}, format="json")
    assert refused.status_code == 403
    api_client.force_authenticate(world.head)
    assert api_client.post(f"/api/coordination/criminal-transfers/{pk}/decide/", {"approve": True},
                           format="json").json()["status"] == m.APPROVED
    api_client.force_authenticate(users.officer_b)
    assert api_client.get(f"/api/coordination/criminal-transfers/{pk}/").status_code == 404
    assert api_client.post(f"/api/coordination/criminal-transfers/{pk}/transfer/", {
        "police_organ": "x", "procuratorate": "y", "materials": ["涉嫌犯罪案件移送书"]}, format="json").status_code == 404


def test_the_pages_report_and_decide(world, open_general, client):
    case = open_general()
    client.force_login(world.officer_user)
    response = client.post(f"/coordination/cases/{case.pk}/criminal-transfer/", {
        "officers": [world.o1.pk, world.o2.pk], "suspected_offence": "生产、销售伪劣产品罪", "report_text": "核实情况"})
    transfer = case.criminal_transfers.get()
    assert response.status_code == 302 and response.url == transfer.get_absolute_url()
    client.force_login(world.head)
    page = client.post(transfer.get_absolute_url(), {"approve": "0", "reason": ""}).content.decode()
    assert "此项必填" in page
    client.post(transfer.get_absolute_url(), {"approve": "1"})
    transfer.refresh_from_db()
    assert transfer.status == m.APPROVED
    assert "移送公安机关" in client.get(transfer.get_absolute_url()).content.decode()
