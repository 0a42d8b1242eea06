"""A legal reviewer works through the queue on a phone (375 px): opens the overdue review, fills in
the ten points and passes it. The live server runs on the real clock: dates are relative to today."""

import datetime

from tests.browser.conftest import assert_fits_phone, login
from tests.browser.scenario import open_food_label_case
from zhifa.accounts import roles
from zhifa.catalog import choices as cc
from zhifa.core import clock
from zhifa.core.testing import PASSWORD, make_user
from zhifa.core.validators import id_number_check_char
from zhifa.people.models import Officer
from zhifa.review import choices
from zhifa.review.models import Review

REVIEWER_ID = "61992119850101011"


def _case_waiting_for_review(tree, users):
    """A case of 云岭县市场监管局 submitted for review nine days ago (so overdue), and a reviewer."""
    today = clock.today()
    case = open_food_label_case(tree, users, place="云岭县人民路1号")
    reviewer = make_user("reviewer_a", roles.LEGAL_REVIEWER, agency=tree.market, display_name="孙审核")
    Officer.objects.create(name="孙审核", id_number=REVIEWER_ID + id_number_check_char(REVIEWER_ID),
                           home_agency=tree.market, user=reviewer, is_legal_reviewer=True, reviewer_kind="in_house",
                           legal_qualification="A20156101234")
    Review.objects.create(
        case=case, agency=tree.market, submitted_by=users.officer_a, submitted_at=clock.now(),
        deadline=today - datetime.timedelta(days=2), major_reasons=["罚款50,000元达到本机关目录清单标准"],
        package={"case": {"facts": case.facts}, "proposed": {"penalty_kinds": [cc.FINE], "fine_amount": "50000.00"},
                 "documents": [], "evidence": []},
    )
    return case




def test_reviewer_passes_a_review_from_the_queue_on_a_phone(page, tree, users):
    """The overdue review is red in the queue; the reviewer takes it, fills the ten points and passes it;
    the 法制审核意见书 is generated and the case's gate opens."""
    case = _case_waiting_for_review(tree, users)
    login(page, "reviewer_a", PASSWORD)
    page.goto("/review/")
    assert_fits_phone(page, "审核队列")
    row = page.locator("#queue tr.overdue")
    assert row.count() == 1 and "已超期2天" in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url("**/review/reviews/*/")
    page.click("text=领取审核")
    page.wait_for_selector("text=已领取该审核任务")
    page.click("text=填写审核意见")
    page.wait_for_url("**/opinion/")
    assert_fits_phone(page, "审核意见表")
    for code in choices.POINTS:
        page.select_option(f"#id_{code}_finding", choices.COMPLIANT)
        page.fill(f"#id_{code}_reason", "经审查符合规定。")
    page.select_option("#id_result", choices.AGREE)
    page.click("button:has-text('提交审核意见')")
    page.wait_for_selector("text=已提交审核意见：同意", timeout=60_000)
    assert_fits_phone(page, "审核结果页面")
    review = case.reviews.get()
    assert review.status == choices.AGREE and review.findings.count() == 10 and review.opinion_pdf_id
    assert page.locator("a:has-text('PDF')").count() == 1
