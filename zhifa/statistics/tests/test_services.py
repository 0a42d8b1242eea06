"""The figures come from the data; reports are published by 31 January and rolled up from
1 February; published reports are frozen (PUB-4)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.accounts import roles
from zhifa.catalog import choices as cc
from zhifa.core.testing import make_user
from zhifa.statistics import services
from zhifa.statistics.models import AnnualReport, RegionReport

from .conftest import Builder

D = datetime.date


def _kind(data, name):
    return next(e for e in data["penalty_kinds"] if e["kind"] == name)


def test_counts_and_amounts_of_the_year(world, build):
    """Every kind of record counts in its year, by its own date; other years and other
    agencies do not count; fines and confiscations are summed overall and by kind."""
    a = build.case(D(2026, 3, 1), kinds=[cc.FINE], fine="8000")
    b = build.case(D(2026, 5, 2), kinds=[cc.FINE, cc.CONFISCATE_GAINS], fine="20000", confiscation="3500.50")
    c = build.case(D(2026, 6, 3), kinds=[cc.WARNING], procedure="simple")
    build.case(D(2026, 7, 4), outcome="no_penalty")
    build.case(D(2025, 12, 31), kinds=[cc.FINE], fine="99999")  # last year
    build.case(None)  # not decided
    Builder(world, world.tree.other_market).case(D(2026, 3, 1), kinds=[cc.FINE], fine="77777")  # other county
    build.measure(a, D(2026, 2, 1), "seize")
    build.measure(b, D(2026, 2, 2), "seal")
    build.measure(b, D(2025, 2, 2), "seal")  # last year
    build.inspection(a, D(2026, 1, 5))
    build.inspection(b, D(2026, 12, 31))
    build.hearing(b, D(2026, 4, 20))
    build.remedy(a, "reconsideration", D(2026, 4, 1), "revoked", D(2026, 6, 1))
    build.remedy(b, "reconsideration", D(2026, 9, 1))
    build.remedy(c, "litigation", D(2025, 11, 1), "upheld", D(2026, 2, 1))  # filed last year, decided this year
    build.review(b, D(2026, 4, 25), "problems")
    build.review(b, D(2026, 4, 28), "agree")
    for kind, day in (("license", D(2026, 1, 8)), ("license", D(2026, 8, 8)), ("levy", D(2026, 9, 9)),
                      ("other", D(2026, 10, 10)), ("coercion", D(2026, 3, 3)), ("inspection", D(2026, 3, 4)),
                      ("license", D(2025, 8, 8))):
        build.registered(kind, day)
    build.registered("penalty", D(2026, 3, 1), case=a)  # a case's publication: already counted as 处罚

    data = services.compute(world.tree.market, 2026)
    counts = data["counts"]
    assert counts["penalty"] == 3 and counts["penalty_general"] == 2 and counts["penalty_simple"] == 1
    assert counts["no_penalty"] == 1
    assert data["amounts"] == {"fine": "28000.00", "confiscation": "3500.50"}
    assert _kind(data, cc.FINE) == {"kind": cc.FINE, "count": 2, "fine": "28000.00", "confiscation": "3500.50"}
    assert _kind(data, cc.CONFISCATE_GAINS)["count"] == 1 and _kind(data, cc.WARNING)["count"] == 1
    assert _kind(data, cc.REVOKE_LICENCE)["count"] == 0
    assert (counts["coercion"], counts["coercion_seize"], counts["coercion_seal"], counts["coercion_registered"]) == (
        3, 1, 1, 1)
    assert (counts["inspection"], counts["inspection_on_site"], counts["inspection_registered"]) == (3, 2, 1)
    assert (counts["license"], counts["levy"], counts["other"]) == (2, 1, 1)
    assert (counts["hearing"], counts["review"], counts["review_agree"], counts["review_problems"]) == (1, 2, 1, 1)
    assert (counts["reconsideration"], counts["reconsideration_decided"], counts["reconsideration_corrected"]) == (
        2, 1, 1)
    assert (counts["litigation"], counts["litigation_decided"], counts["litigation_corrected"]) == (0, 1, 0)
    assert data["agency_name"] == "云岭县市场监督管理局" and data["year"] == 2026

    last_year = services.compute(world.tree.market, 2025)
    assert last_year["counts"]["penalty"] == 1 and last_year["amounts"]["fine"] == "99999.00"
    assert last_year["counts"]["license"] == 1 and last_year["counts"]["litigation"] == 1


@pytest.mark.parametrize("cases", [3, 30])
def test_compute_is_a_fixed_number_of_grouped_queries(world, build, cases, django_assert_num_queries):
    """Eight grouped queries whatever the number of cases or agencies (no per-case loop)."""
    for index in range(cases):
        case = build.case(D(2026, 1 + index % 12, 1), kinds=[cc.FINE, cc.WARNING][: 1 + index % 2], fine=100 + index)
        build.inspection(case, D(2026, 2, 1))
    with django_assert_num_queries(8):
        figures = services.compute_many(None, 2026)
    assert figures[world.tree.market.pk]["counts"]["penalty"] == cases


def test_a_case_decided_through_the_case_engine_is_counted(world, open_general, fixed_today):
    """A real general-procedure case (inspection, discretion, notice, decision) appears in the
    figures with its fine and its on-site inspection."""
    from zhifa.cases import services as cases
    from zhifa.cases.tests.test_procedure import _investigate

    case = open_general()
    _investigate(world, case)
    cases.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE], fine_amount=8000,
                         reasoning="当事人积极配合调查。")
    cases.perform_transition(case, "propose", actor=world.officer_user)
    case = cases.perform_transition(case, "notify", actor=world.officer_user)
    fixed_today(D(2026, 11, 10))
    case = cases.perform_transition(case, "decide", actor=world.head)
    assert case.decided_on == D(2026, 11, 10)
    data = services.compute(world.tree.market, 2026)
    assert data["counts"]["penalty"] == 1 and data["counts"]["penalty_general"] == 1
    assert data["counts"]["inspection_on_site"] == 1
    assert data["amounts"]["fine"] == "8000.00" and _kind(data, cc.FINE)["count"] == 1


def test_publish_due_publishes_in_january_and_rolls_up_from_february(world, build, fixed_today):
    """Nothing before the year ends; from 1 January every active agency's report is published;
    regions are rolled up from 1 February and not before; running again changes nothing."""
    build.case(D(2026, 3, 1), kinds=[cc.FINE], fine="1000")
    Builder(world, world.tree.other_market).case(D(2026, 4, 1), kinds=[cc.FINE], fine="500")
    tree = world.tree
    agencies = 5  # market, comprehensive, township office, other market, justice

    fixed_today(D(2026, 12, 31))
    result = services.publish_due(year=2026)
    assert result.published == 0 and not AnnualReport.objects.exists()

    fixed_today(D(2027, 1, 1))
    result = services.publish_due()
    assert result.year == 2026 and result.published == agencies and result.rolled_up == 0
    assert AnnualReport.objects.filter(year=2026, status="published").count() == agencies
    assert not RegionReport.objects.exists()
    fixed_today(D(2027, 1, 31))
    assert services.publish_due().published == 0  # idempotent
    assert not RegionReport.objects.exists()

    fixed_today(D(2027, 2, 1))
    result = services.publish_due()
    assert result.rolled_up == 5  # province, city, two counties, township
    county = RegionReport.objects.get(region=tree.county, year=2026)
    assert county.is_published and county.agency_count == 4 and county.missing_count == 0
    assert county.data["counts"]["penalty"] == 1 and county.data["amounts"]["fine"] == "1000.00"
    city = RegionReport.objects.get(region=tree.city, year=2026)
    assert city.agency_count == 5 and city.data["amounts"]["fine"] == "1500.00"
    assert RegionReport.objects.get(region=tree.township).agency_count == 1
    assert services.publish_due().rolled_up == 0  # nothing new

    # An agency created later publishes late: the roll-ups above it are refreshed.
    from zhifa.orgs.models import Agency

    late = Agency.objects.create(name="云岭县农业农村局", region=tree.county)
    assert services.needs_publication(D(2027, 2, 10))
    fixed_today(D(2027, 2, 10))
    result = services.publish_due()
    assert result.published == 1 and result.rolled_up == 3  # county, city, province
    assert RegionReport.objects.get(region=tree.county).agency_count == 5
    assert AnnualReport.objects.get(agency=late).is_published


def test_publication_day_setting_leaves_drafts_to_check_first(world, build, fixed_today, settings):
    """With ZHIFA_STATISTICS_PUBLISH_DAY the first days of January only prepare drafts."""
    settings.ZHIFA_STATISTICS_PUBLISH_DAY = 20
    fixed_today(D(2027, 1, 5))
    result = services.publish_due()
    assert result.published == 0 and result.drafts == 5
    assert not AnnualReport.objects.filter(status="published").exists()
    fixed_today(D(2027, 1, 20))
    assert services.publish_due().published == 5


def test_rollup_sums_only_published_reports_and_lists_the_missing(world, build, fixed_today, users):
    build.case(D(2026, 3, 1), kinds=[cc.FINE], fine="1000")
    Builder(world, world.tree.comprehensive).case(D(2026, 3, 1), kinds=[cc.FINE], fine="300")
    fixed_today(D(2027, 1, 10))
    market = services.generate_annual_report(world.tree.market, 2026, render=False)
    services.publish_report(market, render=False)
    services.generate_annual_report(world.tree.comprehensive, 2026, render=False)  # draft only
    region = services.rollup(world.tree.county, 2026, users.admin_a)
    assert not region.is_published and region.agency_count == 1
    assert region.data["amounts"]["fine"] == "1000.00"
    assert "云岭县综合行政执法局" in region.data["missing"]
    with pytest.raises(PermissionDenied):
        services.rollup(world.tree.county, 2026, users.admin_b)  # another county's administrator
    with pytest.raises(PermissionDenied):
        services.rollup(world.tree.county, 2026, users.head_a)  # an agency's head cannot roll up a region


def test_regenerate_is_refused_after_publication(world, build, fixed_today):
    build.case(D(2026, 3, 1), kinds=[cc.FINE], fine="1000")
    fixed_today(D(2027, 1, 2))
    report = services.generate_annual_report(world.tree.market, 2026, world.head, render=False)
    assert report.status == "draft" and report.data["amounts"]["fine"] == "1000.00"
    build.case(D(2026, 12, 30), kinds=[cc.FINE], fine="500")  # entered late
    report = services.regenerate(report, world.head)
    assert report.data["amounts"]["fine"] == "1500.00"
    services.publish_report(report, world.head, render=False)
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="已发布，不能重新生成"):
        services.regenerate(report, world.head)
    with pytest.raises(ValidationError, match="已发布"):
        services.generate_annual_report(world.tree.market, 2026, world.head)
    assert AnnualReport.objects.get(pk=report.pk).data["amounts"]["fine"] == "1500.00"


def test_only_the_agency_in_reach_and_a_past_year(world, fixed_today, users):
    fixed_today(D(2027, 1, 2))
    head_b = make_user("head_b", roles.AGENCY_HEAD, agency=world.tree.other_market)
    with pytest.raises(PermissionDenied, match="不在您的管辖范围内"):
        services.generate_annual_report(world.tree.market, 2026, head_b)
    with pytest.raises(PermissionDenied, match="不能生成"):
        services.generate_annual_report(world.tree.market, 2026, users.officer_a)
    with pytest.raises(ValidationError, match="尚未结束"):
        services.generate_annual_report(world.tree.market, 2027, world.head)


def test_current_figures_sum_the_agencies_in_scope(world, build):
    build.case(D(2026, 3, 1), kinds=[cc.FINE], fine="1000")
    build.case(D(2026, 11, 3), kinds=[cc.FINE], fine="7")  # after "today" (2 November)
    from zhifa.orgs.models import Agency

    data = services.current_figures(Agency.objects.filter(region=world.tree.county))
    assert data["counts"]["penalty"] == 1 and data["amounts"]["fine"] == "1000.00"
    assert {row["agency_name"] for row in data["agencies"]} >= {"云岭县市场监督管理局", "云岭县司法局"}
    assert Decimal(data["amounts"]["confiscation"]) == 0
