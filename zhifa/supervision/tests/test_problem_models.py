"""Each problem model at its boundary: the last day the condition is not yet met, and the
first day it is (working days counted across the National Day holiday where the law counts
working days); state-based models with and without the condition."""

import datetime
import io
from decimal import Decimal

import pytest

from zhifa.cases.coercion import rules as coercion_rules
from zhifa.cases.models import CaseOfficer, CoerciveMeasure, Evidence, Payment, PaymentPlan, Remedy
from zhifa.cases.rules import MINOR_FACTS
from zhifa.catalog.models import Benchmark
from zhifa.core import clock
from zhifa.people.models import Certificate, Officer, TrainingRecord
from zhifa.publicity.models import Publication, PublicationAction
from zhifa.records.services import store_file
from zhifa.review.models import CollectiveDiscussion, MajorFlag, Review
from zhifa.supervision.problems import REGISTRY, sync_models
from zhifa.supervision.problems.checks import working_cutoff
from zhifa.supervision.problems.registry import CheckContext
from zhifa.workdays.services import add_working_days

from .conftest import TODAY

D = datetime.date
DAY = datetime.timedelta(days=1)
pytestmark = pytest.mark.django_db


def found(code, **params) -> set:
    """The objects the check of ``code`` flags today (thresholds: the defaults, or ``params``)."""
    check = REGISTRY[code]
    ctx = CheckContext(today=clock.today(), params={**check.params, **params})
    return {f.object_id for f in check.func(ctx)}


def flagged_on(move_to, code, day, **params) -> set:
    move_to(day)
    return found(code, **params)


def video(name="clip.mp4"):
    return store_file(io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + bytes(4000) + name.encode()), name)


def test_at_least_25_models_each_documented():
    """The registry holds at least 25 models, each with a name, a legal basis, a category and a
    rule text; every one has its row after ``sync_models``."""
    assert len(REGISTRY) >= 25
    for check in REGISTRY.values():
        assert check.name and check.legal_basis and check.category and check.description, check.code
    sync_models()
    from zhifa.supervision.models import ProblemModel

    assert set(ProblemModel.objects.values_list("code", flat=True)) == set(REGISTRY)


def test_working_cutoff_across_national_day():
    """A period of 7 working days that started 2026-09-28 ends on 2026-10-13 (1–7 October are
    holidays, Saturday 10 October is a working day): overdue from the 14th, not on the 13th."""
    assert add_working_days(D(2026, 9, 28), 7) == D(2026, 10, 13)
    assert working_cutoff(D(2026, 10, 13), 7) < D(2026, 9, 28)
    assert working_cutoff(D(2026, 10, 14), 7) >= D(2026, 9, 28)


def test_filing_overdue_boundary(world, make_case, fixed_today):
    """A lead not filed within 15 working days (counted across National Day) is flagged the next day."""
    case = make_case(stage="clue", registered_on=D(2026, 9, 25), filed_on=None)
    deadline = add_working_days(D(2026, 9, 25), 15)
    assert deadline == D(2026, 10, 22)  # 7 days off for National Day, Saturday 10 October worked
    assert case.pk not in flagged_on(fixed_today, "CASE_FILING_OVERDUE", deadline)
    assert case.pk in flagged_on(fixed_today, "CASE_FILING_OVERDUE", deadline + DAY)


def test_decision_overdue_boundary_and_extension(world, make_case, fixed_today):
    """90 days from filing; an approved extension moves the day."""
    plain = make_case(filed_on=D(2026, 8, 1))
    extended = make_case(filed_on=D(2026, 8, 1), extension_days=30)
    deadline = D(2026, 8, 1) + datetime.timedelta(days=90)
    assert plain.pk not in flagged_on(fixed_today, "CASE_DECISION_OVERDUE", deadline)
    assert flagged_on(fixed_today, "CASE_DECISION_OVERDUE", deadline + DAY) == {plain.pk}
    assert extended.pk not in flagged_on(fixed_today, "CASE_DECISION_OVERDUE", deadline + 30 * DAY)
    assert extended.pk in flagged_on(fixed_today, "CASE_DECISION_OVERDUE", deadline + 31 * DAY)


