"""案件移送、管辖争议、问题线索移送 (issue #16): each state and deadline, the wrong actor refused,
the case and its hash-chained record moving with the transfer, what the sender, the receiver and
a third agency may see, the named readers of a clue referral, the API and the pages."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.accounts import roles
from zhifa.cases.models import Case, CaseDocument
from zhifa.cases.rules import REQUIREMENTS
from zhifa.coordination import models as m
from zhifa.coordination.models import CaseTransfer, ClueReferral
from zhifa.coordination.transfers import clues, services
from zhifa.core.testing import make_user
from zhifa.orgs.models import Agency
from zhifa.records.models import AccessLog
from zhifa.records.services import events_for, verify_stream
from zhifa.supervision.problems.registry import CheckContext, get_check

pytestmark = pytest.mark.django_db
D = datetime.date
REASON = "当事人经营场所及违法行为发生地均在青石县，本局无管辖权。"


@pytest.fixture
def sides(world, users):
    """The sender (云岭县市场监管局), the receiver (青石县市场监管局) and a third agency (云岭县综合执法局)."""
    t = world.tree
    s = SimpleNamespace(
        sender=world.officer_user, sender_head=world.head,
        receiver=users.officer_b,
        receiver_head=make_user("head_b", roles.AGENCY_HEAD, agency=t.other_market, display_name="青石局长"),
        third=make_user("officer_c", roles.OFFICER, agency=t.comprehensive, display_name="综合执法员"),
        city_justice=Agency.objects.create(name="秦川市司法局", region=t.city, kind="supervision"),
    )
    s.city_supervisor = make_user("supervisor_city", roles.SUPERVISOR, region=t.city)
    return s


def _send(world, sides, case, **extra):
    data = {"to_agency": world.tree.other_market, "reason": REASON}
    data.update(extra)
    return services.send(case, actor=sides.sender, **data)


def test_the_round_trip_moves_the_case_and_its_record_stays_one_valid_chain(world, sides, open_general, fixed_today):
    case = open_general()
    transfer = _send(world, sides, case)
    assert transfer.status == m.SENT and transfer.from_agency == world.tree.market
    assert transfer.answer_due == D(2026, 11, 11)  # Mon 2 Nov + 7 working days
    letter = CaseDocument.objects.get(pk=transfer.letter_id)
    assert letter.code == "case_transfer_letter" and letter.title == "案件移送函" and "移" in letter.number
    assert letter.pdf_status == CaseDocument.PDF_PENDING  # converted by the job after commit
    with pytest.raises(PermissionDenied):
        services.receive(transfer, actor=sides.third)
    with pytest.raises(PermissionDenied):
        services.receive(transfer, actor=sides.sender)
    with pytest.raises(ValidationError, match="不能办理这一步"):
        services.accept(transfer, actor=sides.receiver_head)  # 签收 first
    transfer = services.receive(transfer, actor=sides.receiver)
    assert transfer.status == m.RECEIVED and transfer.received_at is not None
    with pytest.raises(PermissionDenied, match="负责人"):
        services.accept(transfer, actor=sides.receiver)
    transfer = services.accept(transfer, actor=sides.receiver_head)
    case.refresh_from_db()
    assert transfer.status == m.ACCEPTED
    assert case.agency == world.tree.other_market and case.unit is None and not case.assignments.exists()
    kinds = [e.kind for e in events_for(case.stream_key)]
    assert kinds[-5:] == ["document", "transfer:sent", "transfer:received", "transfer:accepted", "jurisdiction:moved"]
    assert transfer.record_seq == events_for(case.stream_key).last().seq
    assert verify_stream(case.stream_key, check_files=False).ok


def test_scope_sender_reads_its_part_receiver_acts_third_agency_sees_nothing(world, sides, open_general, client):
    case = open_general()
    transfer = _send(world, sides, case)
    # before acceptance: the receiver sees the transfer and the case on it, read-only
    assert not Case.objects.restrict(sides.receiver, "view").filter(pk=case.pk).exists()
    client.force_login(sides.receiver)
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert "签收" in page and case.cause in page and "打开案件" not in page
    services.accept(services.receive(transfer, actor=sides.receiver), actor=sides.receiver_head)
    services.move_case  # noqa: B018  (the same move serves designations)
    from zhifa.records.services import append_event

    append_event(case.stream_key, "note", "受移送机关补充调查", actor=sides.receiver)
    # receiver: reads and changes the case
    assert Case.objects.restrict(sides.receiver, "change").filter(pk=case.pk).exists()
    # sender: the transfer and the record up to the move, read-only; the case no longer
    assert not Case.objects.restrict(sides.sender, "view").filter(pk=case.pk).exists()
    assert CaseTransfer.objects.restrict(sides.sender, "view").filter(pk=transfer.pk).exists()
    client.force_login(sides.sender)
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert "案件已移交" in page and "受移送机关补充调查" not in page and "接收移送的案件" in page
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.post(transfer.get_absolute_url(), {"step": "accept"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.send(case, actor=sides.sender, to_agency=world.tree.comprehensive, reason="再移送")
    # receiver's page shows the whole record
    client.force_login(sides.receiver)
    assert "受移送机关补充调查" in client.get(transfer.get_absolute_url()).content.decode()
    # a third agency: nothing
    client.force_login(sides.third)
    assert client.get(transfer.get_absolute_url()).status_code == 404
    assert not CaseTransfer.objects.restrict(sides.third, "view").exists()
    assert not Case.objects.restrict(sides.third, "view").filter(pk=case.pk).exists()


def test_a_return_needs_reasons_and_gives_the_case_back_unchanged(world, sides, open_general):
    case = open_general()
    transfer = _send(world, sides, case)
    with pytest.raises(PermissionDenied):
        services.return_transfer(transfer, actor=sides.receiver, reason="不属本局管辖")
    with pytest.raises(ValidationError, match="必填"):
        services.return_transfer(transfer, actor=sides.receiver_head, reason=" ")
    transfer = services.return_transfer(transfer, actor=sides.receiver_head, reason="违法行为发生地在云岭县。")
    case.refresh_from_db()
    assert transfer.status == m.RETURNED and case.agency == world.tree.market and case.assignments.count() == 2
    assert Case.objects.restrict(sides.sender, "change").filter(pk=case.pk).exists()
    assert not Case.objects.restrict(sides.receiver, "view").filter(pk=case.pk).exists()
    assert events_for(case.stream_key).last().kind == "transfer:returned"
    assert _send(world, sides, case).status == m.SENT  # may be sent again (elsewhere or after more facts)


def test_what_cannot_be_transferred_and_the_decision_gate(world, sides, open_general):
    case = open_general()
    gate = REQUIREMENTS["jurisdiction_settled"]
    assert gate.check(case) is None
    with pytest.raises(ValidationError, match="本案的办案机关"):
        services.send(case, actor=sides.sender, to_agency=world.tree.market, reason="x")
    with pytest.raises(ValidationError, match="执法监督机关"):
        services.send(case, actor=sides.sender, to_agency=world.tree.justice, reason="x")
    with pytest.raises(PermissionDenied):
        services.send(case, actor=world.users.auxiliary_a, to_agency=world.tree.other_market, reason="x")
    with pytest.raises(PermissionDenied):  # another agency's officer cannot send this case
        services.send(case, actor=sides.third, to_agency=world.tree.other_market, reason="x")
    transfer = _send(world, sides, case)
    assert "移送中" in gate.check(case)
    with pytest.raises(ValidationError, match="移送中"):
        _send(world, sides, case)
    services.accept(services.receive(transfer, actor=sides.receiver), actor=sides.receiver_head)
    case.refresh_from_db()
    assert gate.check(case) is None
    with pytest.raises(ValidationError, match="不得再自行移送"):
        services.send(case, actor=sides.receiver, to_agency=world.tree.comprehensive, reason="x")
    decided = open_general()
    Case.objects.filter(pk=decided.pk).update(decided_on=D(2026, 10, 30), outcome="penalty")
    decided.refresh_from_db()
    with pytest.raises(ValidationError, match="已作出决定"):
        _send(world, sides, decided)


def test_an_unanswered_transfer_is_a_problem_of_the_receiver(world, sides, open_general):
    case = open_general()
    transfer = _send(world, sides, case)
    check = get_check("CASE_TRANSFER_ANSWER_OVERDUE")
    assert list(check.func(CheckContext(today=D(2026, 11, 11), params={}))) == []
    late = list(check.func(CheckContext(today=D(2026, 11, 12), params={})))
    assert [(f.case_id, f.agency_id) for f in late] == [(case.pk, world.tree.other_market.pk)]
    services.receive(transfer, actor=sides.receiver)
    services.return_transfer(transfer, actor=sides.receiver_head, reason="不属本局管辖")
    assert list(check.func(CheckContext(today=D(2026, 11, 12), params={}))) == []


def test_a_dispute_goes_to_the_common_regions_office_which_designates_and_the_case_moves(
        world, sides, open_general, users, fixed_today):
    case = open_general()
    dispute = services.raise_dispute(case, actor=sides.sender, other_agency=world.tree.other_market, kind="decline",
                                     statement="违法行为发生地在两县交界，双方均认为不属本机关管辖。")
    assert dispute.office == sides.city_justice and dispute.deciding_authority == "秦川市人民政府"
    assert dispute.decision_due == D(2026, 11, 11)
    assert "管辖争议" in REQUIREMENTS["jurisdiction_settled"].check(case)
    with pytest.raises(ValidationError, match="管辖争议"):
        _send(world, sides, case)
    with pytest.raises(PermissionDenied):  # the county's supervisor does not cover the city's office
        services.decide_dispute(dispute, actor=users.supervisor_a, designated_agency=world.tree.other_market,
                                reasons="x")
    with pytest.raises(PermissionDenied):
        services.decide_dispute(dispute, actor=sides.sender_head, designated_agency=world.tree.market, reasons="x")
    check = get_check("JURISDICTION_DISPUTE_OVERDUE")
    assert [f.agency_id for f in check.func(CheckContext(today=D(2026, 11, 12), params={}))] == [sides.city_justice.pk]
    with pytest.raises(ValidationError, match="必填"):
        services.decide_dispute(dispute, actor=sides.city_supervisor, designated_agency=world.tree.other_market,
                                reasons="")
    dispute = services.decide_dispute(dispute, actor=sides.city_supervisor, designated_agency=world.tree.other_market,
                                      reasons="违法行为主要发生在青石县境内（行政处罚法第二十二条）。")
    case.refresh_from_db()
    assert dispute.status == m.DISPUTE_DECIDED and case.agency == world.tree.other_market
    assert [e.kind for e in events_for(case.stream_key)][-3:] == ["dispute:raised", "dispute:decided",
                                                                   "jurisdiction:moved"]
    assert verify_stream(case.stream_key, check_files=False).ok
    assert REQUIREMENTS["jurisdiction_settled"].check(case) is None
    assert list(check.func(CheckContext(today=D(2026, 11, 12), params={}))) == []
    with pytest.raises(ValidationError, match="已经指定"):
        services.decide_dispute(dispute, actor=sides.city_supervisor, designated_agency=world.tree.market, reasons="x")


def test_a_dispute_within_one_county_goes_to_the_county_justice_bureau(world, sides, open_general, users):
    case = open_general()
    dispute = services.raise_dispute(case, actor=sides.sender, other_agency=world.tree.comprehensive, kind="claim",
                                     statement="双方均主张管辖。")
    assert dispute.office == world.tree.justice and dispute.deciding_authority == "云岭县人民政府"
    dispute = services.decide_dispute(dispute, actor=users.supervisor_a, designated_agency=world.tree.market,
                                      reasons="本局最先立案（行政处罚法第二十五条）。")
    case.refresh_from_db()
    assert case.agency == world.tree.market and case.assignments.count() == 2  # stays: nothing moved
    from zhifa.coordination.models import JurisdictionDispute

    assert JurisdictionDispute.objects.restrict(sides.third, "view").filter(pk=dispute.pk).exists()  # a party to it
    assert not JurisdictionDispute.objects.restrict(sides.receiver, "view").filter(pk=dispute.pk).exists()


def test_a_clue_referral_is_read_only_by_named_readers_and_every_reading_is_logged(
        world, sides, open_general, client, api_client, users):
    case = open_general()
    referral = clues.refer(case, actor=sides.sender, receiving_organ="云岭县纪委监委", contact="王科长 0912-1234567",
                           official="云岭县某局科员张某", facts="张某收受当事人财物，为其违规经营提供便利。",
                           readers=[world.officer2_user])
    with pytest.raises(ValidationError, match="本机关"):
        clues.refer(case, actor=sides.sender, receiving_organ="x", official="y", facts="z", readers=[sides.receiver])
    with connection.cursor() as cursor:
        cursor.execute("SELECT facts, official FROM coordination_cluereferral WHERE id = %s", [referral.pk])
        raw_facts, raw_official = cursor.fetchone()
    assert "张某" not in raw_facts and "张某" not in raw_official  # encrypted at rest
    last = events_for(case.stream_key).last()
    assert last.kind == "clue:referred" and "张某" not in last.summary and "张某" not in str(last.payload)
    for reader in (sides.sender, world.officer2_user):
        client.force_login(reader)
        assert "收受当事人财物" in client.get(referral.get_absolute_url()).content.decode()
    assert AccessLog.objects.filter(object_type="coordination.cluereferral", object_id=str(referral.pk)).count() == 2
    for outsider in (world.head, world.unit_head, users.supervisor_a, sides.third):
        client.force_login(outsider)
        assert client.get(referral.get_absolute_url()).status_code == 404
        assert "云岭县纪委监委" not in client.get("/coordination/clues/").content.decode()
        api_client.force_authenticate(outsider)
        assert api_client.get(f"/api/coordination/clue-referrals/{referral.pk}/").status_code == 404
        assert api_client.get("/api/coordination/clue-referrals/").json()["results"] == []
        with pytest.raises(PermissionDenied):
            clues.read(referral, outsider)
    api_client.force_authenticate(world.officer2_user)
    body = api_client.get(f"/api/coordination/clue-referrals/{referral.pk}/").json()
    assert body["facts"].startswith("张某") and body["readers"] == [world.officer2_user.pk]
    assert AccessLog.objects.filter(object_type="coordination.cluereferral").count() == 3
    assert ClueReferral.objects.restrict(world.head, "view").count() == 0


def test_the_api_walks_a_transfer_json_only_and_scoped(world, sides, open_general, api_client):
    case = open_general()
    api_client.force_authenticate(sides.sender)
    response = api_client.post("/api/coordination/case-transfers/send/", {
        "case": case.pk, "to_agency": world.tree.other_market.pk, "reason": REASON}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api_client.post("/api/coordination/case-transfers/send/", {
        "case": case.pk, "to_agency": world.tree.other_market.pk, "reason": REASON}, format="multipart").status_code == 415
    assert api_client.post(f"/api/coordination/case-transfers/{pk}/receive/", {}, format="json").status_code == 403
    api_client.force_authenticate(sides.third)
    assert api_client.get(f"/api/coordination/case-transfers/{pk}/").status_code == 404
    assert api_client.post(f"/api/coordination/case-transfers/{pk}/receive/", {}, format="json").status_code == 404
    api_client.force_authenticate(sides.receiver)
    assert api_client.post(f"/api/coordination/case-transfers/{pk}/receive/", {},
                           format="json").json()["status"] == m.RECEIVED
    api_client.force_authenticate(sides.receiver_head)
    bad = api_client.post(f"/api/coordination/case-transfers/{pk}/return/", {"reason": " "}, format="json")
    assert bad.status_code == 400
    body = api_client.post(f"/api/coordination/case-transfers/{pk}/accept/", {}, format="json").json()
    assert body["status"] == m.ACCEPTED and body["to_agency_name"] == "青石县市场监督管理局"
    assert Case.objects.get(pk=case.pk).agency_id == world.tree.other_market.pk


def test_the_dispute_api_raises_and_decides(world, sides, open_general, api_client):
    case = open_general()
    api_client.force_authenticate(sides.sender)
    response = api_client.post("/api/coordination/disputes/raise/", {
        "case": case.pk, "other_agency": world.tree.other_market.pk, "kind": "claim", "statement": "均主张管辖"},
        format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api_client.post(f"/api/coordination/disputes/{pk}/decide/", {
        "designated_agency": world.tree.market.pk, "reasons": "x"}, format="json").status_code == 403
    api_client.force_authenticate(sides.city_supervisor)
    body = api_client.post(f"/api/coordination/disputes/{pk}/decide/", {
        "designated_agency": world.tree.other_market.pk, "reasons": "发生地在青石县"}, format="json").json()
    assert body["status"] == m.DISPUTE_DECIDED and body["designated_agency"] == world.tree.other_market.pk


def test_the_pages_send_receive_and_accept(world, sides, open_general, client):
    case = open_general()
    client.force_login(sides.sender)
    assert "移送其他机关" in client.get(case.get_absolute_url()).content.decode()
    page = client.post(f"/coordination/cases/{case.pk}/transfer/", {"to_agency": world.tree.market.pk, "reason": "x",
                                                                       "legal_basis": "处罚法第二十二条"})
    assert "不能选择本案的办案机关" in page.content.decode() or "选择一个有效的选项" in page.content.decode()
    response = client.post(f"/coordination/cases/{case.pk}/transfer/", {
        "to_agency": world.tree.other_market.pk, "reason": REASON, "legal_basis": "处罚法第二十二条",
        "materials": "案卷一册"})
    transfer = CaseTransfer.objects.get(case=case)
    assert response.status_code == 302 and response.url == transfer.get_absolute_url()
    client.force_login(sides.receiver)
    client.post(transfer.get_absolute_url(), {"step": "receive"})
    client.force_login(sides.receiver_head)
    page = client.post(transfer.get_absolute_url(), {"step": "return", "reason": ""}).content.decode()
    assert "此项必填" in page or "退回理由" in page
    client.post(transfer.get_absolute_url(), {"step": "accept"})
    transfer.refresh_from_db()
    assert transfer.status == m.ACCEPTED
    assert client.get(case.get_absolute_url()).status_code == 200


def test_the_transfer_list_stays_flat_as_transfers_grow(world, sides, open_general, client):
    client.force_login(sides.receiver)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/coordination/case-transfers/").status_code == 200
        return len(ctx.captured_queries)

    _send(world, sides, open_general())
    one = count()
    for _ in range(3):
        _send(world, sides, open_general())
    assert count() == one
