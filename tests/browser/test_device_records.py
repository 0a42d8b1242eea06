"""A party told of a monitoring-device record views it on a phone and states its defence
(行政处罚法第四十一条第三款); the officer then sees the statement on the record's page."""

import datetime
import io

from tests.browser.conftest import assert_fits_phone, login
from zhifa.core import clock
from zhifa.core.testing import PASSWORD
from zhifa.inspections.devices import services
from zhifa.inspections.models.devices import MONITOR, PASSED, Device
from zhifa.records.services import store_file


def test_party_views_and_contests_a_record_on_a_phone(page, browser, live_server, tree, users):
    today = clock.today()
    start = today - datetime.timedelta(days=60)
    device = Device.objects.create(
        kind=MONITOR, serial="YL-JK-001", agency=tree.market, location="云岭县人民路与解放路交叉口",
        in_service_on=start, legal_review_on=start, legal_reviewer="张法制", legal_review_conclusion=PASSED,
        technical_review_on=start, technical_reviewer="计量所", technical_review_conclusion=PASSED,
        published=True, published_on=start,
    )
    photo = store_file(io.BytesIO(b"\xff\xd8\xff\xe0JFIF" + b"p" * 4000), "抓拍.jpg")
    record = services.record_capture(actor=users.officer_a, device=device, captured_at=clock.now()
                                     - datetime.timedelta(hours=3), place="", party_identifier="陕H12345",
                                     content="机动车在人民路禁停路段停放", files=[photo])
    services.review_record(record, actor=users.head_a, is_true=True, is_clear=True, is_complete=True,
                           is_accurate=True)
    record = services.notify_party(record, actor=users.officer_a, channel="sms", to="13900000000")

    # The party: the published device list, then its record with the number and code from the SMS.
    page.goto("/public/monitoring-devices/")
    assert "云岭县人民路与解放路交叉口" in page.locator("main").inner_text()
    assert_fits_phone(page, "监控设备设置地点页")
    page.goto("/public/device-records/")
    page.fill("input[name=number]", record.number)
    page.fill("input[name=code]", record.access_code)
    page.click("form[role=search] button[type=submit]")
    assert "机动车在人民路禁停路段停放" in page.locator("main").inner_text()
    assert_fits_phone(page, "非现场执法记录查询页")
    page.fill("textarea[name=text]", "当时车辆故障，已开启危险报警闪光灯并报修。")
    page.click("form.edit button[type=submit]")
    page.wait_for_load_state("load")
    main = page.locator("main").inner_text()
    assert "当时车辆故障" in main and "执法机关正在复核" in main

    # The agency's head sees the statement and the answer button on the record's page.
    page.context.clear_cookies()
    login(page, "head_a", PASSWORD)
    page.goto(f"/inspections/device-records/{record.pk}/")
    assert "当时车辆故障" in page.locator("main").inner_text()
    assert page.locator("a", has_text="复核陈述申辩").count() == 1
    assert_fits_phone(page, "非现场执法记录页")
