"""Each computed indicator on crafted data (SUP-5): the figure, the score, the rows behind it, and
that another county's rows never count."""

import datetime
from decimal import Decimal

import pytest

from zhifa.supervision.assessment import catalog, indicators
from zhifa.supervision.assessment.indicators import Subject, compute
from zhifa.supervision.assessment.reasons import EVIDENCE_REASONS
from zhifa.supervision.models import Indicator

from .conftest import D, moment

pytestmark = pytest.mark.django_db
P = Decimal(1)


def subject(aw, year=2026):
    return Subject([aw.tree.market.pk], year)


def test_indicator_system_is_loaded_as_data():
    """The migration loaded the 170 indicators; points sum to 100 at every level."""
    assert Indicator.objects.count() == 170
    assert sum(i.points for i in Indicator.objects.all()) == Decimal(100)
    first = Indicator.objects.get(number=36)
    assert first.points == Decimal(1) and first.level2 == "加强事后公开"
    assert catalog.load(Indicator) == 170 and Indicator.objects.count() == 170  # idempotent


def test_every_indicator_is_computed_or_has_a_reason():
    computed, evidenced = set(indicators.REGISTRY), set(EVIDENCE_REASONS)
    assert not computed & evidenced
    assert computed | evidenced == set(range(1, 171))
    assert len(computed) == 47


def test_no_rows_gives_no_computed_score(aw):
    outcome = compute(36, subject(aw), P)
    assert outcome.score is None and outcome.figure.startswith("无")


def test_3_units_with_address_and_phone(aw):
    from zhifa.orgs.models import Unit

    aw.tree.market_unit.address, aw.tree.market_unit.phone = "人民路1号", "0919-1"
    aw.tree.market_unit.save()
    Unit.objects.create(agency=aw.tree.market, name="二中队", kind="squad")
    outcome = compute(3, subject(aw), P)
    assert outcome.figure == "1/2（50.00%）" and outcome.score == Decimal("0.50")
    assert outcome.rows[0]["ok"] is False and "二中队" in outcome.rows[0]["label"]


def test_4_certified_officers_with_gender_and_post(aw):
    outcome = compute(4, subject(aw), Decimal("0.3"))
    assert outcome.figure == "1/2（50.00%）" and outcome.score == Decimal("0.15")
    assert [r["label"] for r in outcome.rows] == ["周强", "李明"]


def test_12_service_guides(aw):
    from zhifa.portal.models import ServiceGuide

    ServiceGuide.objects.create(agency=aw.tree.market, title="食品经营许可")
    assert compute(12, subject(aw), P).score == P
    both = Subject([aw.tree.market.pk, aw.tree.comprehensive.pk], 2026)
    assert compute(12, both, P).score == Decimal("0.50")


def test_23_certificate_shown_on_simple_procedure(aw):
    aw.case(procedure="simple", decided_on=D(2026, 3, 1), certificate_shown=True)
    aw.case(procedure="simple", decided_on=D(2026, 3, 2), certificate_shown=False)
    aw.case(procedure="simple", decided_on=D(2025, 3, 2), certificate_shown=False)  # another year
    outcome = compute(23, subject(aw), P)
    assert outcome.figure == "1/2（50.00%）"


def _publication(aw, kind, decided_on, due_on, published_on=None, agency=None, status="published"):
    from zhifa.publicity.models import Publication

    return Publication.objects.create(
        kind=kind, agency=agency or aw.tree.market, decision_number=f"决定{decided_on}{kind}{published_on}",
        title="决定", party_kind="legal", party_name="某公司", result="罚款", decided_on=decided_on, due_on=due_on,
        published_on=published_on, status=status if published_on else "pending")