def test_service_overdue_boundary(world, make_case, fixed_today):
    """A decision not served within 7 working days (across National Day) is flagged; served, it is not."""
    case = make_case(stage="decision", decided_on=D(2026, 9, 28), outcome="penalty")
    assert case.pk not in flagged_on(fixed_today, "CASE_SERVICE_OVERDUE", D(2026, 10, 13))
    assert case.pk in flagged_on(fixed_today, "CASE_SERVICE_OVERDUE", D(2026, 10, 14))
    case.served_on = D(2026, 10, 14)
    case.save()
    assert case.pk not in found("CASE_SERVICE_OVERDUE")


def test_inactive_case_boundary(world, make_case):
    """No recorded activity for 30 days: flagged at 30 days and a minute, not at exactly 30."""
    from zhifa.cases.models import Case

    quiet, recent = make_case(), make_case()
    cutoff = datetime.datetime.combine(TODAY - 30 * DAY, datetime.time.min, tzinfo=datetime.UTC)
    Case.objects.filter(pk=quiet.pk).update(updated_at=cutoff - datetime.timedelta(minutes=1))
    Case.objects.filter(pk=recent.pk).update(updated_at=cutoff)
    assert found("CASE_INACTIVE") == {quiet.pk}


def test_seizure_overdue_boundary(world, make_case, fixed_today):
    """A seizure in force more than 30 days is flagged; decided cases are not."""
    case = make_case()
    evidence = Evidence.objects.create(case=case, number=1, kind="audio_video", title="扣押全程录像", file=video(),
                                       captured_at=datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC),
                                       uploaded_by=world.users.officer_a)
    measure = CoerciveMeasure.objects.create(case=case, kind="seize", items="预包装食品20箱", approved_by="郑局长",
                                             started_at=datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC),
                                             recording=evidence, recorded_by=world.users.officer_a)
    measure.expires_on, _provisional = coercion_rules.expiry(measure)
    measure.save()
    # 30 days from 1 September end on 1 October, a holiday: the period runs to 8 October.
    assert measure.expires_on == D(2026, 10, 8)
    assert measure.pk not in flagged_on(fixed_today, "SEIZURE_OVERDUE", D(2026, 10, 8))
    assert measure.pk in flagged_on(fixed_today, "SEIZURE_OVERDUE", D(2026, 10, 9))
    measure.stage = "released"
    measure.save()
    assert measure.pk not in flagged_on(fixed_today, "SEIZURE_OVERDUE", D(2026, 10, 9))


def test_decision_without_review_and_discussion(world, make_case):
    """A major case decided without a passed review is flagged until a review agrees; a case
    flagged serious needs a collective discussion."""
    case = make_case(stage="decision", decided_on=D(2026, 10, 20), outcome="penalty")
    plain = make_case(stage="decision", decided_on=D(2026, 10, 20), outcome="penalty")
    MajorFlag.objects.create(case=case, kind="serious", reason="情节严重", actor=world.users.head_a,
                             created_at=clock.now())
    assert case.pk in found("DECISION_WITHOUT_REVIEW") and plain.pk not in found("DECISION_WITHOUT_REVIEW")
    assert found("DECISION_WITHOUT_DISCUSSION") == {case.pk}
    Review.objects.create(case=case, agency=case.agency, submitted_by=world.users.officer_a, submitted_at=clock.now(),
                          deadline=D(2026, 10, 19), result="agree", status="agree")
    CollectiveDiscussion.objects.create(case=case, agency=case.agency, held_on=D(2026, 10, 19),
                                        chair=world.users.head_a, recorded_by=world.users.head_a,
                                        recorded_at=clock.now())
    assert case.pk not in found("DECISION_WITHOUT_REVIEW")
    assert case.pk not in found("DECISION_WITHOUT_DISCUSSION")


