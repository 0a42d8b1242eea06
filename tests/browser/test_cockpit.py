"""The supervisor's cockpit (驾驶舱) in Chromium on a phone: the ECharts charts render from the
site's own static files, no CSP violation, nothing fetched from elsewhere, and a figure drills
down to a list with as many rows."""

import datetime

from django.utils import timezone

from tests.browser.conftest import login
from tests.browser.test_csp import Violations
from zhifa.cases.models import Case
from zhifa.core.testing import PASSWORD, food_label_item
from zhifa.parties.models import Party
from zhifa.supervision.cockpit.services import refresh_cockpit


def _decided_cases(tree):
    item = food_label_item(tree.market)
    party = Party.objects.create(kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L",
                                 region=tree.county, agency=tree.market)
    today = timezone.localdate()
    for months_ago, late, agency in [(1, True, tree.market), (1, False, tree.market), (2, False, tree.market),
                                     (3, True, tree.comprehensive), (3, False, tree.comprehensive)]:
        decided = today - datetime.timedelta(days=30 * months_ago)
        Case.objects.create(agency=agency, item=item, party=party, cause="经营标签不符合规定的食品案",
                            occurred_on=decided - datetime.timedelta(days=150), place="云岭县", stage="decided",
                            number=f"云市监罚〔{decided.year}〕{months_ago}{int(late)}{agency.pk}号",
                            filed_on=decided - datetime.timedelta(days=120 if late else 30), decided_on=decided,
                            within_benchmark=not late)
    refresh_cockpit(full=True)


def test_cockpit_charts_render_without_csp_violation(page, tree, users):
    _decided_cases(tree)
    login(page, "supervisor_a", PASSWORD)
    watch = Violations(page)
    found = watch.visit("/supervision/cockpit/", ready="#chart-ranking[data-rendered='1']")
    assert found == []
    assert page.locator("#chart-trend canvas").count() >= 1
    assert page.locator("#chart-ranking canvas").count() >= 1
    assert page.evaluate("typeof echarts") == "object"
    tile = page.locator(".tile[data-metric='overdue']")
    assert tile.locator(".tile-rate").inner_text() == "40.0%"
    tile.locator("a.num-link").click()
    page.wait_for_url("**/supervision/cockpit/list/**")
    assert page.locator(".drill-count").inner_text() == "2"
    assert page.locator("table.drill tbody tr").count() == 2
    assert watch.visit(page.url) == []