def test_36_and_37_publication_on_time(aw):
    _publication(aw, "penalty", D(2026, 3, 2), D(2026, 3, 11), D(2026, 3, 10))  # on time
    _publication(aw, "penalty", D(2026, 4, 1), D(2026, 4, 10), D(2026, 4, 20))  # late
    _publication(aw, "license", D(2026, 5, 6), D(2026, 5, 15))  # never published, overdue
    _publication(aw, "penalty", D(2026, 10, 28), D(2026, 11, 6))  # still within its period: not counted
    _publication(aw, "penalty", D(2026, 3, 2), D(2026, 3, 11), D(2026, 3, 20), agency=aw.tree.other_market)
    _publication(aw, "coercion", D(2026, 3, 2), D(2026, 3, 30), D(2026, 3, 20))
    outcome = compute(36, subject(aw), P)
    assert outcome.figure == "1/3（33.33%）" and outcome.score == Decimal("0.33")
    assert {r["note"] for r in outcome.rows if not r["ok"]} == {"2026-04-20公示，期限2026-04-10", "逾期未公示"}
    assert compute(37, subject(aw), P).figure == "1/1（100.00%）"


def test_41_withdrawn_within_three_working_days(aw):
    from zhifa.publicity.models import PublicationAction

    pub = _publication(aw, "penalty", D(2026, 3, 2), D(2026, 3, 11), D(2026, 3, 10))
    PublicationAction.objects.create(publication=pub, cause="revoked", action="withdraw", occurred_on=D(2026, 6, 1),
                                     due_on=D(2026, 6, 4), status="done", done_on=D(2026, 6, 3))
    PublicationAction.objects.create(publication=pub, cause="changed", action="annotate", occurred_on=D(2026, 7, 1),
                                     due_on=D(2026, 7, 3), status="pending")
    assert compute(41, subject(aw), P).figure == "1/2（50.00%）"


def test_43_annual_report_by_31_january(aw):
    from zhifa.statistics.models import AnnualReport

    AnnualReport.objects.create(agency=aw.tree.market, year=2025, status="published", generated_at=moment(D(2026, 1, 20)),
                                published_at=moment(D(2026, 1, 30)))
    AnnualReport.objects.create(agency=aw.tree.comprehensive, year=2025, status="published",
                                generated_at=moment(D(2026, 1, 20)), published_at=moment(D(2026, 2, 3)))
    assert compute(43, subject(aw), P).score == P
    both = Subject([aw.tree.market.pk, aw.tree.comprehensive.pk], 2026)
    assert compute(43, both, P).figure == "1/2（50.00%）"


def _evidence(aw, case, kind="audiovisual"):
    from zhifa.cases.models import Evidence

    return Evidence.objects.create(case=case, number=case.evidence.count() + 1, kind=kind, title="录像",
                                   file=aw.stored(), captured_at=moment(D(2026, 2, 1)), uploaded_by=aw.users.officer_a)


def test_53_audiovisual_records_on_general_cases(aw):
    recorded = aw.case(decided_on=D(2026, 3, 1))
    _evidence(aw, recorded)
    _evidence(aw, aw.case(decided_on=D(2026, 3, 1)), kind="documentary")
    assert compute(53, subject(aw), P).figure == "1/2（50.00%）"


def test_58_interview_room_recorded(aw):
    from zhifa.cases.models import Interview

    case = aw.case()
    Interview.objects.create(case=case, interviewee="张三", time=moment(D(2026, 2, 1)), place="询问室",
                             in_interview_room=True, recording=_evidence(aw, case), recorded_by=aw.users.officer_a)
    Interview.objects.create(case=case, interviewee="李四", time=moment(D(2026, 2, 2)), place="询问室",
                             in_interview_room=True, recorded_by=aw.users.officer_a)
    Interview.objects.create(case=case, interviewee="王五", time=moment(D(2026, 2, 2)), place="现场",
                             recorded_by=aw.users.officer_a)
    assert compute(58, subject(aw), P).figure == "1/2（50.00%）"


def test_68_closed_cases_archived(aw):
    aw.case(closed_on=D(2026, 4, 1), archived_on=D(2026, 4, 10))
    aw.case(closed_on=D(2026, 5, 1))
    assert compute(68, subject(aw), P).figure == "1/2（50.00%）"


ISSUED = D(2026, 6, 1)
MARCH_1 = D(2026, 3, 1)


