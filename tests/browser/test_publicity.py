"""A reviewer releases a decision on a phone after checking its masking; a citizen then finds
it with a Chinese full-text search on the portal and reads it without any personal data.
The live server runs on the real clock: dates are relative to today."""

import datetime

from tests.browser.conftest import assert_fits_phone, login
from zhifa.accounts import roles
from zhifa.core import clock
from zhifa.core.testing import PASSWORD, make_user
from zhifa.parties.models import Party
from zhifa.publicity import services

PERSON_ID = "11010519491231002X"





def test_release_then_search_and_read_on_a_phone(page, browser, live_server, tree, users):
    today = clock.today()
    person = Party.objects.create(kind=Party.NATURAL, name="张三", id_number=PERSON_ID, phone="13812345678",
                                  address="云岭县人民路2号", region=tree.county, agency=tree.market)
    publication = services.register_decision(
        actor=users.officer_a, agency=tree.market, kind="penalty", decision_number="云市监罚〔2026〕201号",
        title="经营超过保质期的食品案", decided_on=today - datetime.timedelta(days=1), party=person,
        facts=f"当事人张三（身份证号{PERSON_ID}，电话13812345678）在云岭县人民路2号销售超过保质期的食品。",
        legal_basis="《中华人民共和国食品安全法》第一百二十四条", result="罚款人民币5,000.00元。",
    )
    services.register_decision(
        actor=users.officer_a, agency=tree.market, kind="license", decision_number="云市监许〔2026〕202号",
        title="食品经营许可", decided_on=today - datetime.timedelta(days=1), party=person, result="准予许可。",
    )
    make_user("reviewer_a", roles.LEGAL_REVIEWER, agency=tree.market, display_name="孙审核")

    login(page, "reviewer_a", PASSWORD)
    page.goto("/publicity/")
    page.click(f"text={publication.decision_number}")
    assert PERSON_ID in page.inner_text("#masking")  # the original, for the agency only
    assert "张*" in page.inner_text("#masking") and "证件号码" in page.inner_text("#masking-report")
    assert_fits_phone(page, "公示审核页")
    page.click("text=审核发布")
    page.check("input[name=confirmed]")
    page.click("form.edit button[type=submit]")
    page.wait_for_selector("text=已公示")

    citizen = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", base_url=live_server.url)
    public = citizen.new_page()
    try:
        public.goto("/public/decisions/")
        public.fill("input[name=q]", "保质期 食品")
        public.click("#decision-search button[type=submit]")
        public.wait_for_selector("#results li a")
        results = public.inner_text("#results")
        assert "经营超过保质期的食品案" in results and "食品经营许可" not in results  # the licence is not released
        assert_fits_phone(public, "公示检索页")
        public.click("#results li a")
        public.wait_for_selector("#decision")
        text = public.inner_text("body")
        for secret in (PERSON_ID, "13812345678", "张三", "云岭县人民路2号"):
            assert secret not in text
        assert "张*" in text and "罚款人民币5,000.00元" in text
        assert_fits_phone(public, "公示决定页")
    finally:
        citizen.close()


def test_masking_table_fits_a_laptop_screen_and_stacks_on_a_phone(page, browser, live_server, tree, users):
    """The masking review at 1,366 px shows the masked (public) column on screen however long the
    facts are; on a phone each row stacks and the page does not scroll sideways."""
    today = clock.today()
    person = Party.objects.create(kind=Party.NATURAL, name="张三", id_number=PERSON_ID, phone="13812345678",
                                  address="云岭县人民路2号", region=tree.county, agency=tree.market)
    long_facts = "当事人张三在云岭县人民路2号销售超过保质期的食品，" * 40 + "批号" + "8" * 120
    publication = services.register_decision(
        actor=users.officer_a, agency=tree.market, kind="penalty", decision_number="云市监罚〔2026〕203号",
        title="经营超过保质期的食品案", decided_on=today - datetime.timedelta(days=1), party=person,
        facts=long_facts, legal_basis="《中华人民共和国食品安全法》第一百二十四条", result="罚款人民币5,000.00元。",
    )
    make_user("reviewer_b", roles.LEGAL_REVIEWER, agency=tree.market, display_name="钱审核")
    laptop = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url)
    try:
        wide = laptop.new_page()
        login(wide, "reviewer_b", PASSWORD)
        wide.goto(publication.get_absolute_url())
        wide.wait_for_load_state("load")
        assert wide.evaluate("document.documentElement.scrollWidth") <= 1366
        table = wide.locator("#masking").bounding_box()
        assert table["x"] + table["width"] <= 1366, f"遮蔽核对表宽{table['width']}px，超出1366px屏幕"
        public_cell = wide.locator("#masking td.public").first.bounding_box()
        assert public_cell["x"] >= 0 and public_cell["x"] + public_cell["width"] <= 1366
        assert public_cell["width"] >= 300  # a readable column, not squeezed
    finally:
        laptop.close()
    login(page, "reviewer_b", PASSWORD)
    page.goto(publication.get_absolute_url())
    assert "张*" in page.inner_text("#masking")
    assert_fits_phone(page, "公示审核页（长文本）")
