"""Coordination notices (协作通知, COL-1/COL-2, UX-1): a transfer sent tells the receiving agency's
heads, its answer tells the sender, a jurisdiction dispute tells the other agency and the
coordination office's supervisors, a clue referral tells its named readers — after the commit, by
the task layer, through the desk's channels (in-app, e-mail, the messaging gateway), once per event
per person, and nobody else."""

import pytest
from django.core import mail

from zhifa.accounts import roles
from zhifa.coordination.transfers import clues, notices, services
from zhifa.core.models import OutboxMessage
from zhifa.core.testing import make_user
from zhifa.orgs.models import Agency
from zhifa.workspace import services as desk
from zhifa.workspace.channels import GATEWAY_RECEIVER
from zhifa.workspace.models import Message, Reminder
from zhifa.workspace.todos import todos_for

pytestmark = pytest.mark.django_db
REASON = "当事人经营场所及违法行为发生地均在青石县，本局无管辖权。"


@pytest.fixture
def people(world, users):
    """Sender side (云岭县市场监管局), receiver side (青石县市场监管局), a third agency, the city's
    justice bureau (the coordination office of the two counties) with its supervisor."""
    t = world.tree
    p = type("People", (), {})()
    p.sender, p.sender_head = world.officer_user, world.head
    p.receiver = users.officer_b
    p.receiver_head = make_user("head_b", roles.AGENCY_HEAD, agency=t.other_market, display_name="青石局长")
    p.third = make_user("officer_c", roles.OFFICER, agency=t.comprehensive)
    Agency.objects.create(name="秦川市司法局", region=t.city, kind="supervision")
    p.city_supervisor = make_user("supervisor_city", roles.SUPERVISOR, region=t.city)
    p.county_supervisor = users.supervisor_a
    return p


def notices_of(user):
    return list(Message.objects.filter(user=user, kind=Message.NOTICE).order_by("pk"))


def everyone(world, people):
    return [people.sender, people.sender_head, people.receiver, people.receiver_head, people.third,
            people.city_supervisor, people.county_supervisor, world.officer2_user, world.unit_head]


def test_a_sent_transfer_tells_the_receivers_heads_after_the_commit_once(
        world, people, open_general, django_capture_on_commit_callbacks):
    case = open_general()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transfer = services.send(case, actor=people.sender, to_agency=world.tree.other_market, reason=REASON)
    assert not Message.objects.filter(kind=Message.NOTICE).exists()  # nothing inside the transaction
    for callback in callbacks:
        callback()
    [message] = notices_of(people.receiver_head)
    assert message.url == transfer.get_absolute_url() and world.tree.market.name in message.title
    assert transfer.answer_due.strftime("%Y-%m-%d") in message.title and REASON in message.body
    assert message.channels == ["in_app"]
    for other in everyone(world, people):
        if other != people.receiver_head:
            assert notices_of(other) == [], other.username
    # The receiver's officers (and heads) have it on the desk to sign for.
    for person in (people.receiver, people.receiver_head):
        assert [i.url for i in todos_for(person, kinds=["case_transfer"]).items] == [transfer.get_absolute_url()]
    assert todos_for(people.third, kinds=["case_transfer"]).items == []
    # The job is idempotent: run again (a retry, a second worker), nobody hears twice.
    assert notices.send_notices("transfer_sent", transfer.pk) == 0
    assert len(notices_of(people.receiver_head)) == 1
    assert Reminder.objects.filter(event=f"coordination:transfer_sent:{transfer.pk}").count() == 1