def _evaluation(aw, grade, total, agency=None, issued=ISSUED):
    from zhifa.supervision.models import CaseEvaluation, EvaluationPlan, ScoreSheet

    plan = EvaluationPlan.objects.create(region=aw.tree.county, title="评查", sheet=ScoreSheet.objects.first(),
                                         archived_from=D(2026, 1, 1), archived_to=D(2026, 5, 1), status="finished",
                                         results_issued_on=issued, created_by=aw.supervisor)
    case = aw.case(agency=agency)
    return CaseEvaluation.objects.create(plan=plan, case=case, agency=case.agency, draw_rank=1, draw_key="k",
                                         status="submitted", total=Decimal(total), grade=grade)


def test_69_and_74_case_file_evaluation(aw):
    _evaluation(aw, "good", 85)
    _evaluation(aw, "fail", 50)
    _evaluation(aw, "fail", 40, agency=aw.tree.other_market)
    assert compute(69, subject(aw), P).figure == "1/2（50.00%）"
    assert compute(74, subject(aw), P).score == P
    assert compute(74, subject(aw, 2025), P).score == Decimal(0)


def _alert(aw, n, status="raised", assigned=True, rectify=None, agency=None):
    from zhifa.supervision.models import Alert, ProblemModel
    from zhifa.supervision.problems import sync_models

    if not ProblemModel.objects.exists():
        sync_models()
    model = ProblemModel.objects.order_by("pk").first()
    return Alert.objects.create(problem_model=model, object_type="case", object_id=n, agency=agency or aw.tree.market,
                                summary=f"问题{n}", severity="medium", status=status,
                                is_open=status not in ("closed", "dismissed"), raised_at=moment(D(2026, 3, 1)),
                                assigned_at=moment(D(2026, 3, 2)) if assigned else None, rectify_due_on=rectify)


def test_75_and_156_alerts(aw):
    _alert(aw, 1, status="closed", rectify=D(2026, 4, 1))
    _alert(aw, 2, status="rectifying", rectify=D(2026, 4, 1))
    _alert(aw, 3, assigned=False)
    assert compute(75, subject(aw), P).figure == "2条预警经交办处理"
    assert compute(156, subject(aw), P).figure == "1/2（50.00%）"


def _officer(aw, name, id_number, **extra):
    from zhifa.people.models import Officer

    return Officer.objects.create(name=name, id_number=id_number, home_agency=aw.tree.market, **extra)


def test_85_86_87_legal_reviewers(aw):
    assert compute(85, subject(aw), P).score == Decimal(0)
    _officer(aw, "审核甲", "11010519491231002X", is_legal_reviewer=True, reviewer_kind="in_house",
             legal_qualification="A2019")
    assert compute(85, subject(aw), P).score == P
    # 1 reviewer of 3 officers = 33 % ≥ 5 %: full points
    assert compute(86, subject(aw), P).score == P
    assert compute(87, subject(aw), P).score == P
    _officer(aw, "审核乙", "110101199003074477", is_legal_reviewer=True, reviewer_kind="in_house")
    _officer(aw, "审核丙", "110101199003072156", is_legal_reviewer=True, reviewer_kind="public_lawyer")
    assert compute(87, subject(aw), P).figure == "1/3（33.33%）"
    assert compute(87, subject(aw), P).score == Decimal("0.67")  # 33.33 % of a 50 % floor


def test_86_below_five_percent_scores_in_proportion(aw):
    for i in range(38):  # 40 officers, 1 reviewer = 2.5 %
        _officer(aw, f"执法{i}", _id(i))
    _officer(aw, "审核甲", _id(99), is_legal_reviewer=True, reviewer_kind="in_house")
    outcome = compute(86, subject(aw), P)
    assert outcome.figure == "审核人员1名/执法人员41名（2.44%）" and outcome.score == Decimal("0.49")


