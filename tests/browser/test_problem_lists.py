"""突出问题清单 in Chromium on a phone: the county supervisor builds a campaign and a list and
puts a problem on it, the agency head reports the rectification from the supervision inbox,
the supervisor verifies it and sees the completion rate against the 95% target — every page
without a CSP violation and no wider than the screen; the other county's supervisor cannot open
the list.

Runs alone and after other browser tests in the same worker (the ``tree``/``users`` fixtures and
the seeded rows restored after a flush by the root conftest); every step waits for the page it
leads to, never for a fixed time, with generous timeouts for a machine shared by many runs."""

import datetime

from django.utils import timezone

from tests.browser.conftest import assert_fits_phone, login
from tests.browser.test_csp import Violations
from zhifa.accounts import roles
from zhifa.core.testing import PASSWORD, make_user
from zhifa.supervision.models import ProblemItem, ProblemList


def test_problem_list_flow_on_a_phone(page, tree, users):
    page.set_default_timeout(60_000)  # many steps on a machine shared by many test runs
    page.set_default_navigation_timeout(60_000)
    watch = Violations(page)
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    login(page, "supervisor_a", PASSWORD)

    assert watch.visit("/supervision/campaigns/new/") == []
    assert_fits_phone(page, "新建专项监督")
    page.fill("input[name=title]", "行政处罚裁量权专项监督")
    page.select_option("select[name=region]", str(tree.county.pk))
    page.fill("textarea[name=description]", "规范行政处罚裁量")
    page.fill("input[name=starts_on]", timezone.localdate().isoformat())
    page.fill("input[name=ends_on]", due)
    page.click("form.edit button[type=submit]")
    page.wait_for_url("**/supervision/campaigns/*/")
    page.click("text=建立本专项的突出问题清单")
    page.wait_for_url("**/supervision/problem-lists/new/**")
    assert watch.visit(page.url) == []
    page.fill("input[name=title]", "2026年行政执法突出问题清单")
    page.select_option("select[name=region]", str(tree.county.pk))
    page.click("form.edit button[type=submit]")
    page.wait_for_url("**/supervision/problem-lists/*/")
    problem_list = ProblemList.objects.get()
    assert problem_list.campaign is not None

    page.click("text=列入问题")
    assert watch.visit(page.url) == []
    assert_fits_phone(page, "列入问题")
    page.select_option("select[name=agency]", str(tree.market.pk))
    page.fill("textarea[name=description]", "部分处罚决定未说明裁量理由")
    page.fill("textarea[name=measure]", "逐案补充说理并组织培训")
    page.fill("input[name=due_on]", due)
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"**{problem_list.get_absolute_url()}")
    assert "部分处罚决定未说明裁量理由" in page.locator("table.problem-items").inner_text()
    assert "0.0%" in page.locator(".completion-rate").inner_text()

    page.context.clear_cookies()
    login(page, "head_a", PASSWORD)
    assert watch.visit("/supervision/inbox/") == []
    assert_fits_phone(page, "监督待办")
    page.click("table.inbox-items >> text=报告整改进展")
    page.fill("textarea[name=progress]", "已逐案补充说理，组织全员培训一次")
    page.click("form.edit button[type=submit]")
    page.wait_for_url("**/supervision/inbox/")
    assert ProblemItem.objects.get().status == ProblemItem.REPORTED

    page.context.clear_cookies()
    login(page, "supervisor_a", PASSWORD)
    assert watch.visit(problem_list.get_absolute_url()) == []
    assert_fits_phone(page, "突出问题清单")
    page.click("table.problem-items a.button")
    page.check("input[name=done][value='1']")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"**{problem_list.get_absolute_url()}")
    assert page.locator(".completion-rate").inner_text() == "100.0%"
    assert "已达标" in page.locator(".completion").inner_text()
    assert ProblemItem.objects.get().status == ProblemItem.DONE

    make_user("supervisor_b", roles.SUPERVISOR, region=tree.other_county)
    page.context.clear_cookies()
    login(page, "supervisor_b", PASSWORD)
    response = page.goto(problem_list.get_absolute_url())
    assert response is not None and response.status == 404