def test_the_person_s_channels_carry_the_notice(world, people, open_general, django_capture_on_commit_callbacks):
    """E-mail (sent by the job after the commit) and the messaging gateway (an outbox event), as the
    receiver's head chose in their preferences."""
    head = people.receiver_head
    head.email = "qingshi@example.gov.cn"
    head.save()
    desk.save_preference(head, channels=["email", "webhook"], lead_days=2, digest=False, gateway_id="zzd-2001")
    with django_capture_on_commit_callbacks(execute=True):
        transfer = services.send(open_general(), actor=people.sender, to_agency=world.tree.other_market,
                                 reason=REASON)
    [message] = notices_of(head)
    assert message.channels == ["in_app", "email", "webhook"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["qingshi@example.gov.cn"]
    assert "案件移送" in mail.outbox[0].subject and transfer.get_absolute_url() in mail.outbox[0].body
    [event] = OutboxMessage.objects.filter(receiver=GATEWAY_RECEIVER, stream=f"user:{head.pk}")
    assert event.event_type == "workspace.notice" and event.payload["gateway_id"] == "zzd-2001"
    assert event.payload["message_id"] == message.pk
    with django_capture_on_commit_callbacks(execute=True):
        notices.send_notices("transfer_sent", transfer.pk)
    assert len(mail.outbox) == 1 and OutboxMessage.objects.filter(receiver=GATEWAY_RECEIVER).count() == 1


def test_accepting_or_returning_tells_the_sender(world, people, open_general, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.send(open_general(), actor=people.sender, to_agency=world.tree.other_market, reason=REASON)
        services.accept(services.receive(accepted, actor=people.receiver), actor=people.receiver_head)
        returned = services.send(open_general(), actor=people.sender, to_agency=world.tree.other_market, reason=REASON)
        services.return_transfer(returned, actor=people.receiver_head, reason="违法行为发生地在云岭县。")
    first, second = notices_of(people.sender)
    assert "已接收" in first.title and first.url == accepted.get_absolute_url()
    assert "退回" in second.title and "违法行为发生地在云岭县。" in second.body and second.url == returned.get_absolute_url()
    assert len(notices_of(people.receiver_head)) == 2  # the two transfers sent; nothing for its own answers
    for other in (people.sender_head, people.receiver, people.third, people.city_supervisor):
        assert notices_of(other) == []


def test_a_dispute_tells_the_other_agency_and_the_offices_supervisors(
        world, people, open_general, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = services.raise_dispute(open_general(), actor=people.sender, other_agency=world.tree.other_market,
                                         kind="decline", statement="违法行为发生地在两县交界，双方均认为不属本机关管辖。")
    [to_other] = notices_of(people.receiver_head)
    assert "与本机关发生管辖争议" in to_other.title and to_other.url == dispute.get_absolute_url()
    [to_office] = notices_of(people.city_supervisor)
    assert "请于" in to_office.title and dispute.decision_due.strftime("%Y-%m-%d") in to_office.title
    assert "两县交界" in to_office.body
    # The county's supervisor does not cover the city's office; the sender's side and a third agency
    # are not told.
    for other in (people.county_supervisor, people.sender, people.sender_head, people.receiver, people.third):
        assert notices_of(other) == [], other.username
    assert notices.send_notices("dispute_raised", dispute.pk) == 0


def test_a_dispute_within_a_county_goes_to_that_countys_supervisors(
        world, people, open_general, django_capture_on_commit_callbacks):
    head_c = make_user("head_c", roles.AGENCY_HEAD, agency=world.tree.comprehensive)
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_dispute(open_general(), actor=people.sender, other_agency=world.tree.comprehensive,
                               kind="claim", statement="双方均主张管辖。")
    assert len(notices_of(head_c)) == 1 and len(notices_of(people.county_supervisor)) == 1
    assert notices_of(people.city_supervisor) == [] and notices_of(people.third) == []  # an officer, not a head


def test_a_clue_referral_tells_only_its_named_readers_and_not_what_it_says(
        world, people, open_general, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        referral = clues.refer(open_general(), actor=people.sender, receiving_organ="云岭县纪委监委",
                               official="云岭县某局科员张某", facts="张某收受当事人财物，为其违规经营提供便利。",
                               readers=[world.officer2_user, people.sender])
    [message] = notices_of(world.officer2_user)
    assert message.url == referral.get_absolute_url() and "问题线索" in message.title
    assert "张某" not in message.title + message.body and "收受" not in message.body
    for other in (people.sender, people.sender_head, world.unit_head, people.county_supervisor, people.receiver):
        assert notices_of(other) == [], other.username


def test_an_unknown_event_is_refused():
    with pytest.raises(ValueError):
        notices.after_commit("transfer_lost", 1)