def _id(i: int) -> str:
    """A valid GB 11643 number (checksum computed)."""
    body = f"11010119900101{i:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _review(aw, case, kind="in_house", result="agree", completed=MARCH_1, points=()):
    from zhifa.review.models import Review, ReviewFinding

    review = Review.objects.create(case=case, agency=case.agency, round=case.reviews.count() + 1, status=result,
                                   submitted_by=aw.users.officer_a, submitted_at=moment(completed) - datetime.timedelta(days=2),
                                   deadline=completed, reviewer=aw.reviewer, reviewer_kind=kind, result=result,
                                   completed_at=moment(completed))
    for point in points:
        ReviewFinding.objects.create(review=review, point=point, finding="ok", reason="经审查符合规定。")
    return review


def test_88_and_90_reviewer_kinds(aw):
    _review(aw, aw.case(), "in_house")
    _review(aw, aw.case(), "legal_adviser")
    _review(aw, aw.case(), "public_lawyer")
    _review(aw, aw.case(), "legal_adviser")
    assert compute(88, subject(aw), P).score == Decimal("0.50")  # 25 % of a 50 % floor
    assert compute(90, subject(aw), P).score == P  # 75 % ≥ 20 %


def test_91_review_catalog(aw):
    from zhifa.review.models import MajorDecisionCatalog

    assert compute(91, subject(aw), P).score == Decimal(0)
    MajorDecisionCatalog.objects.create(agency=aw.tree.market, criterion="fine_threshold", description="较大数额罚款")
    assert compute(91, subject(aw), P).score == P


@pytest.mark.parametrize("number,point", list(zip(range(95, 105), [
    "subject", "qualification", "procedure", "facts", "evidence", "law", "benchmark", "competence", "documents",
    "crime"], strict=True)))
def test_95_to_104_written_finding_on_each_point(aw, number, point):
    from zhifa.review.choices import POINTS

    _review(aw, aw.case(), points=POINTS)
    _review(aw, aw.case(), points=[p for p in POINTS if p != point])
    outcome = compute(number, subject(aw), P)
    assert outcome.figure == "1/2（50.00%）"
    assert outcome.rows[0]["ok"] is False


def test_106_answers_to_problem_opinions(aw):
    from zhifa.review.models import ReviewAnswer

    answered = _review(aw, aw.case(), result="problems")
    ReviewAnswer.objects.create(review=answered, point="facts", answer="已补充调查。", answered_by=aw.users.officer_a,
                                answered_at=moment(D(2026, 3, 2)))
    _review(aw, aw.case(), result="problems")
    _review(aw, aw.case(), result="agree")
    assert compute(106, subject(aw), P).figure == "1/2（50.00%）"


def test_108_major_decisions_reviewed(aw):
    from zhifa.review.models import MajorFlag

    reviewed = aw.case(decided_on=D(2026, 3, 5))
    _review(aw, reviewed)
    flagged = aw.case(decided_on=D(2026, 3, 5))
    MajorFlag.objects.create(case=flagged, kind="complex", reason="案情复杂", actor=aw.head, created_at=moment(D(2026, 2, 1)))
    aw.case(decided_on=D(2026, 3, 5))  # not major
    outcome = compute(108, subject(aw), Decimal(2))
    assert outcome.figure == "1/2（50.00%）" and outcome.score == Decimal("1.00")


def test_114_cases_entered_online(aw):
    assert compute(114, subject(aw), P).score == Decimal(0)
    aw.case(registered_on=D(2026, 2, 1))
    assert compute(114, subject(aw), P).figure == "1件案件在平台登记办理"


def test_145_benchmark_applied(aw):
    aw.case(decided_on=D(2026, 3, 1), within_benchmark=True)
    aw.case(decided_on=D(2026, 3, 1), within_benchmark=False, deviation_reason="主动消除危害后果，依法减轻。")
    aw.case(decided_on=D(2026, 3, 1), within_benchmark=False)
    aw.case(decided_on=D(2026, 3, 1))  # not checked against a benchmark
    assert compute(145, subject(aw), P).figure == "2/3（66.67%）"


