"""Fixtures of the statistics tests: the case world of ``zhifa.cases`` (fixed today 2 November
2026, an agency with certified officers, an item with a benchmark) and quick ways to put
decided cases, measures, hearings, remedies, reviews and registered decisions into a year."""

import datetime
import io
from decimal import Decimal

import pytest

from zhifa.cases.models import Case, CoerciveMeasure, Evidence, Hearing, Inspection, Remedy
from zhifa.cases.tests.conftest import fixed_today, open_general, world  # noqa: F401  (fixtures)
from zhifa.publicity.models import Publication
from zhifa.records.services import store_file

D = datetime.date


@pytest.fixture(autouse=True)
def _no_portal_cache(settings):
    """Public pages are not cached between requests of a test (data changes within it)."""
    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 0
    settings.ZHIFA_PUBLIC_RATE_LIMIT = "0/60"


def _moment(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


class Builder:
    """Records of one agency, written straight to the tables (the case engine is exercised by
    one end-to-end test; the others need many decisions on chosen dates)."""

    def __init__(self, the_world, agency=None):
        self.w = the_world
        self.agency = agency or the_world.tree.market
        self.n = 0

    def case(self, decided_on=None, *, outcome="penalty", kinds=("罚款",), fine=None, confiscation=None,
             procedure="general"):
        self.n += 1
        return Case.objects.create(
            number=f"测试案{self.n}", stage="closed" if decided_on else "investigation", procedure=procedure,
            agency=self.agency, item=self.w.item, party=self.w.company, cause=f"测试案件{self.n}",
            occurred_on=D(2025, 1, 1), place="人民路", decided_on=decided_on, outcome=outcome if decided_on else "",
            penalty_kinds=list(kinds) if outcome == "penalty" else [],
            fine_amount=Decimal(fine) if fine is not None else None,
            confiscation_amount=Decimal(confiscation) if confiscation is not None else None,
        )

    def measure(self, case, day, kind="seize"):
        video = store_file(io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + bytes(100) + str(self.n).encode()), "录像.mp4")
        self.n += 1
        evidence = Evidence.objects.create(case=case, number=self.n, kind="audiovisual", title="录像", file=video,
                                           captured_at=_moment(day), uploaded_by=self.w.officer_user)
        return CoerciveMeasure.objects.create(case=case, kind=kind, started_at=_moment(day), items="饼干",
                                              approved_by="郑局长", recording=evidence,
                                              recorded_by=self.w.officer_user)

    def inspection(self, case, day):
        return Inspection.objects.create(case=case, time=_moment(day), place="店内", content="检查", findings="无",
                                         recorded_by=self.w.officer_user)

    def hearing(self, case, held_on):
        return Hearing.objects.create(case=case, requested_on=held_on - datetime.timedelta(days=10), held_on=held_on)

    def remedy(self, case, kind, filed_on, result="pending", decided_on=None):
        return Remedy.objects.create(case=case, kind=kind, body="云岭县人民政府", filed_on=filed_on, result=result,
                                     decided_on=decided_on, recorded_by=self.w.officer_user)

    def review(self, case, completed_on, result="agree"):
        from zhifa.review.models import Review

        round_no = case.reviews.count() + 1
        return Review.objects.create(
            case=case, agency=self.agency, round=round_no, status=result, submitted_by=self.w.officer_user,
            submitted_at=_moment(completed_on) - datetime.timedelta(days=3), deadline=completed_on,
            reviewer=self.w.head, result=result, completed_at=_moment(completed_on),
        )

    def registered(self, kind, decided_on, case=None):
        self.n += 1
        return Publication.objects.create(
            kind=kind, agency=self.agency, case=case, decision_number=f"登记〔{decided_on.year}〕{self.n}号",
            title="登记的决定", party_kind="legal", party_name="云岭鑫达商贸有限公司", result="准予",
            decided_on=decided_on, due_on=decided_on + datetime.timedelta(days=10),
        )


@pytest.fixture
def build(world):  # noqa: F811  (the imported fixture)
    return Builder(world)