def test_decision_without_notice(world, make_case):
    """A penalty without the advance notice is flagged, unless the party waived expressly."""
    missing = make_case(decided_on=D(2026, 10, 20), outcome="penalty")
    waived = make_case(decided_on=D(2026, 10, 20), outcome="penalty", rights_waived=True)
    noticed = make_case(decided_on=D(2026, 10, 20), outcome="penalty", notice_served_on=D(2026, 10, 1))
    assert found("DECISION_WITHOUT_NOTICE") == {missing.pk}
    assert waived.pk and noticed.pk


def test_hearing_right_threshold(world, make_case):
    """¥50,000 for an organisation carries the hearing right: 49,999.99 does not, 50,000 does."""
    below = make_case(decided_on=D(2026, 10, 20), outcome="penalty", notice_served_on=D(2026, 10, 1),
                      fine_amount=Decimal("49999.99"))
    at = make_case(decided_on=D(2026, 10, 20), outcome="penalty", notice_served_on=D(2026, 10, 1),
                   fine_amount=Decimal("50000"))
    told = make_case(decided_on=D(2026, 10, 20), outcome="penalty", notice_served_on=D(2026, 10, 1),
                     fine_amount=Decimal("80000"), hearing_right=True)
    assert found("HEARING_RIGHT_NOT_NOTIFIED") == {at.pk}
    assert below.pk and told.pk


def _noticed(make_case, **values):
    return make_case(decided_on=D(2026, 10, 20), outcome="penalty", notice_served_on=D(2026, 10, 1), **values)


@pytest.mark.parametrize("kind", ["降低资质等级", "吊销许可证件", "责令停产停业", "责令关闭", "限制从业",
                                  "限制开展生产经营活动"])
def test_hearing_right_each_heavy_kind(world, make_case, kind):
    """处罚法第六十三条: each heavy penalty kind carries the hearing right whatever the fine; a
    warning or a licence suspension with a small fine does not."""
    heavy = _noticed(make_case, penalty_kinds=["罚款", kind], fine_amount=Decimal("1000"))
    heavy_told = _noticed(make_case, penalty_kinds=[kind], hearing_right=True)
    light = _noticed(make_case, penalty_kinds=["警告", "罚款"], fine_amount=Decimal("1000"))
    check = REGISTRY["HEARING_RIGHT_NOT_NOTIFIED"]
    findings = list(check.func(CheckContext(today=clock.today(), params=dict(check.params))))
    assert {f.object_id for f in findings} == {heavy.pk}
    assert kind in findings[0].facts["适用听证的情形"]
    assert heavy_told.pk and light.pk


def test_hearing_right_confiscation_threshold(world, make_case):
    """Confiscation of a larger value (没收较大数额) counts like a larger fine: 49,999.99 below, 50,000 at."""
    below = _noticed(make_case, penalty_kinds=["没收违法所得"], confiscation_amount=Decimal("49999.99"))
    at = _noticed(make_case, penalty_kinds=["没收非法财物"], confiscation_amount=Decimal("50000"))
    assert found("HEARING_RIGHT_NOT_NOTIFIED") == {at.pk}
    assert below.pk


def test_hearing_right_person_and_agency_threshold(world, make_case):
    """A citizen's threshold is ¥5,000 (4,999.99 below, 5,000 at); an agency's own recorded
    threshold (¥3,000 for citizens, as the Beijing housing rule) takes precedence over the model's."""
    from zhifa.parties.models import Party

    person = Party.objects.create(kind="natural", name="张三", id_number="110101199003074477",
                                  region=world.tree.county, agency=world.tree.market)
    below = _noticed(make_case, party=person, fine_amount=Decimal("4999.99"))
    at = _noticed(make_case, party=person, fine_amount=Decimal("5000"))
    assert found("HEARING_RIGHT_NOT_NOTIFIED") == {at.pk}
    market = world.tree.market
    market.hearing_fine_person = Decimal("3000")
    market.save()
    low_below = _noticed(make_case, party=person, fine_amount=Decimal("2999.99"))
    low_at = _noticed(make_case, party=person, fine_amount=Decimal("3000"))
    assert found("HEARING_RIGHT_NOT_NOTIFIED") == {at.pk, below.pk, low_at.pk}
    assert low_below.pk


