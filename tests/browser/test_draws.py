"""A public draw on a phone (INS-2): the agency head enters a witness's value and draws; anyone then
reads the digests, the revealed secret and the re-run command on the portal — no page wider than the
phone, nothing loaded from outside."""

import pytest

from tests.browser.conftest import assert_fits_phone, login
from zhifa.core.testing import PASSWORD
from zhifa.inspections.draws import services
from zhifa.inspections.models import Draw
from zhifa.inspections.tests.draws.conftest import make_draw, world  # noqa: F401  (fixtures)


@pytest.mark.django_db(transaction=True)
def test_witness_and_draw_on_a_phone_then_public_page(page, live_server, world, make_draw):  # noqa: F811
    draw = services.freeze(make_draw(entries=[world.entry, world.city_entry]), world.users.head_a)
    login(page, "head_a", PASSWORD)
    page.goto(f"/inspections/draws/{draw.pk}/")
    assert_fits_phone(page, "抽取页")
    page.click("text=录入见证人随机值")
    page.fill("input[name=name]", "企业代表王五")
    page.fill("input[name=value]", "27182")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"**/inspections/draws/{draw.pk}/")
    assert "27182" in page.content()
    page.click("a.button:text-is('开奖')")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"**/inspections/draws/{draw.pk}/", timeout=120_000)  # the draw runs in this request
    draw.refresh_from_db()
    assert draw.status == Draw.COMPLETED
    assert "抽取结果（检查对象与检查人员）" in page.content()
    assert_fits_phone(page, "抽取结果页")
    page.goto(f"/public/draws/{draw.pk}/")
    assert_fits_phone(page, "门户抽取公示页")
    text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    assert draw.secret in text and draw.result_sha256 in text
    assert f"python3 zhifa_draw.py {live_server.url}/public/open-data/draws/{draw.pk}.json" in text