def test_162_training_hours(aw):
    from zhifa.people.models import TrainingRecord

    TrainingRecord.objects.create(officer=aw.o1, date=D(2026, 3, 1), title="公共法律知识", kind="public_law",
                                  hours=Decimal(20))
    TrainingRecord.objects.create(officer=aw.o1, date=D(2026, 5, 1), title="业务", kind="practice", hours=Decimal(40))
    TrainingRecord.objects.create(officer=aw.o2, date=D(2025, 5, 1), title="去年", kind="practice", hours=Decimal(80))
    outcome = compute(162, subject(aw), P)
    assert outcome.figure == "1/2（50.00%）"
    assert outcome.rows[0]["label"] == "周强"


def test_163_annual_review(aw):
    from zhifa.people.models import Certificate

    Certificate.objects.filter(officer=aw.o2).update(last_review_on=D(2025, 1, 10))
    assert compute(163, subject(aw), P).figure == "1/2（50.00%）"


def test_164_actors_hold_valid_certificates(aw):
    from zhifa.cases.models import CaseOfficer

    ok_case = aw.case(decided_on=D(2026, 3, 1))
    CaseOfficer.objects.create(case=ok_case, officer=aw.o1, role="lead")
    early = aw.case(decided_on=D(2026, 1, 5))  # before the certificates were issued (2026-01-10)
    CaseOfficer.objects.create(case=early, officer=aw.o2, role="lead")
    outcome = compute(164, subject(aw), P)
    assert outcome.figure == "1/2（50.00%）"
    assert outcome.rows[0]["label"] == "周强"


def test_166_legal_qualification(aw):
    assert compute(166, subject(aw), P).score == Decimal(0)
    aw.o1.legal_qualification = "A20191100001"
    aw.o1.save()
    assert compute(166, subject(aw), P).score == P


def _list_entry(aw, agency=None, published=True, **extra):
    from zhifa.inspections.models import InspectionListEntry

    data = {"agency": agency or aw.tree.market, "item": aw.item, "legal_basis": "《中华人民共和国食品安全法》第一百一十条",
            "population_rule": "本县登记的食品经营企业", "status": "published" if published else "draft",
            "published_on": D(2026, 2, 1) if published else None}
    data.update(extra)
    return InspectionListEntry.objects.create(**data)


def test_9_random_inspection_list_published(aw):
    """An agency with a published list entry meets the rule; a draft does not count."""
    both = Subject([aw.tree.market.pk, aw.tree.comprehensive.pk], 2026)
    _list_entry(aw, agency=aw.tree.comprehensive, published=False)
    outcome = compute(9, both, P)
    assert outcome.figure == "0/2（0.00%）" and outcome.score == Decimal("0.00")
    _list_entry(aw)
    outcome = compute(9, both, P)
    assert outcome.figure == "1/2（50.00%）" and outcome.score == Decimal("0.50")
    assert outcome.rows[0]["ok"] is False and outcome.rows[0]["note"] == "未公开随机抽查事项清单"
    assert compute(9, subject(aw, year=2025), P).score == Decimal("0.00")  # published after that year


def test_10_random_inspection_list_entries_complete(aw):
    _list_entry(aw)
    _list_entry(aw, agency=aw.tree.comprehensive, legal_basis=" ", ratio=0)
    _list_entry(aw, agency=aw.tree.other_market, legal_basis="")  # 青石县: never counted
    both = Subject([aw.tree.market.pk, aw.tree.comprehensive.pk], 2026)
    outcome = compute(10, both, Decimal("0.8"))
    assert outcome.figure == "1/2（50.00%）" and outcome.score == Decimal("0.40")
    assert outcome.rows[0]["note"] == "缺少抽查依据、抽查比例"


