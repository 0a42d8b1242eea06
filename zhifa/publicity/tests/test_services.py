"""Publication records (PUB-3): deadlines across holidays, masking checked before release,
who may release, withdrawal within 3 working days and the kept history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import services as case_services
from zhifa.catalog import choices as cc
from zhifa.core.dashboard import alerts_for
from zhifa.publicity import choices, rules, services
from zhifa.publicity.masking import Masker
from zhifa.publicity.models import Publication, PublicationRevision
from zhifa.workdays.services import add_working_days

D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "decided", "expected"),
    [
        # 7 working days: 9-30, (10-01…10-07 National Day), 10-08, 10-09, 10-10 (make-up Saturday),
        # 10-12, 10-13, 10-14.
        (choices.PENALTY, D(2026, 9, 29), D(2026, 10, 14)),
        (choices.LICENSE, D(2026, 9, 29), D(2026, 10, 14)),
        # 20 working days for other decisions.
        (choices.LEVY, D(2026, 9, 29), D(2026, 11, 2)),
        # An ordinary week: Monday + 7 working days = the Wednesday after next.
        (choices.PENALTY, D(2026, 11, 2), D(2026, 11, 11)),
    ],
)
def test_publication_deadline_counts_working_days_across_holidays(kind, decided, expected):
    assert rules.publication_due(kind, decided) == (expected, False)
    assert expected == add_working_days(decided, rules.deadline_days(kind))


def test_deadline_reaching_an_uncovered_year_is_provisional():
    due, provisional = rules.publication_due(choices.PENALTY, D(2026, 12, 28))
    assert provisional and due == D(2027, 1, 6)  # weekdays only until 2027's holidays are entered


def test_deadline_is_configurable_per_kind(settings):
    settings.ZHIFA_PUBLICATION_DEADLINES = {"penalty": 20}
    assert rules.publication_due(choices.PENALTY, D(2026, 11, 2))[0] == add_working_days(D(2026, 11, 2), 20)


def test_registered_decision_is_masked_and_the_reviewer_sees_what_was_hidden(register):
    publication = register()
    public_text = " ".join([publication.public_party_name, publication.public_facts, publication.public_result])
    for secret in ("11010519491231002X", "13812345678", "云岭县人民路2号", "张三"):
        assert secret not in public_text
    assert publication.public_party_name == "张*"
    assert "张*" in publication.public_facts
    kinds = {r["kind"] for r in publication.masking_report}
    assert {"name", "id_number", "phone", "address"} <= kinds
    assert publication.status == choices.PENDING and publication.due_on == D(2026, 11, 10)
    assert publication.search_tokens  # segmented for the full-text index
    assert list(publication.revisions.values_list("kind", flat=True)) == ["opened"]


def test_organisation_name_and_credit_code_stay_but_phones_are_hidden(world, register):
    publication = register(party=world.company, facts="当事人云岭鑫达商贸有限公司（联系电话029-88886666）销售过期食品。")
    assert publication.public_party_name == "云岭鑫达商贸有限公司"
    assert publication.credit_code == "91110000600037341L"
    assert "029-88886666" not in publication.public_facts and "云岭鑫达商贸有限公司" in publication.public_facts


def test_masker_spares_document_numbers_but_hides_house_numbers():
    masker = Masker(party_kind="natural", party_name="欧阳娜娜")
    masked = masker.mask("facts", "欧阳娜娜住幸福路5号院2号楼101室，依据总局令第61号第三条。")
    assert masked.text == "欧阳**住幸福路***，依据总局令第61号第三条。"


def test_reviewer_adds_redactions_for_trade_secrets(world, register, reviewer):
    publication = register(party=world.company, facts="当事人使用配方A-17号（商业秘密）生产。")
    publication = services.set_redactions(publication, actor=reviewer, redactions="配方A-17号\n")
    assert "配方A-17号" not in publication.public_facts and "***" in publication.public_facts
    assert publication.revisions.filter(kind="masked").exists()


def test_only_a_reviewer_of_the_agency_releases(world, register, reviewer, head_b, fixed_today):
    publication = register()
    with pytest.raises(PermissionDenied):
        services.release(publication, actor=world.officer_user)  # officers prepare, they do not release
    with pytest.raises(PermissionDenied):
        services.release(publication, actor=head_b)  # another county's bureau
    fixed_today(D(2026, 11, 4))
    publication = services.release(publication, actor=reviewer)
    assert publication.status == choices.PUBLISHED and publication.published_on == D(2026, 11, 4)
    assert publication.public_until == D(2029, 11, 4)  # 3 years for a fine
    assert Publication.objects.public().filter(pk=publication.pk).exists()
    with pytest.raises(ValidationError):
        services.release(publication, actor=reviewer)  # not twice
    with pytest.raises(ValidationError):
        services.set_redactions(publication, actor=reviewer, redactions=["x"])  # published text is not edited


def test_warning_only_is_public_for_three_months(register, reviewer):
    publication = register(result="警告。")
    publication.penalty_kinds = [cc.WARNING]
    publication.save()
    publication = services.release(publication, actor=reviewer)
    assert publication.public_until == D(2027, 2, 2)


def test_decline_needs_a_ground_and_a_reason(register, reviewer):
    publication = register()
    with pytest.raises(ValidationError):
        services.decline(publication, actor=reviewer, ground="state_secret", reason=" ")
    publication = services.decline(publication, actor=reviewer, ground="state_secret", reason="涉及国家秘密事项。")
    assert publication.status == choices.NOT_PUBLISHED
    assert not Publication.objects.public().filter(pk=publication.pk).exists()


def test_overdue_publication_is_alerted(world, register, fixed_today):
    register()
    fixed_today(D(2026, 11, 10))
    assert not any("超过公示期限" in a["text"] for a in alerts_for(world.head))
    fixed_today(D(2026, 11, 11))
    assert any("1件执法决定超过公示期限未公示" == a["text"] for a in alerts_for(world.head))
    assert not any("超过公示期限" in a["text"] for a in alerts_for(world.users.officer_b))  # other county


def test_withdrawal_falls_due_in_three_working_days_and_history_is_kept(register, reviewer, fixed_today):
    publication = services.release(register(), actor=reviewer)
    fixed_today(D(2026, 10, 30))  # the check below fakes the revocation across National Day
    action = services.register_action(publication, actor=reviewer, cause="revoked", action=choices.WITHDRAW,
                                      occurred_on=D(2026, 9, 30), basis="云政复决字〔2026〕15号")
    assert action.due_on == D(2026, 10, 10)  # 10-08, 10-09, 10-10 (the make-up Saturday)
    fixed_today(D(2026, 11, 2))
    assert action.is_overdue
    publication = services.apply_action(action, actor=reviewer)
    action.refresh_from_db()
    assert publication.status == choices.WITHDRAWN and action.on_time is False
    assert "被依法撤销" in publication.withdrawal_note and "云政复决字〔2026〕15号" in publication.withdrawal_note
    kinds = list(publication.revisions.values_list("kind", flat=True))
    assert kinds == ["opened", "released", "withdrawn"]
    assert publication.revisions.get(kind="released").snapshot["public_party_name"] == "张*"
    # The withdrawn notice stays public; the history cannot be rewritten.
    assert Publication.objects.public().filter(pk=publication.pk).exists()
    with pytest.raises(Exception):  # noqa: B017  (append-only)
        PublicationRevision.objects.filter(publication=publication).delete()


def _on_spot_penalty(world):
    """A simple-procedure fine on the natural person 张三, decided on the spot."""
    case = case_services.open_case(
        actor=world.officer_user, agency=world.tree.market, item=world.item, party=world.person,
        cause="当场处罚：经营标签不符合规定的食品", occurred_on=D(2026, 11, 2), place="云岭县人民路2号",
        facts="当事人张三在云岭县人民路2号摊位销售无标签食品。", procedure="simple", officers=[world.o1],
    )
    case_services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                 fine_amount=Decimal("100"), deviation_reason="摊贩初次违法，货值极小，经负责人同意从轻。")
    return case_services.perform_transition(case, "decide_on_spot", actor=world.officer_user,
                                            data={"certificate_shown": True, "party_heard": True})


def test_a_decision_opens_its_publication_and_a_revoking_result_opens_the_withdrawal(world, reviewer, fixed_today):
    case = _on_spot_penalty(world)
    publication = case.publication
    assert publication.kind == choices.PENALTY and publication.decision_number == case.decision_number
    assert publication.status == choices.PENDING and publication.due_on == D(2026, 11, 11)
    assert publication.public_party_name == "张*" and "张三" not in publication.public_facts
    assert "云岭县人民路2号" not in publication.public_facts  # a natural person's address
    assert "罚款人民币100.00元" in publication.public_result
    assert "第一百二十五条" in publication.public_legal_basis
    services.release(publication, actor=reviewer)
    fixed_today(D(2026, 11, 20))
    remedy = case_services.record_remedy(case, actor=world.officer_user, kind="reconsideration", body="云岭县人民政府",
                                         filed_on=D(2026, 11, 5))
    case_services.record_remedy_result(remedy, actor=world.officer_user, result="changed", decided_on=D(2026, 11, 20),
                                       result_number="云政复决字〔2026〕20号")
    action = publication.actions.get()
    assert (action.cause, action.action, action.due_on) == ("changed", choices.ANNOTATE, D(2026, 11, 25))
    publication = services.apply_action(action, actor=reviewer)
    assert publication.status == choices.PUBLISHED and "被依法变更" in publication.annotation
    action.refresh_from_db()
    assert action.on_time


def test_remedy_result_is_validated(world, fixed_today):
    case = _on_spot_penalty(world)
    with pytest.raises(ValidationError):
        case_services.record_remedy(case, actor=world.officer_user, kind="reconsideration", body="",
                                    filed_on=D(2026, 11, 2))
    remedy = case_services.record_remedy(case, actor=world.officer_user, kind="litigation", body="云岭县人民法院",
                                         filed_on=D(2026, 11, 2))
    with pytest.raises(ValidationError):
        case_services.record_remedy_result(remedy, actor=world.officer_user, result="pending", decided_on=D(2026, 11, 2))
    with pytest.raises(PermissionDenied):
        case_services.record_remedy(case, actor=world.users.officer_b, kind="litigation", body="法院",
                                    filed_on=D(2026, 11, 2))


def test_provisional_deadline_is_recounted_when_the_year_is_entered(register, django_capture_on_commit_callbacks,
                                                                   fixed_today):
    from zhifa.workdays.services import enter_schedule

    fixed_today(D(2026, 12, 30))
    publication = register(decided_on=D(2026, 12, 30))
    assert publication.due_provisional and publication.due_on == D(2027, 1, 8)
    with django_capture_on_commit_callbacks(execute=True):
        enter_schedule(2027, "元旦 01-01")
    publication.refresh_from_db()
    # 12-31, (01-01 New Year), 01-04 … 01-08, 01-11: seven working days.
    assert not publication.due_provisional and publication.due_on == D(2027, 1, 11)
