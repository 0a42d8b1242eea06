"""One number format on every page (#15 item 6): amounts ``907,620.00 元`` (thousands separators,
two decimals), counts ``1,234``, percentages with one decimal — on the statistics pages, the
cockpit, a case page and the portal; xlsx cells carry the same number formats."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhifa.catalog import choices as cc
from zhifa.core import numbers
from zhifa.core.templatetags import zhifa_format
from zhifa.core.testing import PASSWORD
from zhifa.statistics import services
from zhifa.statistics.models import AnnualReport
from zhifa.supervision.models import AgencyMonthStat

D = datetime.date
# a bare decimal with four or more integer digits and no thousands separator: "907500.00", "12000"
BARE = re.compile(r"(?<![\d,.\-/:#A-Za-z_])\d{4,}\.\d{2}(?![\d%])")


def _text(html: str) -> str:
    """The page's visible text and attribute-free markup: drops scripts, JSON data and URLs."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r'(href|src|action|value|id|name|for|data-[\w-]+)="[^"]*"', "", html)


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_the_helpers_format_with_decimal_never_float():
    assert numbers.format_yuan(Decimal("907620")) == "907,620.00 元"
    assert numbers.format_amount("907500.005") == "907,500.01"  # half up on the fen, no float error
    assert numbers.format_amount(0.1 + 0.2) == "0.30"
    assert numbers.format_count(1234567) == "1,234,567"
    assert numbers.format_percent(95.25) == "95.3%" and numbers.format_percent(Decimal("-30")) == "-30.0%"
    assert numbers.format_amount(None) == numbers.format_yuan("") == numbers.format_count(None) == ""
    assert zhifa_format.yuan("abc") == "abc"  # a non-number is shown as it is, never a server error


@pytest.fixture
def big(world, build, fixed_today):
    """2026: one decision with a fine of 907,620 元 and confiscation of 1,500 元; published."""
    case = build.case(D(2026, 3, 1), kinds=[cc.FINE, cc.CONFISCATE_GAINS], fine="907620", confiscation="1500")
    fixed_today(D(2027, 2, 1))
    services.publish_due()
    return case


def test_statistics_pages_and_xlsx_use_the_one_format(client, world, big):
    _login(client, world.head)
    report = AnnualReport.objects.get(agency=world.tree.market, year=2026)
    for url in (reverse("statistics:report_list"), report.get_absolute_url(), reverse("statistics:public_list"),
                reverse("statistics:public_agency", args=[report.pk])):
        html = client.get(url).content.decode()
        assert "907,620.00" in html, url
        assert not BARE.findall(_text(html)), (url, BARE.findall(_text(html)))
    response = client.get(reverse("statistics:report_file", args=[report.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in book["汇总"].iter_rows() for c in row if c.value == 907620]
    assert cells and cells[0].number_format == numbers.XLSX_AMOUNT
    kinds = book["行政处罚（按种类）"]
    assert kinds.cell(2, 2).number_format == numbers.XLSX_COUNT and kinds.cell(2, 3).number_format == numbers.XLSX_AMOUNT


def test_case_page_and_portal_show_amounts_with_separators(client, world, big):
    _login(client, world.head)
    html = client.get(big.get_absolute_url()).content.decode()
    assert "907,620.00" in html and "1,500.00" in html  # the decided penalties (决定的处罚)
    assert not BARE.findall(_text(html)), BARE.findall(_text(html))
    from zhifa.publicity.models import Publication

    publication = Publication.objects.create(
        agency=world.tree.market, case=big, kind="penalty", title="行政处罚决定", decision_number="测试决〔2026〕1号",
        party_kind="legal", party_name="云岭鑫达商贸有限公司", result="罚款", public_party_name="云岭鑫达商贸有限公司",
        fine_amount=Decimal("907620"), decided_on=D(2026, 3, 1), due_on=D(2026, 3, 10), status="published",
        published_on=D(2026, 3, 2), published_at=timezone.now())
    client.logout()
    for url in (reverse("publicity:public_detail", args=[publication.pk]), reverse("publicity:public_list")):
        html = client.get(url).content.decode()
        assert "907,620.00 元" in html, url
        assert not BARE.findall(_text(html)), url


def test_cockpit_counts_have_separators_and_rates_one_decimal(client, world, users, fixed_today):
    fixed_today(D(2026, 11, 2))
    AgencyMonthStat.objects.create(agency=world.tree.market, month=D(2026, 9, 1), decided=12345, overdue=1234,
                                   refreshed_at=timezone.now())
    _login(client, users.supervisor_a)
    html = client.get(reverse("supervision:cockpit")).content.decode()
    assert "12,345" in html and "1,234" in html and "10.0%" in html
    assert not re.search(r">\s*12345\s*<", html) and not BARE.findall(_text(html))
