"""Legal review as a hard gate (REV-1 … REV-3): catalog matching, the ten-point opinion,
rounds, independence, collective discussion, and the shares/staffing report."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa.cases import services as case_services
from zhifa.cases.models import CaseDocument
from zhifa.catalog import choices as cc
from zhifa.people.models import Officer
from zhifa.people.services import reviewer_staffing
from zhifa.records.services import events_for, verify_stream
from zhifa.review import choices, services
from zhifa.review.models import Review

from .conftest import reviewer

# the documents' PDFs are converted at once, as after a commit (conftest.py jobs_at_once)
pytestmark = pytest.mark.usefixtures("jobs_at_once")

D = datetime.date


def findings(problem_points=(), reason="经审查，材料齐全，符合规定。"):
    """All ten points: 符合, except ``problem_points`` which are 存在问题."""
    return {
        p: {"finding": choices.PROBLEM if p in problem_points else choices.COMPLIANT,
            "reason": "证据二未载明来源。" if p in problem_points else reason}
        for p in choices.POINTS
    }


def test_catalog_matches_amount_by_party_kind_and_penalty_kind(rw, notice_case, world):
    """A fine of ¥50,000 against an organisation meets the organisation threshold; ¥20,000 does
    not; 责令停产停业 is major and needs a collective discussion."""
    big = notice_case(50000)
    assert services.match_major(big) == ["罚款50,000.00元达到本机关目录清单标准（对法人或其他组织50,000.00元以上）"]
    assert services.collective_discussion_reasons(big) == []
    big.fine_amount = 20000  # the rules read the proposal as it stands
    assert services.match_major(big) == []
    assert services.check_legal_review(big) is None
    big.party = world.person  # a natural person: ¥10,000 is the threshold
    assert services.match_major(big) == ["罚款20,000.00元达到本机关目录清单标准（对公民10,000.00元以上）"]
    big.party, big.penalty_kinds = world.company, [cc.FINE, cc.SUSPEND_BUSINESS]
    assert services.match_major(big) == ["拟给予责令停产停业，属于本机关目录清单所列处罚种类"]
    assert "尚无集体讨论记录" in services.check_collective_discussion(big)


def test_flag_by_hand_makes_a_case_major_and_is_recorded(rw, notice_case, world):
    """A case below every threshold flagged complex by hand is major, with the reason in the record."""
    case = notice_case(20000)
    flag = services.flag_major(case, world.officer_user, "涉及食品安全与广告两个法律关系。", kind=choices.FLAG_MULTI_RELATION)
    assert flag.actor == world.officer_user
    reasons = services.match_major(case)
    assert reasons == ["经认定涉及多个法律关系：涉及食品安全与广告两个法律关系。"]
    with pytest.raises(case_services.TransitionRefused) as exc:
        case_services.perform_transition(case, "decide", actor=world.head)
    assert "尚未通过法制审核" in exc.value.missing[0]
    assert events_for(case.stream_key).last().kind == "major_flag"
    with pytest.raises(ValidationError):
        services.flag_major(case, world.officer_user, "  ")


def test_reviewer_who_handled_the_case_or_is_unqualified_is_refused(rw, notice_case, world):
    """Independence (REV-3): a handling officer, anyone who acted on the case, a non-reviewer and a
    first-time reviewer without 法律职业资格 are all refused; an independent qualified reviewer is not."""
    case = notice_case(50000)
    review = services.submit_for_review(case, world.officer_user)
    assert review.status == choices.PENDING and review.round == 1
    assert review.deadline == D(2026, 11, 9)  # 5 working days from Monday 2 November
    # a reviewer who is also one of the case's officers
    world.o2.is_legal_reviewer, world.o2.reviewer_kind, world.o2.legal_qualification = True, "in_house", "A2010"
    world.o2.save()
    with pytest.raises(PermissionDenied, match="是本案的办案人员"):
        services.assign_reviewer(review, world.officer2_user, rw.reviewer)
    # the unit head approved the filing: the record shows it
    assert "曾参与本案的办理或审批" in " ".join(services.reviewer_refusals(case, world.unit_head))
    with pytest.raises(PermissionDenied, match="不是法制审核人员"):
        services.assign_reviewer(review, world.head, world.head)
    with pytest.raises(PermissionDenied, match="法律职业资格"):
        services.assign_reviewer(review, rw.novice, rw.novice)
    with pytest.raises(PermissionDenied, match="是本案的办案人员"):
        services.record_opinion(review, world.officer2_user, findings(), choices.AGREE)
    assert services.eligible_reviewers(case) == [rw.reviewer, rw.adviser] or set(services.eligible_reviewers(case)) == {
        rw.reviewer, rw.adviser}
    review = services.assign_reviewer(review, rw.reviewer, rw.reviewer)
    assert review.status == choices.IN_REVIEW and review.reviewer_kind == "in_house"
    # an officer who is not on the case may not assign reviewers
    with pytest.raises(PermissionDenied):
        services.assign_reviewer(review, rw.adviser, world.officer_user)


def test_opinion_needs_every_point_with_a_reason_and_a_consistent_result(rw, notice_case, world):
    """The ten points each need a finding and a written reason; 同意 with a problem point is refused."""
    case = notice_case(50000)
    review = services.submit_for_review(case, world.officer_user)
    incomplete = findings()
    incomplete["crime"]["reason"] = ""
    del incomplete["law"]
    with pytest.raises(ValidationError) as exc:
        services.record_opinion(review, rw.reviewer, incomplete, choices.AGREE)
    assert set(exc.value.message_dict) == {"crime", "law"}
    with pytest.raises(ValidationError, match="不能为同意"):
        services.record_opinion(review, rw.reviewer, findings(["evidence"]), choices.AGREE)
    with pytest.raises(ValidationError, match="至少有一项"):
        services.record_opinion(review, rw.reviewer, findings(), choices.PROBLEMS)
    with pytest.raises(ValidationError, match="尚未完成"):
        services.submit_for_review(case, world.officer_user)


def test_problems_answers_resubmission_agree_then_collective_discussion_then_decide(rw, notice_case, world):
    """存在问题 → written answers → round 2 → 同意; every round and opinion kept in the record and the
    case file; a 责令停产停业 case also needs the collective discussion before the decision."""
    case = notice_case(20000, kinds=(cc.FINE, cc.SUSPEND_BUSINESS))
    review = services.submit_for_review(case, world.officer_user)
    review = services.record_opinion(review, rw.reviewer, findings(["evidence", "documents"]), choices.PROBLEMS)
    assert review.status == choices.PROBLEMS and services.opinion_pdf_of(review).content_type == "application/pdf"
    assert review.opinion_number.startswith("云岭县市场监管局法审〔2026〕")
    with pytest.raises(case_services.TransitionRefused, match="须书面答复后重新提交"):
        case_services.perform_transition(case, "decide", actor=world.head)
    with pytest.raises(ValidationError, match="请先逐项书面答复"):
        services.resubmit(review, world.officer_user)
    with pytest.raises(ValidationError) as exc:
        services.answer_findings(review, world.officer_user, {"evidence": "已补充进货单据来源说明。"})
    assert list(exc.value.message_dict) == ["documents"]
    with pytest.raises(PermissionDenied):
        services.answer_findings(review, rw.reviewer, {"evidence": "x", "documents": "y"})
    services.answer_findings(review, world.officer_user, {"evidence": "已补充进货单据来源说明。", "documents": "已补正文书。"})
    second = services.resubmit(review, world.officer_user)
    assert second.round == 2 and second.reviewer == rw.reviewer and second.status == choices.IN_REVIEW
    second = services.record_opinion(second, rw.reviewer, findings(), choices.AGREE)
    rounds = list(case.reviews.order_by("round").values_list("round", "status"))
    assert rounds == [(1, choices.PROBLEMS), (2, choices.AGREE)]
    assert review.findings.count() == 10 and second.findings.count() == 10 and review.answers.count() == 2
    assert CaseDocument.objects.filter(case=case, code=services.OPINION_CODE).count() == 2
    assert services.check_legal_review(case) is None
    with pytest.raises(case_services.TransitionRefused) as exc:
        case_services.perform_transition(case, "decide", actor=world.head)
    assert exc.value.missing == ["本案须经负责人集体讨论决定（拟给予责令停产停业，属于本机关目录清单所列处罚种类），尚无集体讨论记录。"]
    with pytest.raises(ValidationError, match="授权"):
        services.record_collective_discussion(case, world.officer_user, D(2026, 11, 2), "局长、副局长", world.unit_head,
                                              "同意", "同意处罚")
    services.record_collective_discussion(case, world.officer_user, D(2026, 11, 2), "郑局长、王副局长、刘副局长",
                                          world.head, "一致同意审核意见。", "同意责令停产停业并处罚款二万元。")
    case = case_services.perform_transition(case, "decide", actor=world.head)
    assert case.stage == "decision"
    kinds = [e.kind for e in events_for(case.stream_key)]
    for kind in ("review_submitted", "review_opinion", "review_answered", "review_resubmitted", "collective_discussion"):
        assert kind in kinds
    assert kinds.count("review_opinion") == 2
    assert verify_stream(case.stream_key).ok


def test_changing_the_penalty_after_the_pass_needs_a_new_review(rw, notice_case, world):
    """A pass covers the proposed decision it saw; raising the fine afterwards closes the gate again."""
    case = notice_case(50000)
    review = services.submit_for_review(case, world.officer_user)
    Review.objects.filter(pk=review.pk).update(status=choices.AGREE, result=choices.AGREE, reviewer=rw.reviewer,
                                               completed_at=timezone.now())
    assert services.check_legal_review(case) is None
    case.fine_amount = 60000
    case.save()
    assert "拟处罚内容已变更" in services.check_legal_review(case)
    assert services.submit_for_review(case, world.officer_user).round == 2


def test_shares_and_staffing_report_on_known_data(rw, world, open_general):
    """Each reviewed case counts once, by the kind of its last completed round: 2 in-house, 1 adviser,
    1 public lawyer of 4 → 50% in-house (target met), 50% external (target met); staffing is
    people's own 5% computation."""
    lawyer = reviewer("lawyer_a", world.tree.market, kind="public_lawyer", name="冯律师", seq=14)
    now = timezone.now()
    plan = [[("legal_adviser", rw.adviser), ("in_house", rw.reviewer)], [("in_house", rw.reviewer)],
            [("legal_adviser", rw.adviser)], [("public_lawyer", lawyer)]]
    for rounds in plan:
        case = open_general()
        for number, (kind, user) in enumerate(rounds, start=1):
            Review.objects.create(case=case, agency=case.agency, round=number, submitted_by=world.officer_user,
                                  submitted_at=now, deadline=D(2026, 11, 9), reviewer=user, reviewer_kind=kind,
                                  status=choices.AGREE, result=choices.AGREE, completed_at=now)
    pending = open_general()
    Review.objects.create(case=pending, agency=pending.agency, submitted_by=world.officer_user, submitted_at=now,
                          deadline=D(2026, 11, 9))
    report = services.share_report(world.head)
    assert report.total == 4
    assert report.counts == {"in_house": 2, "legal_adviser": 1, "public_lawyer": 1}
    assert [t["percent"] for t in report.targets] == ["50.0", "50.0"] and all(t["met"] for t in report.targets)
    staffing = {r.agency: r for r in report.staffing}[world.tree.market.name]
    expected = {r.agency: r for r in reviewer_staffing(type(world.tree.market).objects.all())}[world.tree.market.name]
    assert (staffing.officers, staffing.reviewers, staffing.qualified) == (expected.officers, expected.reviewers,
                                                                           expected.qualified)
    # o1, o2, reviewer, novice and lawyer are officers; the adviser is not counted
    assert staffing.officers == Officer.objects.filter(home_agency=world.tree.market, kind="officer").exclude(
        reviewer_kind="legal_adviser").count() == 5
    # staff reviewers: reviewer, novice (unqualified) and the public lawyer; 3 of 5 ≥ 5%, 2 of 3 qualified ≥ 50%
    assert (staffing.reviewers, staffing.qualified, staffing.advisers, staffing.required) == (3, 2, 1, 1)
    assert staffing.compliant and staffing.problems == expected.problems == []
    other = services.share_report(world.users.officer_b)
    assert other.total == 0
