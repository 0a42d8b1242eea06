"""行政处罚法第三十三条第二款: "当事人有证据足以证明没有主观过错的，不予行政处罚。法律、行政法规
另有规定的，从其规定" — no fault forbids a penalty unless a recorded law or administrative
regulation provides otherwise; that basis is stated in the decision (issue #9/#10 gap)."""

import pytest
from django.core.exceptions import ValidationError

from zhifa.cases import rules, services
from zhifa.cases.documents import build_context
from zhifa.cases.models import Case
from zhifa.catalog import choices as cc

from .test_procedure import _investigate

NO_FAULT = ["没有主观过错"]
BASIS = "《中华人民共和国示例管理条例》第十条"  # a stand-in citation, not a real provision


def test_no_fault_with_a_recorded_legal_exception_may_be_penalised_and_the_decision_says_why(world, open_general):
    """Without the exception the penalty is refused; with a law/regulation cited it is accepted,
    the ground no longer binds, and the decision's reasoning cites 第三十三条第二款 and the basis."""
    case = open_general()
    _investigate(world, case)
    with pytest.raises(ValidationError, match="第三十三条第二款"):
        services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                fine_amount=6000, fact_tags=NO_FAULT)
    result = services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                     fine_amount=6000, fact_tags=NO_FAULT, no_fault_exception=BASIS)
    assert [g.code for g in result.grounds] == []
    case.refresh_from_db()
    assert case.no_fault_exception == BASIS
    reasoning = build_context(case, "penalty_decision")["penalty"]["discretion_reasoning"]
    assert (f"当事人虽有证据证明其没有主观过错，但{BASIS}对此另有规定，依据《中华人民共和国行政处罚法》第三十三条第二款"
            "“法律、行政法规另有规定的，从其规定”，本局依法予以处罚。") in reasoning
    assert rules.check_no_mandatory_no_penalty(case) is None
    assert services.perform_transition(case, "propose", actor=world.officer_user).stage == "discretion"


@pytest.mark.parametrize("tags, basis, message", [
    ([], BASIS, "只有当事人有证据足以证明没有主观过错"),
    (NO_FAULT, "本局认为应当处罚", "请写明另有规定的法律或者行政法规的名称和条款"),
])
def test_an_exception_needs_the_no_fault_fact_and_a_cited_provision(world, open_general, tags, basis, message):
    case = open_general()
    _investigate(world, case)
    with pytest.raises(ValidationError, match=message) as exc:
        services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                fine_amount=6000, fact_tags=tags, no_fault_exception=basis)
    assert list(exc.value.message_dict) == ["no_fault_exception"]


def test_the_exception_through_the_web_form_and_the_api(world, open_general, client, api_client):
    """The discretion page and the API take the same field; the case page shows the basis; another
    agency's officer cannot set it."""
    case = open_general()
    _investigate(world, case)
    client.force_login(world.officer_user)
    url = f"/cases/{case.pk}/discretion/"
    form = {"level": cc.LIGHT, "outcome": "penalty", "penalty_kinds": [cc.FINE], "fine_amount": "6000",
            "fact_tags": NO_FAULT, "no_fault_exception": BASIS}
    assert client.post(url, form).status_code == 302
    assert Case.objects.get(pk=case.pk).no_fault_exception == BASIS
    assert "无主观过错仍予处罚的依据" in client.get(case.get_absolute_url()).content.decode()
    api_client.force_authenticate(world.officer_user)
    refused = api_client.post(f"/api/cases/cases/{case.pk}/discretion/", {
        "level": cc.LIGHT, "penalty_kinds": [cc.FINE], "fine_amount": "6000", "fact_tags": NO_FAULT,
        "no_fault_exception": "依照上级通知"}, format="json")
    assert refused.status_code == 400 and "法律或者行政法规" in str(refused.json())
    body = api_client.post(f"/api/cases/cases/{case.pk}/discretion/", {
        "level": cc.LIGHT, "penalty_kinds": [cc.FINE], "fine_amount": "6000", "fact_tags": NO_FAULT,
        "no_fault_exception": BASIS}, format="json")
    assert body.status_code == 200 and body.json()["no_penalty_grounds"] == []
    assert api_client.get(f"/api/cases/cases/{case.pk}/").json()["no_fault_exception"] == BASIS
    api_client.force_authenticate(world.users.officer_b)
    assert api_client.post(f"/api/cases/cases/{case.pk}/discretion/", {
        "level": cc.LIGHT, "penalty_kinds": [cc.FINE], "fine_amount": "6000", "fact_tags": NO_FAULT,
        "no_fault_exception": ""}, format="json").status_code == 404
    assert Case.objects.get(pk=case.pk).no_fault_exception == BASIS