def test_investigators_auxiliaries_and_certificates(world, make_case):
    """One certified officer is too few (an auxiliary does not count and is flagged himself);
    an officer whose certificate expired the day before filing acted uncertified."""
    alone = make_case(officers=[world.o1, world.aux])
    pair = make_case()
    assert found("TOO_FEW_INVESTIGATORS") == {alone.pk}
    aux_row = CaseOfficer.objects.get(case=alone, officer=world.aux)
    assert found("AUXILIARY_IN_ACT") == {aux_row.pk}
    Certificate.objects.filter(officer=world.o2).update(expires_on=pair.filed_on)
    assert found("UNCERTIFIED_ACTOR") == set()
    Certificate.objects.filter(officer=world.o2).update(expires_on=pair.filed_on - DAY)
    assert found("UNCERTIFIED_ACTOR") == {CaseOfficer.objects.get(case=pair, officer=world.o2).pk}


def test_late_upload_boundary(world, make_case):
    """24 hours after capture is in time; 24 hours and a minute is late."""
    case = make_case()
    captured = datetime.datetime(2026, 10, 10, 9, tzinfo=datetime.UTC)
    on_time = Evidence.objects.create(case=case, number=1, kind="audio_video", title="现场录像1", file=video("a.mp4"),
                                      captured_at=captured, uploaded_at=captured + datetime.timedelta(hours=24),
                                      uploaded_by=world.users.officer_a)
    late = Evidence.objects.create(case=case, number=2, kind="audio_video", title="现场录像2", file=video("b.mp4"),
                                   captured_at=captured, uploaded_at=captured + datetime.timedelta(hours=24, minutes=1),
                                   uploaded_by=world.users.officer_a)
    assert found("LATE_AV_UPLOAD") == {late.pk}
    assert on_time.pk != late.pk


def test_limitation_boundary(world, make_case):
    """Two years to the day is in time; a day later is not; five years where life and health were harmed."""
    in_time = make_case(occurred_on=D(2024, 9, 3), filed_on=D(2026, 9, 3), outcome="penalty")
    late = make_case(occurred_on=D(2024, 9, 2), filed_on=D(2026, 9, 3), outcome="penalty")
    grave = make_case(occurred_on=D(2022, 9, 2), filed_on=D(2026, 9, 3), outcome="penalty", grave_safety_harm=True)
    assert found("FILED_BEYOND_LIMITATION") == {late.pk}
    assert in_time.pk and grave.pk


def test_benchmark_deviation_with_and_without_reason(world, make_case):
    no_reason = make_case(within_benchmark=False)
    reasoned = make_case(within_benchmark=False, deviation_reason="当事人主动消除危害后果，依法减轻处罚。")
    make_case(within_benchmark=True)
    assert found("BENCHMARK_DEVIATION_NO_REASON") == {no_reason.pk}
    assert found("BENCHMARK_DEVIATION_WITH_REASON") == {reasoned.pk}


