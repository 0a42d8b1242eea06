"""Downloads (xlsx with native charts, PDF with the Chinese text in an embedded CJK font),
internal and public pages, the open-data API and the daily command (PUB-4)."""

import datetime
import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.accounts import roles
from zhifa.catalog import choices as cc
from zhifa.core.testing import PASSWORD, make_user
from zhifa.statistics import rendering, services
from zhifa.statistics.models import AnnualReport, RegionReport

from .conftest import Builder

D = datetime.date
CJK_FONT = re.compile(r"WenQuanYi", re.I)


@pytest.fixture
def published(world, build, fixed_today):
    """2026 figures for the market bureau, all 2026 reports published and rolled up (as on 1 February 2027)."""
    build.case(D(2026, 3, 1), kinds=[cc.FINE, cc.CONFISCATE_GAINS], fine="12000", confiscation="800")
    build.case(D(2026, 5, 1), kinds=[cc.WARNING], procedure="simple")
    build.registered("license", D(2026, 6, 1))
    Builder(world, world.tree.other_market).case(D(2026, 4, 1), kinds=[cc.FINE], fine="500")
    fixed_today(D(2027, 2, 1))
    services.publish_due()
    return AnnualReport.objects.get(agency=world.tree.market, year=2026)


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _pdf_text(pdf: bytes, tmp_path, tool="pdftotext") -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    args = [tool, "-raw", str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def test_xlsx_has_the_sheets_figures_and_native_charts(published):
    workbook = load_workbook(io.BytesIO(rendering.render_xlsx(published)))
    assert workbook.sheetnames == ["汇总", "行政处罚（按种类）", "其他"]
    summary = workbook["汇总"]
    assert summary["A1"].value == "云岭县市场监督管理局 2026年度行政执法统计年报"
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=5, max_row=10, values_only=True)}
    assert values["行政处罚"] == 2 and values["行政许可"] == 1
    assert len(summary._charts) == 1 and len(workbook["行政处罚（按种类）"]._charts) == 1
    kinds = {row[0]: row[1:] for row in workbook["行政处罚（按种类）"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert kinds[cc.FINE] == (1, 12000.0, 800.0) and kinds[cc.WARNING][0] == 1


def test_region_xlsx_lists_the_agencies(world, published):
    region = RegionReport.objects.get(region=world.tree.county, year=2026)
    workbook = load_workbook(io.BytesIO(rendering.render_xlsx(region)))
    assert workbook.sheetnames[-1] == "各执法主体"
    names = [row[0] for row in workbook["各执法主体"].iter_rows(min_row=2, values_only=True)]
    assert "云岭县市场监督管理局" in names and "青石县市场监督管理局" not in names


def test_pdf_has_the_chinese_text_and_an_embedded_cjk_font(published, tmp_path):
    pdf = rendering.render_pdf(published)
    assert pdf.startswith(b"%PDF")
    text = re.sub(r"\s+", "", _pdf_text(pdf, tmp_path))
    for phrase in ("云岭县市场监督管理局2026年度行政执法统计年报", "各类行政执法行为数量", "行政处罚按种类", "没收违法所得",
                   "12,000.00", "行政许可"):
        assert phrase in text, phrase
    fonts = _pdf_text(pdf, tmp_path, "pdffonts")
    assert [line for line in fonts.splitlines()[2:] if CJK_FONT.search(line) and " yes " in line], fonts


def test_internal_pages_and_downloads(client, world, published):
    _login(client, world.head)
    html = client.get(reverse("statistics:report_list")).content.decode()
    assert published.title in html and "区域汇总" in html
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200 and "<svg" in page.content.decode() and "按当前数据重新生成" not in page.content.decode()
    response = client.get(reverse("statistics:report_file", args=[published.pk, "xlsx"]))
    assert response.status_code == 200 and response["Content-Type"] == rendering.XLSX_TYPE
    assert b"".join(response.streaming_content).startswith(b"PK")
    pdf = client.get(reverse("statistics:report_file", args=[published.pk, "pdf"]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    region = RegionReport.objects.get(region=world.tree.county)
    assert client.get(region.get_absolute_url()).status_code == 404  # an agency head sees no region roll-ups
    assert client.get(reverse("statistics:current")).status_code == 200


def test_regenerate_and_publish_through_the_pages(client, world, build, fixed_today):
    build.case(D(2026, 3, 1), kinds=[cc.FINE], fine="1000")
    fixed_today(D(2027, 1, 3))
    _login(client, world.head)
    response = client.post(reverse("statistics:generate"), {"agency": world.tree.market.pk, "year": 2026})
    report = AnnualReport.objects.get(agency=world.tree.market, year=2026)
    assert response.status_code == 302 and report.status == "draft"
    assert "按当前数据重新生成" in client.get(report.get_absolute_url()).content.decode()
    assert client.post(reverse("statistics:regenerate", args=[report.pk])).status_code == 302
    client.post(reverse("statistics:publish", args=[report.pk]))
    report.refresh_from_db()
    assert report.is_published and report.published_by == world.head
    generated_at = report.generated_at
    response = client.post(reverse("statistics:regenerate", args=[report.pk]), follow=True)
    assert "已发布，不能重新生成" in response.content.decode()
    report.refresh_from_db()
    assert report.generated_at == generated_at


def test_another_agencys_user_cannot_regenerate(client, world, build, fixed_today, users):
    fixed_today(D(2027, 1, 3))
    report = services.generate_annual_report(world.tree.market, 2026, render=False)
    head_b = make_user("head_b", roles.AGENCY_HEAD, agency=world.tree.other_market)
    _login(client, head_b)
    assert client.post(reverse("statistics:regenerate", args=[report.pk])).status_code == 404
    assert client.get(report.get_absolute_url()).status_code == 404
    client.logout()
    _login(client, users.officer_a)  # in reach, but an officer may not regenerate
    assert client.post(reverse("statistics:regenerate", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.generated_by is None


def test_public_pages_show_only_published_reports(client, world, published, fixed_today):
    from zhifa.orgs.models import Agency

    draft_agency = world.tree.comprehensive  # (inactive, so that opening the page does not publish it)
    Agency.objects.filter(pk=draft_agency.pk).update(is_active=False)
    AnnualReport.objects.filter(agency=draft_agency).update(status="draft", published_at=None)
    draft = AnnualReport.objects.get(agency=draft_agency)
    response = client.get(reverse("statistics:public_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "云岭县市场监督管理局" in html and "云岭县综合行政执法局" not in html
    assert "<script" not in html and "style=" not in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
    page = client.get(published.get_public_url()).content.decode()
    assert "<svg" in page and "各类行政执法行为数量" in page and "style=" not in page
    assert client.get(reverse("statistics:public_agency", args=[draft.pk])).status_code == 404
    assert client.get(reverse("statistics:public_agency_file", args=[draft.pk, "pdf"])).status_code == 404
    xlsx = client.get(reverse("statistics:public_agency_file", args=[published.pk, "xlsx"]))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content).startswith(b"PK")
    county = RegionReport.objects.get(region=world.tree.county)
    html = client.get(reverse("statistics:public_list") + "?year=2026&region=619921").content.decode()
    assert county.title in html and "青石县市场监督管理局" not in html
    region_page = client.get(county.get_public_url()).content.decode()
    assert "云岭县市场监督管理局" in region_page and "<svg" in region_page


def test_public_page_publishes_what_is_due_when_nobody_ran_the_task(client, world, build, fixed_today):
    """Opened in January with nothing published, the page publishes the previous year at once."""
    build.case(D(2026, 3, 1), kinds=[cc.FINE], fine="1000")
    fixed_today(D(2027, 1, 4))
    html = client.get(reverse("statistics:public_list")).content.decode()
    assert AnnualReport.objects.filter(year=2026, status="published").count() == 5
    assert "云岭县市场监督管理局" in html and not RegionReport.objects.exists()
    assert services.ensure_published() is None  # nothing more is due in January
    fixed_today(D(2027, 2, 2))
    client.get(reverse("statistics:public_list"))
    assert RegionReport.objects.filter(year=2026, status="published").count() == 5


def test_lazy_publication_waits_for_a_running_one(world, fixed_today):
    from django.core.cache import cache

    fixed_today(D(2027, 1, 4))
    cache.add(services._lock_key(2026), "busy", timeout=60)
    try:
        assert services.ensure_published() is None and not AnnualReport.objects.exists()
    finally:
        cache.delete(services._lock_key(2026))
    assert services.ensure_published().published == 5


def test_open_data_json_and_csv(client, world, published):
    response = client.get("/api/public/statistics/agencies/?year=2026&region=619921")
    assert response.status_code == 200
    body = response.json()
    rows = {r["agency_name"]: r for r in body["results"]}
    assert "青石县市场监督管理局" not in rows
    market = rows["云岭县市场监督管理局"]
    assert market["penalty"] == 2 and market["license"] == 1 and market["fine_amount"] == "12000.00"
    assert market["penalty_kinds"] == {cc.FINE: 1, cc.CONFISCATE_GAINS: 1, cc.WARNING: 1}
    assert "data" not in market and "generated_by" not in market
    csv = client.get("/api/public/statistics/agencies/?format=csv&year=2026")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    header, *lines = text.strip().splitlines()
    assert "执法主体" in header and "行政许可" in header and "罚款金额（元）" in header
    assert len(lines) == 5 and any("云岭县市场监督管理局" in line and "12000.00" in line for line in lines)
    region_csv = client.get("/api/public/statistics/regions/?format=csv&region=619900")
    region_text = b"".join(region_csv.streaming_content).decode("utf-8-sig")
    assert "秦川市" in region_text and "陕西省" not in region_text


def test_open_data_hides_drafts(client, world, published):
    AnnualReport.objects.filter(agency=world.tree.market).update(status="draft")
    names = [r["agency_name"] for r in client.get("/api/public/statistics/agencies/").json()["results"]]
    assert "云岭县市场监督管理局" not in names and len(names) == 4


def test_internal_api_is_scoped(api_client, world, published, users):
    api_client.force_authenticate(users.officer_b)
    names = [r["agency_name"] for r in api_client.get("/api/statistics/reports/").json()["results"]]
    assert names == ["青石县市场监督管理局"]
    api_client.force_authenticate(users.supervisor_a)
    body = api_client.get("/api/statistics/regions/?year=2026").json()
    assert {r["region_name"] for r in body["results"]} == {"云岭县", "云岭镇"}
    report = api_client.get(f"/api/statistics/reports/{published.pk}/").json()
    assert report["data"]["counts"]["penalty"] == 2


def test_command_publishes_and_rolls_up(world, build, fixed_today):
    build.case(D(2026, 3, 1), kinds=[cc.FINE], fine="1000")
    out = io.StringIO()
    call_command("publish_statistics", "--today", "2027-01-15", "--no-files", stdout=out)
    assert "发布执法主体年报5份" in out.getvalue() and not RegionReport.objects.exists()
    out = io.StringIO()
    call_command("publish_statistics", "--today", "2027-02-01", "--year", "2026", stdout=out)
    assert "区域汇总5份" in out.getvalue()
    county = RegionReport.objects.get(region=world.tree.county)
    assert county.xlsx_id and county.pdf_id  # rendered by the command


@pytest.mark.parametrize("extra", [2, 12])
def test_lists_use_the_same_number_of_queries_whatever_the_number_of_reports(
        client, api_client, world, fixed_today, users, extra, django_assert_max_num_queries):
    from zhifa.orgs.models import Agency

    for index in range(extra):
        Agency.objects.create(name=f"云岭县第{index}执法局", region=world.tree.county)
    fixed_today(D(2027, 2, 3))
    services.publish_due()
    with django_assert_max_num_queries(9):
        response = client.get(reverse("statistics:public_list") + "?year=2026&region=619921")
    assert len(response.context["page"].object_list) == 4 + extra
    with django_assert_max_num_queries(4):
        response = client.get("/api/public/statistics/agencies/?year=2026")
    assert response.json()["count"] == 5 + extra
    _login(client, users.admin_a)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("statistics:report_list"))
    assert response.context["page"].paginator.count == 4 + extra
    api_client.force_authenticate(users.admin_a)
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/statistics/reports/").json()["count"] == 4 + extra
