"""A legal reviewer works through the queue on a phone (375 px): opens the overdue review, fills in
the ten points and passes it. The live server runs on the real clock: dates are relative to today."""

import datetime

from tests.browser.conftest import assert_fits_phone, login
from zhifa.accounts import roles
from zhifa.cases import services as case_services
from zhifa.catalog import choices as cc
from zhifa.catalog import services as catalog
from zhifa.core import clock
from zhifa.core.testing import PASSWORD, fields, make_user
from zhifa.core.validators import id_number_check_char
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate
from zhifa.review import choices
from zhifa.review.models import Review

REVIEWER_ID = "61992119850101011"


def _case_waiting_for_review(tree, users):
    """A case of 云岭县市场监管局 submitted for review nine days ago (so overdue), and a reviewer."""
    today = clock.today()
    f = fields()
    item = catalog.create_item(
        agency=tree.market, code="SCJG-CF-0125", kind="penalty", field=f["SCJG"], valid_from=datetime.date(2019, 1, 1),
        version={"name": "对经营标签不符合规定的食品的行政处罚", "law_name": "《中华人民共和国食品安全法》", "article": 125,
                 "penalty_basis": "《中华人民共和国食品安全法》第一百二十五条第一款第（二）项",
                 "violated_provision": "《中华人民共和国食品安全法》第七十一条第一款"},
    )
    lead = Officer.objects.create(name="李明", id_number="610113199003071237", home_agency=tree.market, user=users.officer_a)
    second = Officer.objects.create(name="周强", id_number="440524198001010013", home_agency=tree.market)
    for officer, number in ((lead, "61992120240001"), (second, "61992120240002")):
        issue_certificate(officer, number=number, fields=[f["SCJG"]], issuing_authority="秦川市人民政府",
                          issued_on=today - datetime.timedelta(days=200), expires_on=today + datetime.timedelta(days=1500))
    party = Party.objects.create(kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L",
                                 legal_representative="李四", address="云岭县人民路1号", region=tree.county,
                                 agency=tree.market)
    case = case_services.open_case(actor=users.officer_a, agency=tree.market, item=item, party=party,
                                   cause="经营标签不符合规定的食品案", occurred_on=today - datetime.timedelta(days=20),
                                   place="云岭县人民路1号", facts="当事人经营标签不符合规定的预包装食品。",
                                   officers=[lead, second])
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