def test_fine_outlier_is_robust_and_explained(world, make_case):
    """Among nine like cases fined about ¥10,000, one fined ¥48,000 is an outlier (robust z
    above 3.5); the ordinary ones are not, and the alert states median and z."""
    fines = [9500, 9800, 10000, 10000, 10200, 10500, 9900, 10100]
    for fine in fines:
        make_case(decided_on=D(2026, 10, 1), outcome="penalty", fine_amount=Decimal(fine), discretion_level="general")
    outlier = make_case(decided_on=D(2026, 10, 1), outcome="penalty", fine_amount=Decimal(48000),
                        discretion_level="general")
    check = REGISTRY["FINE_OUTLIER"]
    findings = list(check.func(CheckContext(today=TODAY, params=check.params)))
    assert [f.object_id for f in findings] == [outlier.pk]
    assert findings[0].facts["中位数"] == "10000.00" and findings[0].facts["稳健Z值"] > 3.5
    assert found("FINE_OUTLIER", min_group=10) == set()  # too few peers to judge


def test_fined_despite_mandatory_no_penalty(world, make_case):
    met = make_case(decided_on=D(2026, 10, 1), outcome="penalty", fact_tags=sorted(MINOR_FACTS))
    partial = make_case(decided_on=D(2026, 10, 1), outcome="penalty", fact_tags=sorted(MINOR_FACTS)[:2])
    assert found("FINED_DESPITE_NO_PENALTY") == {met.pk}
    assert partial.pk


def test_surcharges(world, make_case):
    """The surcharge may reach the fine but not exceed it; a late payment without surcharge
    is flagged unless a payment plan was approved."""
    capped = make_case(fine_amount=Decimal("1000"), payment_due_on=D(2026, 10, 1))
    over = make_case(fine_amount=Decimal("1000"), payment_due_on=D(2026, 10, 1))
    user = world.users.officer_a
    Payment.objects.create(case=capped, paid_on=D(2026, 10, 1), amount=Decimal("2000"), surcharge=Decimal("1000"),
                           bank="农行", bank_reference="R1", recorded_by=user)
    Payment.objects.create(case=over, paid_on=D(2026, 10, 1), amount=Decimal("2000.01"),
                           surcharge=Decimal("1000.01"), bank="农行", bank_reference="R2", recorded_by=user)
    assert found("SURCHARGE_ABOVE_CAP") == {over.pk}
    on_day = make_case(fine_amount=Decimal("500"), payment_due_on=D(2026, 10, 9))
    late = make_case(fine_amount=Decimal("500"), payment_due_on=D(2026, 10, 9))
    planned = make_case(fine_amount=Decimal("500"), payment_due_on=D(2026, 10, 9))
    rows = {}
    for case, paid in ((on_day, D(2026, 10, 9)), (late, D(2026, 10, 10)), (planned, D(2026, 10, 12))):
        rows[case.pk] = Payment.objects.create(case=case, paid_on=paid, amount=Decimal("500"), bank="农行",
                                               bank_reference=f"S{case.pk}", recorded_by=user)
    PaymentPlan.objects.create(case=planned, kind="deferral", applied_on=D(2026, 10, 1), reason="经营困难",
                               approved_by=world.users.head_a)
    assert found("SURCHARGE_MISSING") == {rows[late.pk].pk}


def test_closed_without_payment_or_execution(world, make_case):
    unpaid = make_case(fine_amount=Decimal("3000"), closed_on=D(2026, 10, 20), stage="closed")
    executed = make_case(fine_amount=Decimal("3000"), closed_on=D(2026, 10, 20), stage="closed",
                         executed_on=D(2026, 10, 19))
    assert found("CLOSED_WITHOUT_EXECUTION") == {unpaid.pk}
    assert executed.pk


def _publication(case, kind="penalty", due_on=TODAY):
    return Publication.objects.create(kind=kind, agency=case.agency, case=case, decision_number=f"云市监罚〔2026〕{case.pk}号",
                                      title="行政处罚", party_kind="legal", party_name="云岭鑫达商贸有限公司",
                                      result="罚款", decided_on=D(2026, 10, 20), due_on=due_on)