def test_21_items_follow_law_changes_within_ten_working_days(aw):
    """An item citing a changed law must get a new version within 10 working days of its entry into force
    (1 June 2026 + 10 working days = 15 June)."""
    from zhifa.catalog import services as catalog_services
    from zhifa.catalog.models import ItemVersion
    from zhifa.portal import services as portal

    portal.record_law_change(law_name="中华人民共和国食品安全法", effective_on=D(2026, 6, 1), actor=None)
    outcome = compute(21, subject(aw), Decimal("0.5"))
    assert outcome.figure == "0/1（0.00%）" and "逾期未更新" in outcome.rows[0]["note"]
    version = catalog_services.revise_item(aw.item, {"article": 124}, None, D(2026, 6, 1), "食品安全法修正")
    ItemVersion.objects.filter(pk=version.pk).update(created_at=moment(D(2026, 6, 12)))
    outcome = compute(21, subject(aw), Decimal("0.5"))
    assert outcome.figure == "1/1（100.00%）" and outcome.score == Decimal("0.50")
    ItemVersion.objects.filter(pk=version.pk).update(created_at=moment(D(2026, 6, 16)))
    assert "逾期后更新" in compute(21, subject(aw), P).rows[0]["note"]
    assert compute(21, Subject([aw.tree.other_market.pk], 2026), P).score is None  # 青石县 has no such item


def test_22_duties_follow_changes_within_twenty_working_days(aw):
    from zhifa.portal import services as portal

    portal.record_duty_change(agency=aw.tree.market, effective_on=D(2026, 5, 6), description="新增赋权事项", actor=None)
    outcome = compute(22, subject(aw), P)
    assert outcome.figure == "0/1（0.00%）" and "职责及依据" in outcome.rows[0]["label"]
    assert compute(22, Subject([aw.tree.comprehensive.pk], 2026), P).score is None


def test_57_coercive_measures_fully_recorded(aw):
    from zhifa.cases.coercion.models import CoerciveMeasure

    case = aw.case()
    for kind, recording in (("seize", _evidence(aw, case)), ("seal", None), ("freeze", None)):
        CoerciveMeasure.objects.create(case=case, kind=kind, started_at=moment(D(2026, 3, 1)), items="饼干",
                                       recording=recording, recorded_by=aw.users.officer_a)
    outcome = compute(57, subject(aw), P)  # a freeze of deposits is no on-site act: not counted
    assert outcome.figure == "1/2（50.00%）" and outcome.rows[0]["note"] == "无全程音像记录"


def test_64_one_camera_or_terminal_per_two_certified_officers(aw):
    from zhifa.inspections.models import Device

    Device.objects.create(kind="camera", serial="YL-JLY-01", agency=aw.tree.market, in_service_on=D(2026, 1, 1))
    Device.objects.create(kind="monitor", serial="YL-JK-01", agency=aw.tree.market, in_service_on=D(2026, 1, 1))
    outcome = compute(64, subject(aw), P)  # two certified officers need one personal device
    assert outcome.figure == "1/1（100.00%）" and "应不少于1台" in outcome.rows[0]["note"]
    third = _officer(aw, "王三", "610113199003071253")
    from zhifa.people.services import issue_certificate

    issue_certificate(third, number="61992120240003", fields=[aw.item.field], issuing_authority="秦川市人民政府",
                      issued_on=D(2026, 1, 10), expires_on=D(2031, 1, 9))
    outcome = compute(64, subject(aw), P)
    assert outcome.figure == "0/1（0.00%）" and outcome.score == Decimal("0.00")
    assert "持证执法人员3名，在用执法记录仪、执法终端1台（应不少于2台）" == outcome.rows[0]["note"]


def test_84_supervisors_call_up_records(aw):
    """Supervisors' readings of the agency's records count; an officer's or another county's do not."""
    from zhifa.records.models import AccessLog

    def read(user, path, day=MARCH_1):
        AccessLog.objects.create(user=user, user_name=user.username, time=moment(day), action="view",
                                 object_type="case", object_id="1", stream_key="case:1", scope_path=path)

    read(aw.users.officer_a, aw.tree.market.tree_path)
    read(aw.supervisor_b, aw.tree.other_market.tree_path)
    read(aw.supervisor, aw.tree.market.tree_path, day=D(2025, 12, 31))
    outcome = compute(84, subject(aw), P)
    assert outcome.score == Decimal("0.00") and outcome.figure == "本年度无执法监督人员调阅执法记录"
    read(aw.supervisor, aw.tree.market.tree_path + "U9/")
    read(aw.supervisor_city, aw.tree.market.tree_path)
    outcome = compute(84, subject(aw), P)
    assert outcome.score == P and outcome.figure == "执法监督人员调阅执法记录2次" and len(outcome.rows) == 2


