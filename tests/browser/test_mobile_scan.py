"""掌上执法 scanning on a phone (Chromium): the officer reads the enterprise's supervision code
from a photo with the vendored jsQR and arrives at the assigned inspection through its arrival
endpoint (扫码入企); then verifies a colleague's certificate by its number (typed fallback)."""

import pytest

from tests.browser.conftest import login
from zhifa.core.testing import PASSWORD
from zhifa.inspections.acts import services
from zhifa.inspections.tests.conftest import fixed_today, inspect, world  # noqa: F401  (fixtures)
from zhifa.portal.services import qr_png

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_officer_scans_the_supervision_code_and_verifies_a_colleague(page, world, inspect):  # noqa: F811
    inspection = inspect()
    services.perform(inspection, "approve", actor=world.head)
    services.perform(inspection, "notify", actor=world.officer_user)
    code = services.code_for(world.company).code

    login(page, world.officer_user.username, PASSWORD)
    page.goto("/m/")
    page.wait_for_selector("body[data-ready='1']")
    page.select_option("#scan-inspection", str(inspection.pk))
    page.fill("#scan-place", "企业大门")
    page.set_input_files("#scan-image", files=[{"name": "code.png", "mimeType": "image/png",
                                                 "buffer": qr_png(f"ZHIFA-JG:{code}")}])
    page.wait_for_selector("#scan-result.scan-ok")
    assert "现场检查中" in page.text_content("#scan-result")
    inspection.refresh_from_db()
    assert inspection.stage == "on_site" and inspection.scan_method == "scan" and inspection.scan_place == "企业大门"

    page.fill("#scan-code", "61992120240002")
    page.click("#scan-verify")
    page.wait_for_url("**/public/verify/61992120240002/")
    assert "周强" in page.content()