def test_publication_boundaries(world, make_case, fixed_today):
    """Unpublished on its due day is in time; the day after it is overdue (penalty and other
    decisions separately); a withdrawal not done by its due day is overdue the day after."""
    penalty = _publication(make_case(), due_on=D(2026, 10, 29))
    other = _publication(make_case(), kind="inspection", due_on=D(2026, 10, 29))
    assert not flagged_on(fixed_today, "PUBLICATION_OVERDUE", D(2026, 10, 29))
    assert flagged_on(fixed_today, "PUBLICATION_OVERDUE", D(2026, 10, 30)) == {penalty.pk}
    assert found("PUBLICATION_OTHER_OVERDUE") == {other.pk}
    action = PublicationAction.objects.create(publication=penalty, cause="reconsideration", action="withdraw",
                                              occurred_on=D(2026, 10, 26), due_on=D(2026, 10, 29))
    assert found("PUBLICATION_WITHDRAW_OVERDUE") == {action.pk}
    fixed_today(D(2026, 10, 29))
    assert found("PUBLICATION_WITHDRAW_OVERDUE") == set()


def test_decision_reversed(world, make_case):
    case = make_case(decided_on=D(2026, 8, 1), outcome="penalty")
    remedy = Remedy.objects.create(case=case, kind="reconsideration", body="云岭县人民政府", filed_on=D(2026, 8, 20),
                                   recorded_by=world.users.officer_a)
    assert found("DECISION_REVERSED") == set()
    remedy.result, remedy.decided_on = "revoked", D(2026, 10, 20)
    remedy.save()
    assert found("DECISION_REVERSED") == {remedy.pk}


def test_training_hours_boundary(world):
    """60 hours in the last year is enough; 59.5 is short (officers without any record are short too)."""
    for officer, hours in ((world.o1, "60"), (world.o2, "59.5")):
        TrainingRecord.objects.create(officer=officer, date=D(2025, 6, 1), title="行政执法培训", kind="public_law",
                                      hours=Decimal(hours))
    flagged = found("TRAINING_HOURS_SHORT")
    assert world.o2.pk in flagged and world.o1.pk not in flagged and world.ob.pk in flagged
    assert world.aux.pk not in flagged


def test_certificate_annual_review_boundary(world):
    """Reviewed exactly a year ago is in time; a year and a day is overdue."""
    cert1, cert2 = (Certificate.objects.get(officer=o) for o in (world.o1, world.o2))
    Certificate.objects.filter(pk=cert1.pk).update(last_review_on=D(2025, 11, 2))
    Certificate.objects.filter(pk=cert2.pk).update(last_review_on=D(2025, 11, 1))
    assert found("CERTIFICATE_REVIEW_OVERDUE") == {cert2.pk}


def test_reviewer_ratio_boundary(world):
    """20 officers need one reviewer (5%): none is too few, one is enough."""
    extra = [Officer(name=f"执法{i}", id_number=f"61011319900307{i:04d}", home_agency=world.tree.comprehensive)
             for i in range(20)]
    for officer in extra:
        officer.save()
    assert world.tree.comprehensive.pk in found("REVIEWER_RATIO_LOW")
    Officer.objects.filter(pk=extra[0].pk).update(is_legal_reviewer=True)
    assert world.tree.comprehensive.pk not in found("REVIEWER_RATIO_LOW")


def test_benchmark_review_boundary(world, fixed_today):
    from zhifa.catalog import services as catalog

    item = world.items[world.tree.market.pk]
    benchmark = catalog.issue_benchmark(
        item, {"valid_from": D(2022, 3, 1), "review_due": D(2026, 10, 30), "document": "云市监规〔2022〕3号",
               "statutory_min": 5000, "statutory_max": 50000}, catalog.banded_tiers(5000, 50000))
    assert isinstance(benchmark, Benchmark)
    assert benchmark.pk not in flagged_on(fixed_today, "BENCHMARK_REVIEW_OVERDUE", D(2026, 10, 30))
    assert benchmark.pk in flagged_on(fixed_today, "BENCHMARK_REVIEW_OVERDUE", D(2026, 10, 31))