def _complaint(aw, number, reply_due, replied_on=None, agency=None):
    from zhifa.supervision.models import Complaint

    return Complaint.objects.create(
        number=number, source="portal", region=aw.tree.county, agency=agency or aw.tree.market, subject="油烟扰民",
        content="……", status="replied" if replied_on else "accepted", acknowledge_due=reply_due, reply_due=reply_due,
        replied_at=moment(replied_on) if replied_on else None)


def test_147_complaints_replied_within_their_limit(aw):
    _complaint(aw, "TS1", D(2026, 5, 1), replied_on=D(2026, 4, 28))
    _complaint(aw, "TS2", D(2026, 5, 1), replied_on=D(2026, 5, 6))
    _complaint(aw, "TS3", D(2026, 6, 1))
    _complaint(aw, "TS4", D(2026, 12, 1))  # still within its limit on 2 November
    _complaint(aw, "TS5", D(2026, 5, 1), replied_on=D(2026, 4, 28), agency=aw.tree.other_market)
    outcome = compute(147, subject(aw), Decimal("0.2"))
    assert outcome.figure == "1/3（33.33%）" and outcome.score == Decimal("0.07")
    assert {r["note"] for r in outcome.rows if not r["ok"]} == {"期限2026-05-01，2026-05-06答复", "期限2026-06-01，未答复"}


def test_147_a_reply_is_on_time_by_its_day_in_beijing_time(aw):
    """A reply at 23:30 on the last day is on time; one at 00:30 the next day (still the last day
    in UTC) is late: the day is Beijing time's, as the complainant saw it."""
    from zoneinfo import ZoneInfo

    from zhifa.supervision.models import Complaint

    beijing = ZoneInfo("Asia/Shanghai")
    for number, replied in (("TS6", datetime.datetime(2026, 5, 1, 23, 30, tzinfo=beijing)),
                            ("TS7", datetime.datetime(2026, 5, 2, 0, 30, tzinfo=beijing))):
        complaint = _complaint(aw, number, D(2026, 5, 1), replied_on=D(2026, 5, 1))
        Complaint.objects.filter(pk=complaint.pk).update(replied_at=replied)
    outcome = compute(147, subject(aw), Decimal("0.2"))
    assert outcome.figure == "1/2（50.00%）"
    assert [r["note"] for r in outcome.rows if not r["ok"]] == ["期限2026-05-01，2026-05-02答复"]


def test_computed_indicators_ignore_other_counties(aw):
    """Rows of 青石县 never count for 云岭县市场监管局."""
    aw.case(agency=aw.tree.other_market, decided_on=D(2026, 3, 1), within_benchmark=False)
    _publication(aw, "penalty", D(2026, 3, 2), D(2026, 3, 11), agency=aw.tree.other_market)
    assert compute(145, subject(aw), P).score is None
    assert compute(36, subject(aw), P).score is None


def test_docs_indicators_md_is_generated_from_the_code():
    """docs/indicators.md lists the 170 indicators exactly as the registry and the reasons score them."""
    from pathlib import Path

    from zhifa.supervision.assessment.docs import indicators_markdown

    doc = Path(__file__).resolve().parents[4] / "docs" / "indicators.md"
    assert doc.read_text(encoding="utf-8") == indicators_markdown()


def test_readme_and_assessment_doc_state_the_computed_count():
    """The README and docs/assessment.md say how many indicators are computed, and it is true."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]
    computed = len(indicators.REGISTRY)
    assert f"**{computed} of the 170 indicators are computed from platform data**" in (root / "README.md").read_text()
    assert (f"**{computed} of the 170 indicators are computed from platform data; {170 - computed} are scored on "
            "evidence.**") in (root / "docs" / "assessment.md").read_text()
